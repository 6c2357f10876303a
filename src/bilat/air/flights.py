"""Dated flights: every operating date of every SSIM flight leg, in one vectorised pass.

A type-3 record says *when* a leg operates by its period of operation (bytes 15-28), days
of operation (29-35, Monday = 1) and frequency rate (36: blank or 1 weekly, 2 every other
week). :func:`expand_flights` turns each leg into one row per operating date.

Rules applied (SSIM Chapter 7, flight leg record):

- The period and the days of operation give the **date of the flight** in the data set's
  time mode (type-2 record byte 2): UTC dates in a ``U`` data set, local dates in an ``L``
  data set. The leg's own departure and arrival fall on that date plus their **date
  variation** (bytes 193 and 194: a digit is that many days later, ``A`` the day before,
  blank the same day).
- Period boundaries are inclusive. A fortnightly leg (rate 2) operates in the first week of
  its period and every other week after, weeks counted in 7-day blocks from the first date
  of the period (``period_from``).
- An open period (``00XXX00``, ``period_to`` null) runs to ``end``; without ``end``, to
  ``season_end``; without that, to the end of the data set's period of validity (type-2
  bytes 22-28). When none is known, :class:`~bilat.errors.InputError`.
- Times are the passenger STD/STA in the data set's time mode; the UTC/local time variations
  (bytes 48-52, 66-70) convert them. Some files leave the date variation blank on legs that
  land after midnight (the shared Gna samples do, on 66 legs): where the arrival would fall
  before the departure, it is taken one day later and ``arrival_adjusted`` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat.air.ssim import Schedule, parse_ssim, read_ssim
from bilat.errors import InputError

__all__ = ["FlightsReport", "expand_flights", "flights_report", "parse_date"]

I64 = npt.NDArray[np.int64]
_EPOCH = dt.date(1970, 1, 1)
#: Leg columns repeated on every dated flight.
KEY_COLUMNS = (
    "dataset",
    "airline",
    "suffix",
    "flight_number",
    "ivi",
    "leg_seq",
    "service_type",
    "dep",
    "arr",
    "aircraft_type",
    "line",
    "time_mode",
)


def parse_date(value: str | dt.date | None, *, option: str = "date") -> dt.date | None:
    """``"2005-06-09"`` (or a date) → a date; ``None`` stays ``None``.

    Raises
    ------
    InputError
        For text that is not an ISO date (YYYY-MM-DD); the message names the option.
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{option} {value!r} is not a date: expected YYYY-MM-DD, e.g. 2005-06-09",
            details={"argument": option, "value": value, "expected": "YYYY-MM-DD"},
        ) from None


def _days(d: dt.date) -> int:
    return (d - _EPOCH).days


def _ssim_date(text: str) -> dt.date | None:
    """``29OCT05`` → 2005-10-29 (two-digit years below 70 are 20xx, as the reader does)."""
    try:
        d = dt.datetime.strptime(text.strip(), "%d%b%y").date()
    except ValueError:
        return None
    yy = d.year % 100
    return d.replace(year=(2000 if yy < 70 else 1900) + yy)


def _col(t: pa.Table, name: str) -> npt.NDArray[np.int64]:
    col = t[name]
    if pa.types.is_date32(col.type):
        col = pc.cast(col, pa.int32())
    return np.asarray(pc.fill_null(col, 0).to_numpy(zero_copy_only=False), dtype=np.int64)


# --------------------------------------------------------------------------- dates


def operating_dates(
    period_from: I64, period_to: I64, days_mask: I64, rate: I64, lo: int, hi: int
) -> tuple[I64, I64]:
    """Every operating date of each leg within ``[lo, hi]`` (day numbers since 1970-01-01).

    Returns ``(leg, day)`` arrays ordered by leg, then date. Each weekday of a leg is an
    arithmetic sequence (step 7, or 14 fortnightly) from its first date on or after the
    period's start, so the output is made at its own size: no per-calendar-day pass.
    """
    first, count, step = _weekday_runs(period_from, period_to, days_mask, rate, lo, hi)
    flat = count.ravel()  # row-major: leg, then weekday
    keep = np.flatnonzero(flat > 0)
    leg = keep // 7
    reps = flat[keep]
    total = int(reps.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    block = np.repeat(np.arange(len(keep)), reps)
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    day = first.ravel()[keep][block] + within * step[leg][block]
    # each (leg, weekday) run is sorted already: a stable sort merges at most 7 runs per leg
    key = np.sort((leg[block] << 32) | (day - lo), kind="stable")
    return key >> 32, (key & 0xFFFFFFFF) + lo


def flight_counts(
    period_from: I64, period_to: I64, days_mask: I64, rate: I64, lo: int, hi: int
) -> I64:
    """Number of operating dates of each leg within ``[lo, hi]``, without listing them."""
    _, count, _ = _weekday_runs(period_from, period_to, days_mask, rate, lo, hi)
    out: I64 = count.sum(axis=1)
    return out


def _weekday_runs(
    period_from: I64, period_to: I64, days_mask: I64, rate: I64, lo: int, hi: int
) -> tuple[I64, I64, I64]:
    """Per leg and weekday (Monday = 0): first date in range, number of dates, and step."""
    step = np.where(rate == 2, 14, 7).astype(np.int64)
    start = np.maximum(period_from, lo)[:, None]
    stop = np.minimum(period_to, hi)[:, None]
    weekday = np.arange(7, dtype=np.int64)[None, :]
    dow = (period_from + 3) % 7  # 1970-01-01 was a Thursday (Monday = 0)
    f0 = period_from[:, None] + (weekday - dow[:, None]) % 7
    s = step[:, None]
    k0 = np.maximum(0, -((f0 - start) // s))  # ceil((start - f0) / s), at least 0
    first = f0 + k0 * s
    on = ((days_mask[:, None] >> weekday) & 1).astype(bool)
    count = np.where(on & (stop >= first), (stop - first) // s + 1, 0)
    return first, count, step


# --------------------------------------------------------------------------- expansion


def _open_end(schedule: Schedule, legs: pa.Table, season_end: dt.date | None) -> I64:
    """The last date of each leg, an open ``00XXX00`` end resolved (or an InputError)."""
    open_ = np.asarray(pc.is_null(legs["period_to"]).to_numpy(zero_copy_only=False), bool)
    raw = _col(legs, "period_to")
    if not open_.any():
        return raw
    if season_end is not None:
        fill = np.full(legs.num_rows, _days(season_end), np.int64)
    else:
        ds = _col(legs, "dataset")
        by_set = np.full(int(ds.max(initial=0)) + 2, -1, np.int64)  # last slot: no data set
        for row in schedule.carriers.to_pylist():
            validity = _ssim_date(str(row["period_to"] or ""))
            if validity is not None and int(row["dataset"]) < len(by_set) - 1:
                by_set[int(row["dataset"])] = _days(validity)
        fill = by_set[np.where(ds < 0, len(by_set) - 1, ds)]
    bad = open_ & (fill < 0)
    if bad.any():
        line = int(legs["line"][int(np.argmax(bad))].as_py())
        raise InputError(
            f"{schedule.path}: the leg at line {line} has an open period (00XXX00) and "
            "nothing says when it ends: give an end date (--to) or a season end",
            details={
                "path": schedule.path,
                "line": line,
                "value": "00XXX00",
                "expected": "an end date, a season end, or a type-2 validity end",
            },
        )
    return np.where(open_, fill, raw).astype(np.int64)


def _times(legs: pa.Table) -> tuple[I64, I64, I64, I64, npt.NDArray[np.bool_]]:
    """Per leg, minutes from the flight date's midnight (time mode) to departure/arrival in
    UTC, the two UTC offsets, and whether the arrival was moved a day later."""
    mode = legs["time_mode"]
    if mode.null_count:
        line = int(legs.filter(pc.is_null(mode))["line"][0].as_py())
        raise InputError(
            f"the leg at line {line} comes before any carrier record (type 2), so whether "
            "its dates and times are UTC or local is not known",
            details={"line": line, "expected": "a type-2 record with time mode U or L"},
        )
    local = pc.equal(mode, "L").to_numpy(zero_copy_only=False).astype(bool)
    doff, aoff = _col(legs, "dep_utc_offset"), _col(legs, "arr_utc_offset")
    dep = _col(legs, "dep_date_variation") * 1440 + _col(legs, "std") - np.where(local, doff, 0)
    arr = _col(legs, "arr_date_variation") * 1440 + _col(legs, "sta") - np.where(local, aoff, 0)
    late = arr < dep
    arr = arr + np.where(late, ((dep - arr) // 1440 + 1) * 1440, 0)
    return dep, arr, doff, aoff, late


def expand_flights(
    schedule: Schedule,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    *,
    season_end: dt.date | str | None = None,
    carriers: list[str] | tuple[str, ...] | None = None,
) -> pa.Table:
    """One row per leg per operating date between ``start`` and ``end`` (inclusive).

    Parameters
    ----------
    schedule
        From :func:`bilat.air.read_ssim`.
    start, end
        First and last date of the flight (in the data set's time mode); default: the
        schedule's first and last dates of operation.
    season_end
        Where open periods (``00XXX00``) end when ``end`` is not given (default: the end of
        the data set's period of validity in its type-2 record).
    carriers
        Only these airline designators.

    Returns
    -------
    pyarrow.Table
        ``leg`` (row of ``schedule.legs``), the leg's keys (``dataset``, ``airline``,
        ``suffix``, ``flight_number``, ``ivi``, ``leg_seq``, ``service_type``, ``dep``,
        ``arr``, ``aircraft_type``, ``line``, ``time_mode``), ``date`` (date32, the flight's
        date in the time mode), ``departure_utc``, ``arrival_utc`` (timestamp[s, UTC]),
        ``departure_local``, ``arrival_local`` (timestamp[s], wall-clock time at the
        station) and ``arrival_adjusted`` (bool); ordered by leg, then date.

    Raises
    ------
    InputError
        When ``start`` is after ``end``, or an open period has no end (see the module).

    Examples
    --------
    >>> f = expand_flights(read_ssim("gna-XX_S05.ssim"), "2005-07-04", "2005-07-10")  # doctest: +SKIP
    """
    lo_d, hi_d = parse_date(start, option="start"), parse_date(end, option="end")
    season = parse_date(season_end, option="season_end")
    legs, index = _select(schedule.legs, carriers)
    pf = _col(legs, "period_from")
    pt = _open_end(schedule, legs, season) if hi_d is None else _closed(legs, _days(hi_d))
    empty = _days(hi_d or lo_d or _EPOCH)
    lo = _days(lo_d) if lo_d is not None else (int(pf.min()) if len(pf) else empty)
    hi = _days(hi_d) if hi_d is not None else (int(pt.max()) if len(pt) else lo)
    check_order(_EPOCH + dt.timedelta(lo), _EPOCH + dt.timedelta(hi), end_given=hi_d is not None)
    row, day = operating_dates(
        pf, pt, _col(legs, "days_mask"), _col(legs, "frequency_rate"), lo, hi
    )
    return _flight_table(legs, index, row, day)


def check_order(start: dt.date, end: dt.date, *, end_given: bool = True) -> None:
    """Raise :class:`InputError` when ``start`` is after ``end`` (``end_given=False``: the
    end is the schedule's last date of operation, and the message says so)."""
    if start > end:
        what = "the end date" if end_given else "the schedule's last date of operation"
        raise InputError(
            f"the start date {start} is after {what} {end}",
            details={"argument": "start", "value": str(start), "expected": "start <= end"},
        )


def check_carriers(schedule: Schedule, carriers: tuple[str, ...] | None) -> None:
    """Raise :class:`InputError` when a carrier asked for has no flight leg in the file.

    An empty table for a carrier that is not there would read as "it flies nothing here";
    the message names the carriers the file does hold.
    """
    if not carriers:
        return
    held = sorted(set(pc.unique(schedule.legs["airline"]).to_pylist()) - {None, ""})
    missing = [c for c in carriers if c not in held]
    if missing:
        name = Path(schedule.path).name
        raise InputError(
            f"carrier {', '.join(missing)}: no flight leg in {name}; "
            f"its carriers are {', '.join(held) or 'none (it has no flight legs)'}",
            details={"argument": "carriers", "value": missing, "expected": held},
        )


def _select(legs: pa.Table, carriers: list[str] | tuple[str, ...] | None) -> tuple[pa.Table, I64]:
    """The legs of these carriers (all when none is named) and their rows in ``legs``."""
    index = np.arange(legs.num_rows, dtype=np.int64)
    if not carriers:
        return legs, index
    mask = _carrier_mask(legs, carriers)
    return legs.filter(pa.array(mask)), index[mask]


def _carrier_mask(
    legs: pa.Table, carriers: list[str] | tuple[str, ...] | None
) -> npt.NDArray[np.bool_]:
    wanted = pa.array([c.strip().upper() for c in carriers or ()], pa.string())
    return np.asarray(pc.is_in(legs["airline"], wanted).to_numpy(zero_copy_only=False))


def _closed(legs: pa.Table, hi: int) -> I64:
    """Period ends with open ones cut at ``hi`` (the end date given)."""
    raw = pc.cast(legs["period_to"], pa.int32())
    return np.asarray(pc.fill_null(raw, hi).to_numpy(zero_copy_only=False), dtype=np.int64)


def _flight_table(legs: pa.Table, index: I64, row: I64, day: I64) -> pa.Table:
    dep, arr, doff, aoff, late = _times(legs)
    take = pa.array(row, pa.int64())
    cols: dict[str, pa.Array | pa.ChunkedArray] = {"leg": pa.array(index[row], pa.int32())}
    for name in KEY_COLUMNS:
        col = legs[name]
        if col.type == pa.string():
            col = pc.dictionary_encode(col)
        cols[name] = col.take(take)
    cols["date"] = pa.array(day.astype(np.int32), pa.date32())
    base = day * 86400
    dep_utc = base + dep[row] * 60
    arr_utc = base + arr[row] * 60
    utc = pa.timestamp("s", tz="UTC")
    cols["departure_utc"] = pa.array(dep_utc, utc)
    cols["arrival_utc"] = pa.array(arr_utc, utc)
    cols["departure_local"] = pa.array(dep_utc + doff[row] * 60, pa.timestamp("s"))
    cols["arrival_local"] = pa.array(arr_utc + aoff[row] * 60, pa.timestamp("s"))
    cols["arrival_adjusted"] = pa.array(late[row], pa.bool_())
    return pa.table(cols)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class FlightsReport:
    """The dated flights of an SSIM file: what ``bilat air flights`` reports.

    Attributes
    ----------
    file
        The file's name (no folder).
    start, end
        The dates listed (inclusive, in the data set's time mode).
    carriers
        The carriers listed (``None``: all).
    time_modes
        Time mode of each data set listed: ``U`` (dates and times UTC) or ``L`` (local).
    legs
        Flight legs (type-3 records) that operate at least once in the range.
    flights
        Arrow table, one row per leg per operating date (:func:`expand_flights`).
    warnings
        Open periods and where they were ended; arrivals taken a day later.
    """

    file: str
    start: dt.date
    end: dt.date
    carriers: tuple[str, ...] | None
    time_modes: tuple[str, ...]
    legs: int
    flights: pa.Table
    warnings: tuple[str, ...]


def load_schedule(file: str | Path | bytes, *, name: str | None = None) -> tuple[Schedule, str]:
    """Read an SSIM file (a path, or an upload's bytes) and the name to report it by."""
    if isinstance(file, bytes):
        label = name or "upload.ssim"
        return parse_ssim(file, path=label), label
    return read_ssim(file), name or Path(file).name


def schedule_span(
    schedule: Schedule, start: dt.date | None, end: dt.date | None, season: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The dates a report covers: those given, else the schedule's first and last."""
    legs = schedule.legs
    if not legs.num_rows:
        today = start or end or _EPOCH
        return start or today, end or today
    if start is None:
        start = _EPOCH + dt.timedelta(int(_col(legs, "period_from").min()))
    if end is None:
        end = _EPOCH + dt.timedelta(int(_open_end(schedule, legs, season).max()))
    return start, end


def leg_warnings(legs: pa.Table, end: dt.date) -> list[str]:
    """Plain words on what the expansion assumed for these legs."""
    out = []
    n_open = legs["period_to"].null_count
    if n_open:
        out.append(f"{n_open} legs have an open period (00XXX00); they were counted to {end}")
    if legs.num_rows and legs["time_mode"].null_count == 0:
        late = int(_times(legs)[4].sum())
        if late:
            out.append(
                f"{late} legs would arrive before they depart under their date variation "
                "(bytes 193-194, blank = same day); their arrival was taken a day later "
                "(arrival_adjusted)"
            )
    return out


def flights_report(
    file: str | Path | bytes,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    *,
    name: str | None = None,
    carriers: list[str] | tuple[str, ...] | None = None,
) -> FlightsReport:
    """Read an SSIM file and list its dated flights (see :func:`expand_flights`)."""
    schedule, label = load_schedule(file, name=name)
    lo, hi = parse_date(start, option="start"), parse_date(end, option="end")
    wanted = tuple(c.strip().upper() for c in carriers) if carriers else None
    check_carriers(schedule, wanted)
    end_given = hi is not None
    lo, hi = schedule_span(schedule, lo, hi, None)
    check_order(lo, hi, end_given=end_given)
    flights = expand_flights(schedule, lo, hi, carriers=wanted)
    used = np.unique(flights["leg"].to_numpy()) if flights.num_rows else np.zeros(0, int)
    legs = schedule.legs.take(pa.array(used, pa.int64()))
    modes = tuple(sorted({m for m in legs["time_mode"].to_pylist() if m}))
    return FlightsReport(
        file=label,
        start=lo,
        end=hi,
        carriers=wanted,
        time_modes=modes,
        legs=len(used),
        flights=flights,
        warnings=(*schedule.warnings, *leg_warnings(legs, hi)),
    )
