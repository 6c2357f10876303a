"""BACI-format files and the sample lake: layout, round trip through the real lake."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from bilat.codes.countries import baci_table
from bilat.errors import InputError
from bilat.lake import Lake
from bilat.sample import (
    SYNTHETIC_BANNER,
    SampleSpec,
    baci_file_name,
    build_sample_lake,
    generate_table,
    write_baci_csv,
)

#: One year, all countries, 20 products: ~70,000 flows.
YEAR = SampleSpec(seed=11, years=(2021,), products=20, density=0.07, total_value_usd=3e11)
LINE = re.compile(r"^2021,[1-9]\d{0,2},[1-9]\d{0,2},[1-9]\d{4,5},\d+\.\d{3},(\d+\.\d{3}|NA)$")


@pytest.fixture(scope="module")
def baci_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_baci_csv(YEAR, tmp_path_factory.mktemp("baci"))


@pytest.fixture(scope="module")
def year_table() -> pa.Table:
    return generate_table(YEAR)


def test_file_is_named_and_laid_out_like_baci(baci_file: Path) -> None:
    assert baci_file.name == "BACI_HS22_Y2021_V000000_synthetic-seed11.csv"
    assert baci_file.name == baci_file_name(YEAR, 2021)
    lines = baci_file.read_text("ascii").splitlines()
    assert lines[0] == "t,i,j,k,v,q"
    bad = [line for line in lines[1:] if not LINE.match(line)]
    assert bad == []
    assert any(line.endswith(",NA") for line in lines[1:])


def test_rows_match_the_generated_flows(baci_file: Path, year_table: pa.Table) -> None:
    raw = pacsv.read_csv(
        baci_file,
        convert_options=pacsv.ConvertOptions(
            column_types={"k": pa.int64(), "v": pa.string(), "q": pa.string()}
        ),
    )
    assert raw.num_rows == year_table.num_rows
    lut = baci_table()
    iso = [lut[i] for i in raw.column("i").to_pylist()]
    assert iso == year_table.column("exporter").to_pylist()
    assert [lut[j] for j in raw.column("j").to_pylist()] == year_table.column(
        "importer"
    ).to_pylist()
    # k is the HS6 code as an integer: no leading zero, zero-padded back it is the product.
    k = raw.column("k").to_pylist()
    assert [str(x).zfill(6) for x in k] == year_table.column("product").to_pylist()
    assert any(x < 100_000 for x in k)
    # v is thousands of US dollars, exactly: "1234.567" is $1,234,567.
    dollars = [int(v.replace(".", "")) for v in raw.column("v").to_pylist()]
    assert dollars == [int(v) for v in year_table.column("value_usd").to_pylist()]
    tons = [None if q == "NA" else float(q) for q in raw.column("q").to_pylist()]
    assert tons == year_table.column("quantity").to_pylist()


def test_baci_codes_where_baci_differs_from_iso(baci_file: Path) -> None:
    raw = pacsv.read_csv(baci_file)
    exporters = set(raw.column("i").to_pylist())
    assert {251, 842} <= exporters  # France (with Monaco), USA (with Puerto Rico ...)
    assert not {250, 840} & exporters
    assert 112 in exporters and 398 in exporters  # BLR, KAZ: ISO numeric


def test_rows_are_sorted_like_baci(baci_file: Path) -> None:
    raw = pacsv.read_csv(baci_file)
    keys = np.column_stack([raw.column(c).to_numpy() for c in ("i", "j", "k")])
    order = np.lexsort(keys.T[::-1])
    assert np.array_equal(order, np.arange(len(order)))


def test_same_spec_same_bytes(baci_file: Path, tmp_path: Path) -> None:
    again = write_baci_csv(YEAR, tmp_path / "again.csv")
    digest = hashlib.sha256(again.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(baci_file.read_bytes()).hexdigest()
    other = write_baci_csv(YEAR.with_(seed=12, products=2), tmp_path / "other.csv")
    assert hashlib.sha256(other.read_bytes()).hexdigest() != digest


def test_a_multi_year_spec_needs_a_year(tmp_path: Path) -> None:
    spec = YEAR.with_(years=(2020, 2021))
    with pytest.raises(InputError, match="pass year="):
        write_baci_csv(spec, tmp_path)
    with pytest.raises(InputError, match="2020-2021"):
        write_baci_csv(spec, tmp_path, year=2019)
    assert not list(tmp_path.iterdir())


def test_the_lake_reads_the_file_back_as_the_generated_flows(
    baci_file: Path, year_table: pa.Table, tmp_path: Path
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    (report,) = lake.ingest_baci(baci_file)
    assert report.rows == year_table.num_rows
    assert report.rejected == 0
    cols = ["exporter", "importer", "product", "value_usd", "quantity", "hs_rev"]
    got = lake.flows().to_pyarrow().select(cols).sort_by([(c, "ascending") for c in cols[:3]])
    want = year_table.select(cols).sort_by([(c, "ascending") for c in cols[:3]])
    for name in ("exporter", "importer", "product", "hs_rev"):
        assert got.column(name).equals(want.column(name)), name
    assert np.allclose(got.column("value_usd").to_numpy(), want.column("value_usd").to_numpy())
    got_q = got.column("quantity").to_numpy(zero_copy_only=False)
    want_q = want.column("quantity").to_numpy(zero_copy_only=False)
    assert np.allclose(got_q, want_q, equal_nan=True)


def test_build_sample_lake_marks_everything_synthetic(tmp_path: Path) -> None:
    spec = SampleSpec(
        seed=5, years=(2020, 2021), countries=("BLR", "KAZ", "POL", "CHN", "DEU"), products=120
    )
    lake = Lake.open(tmp_path / "lake", create=True)
    built = build_sample_lake(lake, spec)
    assert built.banner == SYNTHETIC_BANNER
    assert built.rows == generate_table(spec).num_rows > 0
    assert [r.years for r in built.reports] == [(2020,), (2021,)]
    assert lake.is_synthetic
    entries = lake.manifest()
    assert len(entries) == 2
    assert all(e.synthetic and e.source == "synthetic" and e.hs_rev == "HS22" for e in entries)
    flows = lake.flows().to_pyarrow()
    assert flows.num_rows == built.rows
    blr_kaz = pc.and_(
        pc.equal(flows.column("exporter"), "BLR"), pc.equal(flows.column("importer"), "KAZ")
    )
    assert pc.sum(pc.cast(blr_kaz, pa.int64())).as_py() > 0
    again = build_sample_lake(lake, spec)
    assert {r.status for r in again.reports} == {"unchanged"}
    assert len(lake.manifest()) == 2


def test_banner_says_synthetic() -> None:
    assert SYNTHETIC_BANNER.startswith("Synthetic sample data")
    assert "not real" in SYNTHETIC_BANNER
