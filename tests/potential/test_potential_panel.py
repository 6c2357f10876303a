"""The panel: from the lake, GeoDist covariates, user covariates, years."""

from __future__ import annotations

from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given

from bilat.errors import InputError, NotFoundError, SchemaError, ValidationError
from bilat.lake import Lake
from bilat.potential import (
    estimate,
    join_covariates,
    join_geodist,
    panel_from_flows,
    read_geodist,
)
from bilat.potential.panel import parse_years
from bilat.sources.schema import FLOW_SCHEMA

GEODIST = "geo/dist_cepii.csv.gz"


def test_panel_from_lake_sums_one_level_and_keeps_domestic(three_lake) -> None:  # type: ignore[no-untyped-def]
    panel = panel_from_flows(three_lake, level=4, years=[2021])
    p = panel.set_index(["exporter", "importer"])["trade"]
    assert p[("AAA", "BBB")] == 10.0  # the chapter-level row "17" (1000) is not added
    assert p[("AAA", "CCC")] == 55.0
    assert p[("AAA", "AAA")] == 1000.0  # domestic flow kept: the data has it
    assert set(panel["year"]) == {2021}
    # At HS2 the HS4 rows are summed to their chapters; AAA→BBB's 1704 (10) is under the
    # chapter row 17 (1000) the lake holds for the same flow, so it is not added twice.
    two = panel_from_flows(three_lake, level=2, years=[2021])
    t2 = two.set_index(["exporter", "importer"])["trade"]
    assert t2[("AAA", "BBB")] == 1000.0 + 0.0
    assert t2[("AAA", "CCC")] == 20 + 30 + 5
    assert two["trade"].sum() == 1000 + 55 + 40 + 60 + 60 + 70 + 1000
    with pytest.raises(NotFoundError, match="no flows at level 6"):
        panel_from_flows(three_lake, level=6)
    with pytest.raises(InputError, match="level must be"):
        panel_from_flows(three_lake, level=3)


def test_panel_from_lake_chooses_a_source_per_flow(three_lake, three_countries_frame) -> None:  # type: ignore[no-untyped-def]
    # national statistics beside BACI-like reconciled data: the trade view believes one per
    # flow (reconciled first, and a complete source covers its whole year), never both
    other = pa.Table.from_pandas(
        three_countries_frame().assign(source="OTHER", basis="exporter", value_usd=7.0),
        preserve_index=False,
    )
    three_lake.ingest_arrow(
        other.select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA), kind="flows", source="OTHER", name="o"
    )
    both = panel_from_flows(three_lake, level=4, years=[2021])
    assert both["trade"].sum() == 10 + 20 + 30 + 5 + 0 + 40 + 50 + 10 + 60 + 30 + 40 + 1000
    # the explicit choice is kept: a source, or a pinned source class
    one = panel_from_flows(three_lake, level=4, years=[2021], source="OTHER")
    assert one["trade"].sum() == 7.0 * 12  # twelve HS4 rows in 2021, the chapter row left out
    pinned = panel_from_flows(three_lake, level=4, years=[2021], basis="national")
    pd.testing.assert_frame_equal(one, pinned)
    # asking for what the lake does not hold is an error that says what it holds
    with pytest.raises(NotFoundError, match="no flows with source 'NONE'; it holds OTHER, TEST"):
        panel_from_flows(three_lake, level=4, source="NONE")
    with pytest.raises(NotFoundError, match="basis pinned to importer"):
        panel_from_flows(three_lake, level=4, basis="importer")
    with pytest.raises(NotFoundError, match="hs_rev 'HS22'; it holds HS17"):
        panel_from_flows(three_lake, level=4, hs_rev="HS22")
    with pytest.raises(
        InputError, match="basis must be one of reconciled, national, exporter, importer"
    ):
        panel_from_flows(three_lake, level=4, basis="mirror")


def test_panel_from_declarations_takes_the_exporters_and_fills_with_the_mirror(
    tmp_path: Path,
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    rows = [  # reporter, partner, flow, product, value
        ("AAA", "BBB", "X", "170410", 100.0),  # AAA's own export declaration ...
        ("BBB", "AAA", "M", "170410", 110.0),  # ... and BBB's mirror of the same flow
        ("CCC", "AAA", "M", "170410", 40.0),  # only the importer declared AAA→CCC
        ("CCC", "AAA", "M", "170490", 2.0),
        ("CCC", "W00", "M", "170410", 999.0),  # World: an area, never a partner
    ]
    decl = pa.table(
        {
            "year": pa.array([2021] * len(rows), pa.int16()),
            "reporter": [r[0] for r in rows],
            "partner": [r[1] for r in rows],
            "flow": [r[2] for r in rows],
            "product": [r[3] for r in rows],
            "hs_rev": ["HS17"] * len(rows),
            "value_usd": [r[4] for r in rows],
            "source": ["comtrade"] * len(rows),
        }
    )
    for col in ("cif_usd", "fob_usd", "qty", "net_kg"):
        decl = decl.append_column(col, pa.nulls(len(rows), pa.float64()))
    decl = decl.append_column("qty_unit", pa.nulls(len(rows), pa.string()))
    lake.ingest_arrow(decl, kind="declarations", source="comtrade", name="d")
    panel = panel_from_flows(lake, level=4).set_index(["exporter", "importer"])["trade"]
    assert panel.to_dict() == {("AAA", "BBB"): 100.0, ("AAA", "CCC"): 42.0}
    mirror = panel_from_flows(lake, level=6, basis="importer")
    assert mirror.set_index(["exporter", "importer"])["trade"].to_dict() == {
        ("AAA", "BBB"): 110.0,
        ("AAA", "CCC"): 42.0,
    }


@pytest.mark.shared
def test_geodist_real_file(shared_data: Path) -> None:
    geo = read_geodist(shared_data / GEODIST).set_index(["exporter", "importer"])
    # CEPII GeoDist: Belarus–Kazakhstan population-weighted distance 3,095 km, capitals 2,945.
    assert round(geo.at[("BLR", "KAZ"), "distw"]) == 3095
    assert round(geo.at[("BLR", "KAZ"), "distcap"]) == 2945
    assert geo.at[("BLR", "RUS"), "cntg"] == 1.0
    assert ("ROU", "MDA") in geo.index and ("ROM", "MDA") not in geo.index
    panel = pd.DataFrame({"exporter": ["BLR"], "importer": ["KAZ"], "year": [2021], "trade": [1.0]})
    joined = join_geodist(panel, geo.reset_index(), distance="distcap")
    assert round(joined.at[0, "dist"]) == 2945


def test_geodist_errors(tmp_path: Path, world) -> None:
    path = tmp_path / "geo.csv"
    path.write_text("iso_o,iso_d,dist\nAAA,BBB,10\n")
    with pytest.raises(SchemaError, match="contig"):
        read_geodist(path)
    path.write_text("iso_o,iso_d,contig,comlang_off,colony,dist\nAAA,BBB,0,0,x,10\n")
    with pytest.raises(ValidationError, match="column 'colony'"):
        read_geodist(path)
    path.write_text("iso_o,iso_d,contig,comlang_off,colony,dist\nAAA,BBB,0,0,0,10\n")
    with pytest.raises(SchemaError, match="no 'distw' column"):
        join_geodist(world(), read_geodist(path))
    with pytest.raises(InputError, match="distance must be one of distw, dist, distcap, distwces"):
        join_geodist(world(), read_geodist(path), distance="miles")  # type: ignore[arg-type]


def test_user_covariates_default_to_zero_and_reach_the_estimate(
    tmp_path: Path, world, beta
) -> None:
    panel = world()
    members = panel.query("eaeu == 1")[["exporter", "importer"]].drop_duplicates()
    path = tmp_path / "eaeu.csv"
    members.assign(eaeu=1).to_csv(path, index=False)
    joined = join_covariates(panel.drop(columns="eaeu"), path)
    assert (joined["eaeu"] == panel["eaeu"]).all()
    fit = estimate(joined, terms=["ln_dist", "cntg", "eaeu"])
    assert fit.coefficient("eaeu").estimate == pytest.approx(beta["eaeu"], abs=1e-6)


def test_user_covariates_errors(tmp_path: Path, world) -> None:
    path = tmp_path / "cov.csv"
    path.write_text("exporter,importer,eaeu\nC00,C01,1\nc00,C01,1\n")
    with pytest.raises(ValidationError, match="duplicate key") as exc:
        join_covariates(world(), path)
    assert exc.value.line == 3
    path.write_text("exporter,importer\nC00,C01\n")
    with pytest.raises(SchemaError, match="no covariate columns"):
        join_covariates(world(), path)
    path.write_text("exporter,eaeu\nC00,1\n")
    with pytest.raises(SchemaError, match="importer"):
        join_covariates(world(), path)


def test_parse_years() -> None:
    assert parse_years("1986-2006/4") == (1986, 1990, 1994, 1998, 2002, 2006)
    assert parse_years("2021, 2019,2020") == (2019, 2020, 2021)
    assert parse_years(None) is None
    assert parse_years([2001, 2000, 2001]) == (2000, 2001)
    with pytest.raises(InputError, match="cannot read years 'last'"):
        parse_years("2020,last")
    with pytest.raises(InputError, match="no years"):
        parse_years(" , ")


@given(st.lists(st.integers(min_value=1900, max_value=2100), min_size=1, max_size=12))
def test_parse_years_roundtrip(years: list[int]) -> None:
    assert parse_years(",".join(map(str, years))) == tuple(sorted(set(years)))


@given(st.text(max_size=20))
def test_parse_years_garbage_is_an_input_error_or_years(text: str) -> None:
    try:
        out = parse_years(text)
    except InputError:
        return
    assert out is None or all(isinstance(y, int) for y in out)


def test_comtrade_areas_left_out_of_the_panel(three_countries_frame) -> None:  # type: ignore[no-untyped-def]
    import ibis

    frame = three_countries_frame()
    with_world = pd.concat([frame, frame.assign(importer="W00"), frame.assign(exporter="_X")])
    a = panel_from_flows(ibis.memtable(with_world), level=4)
    b = panel_from_flows(ibis.memtable(frame), level=4)
    pd.testing.assert_frame_equal(a, b)
