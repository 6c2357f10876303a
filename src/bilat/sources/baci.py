"""CEPII BACI: a release zip or one bare yearly CSV (``t,i,j,k,v,q``).

BACI writes values in thousands of US dollars (stored here in dollars), quantities in
metric tons, countries as numeric codes with BACI's own table (``country_codes_*.csv`` in
the release; :data:`bilat.codes.countries.BACI_QUIRKS` otherwise) and products as integers
(``10121`` is ``010121``). Files are streamed: a BACI year (~11 million rows) never sits in
memory whole.

A bare CSV with the plain header is read by the fast path first
(:mod:`bilat.sources._baci_fast`, polars); the first chunk it doubts, and every zip member
and ``.csv.gz``, is read by the exact path here (pyarrow and NumPy), which names each bad
value. ``BILAT_INGEST_FAST=0`` turns the fast path off.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn, cast

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from bilat.codes.countries import baci_table
from bilat.codes.hs import CHAPTERS, revision
from bilat.errors import ParseError, SchemaError, ValidationError
from bilat.sources._baci_fast import (
    HEADER_COLUMNS,
    PRODUCTS,
    Rules,
    chunks,
    listed,
    plain_header,
    tables,
)
from bilat.sources._convert import (
    MAX_HEADER,
    MAX_QUANTITY,
    MAX_USD,
    YEARS,
    FileHasher,
    HashingReader,
    as_float,
    as_int,
    check_file,
    header_text,
    line_numbers,
    number_expected,
    outside_years,
)
from bilat.sources.base import ReaderOption, ReaderSpec, Reading, ReadLog, SourceFile
from bilat.sources.problems import Problems
from bilat.sources.schema import DICT_FLOW_SCHEMA

__all__ = ["SPEC", "read_baci"]

_NAME = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_(V\d{6}[a-z]?)", re.IGNORECASE)
COLUMNS = ("t", "i", "j", "k", "v", "q")
_TYPED = {"t": pa.int32(), "i": pa.int32(), "j": pa.int32(), "k": pa.int64()}
_TYPED |= {"v": pa.float64(), "q": pa.float64()}
_BLOCK = 1 << 24  # 16 MiB blocks: big enough for throughput, small enough for memory
_CHAPTERS = pa.array(sorted(CHAPTERS), pa.string())
_BUILT_IN = "bilat's built-in BACI country table (ISO numeric plus BACI's groupings)"


def _open_text(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_baci(
    path: str | Path,
    *,
    release: str | None = None,
    hs_rev: str | None = None,
) -> list[SourceFile]:
    """The yearly files of a BACI release zip, or one bare BACI CSV, as :class:`SourceFile`.

    Parameters
    ----------
    path
        ``BACI_HS17_V202401.zip`` or ``BACI_HS17_Y2021_V202401.csv`` (``.csv.gz`` too).
    release, hs_rev
        Override what the file name says (needed when a file was renamed).
    """
    p = Path(path)
    check_file(p)
    if zipfile.is_zipfile(p):
        return _from_zip(p, release=release, hs_rev=hs_rev)
    if p.suffix.lower() == ".zip":
        raise ParseError(
            "not a readable zip archive (truncated or damaged download?)",
            path=p,
            hint="Download the release again; nothing was written",
        )
    rel, rev, year = _tags(p.name, release, hs_rev)
    table = baci_table()
    size = None if p.suffix == ".gz" else p.stat().st_size
    fast = None if p.suffix == ".gz" else p
    return [
        _source(
            str(p),
            lambda: _open_text(p),
            rel,
            rev,
            table,
            known=None,
            size=size,
            year=year,
            fast=fast,
        ),
    ]


def _tags(name: str, release: str | None, hs_rev: str | None) -> tuple[str | None, str, int | None]:
    """Release, revision and year a BACI file name states (``BACI_HS17_Y2021_V202401``)."""
    m = _NAME.search(name)
    rel = release or (m.group(3).upper() if m else None)
    rev = revision(hs_rev) if hs_rev else (revision(m.group(1)) if m else "HS")
    return rel, rev, int(m.group(2)) if m else None


def _from_zip(p: Path, *, release: str | None, hs_rev: str | None) -> list[SourceFile]:
    try:
        zf = zipfile.ZipFile(p)
        names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ParseError(f"damaged zip archive: {exc}", path=p) from None
    years = sorted(n for n in names if _NAME.search(Path(n).name))
    if not years:
        raise SchemaError(
            "no BACI_HSxx_Yyyyy_Vxxxxxx.csv file in this zip",
            path=p,
            value=", ".join(names[:5]),
            expected="a CEPII BACI release",
        )
    countries = _country_rows(zf, p, names)
    table = baci_table(countries)
    known = _product_codes(zf, p, names)
    notes = []
    if not countries:
        notes.append(f"the zip has no country_codes_*.csv: countries mapped with {_BUILT_IN}")
    if known is None:
        notes.append(
            "the zip has no product_codes_*.csv: products checked against the HS chapters "
            "only (01-97 without 77), not against the release's own list"
        )
    out = []
    for name in years:
        rel, rev, year = _tags(Path(name).name, release, hs_rev)

        def opener(name: str = name) -> IO[bytes]:
            return zipfile.ZipFile(p).open(name)

        size = zf.getinfo(name).file_size
        display = f"{p}::{name}"
        out.append(
            _source(
                display, opener, rel, rev, table, known=known, size=size, year=year, notes=notes
            )
        )
    return out


def _member_rows(zf: zipfile.ZipFile, p: Path, name: str) -> list[dict[str, str]]:
    try:
        text = zf.read(name).decode("utf-8-sig", errors="replace")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ParseError(f"cannot read {name} in the zip: {exc}", path=p) from None
    return list(csv.DictReader(io.StringIO(text)))


def _country_rows(zf: zipfile.ZipFile, p: Path, names: list[str]) -> list[tuple[int, str]]:
    member = next((n for n in names if Path(n).name.startswith("country_codes")), None)
    if member is None:
        return []
    rows = _member_rows(zf, p, member)
    return [
        (int(r["country_code"]), r.get("iso_3digit_alpha") or r.get("country_iso3") or "")
        for r in rows
        if (r.get("country_code") or "").strip().isdigit()
    ]


def _product_codes(zf: zipfile.ZipFile, p: Path, names: list[str]) -> set[str] | None:
    member = next((n for n in names if Path(n).name.startswith("product_codes")), None)
    if member is None:
        return None
    return {str(r["code"]).strip().zfill(6) for r in _member_rows(zf, p, member) if r.get("code")}


def _source(
    display: str,
    opener: Callable[[], IO[bytes]],
    release: str | None,
    hs_rev: str,
    table: dict[int, str],
    *,
    known: set[str] | None,
    size: int | None = None,
    year: int | None,
    notes: list[str] | None = None,
    fast: Path | None = None,
) -> SourceFile:
    lut = _lut(table, display)
    known_arr = pa.array(sorted(known), pa.string()) if known else _CHAPTERS
    rules = _rules(lut, known, year)

    def start(strict: bool) -> tuple[ReadLog, _Pass]:
        log = ReadLog(display, strict)
        log.notes.extend(notes or ())
        chapters_only = not known
        return log, _Pass(
            log=log, year=year, hs_rev=hs_rev, known=known_arr, chapters_only=chapters_only
        )

    def reader(strict: bool) -> Reading:
        log, state = start(strict)
        digest = None
        if fast is not None and _fast_enabled(fast):
            digest = yield from _fast(fast, lut, rules, state)
        if digest == _FIELD_MISSING:  # every row handed over, but one lacks its quantity:
            log, state = start(strict)  # the exact path refuses the file, naming the line;
            digest = _drain(_exact(opener, lut, state))  # its rows, the same, stay unsent
        elif digest is None:  # the fast path doubted a chunk: the exact path reads on from it
            digest = yield from _exact(opener, lut, state)
        if state.self_flows:
            log.notes.append(
                f"{state.self_flows:,} rows with the exporter equal to the importer left out "
                "(not bilateral trade)"
            )
        if not log.stop:  # a bad value is reported first
            state.keys.check(display)
        return log.result(digest, size=state.bytes_read or None, hs_rev=hs_rev)

    return SourceFile(
        kind="flows",
        source="baci",
        path=display,
        release=release,
        hs_rev=hs_rev,
        reader=reader,
        open_raw=opener,
        raw_size=size,
    )


def _rules(lut: pa.Array, known: set[str] | None, year: int | None) -> Rules:
    """The exact path's checks as the fast path states them (see :class:`Rules`)."""
    valid = pc.is_valid(lut).to_pylist()
    listed = sorted(int(c) for c in known if c.isdigit() and len(c) == 6) if known else None
    return Rules(
        year=year,
        years=YEARS,
        countries=[code for code, ok in enumerate(valid[:-1]) if ok],
        products=listed,
        chapters=sorted(int(c) for c in CHAPTERS),
        max_value=MAX_USD / 1000,
        max_quantity=MAX_QUANTITY,
    )


def _fast_enabled(path: Path) -> bool:
    if os.environ.get("BILAT_INGEST_FAST", "1") == "0":
        return False
    try:
        return plain_header(path)
    except OSError:
        return False  # the exact path says what is wrong with the file


def _fast(
    path: Path, lut: pa.Array, rules: Rules, state: _Pass
) -> Generator[pa.RecordBatch, None, str | None]:
    """Read ``path`` by the fast path; returns its SHA-256, or ``None`` where it stopped.

    On ``None``, ``state.done`` is the first line not handed over and ``state.keys`` holds
    the keys of the lines that were, so the exact path reads on as if it had read them.
    """
    hasher = FileHasher(path, count=b",")
    prefix = _Prefix(path, rules)
    parts = chunks(path, rules)
    finished = False
    try:
        for df in parts:
            clean, n_self = prefix.take(df)
            if not clean:
                break
            state.done, state.self_flows = state.done + len(df), state.self_flows + n_self
            yield _fast_batch(df, lut, state, has_self=n_self > 0)
        else:
            finished = True
    except pl.exceptions.PolarsError:
        pass  # a value polars cannot parse: the exact path names it
    finally:
        parts.close()
        if not finished:
            hasher.stop()
    if not finished:
        prefix.seed(state.keys)
        return None
    digest = hasher.result()
    state.bytes_read = hasher.bytes_read
    lines = state.done - 1  # the header and the rows
    if hasher.commas != (len(HEADER_COLUMNS) - 1) * lines:
        return _FIELD_MISSING  # a row with fewer commas: polars read its last field as null
    return digest


#: What :func:`_fast` returns when a row lacks a field (a digest is never empty).
_FIELD_MISSING = ""


def _exact(
    opener: Callable[[], IO[bytes]], lut: pa.Array, state: _Pass
) -> Generator[pa.RecordBatch, None, str]:
    """The exact path from ``state.done`` on: typed, and as text from a value it cannot take."""
    try:
        return (yield from _stream(opener, typed=True, lut=lut, state=state))
    except _Retry:
        return (yield from _stream(opener, typed=False, lut=lut, state=state))


def _drain(reading: Generator[pa.RecordBatch, None, str]) -> str:
    """Run a read to its end without keeping its batches; its result."""
    while True:
        try:
            next(reading)
        except StopIteration as done:
            return cast(str, done.value)


class _Prefix:
    """What the exact path needs of the chunks the fast path handed over, if it takes over.

    Each chunk's keys must rise strictly (BACI sorts its files by ``t, i, j, k``) and start
    above the last one's: then no key repeats. A chunk that breaks the order, or holds a row
    the fast path doubts, is left to the exact path; :meth:`seed` then hands the keys of the
    lines already handed over (read again, only then) to its duplicate check.
    """

    def __init__(self, path: Path, rules: Rules) -> None:
        self.path, self.rules = path, rules
        self.flags = tables(rules)
        self.last = -1
        self.rows = 0

    def take(self, df: pl.DataFrame) -> tuple[bool, int]:
        """Whether ``df`` is clean and in order, and how many self-flows it holds."""
        if not len(df) or bool(df["bad"].any()) or not listed(df, self.flags):
            return False, 0
        key = pl.col("key").filter(~pl.col("self"))
        row = df.select(
            own=pl.col("self").sum(),
            rising=(key.diff() > 0).all(),
            first=key.first(),
            last=key.last(),
        ).row(0)
        own, rising, first, last = row
        if not rising or (first is not None and first <= self.last):
            return False, 0
        self.last = self.last if last is None else int(last)
        self.rows += len(df)
        return True, int(own)

    def seed(self, keys: _Keys) -> None:
        """Hand the keys and lines of the rows taken so far to the exact path's check."""
        if not self.rows:
            return
        taken = pl.concat(list(chunks(self.path, self.rules, rows=self.rows)))
        taken = taken.with_row_index("line", offset=2).filter(~pl.col("self"))
        keys.keys.append(taken["key"].to_numpy())
        keys.lines.append(taken["line"].cast(pl.Int64).to_numpy())


def _fast_batch(df: pl.DataFrame, lut: pa.Array, state: _Pass, *, has_self: bool) -> pa.RecordBatch:
    """A clean chunk in the flow schema, built as :func:`_convert` builds it from the same rows."""
    if has_self:
        df = df.filter(~pl.col("self"))
    tb = df.select("t", "i", "j", "k", "v", "q").to_arrow()

    def col(name: str) -> pa.Array:
        return tb.column(name).combine_chunks()

    names = pc.fill_null(lut, "")
    exporter = pa.DictionaryArray.from_arrays(col("i"), names)
    importer = pa.DictionaryArray.from_arrays(col("j"), names)
    product = state.products.encode(col("k"))
    return _flow_batch(
        col("t"), exporter, importer, product, col("v"), col("q"), hs_rev=state.hs_rev
    )


class _Retry(Exception):
    """The typed fast path met a value it cannot take; re-read as text to show it as written."""


class _Keys:
    """The keys of one file's good rows, packed into integers: BACI's one duplicate check.

    A BACI key (year ``t``, exporter ``i``, importer ``j``, product ``k``) packs into one
    int64, ``t * 10**12 + i * 10**9 + j * 10**6 + k``, which holds every key BACI can have:
    ``t < 10**4``; ``i, j < 10**3`` (:func:`_lut` refuses a country table with larger codes);
    ``0 < k < 10**6`` (other products are bad values, never packed). Packing and unpacking
    live here only. The packed keys and their lines are kept while streaming (16 bytes a
    row), so duplicates are found without a second pass over the data, and with no sort at
    all when the file is sorted by (t, i, j, k), as BACI's files are.
    """

    NAMES = ("t", "i", "j", "k")

    def __init__(self) -> None:
        self.keys: list[np.ndarray[Any, Any]] = []
        self.lines: list[np.ndarray[Any, Any]] = []

    def add(
        self, columns: _KeyColumns, lines: np.ndarray[Any, Any], good: np.ndarray[Any, Any]
    ) -> None:
        year, i_np, j_np, k_int = columns
        t = np.asarray(pc.fill_null(year, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
        k = np.asarray(pc.fill_null(k_int, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
        packed = t * 10**12 + i_np.astype(np.int64) * 10**9 + j_np.astype(np.int64) * 10**6 + k
        self.keys.append(packed[good])
        self.lines.append(lines[good])

    def mark(self) -> int:
        return len(self.keys)

    def undo(self, mark: int) -> None:
        del self.keys[mark:], self.lines[mark:]

    @staticmethod
    def unpack(packed: int) -> dict[str, int]:
        t, rest = divmod(packed, 10**12)
        i, rest = divmod(rest, 10**9)
        j, k = divmod(rest, 10**6)
        return dict(zip(_Keys.NAMES, (t, i, j, k), strict=True))

    def check(self, path: str) -> None:
        """Refuse the file when two good rows share a key, naming the key and both lines."""
        if not self.keys:
            return
        keys = np.concatenate(self.keys)
        if len(keys) < 2 or bool((keys[1:] > keys[:-1]).all()):
            return  # sorted by (t, i, j, k): strictly increasing keys, no sort needed
        lines = np.concatenate(self.lines)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if not len(same):
            return
        first, second = lines[order[same[0]]], lines[order[same[0] + 1]]
        key = self.unpack(int(ordered[same[0]]))
        raise ValidationError(
            f"duplicated key {key}: the same flow is on lines {first} and {second}",
            path=path,
            line=int(second),
            expected="one row per " + ", ".join(self.NAMES),
            hint="Remove the repeated row (or aggregate) and ingest again; nothing was written",
        )


_KeyColumns = tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any], pa.Array]


@dataclass
class _Pass:
    """What one read of a file knows across the typed pass and the text pass that may follow.

    ``done`` is the first line not yet handed to the lake: the text pass skips the lines
    the typed pass already yielded, so no row is read twice.
    """

    log: ReadLog
    year: int | None
    hs_rev: str
    known: pa.Array
    chapters_only: bool
    done: int = 2
    self_flows: int = 0
    bytes_read: int = 0
    keys: _Keys = field(default_factory=_Keys)
    products: _ProductCodes = field(default_factory=lambda: _ProductCodes())


def _lut(table: dict[int, str], path: str) -> pa.Array:
    if max(table) >= 1000:
        raise SchemaError(
            "the release's country table has a code above 999, more than BACI's three digits",
            path=path,
            value=max(table),
            expected="country codes from 0 to 999",
        )
    size = max(table) + 2
    values: list[str | None] = [None] * size
    for num, iso3 in table.items():
        values[num] = iso3
    return pa.array(values, pa.string())


def _stream(
    opener: Callable[[], IO[bytes]], *, typed: bool, lut: pa.Array, state: _Pass
) -> Generator[pa.RecordBatch, None, str]:
    """One pass over the file's bytes; returns their SHA-256."""
    log = state.log
    log.problems.items[:] = [p for p in log.problems.items if p.line < state.done]
    line = 2
    raw: IO[bytes] | None = None
    hashing: HashingReader | None = None
    try:
        raw = opener()
        hashing = HashingReader(raw)
        stream = cast(IO[bytes], io.BufferedReader(hashing, buffer_size=_BLOCK))
        reader = _open(stream, log.path, typed)
        if reader is None:  # a header and no rows
            return hashing.hexdigest()
        for batch in reader:
            n = batch.num_rows
            if line + n <= state.done:  # yielded by the typed pass
                line += n
                continue
            if line < state.done:
                batch, line = batch.slice(state.done - line), state.done
            marks = (len(log.problems.items), state.keys.mark())
            out, self_flows = _convert(batch, line, lut=lut, state=state)
            if typed and len(log.problems.items) > marks[0]:
                del log.problems.items[marks[0] :]
                state.keys.undo(marks[1])
                raise _Retry()
            line += batch.num_rows
            state.done, state.self_flows = line, state.self_flows + self_flows
            if out.num_rows:
                yield out
            if log.stop:
                break
        state.bytes_read = hashing.bytes_read
        return hashing.hexdigest()
    except pa.ArrowInvalid as exc:
        _raise_arrow(exc, log.path, typed)
    except (EOFError, zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise ParseError(
            f"the file ends early or is damaged ({exc})",
            path=log.path,
            line=line,
            hint="Download it again; nothing was written",
        ) from None
    finally:
        if hashing is not None:
            hashing.close()
        if raw is not None:
            raw.close()


def _open(stream: IO[bytes], path: str, typed: bool) -> pacsv.CSVStreamingReader | None:
    header = _header(stream, path)
    types = _TYPED if typed else dict.fromkeys(header, pa.string())
    try:
        return pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=_BLOCK, column_names=header),
            parse_options=pacsv.ParseOptions(),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=["", "NA", "N/A"] if typed else [],
                strings_can_be_null=False,
                include_columns=list(COLUMNS),
            ),
        )
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            return None
        raise


def _header(stream: IO[bytes], path: str) -> list[str]:
    first = stream.readline(MAX_HEADER + 1)
    if not first:
        raise ParseError("the file is empty", path=path, line=1, expected="header t,i,j,k,v,q")
    text = header_text(first, path=path, expected="header t,i,j,k,v,q")
    names = [c.strip().strip('"') for c in text.strip().split(",")]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise SchemaError(
            f"not a BACI file: missing column(s) {', '.join(missing)}",
            path=path,
            line=1,
            value=",".join(names)[:200],
            expected="t,i,j,k,v,q",
            hint="Read other layouts as a national CSV with a column map (source kind 'csv')",
        )
    return names


def _raise_arrow(exc: pa.ArrowInvalid, path: str, typed: bool) -> NoReturn:
    if typed:
        raise _Retry() from None
    msg = str(exc)
    m = re.search(r"[Rr]ow #?(\d+)", msg)
    if "straddl" in msg:  # Arrow's words for a line longer than a block
        msg = f"a line longer than {_BLOCK >> 20} MiB"
    raise ParseError(
        f"malformed CSV: {msg.splitlines()[0]}",
        path=path,
        line=int(m.group(1)) if m else None,
        expected="6 comma-separated fields t,i,j,k,v,q per line",
        hint="Fix or remove the line; nothing was written",
    ) from None


def _countries(
    arr: pa.Array | pa.ChunkedArray, lut: pa.Array
) -> tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    codes, bad = as_int(arr)
    np_codes = np.asarray(pc.fill_null(codes, -1).to_numpy(zero_copy_only=False))
    out_of_range = (np_codes < 0) | (np_codes >= len(lut) - 1)
    safe = np.where(bad | out_of_range, len(lut) - 1, np_codes).astype(np.int32)
    # Dictionary-encoded: 11 million rows share ~250 country strings; nothing is copied.
    iso = pa.DictionaryArray.from_arrays(pa.array(safe), pc.fill_null(lut, ""))
    known = np.asarray(pc.is_valid(lut).to_numpy(zero_copy_only=False))
    bad = bad | out_of_range | ~known[safe]
    return iso, bad, np_codes


@functools.lru_cache(maxsize=16)
def _constant(value: str, n: int) -> pa.DictionaryArray:
    """``value`` ``n`` times; kept, as batches mostly have one length (Arrow arrays are
    immutable, so batches may share it)."""
    return pa.DictionaryArray.from_arrays(_zeros(n), pa.array([value], pa.string()))


@functools.lru_cache(maxsize=4)
def _zeros(n: int) -> pa.Array:
    return pa.array(np.zeros(n, dtype=np.int32))


class _ProductCodes:
    """HS6 strings from BACI's integers, padded once per distinct code, not once per row.

    A product is below a million, so a batch's distinct codes are found by marking a table
    of a million flags (no hashing); the tables are kept from batch to batch (only the marks
    a batch set are cleared). A code outside that range (a bad value, refused by the caller)
    becomes ``000000``.
    """

    def __init__(self) -> None:
        self.seen = np.zeros(PRODUCTS, dtype=bool)
        self.position = np.zeros(PRODUCTS, dtype=np.int32)

    def encode(self, k_int: pa.Array) -> pa.DictionaryArray:
        if k_int.null_count:
            k_int = pc.fill_null(k_int, 0)
        k = np.asarray(k_int.to_numpy(zero_copy_only=False))
        if len(k) and (k.min() < 0 or k.max() >= PRODUCTS):
            k = np.where((k >= 0) & (k < PRODUCTS), k, 0)
        self.seen[k] = True
        codes = np.flatnonzero(self.seen)
        self.seen[codes] = False
        self.position[codes] = np.arange(len(codes), dtype=np.int32)
        names = pc.utf8_lpad(pc.cast(pa.array(codes), pa.string()), 6, "0")
        return pa.DictionaryArray.from_arrays(pa.array(self.position[k]), names)


def _np(mask: pa.Array) -> np.ndarray[Any, Any]:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _convert(
    batch: pa.RecordBatch, line: int, *, lut: pa.Array, state: _Pass
) -> tuple[pa.RecordBatch, int]:
    """The batch in the flow schema (good rows only) and how many self-flows were left out."""
    lines = line_numbers(line, batch.num_rows)
    probs = state.log.problems
    year, bad_t = _years(batch, lines, state)
    exporter, bad_i, i_np = _country_column(batch, "i", lines, lut, probs)
    importer, bad_j, j_np = _country_column(batch, "j", lines, lut, probs)
    k_int, product, bad_k = _product_column(batch, lines, state)
    value, qty, bad_vq = _amounts(batch, lines, probs)
    good = ~(bad_t | bad_i | bad_j | bad_k | bad_vq)
    self_flow = good & (i_np == j_np)
    good &= ~self_flow
    state.keys.add((year, i_np, j_np, k_int), lines, good)
    out = _flow_batch(year, exporter, importer, product, value, qty, hs_rev=state.hs_rev)
    if good.all():
        return out, 0
    return out.filter(pa.array(good)), int(self_flow.sum())


def _years(
    batch: pa.RecordBatch, lines: np.ndarray[Any, Any], state: _Pass
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    year, bad_t = as_int(batch.column("t"))
    if state.year is None:
        bad_t = bad_t | outside_years(year)
        expected = "a year"
    else:  # BACI_HS17_Y2019_... holds 2019 only
        bad_t = bad_t | ~_np(pc.equal(year, state.year))
        expected = f"{state.year}, the year in the file name"
    state.log.problems.add_mask(
        bad_t, lines=lines, column="t", values=batch.column("t"), expected=expected
    )
    return year, bad_t


def _country_column(
    batch: pa.RecordBatch, name: str, lines: np.ndarray[Any, Any], lut: pa.Array, probs: Problems
) -> tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    iso, bad, codes = _countries(batch.column(name), lut)
    probs.add_mask(
        bad, lines=lines, column=name, values=batch.column(name), expected="a BACI country code"
    )
    return iso, bad, codes


def _product_column(
    batch: pa.RecordBatch, lines: np.ndarray[Any, Any], state: _Pass
) -> tuple[pa.Array, pa.DictionaryArray, np.ndarray[Any, Any]]:
    """BACI's integer products as HS6 codes, checked against the release's list (or chapters)."""
    k_int, bad_k = as_int(batch.column("k"))
    bad_k = bad_k | ~_np(pc.and_(pc.greater(k_int, 0), pc.less(k_int, 1_000_000)))
    product = state.products.encode(k_int)
    listed = product.dictionary
    if state.chapters_only:
        listed = pc.utf8_slice_codeunits(listed, 0, 2)
    in_list = pc.is_in(listed, value_set=state.known)
    bad_k = bad_k | ~_np(in_list)[np.asarray(product.indices.to_numpy(zero_copy_only=False))]
    state.log.problems.add_mask(
        bad_k,
        lines=lines,
        column="k",
        values=batch.column("k"),
        expected="an HS6 product code"
        + (" (chapters 01-97)" if state.chapters_only else " of the release's product table"),
    )
    return k_int, product, bad_k


def _amounts(
    batch: pa.RecordBatch, lines: np.ndarray[Any, Any], probs: Problems
) -> tuple[pa.Array, pa.Array, np.ndarray[Any, Any]]:
    """Value (thousands of USD) and quantity (tons), and the rows where either is bad."""
    value, bad_v = as_float(batch.column("v"), nullable=False, limit=MAX_USD / 1000)
    probs.add_mask(
        bad_v,
        lines=lines,
        column="v",
        values=batch.column("v"),
        expected=number_expected(MAX_USD / 1000, "thousands of USD"),
    )
    qty, bad_q = as_float(batch.column("q"), nullable=True, limit=MAX_QUANTITY)
    probs.add_mask(
        bad_q,
        lines=lines,
        column="q",
        values=batch.column("q"),
        expected=number_expected(MAX_QUANTITY, "tons", nullable=True),
    )
    return value, qty, bad_v | bad_q


def _flow_batch(
    year: pa.Array,
    exporter: pa.Array,
    importer: pa.Array,
    product: pa.Array,
    value: pa.Array,
    qty: pa.Array,
    *,
    hs_rev: str,
) -> pa.RecordBatch:
    """Every row of the batch in the flow schema (the caller keeps the good ones)."""
    n = len(year)
    # "t" where there is a quantity: the indices of a constant, with the quantity's nulls
    zeros = _zeros(n)
    if qty.offset:  # a slice: its validity bits do not start at the buffer's first bit
        qty = pa.concat_arrays([qty])
    indices = pa.Array.from_buffers(pa.int32(), n, [qty.buffers()[0], zeros.buffers()[1]])
    unit = pa.DictionaryArray.from_arrays(indices, pa.array(["t"], pa.string()))
    return pa.RecordBatch.from_arrays(
        [
            pc.cast(year, pa.int16(), safe=False),
            exporter,
            importer,
            product,
            _constant(hs_rev, n),
            pc.multiply(value, 1000.0),
            qty,
            unit,
            _constant("baci", n),
            _constant("reconciled", n),
        ],
        schema=DICT_FLOW_SCHEMA,
    )


SPEC = ReaderSpec(
    name="baci",
    kind="flows",
    description="CEPII BACI, reconciled bilateral flows (thousands of USD stored in USD)",
    files="a BACI release zip or one BACI_HSxx_Yyyyy CSV (.csv.gz too)",
    read=read_baci,
    options=(
        ReaderOption("release", "Release tag, e.g. V202401 (default: from the file name)."),
        ReaderOption("hs_rev", "HS revision, e.g. HS17 (default: from the file name)."),
    ),
)
