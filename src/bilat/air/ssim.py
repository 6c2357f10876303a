"""Read IATA SSIM Chapter 7 schedule files into Arrow tables, vectorised.

A file is a run of fixed 200-byte records (line ends LF, CRLF or none), typed by byte 1:
``1`` header, ``2`` carrier (one per data set), ``3`` flight leg, ``4`` segment data,
``5`` trailer, ``0`` zero-filled separators. The file is read as bytes into an
``(n, 200)`` uint8 array; every field is a column slice, validated and converted with NumPy,
so no Python code runs per record (only when line lengths are irregular).

Columns of :attr:`Schedule.legs` (one row per type-3 record):
``line`` (int32, 1-based line in the file), ``dataset`` (int16, index of the preceding type-2
record), ``airline``, ``suffix``, ``flight_number`` (int32), ``ivi`` (itinerary variation,
int16), ``leg_seq`` (int16), ``service_type``, ``period_from`` / ``period_to`` (date32;
``period_to`` null for the open ``00XXX00``), ``days`` (seven characters, digit = day of
operation, Monday = 1), ``days_mask`` (uint8, bit *k-1* set when day *k* operates),
``frequency_rate`` (1 weekly, 2 fortnightly), ``dep``, ``std`` (passenger departure),
``dep_utc_offset`` (minutes), ``arr``, ``sta`` (passenger arrival), ``arr_utc_offset``,
``aircraft_type``, ``aircraft_config`` (aircraft configuration/version, bytes 173-192,
e.g. ``C12Y150``), ``trc`` (traffic restriction codes, bytes 150-160), ``trc_overflow``,
``dep_date_variation`` / ``arr_date_variation`` (days the aircraft departure or arrival
falls after the leg's date, -1 for ``A``), ``serial``, ``time_mode`` (``U`` when the data
set's times and dates are UTC, ``L`` when local, from its type-2 record; null for a leg
before any type-2 record). ``std`` and ``sta`` are minutes after midnight in that mode.

Columns of :attr:`Schedule.segments` (type-4 records): ``line``, ``dataset``, ``airline``,
``suffix``, ``flight_number``, ``ivi``, ``leg_seq``, ``service_type``, ``board``, ``off``,
``dei`` (data element identifier, int16), ``data`` (bytes 40-194, right-trimmed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat.errors import ParseError

__all__ = ["RECORD_LENGTH", "Schedule", "read_ssim"]

RECORD_LENGTH = 200
_MONTHS = [
    b"JAN",
    b"FEB",
    b"MAR",
    b"APR",
    b"MAY",
    b"JUN",
    b"JUL",
    b"AUG",
    b"SEP",
    b"OCT",
    b"NOV",
    b"DEC",
]
_MONTH_KEYS = np.array([(m[0] << 16) | (m[1] << 8) | m[2] for m in _MONTHS], dtype=np.int32)

_SLOT_HINT = (
    "It looks like an SSIM Chapter 6 slot message (SCR/SIR), not a Chapter 7 schedule: "
    "read it with `bilat air slots FILE`"
)

U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Schedule:
    """A parsed SSIM file.

    Attributes
    ----------
    path
        The file read.
    legs
        One row per flight leg (type 3); columns in the module docstring.
    segments
        One row per segment data record (type 4).
    carriers
        One row per data set (type 2): ``dataset``, ``airline``, ``time_mode`` (U/L),
        ``season``, ``period_from``, ``period_to`` (text as written), ``line``.
    record_counts
        Number of records of each type (``"0"`` … ``"5"``).
    duplicates
        Legs whose key (data set, airline, suffix, flight number, itinerary variation, leg
        sequence, service type, period and days of operation) occurs more than once, with
        ``count`` and ``first_line``.
    warnings
        Problems that do not stop reading: no trailer record, a serial check reference that
        does not match, short records padded.
    line_ending
        ``"LF"``, ``"CRLF"`` or ``"none"``.
    """

    path: str
    legs: pa.Table
    segments: pa.Table
    carriers: pa.Table
    record_counts: dict[str, int]
    duplicates: pa.Table
    warnings: tuple[str, ...] = field(default=())
    line_ending: str = "LF"


def read_ssim(path: str | Path) -> Schedule:
    """Read an SSIM Chapter 7 file.

    Raises
    ------
    ParseError
        For a record that breaks the format: the message names the file, the 1-based line,
        the field and its byte columns, the value found and what was expected.

    Examples
    --------
    >>> s = read_ssim("tests/fixtures/air/blr-kaz.ssim")  # doctest: +SKIP
    >>> s.legs.num_rows  # doctest: +SKIP
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read SSIM file: {exc.strerror}", path=p) from exc
    return parse_ssim(data, path=str(p))


def parse_ssim(data: bytes, *, path: str = "<bytes>") -> Schedule:
    """Parse SSIM bytes; see :func:`read_ssim`."""
    warnings: list[str] = []
    arr, lines, ending = _records(data, path, warnings)
    _check_ascii(arr, lines, path)
    rtype = arr[:, 0]
    bad = ~np.isin(rtype, np.frombuffer(b"012345", dtype=np.uint8))
    if bad.any():
        i = int(np.argmax(bad))
        raise ParseError(
            "unknown record type",
            path=path,
            line=int(lines[i]),
            column="record type (byte 1)",
            value=chr(int(rtype[i])),
            expected="0, 1, 2, 3, 4 or 5",
            hint=_SLOT_HINT if data.lstrip()[:3] in (b"SCR", b"SIR") else None,
        )
    tally = np.bincount(rtype, minlength=256)
    counts = {str(t): int(tally[48 + t]) for t in range(6)}
    if not any(counts[t] for t in "12345"):
        raise ParseError(
            "the file holds no SSIM records (it is empty or only blank and zero-filled lines)",
            path=path,
            expected="records of types 1 to 5, 200 bytes each",
            hint="Check that it is the schedule file you meant",
        )
    dataset = (np.cumsum(rtype == ord("2")) - 1).astype(np.int16)
    carriers = _carriers(arr[rtype == ord("2")], lines[rtype == ord("2")], dataset[rtype == 50])
    is3, is4 = rtype == ord("3"), rtype == ord("4")
    r3, r4 = np.flatnonzero(is3), np.flatnonzero(is4)
    legs = _legs(arr, r3, lines[is3], dataset[is3], path)
    legs = legs.append_column("time_mode", _leg_time_mode(carriers, dataset[is3]))
    segments = _segments(arr, r4, lines[is4], dataset[is4], path)
    _trailer_checks(arr, rtype, counts, path, warnings)
    if counts["3"] and int(dataset[is3].min()) < 0:
        warnings.append("flight legs appear before any carrier record (type 2)")
    return Schedule(
        path=path,
        legs=legs,
        segments=segments,
        carriers=carriers,
        record_counts=counts,
        duplicates=_duplicates(legs, arr, r3, dataset[is3]),
        warnings=tuple(warnings),
        line_ending=ending,
    )


# --------------------------------------------------------------------------- records


def _records(data: bytes, path: str, warnings: list[str]) -> tuple[U8, npt.NDArray[np.int32], str]:
    """The file as an (n, 200) array of records and the 1-based line of each."""
    if b"\n" not in data:
        body = data.rstrip(b"\r\x1a")
        if len(body) % RECORD_LENGTH:
            raise ParseError(
                f"file length {len(body)} is not a multiple of {RECORD_LENGTH} and it has no "
                "line ends",
                path=path,
                line=len(body) // RECORD_LENGTH + 1,
                expected="fixed 200-byte records",
            )
        n = len(body) // RECORD_LENGTH
        arr = np.frombuffer(body, dtype=np.uint8).reshape(n, RECORD_LENGTH)
        return arr, np.arange(1, n + 1, dtype=np.int32), "none"
    ending = "CRLF" if data[RECORD_LENGTH : RECORD_LENGTH + 2] == b"\r\n" else "LF"
    width = RECORD_LENGTH + (2 if ending == "CRLF" else 1)
    body = data if data.endswith(b"\n") else data + (b"\r\n" if ending == "CRLF" else b"\n")
    if len(body) % width == 0:
        n = len(body) // width
        grid = np.frombuffer(body, dtype=np.uint8).reshape(n, width)
        eol_ok = bool((grid[:, -1] == 10).all()) and (
            ending == "LF" or bool((grid[:, RECORD_LENGTH] == 13).all())
        )
        if eol_ok:
            return grid[:, :RECORD_LENGTH], np.arange(1, n + 1, dtype=np.int32), ending
    return _irregular(data, path, warnings, ending)


def _irregular(
    data: bytes, path: str, warnings: list[str], ending: str
) -> tuple[U8, npt.NDArray[np.int32], str]:
    """Slow path for files whose lines are not all 200 bytes: pad short, refuse long."""
    rows: list[bytes] = []
    numbers: list[int] = []
    padded = 0
    for no, raw in enumerate(data.split(b"\n"), start=1):
        rec = raw[:-1] if raw.endswith(b"\r") else raw
        if not rec.strip(b" \x1a"):
            continue
        if len(rec) > RECORD_LENGTH:
            raise ParseError(
                f"record is {len(rec)} bytes long",
                path=path,
                line=no,
                column="record length",
                value=len(rec),
                expected=f"{RECORD_LENGTH} bytes per record",
            )
        if len(rec) < RECORD_LENGTH:
            padded += 1
            rec = rec.ljust(RECORD_LENGTH)
        rows.append(rec)
        numbers.append(no)
    if padded:
        warnings.append(f"{padded} records shorter than {RECORD_LENGTH} bytes were space-padded")
    arr = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), RECORD_LENGTH)
    return arr, np.asarray(numbers, dtype=np.int32), ending


def _check_ascii(arr: U8, lines: npt.NDArray[np.int32], path: str) -> None:
    if arr.size == 0 or (int(arr.min()) >= 32 and int(arr.max()) <= 126):
        return
    bad = (arr < 32) | (arr > 126)
    rows = bad.any(axis=1)
    if rows.any():
        i = int(np.argmax(rows))
        j = int(np.argmax(bad[i]))
        raise ParseError(
            "byte that is not printable ASCII",
            path=path,
            line=int(lines[i]),
            column=f"byte {j + 1}",
            value=bytes([int(arr[i, j])]),
            expected="printable ASCII (SSIM records are upper-case text)",
        )


# --------------------------------------------------------------------------- fields


class _Fields:
    """Validated column slices of one record type (1-based, inclusive byte columns)."""

    def __init__(
        self,
        arr: U8,
        rows: npt.NDArray[np.intp],
        lines: npt.NDArray[np.int32],
        path: str,
        kind: str,
    ) -> None:
        if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
            arr = arr[rows[0] : rows[-1] + 1]  # consecutive records: a view, no copy
        else:
            arr = arr[rows]  # one gather of whole records
        self.arr, self.lines, self.path, self.kind = arr, lines, path, kind

    def raw(self, a: int, b: int) -> U8:
        return self.arr[:, a - 1 : b]

    def fail(self, mask: Mask, name: str, a: int, b: int, expected: str) -> None:
        if mask.any():
            i = int(np.argmax(mask))
            raise ParseError(
                f"bad {name} in a type-{self.kind} record",
                path=self.path,
                line=int(self.lines[i]),
                column=f"{name} (bytes {a}-{b})",
                value=bytes(self.raw(a, b)[i]).decode("ascii", "replace"),
                expected=expected,
            )

    def digits(self, a: int, b: int, name: str, *, blank_ok: bool = False) -> npt.NDArray[np.int32]:
        x = self.raw(a, b)
        d = x - np.uint8(48)  # wraps below "0": only digits give 0-9
        isd = d < 10
        if blank_ok:  # right-justified: blanks only before the first digit, last a digit
            ok = isd | ((x == 32) & ~np.logical_or.accumulate(isd, axis=1))
            ok[:, -1] = isd[:, -1]
        else:
            ok = isd
        self.fail(~ok.all(axis=1), name, a, b, f"{b - a + 1} digits")
        d = np.where(isd, d, np.uint8(0))
        out = d[:, 0].astype(np.int32)
        for j in range(1, d.shape[1]):
            out = out * 10 + d[:, j]
        return out

    def text(self, a: int, b: int, name: str, allowed: bytes, *, trim: bool = True) -> pa.Array:
        x = self.raw(a, b)
        table = np.zeros(256, dtype=bool)
        table[np.frombuffer(allowed, dtype=np.uint8)] = True
        ok: Mask = np.asarray(table[x].all(axis=1))
        self.fail(~ok, name, a, b, f"characters from {allowed.decode()!r}")
        return _strings(x, trim=trim)

    def date(self, a: int, name: str, *, open_ok: bool = False) -> pa.Array:
        x = self.raw(a, a + 6)
        packed = np.zeros(len(x), dtype=np.uint64)
        for j in range(7):  # a schedule has few distinct dates: parse each once
            packed |= x[:, j].astype(np.uint64) << np.uint64(8 * j)
        inverse, first_row = _factorize(packed)
        ok_u, days_u, open_u = _dates(x[first_row], open_ok=open_ok)
        self.fail(
            ~ok_u[inverse],
            name,
            a,
            a + 6,
            "a date DDMMMYY such as 09JUN22" + (" or 00XXX00" if open_ok else ""),
        )
        return pa.array(days_u[inverse], mask=open_u[inverse], type=pa.date32())

    def time(self, a: int, name: str) -> npt.NDArray[np.int16]:
        hhmm = self.digits(a, a + 3, name)
        ok = (hhmm // 100 <= 24) & (hhmm % 100 < 60)
        self.fail(~ok, name, a, a + 3, "a time HHMM")
        return ((hhmm // 100) * 60 + hhmm % 100).astype(np.int16)

    def offset(self, a: int, name: str) -> npt.NDArray[np.int16]:
        sign = self.raw(a, a)[:, 0]
        self.fail(~np.isin(sign, [43, 45]), name, a, a + 4, "+HHMM or -HHMM")
        hhmm = self.digits(a + 1, a + 4, name)
        ok = (hhmm // 100 <= 14) & (hhmm % 100 < 60)
        self.fail(~ok, name, a, a + 4, "+HHMM or -HHMM")
        minutes = (hhmm // 100) * 60 + hhmm % 100
        return np.where(sign == 45, -minutes, minutes).astype(np.int16)


_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_ALNUM = _UPPER + b"0123456789"


def _factorize(
    keys: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Code of each key and one row holding each code (hash-based, no sort)."""
    import pandas as pd

    codes, uniques = pd.factorize(keys, sort=False)
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(
        len(keys) - 1, -1, -1, dtype=np.intp
    )  # any row of a code will do
    return codes.astype(np.intp), first


def _dates(x: U8, *, open_ok: bool) -> tuple[Mask, npt.NDArray[np.datetime64], Mask]:
    """DDMMMYY rows → (valid, day, open-ended ``00XXX00``)."""
    is_open = (x == np.frombuffer(b"00XXX00", dtype=np.uint8)).all(axis=1) & open_ok
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
    days = (first + np.where(ok, day - 1, 0)).astype("datetime64[D]")
    return ok, days, is_open


def _strings(x: U8, *, trim: bool) -> pa.Array:
    """Fixed-width byte columns → Arrow strings, without a Python loop."""
    n, w = x.shape
    buf = pa.py_buffer(np.ascontiguousarray(x).tobytes())
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * w).tobytes())
    out = pa.Array.from_buffers(pa.string(), n, [None, offsets, buf])
    return pc.utf8_rtrim(out, characters=" ") if trim else out


def _legs(
    arr: U8,
    rows: npt.NDArray[np.intp],
    lines: npt.NDArray[np.int32],
    dataset: npt.NDArray[np.int16],
    path: str,
) -> pa.Table:
    f = _Fields(arr, rows, lines, path, "3")
    days_raw = f.raw(29, 35)
    expect = np.frombuffer(b"1234567", dtype=np.uint8)
    ok = ((days_raw == expect) | (days_raw == 32)).all(axis=1)
    f.fail(~ok, "days of operation", 29, 35, "digits 1-7 in their own positions or blanks")
    rate = f.raw(36, 36)[:, 0]
    f.fail(~np.isin(rate, [32, 49, 50]), "frequency rate", 36, 36, "blank, 1 or 2")
    dv = f.raw(193, 194)
    dv_ok = ((dv >= 48) & (dv <= 57) | (dv == 32) | (dv == 65)).all(axis=1)
    f.fail(~dv_ok, "date variation", 193, 194, "blank, digits or A")
    dep_var = np.where(
        dv[:, 0] == 65, -1, np.where((dv[:, 0] >= 48) & (dv[:, 0] <= 57), dv[:, 0] - 48, 0)
    )
    arr_var = np.where(
        dv[:, 1] == 65, -1, np.where((dv[:, 1] >= 48) & (dv[:, 1] <= 57), dv[:, 1] - 48, 0)
    )
    cols = {
        "line": pa.array(lines, pa.int32()),
        "dataset": pa.array(dataset, pa.int16()),
        "airline": f.text(3, 5, "airline designator", _ALNUM + b" "),
        "suffix": f.text(2, 2, "operational suffix", _UPPER + b" "),
        "flight_number": pa.array(f.digits(6, 9, "flight number", blank_ok=True), pa.int32()),
        "ivi": pa.array(f.digits(10, 11, "itinerary variation identifier").astype(np.int16)),
        "leg_seq": pa.array(f.digits(12, 13, "leg sequence number").astype(np.int16)),
        "service_type": f.text(14, 14, "service type", _UPPER),
        "period_from": f.date(15, "period of operation (from)"),
        "period_to": f.date(22, "period of operation (to)", open_ok=True),
        "days": _strings(days_raw, trim=False),
        "days_mask": pa.array(np.packbits(days_raw != 32, axis=1, bitorder="little")[:, 0]),
        "frequency_rate": pa.array(np.where(rate == 50, 2, 1).astype(np.int8)),
        "dep": f.text(37, 39, "departure station", _UPPER, trim=False),
        "std": pa.array(f.time(40, "passenger STD")),
        "dep_utc_offset": pa.array(f.offset(48, "departure UTC/local time variation")),
        "arr": f.text(55, 57, "arrival station", _UPPER, trim=False),
        "sta": pa.array(f.time(62, "passenger STA")),
        "arr_utc_offset": pa.array(f.offset(66, "arrival UTC/local time variation")),
        "aircraft_type": f.text(73, 75, "aircraft type", _ALNUM + b" "),
        "aircraft_config": _strings(f.raw(173, 192), trim=True),
        "trc": _strings(f.raw(150, 160), trim=True),
        "trc_overflow": _strings(f.raw(161, 161), trim=True),
        "dep_date_variation": pa.array(dep_var.astype(np.int8)),
        "arr_date_variation": pa.array(arr_var.astype(np.int8)),
        "serial": pa.array(f.digits(195, 200, "record serial number", blank_ok=True)),
    }
    return pa.table(cols)


def _segments(
    arr: U8,
    rows: npt.NDArray[np.intp],
    lines: npt.NDArray[np.int32],
    dataset: npt.NDArray[np.int16],
    path: str,
) -> pa.Table:
    f = _Fields(arr, rows, lines, path, "4")
    return pa.table(
        {
            "line": pa.array(lines, pa.int32()),
            "dataset": pa.array(dataset, pa.int16()),
            "airline": f.text(3, 5, "airline designator", _ALNUM + b" "),
            "suffix": f.text(2, 2, "operational suffix", _UPPER + b" "),
            "flight_number": pa.array(f.digits(6, 9, "flight number", blank_ok=True), pa.int32()),
            "ivi": pa.array(f.digits(10, 11, "itinerary variation identifier").astype(np.int16)),
            "leg_seq": pa.array(f.digits(12, 13, "leg sequence number").astype(np.int16)),
            "service_type": f.text(14, 14, "service type", _UPPER),
            "board": f.text(34, 36, "board point", _UPPER, trim=False),
            "off": f.text(37, 39, "off point", _UPPER, trim=False),
            "dei": pa.array(f.digits(31, 33, "data element identifier").astype(np.int16)),
            "data": _strings(f.raw(40, 194), trim=True),
        }
    )


def _carriers(arr: U8, lines: npt.NDArray[np.int32], dataset: npt.NDArray[np.int16]) -> pa.Table:
    return pa.table(
        {
            "dataset": pa.array(dataset, pa.int16()),
            "time_mode": _strings(arr[:, 1:2], trim=True),
            "airline": _strings(arr[:, 2:5], trim=True),
            "season": _strings(arr[:, 10:13], trim=True),
            "period_from": _strings(arr[:, 14:21], trim=True),
            "period_to": _strings(arr[:, 21:28], trim=True),
            "line": pa.array(lines, pa.int32()),
        }
    )


def _leg_time_mode(carriers: pa.Table, dataset: npt.NDArray[np.int16]) -> pa.Array:
    """Each leg's time mode (``U`` UTC, ``L`` local) from its data set's type-2 record."""
    modes = np.asarray([*carriers["time_mode"].to_pylist(), None], dtype=object)
    idx = np.where(dataset < 0, len(modes) - 1, dataset)
    return pa.array(modes[idx], type=pa.string())


def _trailer_checks(
    arr: U8, rtype: U8, counts: dict[str, int], path: str, warnings: list[str]
) -> None:
    if counts["1"] == 0:
        warnings.append("no header record (type 1)")
    if counts["5"] == 0:
        warnings.append("no trailer record (type 5): the file may be truncated")
        return
    data_rows = np.flatnonzero(np.isin(rtype, [ord("2"), ord("3"), ord("4"), ord("5")]))
    for i in np.flatnonzero(rtype == ord("5")):
        prev = data_rows[data_rows < i]
        if not len(prev):
            continue
        ref = bytes(arr[i, 187:193]).decode()
        last = bytes(arr[prev[-1], 194:200]).decode()
        if ref.strip() != last.strip():
            warnings.append(
                f"trailer serial check reference {ref} does not match the serial number "
                f"{last} of the record before it"
            )


def _duplicates(
    legs: pa.Table, arr: U8, rows: npt.NDArray[np.intp], dataset: npt.NDArray[np.int16]
) -> pa.Table:
    """Legs that repeat bytes 2-35 (designator, variation, leg, period, days) in one data set."""
    recs = _Fields(arr, rows, rows.astype(np.int32), "", "3").arr
    raw = np.zeros((len(rows), 40), dtype=np.uint8)
    raw[:, :34] = recs[:, 1:35]
    raw[:, 34:36] = dataset.astype("<i2").view(np.uint8).reshape(-1, 2)
    words = raw.view("<u8")  # five 64-bit words per leg
    h = words[:, 0].copy()
    for j in range(1, 5):  # a 64-bit hash; equal keys give equal hashes
        h = (h * np.uint64(1099511628211)) ^ words[:, j]
    inverse, _ = _factorize(h)
    counts = np.bincount(inverse)
    legs = legs.filter(pa.array(counts[inverse] > 1))
    key = [
        "dataset",
        "airline",
        "suffix",
        "flight_number",
        "ivi",
        "leg_seq",
        "service_type",
        "period_from",
        "period_to",
        "days",
    ]
    grouped = legs.group_by(key).aggregate([("line", "count"), ("line", "min")])
    dup = grouped.filter(pc.greater(grouped["line_count"], 1))
    return dup.rename_columns([*key, "count", "first_line"])
