"""Write a :class:`~bilat.air.ssim.Schedule` back as SSIM Chapter 7 records, vectorised.

Every field of records 1 to 5 is written where :mod:`bilat.air._ssim_layout` puts it, so
that :func:`~bilat.air.ssim.parse_ssim` reads every column back unchanged. Records are
200 bytes; the header and each carrier record fill their 1,000-byte block with zero
records, and each trailer starts a new block, as the standard's blocked layout has it.
Within a data set, legs and segment records keep the order of their ``line``.

What the reader cannot tell apart is written one way: a weekly frequency rate and a date
variation of 0 are written blank, a flight number is padded with blanks, and spare bytes
are blank.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat._files import write_atomic
from bilat.air._ssim_layout import CARRIER, HEADER, LEG, SEGMENT, TRAILER, Field
from bilat.air.ssim import RECORD_LENGTH, Schedule
from bilat.errors import InputError

__all__ = ["write_ssim"]

U8 = npt.NDArray[np.uint8]
_MONTHS = np.frombuffer(b"JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC", dtype=np.uint8).reshape(12, 3)
_ENDINGS = {"LF": b"\n", "CRLF": b"\r\n", "none": b""}
_BLOCK = 5


def write_ssim(
    schedule: Schedule,
    path: str | Path | None = None,
    *,
    line_ending: str | None = None,
    renumber: bool = False,
) -> bytes:
    """The schedule as SSIM bytes; written atomically to ``path`` when one is given.

    Parameters
    ----------
    schedule
        What :func:`~bilat.air.read_ssim` returned, or tables of the same columns.
    path
        Where to write (a temporary file in the same folder, then renamed over it).
    line_ending
        ``"LF"``, ``"CRLF"`` or ``"none"``; default the schedule's own.
    renumber
        Number the records 1, 2, 3 … in the order written (trailers' check references
        follow); by default each record keeps the serial number it was read with.

    Raises
    ------
    InputError
        A value that does not fit its field (too long, negative, a year outside 1970-2069).
    """
    ending = line_ending or schedule.line_ending
    if ending not in _ENDINGS:
        raise InputError(f"unknown line ending {ending!r}: use LF, CRLF or none")
    recs = _assemble(schedule, renumber=renumber)
    eol = np.frombuffer(_ENDINGS[ending], dtype=np.uint8)
    out = np.empty((len(recs), RECORD_LENGTH + len(eol)), dtype=np.uint8)
    out[:, :RECORD_LENGTH] = recs
    out[:, RECORD_LENGTH:] = eol
    data = out.tobytes()
    if path is not None:
        write_atomic(Path(path), data)
    return data


def _assemble(s: Schedule, *, renumber: bool) -> U8:
    """Every record in file order, zero blocks included."""
    header = _records("1", s.header, HEADER) if s.header.num_rows else _default_header()
    legs, segs = _records("3", s.legs, LEG), _records("4", s.segments, SEGMENT)
    carriers = _records("2", s.carriers, CARRIER)
    trailers, trailer_of = _trailers(s)
    parts: list[U8] = [_pad(header)]
    for d in [-1, *s.carriers["dataset"].to_pylist()]:
        body = _body(s, d, legs, segs)
        if d < 0:
            parts.append(body)
            continue
        parts.append(_pad(carriers[_where(s.carriers, d)]))
        parts.append(_pad(body))
        parts.append(_pad(trailers[trailer_of[d]]))
    recs = np.concatenate([p for p in parts if len(p)])
    if renumber:
        _renumber(recs)
    else:
        _close_made_trailers(recs)
    return recs


def _close_made_trailers(recs: U8) -> None:
    """A trailer made here names the serial number before it and takes the next one."""
    real = np.flatnonzero(recs[:, 0] != ord("0"))
    for k in np.flatnonzero(recs[real, 0] == ord("5")):
        i = real[k]
        if k and (recs[i, 187:193] == 32).all() and (recs[i, 194:200] == 32).all():
            prev = recs[real[k - 1], 194:200]
            recs[i, 187:193] = prev
            number = int(bytes(prev).decode().strip() or 0) % 999999 + 1
            recs[i, 194:200] = np.frombuffer(f"{number:06d}".encode(), dtype=np.uint8)


def _where(t: pa.Table, d: int) -> npt.NDArray[np.intp]:
    return np.flatnonzero(t["dataset"].to_numpy() == d)


def _body(s: Schedule, d: int, legs: U8, segs: U8) -> U8:
    """Legs and segment records of data set ``d``, in the order of their lines."""
    lw, sw = _where(s.legs, d), _where(s.segments, d)
    lines = np.concatenate(
        [s.legs["line"].to_numpy()[lw], s.segments["line"].to_numpy()[sw]]
    ).astype(np.int64)
    both = np.concatenate([legs[lw], segs[sw]])
    return both[np.argsort(lines, kind="stable")]


def _pad(recs: U8) -> U8:
    """Records followed by zero records up to the end of their block."""
    n = len(recs)
    if n == 0:
        return recs
    out = np.full((n + (-n) % _BLOCK, RECORD_LENGTH), ord("0"), dtype=np.uint8)
    out[:n] = recs
    return out


def _trailers(s: Schedule) -> tuple[U8, dict[int, list[int]]]:
    """The trailers read, one made for each data set that had none (its airline, code E),
    and the rows of each data set's trailers."""
    recs = _records("5", s.trailers, TRAILER)
    of: dict[int, list[int]] = {}
    for i, d in enumerate(s.trailers["dataset"].to_pylist()):
        of.setdefault(d, []).append(i)
    missing = [d for d in s.carriers["dataset"].to_pylist() if d not in of]
    if not missing:
        return recs, of
    made = _blank(len(missing), "5")
    airlines = dict(
        zip(s.carriers["dataset"].to_pylist(), s.carriers["airline"].to_pylist(), strict=True)
    )
    for i, d in enumerate(missing):
        made[i, 2:5] = np.frombuffer(str(airlines[d]).ljust(3)[:3].encode(), dtype=np.uint8)
        made[i, 193] = ord("E")
        made[i, 187:193] = made[i, 194:200] = ord(" ")  # filled in once placed
        of[d] = [len(recs) + i]
    return np.concatenate([recs, made]), of


def _default_header() -> U8:
    rec = _blank(1, "1")
    rec[0, 1:35] = np.frombuffer(b"AIRLINE STANDARD SCHEDULE DATA SET", dtype=np.uint8)
    return rec


def _blank(n: int, kind: str) -> U8:
    recs = np.full((n, RECORD_LENGTH), ord(" "), dtype=np.uint8)
    recs[:, 0] = ord(kind)
    return recs


def _renumber(recs: U8) -> None:
    """Serial numbers 1, 2, … over the non-zero records; each trailer names the one before."""
    real = np.flatnonzero(recs[:, 0] != ord("0"))
    serial = (np.arange(len(real)) % 999999) + 1
    recs[real, 194:200] = _digits(serial, 6, "0")
    trailer = recs[real, 0] == ord("5")
    before = np.where(trailer)[0]
    prev = serial[np.maximum(before - 1, 0)]
    recs[real[before], 187:193] = _digits(prev, 6, "0")


# --------------------------------------------------------------------------- fields


def _records(kind: str, t: pa.Table, fields: tuple[Field, ...]) -> U8:
    """The rows of ``t`` as records of type ``kind``."""
    recs = _blank(t.num_rows, kind)
    for f in fields:
        if f.kind == "datevar":
            for a, name in ((f.start, "dep_date_variation"), (f.end, "arr_date_variation")):
                v = _ints(t, name, f, -1, 9)
                recs[:, a - 1] = np.where(v < 0, ord("A"), np.where(v == 0, 32, 48 + v))
            continue
        recs[:, f.start - 1 : f.end] = _encode(t, f)
    return recs


def _encode(t: pa.Table, f: Field) -> U8:
    """One field of every row as ``(n, width)`` bytes."""
    col = t[f.name]
    if f.kind in ("code", "text", "days"):
        return _text(col, f)
    if f.kind == "rate":
        v = _ints(t, f.name, f, 1, 2)
        return np.where(v == 2, ord("2"), ord(" ")).astype(np.uint8)[:, None]
    if f.kind == "int":
        v = _ints(t, f.name, f, 0, 10**f.width - 1)
        return _nulls(_digits(v, f.width, f.pad), col, f)
    if f.kind == "time":
        v = _ints(t, f.name, f, 0, 24 * 60 + 59)
        return _nulls(_digits((v // 60) * 100 + v % 60, 4, "0"), col, f)
    if f.kind == "offset":
        v = _ints(t, f.name, f, -(14 * 60 + 59), 14 * 60 + 59)
        out = np.empty((len(v), 5), dtype=np.uint8)
        out[:, 0] = np.where(v < 0, ord("-"), ord("+"))
        a = np.abs(v)
        out[:, 1:] = _digits((a // 60) * 100 + a % 60, 4, "0")
        return out
    return _dates(col, f)


def _fail(f: Field, value: object, expected: str) -> InputError:
    return InputError(
        f"{f.name} value {value!r} does not fit SSIM bytes {f.start}-{f.end} ({f.label}): "
        f"expected {expected}",
        details={"column": f.name, "value": str(value), "expected": expected},
    )


def _ints(t: pa.Table, name: str, f: Field, lo: int, hi: int) -> npt.NDArray[np.int64]:
    col = t[name]
    v = col.fill_null(0).to_numpy().astype(np.int64) if col.null_count else col.to_numpy()
    v = np.asarray(v, dtype=np.int64)
    bad = (v < lo) | (v > hi)
    if bad.any():
        raise _fail(f, int(v[np.argmax(bad)]), f"an integer from {lo} to {hi}")
    return v


def _digits(v: npt.NDArray[np.int64], w: int, pad: str) -> U8:
    """Right-justified decimal digits; ``pad`` fills the left (at least one digit kept)."""
    out = np.empty((len(v), w), dtype=np.uint8)
    for j in range(w):
        p = 10 ** (w - 1 - j)
        out[:, j] = 48 + (v // p) % 10
        if pad == " " and j < w - 1:
            out[:, j] = np.where(v < p, 32, out[:, j])
    return out


def _nulls(out: U8, col: pa.ChunkedArray, f: Field) -> U8:
    if col.null_count:
        if not f.null:
            raise _fail(f, None, "a value (the field cannot be blank)")
        out[col.is_null().to_numpy(zero_copy_only=False)] = ord(" ")
    return out


def _text(col: pa.ChunkedArray, f: Field) -> U8:
    """Left-justified, blank-padded text of exactly the field's width."""
    col = col.fill_null("")
    length = pc.binary_length(pc.cast(col, pa.binary())).to_numpy()
    if len(length) and (bad := length > f.width).any():
        raise _fail(f, col[int(np.argmax(bad))].as_py(), f"at most {f.width} characters")
    if (
        f.kind == "code"
        and "B" not in f.allowed
        and len(length)
        and (bad := length < f.width).any()
    ):
        raise _fail(f, col[int(np.argmax(bad))].as_py(), f"exactly {f.width} characters")
    padded = pc.cast(pc.utf8_rpad(col, f.width, " "), pa.binary()).combine_chunks()
    raw = np.frombuffer(padded.buffers()[2] or b"", dtype=np.uint8)
    start = (
        int(np.frombuffer(padded.buffers()[1], dtype=np.int32)[padded.offset]) if len(padded) else 0
    )
    out = raw[start : start + len(padded) * f.width].reshape(-1, f.width)
    if len(out) and ((out < 32) | (out > 126)).any():
        raise _fail(f, "", "printable ASCII")
    return out


def _dates(col: pa.ChunkedArray, f: Field) -> U8:
    """``DDMMMYY``; a null is ``00XXX00`` where the field may be open, else blank."""
    days = (
        col.fill_null(0).to_numpy().astype("datetime64[D]")
        if col.null_count
        else col.to_numpy().astype("datetime64[D]")
    )
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    out = np.empty((len(days), 7), dtype=np.uint8)
    out[:, 0:2] = _digits((days - months).astype(np.int64) + 1, 2, "0")
    out[:, 2:5] = _MONTHS[months.astype(np.int64) % 12]
    out[:, 5:7] = _digits(year % 100, 2, "0")
    null = col.is_null().to_numpy(zero_copy_only=False)
    bad = ((year < 1970) | (year > 2069)) & ~null
    if bad.any():
        raise _fail(f, str(days[np.argmax(bad)]), "a date from 1970 to 2069 (two-digit years)")
    if null.any():
        if not (f.open or f.null):
            raise _fail(f, None, "a date (the field cannot be blank)")
        out[null] = np.frombuffer(b"00XXX00" if f.open else b"       ", dtype=np.uint8)
    return out
