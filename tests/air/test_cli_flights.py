"""``bilat air flights|capacity|compare``: exit codes, messages and outputs (issue 17)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from . import ssim_patch as p

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
JULY = FIXTURES / "blr-kaz-2022-07.ssim"
AUGUST = FIXTURES / "blr-kaz-2022-08.ssim"


def test_flights_json_and_csv(cli: Any, tmp_path: Path) -> None:
    out_csv = tmp_path / "f.csv"
    r = cli("air", "flights", JULY, "--from", "2022-07-04", "--to", "2022-07-10",
            "--carrier", "KC", "--json", "--csv", out_csv)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    # KC 911 on days 2, 5, 7 and KC 913 on day 5, in the week of 4-10 Jul 2022
    assert [(f["flight_number"], f["date"]) for f in doc["flights"]] == [
        (911, "2022-07-05"), (911, "2022-07-08"), (911, "2022-07-10"), (913, "2022-07-08"),
    ]  # fmt: skip
    assert doc["flights"][0]["departure_utc"] == "2022-07-05T08:00:00+00:00"
    assert doc["flights"][0]["departure_local"] == "2022-07-05T14:00:00"  # NQZ +0600
    with out_csv.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and rows[0]["dep"] == "NQZ"


def test_flights_text(cli: Any) -> None:
    r = cli("air", "flights", JULY, "--from", "2022-07-04", "--to", "2022-07-04")
    assert r.exit_code == 0
    # Monday 4 Jul: B2 735 (days 12457), B2 736 (daily), B2 757 (12345), IQ 501 (1)
    assert "4 flights of 4 legs, 2022-07-04 to 2022-07-04 (dates U)" in r.stdout


def test_bad_date_exits_2_with_the_option(cli: Any) -> None:
    r = cli("air", "flights", JULY, "--from", "04JUL22")
    assert r.exit_code == 2
    assert "start '04JUL22' is not a date: expected YYYY-MM-DD" in r.stderr


def test_open_end_without_end_exits_2(cli: Any, tmp_path: Path) -> None:
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="00XXX00")
    path = tmp_path / "open.ssim"
    path.write_bytes(p.file([leg], end="00XXX00"))
    r = cli("air", "flights", path)
    assert r.exit_code == 2
    assert "line 4 has an open period (00XXX00)" in r.stderr
    assert cli("air", "flights", path, "--to", "2022-07-05").exit_code == 0


def test_capacity_json_states_its_coverage(cli: Any) -> None:
    r = cli("air", "capacity", JULY, "--from", "2022-07-04", "--to", "2022-07-17", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["days"] == 14
    assert doc["coverage"]["seats_from_type_table"] == doc["coverage"]["flights"] == 54
    msq_ala = next(x for x in doc["pairs"] if (x["dep"], x["arr"]) == ("MSQ", "ALA"))
    assert msq_ala["weekly_flights"] == 5.0 and msq_ala["weekly_seats"] == 750.0


def test_compare_text_marks_new_and_dropped(cli: Any) -> None:
    r = cli("air", "compare", JULY, AUGUST)
    assert r.exit_code == 0
    assert "dropped" in r.stdout and "new" in r.stdout
    assert "B: 72 flights of 4 legs" in r.stdout


def test_csv_into_a_missing_folder_exits_2(cli: Any, tmp_path: Path) -> None:
    r = cli("air", "flights", JULY, "--csv", tmp_path / "no" / "such" / "f.csv")
    assert r.exit_code == 2
    assert "cannot write --csv" in r.stderr
