from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.errors import BilatError, ParseError, SchemaError, ValidationError
from bilat.lake import Lake

GOOD = (
    "t,i,j,k,v,q\n2021,112,398,10121,1.5,0.2\n2021,112,398,170410,2.5,NA\n2021,398,112,850440,3,\n"
)


def write(tmp_path: Path, text: str, name: str = "BACI_HS17_Y2021_V202401.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def flows(lake: Lake) -> pa.Table:
    return lake.flows().order_by(["exporter", "product"]).to_pyarrow()


def test_bare_csv_values_in_dollars_products_padded(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_baci(write(tmp_path, GOOD))
    assert (report.status, report.rows, report.years) == ("ingested", 3, (2021,))
    t = flows(lake).to_pylist()
    assert [r["product"] for r in t] == ["010121", "170410", "850440"]
    assert [r["value_usd"] for r in t] == [1500.0, 2500.0, 3000.0]
    assert [r["quantity"] for r in t] == [0.2, None, None]
    assert [r["quantity_unit"] for r in t] == ["t", None, None]
    assert {r["exporter"] for r in t} == {"BLR", "KAZ"}
    assert {(r["source"], r["basis"], r["hs_rev"]) for r in t} == {("baci", "reconciled", "HS17")}
    entry = lake.entry(report.entry_id)
    assert entry.release == "V202401" and entry.sha256 and entry.rows == 3


def _zip(tmp_path: Path, years: dict[int, str], *, products: str | None = None) -> Path:
    p = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(p, "w") as zf:
        for year, body in years.items():
            zf.writestr(f"BACI_HS17_Y{year}_V202401.csv", body)
        zf.writestr(
            "country_codes_V202401.csv",
            "country_code,country_name,country_iso2,country_iso3\n"
            "112,Belarus,BY,BLR\n398,Kazakhstan,KZ,KAZ\n251,France,FR,FRA\n",
        )
        zf.writestr(
            "product_codes_HS17_V202401.csv",
            products or 'code,description\n"010121","Horses"\n170410,"Gum"\n850440,"Converters"\n',
        )
    return p


def test_release_zip_one_entry_per_year(tmp_path: Path) -> None:
    body20 = "t,i,j,k,v,q\n2020,112,398,10121,1,1\n2020,251,398,10121,2,1\n"
    lake = Lake.open(tmp_path / "lake", create=True)
    reports = lake.ingest_baci(_zip(tmp_path, {2020: body20, 2021: GOOD}))
    assert [r.years for r in reports] == [(2020,), (2021,)]
    assert "::BACI_HS17_Y2020" in reports[0].path
    assert lake.flows().count().execute() == 5
    fra = lake.flows().filter(lambda t: t.exporter == "FRA").count().execute()
    assert fra == 1


def test_product_missing_from_release_table_is_refused(tmp_path: Path) -> None:
    body = "t,i,j,k,v,q\n2021,112,398,10121,1,1\n2021,112,398,999999,1,1\n"
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(ValidationError) as err:
        lake.ingest_baci(_zip(tmp_path, {2021: body}))
    assert (err.value.line, err.value.column, err.value.value) == (3, "k", "999999")
    assert lake.manifest() == []


BAD = [
    ("unknown exporter", "t,i,j,k,v,q\n2021,112,398,10121,1,1\n2021,999,398,10121,1,1\n", 3, "i"),
    ("negative value", "t,i,j,k,v,q\n2021,112,398,10121,-1,1\n", 2, "v"),
    ("text value", "t,i,j,k,v,q\n2021,112,398,10121,1,1\n2021,112,398,20121,abc,1\n", 3, "v"),
    ("empty value", "t,i,j,k,v,q\n2021,112,398,10121,,1\n", 2, "v"),
    ("bad year", "t,i,j,k,v,q\n21x,112,398,10121,1,1\n", 2, "t"),
    ("bad product", "t,i,j,k,v,q\n2021,112,398,0,1,1\n", 2, "k"),
    ("negative quantity", "t,i,j,k,v,q\n2021,112,398,10121,1,-4\n", 2, "q"),
]


@pytest.mark.parametrize(("case", "text", "line", "column"), BAD, ids=[b[0] for b in BAD])
def test_bad_values_name_line_and_column(
    tmp_path: Path, case: str, text: str, line: int, column: str
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(write(tmp_path, GOOD.replace("2021", "2020"), "BACI_HS17_Y2020_V202401.csv"))
    before = lake.flows().count().execute()
    with pytest.raises(ValidationError) as err:
        lake.ingest_baci(write(tmp_path, text))
    assert (err.value.line, err.value.column) == (line, column), case
    assert "Nothing from this file was written" in err.value.message
    assert str(tmp_path) in err.value.message
    assert lake.flows().count().execute() == before


@pytest.mark.parametrize(
    ("case", "text", "error"),
    [
        ("empty", "", ParseError),
        ("header only", "t,i,j,k,v,q\n", ValidationError),
        ("wrong header", "year,exp,imp,hs,val\n2021,112,398,10121,1\n", SchemaError),
        ("too many fields", "t,i,j,k,v,q\n2021,112,398,10121,1,1,7\n", ParseError),
        (
            "duplicate key",
            "t,i,j,k,v,q\n2021,112,398,10121,1,1\n2021,112,398,10121,2,1\n",
            ValidationError,
        ),
    ],
)
def test_bad_files(tmp_path: Path, case: str, text: str, error: type[BilatError]) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(error) as err:
        lake.ingest_baci(write(tmp_path, text))
    assert "BACI_HS17_Y2021_V202401.csv" in err.value.message, case
    assert lake.manifest() == [] and lake.flows().count().execute() == 0
    assert not any((tmp_path / "lake" / "data").glob("*/*")), "no data left behind"


def test_truncated_gzip(tmp_path: Path) -> None:
    raw = gzip.compress((GOOD * 2000).encode())
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv.gz"
    p.write_bytes(raw[: len(raw) // 2])
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(ParseError, match="ends early or is damaged"):
        lake.ingest_baci(p)
    assert lake.manifest() == []


def test_truncated_zip(tmp_path: Path) -> None:
    full = _zip(tmp_path, {2021: GOOD}).read_bytes()
    p = tmp_path / "cut.zip"
    p.write_bytes(full[: len(full) // 2])
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(ParseError, match="zip"):
        lake.ingest_baci(p)


def test_skip_bad_rows_keeps_good_and_lists_bad(tmp_path: Path) -> None:
    text = GOOD + "2021,999,112,850440,3,\n2021,112,398,20121,abc,1\n"
    lake = Lake.open(tmp_path / "lake", create=True)
    [report] = lake.ingest_baci(write(tmp_path, text), skip_bad_rows=True)
    assert (report.rows, report.rejected) == (3, 2)
    rejects = Path(report.rejects_path or "").read_text().splitlines()
    assert rejects[0] == "file,line,column,value,expected"
    assert [r.split(",")[1:4] for r in rejects[1:]] == [["5", "i", "999"], ["6", "v", "abc"]]


# Bilateral flows (exporter != importer) of the HS's own chapters (01-97 without 77), in a
# file whose name states no year, so rows of several years may share it.
rows = st.lists(
    st.tuples(
        st.integers(1995, 2025),
        st.sampled_from([112, 398, 251, 643, 156]),
        st.sampled_from([112, 398, 251, 643, 156]),
        st.integers(10000, 979999).filter(lambda k: k // 10000 != 77),
        st.floats(0, 1e9, allow_nan=False).map(lambda v: round(v, 3)),
        st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 3))),
    ).filter(lambda r: r[1] != r[2]),
    min_size=1,
    max_size=30,
    unique_by=lambda r: (r[0], r[1], r[2], r[3]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows)
def test_roundtrip(tmp_path_factory: pytest.TempPathFactory, data: list[tuple]) -> None:  # type: ignore[type-arg]
    tmp = tmp_path_factory.mktemp("rt")
    body = io.StringIO()
    body.write("t,i,j,k,v,q\n")
    for t, i, j, k, v, q in data:
        body.write(f"{t},{i},{j},{k},{v},{'NA' if q is None else q}\n")
    lake = Lake.open(tmp / "lake", create=True)
    lake.ingest_baci(write(tmp, body.getvalue(), "baci-hs17-several-years.csv"))
    got = sorted(
        (r["year"], r["product"], round(r["value_usd"] / 1000, 3), r["quantity"])
        for r in lake.flows().to_pyarrow().to_pylist()
    )
    want = sorted((t, f"{k:06d}", v, q) for t, _, _, k, v, q in data)
    assert got == want


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_garbage_gives_a_bilat_error(tmp_path_factory: pytest.TempPathFactory, junk: bytes) -> None:
    tmp = tmp_path_factory.mktemp("junk")
    p = tmp / "BACI_HS17_Y2021_V202401.csv"
    p.write_bytes(b"t,i,j,k,v,q\n2021,112,398,10121,1,1\n" + junk)
    lake = Lake.open(tmp / "lake", create=True)
    try:
        lake.ingest_baci(p)
    except BilatError as exc:
        assert exc.message
        assert lake.manifest() == []
    else:
        assert lake.flows().count().execute() >= 1
