"""Seats, available seat-kilometres and schedule comparison from SSIM flight legs.

**Seats of a leg.** From the leg's aircraft configuration/version (record 3, bytes 173-192)
when it gives seat counts, else from the packaged aircraft-type table
(``aircraft_seats.csv``: manufacturers' typical seating, each row with its source), else
unknown, never 0. The configuration/version is read with this grammar (SSIM Chapter 2,
*Aircraft Configuration/Version*)::

    acv     = { class seats } [ "VV" version ]
    class   = one letter A-Z (a compartment or class code, e.g. F, C, J, W, Y)
    seats   = 1 to 3 digits, the seats in that compartment
    version = letters and digits naming the carrier's version (e.g. 738H, 364)

``C12Y150`` is 162 seats, ``J14W34Y316VV364`` 364 seats (version ``364``); ``VV738H``
alone names a version and no seats, so the type table is used. A string that does not
follow the grammar is not guessed at: the type table is used and the coverage counts it.

**Distance** is the great-circle distance between the two airports
(:func:`bilat.air.great_circle_km`); a leg with an airport that is not known has none.

**Weekly figures** are the totals over the dates counted times 7 / their number of days.
A pair is an airport pair in the direction flown (``dep`` → ``arr``), as written in the
file; airports of one city are not merged.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bilat.air.airports import great_circle_km, is_airport
from bilat.air.flights import (
    _closed,
    _col,
    _days,
    check_order,
    flight_counts,
    load_schedule,
    parse_date,
    schedule_span,
)
from bilat.air.ssim import Schedule

__all__ = [
    "AircraftConfiguration",
    "CapacityCoverage",
    "CapacityReport",
    "ScheduleComparison",
    "aircraft_seat_table",
    "capacity",
    "capacity_report",
    "compare_schedules",
    "leg_seats",
    "parse_aircraft_configuration",
]

_ACV = re.compile(r"((?:[A-Z][0-9]{1,3})*)(?:VV([A-Z0-9]*))?")
_CLASS = re.compile(r"([A-Z])([0-9]{1,3})")


@dataclass(frozen=True, slots=True)
class AircraftConfiguration:
    """An aircraft configuration/version string, read.

    Attributes
    ----------
    text
        The string as written (trimmed).
    classes
        ``(compartment code, seats)`` in the order written, e.g. ``(("C", 12), ("Y", 150))``.
    version
        The version code after ``VV`` (``None`` when there is none).
    """

    text: str
    classes: tuple[tuple[str, int], ...]
    version: str | None

    @property
    def seats(self) -> int | None:
        """Seats of all compartments; ``None`` when the string names no compartment."""
        return sum(n for _, n in self.classes) if self.classes else None


def parse_aircraft_configuration(text: str) -> AircraftConfiguration | None:
    """Read ``C12Y150`` / ``J8W24Y120VV738H`` (grammar in the module docstring).

    Returns ``None`` for a blank string or one that does not follow the grammar.

    >>> parse_aircraft_configuration("J14W34Y316VV364").seats
    364
    """
    s = text.strip().upper()
    m = _ACV.fullmatch(s)
    if not s or m is None:
        return None
    classes = tuple((c, int(n)) for c, n in _CLASS.findall(m.group(1)))
    return AircraftConfiguration(s, classes, m.group(2))


@functools.cache
def aircraft_seat_table() -> pa.Table:
    """The packaged aircraft-type seat table: ``aircraft_type``, ``name``, ``seats``,
    ``basis``, ``source`` (manufacturers' typical seating; see the file's header)."""
    text = (resources.files("bilat.air") / "aircraft_seats.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return pa.table(
        {
            "aircraft_type": [r["aircraft_type"] for r in rows],
            "name": [r["name"] for r in rows],
            "seats": pa.array([int(r["seats"]) for r in rows], pa.int32()),
            "basis": [r["basis"] for r in rows],
            "source": [r["source"] for r in rows],
        }
    )


def leg_seats(legs: pa.Table) -> pa.Table:
    """Seats of each leg and where the figure comes from.

    Returns
    -------
    pyarrow.Table
        ``seats`` (int32, null when unknown), ``seats_source`` (``configuration``,
        ``type-table`` or ``unknown``) and ``configuration_read`` (False when a non-blank
        configuration/version string did not follow the grammar), one row per leg.
    """
    config = pc.dictionary_encode(legs["aircraft_config"].combine_chunks())
    parsed = [parse_aircraft_configuration(str(v)) for v in config.dictionary.to_pylist()]
    idx = config.indices.to_numpy(zero_copy_only=False)
    conf_seats = np.array([-1 if c is None or c.seats is None else c.seats for c in parsed])
    unread = np.array([c is None and bool(str(v).strip()) for c, v in
                       zip(parsed, config.dictionary.to_pylist(), strict=True)], bool)  # fmt: skip
    types = aircraft_seat_table()
    by_type = dict(zip(types["aircraft_type"].to_pylist(), types["seats"].to_pylist(), strict=True))
    kind = pc.dictionary_encode(legs["aircraft_type"].combine_chunks())
    type_seats = np.array([by_type.get(str(t), -1) for t in kind.dictionary.to_pylist()])
    from_conf = conf_seats[idx] if len(idx) else np.zeros(0, np.int64)
    from_type = type_seats[kind.indices.to_numpy(zero_copy_only=False)] if len(idx) else from_conf
    seats = np.where(from_conf >= 0, from_conf, from_type)
    source = np.where(from_conf >= 0, 0, np.where(from_type >= 0, 1, 2))
    names = pa.array(["configuration", "type-table", "unknown"])
    return pa.table(
        {
            "seats": pa.array(seats, pa.int32(), mask=seats < 0),
            "seats_source": pa.DictionaryArray.from_arrays(pa.array(source, pa.int8()), names),
            "configuration_read": pa.array(~unread[idx] if len(idx) else [], pa.bool_()),
        }
    )


def _distances(dep: pa.Array, arr: pa.Array) -> np.ndarray:  # type: ignore[type-arg]
    """Great-circle km of each (dep, arr), NaN when an airport is not known."""
    pairs = pc.binary_join_element_wise(dep, arr, "-")
    enc = pc.dictionary_encode(
        pairs.combine_chunks() if hasattr(pairs, "combine_chunks") else pairs
    )
    km = np.array(
        [
            great_circle_km(p[:3], p[4:]) if is_airport(p[:3]) and is_airport(p[4:]) else np.nan
            for p in enc.dictionary.to_pylist()
        ],
        dtype=float,
    )
    return km[enc.indices.to_numpy(zero_copy_only=False)] if len(pairs) else np.zeros(0)


# --------------------------------------------------------------------------- capacity


@dataclass(frozen=True, slots=True)
class CapacityCoverage:
    """What the capacity figures rest on.

    Attributes
    ----------
    legs
        Flight legs that operate at least once in the dates counted.
    flights
        Dated flights counted (one per leg per operating date).
    seats_from_configuration, seats_from_type_table, seats_unknown
        Flights whose seats come from the leg's configuration/version, from the aircraft
        type table, or are not known (left out of seats and ASK).
    configuration_unread
        Flights whose configuration/version string did not follow the grammar.
    distance_unknown
        Flights with an airport whose position is not known (left out of ASK).
    """

    legs: int
    flights: int
    seats_from_configuration: int
    seats_from_type_table: int
    seats_unknown: int
    configuration_unread: int
    distance_unknown: int


@dataclass(frozen=True)
class CapacityReport:
    """Flights, seats and ASK per carrier and airport pair: what ``bilat air capacity`` says.

    Attributes
    ----------
    file
        The SSIM file's name.
    start, end
        The dates counted (inclusive, flight dates in the data set's time mode).
    days
        Days counted; weekly figures are totals × 7 / ``days``.
    carriers
        The carriers counted (``None``: all).
    pairs
        Arrow table, one row per carrier and airport pair (direction flown): ``carrier``,
        ``dep``, ``arr``, ``distance_km`` (great circle, null when an airport is unknown),
        ``flights``, ``weekly_flights``, ``seats`` (on flights whose seats are known; null
        when none is), ``weekly_seats``, ``ask`` (available seat-km on flights with seats
        and distance), ``weekly_ask``, ``flights_seats_unknown``, ``seats_source``
        (``configuration``, ``type-table``, ``mixed`` or ``unknown``).
    coverage
        What the figures rest on (:class:`CapacityCoverage`).
    warnings
        Problems of the file and assumptions made (open periods, arrivals moved).
    """

    file: str
    start: dt.date
    end: dt.date
    days: int
    carriers: tuple[str, ...] | None
    pairs: pa.Table
    coverage: CapacityCoverage
    warnings: tuple[str, ...]


def _leg_counts(
    schedule: Schedule, lo: dt.date, hi: dt.date, carriers: tuple[str, ...] | None
) -> pa.Table:
    """The legs operating in [lo, hi] with ``n`` (flights), seats, source and distance."""
    legs = schedule.legs
    if carriers:
        legs = legs.filter(pc.is_in(legs["airline"], pa.array(list(carriers), pa.string())))
    pt = _closed(legs, _days(hi))
    n = flight_counts(
        _col(legs, "period_from"), pt, _col(legs, "days_mask"), _col(legs, "frequency_rate"),
        _days(lo), _days(hi),
    )  # fmt: skip
    keep = pa.array(n > 0)
    legs, n = legs.filter(keep), n[n > 0]
    seats = leg_seats(legs)
    km = _distances(legs["dep"], legs["arr"])
    s = seats["seats"].to_numpy(zero_copy_only=False)
    has_seats = ~np.isnan(s.astype(float)) if len(s) else np.zeros(0, bool)
    seat_n = np.where(has_seats, np.nan_to_num(s.astype(float)), 0) * n
    ask = np.where(has_seats & ~np.isnan(km), seat_n * np.nan_to_num(km), np.nan)
    src = seats["seats_source"]
    return pa.table(
        {
            "carrier": legs["airline"],
            "dep": legs["dep"],
            "arr": legs["arr"],
            "n": pa.array(n, pa.int64()),
            "distance_km": pa.array(km, pa.float64(), mask=np.isnan(km)),
            "seats": pa.array(seat_n.astype(np.int64), pa.int64(), mask=~has_seats),
            "ask": pa.array(ask, pa.float64(), mask=np.isnan(ask)),
            "n_unknown": pa.array(np.where(has_seats, 0, n), pa.int64()),
            "n_conf": pa.array(
                np.where(pc.equal(src, "configuration").to_numpy(zero_copy_only=False), n, 0)
            ),
            "n_type": pa.array(
                np.where(pc.equal(src, "type-table").to_numpy(zero_copy_only=False), n, 0)
            ),
            "n_unread": pa.array(
                np.where(seats["configuration_read"].to_numpy(zero_copy_only=False), 0, n)
            ),
            "n_nodist": pa.array(np.where(np.isnan(km), n, 0)),
        }
    )


def _pairs(counts: pa.Table, days: int) -> pa.Table:
    keys = ["carrier", "dep", "arr"]
    g = counts.group_by(keys).aggregate(
        [
            ("n", "sum"),
            ("distance_km", "max"),
            ("seats", "sum"),
            ("ask", "sum"),
            ("n_unknown", "sum"),
            ("n_conf", "sum"),
            ("n_type", "sum"),
        ]
    )
    g = g.sort_by([(k, "ascending") for k in keys])
    week = 7 / days
    flights = g["n_sum"]
    conf, typ, unk = (g[c].to_numpy() for c in ("n_conf_sum", "n_type_sum", "n_unknown_sum"))
    total = flights.to_numpy()
    source = np.where(
        conf == total, "configuration",
        np.where(typ == total, "type-table", np.where(unk == total, "unknown", "mixed")),
    )  # fmt: skip
    return pa.table(
        {
            "carrier": g["carrier"],
            "dep": g["dep"],
            "arr": g["arr"],
            "distance_km": pc.round(g["distance_km_max"], 1),
            "flights": flights,
            "weekly_flights": pc.round(pc.multiply(pc.cast(flights, pa.float64()), week), 2),
            "seats": g["seats_sum"],
            "weekly_seats": pc.round(pc.multiply(pc.cast(g["seats_sum"], pa.float64()), week), 1),
            "ask": pc.round(g["ask_sum"], 0),
            "weekly_ask": pc.round(pc.multiply(g["ask_sum"], week), 0),
            "flights_seats_unknown": g["n_unknown_sum"],
            "seats_source": pa.array(source, pa.string()),
        }
    )


def _coverage(counts: pa.Table) -> CapacityCoverage:
    def total(c: str) -> int:
        return int(pc.sum(counts[c]).as_py() or 0)

    return CapacityCoverage(
        legs=counts.num_rows,
        flights=total("n"),
        seats_from_configuration=total("n_conf"),
        seats_from_type_table=total("n_type"),
        seats_unknown=total("n_unknown"),
        configuration_unread=total("n_unread"),
        distance_unknown=total("n_nodist"),
    )


def capacity(
    schedule: Schedule,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    *,
    carriers: list[str] | tuple[str, ...] | None = None,
) -> CapacityReport:
    """Weekly flights, seats and ASK per carrier and airport pair over ``[start, end]``.

    Parameters
    ----------
    schedule
        From :func:`bilat.air.read_ssim`.
    start, end
        Flight dates counted, inclusive (default: the schedule's first and last; open
        periods as in :func:`bilat.air.expand_flights`).
    carriers
        Only these airline designators.
    """
    from bilat.air.flights import check_carriers, leg_warnings

    lo, hi = parse_date(start, option="start"), parse_date(end, option="end")
    end_given = hi is not None
    lo, hi = schedule_span(schedule, lo, hi, None)
    wanted = tuple(c.strip().upper() for c in carriers) if carriers else None
    check_carriers(schedule, wanted)
    check_order(lo, hi, end_given=end_given)
    counts = _leg_counts(schedule, lo, hi, wanted)
    days = (hi - lo).days + 1
    legs = schedule.legs
    if wanted:
        legs = legs.filter(pc.is_in(legs["airline"], pa.array(list(wanted), pa.string())))
    return CapacityReport(
        file=Path(schedule.path).name,
        start=lo,
        end=hi,
        days=days,
        carriers=wanted,
        pairs=_pairs(counts, days),
        coverage=_coverage(counts),
        warnings=(*schedule.warnings, *leg_warnings(legs, hi)),
    )


def capacity_report(
    file: str | Path | bytes,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    *,
    name: str | None = None,
    carriers: list[str] | tuple[str, ...] | None = None,
) -> CapacityReport:
    """Read an SSIM file (a path or an upload's bytes) and report its capacity."""
    schedule, _ = load_schedule(file, name=name)
    return capacity(schedule, start, end, carriers=carriers)


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class ScheduleComparison:
    """Two schedules' weekly capacity side by side: what ``bilat air compare`` reports.

    Attributes
    ----------
    file_a, file_b
        The two files (A the base, B the one compared with it).
    span_a, span_b
        The dates each covers (its legs' first and last dates of operation).
    pairs
        Arrow table, one row per carrier and airport pair in either file: ``carrier``,
        ``dep``, ``arr``, ``status`` (``both``, ``new``: only in B, ``dropped``: only in A),
        then for ``weekly_flights``, ``weekly_seats`` and ``weekly_ask`` the value in A
        (``_a``), in B (``_b``) and ``_delta`` (B − A; null when a side's seats are not
        known), and ``flights_seats_unknown_a`` / ``_b``. A pair a file does not fly has
        0 flights, seats and ASK there.
    coverage_a, coverage_b
        What each side rests on (:class:`CapacityCoverage`).
    warnings
        Each file's warnings, prefixed with its name.
    """

    file_a: str
    file_b: str
    span_a: tuple[dt.date, dt.date]
    span_b: tuple[dt.date, dt.date]
    pairs: pa.Table
    coverage_a: CapacityCoverage
    coverage_b: CapacityCoverage
    warnings: tuple[str, ...]


def compare_schedules(a: Schedule, b: Schedule) -> ScheduleComparison:
    """Compare two schedules (e.g. two seasons) per carrier and airport pair.

    Each is counted over its own span, so weekly figures compare seasons of different
    lengths; see :class:`ScheduleComparison` for the columns.
    """
    ca, cb = capacity(a), capacity(b)
    keys = ["carrier", "dep", "arr"]
    cols = ["weekly_flights", "weekly_seats", "weekly_ask", "flights_seats_unknown", "flights"]
    left = ca.pairs.select([*keys, *cols]).rename_columns([*keys, *(c + "_a" for c in cols)])
    right = cb.pairs.select([*keys, *cols]).rename_columns([*keys, *(c + "_b" for c in cols)])
    j = left.join(right, keys, join_type="full outer").sort_by([(k, "ascending") for k in keys])
    in_a, in_b = pc.is_valid(j["flights_a"]), pc.is_valid(j["flights_b"])
    status = pc.if_else(pc.and_(in_a, in_b), "both", pc.if_else(in_a, "dropped", "new"))
    out: dict[str, pa.Array | pa.ChunkedArray] = {k: j[k] for k in keys}
    out["status"] = status
    for c in ("weekly_flights", "weekly_seats", "weekly_ask"):
        va = pc.if_else(in_a, j[c + "_a"], 0.0)
        vb = pc.if_else(in_b, j[c + "_b"], 0.0)
        out[c + "_a"], out[c + "_b"] = va, vb
        out[c + "_delta"] = pc.round(pc.subtract(vb, va), 2)
    for side, present in (("a", in_a), ("b", in_b)):
        out["flights_seats_unknown_" + side] = pc.if_else(
            present, j["flights_seats_unknown_" + side], 0
        )
    warnings = tuple(f"{ca.file}: {w}" for w in ca.warnings) + tuple(
        f"{cb.file}: {w}" for w in cb.warnings
    )
    return ScheduleComparison(
        file_a=ca.file,
        file_b=cb.file,
        span_a=(ca.start, ca.end),
        span_b=(cb.start, cb.end),
        pairs=pa.table(out),
        coverage_a=ca.coverage,
        coverage_b=cb.coverage,
        warnings=warnings,
    )
