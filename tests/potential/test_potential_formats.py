"""Panel files in every format a gravity user meets: CSV, TSV, ``.dlm``, ``.txt`` (comma,
tab, semicolon or pipe), gzipped, Parquet and Stata ``.dta``; errors that name the file.

The real files are the book's own Stata dataset (Yotov et al. 2016, Chapter 1,
Application 1) and gegravity's sample data (shipped by gegravity as ``sample_data_set.dlm``).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pandas as pd
import pytest

from bilat.errors import InputError, ParseError
from bilat.potential import estimate, read_panel, run_gravity
from bilat.potential.panel import read_table

DTA = "gravity/agtpa-chapter1-application1.dta"
GEGRAVITY = "gravity/gegravity-sample-2006.csv"
TABLE1 = "trade ~ log(DIST) + CNTG + LANG + CLNY | exporter^year + importer^year"


@pytest.mark.shared
def test_the_books_stata_file_reproduces_table1(shared_data: Path) -> None:
    panel = read_panel(shared_data / DTA)
    assert len(panel) == 99_981 and panel["year"].dtype == "int64"
    fit = estimate(panel, formula=TABLE1, years=range(1986, 2007, 4), small_sample="stata")
    got = {c.term: (round(c.estimate, 3), round(c.std_error, 3)) for c in fit.coefficients}
    # Table 1, column PPML, as pinned in test_potential_gravity.py
    assert got == {
        "log(DIST)": (-0.841, 0.032),
        "CNTG": (0.437, 0.083),
        "LANG": (0.247, 0.077),
        "CLNY": (-0.222, 0.116),
    }
    assert fit.n_obs == 28_152 and fit.n_clusters == 2_346


@pytest.mark.shared
def test_gegravity_sample_as_the_dlm_it_ships_as(shared_data: Path, tmp_path: Path) -> None:
    import pyfixest as pf

    dlm = tmp_path / "sample_data_set.dlm"
    shutil.copy(shared_data / GEGRAVITY, dlm)
    table = read_table(dlm)
    raw = pd.read_csv(shared_data / GEGRAVITY)
    pd.testing.assert_frame_equal(table, raw)
    assert table.attrs["path"] == str(dlm)
    fml = (
        "trade ~ pta + contiguity + common_language + lndist + international | exporter + importer"
    )
    run = run_gravity(panel=dlm, formula=fml, vcov="hetero", domestic=True)
    direct = pf.fepois(fml, data=raw.copy(), vcov="hetero").tidy()
    for c in run.fit.coefficients:
        assert c.estimate == pytest.approx(direct.at[c.term, "Estimate"], rel=1e-9)
        assert c.std_error == pytest.approx(direct.at[c.term, "Std. Error"], rel=1e-9)
    assert run.fit.n_obs == 900 and run.fit.years == (2006,)


def _panel(world) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return world().rename(columns={"exporter": "Origin", "importer": "Destination"})


@pytest.mark.parametrize(
    ("name", "sep"),
    [
        ("panel.tsv.gz", "\t"),
        ("panel.txt", "|"),
        ("panel.csv", ";"),
        ("panel.dlm.gz", ","),
        ("panel.txt.gz", "\t"),
    ],
)
def test_text_files_have_their_delimiter_guessed(
    tmp_path: Path, world, name: str, sep: str
) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(world)
    path = tmp_path / name
    panel.to_csv(path, sep=sep, index=False)  # pandas gzips a .gz name
    if name.endswith(".gz"):
        with gzip.open(path) as handle:
            assert handle.read(6) == b"Origin"  # really gzipped
    read = read_table(path)
    pd.testing.assert_frame_equal(read, panel)
    columns = {"exporter": "Origin", "importer": "Destination"}
    fit = estimate(read_panel(path, columns=columns), terms=["ln_dist", "cntg", "eaeu"])
    direct = estimate(world(), terms=["ln_dist", "cntg", "eaeu"])
    assert [c.estimate for c in fit.coefficients] == pytest.approx(
        [c.estimate for c in direct.coefficients], rel=1e-9
    )


def test_parquet_and_gzipped_stata(tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    panel.to_parquet(tmp_path / "p.pq")
    pd.testing.assert_frame_equal(read_table(tmp_path / "p.pq"), panel)
    panel.to_stata(tmp_path / "p.dta", write_index=False)
    with open(tmp_path / "p.dta", "rb") as src, gzip.open(tmp_path / "p.dta.gz", "wb") as dst:
        dst.write(src.read())
    back = read_panel(tmp_path / "p.dta.gz")
    assert back[["exporter", "importer", "year"]].equals(panel[["exporter", "importer", "year"]])
    assert back["trade"].to_numpy() == pytest.approx(panel["trade"].to_numpy())


def test_unreadable_files_name_the_file_and_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "panel.csv"
    bad.write_text("exporter,importer,year,trade\nAAA,BBB,2020,10\nAAA,CCC,2020,5,7\n")
    with pytest.raises(ParseError) as info:
        read_table(bad, what="panel file")
    assert info.value.line == 3 and str(bad) in info.value.message
    assert "cannot read panel file: Expected 4 fields in line 3, saw 5" in info.value.message
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    with pytest.raises(ParseError, match=r"empty\.tsv, line 1: the file is empty"):
        read_table(empty)
    broken = tmp_path / "panel.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 not gzip at all")
    with pytest.raises(ParseError, match=r"panel\.csv\.gz: cannot read file"):
        read_table(broken)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("exporter,importer\nCÔTE,BBB\n".encode("latin-1"))
    with pytest.raises(ParseError, match=r"not UTF-8 text.*save the file as UTF-8"):
        read_table(latin)
    sheet = tmp_path / "panel.xlsx"
    sheet.write_bytes(b"PK")
    with pytest.raises(ParseError) as info:
        read_table(sheet)
    assert "unknown file format" in info.value.message and ".dta" in info.value.message
    with pytest.raises(InputError, match=r"does not exist; give the path of a \.csv, \.tsv"):
        read_table(tmp_path / "none.csv")
