"""Check a whole SSIM schedule: segments, freedoms and verdicts, weekly frequencies vs caps.

Legs (type 3) are chained into flights (same data set, carrier, suffix, flight number and
itinerary variation, consecutive leg sequence numbers). Every board → off pair of a flight
is a segment. A segment carries no traffic of its own when a traffic restriction code
``A`` (no local traffic) or ``I`` (technical landing) applies to it: in record 3 bytes
150-160 (position *k* of leg *i* is the segment from leg *i*'s board point to the off point
of leg *i + k - 1*) or in a type-4 record with DEI 170 (passengers). Otherwise the schedule
offers the segment for sale and it counts as carrying traffic, local traffic included.

Frequencies: each operating date of a flight's first leg counts once for each traffic
segment; the weekly count of a city pair is the larger of its two directions in an ISO week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bilat.air.airports import airport, is_airport
from bilat.air.check import (
    FlightCheck,
    SegmentCheck,
    carrier_state,
    check_itinerary,
    overridden_carrier_states,
)
from bilat.air.flights import operating_dates
from bilat.air.groups import ViolationGroup, flight_dates, group_caps, group_violations
from bilat.air.model import Agreement, FrequencyCap
from bilat.air.ssim import LEG_KEY, Schedule
from bilat.document import fields_document
from bilat.errors import UnknownCodeError

__all__ = ["CapCheck", "ScheduleReport", "Violation", "check_schedule"]

NO_TRAFFIC_CODES = frozenset("AI")

#: Why legs are not checked, in the order the counts are reported (index 0 unused: checked).
NotCheckedReason = Literal[
    "carrier not selected",
    "repeats an earlier leg",
    "carrier's state unknown",
    "station not an airport",
]
NOT_CHECKED: tuple[str, ...] = (
    "",
    "carrier's state unknown",
    "station not an airport",
)

#: Segment verdicts that are neither a permission nor a refusal, and their row kind.
UNDETERMINED_KINDS = {
    "outside-agreements": "outside-agreements",
    "not-checked": "technical-stop-not-checked",
}

ViolationKind = Literal[
    "no-agreement",
    "undesignated-carrier",
    "not-in-route-schedule",
    "no-right",
    "no-co-terminalisation",
    "cap-exceeded",
]


@dataclass(frozen=True, slots=True)
class Violation:
    """One breach: a segment no agreement grants, or a cap exceeded in a week.

    Attributes
    ----------
    kind
        ``no-right``, ``undesignated-carrier``, ``not-in-route-schedule``, ``no-agreement``,
        ``no-co-terminalisation`` or ``cap-exceeded``.
    carrier
        IATA airline code.
    flight
        Flight designator (``"B2 735"``), or the cap's subject for a cap.
    segment
        ``"MSQ-NQZ"``.
    week
        ISO week (``"2022-W27"``) for caps, else ``None``.
    detail
        What is wrong, in words.
    line
        Line of the flight's first leg in the SSIM file (``None`` for caps).
    """

    kind: ViolationKind
    carrier: str
    flight: str
    segment: str
    week: str | None
    detail: str
    line: int | None


@dataclass(frozen=True, slots=True)
class CapCheck:
    """A cap compared with a week's flights.

    Attributes
    ----------
    agreement, cap
        Agreement and cap ids.
    subject
        What is counted: ``"MSQ-NQZ, carriers of BLR"``.
    week
        ISO week.
    flights
        Flights in that week (larger direction).
    weekly
        The cap.
    """

    agreement: str
    cap: str
    subject: str
    week: str
    flights: int
    weekly: int

    #: The key ``to_dict`` adds to the fields (for the web's generated response model).
    _document_extra_: ClassVar[dict[str, type]] = {"exceeded": bool}

    @property
    def exceeded(self) -> bool:
        """Whether the week's flights exceed the cap."""
        return self.flights > self.weekly

    def to_dict(self) -> dict[str, object]:
        """The comparison as plain data: its fields and ``exceeded``."""
        return {**fields_document(self), "exceeded": self.exceeded}


@dataclass(frozen=True)
class ScheduleReport:
    """A schedule checked against agreements.

    Attributes
    ----------
    segments
        Arrow table, one row per segment of each flight: ``carrier``, ``carrier_state``,
        ``flight_number``, ``suffix``, ``ivi``, ``line`` (first leg), ``period_from``,
        ``period_to``, ``days``, ``board``, ``off``, ``via``, ``kind``, ``freedom`` (int8,
        null when none), ``verdict``, ``reason``.
    frequencies
        Arrow table: ``carrier``, ``carrier_state``, ``board``, ``off``, ``week``,
        ``flights`` (per direction).
    caps
        Every cap compared with every week that has flights.
    violations
        Arrow table, one row per breach: ``kind``, ``carrier``, ``flight``, ``segment``,
        ``week`` (caps only), ``detail``, ``line`` (first leg of the flight); see
        :meth:`violation_list` for typed objects.
    warnings
        Carriers not checked (state unknown), airports unknown, open periods.
    legs_checked
        Leg records (type 3) of the flights whose segments were checked.
    not_checked
        Leg records not checked, by reason (:data:`NotCheckedReason`); reasons with none are
        left out.
    flights
        Arrow table, one row per flight (chained legs of one period record) after the
        carrier filter: ``carrier``, ``flight``, ``flight_number``, ``suffix``, ``ivi``,
        ``line`` (first leg), ``period_from``, ``period_to``, ``days``, ``days_mask``,
        ``frequency_rate`` (its first leg's), ``legs`` (leg records), ``checked`` and
        ``violations`` (its rows in ``violations``, which list the flights' rows in this
        table's order, caps last). :meth:`violation_groups` folds them.
    """

    segments: pa.Table
    frequencies: pa.Table
    caps: tuple[CapCheck, ...]
    violations: pa.Table
    warnings: tuple[str, ...]
    legs_checked: int = 0
    not_checked: Mapping[str, int] = field(default_factory=dict)
    flights: pa.Table | None = None
    undetermined: pa.Table | None = None
    outside_pairs: tuple[str, ...] = ()
    legs_repeated: int = 0

    def violation_groups(self) -> tuple[ViolationGroup, ...]:
        """The violations folded by kind, carrier, flight and segment, each with its periods
        and days of operation and its counts (:class:`bilat.air.ViolationGroup`); by carrier,
        segment and flight, caps last."""
        return (*self._groups(self.violations, "violations"), *group_caps(self.caps))

    def undetermined_groups(self) -> tuple[ViolationGroup, ...]:
        """The segments neither permitted nor refused (``outside-agreements``,
        ``technical-stop-not-checked``), grouped like :meth:`violation_groups`."""
        if self.undetermined is None:
            return ()
        return tuple(self._groups(self.undetermined, "undetermined"))

    def _groups(self, rows: pa.Table, column: str) -> list[ViolationGroup]:
        f = self.flights
        if f is None:
            return []
        n = f[column].to_numpy().astype(np.int64)
        row = np.repeat(np.arange(f.num_rows), n)
        hit = np.unique(row)
        sel = f.take(pa.array(hit, pa.int64()))
        rep, week = _operating_weeks(sel)
        fd = flight_dates(sel, sel["legs"].to_numpy().astype(np.int64), rep, week)
        per_flight = rows.slice(0, len(row))
        return group_violations(per_flight, np.searchsorted(hit, row), fd)

    def violation_list(self) -> tuple[Violation, ...]:
        """The violations as :class:`Violation` objects."""
        return tuple(Violation(**r) for r in self.violations.to_pylist())

    def by_carrier(self) -> dict[str, dict[str, int]]:
        """Per carrier: segments, permitted, refused, violations."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for c, v in zip(
            self.segments["carrier"].to_pylist(), self.segments["verdict"].to_pylist(), strict=True
        ):
            out[c]["segments"] += 1
            out[c][v] += 1
        for c in self.violations["carrier"].to_pylist():
            out[c]["violations"] += 1
        return {k: dict(v) for k, v in out.items()}


# --------------------------------------------------------------------------- flights


def _chained(t: pa.Table) -> npt.NDArray[np.bool_]:
    """Whether each leg continues the flight of the leg before it (Arrow kernels, no loop)."""
    n = t.num_rows
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    nxt, prev = t.slice(1), t.slice(0, n - 1)
    m = pc.and_(pc.greater(nxt["leg_seq"], prev["leg_seq"]), pc.equal(nxt["dep"], prev["arr"]))
    for k in ("dataset", "airline", "suffix", "flight_number", "ivi"):
        m = pc.and_(m, pc.equal(nxt[k], prev[k]))
    out[1:] = pc.fill_null(m, False).to_numpy(zero_copy_only=False)
    return out


def _flights(legs: pa.Table) -> tuple[pa.Table, npt.NDArray[np.int64]]:
    """Legs in flight order and a flight id per leg.

    SSIM lists the legs of a flight one after another; the file order is kept when every
    leg after the first continues its flight, else the legs are sorted by designator.
    """
    same = _chained(legs)
    later = pc.greater(legs["leg_seq"], 1).to_numpy(zero_copy_only=False)
    srt = legs
    if bool((later & ~same).any()):
        keys = ["dataset", "airline", "suffix", "flight_number", "ivi", "period_from", "leg_seq"]
        srt = legs.sort_by([(k, "ascending") for k in keys])
        same = _chained(srt)
    return srt, np.cumsum(~same).astype(np.int64) - 1


def _no_traffic(
    stations: Sequence[str], trcs: Sequence[str], seg_trc: Mapping[tuple[str, str], str]
) -> frozenset[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for i, trc in enumerate(trcs):
        for k, code in enumerate(trc):
            j = i + k + 1
            if code in NO_TRAFFIC_CODES and j < len(stations):
                out.add((stations[i], stations[j]))
    for pair, code in seg_trc.items():
        if code[:1] in NO_TRAFFIC_CODES:
            out.add(pair)
    return frozenset(out)


def _route_keys(
    srt: pa.Table,
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    seg_trc: Mapping[tuple[str, str, str, str], dict[tuple[str, str], str]],
) -> pa.Array:
    """One text key per flight: ``carrier|stations|no-traffic pairs``, built in bulk."""
    first = srt.take(pa.array(starts))
    trc1 = pc.utf8_slice_codeunits(first["trc"], 0, 1)
    pair = pc.binary_join_element_wise(first["dep"], first["arr"], "-")
    nt = pc.if_else(pc.is_in(trc1, pa.array(sorted(NO_TRAFFIC_CODES))), pair, "")
    keys = pc.binary_join_element_wise(first["airline"], pair, nt, "|")
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    redo = set(np.flatnonzero(ends - starts > 1).tolist())
    fk = pc.binary_join_element_wise(
        *(pc.cast(first[c], pa.string()) for c in ("dataset", "airline", "flight_number", "ivi")),
        "|",
    )
    if seg_trc:
        hit = pc.is_in(fk, value_set=pa.array(["|".join(k) for k in seg_trc], pa.string()))
        redo |= set(np.flatnonzero(hit.to_numpy(zero_copy_only=False)).tolist())
    if not redo:
        return keys
    rows = sorted(redo)
    dep, arr, trc = srt["dep"].to_pylist(), srt["arr"].to_pylist(), srt["trc"].to_pylist()
    carriers = first["airline"].take(pa.array(rows)).to_pylist()
    flight_keys = fk.take(pa.array(rows)).to_pylist()
    new = []
    for k, carrier, fkey in zip(rows, carriers, flight_keys, strict=True):
        s, e = int(starts[k]), int(ends[k])
        stations = (*dep[s:e], arr[e - 1])
        extra = seg_trc.get(tuple(fkey.split("|")), {})  # type: ignore[arg-type]
        nts = _no_traffic(stations, trc[s:e], extra)
        pairs = ",".join(sorted(f"{a}-{b}" for a, b in nts))
        new.append(f"{carrier}|{'-'.join(stations)}|{pairs}")
    mask = np.zeros(len(keys), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(keys, pa.array(mask), pa.array(new, pa.string()))


@dataclass
class _Routes:
    """Per distinct route key: its segment rows, violation rows, relevant traffic pairs."""

    segments: list[list[dict[str, object]]]
    violations: list[list[dict[str, object]]]
    pairs: list[list[tuple[str, str]]]
    warnings: list[str]
    #: Per route key: 0 checked, else the index of its reason in ``NOT_CHECKED``.
    status: list[int]
    #: Per route key: segments neither permitted nor refused (outside the agreements held,
    #: technical stops not checked), as violation-like rows.
    undetermined: list[list[dict[str, object]]] = field(default_factory=list)
    #: Pairs of states (``"BLR-TUR"``) whose agreement a segment needs and the folder lacks.
    missing: set[str] = field(default_factory=set)


def _check_routes(
    agreements: Sequence[Agreement], keys: Sequence[str], carrier_states: Mapping[str, str] | None
) -> _Routes:
    out = _Routes([], [], [], [], [])
    skipped: set[str] = set()
    party_pairs = {frozenset(a.parties) for a in agreements}
    for key in keys:
        carrier, route, nt = key.split("|")
        stations = route.split("-")
        segs: list[dict[str, object]] = []
        viols: list[dict[str, object]] = []
        pairs: list[tuple[str, str]] = []
        undet: list[dict[str, object]] = []
        out.segments.append(segs)
        out.violations.append(viols)
        out.pairs.append(pairs)
        out.undetermined.append(undet)
        out.status.append(0)
        try:
            carrier_state(agreements, carrier, states=carrier_states)
        except UnknownCodeError:
            out.status[-1] = NOT_CHECKED.index("carrier's state unknown")
            if carrier not in skipped:
                skipped.add(carrier)
                out.warnings.append(
                    f"carrier {carrier}: designated in no agreement, state unknown; not checked"
                )
            continue
        bad = [x for x in stations if not is_airport(x)]
        if bad:
            out.status[-1] = NOT_CHECKED.index("station not an airport")
            out.warnings.append(f"route {carrier} {route}: unknown airport {bad[0]}; not checked")
            continue
        codes = [airport(x).iata for x in stations]
        no_traffic = frozenset((p[:3], p[4:7]) for p in nt.split(",") if p)
        every = frozenset((a, b) for a in codes for b in codes if a != b)
        fc = check_itinerary(
            agreements,
            carrier,
            codes,
            local_traffic=every,
            no_traffic=no_traffic,
            carrier_states=carrier_states,
        )
        for seg in fc.segments:
            segs.append(_row(fc, seg))
            if seg.kind == "traffic" and frozenset((seg.board_state, seg.off_state)) in party_pairs:
                pairs.append((seg.board, seg.off))
            _judged(seg, carrier, viols, undet, out.missing)
    return out


def _judged(
    seg: SegmentCheck,
    carrier: str,
    viols: list[dict[str, object]],
    undet: list[dict[str, object]],
    missing: set[str],
) -> None:
    """A segment's violations (refusals by agreements held), or its undetermined row."""
    where = f"{seg.board}-{seg.off}"
    if seg.verdict == "refused":
        for g in seg.grants:
            if g.agreement is not None and not g.granted:
                viols.append(
                    {"kind": g.code, "carrier": carrier, "segment": where, "detail": g.reason}
                )
    elif seg.verdict in UNDETERMINED_KINDS:
        kind = UNDETERMINED_KINDS[seg.verdict]
        undet.append({"kind": kind, "carrier": carrier, "segment": where, "detail": seg.reason})
        missing.update("-".join(g.parties) for g in seg.grants if g.parties)


def _row(fc: FlightCheck, seg: SegmentCheck) -> dict[str, object]:
    return {
        "carrier_state": fc.carrier_state,
        "board": seg.board,
        "off": seg.off,
        "board_state": seg.board_state,
        "off_state": seg.off_state,
        "board_territory": seg.board_territory,
        "off_territory": seg.off_territory,
        "via": "-".join(seg.via),
        "kind": seg.kind,
        "freedom": seg.freedom,
        "verdict": seg.verdict,
        "reason": seg.reason,
    }


def _expand(
    per_key: list[list[dict[str, object]]],
    key_ids: npt.NDArray[np.int64],
    flights: pa.Table,
    schema: pa.Schema,
) -> pa.Table:
    """Repeat each flight's columns once per row of its key; add the key's rows."""
    n = np.array([len(x) for x in per_key], dtype=np.int64)
    flat = pa.Table.from_pylist([r for rows in per_key for r in rows], schema=schema)
    flat = pa.table(  # route-level text repeats over flights: take indices, not strings
        {
            c: flat[c].dictionary_encode() if flat[c].type == pa.string() else flat[c]
            for c in flat.column_names
        }
    )
    offset = np.r_[0, np.cumsum(n)[:-1]]
    reps = n[key_ids] if len(key_ids) else np.zeros(0, np.int64)
    flight_rep = np.repeat(np.arange(len(key_ids)), reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    rows = offset[key_ids[flight_rep]] + within if len(flight_rep) else np.zeros(0, np.int64)
    left = flights.take(pa.array(flight_rep, pa.int64()))
    right = flat.take(pa.array(rows, pa.int64()))
    for name in right.column_names:
        if name not in left.column_names:
            left = left.append_column(name, right[name])
    return left


_FLIGHT_COLS = [
    "airline",
    "flight_number",
    "suffix",
    "ivi",
    "line",
    "period_from",
    "period_to",
    "days",
]
_SEG_SCHEMA = pa.schema(
    [
        ("carrier_state", pa.string()),
        ("board", pa.string()),
        ("off", pa.string()),
        ("board_state", pa.string()),
        ("off_state", pa.string()),
        ("board_territory", pa.string()),
        ("off_territory", pa.string()),
        ("via", pa.string()),
        ("kind", pa.string()),
        ("freedom", pa.int8()),
        ("verdict", pa.string()),
        ("reason", pa.string()),
    ]
)
_VIOL_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("carrier", pa.string()),
        ("segment", pa.string()),
        ("detail", pa.string()),
    ]
)


def _routings(
    legs: pa.Table, segments: pa.Table
) -> tuple[pa.Table, npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
    """Legs chained into flights: sorted legs, each flight's first and end row, the id of
    its routing and the distinct routings (each checked once)."""
    srt, fid = _flights(legs)
    starts = np.flatnonzero(np.r_[True, fid[1:] != fid[:-1]]) if len(fid) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(fid)].astype(np.int64)
    keys = _route_keys(srt, starts, ends, _segment_trc(segments))
    enc = (
        pc.dictionary_encode(keys)
        if len(keys)
        else pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
    )
    key_ids = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return srt, starts, ends, key_ids, enc.dictionary.to_pylist()


def _spread(
    routes: _Routes, key_ids: npt.NDArray[np.int64], flights: pa.Table
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Each routing's segments, violations and undetermined rows spread over its flights."""
    short = flights.select(["flight", "line"])
    return (
        _expand(routes.segments, key_ids, flights, _SEG_SCHEMA),
        _expand(routes.violations, key_ids, short, _VIOL_SCHEMA),
        _expand(routes.undetermined, key_ids, short, _VIOL_SCHEMA),
    )


def _all_not_checked(counts: dict[str, int], repeated: int, other: int) -> dict[str, int]:
    """Legs not checked by reason, the repeats and other carriers' legs first."""
    if repeated:
        counts = {"repeats an earlier leg": repeated, **counts}
    if other > 0:
        counts = {"carrier not selected": other, **counts}
    return counts


def check_schedule(
    agreements: Sequence[Agreement],
    schedule: Schedule,
    *,
    carrier_states: Mapping[str, str] | None = None,
    carriers: Sequence[str] | None = None,
) -> ScheduleReport:
    """Check every flight of a schedule against the agreements, and the caps week by week.

    Each distinct routing (carrier, points, segments without traffic) is checked once; the
    verdicts are then spread over the flights in bulk, so a season of a million legs is
    checked in seconds.

    Parameters
    ----------
    agreements
        From :func:`bilat.air.load_agreements`.
    schedule
        From :func:`bilat.air.read_ssim`.
    carrier_states
        Carrier → ISO3 for carriers no agreement designates (else they are not checked and
        a warning says so).
    carriers
        Only these carriers (default: all).
    """
    legs = schedule.legs
    legs = legs.filter(pc.is_in(legs["airline"], pa.array(list(carriers)))) if carriers else legs
    selected = legs.num_rows
    legs, repeated, repeats = (
        drop_repeated_legs(legs) if schedule.duplicates.num_rows else (legs, 0, [])
    )
    srt, starts, ends, key_ids, routings = _routings(legs, schedule.segments)
    routes = _check_routes(agreements, routings, carrier_states)
    first = srt.select([*_FLIGHT_COLS, "days_mask", "frequency_rate"]).take(pa.array(starts))
    flights = _flight_table(first)
    segments, viols, undet = _spread(routes, key_ids, flights)
    first = first.append_column("open_end", _open_ends(schedule, srt, starts))
    overridden = overridden_carrier_states(agreements, carrier_states)
    routes.warnings.extend([*_open_warnings(first), *overridden])
    freq = _frequencies(first, key_ids, routes.pairs, agreements, carrier_states)
    caps = _cap_checks(agreements, freq)
    legs_per_flight = (ends - starts).astype(np.int64)
    status = np.array(routes.status, dtype=np.int64)[key_ids] if len(key_ids) else key_ids
    counts = _not_checked(legs_per_flight, status)
    not_checked = _all_not_checked(counts, repeated, schedule.legs.num_rows - selected)
    routes.warnings[:0] = [repeated_legs_text(repeated, repeats)] if repeated else []
    flights = _per_flight(flights, first, routes, key_ids, legs_per_flight, status)
    return ScheduleReport(
        segments,
        freq,
        tuple(caps),
        _violations_table(viols, caps),
        tuple(routes.warnings),
        legs_checked=int(legs_per_flight[status == 0].sum()),
        not_checked=not_checked,
        flights=flights,
        undetermined=undet.select(["kind", "carrier", "flight", "segment", "detail", "line"]),
        outside_pairs=tuple(sorted(routes.missing)),
        legs_repeated=repeated,
    )


def _not_checked(
    legs_per_flight: npt.NDArray[np.int64], status: npt.NDArray[np.int64]
) -> dict[str, int]:
    """Legs not checked by reason (``NOT_CHECKED``), reasons with none left out."""
    return {
        reason: int(legs_per_flight[status == i].sum())
        for i, reason in enumerate(NOT_CHECKED)
        if i and (status == i).any()
    }


def _per_flight(
    flights: pa.Table,
    first: pa.Table,
    routes: _Routes,
    key_ids: npt.NDArray[np.int64],
    legs_per_flight: npt.NDArray[np.int64],
    status: npt.NDArray[np.int64],
) -> pa.Table:
    """The flights table with what the groups add up: days, rate, open end, legs, checked,
    and the count of violation and undetermined rows of each flight."""
    nviol = np.array([len(v) for v in routes.violations], dtype=np.int32)
    nundet = np.array([len(v) for v in routes.undetermined], dtype=np.int32)
    none = np.zeros(0, np.int32)
    columns = {
        **{name: first[name] for name in ("days_mask", "frequency_rate", "open_end")},
        "legs": pa.array(legs_per_flight.astype(np.int32)),
        "checked": pa.array(status == 0),
        "violations": pa.array(nviol[key_ids] if len(key_ids) else none),
        "undetermined": pa.array(nundet[key_ids] if len(key_ids) else none),
    }
    for name, values in columns.items():
        flights = flights.append_column(name, values)
    return flights


def _open_ends(schedule: Schedule, srt: pa.Table, starts: npt.NDArray[np.int64]) -> pa.Array:
    """Per flight: the date an open period (``00XXX00``) runs to, its data set's validity end
    (type-2 bytes 22-28), or null when the data set gives none."""
    ends = schedule.carriers["validity_to"] if schedule.carriers.num_rows else pa.array([])
    table = pa.array([*ends.to_pylist(), None], pa.date32())
    ds = srt["dataset"].take(pa.array(starts, pa.int64())).to_numpy(zero_copy_only=False)
    idx = np.where(ds < 0, len(table) - 1, ds).astype(np.int64)
    return table.take(pa.array(idx, pa.int64()))


def _open_warnings(first: pa.Table) -> list[str]:
    """What an open period was counted to: the validity end, or 182 days."""
    is_open = pc.is_null(first["period_to"])
    to_validity = int(pc.sum(pc.and_(is_open, pc.is_valid(first["open_end"]))).as_py() or 0)
    days182 = int(pc.sum(is_open).as_py() or 0) - to_validity
    out = []
    if to_validity:
        ends = pc.unique(pc.filter(first["open_end"], is_open).drop_null()).to_pylist()
        out.append(
            f"{_flights_text(to_validity)} with an open end date (00XXX00) counted to the "
            f"validity end of their data set ({', '.join(str(d) for d in sorted(ends))})"
        )
    if days182:
        out.append(
            f"{_flights_text(days182)} with an open end date (00XXX00) counted 182 days from "
            "their first date: their data set gives no validity end (type-2 bytes 22-28)"
        )
    return out


def _flights_text(n: int) -> str:
    return f"{n} flight" + (" (period record)" if n == 1 else "s (period records)")


def drop_repeated_legs(
    legs: pa.Table, shown: int = 5
) -> tuple[pa.Table, int, list[tuple[int, int]]]:
    """The legs without those that repeat an earlier leg's key, how many were dropped, and
    (line, first line) of the first ``shown`` of them.

    A repeated record says the same leg twice; counting it twice would double its flights
    against a cap (:attr:`bilat.air.Schedule.duplicates` finds them).
    """
    t = legs.select([*LEG_KEY, "line"])
    first = t.group_by(LEG_KEY, use_threads=False).aggregate([("line", "min")])
    keep = pc.is_in(legs["line"], value_set=first["line_min"])
    dropped = t.filter(pc.invert(keep))
    if not dropped.num_rows:
        return legs, 0, []
    pairs = []
    for r in dropped.slice(0, shown).to_pylist():
        same = pa.array(np.ones(t.num_rows, dtype=bool))
        for k in LEG_KEY:
            v = r[k]
            eq = pc.is_null(t[k]) if v is None else pc.fill_null(pc.equal(t[k], v), False)
            same = pc.and_(same, eq)
        pairs.append((int(r["line"]), int(pc.min(pc.filter(t["line"], same)).as_py())))
    return legs.filter(keep), dropped.num_rows, pairs


def repeated_legs_text(
    count: int,
    pairs: Sequence[tuple[int, int]],
    tail: str = "each leg is counted once, the repeats are not checked",
) -> str:
    """``2 leg records repeat an earlier one … (line 12 = line 6, …); each leg counted once``."""
    listed = ", ".join(f"line {a} = line {b}" for a, b in pairs)
    more = f" and {count - len(pairs)} more" if count > len(pairs) else ""
    noun = "leg record repeats" if count == 1 else "leg records repeat"
    return (
        f"{count:,} {noun} an earlier one with the same key (designator, variation, leg, "
        f"period, days): {listed}{more}; {tail}"
    )


def _flight_table(first: pa.Table) -> pa.Table:
    """One row per flight: its first leg's columns and its designator."""
    flights = first.select(_FLIGHT_COLS).rename_columns(["carrier", *_FLIGHT_COLS[1:]])
    designator = pc.binary_join_element_wise(
        flights["carrier"], pc.cast(flights["flight_number"], pa.string()), " "
    )
    flights = flights.append_column(
        "flight", pc.binary_join_element_wise(designator, flights["suffix"], "")
    )
    flights = pa.table(
        {
            c: flights[c].dictionary_encode() if flights[c].type == pa.string() else flights[c]
            for c in flights.column_names
        }
    )
    return flights


def _violations_table(viols: pa.Table, caps: Sequence[CapCheck]) -> pa.Table:
    dict_str = pa.dictionary(pa.int32(), pa.string())
    per_flight = pa.table(
        {
            "kind": viols["kind"],
            "carrier": viols["carrier"],
            "flight": viols["flight"],
            "segment": viols["segment"],
            "week": pa.nulls(viols.num_rows, dict_str),
            "detail": viols["detail"],
            "line": viols["line"],
        }
    )
    over = [c for c in caps if c.exceeded]

    def col(values: list[str]) -> pa.Array:
        return pa.array(values, pa.string()).dictionary_encode()

    capped = pa.table(
        {
            "kind": col(["cap-exceeded"] * len(over)),
            "carrier": col([c.subject.split("carriers of ")[-1] for c in over]),
            "flight": col([c.subject for c in over]),
            "segment": col([c.subject.split(",")[0] for c in over]),
            "week": col([c.week for c in over]),
            "detail": col(
                [
                    f"{c.flights} flights in {c.week} exceed the cap of {c.weekly} "
                    f"({c.agreement} {c.cap})"
                    for c in over
                ]
            ),
            "line": pa.nulls(len(over), pa.int32()),
        }
    )
    return pa.concat_tables([per_flight, capped.cast(per_flight.schema)])


def _segment_trc(segments: pa.Table) -> dict[tuple[str, str, str, str], dict[tuple[str, str], str]]:
    out: dict[tuple[str, str, str, str], dict[tuple[str, str], str]] = defaultdict(dict)
    sel = segments.filter(pc.equal(segments["dei"], 170))
    for r in sel.to_pylist():
        key = (str(r["dataset"]), r["airline"], str(r["flight_number"]), str(r["ivi"]))
        out[key][(r["board"], r["off"])] = r["data"].strip()
    return dict(out)


# --------------------------------------------------------------------------- frequencies


def _iso_week_codes(d: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """ISO year * 100 + ISO week for day numbers since 1970-01-01 (a Thursday)."""
    thursday = d - (d + 3) % 7 + 3
    year = thursday.astype("datetime64[D]").astype("datetime64[Y]")
    jan1 = year.astype("datetime64[D]").astype(np.int64)
    out: npt.NDArray[np.int64] = (year.astype(np.int64) + 1970) * 100 + (thursday - jan1) // 7 + 1
    return out


def _operating_weeks(f: pa.Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every operating date of each flight, as (flight row, ISO week code) arrays.

    The dates are :func:`bilat.air.flights.operating_dates`'s (one expansion for the whole
    package); an open period (``00XXX00``) runs to ``open_end`` (its data set's validity
    end) when the table has that column and it is set, else 182 days.
    """
    start = pc.cast(f["period_from"], pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    end_col = pc.cast(f["period_to"], pa.int32())
    if "open_end" in f.column_names:
        end_col = pc.coalesce(end_col, pc.cast(f["open_end"], pa.int32()))
    end = pc.fill_null(end_col, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    end = np.where(pc.is_null(end_col).to_numpy(zero_copy_only=False), start + 181, end)
    mask = f["days_mask"].to_numpy(zero_copy_only=False).astype(np.int64)
    rate = (
        f["frequency_rate"].to_numpy().astype(np.int64)
        if "frequency_rate" in f.column_names
        else np.ones(f.num_rows, np.int64)
    )
    if not f.num_rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rep, day = operating_dates(start, end, mask, rate, int(start.min()), int(end.max()))
    return rep, _iso_week_codes(day)


def _frequencies(
    flights: pa.Table,
    key_ids: npt.NDArray[np.int64],
    pairs: Sequence[Sequence[tuple[str, str]]],
    agreements: Sequence[Agreement],
    carrier_states: Mapping[str, str] | None = None,
) -> pa.Table:
    """Flights per carrier, direction and ISO week on each traffic segment between parties.

    ``flights`` holds one row per flight (its first leg), ``key_ids`` the route of each and
    ``pairs`` the traffic segments of each route that link the two parties of an agreement
    (as :func:`check_schedule` builds them). Open periods (``00XXX00``) run to their data
    set's validity end, else 182 days (:func:`_operating_weeks`).
    """
    npairs = np.array([len(p) for p in pairs], dtype=np.int64)
    sel = np.flatnonzero(npairs[key_ids] > 0) if len(key_ids) else np.zeros(0, np.int64)
    f = flights.take(pa.array(sel, pa.int64()))
    rep, week = _operating_weeks(f)
    fw, counts = np.unique(rep * 1_000_000 + week, return_counts=True)
    flight_of, week_of = fw // 1_000_000, fw % 1_000_000
    # spread each (flight, week) count over the flight's relevant pairs, in bulk
    names = sorted({p for ps in pairs for p in ps})
    gid = {p: i for i, p in enumerate(names)}
    flat_ids = np.array([gid[p] for ps in pairs for p in ps], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(npairs)[:-1]]
    key = key_ids[sel[flight_of]] if len(flight_of) else np.zeros(0, np.int64)
    reps = npairs[key]
    row = np.repeat(np.arange(len(key)), reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    pair = flat_ids[offsets[key[row]] + within] if len(row) else np.zeros(0, np.int64)
    enc = pc.dictionary_encode(f["airline"].combine_chunks()) if len(sel) else None
    carrier_idx = (
        enc.indices.to_numpy().astype(np.int64) if enc is not None else np.zeros(0, np.int64)
    )
    code = (carrier_idx[flight_of[row]] * (len(names) + 1) + pair) * 1_000_000 + week_of[row]
    uniq, inv = np.unique(code, return_inverse=True)
    sums = np.bincount(inv, weights=counts[row]).astype(np.int64)
    carrier_names = enc.dictionary.to_pylist() if enc is not None else []
    totals: dict[tuple[str, str, str, int], int] = {}
    for u, n in zip(uniq.tolist(), sums.tolist(), strict=True):
        ci, rest = divmod(u, (len(names) + 1) * 1_000_000)
        pi, wk = divmod(rest, 1_000_000)
        totals[(carrier_names[ci], *names[pi], wk)] = n
    states = {c: carrier_state(agreements, c, states=carrier_states) for c, *_ in totals}
    return pa.table(
        {
            "carrier": pa.array([k[0] for k in totals], pa.string()),
            "carrier_state": pa.array([states[k[0]] for k in totals], pa.string()),
            "board": pa.array([k[1] for k in totals], pa.string()),
            "off": pa.array([k[2] for k in totals], pa.string()),
            "week": pa.array([f"{k[3] // 100}-W{k[3] % 100:02d}" for k in totals], pa.string()),
            "flights": pa.array(list(totals.values()), pa.int32()),
        }
    )


def _cap_checks(agreements: Sequence[Agreement], freq: pa.Table) -> list[CapCheck]:
    rows = freq.to_pylist()
    out: list[CapCheck] = []
    for ag in agreements:
        for cap in ag.caps:
            groups = (
                [(p,) for p in ag.parties]
                if cap.applies_to == "each"
                else ([ag.parties] if cap.applies_to == "combined" else [(cap.applies_to,)])
            )
            for group in groups:
                out += _one_cap(ag, cap, group, rows)
    return out


def _one_cap(
    ag: Agreement, cap: FrequencyCap, group: Sequence[str], rows: list[dict[str, object]]
) -> list[CapCheck]:
    per: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        if r["carrier_state"] not in group:
            continue
        if cap.scope == "carrier" and r["carrier"] != cap.carrier:
            continue
        a, b = str(r["board"]), str(r["off"])
        if cap.scope == "city_pair":
            if cap.city_pair is None or {a, b} != set(cap.city_pair):
                continue
            direction = a == cap.city_pair[0]
        else:
            sa, sb = airport(a).state, airport(b).state
            if {sa, sb} != set(ag.parties):
                continue
            direction = sa == ag.parties[0]
        week = str(r["week"])
        if not cap.in_force(dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)):
            continue
        per[(week, str(direction))] += int(r["flights"])  # type: ignore[call-overload]
    weeks = sorted({w for w, _ in per})
    subject = (
        f"{'-'.join(cap.city_pair)}" if cap.city_pair else cap.carrier or "-".join(ag.parties)
    ) + f", carriers of {'+'.join(group)}"
    return [
        CapCheck(
            ag.id,
            cap.id,
            subject,
            w,
            max(per.get((w, "True"), 0), per.get((w, "False"), 0)),
            cap.weekly,
        )
        for w in weeks
    ]
