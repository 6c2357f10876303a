from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.errors import BilatError, ParseError, SchemaError, ValidationError
from bilat.lake import Lake

HEADER = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue,cifvalue,fobvalue,qty,netWgt"


@pytest.mark.shared
def test_eu27_forestry_all_rows_and_yearly_sums(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz"
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_comtrade(path)
    assert report.rows == 173_358 and report.rejected == 0
    d = lake.declarations()
    got = d.group_by("year").aggregate(v=d.value_usd.sum()).to_pandas().set_index("year")["v"]
    raw = pd.read_csv(path, keep_default_na=False, dtype={"cmdCode": str})
    want = raw.groupby("refYear")["primaryValue"].sum()
    assert sorted(got.index) == sorted(want.index) == [2018, 2019, 2020, 2021, 2022]
    for year, value in want.items():
        assert got[year] == pytest.approx(value, rel=1e-12)
    # levels are kept apart: the product code length is the level, as in the file
    lengths = d.group_by(d["product"].length().name("n")).aggregate(c=d.count()).to_pandas()
    assert (
        dict(zip(lengths.n, lengths.c, strict=True))
        == raw.cmdCode.str.len().value_counts().to_dict()
    )
    assert set(d.flow.to_pyarrow().unique().to_pylist()) == {"M"}
    partners = set(d.partner.to_pyarrow().unique().to_pylist())
    assert {"BLR", "KAZ", "_X", "W00"} - partners <= {"W00"}


@pytest.mark.shared
def test_thai_crustaceans_keep_cif_fob_qty_weight(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz"
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_comtrade(path)
    raw = pd.read_csv(path, dtype={"cmdCode": str})
    assert report.rows == len(raw) == 1586
    t = lake.declarations().to_pandas()
    for ours, theirs in [
        ("cif_usd", "cifvalue"),
        ("fob_usd", "fobvalue"),
        ("qty", "qty"),
        ("net_kg", "netWgt"),
        ("value_usd", "primaryValue"),
    ]:
        assert t[ours].sum() == pytest.approx(raw[theirs].sum(), rel=1e-12), ours
        assert t[ours].notna().sum() == raw[theirs].notna().sum(), ours
    assert set(t.hs_rev) == {"HS07"} and set(t.qty_unit.dropna()) == set(raw.qtyUnitAbbr) - {"N/A"}


@pytest.mark.shared
def test_api_json_response(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "comtrade" / "api-response-chn-imports-2010.json"
    doc = json.loads(path.read_text())
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_comtrade(path)
    assert report.rows == doc["count"] == len(doc["data"])
    t = lake.declarations().to_pandas()
    assert set(t["product"]) == {"TOTAL"} and set(t.reporter) == {"CHN"}
    assert t.cif_usd.sum() == pytest.approx(sum(r["cifvalue"] or 0 for r in doc["data"]))


def _write(tmp_path: Path, body: str, name: str = "c.csv") -> Path:
    p = tmp_path / name
    p.write_text(body)
    return p


def test_tsv_and_flow_descriptions(tmp_path: Path) -> None:
    body = "refYear\treporterISO\tpartnerISO\tflowDesc\tcmdCode\tprimaryValue\n"
    body += "2021\tBLR\tKAZ\tExport\t1704\t10\n2021\tKAZ\tBLR\tImport\t1704\t12\n"
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_comtrade(_write(tmp_path, body, "c.tsv"))
    t = lake.declarations().order_by("reporter").to_pandas()
    assert list(t.flow) == ["X", "M"] and list(t["product"]) == ["1704", "1704"]


def test_breakdowns_and_other_flows_are_left_out_and_said(tmp_path: Path) -> None:
    body = "refYear,reporterISO,partnerISO,partner2ISO,motCode,flowCode,cmdCode,primaryValue\n"
    body += "2021,BLR,KAZ,W00,0,X,1704,10\n2021,BLR,KAZ,RUS,0,X,1704,4\n"
    body += "2021,BLR,KAZ,W00,3,X,1704,6\n2021,BLR,KAZ,W00,0,DX,1704,9\n"
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_comtrade(_write(tmp_path, body))
    assert report.rows == 1
    assert any("second partner" in n for n in report.notes)
    assert any("mode of transport" in n for n in report.notes)
    assert any("DX" in n for n in report.notes)


@pytest.mark.parametrize(
    ("body", "error", "line", "column"),
    [
        (HEADER + "\n2021,BLR,XXQ,X,1704,1,,,,\n", ValidationError, 2, "partnerISO"),
        (HEADER + "\n2021,BLR,KAZ,X,1704,-5,,,,\n", ValidationError, 2, "primaryValue"),
        (HEADER + "\n2021,BLR,KAZ,X,17a4,5,,,,\n", ValidationError, 2, "cmdCode"),
        (HEADER + "\n2021,BLR,KAZ,X,1704,5,x,,,\n", ValidationError, 2, "cifvalue"),
        ("refYear,reporterISO\n2021,BLR\n", SchemaError, 1, None),
        ("", ParseError, 1, None),
    ],
)
def test_bad_input(
    tmp_path: Path, body: str, error: type[BilatError], line: int, column: str | None
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(error) as err:
        lake.ingest_comtrade(_write(tmp_path, body))
    assert isinstance(err.value, ParseError)
    assert (err.value.line, err.value.column) == (line, column)
    assert lake.manifest() == []


def test_json_errors(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(ParseError, match="invalid JSON"):
        lake.ingest_comtrade(_write(tmp_path, '{"data": [', "r.json"))
    with pytest.raises(SchemaError, match="data"):
        lake.ingest_comtrade(_write(tmp_path, '{"rows": []}', "r.json"))


decl = st.lists(
    st.tuples(
        st.integers(2000, 2025),
        st.sampled_from(["BLR", "KAZ", "DEU", "CHN"]),
        st.sampled_from(["BLR", "KAZ", "W00", "_X"]),
        st.sampled_from(["X", "M", "RX", "RM"]),
        st.sampled_from(["TOTAL", "17", "1704", "170410", "0401"]),
        st.floats(0, 1e12, allow_nan=False),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda r: r[:5],
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(decl)
def test_roundtrip(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    tmp = tmp_path_factory.mktemp("ct")
    body = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n" + "".join(
        f"{y},{r},{p},{f},{k},{v!r}\n" for y, r, p, f, k, v in rows
    )
    lake = Lake.open(tmp / "lake", create=True)
    lake.ingest_comtrade(_write(tmp, body))
    got = sorted(
        tuple(x.values())
        for x in lake.declarations()
        .select("year", "reporter", "partner", "flow", "product", "value_usd")
        .to_pyarrow()
        .to_pylist()
    )
    assert got == sorted(rows)
