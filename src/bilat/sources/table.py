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
from collections.abc import Iterator, Mapping
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
    Problems,
    as_float,
    as_int,
    check_duplicates,
    check_file,
    lookup,
    normalise_products,
    number_expected,
    outside_years,
    split_header,
)
from bilat.sources.base import SourceFile
from bilat.sources.comtrade import _read_bytes
from bilat.sources.schema import BASES, FLOW_SCHEMA

__all__ = ["REQUIRED", "parse_mapping", "read_table"]

REQUIRED = ("year", "exporter", "importer", "product", "value")
OPTIONAL = ("quantity", "quantity_unit")
_KEYS = ("year", "exporter", "importer", "product", "hs_rev", "basis")


def parse_mapping(text: str) -> dict[str, str]:
    """Parse ``"exporter=From,importer=To,..."`` into a dict, validating the field names."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise InputError(
                f"--map entry {part!r} must be FIELD=COLUMN, e.g. exporter=Reporter",
                details={"value": part},
            )
        key, col = (s.strip() for s in part.split("=", 1))
        if key not in REQUIRED + OPTIONAL:
            raise InputError(
                f"--map field {key!r} is not one of {', '.join(REQUIRED + OPTIONAL)}",
                details={"value": key, "expected": list(REQUIRED + OPTIONAL)},
            )
        out[key] = col
    missing = [k for k in REQUIRED if k not in out]
    if missing:
        raise InputError(
            f"--map must name a column for {', '.join(missing)}",
            details={"missing": missing},
        )
    return out


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
    """A mapped CSV of flows as a :class:`SourceFile` (source ``csv:<source>``)."""
    p = Path(path)
    check_file(p)
    if basis not in BASES:
        raise InputError(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
    rev = revision(hs_rev)
    if not (math.isfinite(value_scale) and value_scale > 0):
        raise InputError(
            f"value_scale must be a finite number above 0 (1000 for thousands), not {value_scale!r}",
            details={"value": value_scale},
        )
    fields = dict(mapping)
    for k in REQUIRED:
        if k not in fields:
            raise InputError(f"the column map needs {k!r}", details={"missing": k})
    display = str(p)
    name = source if source.startswith("csv:") else f"csv:{source}"

    def batches(sf: SourceFile) -> Iterator[pa.RecordBatch]:
        raw = _read_bytes(p)
        sf.digest = hashlib.sha256(raw).hexdigest()
        if not raw.strip():
            raise ParseError("the file is empty", path=p, line=1)
        first, body = split_header(raw, p, expected="a CSV header naming the --map columns")
        delim = delimiter or ("\t" if first.count("\t") > first.count(",") else ",")
        if delim == "," and first.count(";") > first.count(","):
            delim = ";"
        names = [n.strip() for n in next(csv.reader([first], delimiter=delim))]
        absent = [f"{k}={c}" for k, c in fields.items() if c not in names]
        if absent:
            raise SchemaError(
                f"the column map names columns the file does not have: {', '.join(absent)}",
                path=p,
                line=1,
                value=",".join(names)[:200],
                expected="columns named in --map",
            )
        try:
            table = pacsv.read_csv(
                pa.BufferReader(body),
                read_options=pacsv.ReadOptions(column_names=names),
                parse_options=pacsv.ParseOptions(delimiter=delim),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    include_columns=list(dict.fromkeys(fields.values())),
                ),
            )
        except pa.ArrowInvalid as exc:
            raise ParseError(f"malformed CSV: {str(exc).splitlines()[0]}", path=p) from None
        out = _convert(table, sf, fields, name, basis, rev, value_scale)
        if out.num_rows:
            yield from out.to_batches(max_chunksize=1 << 20)

    return SourceFile(
        kind="flows",
        source=name,
        path=display,
        release=None,
        hs_rev=rev,
        open_batches=batches,
        problems=Problems(display),
    )


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


def _convert(
    t: pa.Table,
    sf: SourceFile,
    fields: Mapping[str, str],
    source: str,
    basis: str,
    rev: str,
    scale: float,
) -> pa.Table:
    n = t.num_rows
    lines = np.arange(2, 2 + n, dtype=np.int64)
    probs = sf.problems
    col = {k: t.column(c) for k, c in fields.items()}
    year, bad = as_int(col["year"])
    bad |= outside_years(year)
    probs.add_mask(
        bad,
        lines=lines,
        column=fields["year"],
        values=col["year"],
        expected=f"a year from {YEARS[0]} to {YEARS[1]}",
    )
    exporter, b = _countries(col["exporter"])
    probs.add_mask(
        b,
        lines=lines,
        column=fields["exporter"],
        values=col["exporter"],
        expected="a country (ISO3, ISO numeric or name)",
    )
    bad |= b
    importer, b = _countries(col["importer"])
    probs.add_mask(
        b,
        lines=lines,
        column=fields["importer"],
        values=col["importer"],
        expected="a country (ISO3, ISO numeric or name)",
    )
    bad |= b
    product, b = normalise_products(col["product"])
    probs.add_mask(
        b,
        lines=lines,
        column=fields["product"],
        values=col["product"],
        expected="an HS code of 2, 4 or 6 digits",
    )
    bad |= b
    limit = MAX_USD / scale
    value, b = as_float(col["value"], nullable=False, limit=limit)
    probs.add_mask(
        b,
        lines=lines,
        column=fields["value"],
        values=col["value"],
        expected=number_expected(limit, "USD" if scale == 1 else f"units of {scale:g} USD"),
    )
    bad |= b
    if "quantity" in col:
        qty, b = as_float(col["quantity"], nullable=True, limit=MAX_QUANTITY)
        probs.add_mask(
            b,
            lines=lines,
            column=fields["quantity"],
            values=col["quantity"],
            expected=number_expected(MAX_QUANTITY, "the quantity unit", nullable=True),
        )
        bad |= b
    else:
        qty = pa.nulls(n, pa.float64())
    unit = col["quantity_unit"] if "quantity_unit" in col else pa.nulls(n, pa.string())
    out = pa.table(
        {
            "year": pc.cast(pc.fill_null(year, 0), pa.int16(), safe=False),
            "exporter": exporter,
            "importer": importer,
            "product": product,
            "hs_rev": pa.repeat(pa.scalar(rev), n),
            "value_usd": pc.multiply(value, float(scale)),
            "quantity": qty,
            "quantity_unit": unit,
            "source": pa.repeat(pa.scalar(source), n),
            "basis": pa.repeat(pa.scalar(basis), n),
        }
    )
    same = ~bad & np.asarray(
        pc.fill_null(pc.equal(exporter, importer), False).to_numpy(zero_copy_only=False), bool
    )
    if same.any():
        sf.notes.append(
            f"{int(same.sum()):,} rows with the exporter equal to the importer left out "
            "(not bilateral trade)"
        )
    keep = ~(bad | same)
    if not keep.all():
        out = out.filter(pa.array(keep))
    if not (probs and sf.strict):  # a bad value is reported first
        check_duplicates(out, _KEYS, lines[keep], path=sf.path, what="flow")
    return out.cast(FLOW_SCHEMA)
