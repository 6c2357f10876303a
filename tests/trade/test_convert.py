"""`bilat trade series --convert-to`: a series that crosses an HS revision change, made comparable."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from bilat.errors import InputError
from bilat.lake import Lake
from bilat.sources.schema import FLOW_SCHEMA
from bilat.trade import Dyad, converted


def _flows(year: int, rev: str, rows: list[tuple[str, float]]) -> pa.Table:
    n = len(rows)
    return pa.table(
        {
            "year": pa.array([year] * n, pa.int16()),
            "exporter": ["BLR"] * n,
            "importer": ["KAZ"] * n,
            "product": [p for p, _ in rows],
            "hs_rev": [rev] * n,
            "value_usd": [v for _, v in rows],
            "quantity": pa.nulls(n, pa.float64()),
            "quantity_unit": pa.nulls(n, pa.string()),
            "source": ["csv:test"] * n,
            "basis": ["exporter"] * n,
        },
        schema=FLOW_SCHEMA,
    )


@pytest.fixture
def crossing_lake(tmp_path: Path) -> Lake:
    """2021 reported in HS17, 2022 in HS22: the codes a revision split are not comparable as is."""
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(
        _flows(2021, "HS17", [("040310", 100.0), ("170410", 50.0)]),
        kind="flows",
        source="csv:test",
        name="y2021",
    )
    lake.ingest_arrow(
        _flows(2022, "HS22", [("040320", 80.0), ("170410", 60.0)]),
        kind="flows",
        source="csv:test",
        name="y2022",
    )
    return lake


@pytest.mark.shared
def test_series_converted_conserves_value_and_says_so(
    crossing_lake: Lake, shared_data: Path
) -> None:
    table = shared_data / "hs" / "unsd-hs2022-hs2017-correlation.xlsx"
    plain = Dyad(crossing_lake, "BLR", "KAZ").series(2021, 2022)
    view = converted(crossing_lake, to="HS17", concordances=[table])
    conv = Dyad(view, "BLR", "KAZ").series(2021, 2022)
    # totals do not change: a conversion moves value between codes, it never makes or loses any
    assert (
        conv.rows.column("exports_usd").to_pylist() == plain.rows.column("exports_usd").to_pylist()
    )
    assert conv.provenance.conversion is not None
    assert "HS17" in conv.provenance.conversion
    assert "converted to HS17" in conv.provenance.text()
    assert plain.provenance.conversion is None
    # the HS22 code 040320 is split into HS17 codes: none of the 2022 rows is left in HS22
    flows = view.flows().filter(lambda t: t.year == 2022).to_pyarrow()
    assert set(flows.column("hs_rev").to_pylist()) == {"HS17"}
    assert "040320" not in flows.column("product").to_pylist()
    assert sum(flows.column("value_usd").to_pylist()) == pytest.approx(140.0)


@pytest.mark.shared
def test_cli_series_convert_to(cli, crossing_lake: Lake, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    table = shared_data / "hs" / "unsd-hs2022-hs2017-correlation.xlsx"
    args = ["trade", "series", "BLR", "KAZ", "--years", "2021-2022", "--convert-to",
            "HS17", "--concordance", str(table), "--lake", str(crossing_lake.root)]  # fmt: skip
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.stderr
    assert "converted to HS17" in json.loads(r.stdout)["provenance"]["conversion"]
    r = cli(*args)
    assert r.exit_code == 0
    assert "values converted to HS17" in r.stderr


def test_convert_needs_a_table(crossing_lake: Lake) -> None:
    with pytest.raises(InputError, match="correlation table"):
        converted(crossing_lake, to="HS17", concordances=[])
