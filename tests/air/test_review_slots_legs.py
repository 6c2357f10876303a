"""Issue 17 review items 12, 14, 15, 18, 20, 21: slots, legs, flights and capacity.

Expected values are worked out by hand from the fixtures (written down next to each) or
read from the files with plain string slicing, never from bilat's own output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from bilat.air.slots import slot_report
from bilat.air.ssim import parse_ssim
from bilat.errors import ParseError

from . import ssim_builder as b

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
JULY = FIXTURES / "blr-kaz-2022-07.ssim"
REQUEST = FIXTURES / "slots" / "scr-ala-s23-request.txt"
REPLY = FIXTURES / "slots" / "scr-ala-s23-reply.txt"
CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022" / "air"


# --------------------------------------------------------------------------- 12: short records


def test_a_file_cut_mid_record_is_reported_as_truncated_with_its_length() -> None:
    text = b.blr_kaz_schedule()
    lines = text.split("\n")
    cut = "\n".join(lines[:6]) + "\n" + lines[6][:90]  # line 7 cut after 90 bytes, no line end
    with pytest.raises(ParseError) as exc:
        parse_ssim(cut.encode(), path="cut.ssim")
    assert "line 7 is 90 bytes, expected 200" in str(exc.value)
    assert "the file looks truncated" in str(exc.value)
    assert "serial" not in str(exc.value)
    assert exc.value.details["line"] == 7 and exc.value.details["value"] == "90"


def test_a_short_leg_record_inside_the_file_is_refused_with_its_length() -> None:
    lines = b.blr_kaz_schedule().split("\n")
    assert lines[3].startswith("3")
    lines[3] = lines[3][:150]
    with pytest.raises(ParseError) as exc:
        parse_ssim("\n".join(lines).encode())
    assert "line 4 is 150 bytes, expected 200" in str(exc.value)
    assert "serial number (bytes 195-200) is missing" in str(exc.value)


def test_a_header_trimmed_at_the_end_of_a_line_is_still_padded() -> None:
    lines = b.blr_kaz_schedule().split("\n")
    lines[0] = lines[0][:40]  # the header's serial is optional: padding invents nothing
    s = parse_ssim("\n".join(lines).encode())
    assert s.legs.num_rows == 11
    assert s.warnings == ("1 record shorter than 200 bytes was space-padded",)


# --------------------------------------------------------------------------- 20: wrong file


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("openflights-routes-by-kz.csv", "`bilat air routes FOLDER --schedule FILE`"),
        ("openflights-airlines-by-kz.csv", "`bilat air routes FOLDER --airlines FILE`"),
    ],
)
def test_openflights_file_given_to_legs_names_the_command(
    cli: Any, shared_data: Path, name: str, command: str
) -> None:
    r = cli("air", "legs", shared_data / "air" / name)
    assert r.exit_code == 2
    assert "It looks like an OpenFlights" in r.stderr and command in r.stderr


def test_agreement_yaml_given_as_ssim_says_so(cli: Any) -> None:
    r = cli("air", "legs", CASE / "blr-kaz.yaml")
    assert r.exit_code == 2
    assert "It looks like an agreement YAML file, not an SSIM schedule" in r.stderr


@pytest.mark.parametrize("command", ["legs", "flights", "capacity"])
def test_slot_message_given_to_schedule_commands_points_to_slots(cli: Any, command: str) -> None:
    r = cli("air", command, REQUEST)
    assert r.exit_code == 2
    assert "read it with `bilat air slots FILE`" in r.stderr


def test_ssim_file_given_to_slots_points_to_legs(cli: Any) -> None:
    r = cli("air", "slots", JULY)
    assert r.exit_code == 2
    assert "not a slot message" in r.stderr
    assert "It looks like an SSIM Chapter 7 schedule" in r.stderr
    assert "`bilat air legs FILE`" in r.stderr


# --------------------------------------------------------------------------- 18: --carrier


def _carriers_in(path: Path) -> list[str]:
    return sorted({x[2:5].strip() for x in path.read_text().splitlines() if x[:1] == "3"})


@pytest.mark.parametrize("command", ["flights", "capacity"])
def test_a_carrier_not_in_the_file_is_an_input_error(cli: Any, command: str) -> None:
    assert _carriers_in(JULY) == ["B2", "IQ", "KC"]
    r = cli("air", command, JULY, "--carrier", "B2", "--carrier", "zz")
    assert r.exit_code == 2
    assert "carrier ZZ: no flight leg in blr-kaz-2022-07.ssim; its carriers are B2, IQ, KC" in (
        r.stderr
    )


def test_schedule_refuses_a_carrier_the_file_does_not_hold(cli: Any) -> None:
    """One rule with flights and capacity: a stray code is most likely a typo."""
    r = cli("air", "schedule", CASE, JULY, "--carrier", "KC", "--carrier", "ZZ")
    assert r.exit_code == 2, r.stdout
    assert "carrier ZZ: no flight leg in blr-kaz-2022-07.ssim; its carriers are B2, IQ, KC" in (
        r.stderr
    )


def test_schedule_does_not_warn_when_the_carrier_flies(cli: Any) -> None:
    r = cli("air", "schedule", CASE, JULY, "--carrier", "KC")
    assert "no leg of --carrier" not in r.stdout


# --------------------------------------------------------------------------- 14: slot effects

# The request (S23; 1 May 2023 is a Monday), slots per line (arrival + departure):
#   6  N  01-14 May Mon Wed Fri weekly: 1 3 5 8 10 12 May      6 dates x 2 = 12
#   7  N  01-31 May Wed every 2nd week from the week of 1 May: 3 17 31 May   3 x 2 = 6
#   8  N  arrival only, 02 Apr-28 Oct daily: 29+31+30+31+31+30+28 = 210
#   9  N  departure only, the same 210
#   10 C  08-14 May Mon Wed Fri: 8 10 12 May                    3 x 2 = 6
#   11 R  the same dates                                        3 x 2 = 6
#   12 D  04 Jun                                                1 x 2 = 2
# requested 12 + 6 + 210 + 210 = 438; net 438 + 6 - 6 - 2 = 436.
REQUEST_TOTALS = {
    "requested": 438,
    "requested instead": 6,
    "given up if the change is granted": 6,
    "given up": 2,
}
# The reply: H line 7 = 12, U line 8 = 6, O line 10 = 6, K lines 11-12 = 210 + 210, X 13 = 2.
REPLY_TOTALS = {"allocated": 420, "held": 12, "offered": 6, "not allocated": 6, "cancelled": 2}


def test_dated_totals_count_slots_per_effect() -> None:
    r = slot_report(REQUEST, dated=True)
    assert r.totals == REQUEST_TOTALS
    assert r.net_requested == 436
    assert sum(r.totals.values()) == r.slots.num_rows == 452
    reply = slot_report(REPLY, dated=True)
    assert reply.totals == REPLY_TOTALS and reply.net_requested is None


def test_what_each_line_does_to_one_slot() -> None:
    rows = slot_report(REQUEST, dated=True).slots.to_pylist()
    b2735 = [
        (x["line"], x["action"], x["effect"])
        for x in rows
        if x["flight"] == "B2735" and str(x["date"]) == "2023-05-10"
    ]
    assert b2735 == [
        (6, "N", "requested"),
        (10, "C", "given up if the change is granted"),
        (11, "R", "requested instead"),
    ]


def test_without_dated_there_are_no_totals() -> None:
    r = slot_report(REQUEST)
    assert r.totals is None and r.net_requested is None


def test_dated_text_says_effects_and_totals(cli: Any) -> None:
    r = cli("air", "slots", REQUEST, "--dated")
    assert r.exit_code == 0, r.stderr
    assert "C change from" in r.stdout and "given up if the change is granted" in r.stdout
    assert (
        "slots by effect: requested 438, requested instead 6, given up if the change is "
        "granted 6, given up 2; net change asked for if all is granted: +436 slots"
    ) in r.stdout
    doc = json.loads(cli("air", "slots", REQUEST, "--dated", "--json").stdout)
    assert doc["totals"] == REQUEST_TOTALS and doc["net_requested"] == 436


# --------------------------------------------------------------------------- 15: words


def test_slot_lines_in_words(cli: Any) -> None:
    out = cli("air", "slots", REPLY).stdout
    # line 7 H ... 1030500: Monday, Wednesday, Friday; line 11 K ... 1234567: every day
    assert "H held" in out and "Mon Wed Fri" in out and "K confirmed" in out and "daily" in out
    assert "2023-05-01..2023-05-14" in out and "2nd week" in out
    assert "1030500" not in out
    dated = cli("air", "slots", REPLY, "--dated").stdout
    assert "arrival" in dated and "departure" in dated and "X cancelled" in dated


@pytest.mark.shared
def test_legs_days_and_periods_in_the_schedule_style(cli: Any, shared_data: Path) -> None:
    path = shared_data / "air" / "gna-sample.ssim"
    third = [x for x in path.read_text().splitlines() if x.startswith("3")][2]
    assert third[14:28] == "23MAY0513JUN05" and third[28:35] == "1 3 56 "
    out = cli("air", "legs", path, "--limit", "3").stdout
    assert "2005-05-23..2005-06-13" in out and "Mon Wed Fri Sat" in out and "XX 102" in out


# --------------------------------------------------------------------------- 21: --csv


def test_slots_csv_replaces_the_table(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "slots.csv"
    r = cli("air", "slots", REQUEST, "--dated", "--csv", out)
    assert r.exit_code == 0, r.stderr
    assert "┃" not in r.stdout and f"wrote 452 rows (slots) to {out}" in r.stdout
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 452 and rows[0]["effect"] == "requested"


def test_flights_csv_replaces_the_table(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    r = cli("air", "flights", JULY, "--carrier", "KC", "--from", "2022-07-04", "--to",
            "2022-07-10", "--csv", out)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    # KC 911 on Tue, Fri, Sun and KC 913 on Fri in the week of 4-10 July 2022: 4 flights
    assert "┃" not in r.stdout and "wrote 4 flights" in r.stdout and str(out) in r.stdout
    assert len(out.read_text().splitlines()) == 5


def test_legs_json_with_csv_prints_the_json_and_writes_the_file(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "legs.csv"
    r = cli("air", "legs", JULY, "--json", "--csv", out)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["count"] == 11
    assert len(out.read_text().splitlines()) == 1 + 11
    assert sum(x[:1] == "3" for x in JULY.read_text().splitlines()) == 11
