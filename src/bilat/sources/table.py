"""Generic CSV of flows (national statistics) read through a column map.

``mapping`` names, for each canonical field, the file's column:
``{"year": "Year", "exporter": "From", "importer": "To", "product": "HS", "value": "USD"}``;
``quantity`` and ``quantity_unit`` are optional. Countries may be ISO3 codes, ISO numeric
codes or English names; products are HS codes of 2, 4 or 6 digits (a lost leading zero is
restored). Values are multiplied by ``value_scale`` (1000 for thousands of dollars).
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from bilat.codes.countries import to_iso3
from bilat.codes.hs import revision
from bilat.errors import InputError, ParseError, SchemaError, UnknownCodeError
from bilat.sources._convert import (
    MAX_QUANTITY,
    MAX_USD,
    YEARS,
    as_float,
    as_int,
    check_duplicates,
    check_file,
    lookup,
    normalise_products,
    number_expected,
    outside_years,
    read_whole,
    split_header,
)
from bilat.sources.base import ReaderOption, ReaderSpec, Reading, ReadLog, SourceFile
from bilat.sources.problems import Problems
from bilat.sources.schema import BASES, FLOW_SCHEMA, KEYS

__all__ = ["REQUIRED", "SPEC", "parse_mapping", "read_table"]

REQUIRED = ("year", "exporter", "importer", "product", "value")
OPTIONAL = ("quantity", "quantity_unit")
_KEYS = KEYS["flows"]


def parse_mapping(text: str) -> dict[str, str]:
    """Parse ``"exporter=From,importer=To,..."`` into a column map, validating the field names."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise InputError(
                f"column map entry {part!r} must be FIELD=COLUMN, e.g. exporter=Reporter",
                details={"value": part},
            )
        key, col = (s.strip() for s in part.split("=", 1))
        if key not in REQUIRED + OPTIONAL:
            raise InputError(
                f"column map field {key!r} is not one of {', '.join(REQUIRED + OPTIONAL)}",
                details={"value": key, "expected": list(REQUIRED + OPTIONAL)},
            )
        out[key] = col
    _check_mapping(out)
    return out


def _check_mapping(mapping: Mapping[str, str]) -> None:
    missing = [k for k in REQUIRED if k not in mapping]
    if missing:
        raise InputError(
            f"the column map must name a column for {', '.join(missing)}",
            details={"missing": missing},
        )


@dataclass(frozen=True, slots=True)
class _Layout:
    """How to read one mapped CSV: validated once, before any byte is read."""

    fields: dict[str, str]
    source: str
    basis: str
    hs_rev: str
    scale: float
    delimiter: str | None


def read_table(
    path: str | Path,
    *,
    mapping: Mapping[str, str],
    source: str,
    basis: str = "exporter",
    hs_rev: str = "HS",
    value_scale: float = 1.0,
    delimiter: str | None = None,
) -> SourceFile:
    """A mapped CSV of flows as a :class:`SourceFile` (source ``csv:<source>``).

    Parameters
    ----------
    mapping
        Canonical field → the file's column: ``year``, ``exporter``, ``importer``,
        ``product``, ``value``; optionally ``quantity`` and ``quantity_unit``
        (:func:`parse_mapping` reads the text form ``year=Year,exporter=From,...``).
    source
        A short name for the source (``belstat``); stored as ``csv:belstat``.
    basis
        Whose declaration the file holds: ``exporter`` or ``importer``.
    hs_rev
        HS revision of the products (``HS17``); ``HS`` when unknown.
    value_scale
        Multiply values by this to get US dollars (1000 for thousands).
    delimiter
        Field separator; guessed from the header (comma, tab, semicolon) when not given.
    """
    p = Path(path)
    check_file(p)
    layout = _layout(mapping, source, basis, hs_rev, value_scale, delimiter)
    display = str(p)

    def reader(strict: bool) -> Reading:
        log = ReadLog(display, strict)
        raw = read_whole(p)
        out = _convert(_parse(raw, p, layout), log, layout)
        if out.num_rows:
            yield from out.to_batches(max_chunksize=1 << 20)
        return log.result(hashlib.sha256(raw).hexdigest(), size=len(raw), hs_rev=layout.hs_rev)

    return SourceFile(
        kind="flows",
        source=layout.source,
        path=display,
        release=None,
        hs_rev=layout.hs_rev,
        reader=reader,
    )


def _layout(
    mapping: Mapping[str, str],
    source: str,
    basis: str,
    hs_rev: str,
    scale: float,
    delimiter: str | None,
) -> _Layout:
    if basis not in BASES:
        raise InputError(
            f"basis must be one of {', '.join(BASES)}, not {basis!r}",
            details={"option": "basis", "value": basis, "expected": list(BASES)},
        )
    if not (math.isfinite(scale) and scale > 0):
        raise InputError(
            f"value_scale must be a finite number above 0 (1000 for thousands), not {scale!r}",
            details={"option": "value_scale", "value": scale},
        )
    _check_mapping(mapping)
    name = source if source.startswith("csv:") else f"csv:{source}"
    return _Layout(dict(mapping), name, basis, revision(hs_rev), scale, delimiter)


def _parse(raw: bytes, p: Path, layout: _Layout) -> pa.Table:
    """The mapped columns of the file as strings, after checking the header names them."""
    if not raw.strip():
        raise ParseError("the file is empty", path=p, line=1)
    first, body = split_header(raw, p, expected="a CSV header naming the mapped columns")
    delim = layout.delimiter or ("\t" if first.count("\t") > first.count(",") else ",")
    if delim == "," and first.count(";") > first.count(","):
        delim = ";"
    names = [n.strip() for n in next(csv.reader([first], delimiter=delim))]
    absent = [f"{k}={c}" for k, c in layout.fields.items() if c not in names]
    if absent:
        raise SchemaError(
            f"the column map names columns the file does not have: {', '.join(absent)}",
            path=p,
            line=1,
            value=",".join(names)[:200],
            expected="the columns named in the column map",
        )
    try:
        return pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delim),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=list(dict.fromkeys(layout.fields.values())),
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ParseError(f"malformed CSV: {str(exc).splitlines()[0]}", path=p) from None


def _countries(col: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    table: dict[str, str] = {}
    for value in pc.unique(pc.utf8_trim_whitespace(col)).to_pylist():
        if value is None:
            continue
        try:
            table[value] = to_iso3(value)
        except UnknownCodeError:
            continue
    return lookup(col, table)


_COUNTRY = "a country (ISO3, ISO numeric or name)"


def _convert(t: pa.Table, log: ReadLog, layout: _Layout) -> pa.Table:
    """The file's good rows in the flow schema; no key twice, no exporter equal to importer."""
    n = t.num_rows
    lines = np.arange(2, 2 + n, dtype=np.int64)
    check = _Checker(t, layout.fields, lines, log.problems)
    year, bad = check(
        "year", as_int, extra=outside_years, expected=f"a year from {YEARS[0]} to {YEARS[1]}"
    )
    exporter, b = check("exporter", _countries, expected=_COUNTRY)
    bad |= b
    importer, b = check("importer", _countries, expected=_COUNTRY)
    bad |= b
    product, b = check("product", normalise_products, expected="an HS code of 2, 4 or 6 digits")
    bad |= b
    value, qty, b = _amounts(check, layout.scale)
    bad |= b
    out = pa.table(
        {
            "year": pc.cast(pc.fill_null(year, 0), pa.int16(), safe=False),
            "exporter": exporter,
            "importer": importer,
            "product": product,
            "hs_rev": pa.repeat(pa.scalar(layout.hs_rev), n),
            "value_usd": pc.multiply(value, float(layout.scale)),
            "quantity": qty,
            "quantity_unit": check.column("quantity_unit", pa.string()),
            "source": pa.repeat(pa.scalar(layout.source), n),
            "basis": pa.repeat(pa.scalar(layout.basis), n),
        }
    )
    keep = ~(bad | _self_flows(exporter, importer, bad, log))
    if not keep.all():
        out = out.filter(pa.array(keep))
    if not log.stop:  # a bad value is reported first
        check_duplicates(out, _KEYS, lines[keep], path=log.path, what="flow")
    return out.cast(FLOW_SCHEMA)


class _Checker:
    """Converts one mapped column and records its bad values under the file's column name."""

    def __init__(
        self,
        t: pa.Table,
        fields: Mapping[str, str],
        lines: np.ndarray[Any, Any],
        probs: Problems,
    ) -> None:
        self.fields, self.lines, self.probs = fields, lines, probs
        self.columns = {k: t.column(c) for k, c in fields.items()}
        self.rows = t.num_rows

    def __call__(
        self,
        field: str,
        convert: Callable[[pa.ChunkedArray], tuple[pa.Array, np.ndarray[Any, Any]]],
        *,
        expected: str,
        extra: Callable[[pa.Array], np.ndarray[Any, Any]] | None = None,
    ) -> tuple[pa.Array, np.ndarray[Any, Any]]:
        values, bad = convert(self.columns[field])
        if extra is not None:
            bad = bad | extra(values)
        self.probs.add_mask(
            bad,
            lines=self.lines,
            column=self.fields[field],
            values=self.columns[field],
            expected=expected,
        )
        return values, bad

    def column(self, field: str, kind: pa.DataType) -> pa.Array | pa.ChunkedArray:
        """The raw column, or nulls when the map does not name it."""
        return self.columns[field] if field in self.columns else pa.nulls(self.rows, kind)


def _amounts(check: _Checker, scale: float) -> tuple[pa.Array, pa.Array, np.ndarray[Any, Any]]:
    """Value (in units of ``scale`` USD) and the optional quantity, and their bad rows."""
    limit = MAX_USD / scale
    value, bad = check(
        "value",
        lambda c: as_float(c, nullable=False, limit=limit),
        expected=number_expected(limit, "USD" if scale == 1 else f"units of {scale:g} USD"),
    )
    if "quantity" not in check.columns:
        return value, pa.nulls(check.rows, pa.float64()), bad
    qty, b = check(
        "quantity",
        lambda c: as_float(c, nullable=True, limit=MAX_QUANTITY),
        expected=number_expected(MAX_QUANTITY, "the quantity unit", nullable=True),
    )
    return value, qty, bad | b


def _self_flows(
    exporter: pa.Array, importer: pa.Array, bad: np.ndarray[Any, Any], log: ReadLog
) -> np.ndarray[Any, Any]:
    """Good rows whose exporter is the importer: left out, and counted in the notes."""
    same: np.ndarray[Any, Any] = ~bad & np.asarray(
        pc.fill_null(pc.equal(exporter, importer), False).to_numpy(zero_copy_only=False), bool
    )
    if same.any():
        log.notes.append(
            f"{int(same.sum()):,} rows with the exporter equal to the importer left out "
            "(not bilateral trade)"
        )
    return same


SPEC = ReaderSpec(
    name="csv",
    kind="flows",
    description="national statistics: any CSV of bilateral flows, read through a column map",
    files="a CSV (or TSV, or ;-separated) file of bilateral flows",
    read=read_table,
    options=(
        ReaderOption(
            "mapping",
            "FIELD=COLUMN pairs: year, exporter, importer, product, value "
            "[, quantity, quantity_unit].",
            type=dict,
            required=True,
            parse=parse_mapping,
        ),
        ReaderOption("source", "A short name for the source, e.g. belstat.", required=True),
        ReaderOption("basis", "Whose declaration: exporter or importer.", default="exporter"),
        ReaderOption("hs_rev", "HS revision, e.g. HS17.", default="HS"),
        ReaderOption(
            "value_scale", "Multiply values by this (1000 for thousands).", type=float, default=1.0
        ),
        ReaderOption("delimiter", "Field separator (default: guessed)."),
    ),
)
