"""Violations grouped the way a reader scans them: carrier, city pair, flight and kind.

A season's schedule repeats one flight in many period records (one per change of days or
times), so one breach shows up as dozens of rows. A :class:`ViolationGroup` folds the rows
of one kind, carrier, flight designator and segment into one line with the periods and
days the flight operates in, and how many flights (operating dates), ISO weeks and leg
records it covers. Cap breaches group by cap subject with their weeks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Period", "ViolationGroup", "day_names"]

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_names(days: str) -> str:
    """``"135"`` (ISO weekdays, Monday = 1) → ``"Mon Wed Fri"``; ``"1234567"`` → ``"daily"``."""
    if days == "1234567":
        return "daily"
    return " ".join(_DAY_NAMES[int(d) - 1] for d in days)


@dataclass(frozen=True, slots=True)
class Period:
    """A period of operation: dates and days of the week.

    Attributes
    ----------
    first, last
        First and last date of the period (inclusive); ``last`` is ``None`` for an open
        period (SSIM ``00XXX00``).
    days
        ISO weekdays the flight operates on in the period (``"135"``: Monday, Wednesday,
        Friday); empty for a cap's weeks.
    """

    first: dt.date
    last: dt.date | None
    days: str

    def text(self, *, days: bool = True) -> str:
        """``"2005-05-22..2005-06-12 Sun"`` (``days=False``: the dates alone)."""
        end = self.last.isoformat() if self.last else "open"
        span = self.first.isoformat() if self.last == self.first else f"{self.first}..{end}"
        return f"{span} {day_names(self.days)}".strip() if days and self.days else span


@dataclass(frozen=True, slots=True)
class ViolationGroup:
    """The violations of one kind, carrier, flight designator and segment, folded.

    Attributes
    ----------
    kind
        Violation kind (see :class:`bilat.air.Violation`).
    carrier
        IATA airline code (for a cap: the carriers' state, as the cap counts them).
    flight
        Flight designator (``"XX 102"``), or the cap (``"BLR-KAZ cap MSQ-ALA"``).
    segment
        City pair ``"RUN-MRU"`` (board-off as flown).
    periods
        The periods of operation of the flights concerned, merged where they touch and
        share their days, in date order (a cap's weeks: Monday to Sunday).
    days
        Every ISO weekday the flights operate on (``"1234567"``), union of the periods.
    flights
        Flights concerned, counted by operating date (a cap: flights in the weeks above the
        cap, larger direction).
    weeks
        ISO weeks with at least one such flight (a cap: weeks above the cap).
    legs
        Leg records (SSIM type 3) of the flights concerned (``None`` for a cap).
    violations
        Raw violation rows folded into the group.
    line
        First line in the SSIM file of the flights concerned (``None`` for a cap).
    detail
        What is wrong, in words (the first row's, for a cap: the weeks and the cap).
    """

    kind: str
    carrier: str
    flight: str
    segment: str
    periods: tuple[Period, ...]
    days: str
    flights: int
    weeks: int
    legs: int | None
    violations: int
    line: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class FlightDates:
    """Per flight row of the check (its first leg): what a group adds up.

    ``week_offsets``/``week_codes`` are CSR arrays: the ISO week codes (year * 100 + week)
    of flight ``f`` are ``week_codes[week_offsets[f]:week_offsets[f + 1]]``.
    """

    dates: npt.NDArray[np.int64]
    legs: npt.NDArray[np.int64]
    week_offsets: npt.NDArray[np.int64]
    week_codes: npt.NDArray[np.int64]
    period_from: list[dt.date]
    period_to: list[dt.date | None]
    days_mask: list[int]


def flight_dates(
    flights: pa.Table,
    legs: npt.NDArray[np.int64],
    rep: npt.NDArray[np.int64],
    week: npt.NDArray[np.int64],
) -> FlightDates:
    """Build :class:`FlightDates` from one row per flight and its operating (row, week) pairs,
    in the order :func:`bilat.air.schedule._operating_weeks` gives them (by row, then date)."""
    n = flights.num_rows
    dates = np.bincount(rep, minlength=n).astype(np.int64)
    # rep ascends and each flight's weeks do not descend (dates in order): no sort needed
    new = np.r_[True, (rep[1:] != rep[:-1]) | (week[1:] != week[:-1])] if len(rep) else rep
    f_of, w_of = rep[new.astype(bool)], week[new.astype(bool)]
    offsets = np.r_[0, np.cumsum(np.bincount(f_of, minlength=n))].astype(np.int64)
    return FlightDates(
        dates,
        legs.astype(np.int64),
        offsets,
        w_of.astype(np.int64),
        flights["period_from"].to_pylist(),
        flights["period_to"].to_pylist(),
        [int(x) for x in flights["days_mask"].to_pylist()],
    )


#: ISO weekdays of each days-of-operation bit mask (bit k-1: day k).
_MASK_DAYS = tuple("".join(str(k + 1) for k in range(7) if m >> k & 1) for m in range(128))


def _days(mask: int) -> str:
    return _MASK_DAYS[mask & 127]


def _merge(periods: Sequence[tuple[dt.date, dt.date | None, int]]) -> tuple[Period, ...]:
    """Periods in date order, touching ones with the same days merged."""
    if len(periods) == 1:
        ((first, last, mask),) = periods
        return (Period(first, last, _days(mask)),)
    far = dt.date.max
    out: list[tuple[dt.date, dt.date | None, int]] = []
    last_of: dict[int, int] = {}  # days mask -> index in ``out`` of its latest period
    for first, last, mask in sorted(set(periods), key=lambda p: (p[0], p[1] or far, p[2])):
        i = last_of.get(mask)
        if i is not None:
            p_first, p_last, _ = out[i]
            if p_last is None or first <= p_last + dt.timedelta(days=1):
                end = None if p_last is None or last is None else max(p_last, last)
                out[i] = (p_first, end, mask)
                continue
        last_of[mask] = len(out)
        out.append((first, last, mask))
    return tuple(Period(f, la, _days(m)) for f, la, m in out)


def _weeks(
    g_of: npt.NDArray[np.int64], f_of: npt.NDArray[np.int64], ng: int, fd: FlightDates
) -> npt.NDArray[np.int64]:
    """Distinct ISO weeks per group; a group of one flight takes that flight's count."""
    nweeks = np.diff(fd.week_offsets)[f_of]
    weeks = np.zeros(ng, dtype=np.int64)
    multi = np.bincount(g_of, minlength=ng)[g_of] > 1
    weeks[g_of[~multi]] = nweeks[~multi]
    if multi.any():
        gm, fm, nw = g_of[multi], f_of[multi], nweeks[multi]
        rep = np.repeat(np.arange(len(fm)), nw)
        within = np.arange(int(nw.sum())) - np.repeat(np.cumsum(nw) - nw, nw)
        wk = fd.week_codes[fd.week_offsets[fm][rep] + within]
        pairs = np.unique(gm[rep] * 1_000_000 + wk) // 1_000_000
        weeks += np.bincount(pairs, minlength=ng)
    return weeks


_KEY = ("carrier", "segment", "flight", "kind")  # also the groups' order


def group_violations(
    viols: pa.Table, flight_row: npt.NDArray[np.int64], fd: FlightDates
) -> list[ViolationGroup]:
    """Fold per-flight violation rows (``kind``, ``carrier``, ``flight``, ``segment``,
    ``detail``, ``line``; ``flight_row`` their flight's row in ``fd``) into groups, ordered
    by carrier, segment, flight and kind."""
    if viols.num_rows == 0:
        return []
    key = pc.binary_join_element_wise(*(pc.cast(viols[c], pa.string()) for c in _KEY), "\x1f")
    enc = pc.dictionary_encode(key.combine_chunks() if isinstance(key, pa.ChunkedArray) else key)
    # renumber the groups in key order, so the list comes out sorted without a Python sort
    rank = np.empty(len(enc.dictionary), dtype=np.int64)
    rank[pc.sort_indices(enc.dictionary).to_numpy()] = np.arange(len(enc.dictionary))
    g = rank[enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    ng = len(enc.dictionary)
    nf = len(fd.dates) + 1
    gf = np.unique(g * nf + flight_row)
    g_of, f_of = gf // nf, gf % nf
    first_row = np.full(ng, len(g), dtype=np.int64)
    np.minimum.at(first_row, g, np.arange(len(g)))
    masks = np.zeros(ng, dtype=np.int64)
    np.bitwise_or.at(masks, g_of, np.asarray(fd.days_mask, dtype=np.int64)[f_of])
    big = 2**31 - 1
    min_line = np.full(ng, big, dtype=np.int64)
    np.minimum.at(min_line, g, pc.fill_null(viols["line"], big).to_numpy().astype(np.int64))
    firsts = viols.select([*_KEY, "detail"]).take(pa.array(first_row))
    cols = [pc.cast(firsts[c], pa.string()).to_pylist() for c in (*_KEY, "detail")]
    counts = [
        np.bincount(g_of, weights=fd.dates[f_of], minlength=ng).astype(np.int64).tolist(),
        _weeks(g_of, f_of, ng, fd).tolist(),
        np.bincount(g_of, weights=fd.legs[f_of], minlength=ng).astype(np.int64).tolist(),
        np.bincount(g, minlength=ng).tolist(),
        [x if x < big else None for x in min_line.tolist()],
    ]
    periods = _group_periods(g_of, f_of, ng, fd)
    days = [_MASK_DAYS[m & 127] for m in masks.tolist()]
    return [
        ViolationGroup(k, c, f, s, p, d, n, w, lg, r, ln, str(dt_))
        for c, s, f, k, dt_, p, d, n, w, lg, r, ln in zip(
            *cols, periods, days, *counts, strict=True
        )
    ]


def _group_periods(
    g_of: npt.NDArray[np.int64], f_of: npt.NDArray[np.int64], ng: int, fd: FlightDates
) -> list[tuple[Period, ...]]:
    """Each group's periods: a one-flight group's own, else merged (:func:`_merge`)."""
    p_from, p_to, p_mask = fd.period_from, fd.period_to, fd.days_mask
    nflights = np.bincount(g_of, minlength=ng)
    out: list[tuple[Period, ...]] = [()] * ng
    lists: dict[int, list[tuple[dt.date, dt.date | None, int]]] = defaultdict(list)
    for gi, f, n in zip(g_of.tolist(), f_of.tolist(), nflights[g_of].tolist(), strict=True):
        if n == 1:
            out[gi] = (Period(p_from[f], p_to[f], _MASK_DAYS[p_mask[f] & 127]),)
        else:
            lists[gi].append((p_from[f], p_to[f], p_mask[f]))
    for gi, ps in lists.items():
        out[gi] = _merge(ps)
    return out


class _Cap(Protocol):
    """What :func:`group_caps` reads of a :class:`bilat.air.CapCheck`."""

    @property
    def agreement(self) -> str: ...
    @property
    def cap(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def week(self) -> str: ...
    @property
    def flights(self) -> int: ...
    @property
    def weekly(self) -> int: ...
    @property
    def exceeded(self) -> bool: ...


def group_caps(caps: Sequence[_Cap]) -> list[ViolationGroup]:
    """One group per exceeded cap and subject: its weeks, flights and the cap."""
    by: dict[tuple[str, str, str], list[_Cap]] = defaultdict(list)
    for c in caps:
        if c.exceeded:
            by[(c.agreement, c.cap, c.subject)].append(c)
    out = []
    for (agreement, cap, subject), cs in by.items():
        mondays = sorted(dt.date.fromisocalendar(int(c.week[:4]), int(c.week[6:]), 1) for c in cs)
        spans = [(m, m + dt.timedelta(days=6), 0) for m in mondays]
        most = max(c.flights for c in cs)
        out.append(
            ViolationGroup(
                "cap-exceeded",
                subject.split("carriers of ")[-1],
                f"{agreement} cap {cap}",
                subject.split(",")[0],
                _merge(spans),
                "",
                sum(c.flights for c in cs),
                len(cs),
                None,
                len(cs),
                None,
                f"{len(cs)} week(s) above the cap of {cs[0].weekly} flights a week "
                f"({agreement} {cap}); at most {most} flights in a week",
            )
        )
    return out


def groups_by_kind(groups: Sequence[ViolationGroup]) -> dict[str, dict[str, int]]:
    """Per kind: ``groups``, ``flights`` (operating dates) and ``violations`` (raw rows)."""
    out: dict[str, dict[str, int]] = {}
    for grp in groups:
        k = out.setdefault(grp.kind, {"groups": 0, "flights": 0, "violations": 0})
        k["groups"] += 1
        k["flights"] += grp.flights
        k["violations"] += grp.violations
    return out
