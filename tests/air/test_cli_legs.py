"""``bilat air legs``: every leg printed, written to CSV or Parquet, or as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

GNA = "gna-sample.ssim"


def _legs(path: Path) -> list[str]:
    return [x for x in path.read_text().splitlines() if x.startswith("3")]


@pytest.mark.shared
def test_text_states_count_and_time_mode(cli: Any, shared_data: Path) -> None:
    path = shared_data / "air" / GNA
    r = cli("air", "legs", str(path), "--limit", "3")
    assert r.exit_code == 0, r.stderr
    n = len(_legs(path))
    assert f"{n} flight legs in {GNA}, first 3 shown" in r.stdout
    assert "data set 0 (XX): times and dates in local time (time mode L)" in r.stdout
    first = _legs(path)[0]  # "3 XX   410101F09JUN0509JUN05   4    RUN21302130+0400  DZA2240..."
    assert "XX 41" in r.stdout and first[36:39] == "RUN" and "21:30" in r.stdout


@pytest.mark.shared
def test_json_has_every_leg_and_field(cli: Any, shared_data: Path) -> None:
    path = shared_data / "air" / "ssimparser-sample.ssim"
    r = cli("air", "legs", str(path), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["count"] == len(doc["legs"]) == len(_legs(path)) == 3
    assert doc["time_modes"] == [
        {"dataset": 0, "airline": "AF", "time_mode": "L", "times": "local time"}
    ]
    leg = doc["legs"][0]
    assert (leg["period_from"], leg["dep_terminal"], leg["onward_flight_number"]) == (
        "2020-11-01",
        "T1",
        1234,
    )
    assert doc["warnings"] == ["no trailer record (type 5): the file may be truncated"]


@pytest.mark.shared
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_hold_every_column(
    cli: Any, shared_data: Path, tmp_path: Path, fmt: str
) -> None:
    path = shared_data / "air" / GNA
    out = tmp_path / f"legs.{fmt}"
    r = cli("air", "legs", str(path), f"--{fmt}", str(out))
    assert r.exit_code == 0, r.stderr
    table = pacsv.read_csv(out) if fmt == "csv" else pq.read_table(out)
    legs = _legs(path)
    assert table.num_rows == len(legs)
    assert table.num_columns == 48 and "aircraft_config" in table.column_names
    assert table["dep"].to_pylist() == [x[36:39] for x in legs]
    assert f"wrote {len(legs)} legs, 48 columns, to {out}" in r.stdout.replace("\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left


def test_bad_file_exits_2_with_line(cli: Any, tmp_path: Path) -> None:
    from . import ssim_builder as b

    rec = bytearray(b.leg("B2", 735, "MSQ", "NQZ", 3).encode())
    rec[43:47] = b"9999"  # aircraft STD
    bad = tmp_path / "bad.ssim"
    bad.write_text(b.header() + "\n" + b.carrier("B2", 2) + "\n" + rec.decode() + "\n")
    r = cli("air", "legs", str(bad))
    assert r.exit_code == 2
    assert "line 3" in r.stderr and "aircraft STD (bytes 44-47)" in r.stderr


def test_csv_and_parquet_at_once_are_refused(cli: Any, july_ssim: Path, tmp_path: Path) -> None:
    r = cli("air", "legs", str(july_ssim), "--parquet", "x.pq", "--csv", str(tmp_path / "x.csv"))
    assert r.exit_code == 2
    assert "give one of --csv and --parquet" in r.stderr
