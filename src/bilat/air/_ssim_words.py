"""SSIM records as 64-bit words, and fields read from them eight bytes at a time.

The reader's speed comes from here. A file of ``m`` records of one type is transposed, in
cache-sized blocks, into ``25`` contiguous columns of little-endian 64-bit words (word *k*
holds bytes ``8k+1 … 8k+8`` of every record). A field of up to eight bytes is then one or
two shifts of one or two word columns, and a check or a conversion is a handful of whole-
column integer operations (SWAR, "SIMD within a register") that test or convert all eight
bytes at once: no Python loop per record, no byte-strided NumPy access (which is bound by
one cache miss per record and per field). Text becomes an Arrow string array over a
blank-padded 8-byte-per-lane buffer, right-trimmed in one Arrow kernel.

Every byte is printable ASCII (checked before), so a byte is below ``0x80`` and the
per-byte comparisons below never borrow across bytes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat.air._ssim_layout import Field
from bilat.errors import ParseError

U8 = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]
Mask = npt.NDArray[np.bool_]

WORDS = 25  # 200 bytes
_BLOCK = 16384  # records per transposed block: 3.2 MB, inside the L2/L3 caches
_H = np.uint64(0x8080808080808080)
_ONES = 0x0101010101010101
BLANKS = 0x2020202020202020
_MASK = [np.uint64((1 << (8 * k)) - 1) for k in range(8)] + [np.uint64(2**64 - 1)]
_LO = np.uint64(0x0F0F0F0F0F0F0F0F)
_CLASS_RANGE = {"A": (0x41, 0x5A), "D": (0x30, 0x39), "B": (0x20, 0x20)}


def rep(byte: int) -> np.uint64:
    """``byte`` in each of the eight bytes of a word."""
    return np.uint64(byte * _ONES)


def transpose(arr: U8, rows: npt.NDArray[np.intp]) -> U64:
    """Records ``rows`` of the ``(n, 200)`` byte array as ``(25, m)`` word columns."""
    m = len(rows)
    out = np.empty((WORDS, m), dtype=np.dtype("<u8"))
    consecutive = m > 0 and int(rows[-1]) - int(rows[0]) + 1 == m
    buf = np.empty((min(_BLOCK, max(m, 1)), 200), dtype=np.uint8)
    for s in range(0, m, _BLOCK):
        e = min(m, s + _BLOCK)
        blk = buf[: e - s]
        if consecutive:
            np.copyto(blk, arr[int(rows[0]) + s : int(rows[0]) + e])
        else:
            np.take(arr, rows[s:e], axis=0, out=blk)
        out[:, s:e] = blk.view("<u8").T
    return out


def between(v: U64, lo: int, hi: int) -> U64:
    """High bit of each byte set where ``lo <= byte <= hi``."""
    return ((v | _H) - rep(lo)) & ((rep(hi) | _H) - v) & _H


def is_byte(v: U64, c: int) -> U64:
    """High bit of each byte set where the byte is ``c``."""
    x = v ^ rep(c)
    return ~((x | _H) - rep(1)) & _H


def swar_digits(v: U64, w: int) -> U64:
    """The value of ``w`` (at most 8) ASCII digits in the low bytes of ``v``; blanks count 0."""
    d = (v & _LO) << np.uint64(8 * (8 - w)) if w < 8 else v & _LO
    d = (d * np.uint64(10) + (d >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    d = (d * np.uint64(100) + (d >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    return (d * np.uint64(10000) + (d >> np.uint64(32))) & np.uint64(0xFFFFFFFF)


class Words:
    """The records of one type as word columns, with checks that name the bad field."""

    def __init__(
        self,
        arr: U8,
        rows: npt.NDArray[np.intp],
        lines: npt.NDArray[np.int32],
        path: str,
        kind: str,
    ) -> None:
        self.w = transpose(arr, rows)
        self.arr, self.rows, self.lines, self.path, self.kind = arr, rows, lines, path, kind
        self.m = len(rows)
        self._offsets: dict[int, pa.Buffer] = {}

    def get(self, a: int, w: int) -> U64:
        """Bytes ``a … a+w-1`` (1-based, ``w`` ≤ 8), first byte lowest, high bytes zero."""
        k, s = divmod(a - 1, 8)
        v: U64 = self.w[k] >> np.uint64(8 * s) if s else self.w[k]
        if s + w > 8:
            v = v | (self.w[k + 1] << np.uint64(64 - 8 * s))
        return v & _MASK[w] if w < 8 else v

    def fail(self, bad: Mask, f: Field, expected: str, *, a: int = 0, b: int = 0) -> None:
        """Raise for the first row of ``bad``, quoting the field's bytes as written."""
        if not bad.any():
            return
        i = int(np.argmax(bad))
        a, b = (a or f.start), (b or f.end)
        raw = bytes(self.arr[int(self.rows[i]), a - 1 : b])
        raise ParseError(
            f"bad {f.label} in a type-{self.kind} record",
            path=self.path,
            line=int(self.lines[i]),
            column=f"{f.label} (bytes {a}-{b})",
            value=raw.decode("ascii", "replace"),
            expected=expected,
        )

    def check(self, v: U64, f: Field, w: int) -> None:
        """Refuse a row whose bytes of ``v`` are not all of the classes ``f`` allows."""
        if not (f.allowed or f.chars):
            return
        t = v | _H
        acc = np.zeros(self.m, dtype=np.uint64)
        for lo, hi in [_CLASS_RANGE[c] for c in f.allowed] + [(ord(c), ord(c)) for c in f.chars]:
            acc |= (t - rep(lo)) & ((rep(hi) | _H) - v)
        full = _H & _MASK[w]
        bad = (acc & full) != full
        names = {"A": "upper-case letters", "D": "digits", "B": "blanks"}
        what = [names[c] for c in f.allowed] + ([repr(f.chars)] if f.chars else [])
        self.fail(bad, f, " or ".join(what) + f", {f.width} bytes")

    def text(self, f: Field) -> pa.Array:
        """A ``code`` or ``text`` field, checked and right-trimmed."""
        lanes: list[U64] = []
        blank = rep(0x20)
        blank_ok = f.kind == "text" or "B" in f.allowed or " " in f.chars
        filled = False
        for off in range(0, f.width, 8):
            w = min(8, f.width - off)
            v = self.get(f.start + off, w)
            lane = v | np.uint64(BLANKS & ~int(_MASK[w])) if w < 8 else v
            if not blank_ok or (lane != blank).any():  # blanks allowed: all-blank is fine
                filled = True
                self.check(v, f, w)
            lanes.append(lane)
        return self.strings(lanes) if filled else self.blank_strings()

    def blank_strings(self) -> pa.Array:
        zeros = pa.py_buffer(np.zeros(self.m + 1, dtype=np.int32))
        return pa.Array.from_buffers(pa.string(), self.m, [None, zeros, pa.py_buffer(b"")])

    def strings(self, lanes: list[U64]) -> pa.Array:
        """Right-trimmed strings from blank-padded 8-byte lanes."""
        if len(lanes) == 1:
            data: U64 = lanes[0]
        else:
            data = np.empty((self.m, len(lanes)), dtype=np.dtype("<u8"))
            for j, lane in enumerate(lanes):
                data[:, j] = lane
        width = 8 * len(lanes)
        if self.m * width >= 2**31:  # beyond int32 offsets: trim as large strings
            big = pa.py_buffer(np.arange(self.m + 1, dtype=np.int64) * width)
            out = pa.Array.from_buffers(pa.large_string(), self.m, [None, big, pa.py_buffer(data)])
            return pc.ascii_rtrim(out, characters=" ").cast(pa.string())
        if width not in self._offsets:
            self._offsets[width] = pa.py_buffer(np.arange(self.m + 1, dtype=np.int32) * width)
        out = pa.Array.from_buffers(
            pa.string(), self.m, [None, self._offsets[width], pa.py_buffer(data)]
        )
        return pc.ascii_rtrim(out, characters=" ")

    def integer(self, f: Field) -> tuple[npt.NDArray[np.int64], Mask]:
        """A right-justified digit field: values and the rows left blank."""
        w = f.width
        v = self.get(f.start, w)
        full = _H & _MASK[w]
        dig = between(v, 0x30, 0x39) & full
        if (dig == full).all():  # every row all digits: nothing blank to place
            return swar_digits(v, w).astype(np.int64), np.zeros(self.m, dtype=bool)
        blank = is_byte(v, 0x20) & full
        last = np.uint64(0x80 << (8 * (w - 1)))
        ok = ((dig | blank) == full) & ((dig << np.uint64(8)) & full & ~dig == 0)
        empty = blank == full
        ok &= ((dig & last) != 0) | (empty if f.null else False)
        self.fail(~ok, f, f"{w} digits, right-justified" + (" or blank" if f.null else ""))
        return swar_digits(v, w).astype(np.int64), empty

    def hhmm(self, a: int, f: Field, hh_max: int) -> tuple[npt.NDArray[np.int16], Mask]:
        """``HHMM`` at byte ``a`` → minutes, and the rows left blank (when ``f.null``)."""
        v = self.get(a, 4)
        full = _H & _MASK[4]
        ok = (between(v, 0x30, 0x39) & full) == full
        empty = (is_byte(v, 0x20) & full) == full
        if f.null:
            ok |= empty
        d = v & _LO
        d = (d * np.uint64(10) + (d >> np.uint64(8))) & np.uint64(0x00FF00FF)
        hh = (d & np.uint64(0xFF)).astype(np.int16)
        mm = (d >> np.uint64(16)).astype(np.int16)
        ok &= ((hh <= hh_max) & (mm < 60)) | (empty & f.null)
        expected = "a time HHMM" if hh_max == 24 else "+HHMM or -HHMM"
        self.fail(~ok, f, expected + (" or blank" if f.null else ""))
        return (hh * 60 + mm).astype(np.int16), empty

    def offset(self, f: Field) -> npt.NDArray[np.int16]:
        sign = self.get(f.start, 1)
        self.fail((sign != 43) & (sign != 45), f, "+HHMM or -HHMM")
        minutes, _ = self.hhmm(f.start + 1, f, 14)
        return np.where(sign == 45, -minutes, minutes).astype(np.int16)


_MONTHS = b"JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC"
_MONTH_KEYS = np.array(
    [int.from_bytes(_MONTHS[i : i + 3], "big") for i in range(0, 36, 3)], dtype=np.int32
)
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True


def factorize(keys: U64) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Code of each key and the first row holding each code (hash-based, no sort).

    Codes are numbered in order of first appearance, so a row is a code's first exactly
    when its code exceeds every code before it.
    """
    import pandas as pd

    codes, _ = pd.factorize(keys, sort=False)
    codes = codes.astype(np.intp)
    if not len(codes):
        return codes, codes
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    np.greater(codes[1:], np.maximum.accumulate(codes)[:-1], out=new[1:])
    return codes, np.flatnonzero(new)


def parse_dates(x: U8, *, open_ok: bool, blank_ok: bool) -> tuple[Mask, npt.NDArray[Any], Mask]:
    """DDMMMYY rows → (valid, day, null: open-ended ``00XXX00`` or blank)."""
    is_open = (x == np.frombuffer(b"00XXX00", dtype=np.uint8)).all(axis=1) & open_ok
    is_open |= (x == 32).all(axis=1) & blank_ok
    day = (x[:, 0].astype(np.int32) - 48) * 10 + (x[:, 1].astype(np.int32) - 48)
    yy = (x[:, 5].astype(np.int32) - 48) * 10 + (x[:, 6].astype(np.int32) - 48)
    key = (x[:, 2].astype(np.int32) << 16) | (x[:, 3].astype(np.int32) << 8) | x[:, 4]
    sorted_keys, order = np.sort(_MONTH_KEYS), np.argsort(_MONTH_KEYS)
    month = np.clip(np.searchsorted(sorted_keys, key), 0, 11)
    known = sorted_keys[month] == key
    digits_ok = _DIGIT[x[:, [0, 1, 5, 6]]].all(axis=1)
    year = np.where(yy < 70, 2000 + yy, 1900 + yy)  # SSIM years have two digits
    months = (year - 1970) * 12 + order[month]
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(int)
    ok = is_open | (digits_ok & known & (day >= 1) & (day <= length))
    days = (first + np.where(ok & ~is_open, day - 1, 0)).astype("datetime64[D]")
    return ok, days, is_open


def date(words: Words, f: Field) -> pa.Array:
    """A ``DDMMMYY`` field → date32, each distinct value parsed once."""
    key = words.get(f.start, 7)
    inverse, first_row = factorize(key)
    uniq = np.ascontiguousarray(key[first_row]).astype("<u8").view(np.uint8).reshape(-1, 8)
    ok_u, days_u, null_u = parse_dates(uniq[:, :7], open_ok=f.open, blank_ok=f.null)
    expected = "a date DDMMMYY that exists (a real day of the month), such as 09JUN22"
    expected += " or 00XXX00" if f.open else ""
    expected += " or blank" if f.null else ""
    words.fail(~ok_u[inverse], f, expected)
    return pa.array(days_u[inverse], mask=null_u[inverse], type=pa.date32())
