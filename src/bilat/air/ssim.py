"""Read IATA SSIM Chapter 7 schedule files into Arrow tables, every field typed, vectorised.

A file is a run of fixed 200-byte records (line ends LF, CRLF or none), typed by byte 1:
``1`` header, ``2`` carrier (one per data set), ``3`` flight leg, ``4`` segment data,
``5`` trailer, ``0`` zero-filled separators. The file is read as bytes into an
``(n, 200)`` uint8 array, each record type is transposed into 64-bit word columns
(:mod:`bilat.air._ssim_words`), and every field of records 1 to 5 is checked and converted
with whole-column integer operations: no Python code runs per record (only when line lengths
are irregular). The byte layout is :mod:`bilat.air._ssim_layout`; docs/air.md lists every
column with its bytes and type.

Times and dates are in the data set's time mode (``time_mode`` of its type-2 record, copied
onto each leg: ``U`` UTC, ``L`` local): ``period_from``, ``period_to``, ``days``, ``std``,
``sta``, ``aircraft_std``, ``aircraft_sta`` and the date variations. ``dep_utc_offset`` and
``arr_utc_offset`` are each station's local time minus UTC, in minutes, whatever the mode.
Text is right-trimmed (a blank field reads ``""``); numbers left blank where the standard
allows it read as null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat.air._ssim_layout import CARRIER, HEADER, LEG, SEGMENT, TRAILER, Field
from bilat.air._ssim_words import Words, date, factorize, is_byte
from bilat.errors import ParseError

__all__ = ["LEG_KEY", "RECORD_LENGTH", "Schedule", "parse_ssim", "read_ssim"]

RECORD_LENGTH = 200
_SLOT_HINT = (
    "It looks like an SSIM Chapter 6 slot message (SCR/SIR), not a Chapter 7 schedule: "
    "read it with `bilat air slots FILE`"
)
_ROUTES_HINT = (
    "It looks like an OpenFlights routes file (comma-separated, 9 fields a line), not an SSIM "
    "schedule: read it with `bilat air routes FOLDER --schedule FILE`"
)
_AIRLINES_HINT = (
    "It looks like an OpenFlights airlines file (comma-separated, 8 fields a line), not an SSIM "
    "schedule: give it to `bilat air routes FOLDER --airlines FILE`"
)
_YAML_HINT = (
    "It looks like an agreement YAML file, not an SSIM schedule: agreements go in the FOLDER "
    "argument (`bilat air schedule FOLDER FILE`, `bilat air agreements FOLDER`)"
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
        One row per flight leg (type 3): ``line`` (1-based line in the file), ``dataset``
        (index of the preceding type-2 record, -1 before any), then every field of the
        record (docs/air.md, "SSIM columns"), and ``time_mode``.
    segments
        One row per segment data record (type 4): ``line``, ``dataset``, the flight
        designator, ``ivi_overflow``, ``board_indicator``, ``off_indicator``, ``dei``
        (data element identifier, int16), ``board``, ``off``, ``data`` (bytes 40-194,
        right-trimmed) and ``serial``.
    carriers
        One row per data set (type 2): ``dataset``, ``time_mode`` (U/L), ``airline``,
        ``season``, ``period_from`` / ``period_to`` (the validity as written, text),
        ``line``, then the typed fields (``validity_from`` … ``serial``).
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
    header
        One row per header record (type 1): ``line``, ``title``, ``number_of_seasons``,
        ``dataset_serial``, ``serial``.
    trailers
        One row per trailer record (type 5): ``line``, ``dataset``, ``airline``,
        ``release_date``, ``serial_check`` (the serial number the trailer says precedes it),
        ``continuation`` (``C`` more follows, ``E`` end), ``serial``.
    """

    path: str
    legs: pa.Table
    segments: pa.Table
    carriers: pa.Table
    record_counts: dict[str, int]
    duplicates: pa.Table
    warnings: tuple[str, ...] = field(default=())
    line_ending: str = "LF"
    header: pa.Table = field(default_factory=lambda: _empty(HEADER, dataset=False))
    trailers: pa.Table = field(default_factory=lambda: _empty(TRAILER))


def read_ssim(path: str | Path) -> Schedule:
    """Read an SSIM Chapter 7 file.

    Raises
    ------
    ParseError
        For a record that breaks the format: the message names the file, the 1-based line,
        the field and its byte columns, the value found and what was expected.

    Examples
    --------
    >>> s = read_ssim("tests/fixtures/air/blr-kaz-2022-07.ssim")  # doctest: +SKIP
    >>> s.legs.num_rows  # doctest: +SKIP
    11
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
    hint = _other_format_hint(data)
    try:
        arr, lines, ending = _records(data, path, warnings)
        _check_ascii(arr, lines, path)
    except ParseError as exc:
        if hint is None:
            raise
        raise exc.with_message(f"{exc.message}. {hint}", hint=hint) from None
    rtype = arr[:, 0]
    counts = _record_types(rtype, lines, path, hint=hint)
    dataset = (np.cumsum(rtype == ord("2")) - 1).astype(np.int16)

    def part(t: str, fields: tuple[Field, ...], with_dataset: bool = True) -> pa.Table:
        sel = rtype == ord(t)
        rows = np.flatnonzero(sel)
        words = Words(arr, rows, lines[sel], path, t)
        if t == "2":
            return _carriers(words, lines[sel], dataset[sel])
        cols = _table(words, fields, lines[sel], dataset[sel] if with_dataset else None)
        if t == "3":
            _period_order(words, cols)
            cols["time_mode"] = _leg_time_mode(carriers, dataset[sel])
            dups.append(_duplicates(pa.table(cols), words, dataset[sel]))
        return pa.table(cols)

    dups: list[pa.Table] = []
    carriers = part("2", CARRIER)
    legs = part("3", LEG)
    _trailer_checks(arr, rtype, counts, path, warnings)
    if counts["3"] and int(dataset[rtype == ord("3")].min()) < 0:
        warnings.append("flight legs appear before any carrier record (type 2)")
    return Schedule(
        path=path,
        legs=legs,
        segments=part("4", SEGMENT),
        carriers=carriers,
        record_counts=counts,
        duplicates=dups[0],
        warnings=tuple(warnings),
        line_ending=ending,
        header=part("1", HEADER, with_dataset=False),
        trailers=part("5", TRAILER),
    )


def _other_format_hint(data: bytes) -> str | None:
    """What the file looks like when it is not SSIM: a slot message, OpenFlights, a YAML."""
    head = data.lstrip()[:400]
    if head[:3] in (b"SCR", b"SIR"):
        return _SLOT_HINT
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    if len(first) == RECORD_LENGTH:
        return None
    fields = first.count(b",") + 1
    if fields in (8, 9):
        return _ROUTES_HINT if fields == 9 else _AIRLINES_HINT
    if re.match(rb"(#|---|[a-z_]+:)", first):
        return _YAML_HINT
    return None


def _record_types(
    rtype: U8, lines: npt.NDArray[np.int32], path: str, *, hint: str | None = None
) -> dict[str, int]:
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
            hint=hint,
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
    return counts


def _empty(fields: tuple[Field, ...], *, dataset: bool = True) -> pa.Table:
    """A table with a record type's columns and no rows."""
    words = Words(
        np.zeros((0, RECORD_LENGTH), dtype=np.uint8),
        np.zeros(0, np.intp),
        np.zeros(0, np.int32),
        "",
        "",
    )
    return pa.table(
        _table(words, fields, np.zeros(0, np.int32), np.zeros(0, np.int16) if dataset else None)
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
    """Slow path for files whose lines are not all 200 bytes: pad short, refuse long.

    A short record is space-padded (trailing blanks are often trimmed), except where padding
    would invent data: the last record of a file that ends without a line end (the file was
    cut mid-record) and a flight leg record (type 3), whose serial number in bytes 195-200 is
    required.
    """
    rows: list[bytes] = []
    numbers: list[int] = []
    padded = 0
    raws = data.split(b"\n")
    for no, raw in enumerate(raws, start=1):
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
            cut = no == len(raws) and not data.rstrip(b" \x1a").endswith(b"\n")
            if cut or rec[:1] == b"3":
                raise _short_record(path, no, len(rec), cut=cut)
            padded += 1
            rec = rec.ljust(RECORD_LENGTH)
        rows.append(rec)
        numbers.append(no)
    if padded:
        many = "records shorter than" if padded > 1 else "record shorter than"
        warnings.append(
            f"{padded} {many} {RECORD_LENGTH} bytes {'were' if padded > 1 else 'was'} space-padded"
        )
    arr = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), RECORD_LENGTH)
    return arr, np.asarray(numbers, dtype=np.int32), ending


def _short_record(path: str, no: int, length: int, *, cut: bool) -> ParseError:
    why = (
        "the file looks truncated (it ends in the middle of this record)"
        if cut
        else "a flight leg record cannot be padded: its serial number (bytes 195-200) is missing"
    )
    return ParseError(
        f"line {no} is {length} bytes, expected {RECORD_LENGTH}: {why}",
        path=path,
        line=no,
        column="record length",
        value=length,
        expected=f"{RECORD_LENGTH} bytes per record",
        hint="Check that the whole file was copied" if cut else None,
    )


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
            value=f"byte 0x{int(arr[i, j]):02X}",
            expected="printable ASCII (SSIM records are upper-case text)",
        )


# --------------------------------------------------------------------------- fields

_DAYS = pa.array(
    ["".join(str(d) if m >> (d - 1) & 1 else " " for d in range(1, 8)) for m in range(128)]
)
_DAY_DIGITS = int.from_bytes(b"1234567", "little")


def _column(words: Words, f: Field) -> pa.Array:
    """One field of every record, read by its kind (see :mod:`bilat.air._ssim_layout`)."""
    if f.kind in ("code", "text"):
        return words.text(f)
    if f.kind == "int":
        values, empty = words.integer(f)
        return pa.array(values.astype(f.arrow.to_pandas_dtype()), mask=empty if f.null else None)
    if f.kind == "time":
        minutes, empty = words.hhmm(f.start, f, 24)
        return pa.array(minutes, mask=empty if f.null else None)
    if f.kind == "offset":
        return pa.array(words.offset(f))
    if f.kind == "date":
        return date(words, f)
    raise AssertionError(f.kind)  # pragma: no cover - the layout names only these kinds


def _table(
    words: Words, fields: tuple[Field, ...], lines: npt.NDArray[np.int32], dataset: Any
) -> dict[str, pa.Array]:
    cols: dict[str, pa.Array] = {"line": pa.array(lines, pa.int32())}
    if dataset is not None:
        cols["dataset"] = pa.array(dataset, pa.int16())
    for f in fields:
        if f.kind == "days":
            cols["days"], cols["days_mask"] = _days(words, f)
        elif f.kind == "rate":
            rate = words.get(f.start, 1)
            words.fail((rate != 32) & (rate != 49) & (rate != 50), f, "blank, 1 or 2")
            cols[f.name] = pa.array(np.where(rate == 50, 2, 1).astype(np.int8))
        elif f.kind == "datevar":
            cols["dep_date_variation"], cols["arr_date_variation"] = _date_variation(words, f)
        else:
            cols[f.name] = _column(words, f)
    return cols


def _days(words: Words, f: Field) -> tuple[pa.Array, pa.Array]:
    """Days of operation: each of the seven bytes its own digit or blank."""
    v = words.get(f.start, 7)
    on = is_byte(v ^ np.uint64(_DAY_DIGITS), 0)
    full = np.uint64(0x80808080808080)
    words.fail(
        ((on | is_byte(v, 0x20)) & full) != full,
        f,
        "digits 1-7 in their own positions or blanks",
    )
    bits = (on & full).astype("<u8").view(np.uint8).reshape(-1, 8) >> 7
    mask = np.packbits(bits, axis=1, bitorder="little")[:, 0]
    return _DAYS.take(pa.array(mask)), pa.array(mask)


def _date_variation(words: Words, f: Field) -> tuple[pa.Array, pa.Array]:
    """Bytes 193 (departure) and 194 (arrival): a digit, ``A`` (day before) or blank (0)."""
    out = []
    for a in (f.start, f.end):
        b = words.get(a, 1)
        digit = (b >= 48) & (b <= 57)
        words.fail(~(digit | (b == 32) | (b == 65)), f, "blank, digits or A")
        out.append(pa.array(np.where(b == 65, -1, np.where(digit, b - 48, 0)).astype(np.int8)))
    return out[0], out[1]


def _carriers(words: Words, lines: npt.NDArray[np.int32], dataset: Any) -> pa.Table:
    cols = _table(words, CARRIER, lines, dataset)
    raw = words.arr[words.rows]
    # the validity period as written, kept from before the typed columns existed
    cols["period_from"] = pa.array([bytes(r[14:21]).decode() for r in raw], pa.string())
    cols["period_to"] = pa.array([bytes(r[21:28]).decode() for r in raw], pa.string())
    first = ["dataset", "time_mode", "airline", "season", "period_from", "period_to", "line"]
    return pa.table({k: cols[k] for k in first + [k for k in cols if k not in first]})


def _period_order(words: Words, cols: dict[str, pa.Array]) -> None:
    """Refuse a period of operation that ends before it starts (bytes 15-28).

    The period is inclusive at both ends; a "to" date before the "from" date describes no
    day, and the standard gives it no meaning, so it is a format error, not 0 flights.
    An open end (``00XXX00``, null) is not compared.
    """
    before = pc.fill_null(pc.less(cols["period_to"], cols["period_from"]), False)
    bad = np.asarray(before.to_numpy(zero_copy_only=False), dtype=bool)
    if not bad.any():
        return
    i = int(np.argmax(bad))
    raise ParseError(
        "period of operation ends before it starts in a type-3 record",
        path=words.path,
        line=int(words.lines[i]),
        column="period of operation (bytes 15-28)",
        value=bytes(words.arr[int(words.rows[i]), 14:28]).decode("ascii", "replace"),
        expected="a 'to' date (bytes 22-28) on or after the 'from' date (bytes 15-21), or 00XXX00",
    )


def _leg_time_mode(carriers: pa.Table, dataset: npt.NDArray[np.int16]) -> pa.Array:
    """Each leg's time mode (``U`` UTC, ``L`` local) from its data set's type-2 record."""
    modes = pa.array([*carriers["time_mode"].to_pylist(), None], type=pa.string())
    idx = np.where(dataset < 0, len(modes) - 1, dataset).astype(np.int32)
    return modes.take(pa.array(idx))


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


#: The key of a leg: bytes 2-35 of its record (designator, variation, leg, service type,
#: period, days) and its data set; two legs with one key are one leg repeated.
LEG_KEY = [
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


def _duplicates(legs: pa.Table, words: Words, dataset: npt.NDArray[np.int16]) -> pa.Table:
    """Legs that repeat bytes 2-35 (designator, variation, leg, period, days) in one data set.

    Legs are grouped by a 64-bit hash of those bytes and the data set; a group is then
    confirmed byte for byte against its first leg, and only if some hash collided are the
    candidates grouped again by their values.
    """
    w = words.w
    keys = [w[0] & np.uint64(2**64 - 256), w[1], w[2], w[3], w[4] & np.uint64(0xFFFFFF)]
    h = keys[0] | dataset.astype(np.uint64)
    for k in keys[1:]:
        h = (h * np.uint64(1099511628211)) ^ k  # equal keys give equal hashes
    inverse, first = factorize(h)
    count = np.bincount(inverse)
    rows = np.flatnonzero(count[inverse] > 1)
    same = dataset[rows] == dataset[first[inverse[rows]]]
    for k in keys:
        same &= k[rows] == k[first[inverse[rows]]]
    names = [*LEG_KEY, "count", "first_line"]
    if same.all():  # first[] holds each code's first row, so its line is the least
        groups = np.flatnonzero(count > 1)
        out = legs.select(LEG_KEY).take(pa.array(first[groups], pa.int64()))
        out = out.append_column("count", pa.array(count[groups], pa.int64()))
        line = legs["line"].take(pa.array(first[groups], pa.int64()))
        return out.append_column("first_line", line)
    cand = legs.select([*LEG_KEY, "line"]).take(pa.array(rows, pa.int64()))
    grouped = cand.group_by(LEG_KEY).aggregate([("line", "count"), ("line", "min")])
    return grouped.filter(pc.greater(grouped["line_count"], 1)).rename_columns(names)
