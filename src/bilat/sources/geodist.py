"""The one reader of CEPII GeoDist (``dist_cepii``): distances and links between countries.

GeoDist (Mayer & Zignago 2011) has one row per ordered pair of countries: ``iso_o``,
``iso_d``, the distances ``dist`` (between the main cities), ``distw`` (population
weighted), ``distcap`` (between capitals), ``distwces`` (CES weighted), all in kilometres,
and 0/1 indicators ``contig`` (common border), ``comlang_off`` (common official language)
and ``colony`` (colonial link).

:func:`read_geodist` reads it as CSV (plain or gzipped, the layout of the *cepiigeodist* R
package), as Stata ``.dta`` or Parquet, or as the ``.zip`` that
:func:`bilat.sources.fetch.fetch_geodist` stores when it holds one of those, and returns
the names the gravity literature uses (Yotov et al. 2016): ``exporter, importer, dist,
distw, distcap, distwces`` (km), ``cntg``, ``lang``, ``clny`` (0/1). The gravity panel
(:mod:`bilat.potential.panel`) and mirror reconciliation (:mod:`bilat.reconcile`) both read
GeoDist through it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from bilat.errors import InputError, ParseError, SchemaError
from bilat.options import DISTANCES, Distance, choice
from bilat.sources.problems import numeric_column

__all__ = [
    "DISTANCES",
    "GEODIST_ALIASES",
    "GEODIST_COLUMNS",
    "Distance",
    "distance_column",
    "read_geo_countries",
    "read_geodist",
]


#: Old codes in CEPII GeoDist (2011) → today's ISO3. ``YUG`` is mapped to Serbia, its main
#: successor; ``ANT`` (Netherlands Antilles) has no single successor and is left as it is.
GEODIST_ALIASES: dict[str, str] = {
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "PAL": "PSE",
    "YUG": "SRB",
}

#: Columns :func:`read_geodist` returns (``distw``, ``distcap``, ``distwces`` when the file
#: has them).
GEODIST_COLUMNS: tuple[str, ...] = ("exporter", "importer", *DISTANCES, "cntg", "lang", "clny")

_NEEDED = ("iso_o", "iso_d", "contig", "comlang_off", "colony", "dist")
_LINKS = (("contig", "cntg"), ("comlang_off", "lang"), ("colony", "clny"))
_NUMBER = "a number (or . for missing)"
_FORMATS = ".csv, .csv.gz, .dta, .parquet, or a .zip holding one of them"
_CSV = (".csv", ".csv.gz", ".tsv", ".tsv.gz")


def read_geodist(path: str | Path) -> pd.DataFrame:
    """Read a CEPII GeoDist file into ``exporter, importer, dist, distw, distcap, distwces,
    cntg, lang, clny`` (distances in km, the rest 0/1), one row per ordered pair.

    Old country codes are mapped to today's (:data:`GEODIST_ALIASES`); Stata's missing
    value ``.`` reads as missing; a pair listed twice keeps its first row.

    Raises
    ------
    InputError
        The file does not exist.
    ParseError
        The file does not read (unknown format, damaged zip, a zip with no table inside).
    SchemaError
        A column GeoDist always has is missing.
    ValidationError
        A distance or indicator that is not a number (file, line, column and value named).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"GeoDist file {str(p)!r} does not exist; give the path of CEPII's dist_cepii "
            f"({_FORMATS}), or download it with bilat.sources.fetch.fetch_geodist()",
            details={"path": str(p)},
        )
    raw = _read_raw(p)
    missing = [c for c in _NEEDED if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"GeoDist file lacks column(s) {', '.join(missing)}; "
            f"found {', '.join(map(str, raw.columns))}",
            path=p,
            line=1,
            column=missing[0],
            expected=", ".join(_NEEDED),
        )
    out = pd.DataFrame(
        {
            "exporter": _iso(raw["iso_o"]),
            "importer": _iso(raw["iso_d"]),
        }
    )
    for col in DISTANCES:
        if col in raw.columns:
            out[col] = numeric_column(raw, col, path=p, expected=_NUMBER)
    for src, dst in _LINKS:
        out[dst] = numeric_column(raw, src, path=p, expected=_NUMBER)
    return out.drop_duplicates(["exporter", "importer"]).reset_index(drop=True)


def distance_column(geodist: pd.DataFrame, distance: str) -> pd.Series:
    """The ``distance`` measure (km) of a table :func:`read_geodist` returned.

    Raises
    ------
    InputError
        ``distance`` is not one of :data:`DISTANCES`.
    SchemaError
        The file read had no such column (old GeoDist files lack ``distwces``).
    """
    distance = choice(Distance, distance, "distance")
    if distance not in geodist.columns:
        raise SchemaError(
            f"the GeoDist file has no {distance!r} column",
            column=distance,
            expected=", ".join(c for c in DISTANCES if c in geodist.columns),
        )
    column: pd.Series = geodist[distance]
    return column


def read_geo_countries(path: str | Path) -> pd.DataFrame:
    """Read CEPII's country file (``geo_cepii``) into ``country, landlocked`` (0/1).

    The companion of ``dist_cepii``: one row per country (``iso3``), with ``landlocked``
    among its columns; old codes are mapped as in :func:`read_geodist`; a country listed
    twice (CEPII lists a country once per main city) keeps its first row.

    Raises
    ------
    InputError
        The file does not exist.
    ParseError
        The file does not read.
    SchemaError
        No ``iso3`` or ``landlocked`` column.
    ValidationError
        A ``landlocked`` value that is not a number (file, line, column and value named).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"GeoDist country file {str(p)!r} does not exist; give the path of CEPII's "
            "geo_cepii (.csv, .csv.gz, .dta or .parquet)",
            details={"path": str(p)},
        )
    raw = _read_raw(p)
    missing = [c for c in ("iso3", "landlocked") if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"GeoDist country file lacks column(s) {', '.join(missing)}",
            path=p,
            line=1,
            column=missing[0],
            expected="iso3, landlocked",
        )
    out = pd.DataFrame(
        {
            "country": _iso(raw["iso3"]),
            "landlocked": numeric_column(raw, "landlocked", path=p, expected=_NUMBER),
        }
    )
    return out.drop_duplicates("country").reset_index(drop=True)


def _iso(codes: pd.Series) -> pd.Series:
    return codes.astype(str).str.strip().str.upper().replace(GEODIST_ALIASES)


def _read_raw(p: Path) -> pd.DataFrame:
    try:
        if zipfile.is_zipfile(p):
            return _read_zip(p)
        with p.open("rb") as fh:
            return _read_member(p.name, fh.read(), p)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, pd.errors.ParserError) as exc:
        raise ParseError(f"cannot read GeoDist file: {exc}", path=p) from None


def _read_zip(p: Path) -> pd.DataFrame:
    """The first table inside the zip, CSV before Stata before Parquet."""
    with zipfile.ZipFile(p) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        for suffixes in (_CSV, (".dta",), (".parquet", ".pq")):
            found = sorted(n for n in names if n.lower().endswith(suffixes))
            if found:
                return _read_member(found[0], zf.read(found[0]), p)
    raise ParseError(
        "no GeoDist table inside this zip",
        path=p,
        value=", ".join(names[:5]) or "(empty)",
        expected=_FORMATS,
        hint="CEPII's spreadsheet (.xls) is not read; save dist_cepii as CSV or Stata",
    )


def _read_member(name: str, data: bytes, p: Path) -> pd.DataFrame:
    low = name.lower()
    buf = io.BytesIO(data)
    if low.endswith(_CSV):
        sep = "\t" if ".tsv" in low else ","
        return pd.read_csv(
            buf,
            sep=sep,
            compression="gzip" if low.endswith(".gz") else None,
            na_values=["."],
            dtype={"iso_o": str, "iso_d": str, "iso3": str},
            encoding="utf-8-sig",
            low_memory=False,
        )
    if low.endswith(".dta"):
        return pd.read_stata(buf, convert_categoricals=False)
    if low.endswith((".parquet", ".pq")):
        return pd.read_parquet(buf)
    raise ParseError(
        "unknown GeoDist file format",
        path=p,
        value=Path(name).suffix or name,
        expected=_FORMATS,
        hint="CEPII's spreadsheet (.xls) is not read; save dist_cepii as CSV or Stata",
    )
