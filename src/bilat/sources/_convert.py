"""Vectorised conversion and validation of string columns, with line-numbered problems.

Readers load text columns as Arrow strings, convert them here in bulk, and get back the
converted arrays plus a mask of bad rows. Every bad row becomes a
:class:`~bilat.sources.problems.Problem` naming the line, column, value and what was expected,
so the lake can either raise on the first one or send them all to a rejects file
(``skip_bad_rows=True``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import queue
import threading
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bilat.errors import ParseError, ValidationError
from bilat.sources.problems import to_bool_numpy

__all__ = [
    "MAX_BYTES",
    "MAX_QUANTITY",
    "MAX_USD",
    "NULLS",
    "YEARS",
    "FileHasher",
    "HashingReader",
    "as_float",
    "as_int",
    "check_duplicates",
    "check_file",
    "check_header",
    "header_text",
    "line_numbers",
    "lookup",
    "normalise_products",
    "not_text",
    "number_expected",
    "outside_years",
    "read_whole",
    "split_header",
]

#: The largest value of one row bilat accepts, in US dollars. World merchandise trade is about
#: 3e13 USD a year, so one flow above 1e15 is a unit or parsing error, never data.
MAX_USD = 1e15
#: The largest quantity of one row (tons, kilograms, items): as generous as ``MAX_USD``.
MAX_QUANTITY = 1e15
#: Years a row may carry: from 1900 to next year (later is a typo or a forecast, not data).
YEARS = (1900, dt.date.today().year + 1)
#: A first line (the header) longer than this is not a header: the file is something else.
MAX_HEADER = 1 << 16
#: Readers that read a file whole (JSON must be) refuse one that unpacks to more than this,
#: rather than let it exhaust memory (a gzip bomb unpacks 1 MB into 1 GB).
MAX_BYTES = 1 << 31

NULLS = ("", "NA", "N/A", "null", "NULL", "nan", "NaN", "None")
_NUMBER = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"
_INTEGER = r"^\s*[+-]?\d+(\.0*)?\s*$"


def _is_null_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    stripped = pc.utf8_trim_whitespace(arr)
    return pc.or_(pc.is_null(arr), pc.is_in(stripped, value_set=pa.array(NULLS)))


def number_expected(limit: float, unit: str, *, nullable: bool = False) -> str:
    """What :func:`as_float` accepts, said in an error: ``a number from 0 to 1e+12 (USD)``."""
    text = f"a finite number from 0 to {limit:.0e} ({unit})"
    return text + " or empty" if nullable else text


def as_float(
    arr: pa.Array | pa.ChunkedArray,
    *,
    nullable: bool,
    non_negative: bool = True,
    limit: float = MAX_USD,
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    """Parse decimal text to float64. Returns the values and a bad-row mask.

    Empty and ``NA`` are nulls (bad when not ``nullable``); negative numbers are bad when
    ``non_negative``; ``inf``, ``NaN``, numbers too large for a float (``1e309``, a 20 MB run
    of digits) and numbers beyond ``limit`` in absolute value are always bad.
    """
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        vals = pc.cast(arr, pa.float64())
        null = pc.is_null(vals)
        bad = pc.and_(null, pa.scalar(not nullable))
    else:
        null = _is_null_text(arr)
        ok = pc.match_substring_regex(arr, _NUMBER)
        bad = pc.and_(pc.invert(null), pc.invert(pc.fill_null(ok, False)))
        if not nullable:
            bad = pc.or_(bad, null)
        clean = pc.if_else(pc.or_(bad, null), pa.scalar(None, pa.string()), arr)
        vals = pc.cast(pc.utf8_trim_whitespace(clean), pa.float64())
    if non_negative:
        bad = pc.or_(bad, pc.fill_null(pc.less(vals, 0.0), False))
    finite = pc.and_(pc.is_finite(vals), pc.less_equal(pc.abs(vals), limit))
    bad = pc.or_(bad, pc.invert(pc.fill_null(finite, True)))
    bad_np = to_bool_numpy(bad)
    if isinstance(vals, pa.ChunkedArray):
        vals = vals.combine_chunks()
    return vals, bad_np


def as_int(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    """Parse integer text (``2021``, ``2021.0``) to int64; nulls are bad."""
    if pa.types.is_integer(arr.type):
        vals = pc.cast(arr, pa.int64())
        bad = to_bool_numpy(pc.is_null(vals))
    else:
        ok = pc.fill_null(pc.match_substring_regex(arr, _INTEGER), False)
        as_f = pc.cast(pc.if_else(ok, pc.utf8_trim_whitespace(arr), None), pa.float64())
        # 20 digits do not fit an int64 (and 400 are an inf): out of range is bad, not a crash
        ok = pc.and_(ok, pc.fill_null(pc.less(pc.abs(as_f), 2.0**62), False))
        bad_arr = pc.invert(ok)
        vals = pc.cast(pc.if_else(bad_arr, pa.scalar(None, pa.float64()), as_f), pa.int64())
        bad = to_bool_numpy(bad_arr)
    if isinstance(vals, pa.ChunkedArray):
        vals = vals.combine_chunks()
    return vals, bad


def outside_years(years: pa.Array | pa.ChunkedArray) -> np.ndarray[Any, Any]:
    """Rows whose year is outside :data:`YEARS` (1066 is a typo, not a trade year)."""
    first, last = YEARS
    inside = pc.and_(pc.greater_equal(years, first), pc.less_equal(years, last))
    out: np.ndarray[Any, Any] = ~to_bool_numpy(inside) & ~to_bool_numpy(pc.is_null(years))
    return out


def lookup(
    arr: pa.Array | pa.ChunkedArray, table: Mapping[str, str]
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    """Map text codes through ``table``; codes not in it are bad."""
    keys = pa.array(list(table.keys()), pa.string())
    values = pa.array(list(table.values()), pa.string())
    text = pc.utf8_trim_whitespace(pc.cast(arr, pa.string()))
    idx = pc.index_in(text, value_set=keys)
    out = pc.take(values, idx)
    bad = to_bool_numpy(pc.is_null(out))
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return out, bad


def normalise_products(
    arr: pa.Array | pa.ChunkedArray, *, known: Iterable[str] | None = None
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    """Normalise HS codes in bulk: strip dots, restore a lost leading zero, keep ``TOTAL``.

    A code that is not 1-6 digits (or ``TOTAL``), starts with chapter ``00``, or is not in
    ``known`` (when given) is bad.
    """
    text = pc.utf8_trim_whitespace(pc.cast(arr, pa.string()))
    text = pc.replace_substring(text, ".", "")
    upper = pc.utf8_upper(text)
    is_total = pc.is_in(upper, value_set=pa.array(["TOTAL", "ALL"]))
    digits = pc.fill_null(pc.match_substring_regex(text, r"^\d{1,6}$"), False)
    odd = pc.equal(pc.bit_wise_and(pc.utf8_length(text), 1), 1)
    padded = pc.if_else(odd, pc.binary_join_element_wise("0", text, ""), text)
    out = pc.if_else(is_total, pa.scalar("TOTAL"), padded)
    bad = pc.and_(pc.invert(is_total), pc.invert(digits))
    bad = pc.or_(bad, pc.fill_null(pc.starts_with(out, "00"), False))
    if known is not None:
        known_arr = pa.array(sorted(set(known)), pa.string())
        unknown = pc.and_(pc.invert(is_total), pc.invert(pc.is_in(out, value_set=known_arr)))
        bad = pc.or_(bad, unknown)
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return out, to_bool_numpy(bad)


class HashingReader(io.RawIOBase):
    """A read-only stream that computes the SHA-256 of everything read through it.

    The hashing runs in its own thread (``hashlib`` releases the GIL on large buffers), so on
    a multi-core machine the checksum costs the reader almost nothing.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        self._thread = threading.Thread(target=self._hash, name="bilat-sha256", daemon=True)
        self._thread.start()
        self._digest: str | None = None

    def _hash(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            self.sha256.update(chunk)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        self._feed(data)
        return n

    def read(self, size: int = -1) -> bytes:
        data = bytes(self._raw.read(size))
        self._feed(data)
        return data

    def _feed(self, data: bytes) -> None:
        if data:
            self.bytes_read += len(data)
            self._chunks.put(data)

    def hexdigest(self) -> str:
        """The checksum of all bytes read so far (stops the hashing thread)."""
        if self._digest is None:
            self._chunks.put(None)
            self._thread.join()
            self._digest = self.sha256.hexdigest()
        return self._digest

    def close(self) -> None:
        """Stop the hashing thread (also on error paths, so no thread is left waiting)."""
        self.hexdigest()
        super().close()


class FileHasher:
    """The SHA-256 of a file's bytes, computed by a thread of its own while others read it.

    The fast path hands the file to an engine that reads it by path; this thread reads the
    same bytes (from the page cache, mostly) beside it, and counts one byte string in them
    when asked (the BACI fast path counts commas). :meth:`stop` abandons the work (the
    exact path, which hashes as it reads, takes over); :meth:`result` waits for it.
    """

    def __init__(self, path: Path, block: int = 1 << 22, *, count: bytes | None = None) -> None:
        self._path, self._block, self._count = path, block, count
        self.commas = 0  # occurrences of ``count`` in the bytes, when given
        self._sha = hashlib.sha256()
        self._stopped = threading.Event()
        self._failure: list[OSError] = []
        self.bytes_read = 0
        self._thread = threading.Thread(target=self._run, name="bilat-sha256-file", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        buffer = bytearray(self._block)  # one buffer, refilled: no allocation per block
        view = memoryview(buffer)
        try:
            with self._path.open("rb", buffering=0) as fh:
                while not self._stopped.is_set() and (n := fh.readinto(buffer)):
                    self._sha.update(view[:n])
                    self.bytes_read += n
                    if self._count is not None:
                        self.commas += buffer.count(self._count, 0, n)
        except OSError as exc:  # raised by result(), in the reading thread
            self._failure.append(exc)

    def stop(self) -> None:
        """Abandon the checksum and wait for the thread to end."""
        self._stopped.set()
        self._thread.join()

    def result(self) -> str:
        """The hex digest of the whole file (waits for the thread)."""
        self._thread.join()
        if self._failure:
            raise self._failure[0]
        return self._sha.hexdigest()


def check_file(path: Path) -> None:
    """Refuse a path that is missing or is a folder, before anything opens it."""
    if not path.exists():
        raise ParseError("no such file", path=path, hint="Check the path")
    if path.is_dir():
        raise ParseError(
            "this is a folder, not a file", path=path, hint="Give the path of a file in it"
        )


_MAGIC = (
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PAR1", "a Parquet file"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"%PDF", "a PDF document"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
)


def not_text(head: bytes) -> str | None:
    """What the first bytes of a file are when they are not text (``"a zip archive"``), else None.

    Text in any 8-bit encoding passes (national files are often Windows-1251 or Latin-1);
    known magic numbers, NUL bytes and a run of control characters do not.
    """
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    sample = head[:4096]
    if b"\x00" in sample:
        return "binary data"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls > len(sample) // 20:
        return "binary data"
    return None


def header_text(first: bytes, *, path: str, expected: str) -> str:
    """The first line of a CSV as text, refusing one that is binary or has no line end.

    ``first`` is the line as read (``stream.readline(MAX_HEADER + 1)``, or the bytes before
    the first newline): a zip inside a zip, a 2 GB run of spaces or a JSON document in a
    ``.csv`` gets a message saying what the file is, never its bytes.
    """
    what = not_text(first)
    if what is not None:
        raise ParseError(
            f"not a CSV text file: it holds {what}",
            path=path,
            line=1,
            expected=expected,
            hint="Extract or convert it first; nothing was written",
        )
    if len(first) > MAX_HEADER:
        raise ParseError(
            f"the first line has no line end within {MAX_HEADER:,} bytes, so it is no header",
            path=path,
            line=1,
            value=first[:40].decode("utf-8", "replace"),
            expected=expected,
            hint="Check that it is the file you meant; nothing was written",
        )
    return first.decode("utf-8-sig", "replace").rstrip("\r\n")


def split_header(raw: bytes, p: str | Path, *, expected: str) -> tuple[str, bytes]:
    """The header line as text and the bytes after it; a file of one line has no data rows."""
    first, newline, body = raw.partition(b"\n")
    text = header_text(first, path=str(p), expected=expected)
    if not newline or not body.strip():
        raise ParseError(
            "the file has a first line and no data rows",
            path=p,
            line=1,
            value=text,
            expected=expected + " and then one row per line",
            hint="Check that it is the file you meant; nothing was written",
        )
    return text, body


def check_duplicates(
    table: pa.Table,
    keys: Sequence[str],
    lines: np.ndarray[Any, Any],
    *,
    path: str,
    what: str = "row",
    unit: str = "lines",
) -> None:
    """Refuse rows that repeat a key, naming the key and the lines (or records) holding it."""
    if table.num_rows < 2:
        return
    counts = table.select(list(keys)).group_by(list(keys)).aggregate([([], "count_all")])
    if counts.num_rows == table.num_rows:
        return  # every key once: the common case costs one hash aggregation, no lists
    t = table.select(list(keys)).append_column("_line", pa.array(lines, pa.int64()))
    groups = t.group_by(list(keys), use_threads=False).aggregate([("_line", "list")])
    sizes = pc.list_value_length(groups.column("_line_list"))
    dup = groups.filter(pc.greater(sizes, 1))
    if not dup.num_rows:
        return
    # lists keep the input order (one thread): the first repeat is the smallest second line
    second = pc.list_element(dup.column("_line_list"), 1)
    row = dup.slice(int(pc.index(second, pc.min(second)).as_py()), 1).to_pylist()[0]
    at = row["_line_list"]
    more = f" (and {len(at) - 2} more)" if len(at) > 2 else ""
    key = {k: row[k] for k in keys}
    raise ValidationError(
        f"duplicated key {key}: the same {what} is on {unit} {at[0]} and {at[1]}{more}",
        path=path,
        line=int(at[1]),
        expected="one row per " + ", ".join(keys),
        hint="Remove the repeated row (or aggregate) and ingest again; nothing was written",
    )


def line_numbers(start: int, n: int) -> np.ndarray[Any, Any]:
    """Line numbers of ``n`` consecutive records whose first is on line ``start``."""
    return np.arange(start, start + n, dtype=np.int64)


def check_header(
    found: Sequence[str], required: Sequence[str], *, path: str, fmt: str, hint: str
) -> None:
    """Raise a SchemaError naming the missing columns, the file and what to do."""
    from bilat.errors import SchemaError

    missing = [c for c in required if c not in found]
    if missing:
        raise SchemaError(
            f"not a {fmt} file: missing column(s) {', '.join(missing)}",
            path=path,
            line=1,
            value=",".join(found)[:200],
            expected=", ".join(required),
            hint=hint,
        )


def read_whole(p: Path, *, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes (unpacked when ``.gz``), refusing damage and more than ``limit`` bytes."""
    try:
        with gzip.open(p, "rb") if p.suffix == ".gz" else p.open("rb") as fh:
            data = fh.read(limit + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise ParseError(
            f"the file ends early or is damaged ({exc})",
            path=p,
            hint="Download it again; nothing was written",
        ) from None
    if len(data) > limit:
        raise ParseError(
            f"the file holds more than {limit >> 20:,} MiB (unpacked), more than bilat reads whole",
            path=p,
            hint="Split it into smaller files (by year or reporter); nothing was written",
        )
    return data
