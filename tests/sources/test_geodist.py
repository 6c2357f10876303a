"""The one GeoDist reader: CSV, gzipped CSV, Stata, and zips holding them."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from bilat.errors import InputError, ParseError, SchemaError, ValidationError
from bilat.sources.geodist import GEODIST_COLUMNS, read_geodist

HEADER = "iso_o,iso_d,contig,comlang_off,colony,dist,distcap,distw,distwces\n"
ROWS = "BLR,KAZ,0,1,0,3206.6,2945.3,3095.1,3060.0\nROM,MDA,1,1,0,.,350.5,420.0,410.0\n"


def _frame() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(HEADER + ROWS), na_values=["."])


def _zip(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", b"CEPII GeoDist")
        zf.writestr(name, data)
    return path


def _stata(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_stata(buf, write_index=False)
    return buf.getvalue()


@pytest.mark.parametrize("form", ["csv", "csv.gz", "dta", "zip-csv", "zip-dta", "zip-csv.gz"])
def test_every_form_reads_the_same(tmp_path: Path, form: str) -> None:
    text = (HEADER + ROWS).encode()
    path = tmp_path / f"dist_cepii.{form.removeprefix('zip-')}"
    if form == "csv":
        path.write_bytes(text)
    elif form == "csv.gz":
        path.write_bytes(gzip.compress(text))
    elif form == "dta":
        path.write_bytes(_stata(_frame()))
    else:
        inner = {"csv": text, "dta": _stata(_frame()), "csv.gz": gzip.compress(text)}
        member = form.removeprefix("zip-")
        path = _zip(tmp_path / "dist_cepii.zip", f"dist_cepii.{member}", inner[member])
    geo = read_geodist(path).set_index(["exporter", "importer"])
    assert tuple(geo.reset_index().columns) == GEODIST_COLUMNS
    assert geo.at[("BLR", "KAZ"), "distw"] == pytest.approx(3095.1)
    assert geo.at[("BLR", "KAZ"), "lang"] == 1.0
    # old codes become today's; Stata's "." is missing
    assert ("ROU", "MDA") in geo.index
    assert pd.isna(geo.at[("ROU", "MDA"), "dist"])
    assert geo.at[("ROU", "MDA"), "cntg"] == 1.0


@pytest.mark.shared
def test_the_real_file(shared_data: Path) -> None:
    geo = read_geodist(shared_data / "geo" / "dist_cepii.csv.gz")
    assert len(geo) == 50_176
    t = geo.set_index(["exporter", "importer"])
    # ../shared/data/README.md: population weighted 3,095 km, capitals 2,945 km
    assert round(t.at[("BLR", "KAZ"), "distw"]) == 3095
    assert round(t.at[("BLR", "KAZ"), "distcap"]) == 2945
    assert t.at[("BLR", "POL"), "cntg"] == 1.0
    assert t.at[("BLR", "KAZ"), "cntg"] == 0.0


def test_errors_name_the_file_and_the_way_out(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"does not exist; give the path of CEPII's dist_cepii"):
        read_geodist(tmp_path / "none.csv")
    path = tmp_path / "geo.csv"
    path.write_text("iso_o,iso_d,dist\nAAA,BBB,10\n")
    with pytest.raises(SchemaError, match=r"lacks column.*contig") as info:
        read_geodist(path)
    assert info.value.details["path"] == str(path)
    path.write_text("iso_o,iso_d,contig,comlang_off,colony,dist\nAAA,BBB,0,0,x,10\n")
    with pytest.raises(ValidationError, match="column 'colony'"):
        read_geodist(path)
    xls = _zip(tmp_path / "cepii.zip", "dist_cepii.xls", b"\xd0\xcf\x11\xe0")
    with pytest.raises(ParseError, match="no GeoDist table inside this zip") as info:
        read_geodist(xls)
    assert "dist_cepii.xls" in info.value.message
    odd = tmp_path / "dist.json"
    odd.write_text("{}")
    with pytest.raises(ParseError, match="unknown GeoDist file format"):
        read_geodist(odd)
