"""The fast path of the BACI reader: polars parses and checks a clean bare CSV in one pass.

A BACI year is ~11 million rows of six numbers. polars' streaming CSV engine parses them
on every core and evaluates all of the reader's checks as one expression per row (``bad``),
while a thread computes the SHA-256 of the same bytes. Each chunk of
:data:`CHUNK_ROWS` rows comes back with its ``bad`` flag, its packed key and its self-flow
flag; :mod:`bilat.sources.baci` turns a clean chunk into the flow batch the exact path would
have built from the same rows.

The checks here are never more lenient than the exact path's (``bilat.sources.baci``): a
chunk that holds any row they doubt (a bad or unparsable value, a field too many, a key not
above the one before) is not handed over, and the exact path reads the file on from that
chunk's first line, so what it refuses and how it says so is exactly today's. A row without
its last field reads here as a null quantity; the caller tells it by the file's comma count.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

__all__ = [
    "CHUNK_ROWS",
    "COUNTRIES",
    "HEADER",
    "HEADER_COLUMNS",
    "PRODUCTS",
    "Rules",
    "chunks",
    "listed",
    "plain_header",
    "tables",
]

#: Rows per chunk: one chunk becomes one Parquet row group (the lake's ``ROW_GROUP_ROWS``).
CHUNK_ROWS = 1 << 20
#: The only header the fast path takes; any other layout (extra columns, quotes, a BOM) is
#: read by the exact path, which knows them all.
HEADER = b"t,i,j,k,v,q"
HEADER_COLUMNS = tuple(HEADER.decode().split(","))
#: Country codes are below a thousand (the reader refuses a larger table), products below
#: a million (six digits).
COUNTRIES = 1000
PRODUCTS = 1_000_000
#: ``q`` values that mean "no quantity", as the exact path's typed pass reads them.
_NULLS = ["", "NA", "N/A"]
# A row that lacks its last field reads as a null quantity here, where the exact path
# refuses it as malformed: the caller counts the file's commas (five a line) to tell.
_SCHEMA = {
    "t": pl.Int32,
    "i": pl.Int32,
    "j": pl.Int32,
    "k": pl.Int32,  # a product above 2**31 fails to parse: the exact path names it
    "v": pl.Float64,
    "q": pl.Float64,
}


@dataclass(frozen=True, slots=True)
class Rules:
    """What a good row is, as the exact path checks it (see ``bilat.sources.baci``).

    Attributes
    ----------
    year
        The year every row must carry (from the file name), or ``None``.
    years
        The inclusive range a year must lie in when ``year`` is ``None``.
    countries
        The BACI country codes the release's table maps.
    products
        The products of the release's list as integers, or ``None``: then ``chapters``.
    chapters
        The HS chapters (``1`` to ``97`` without ``77``) when there is no list.
    max_value, max_quantity
        The largest value (thousands of USD) and quantity (tons) of one row.
    """

    year: int | None
    years: tuple[int, int]
    countries: Sequence[int]
    products: Sequence[int] | None
    chapters: Sequence[int]
    max_value: float
    max_quantity: float


def plain_header(path: Path) -> bool:
    """True when the file's first line is exactly ``t,i,j,k,v,q`` (LF or CRLF)."""
    with path.open("rb") as fh:
        first = fh.readline(len(HEADER) + 3)
    return first.rstrip(b"\r\n") == HEADER and first.endswith(b"\n")


def _bad(rules: Rules) -> pl.Expr:
    """True for a row the exact path could refuse (null counts as refused).

    Whether a country or a product is in the release's tables is looked up afterwards, in
    :func:`listed` (a table lookup, cheaper than a set per row); here only their ranges.
    """
    c = pl.col
    t, k, v = c("t"), c("k"), c("v")
    year_ok = t.is_between(*rules.years) if rules.year is None else t == rules.year
    q = c("q")
    q_ok = q.is_null() | (q.is_finite() & (q >= 0) & (q <= rules.max_quantity))
    ok = (
        year_ok
        & c("i").is_between(0, COUNTRIES - 1)
        & c("j").is_between(0, COUNTRIES - 1)
        & (k > 0)
        & (k < PRODUCTS)
        & v.is_finite()
        & (v >= 0)
        & (v <= rules.max_value)
        & q_ok
    )
    return ~ok.fill_null(False)


def tables(rules: Rules) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Flags by country code (``COUNTRIES``) and by product (``PRODUCTS``): listed or not."""
    countries = np.zeros(COUNTRIES, dtype=bool)
    countries[np.asarray(rules.countries, dtype=np.int64)] = True
    products = np.zeros(PRODUCTS, dtype=bool)
    if rules.products is not None:
        products[np.asarray(rules.products, dtype=np.int64)] = True
    else:
        chapter = np.arange(PRODUCTS) // 10_000
        products = np.isin(chapter, np.asarray(rules.chapters)) & (np.arange(PRODUCTS) > 0)
    return countries, products


def listed(df: pl.DataFrame, flags: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]) -> bool:
    """Whether every exporter, importer and product of a chunk is in the release's tables.

    Call it only on a chunk with no ``bad`` row: its codes are then in range and not null.
    """
    countries, products = flags
    return bool(
        countries[df["i"].to_numpy()].all()
        and countries[df["j"].to_numpy()].all()
        and products[df["k"].to_numpy()].all()
    )


def chunks(
    path: Path, rules: Rules, *, rows: int | None = None
) -> Generator[pl.DataFrame, None, None]:
    """The file in chunks of :data:`CHUNK_ROWS` rows, with ``bad``, ``key`` and ``self`` flags.

    Columns: ``t``, ``i``, ``j``, ``k`` (Int32), ``v``, ``q`` (Float64), ``bad`` (the
    row may be refused), ``self`` (exporter equals importer) and ``key`` (``t, i, j, k``
    packed as the exact path's duplicate check packs them). A value polars cannot parse
    raises :class:`polars.exceptions.PolarsError`; the caller falls back. ``rows``: only
    the first so many rows.
    """
    c = pl.col
    key = (
        c("t").cast(pl.Int64) * 10**12
        + c("i").cast(pl.Int64) * 10**9
        + c("j").cast(pl.Int64) * 10**6
        + c("k").cast(pl.Int64)
    )
    lf = pl.scan_csv(
        path,
        schema=_SCHEMA,
        null_values=_NULLS,  # as the exact path's typed pass
        raise_if_empty=False,
        n_rows=rows,
    ).select(
        "t",
        "i",
        "j",
        "k",
        "v",
        "q",
        _bad(rules).alias("bad"),
        (c("i") == c("j")).fill_null(False).alias("self"),
        key.alias("key"),
    )
    yield from lf.collect_batches(chunk_size=CHUNK_ROWS)
