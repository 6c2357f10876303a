"""UN Comtrade: API JSON responses and CSV/TSV files with the API's own column names.

Rows are *declarations*: what the reporter declared. Only totals over the breakdowns are
kept (second partner ``W00``, mode of transport ``0``, customs procedure ``C00``); the
breakdown rows are left out and counted in the ingest notes. Flows other than export,
import, re-export and re-import (``DX``, ``FM`` ...) are left out the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from bilat.codes.countries import COMTRADE_AREAS, iso3_codes, numeric_codes
from bilat.codes.hs import COMTRADE_CLASSIFICATIONS
from bilat.errors import ParseError, SchemaError, ValidationError
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
from bilat.sources.base import ReaderSpec, Reading, ReadLog, SourceFile
from bilat.sources.problems import Problems
from bilat.sources.schema import DECLARATION_SCHEMA, KEYS

__all__ = ["SPEC", "read_comtrade"]

_FLOW_DESC = {"export": "X", "import": "M", "re-export": "RX", "re-import": "RM"}
_FLOWS = ("X", "M", "RX", "RM")
_KEYS = KEYS["declarations"]
YEAR_TEXT = f"from {YEARS[0]} to {YEARS[1]}"
_HINT = (
    "Comtrade files need the API's column names: refYear, reporterISO (or reporterCode), "
    "partnerISO (or partnerCode), flowCode (or flowDesc), cmdCode, primaryValue"
)


def read_comtrade(path: str | Path) -> SourceFile:
    """A Comtrade file as a :class:`SourceFile` of declarations.

    JSON is the API's response (``{"data": [...]}``); CSV and TSV (``.gz`` too) carry the
    API's column names, all of them or a subset. Line numbers in errors count the header as
    line 1; for JSON they are record numbers in ``data`` (first record = 1).
    """
    p = Path(path)
    check_file(p)
    display = str(p)

    def reader(strict: bool) -> Reading:
        log = ReadLog(display, strict)
        raw = read_whole(p)
        table, first_line = _load(raw, p)
        numbering = "lines" if first_line == 2 else "records"
        out = _convert(table, log, first_line, numbering=numbering)
        if out.num_rows:
            yield from out.to_batches(max_chunksize=1 << 20)
        revs = set(out.column("hs_rev").to_pylist()) if out.num_rows else set()
        rev = str(revs.pop()) if len(revs) == 1 else "HS"
        return log.result(hashlib.sha256(raw).hexdigest(), size=len(raw), hs_rev=rev)

    return SourceFile(
        kind="declarations",
        source="comtrade",
        path=display,
        release=None,
        hs_rev="HS",
        reader=reader,
    )


def _load(raw: bytes, p: Path) -> tuple[pa.Table, int]:
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark says nothing about the format
    if not raw.strip():
        raise ParseError("the file is empty", path=p, line=1, expected="a Comtrade response")
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        return _load_json(raw, p), 1
    return _load_csv(raw, p), 2


def _load_json(raw: bytes, p: Path) -> pa.Table:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"invalid JSON: not UTF-8 text at byte {exc.start}", path=p, hint="Fetch it again"
        ) from None
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}", path=p, line=exc.lineno, hint="Fetch the response again"
        ) from None
    except RecursionError:
        raise ParseError(
            "invalid JSON: nested too deep to be a Comtrade response",
            path=p,
            expected='{"data": [{...}, ...]}, two levels deep',
        ) from None
    records = doc.get("data") if isinstance(doc, dict) else doc
    if isinstance(doc, dict) and doc.get("error"):
        raise ParseError(f"the API answered with an error: {doc['error']}", path=p)
    if not isinstance(records, list):
        raise SchemaError(
            "JSON without a 'data' list", path=p, expected='{"data": [...]} from the Comtrade API'
        )
    if not records:
        raise ParseError("the response holds no records", path=p, hint="Nothing was written")
    cols: dict[str, list[str | None]] = {}
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise SchemaError("a record is not an object", path=p, line=i + 1, value=rec)
        for k in rec:
            cols.setdefault(k, [None] * i)
        for k, col in cols.items():
            v = rec.get(k)
            col.append(None if v is None else str(v))
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def _load_csv(raw: bytes, p: Path) -> pa.Table:
    first, body = split_header(raw, p, expected="a CSV header with the Comtrade API's names")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    names = next(csv.reader([first], delimiter=delimiter), [])
    names = [n.strip() for n in names]
    try:
        return pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as exc:
        raise ParseError(
            f"malformed CSV: {str(exc).splitlines()[0]}",
            path=p,
            expected=f"{len(names)} fields per line as in the header",
            hint="Fix or remove the line; nothing was written",
        ) from None


def _col(t: pa.Table, *names: str) -> pa.ChunkedArray | None:
    for n in names:
        if n in t.column_names:
            return t.column(n)
    return None


def _countries(
    t: pa.Table, iso_name: str, code_name: str, path: str
) -> tuple[pa.Array, np.ndarray[Any, Any], pa.ChunkedArray]:
    iso = _col(t, iso_name)
    if iso is not None:
        table = {c: c for c in iso3_codes()} | {c: c for c in COMTRADE_AREAS}
        return (*lookup(iso, table), iso)
    code = _col(t, code_name)
    if code is None:
        raise SchemaError(
            f"missing column {iso_name} (or {code_name})", path=path, line=1, hint=_HINT
        )
    table = {str(k): v for k, v in numeric_codes().items()} | {"0": "W00"}
    return (*lookup(code, table), code)


def _flows(t: pa.Table, path: str) -> tuple[pa.Array, pa.ChunkedArray]:
    code = _col(t, "flowCode")
    if code is not None:
        return pc.utf8_upper(pc.utf8_trim_whitespace(code)).combine_chunks(), code
    desc = _col(t, "flowDesc")
    if desc is None:
        raise SchemaError("missing column flowCode (or flowDesc)", path=path, line=1, hint=_HINT)
    mapped, _ = lookup(pc.utf8_lower(desc), _FLOW_DESC)
    return pc.fill_null(mapped, "?"), desc


def _keep_totals(t: pa.Table, log: ReadLog) -> np.ndarray[Any, Any]:
    keep = np.ones(t.num_rows, dtype=bool)
    for name, total, what in (
        ("partner2ISO", "W00", "second partner"),
        ("motCode", "0", "mode of transport"),
        ("customsCode", "C00", "customs procedure"),
    ):
        col = _col(t, name)
        if col is None:
            continue
        text = pc.utf8_trim_whitespace(col)
        is_total = pc.or_(pc.is_null(text), pc.equal(text, total))
        mask = np.asarray(pc.fill_null(is_total, True).to_numpy(zero_copy_only=False), dtype=bool)
        dropped = int((~mask & keep).sum())
        if dropped:
            log.notes.append(f"{dropped} rows broken down by {what} left out (totals kept)")
        keep &= mask
    return keep


def _convert(t: pa.Table, log: ReadLog, first_line: int, *, numbering: str) -> pa.Table:
    freq = _col(t, "freqCode")
    if freq is not None and "M" in set(pc.unique(freq).to_pylist()):
        raise SchemaError(
            "monthly data (freqCode M) is not supported; fetch annual data (freqCode A)",
            path=log.path,
        )
    lines = np.arange(first_line, first_line + t.num_rows, dtype=np.int64)
    keep = _keep_totals(t, log)
    flow, _ = _flows(t, log.path)
    flow_np = np.asarray(pc.is_in(flow, value_set=pa.array(_FLOWS)).to_numpy(zero_copy_only=False))
    other = ~flow_np & keep
    if other.any():
        kinds = sorted(str(k) for k in set(pc.filter(flow, pa.array(other)).to_pylist()))
        log.notes.append(f"{int(other.sum())} rows of flows {', '.join(kinds)} left out")
        if not (keep & flow_np).any():
            raise ValidationError(
                f"no row has a flow bilat reads: the flow codes found are {', '.join(kinds)}",
                path=log.path,
                line=int(lines[np.flatnonzero(other)[0]]),
                column="flowCode",
                expected="X, M, RX or RM (export, import, re-export, re-import)",
                hint="Fetch the export or import flows; nothing was written",
            )
    keep &= flow_np
    t = t.filter(pa.array(keep))
    lines, flow = lines[keep], pc.filter(flow, pa.array(keep))
    return _declarations(t, log, lines, flow, numbering=numbering)


def _declarations(
    t: pa.Table, log: ReadLog, lines: np.ndarray[Any, Any], flow: pa.Array, *, numbering: str
) -> pa.Table:
    """The declarations of the kept rows: good rows only, no key twice."""
    columns, bad = _required(t, log, lines)
    amounts, bad_o = _optional_amounts(t, log.problems, lines)
    rev, bad_c = _revisions(t, log.problems, lines)
    bad |= bad_o | bad_c
    _note_own_goods(columns["reporter"], columns["partner"], bad, log)
    n = t.num_rows
    out = pa.table(
        {
            **columns,
            "flow": flow,
            "hs_rev": rev,
            **amounts,
            "qty_unit": _units(t),
            "source": pa.repeat(pa.scalar("comtrade"), n),
        }
    ).select(DECLARATION_SCHEMA.names)
    keep = ~bad
    out = out.cast(DECLARATION_SCHEMA) if keep.all() else out.filter(pa.array(keep))
    if not log.stop:  # a bad value is reported first
        check_duplicates(out, _KEYS, lines[keep], path=log.path, what="declaration", unit=numbering)
    return out.cast(DECLARATION_SCHEMA)


def _required(
    t: pa.Table, log: ReadLog, lines: np.ndarray[Any, Any]
) -> tuple[dict[str, pa.Array], np.ndarray[Any, Any]]:
    """Year, reporter, partner, product and value of every row, and the rows where one is bad."""
    probs = log.problems
    year_col = _needed(t, "refYear", "period", path=log.path)
    year, bad_y = as_int(year_col)
    bad_y |= outside_years(year)
    probs.add_mask(
        bad_y, lines=lines, column="refYear", values=year_col, expected=f"a year {YEAR_TEXT}"
    )
    reporter, bad_r, raw_r = _countries(t, "reporterISO", "reporterCode", log.path)
    probs.add_mask(
        bad_r, lines=lines, column="reporterISO", values=raw_r, expected="a country code"
    )
    partner, bad_p, raw_p = _countries(t, "partnerISO", "partnerCode", log.path)
    probs.add_mask(bad_p, lines=lines, column="partnerISO", values=raw_p, expected="a country code")
    cmd = _needed(t, "cmdCode", path=log.path)
    product, bad_k = normalise_products(cmd)
    probs.add_mask(bad_k, lines=lines, column="cmdCode", values=cmd, expected="an HS code or TOTAL")
    value_col = _needed(t, "primaryValue", path=log.path)
    value, bad_v = as_float(value_col, nullable=False)
    probs.add_mask(
        bad_v,
        lines=lines,
        column="primaryValue",
        values=value_col,
        expected=number_expected(MAX_USD, "USD"),
    )
    columns = {
        "year": pc.cast(pc.fill_null(year, 0), pa.int16(), safe=False),
        "reporter": reporter,
        "partner": partner,
        "product": product,
        "value_usd": value,
    }
    return columns, bad_y | bad_r | bad_p | bad_k | bad_v


def _needed(t: pa.Table, *names: str, path: str) -> pa.ChunkedArray:
    col = _col(t, *names)
    if col is None:
        raise SchemaError(f"missing column {names[0]}", path=path, line=1, hint=_HINT)
    return col


def _optional_amounts(
    t: pa.Table, probs: Problems, lines: np.ndarray[Any, Any]
) -> tuple[dict[str, pa.Array], np.ndarray[Any, Any]]:
    """CIF, FOB, quantity and net weight (null where the file has no such column)."""
    bad = np.zeros(t.num_rows, dtype=bool)
    out: dict[str, pa.Array] = {}
    for src, dst, limit, what in (
        ("cifvalue", "cif_usd", MAX_USD, "USD"),
        ("fobvalue", "fob_usd", MAX_USD, "USD"),
        ("qty", "qty", MAX_QUANTITY, "the quantity unit"),
        ("netWgt", "net_kg", MAX_QUANTITY, "kg"),
    ):
        col = _col(t, src)
        if col is None:
            out[dst] = pa.nulls(t.num_rows, pa.float64())
            continue
        vals, bad_o = as_float(col, nullable=True, limit=limit)
        probs.add_mask(
            bad_o,
            lines=lines,
            column=src,
            values=col,
            expected=number_expected(limit, what, nullable=True),
        )
        out[dst] = vals
        bad |= bad_o
    return out, bad


def _units(t: pa.Table) -> pa.Array:
    unit = _col(t, "qtyUnitAbbr")
    if unit is None:
        return pa.nulls(t.num_rows, pa.string())
    return pc.if_else(
        pc.equal(pc.fill_null(unit, "N/A"), "N/A"), pa.scalar(None, pa.string()), unit
    )


def _revisions(
    t: pa.Table, probs: Problems, lines: np.ndarray[Any, Any]
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    cls = _col(t, "classificationCode")
    if cls is None:
        return pa.repeat(pa.scalar("HS"), t.num_rows), np.zeros(t.num_rows, dtype=bool)
    rev, bad = lookup(cls, COMTRADE_CLASSIFICATIONS)
    probs.add_mask(bad, lines=lines, column="classificationCode", values=cls, expected="H0..H6")
    return rev, bad


def _note_own_goods(
    reporter: pa.Array, partner: pa.Array, bad: np.ndarray[Any, Any], log: ReadLog
) -> None:
    same = ~bad & np.asarray(
        pc.fill_null(pc.equal(reporter, partner), False).to_numpy(zero_copy_only=False), bool
    )
    if same.any():  # Comtrade publishes them: goods of the reporter's own origin re-imported
        log.notes.append(
            f"{int(same.sum()):,} rows with the partner equal to the reporter kept (the "
            "reporter's own goods coming back); they are not trade with another country"
        )


SPEC = ReaderSpec(
    name="comtrade",
    kind="declarations",
    description="UN Comtrade, what each reporter declared (totals over the breakdowns)",
    files="Comtrade API JSON, or CSV/TSV with the API's column names (.gz too)",
    read=read_comtrade,
)
