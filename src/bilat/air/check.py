"""Check a flight, segment by segment, against the agreements that must grant its traffic.

A flight ``B2 MSQ-NQZ-ALA`` has the segments MSQ→NQZ, MSQ→ALA and NQZ→ALA. Each is
classified relative to the carrier's state (:func:`bilat.air.freedoms.classify`); the
agreements between the carrier's state and the states of the segment's end points must
each grant it: a fifth-freedom segment X→Y needs the home–X and the home–Y agreements,
because each of the two foreign states consents for its own territory.

A point's state is the state that holds its traffic rights (:attr:`bilat.air.Airport.state`:
Réunion and Mayotte are France). A flight that returns to a point it served (``CDG-XCR-CDG``)
has no segment from that point to itself: nobody buys a ticket from CDG to CDG.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from bilat.air.airports import airport, great_circle_km, territory_text
from bilat.air.freedoms import SegmentKind, classify, segment_words
from bilat.air.model import Agreement, PointSet, RouteSchedule
from bilat.document import fields_document
from bilat.errors import InputError, UnknownCodeError

__all__ = [
    "FlightCheck",
    "FlightVerdict",
    "Grant",
    "GrantCode",
    "SegmentCheck",
    "Verdict",
    "carrier_state",
    "check_flight",
    "check_itinerary",
    "overridden_carrier_states",
    "parse_flight",
    "unknown_carrier_text",
]

#: ``permitted``: every agreement needed grants it; ``refused``: at least one agreement held
#: does not; ``not-regulated``: a domestic segment of the carrier's own state;
#: ``outside-agreements``: an agreement it needs is not in the folder (and none held refuses
#: it), so it is neither permitted nor refused; ``not-checked``: a technical stop (second
#: freedom), whose grant (IASTA or the bilateral) is not checked.
Verdict = Literal["permitted", "refused", "not-regulated", "outside-agreements", "not-checked"]
#: A whole flight: ``refused`` when a segment is, ``undetermined`` when a segment is outside
#: the agreements held or not checked, else ``permitted``.
FlightVerdict = Literal["permitted", "refused", "undetermined"]
GrantCode = Literal[
    "granted",
    "no-agreement",
    "undesignated-carrier",
    "not-in-route-schedule",
    "no-right",
    "no-co-terminalisation",
]

_FLIGHT = re.compile(r"^\s*([A-Z0-9]{2})\s*(\d{1,4}[A-Z]?)?\s+([A-Z]{3}(?:-[A-Z]{3})+)\s*$")


@dataclass(frozen=True, slots=True)
class Grant:
    """What one agreement says about one segment.

    Attributes
    ----------
    agreement
        Agreement id (``"BLR-KAZ"``), or ``None`` when no agreement exists between the states.
    granted
        Whether this agreement grants the segment.
    clause
        The id of the granting clause, or ``None``.
    source
        The clause's provenance as a citation.
    reason
        Why it is granted or not, in words.
    code
        ``granted`` or why not: ``no-agreement`` (none in the folder: not a refusal, the
        segment is outside the agreements held), ``undesignated-carrier``,
        ``not-in-route-schedule``, ``no-right``, ``no-co-terminalisation``.
    parties
        For ``no-agreement``: the two states (ISO3, sorted) whose agreement is missing.
    """

    agreement: str | None
    granted: bool
    clause: str | None
    source: str | None
    reason: str
    code: GrantCode = "granted"
    parties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentCheck:
    """The verdict on one board → off segment.

    Attributes
    ----------
    carrier, carrier_state
        Operating carrier (IATA) and its state (ISO3).
    board, off
        IATA codes of the board and off points; ``via`` the points in between.
    board_state, off_state
        ISO3 of the states that hold the board and off points' traffic rights.
    kind, freedom
        See :func:`bilat.air.freedoms.classify`; ``freedom`` is 2-9 or ``None``.
    traffic
        Whether the segment carries traffic of its own.
    verdict
        ``permitted``, ``refused``, ``not-regulated``, ``outside-agreements`` or
        ``not-checked`` (see :data:`Verdict`).
    grants
        One :class:`Grant` per agreement that must grant the segment.
    reason
        The verdict in one sentence.
    distance_km
        Great-circle distance board → off in km.
    board_territory, off_territory
        ISO3 of the territory each point is in when it is not its state's own ISO entry
        (``"REU"`` for Réunion), else empty.
    """

    carrier: str
    carrier_state: str
    board: str
    off: str
    via: tuple[str, ...]
    board_state: str
    off_state: str
    kind: SegmentKind
    freedom: int | None
    traffic: bool
    verdict: Verdict
    grants: tuple[Grant, ...]
    reason: str
    distance_km: float
    board_territory: str = ""
    off_territory: str = ""

    @property
    def permitted(self) -> bool:
        """True when permitted or not regulated (not when refused, outside the agreements
        held or not checked)."""
        return self.verdict in ("permitted", "not-regulated")


@dataclass(frozen=True, slots=True)
class FlightCheck:
    """Every segment of one flight with its verdict."""

    carrier: str
    carrier_state: str
    stations: tuple[str, ...]
    segments: tuple[SegmentCheck, ...]

    #: Problems with the input that did not stop the check (a ``carrier_states`` entry the
    #: designation overrides).
    warnings: tuple[str, ...] = ()

    #: The keys ``to_dict`` adds to the fields (for the web's generated response model).
    _document_extra_: ClassVar[dict[str, type]] = {"permitted": bool, "verdict": str}

    @property
    def verdict(self) -> FlightVerdict:
        """``refused`` if a segment is, ``undetermined`` if a segment is outside the
        agreements held or not checked, else ``permitted``."""
        verdicts = {s.verdict for s in self.segments}
        if "refused" in verdicts:
            return "refused"
        if verdicts & {"outside-agreements", "not-checked"}:
            return "undetermined"
        return "permitted"

    @property
    def permitted(self) -> bool:
        """True only for the verdict ``permitted`` (False does not mean refused: read
        :attr:`verdict`)."""
        return self.verdict == "permitted"

    def to_dict(self) -> dict[str, Any]:
        """The check as plain data: its fields, ``permitted`` and ``verdict``."""
        return {**fields_document(self), "permitted": self.permitted, "verdict": self.verdict}


def parse_flight(text: str) -> tuple[str, tuple[str, ...]]:
    """Parse ``"B2 MSQ-NQZ-ALA"`` (optionally ``"B2 735 MSQ-NQZ"``) → carrier, stations.

    Raises
    ------
    InputError
        When the text is not a carrier code followed by hyphen-separated airports.
    """
    m = _FLIGHT.match(text.upper())
    if not m:
        raise InputError(
            f"Cannot read flight {text!r}: expected a carrier code and two or more airports, "
            'e.g. "B2 MSQ-NQZ-ALA"',
            details={"value": text, "expected": "CC AAA-BBB[-CCC...]"},
        )
    return m.group(1), tuple(airport(c).iata for c in m.group(3).split("-"))


def _pairs(values: Iterable[str] | None) -> frozenset[tuple[str, str]]:
    out = set()
    for v in values or ():
        parts = v.upper().replace(" ", "").split("-")
        if len(parts) != 2:
            raise InputError(
                f"Cannot read segment {v!r}: expected two airports like NQZ-ALA",
                details={"value": v, "expected": "AAA-BBB"},
            )
        a, b = (airport(p).iata for p in parts)
        out |= {(a, b), (b, a)}
    return frozenset(out)


def carrier_state(
    agreements: Sequence[Agreement], carrier: str, *, states: Mapping[str, str] | None = None
) -> str:
    """The state that designates ``carrier`` in the agreements, else its state in ``states``.

    The designation comes first: a treaty that designates a carrier for a state settles
    whose carrier it is (:func:`overridden_carrier_states` words the entries it overrides).

    Raises
    ------
    UnknownCodeError
        When no agreement designates the carrier and ``states`` does not name it.
    """
    for a in agreements:
        c = a.carrier(carrier)
        if c is not None:
            return c.state
    if states and carrier in states:
        return states[carrier]
    raise UnknownCodeError(
        f"{unknown_carrier_text(carrier, len(agreements))}: pass its state's ISO3 code in "
        f"carrier_states, e.g. carrier_states={{{carrier!r}: 'KAZ'}}",
        details={
            "value": carrier,
            "expected": "a designated carrier",
            "argument": "carrier_states",
            "agreements": len(agreements),
        },
    )


def overridden_carrier_states(
    agreements: Sequence[Agreement], states: Mapping[str, str] | None
) -> tuple[str, ...]:
    """A warning for each ``states`` entry an agreement's designation overrides.

    ``{"B2": "KAZ"}`` when BLR-KAZ designates B2 for BLR gives one warning; an entry that
    agrees with the designation gives none.
    """
    out = []
    for code, state in (states or {}).items():
        for a in agreements:
            c = a.carrier(code)
            if c is not None and c.state != state:
                out.append(
                    f"carrier state {code}={state} ignored: {a.id} designates {code} for "
                    f"{c.state}, which is used (the carrier state is for carriers no agreement "
                    "designates)"
                )
                break
    return tuple(out)


def unknown_carrier_text(carrier: str, agreements: int) -> str:
    """Why a carrier's state is unknown, in words (the fronts add how to name it)."""
    noun = "agreement" if agreements == 1 else "agreements"
    return (
        f"Carrier {carrier!r} is designated in none of the {agreements} {noun}, so its state "
        "is unknown"
    )


def check_flight(
    agreements: Sequence[Agreement],
    flight: str,
    *,
    local_traffic: Iterable[str] | None = None,
    no_traffic: Iterable[str] | None = None,
    carrier_states: Mapping[str, str] | None = None,
) -> FlightCheck:
    """Check a flight given as text, e.g. ``"B2 MSQ-NQZ-ALA"``.

    Parameters
    ----------
    agreements
        From :func:`bilat.air.load_agreements`.
    flight
        Carrier code and the points in order, hyphen-separated.
    local_traffic
        Segments inside one foreign state that carry local traffic (``"NQZ-ALA"``); such
        segments carry none unless listed here.
    no_traffic
        Other segments that carry no traffic of their own (technical stops).
    carrier_states
        Carrier → ISO3 for carriers no agreement designates.

    Examples
    --------
    >>> from bilat.air import load_agreements, case_agreements_dir
    >>> ags = load_agreements(case_agreements_dir())
    >>> check_flight(ags, "B2 MSQ-NQZ-ALA").permitted
    True
    >>> check_flight(ags, "B2 MSQ-NQZ-ALA", local_traffic=["NQZ-ALA"]).permitted
    False
    """
    carrier, stations = parse_flight(flight)
    if len(set(stations)) < 2:
        raise InputError(
            f"Cannot check flight {flight!r}: a flight needs two different points, so "
            f"{'-'.join(stations)} has no segment to check",
            details={"value": flight, "expected": "CC AAA-BBB[-CCC...] with AAA != BBB"},
        )
    _on_flight(flight, stations, {"local_traffic": local_traffic, "no_traffic": no_traffic})
    pairs = {"local_traffic": _pairs(local_traffic), "no_traffic": _pairs(no_traffic)}
    fc = check_itinerary(
        agreements,
        carrier,
        stations,
        local_traffic=pairs["local_traffic"],
        no_traffic=pairs["no_traffic"],
        carrier_states=carrier_states,
    )
    warnings = overridden_carrier_states(agreements, carrier_states)
    return FlightCheck(fc.carrier, fc.carrier_state, fc.stations, fc.segments, warnings)


def _on_flight(
    flight: str, stations: Sequence[str], given: Mapping[str, Iterable[str] | None]
) -> None:
    """Refuse a ``local_traffic``/``no_traffic`` segment that is not a segment of the flight."""
    served = {(a, b) for i, a in enumerate(stations) for b in stations[i + 1 :] if a != b}
    served |= {(b, a) for a, b in served}
    for argument, values in given.items():
        stray = [v.strip().upper() for v in values or () if not _pairs([v]) <= served]
        if stray:
            segs = list(
                dict.fromkeys(
                    f"{a}-{b}" for i, a in enumerate(stations) for b in stations[i + 1 :] if a != b
                )
            )
            raise InputError(
                f"{argument} {', '.join(stray)}: not a segment of {flight!r} (its segments: "
                f"{', '.join(segs)})",
                details={"argument": argument, "value": stray, "expected": segs},
            )


def check_itinerary(
    agreements: Sequence[Agreement],
    carrier: str,
    stations: Sequence[str],
    *,
    local_traffic: frozenset[tuple[str, str]] = frozenset(),
    no_traffic: frozenset[tuple[str, str]] = frozenset(),
    carrier_states: Mapping[str, str] | None = None,
) -> FlightCheck:
    """Check a flight given as carrier and stations; see :func:`check_flight`."""
    if len(stations) < 2:
        raise InputError(f"A flight needs two or more points, got {list(stations)}")
    home = carrier_state(agreements, carrier, states=carrier_states)
    index = _Index(agreements)
    states = tuple(airport(s).state for s in stations)
    pairs = [
        (i, j)
        for i in range(len(stations))
        for j in range(i + 1, len(stations))
        if stations[i] != stations[j]  # a loop back to the same airport is no market
    ]
    carries = {
        (i, j): _carries(stations, states, home, i, j, local_traffic, no_traffic) for i, j in pairs
    }
    served = {stations[k] for (i, j), t in carries.items() if t for k in (i, j)}
    stops = frozenset(x for x, st in zip(stations, states, strict=True) if st != home) - served
    segments = [
        _segment(index, carrier, home, stations, states, i, j, carries[(i, j)], stops)
        for i, j in pairs
    ]
    return FlightCheck(carrier, home, tuple(stations), tuple(segments))


def _carries(
    stations: Sequence[str],
    states: Sequence[str],
    home: str,
    i: int,
    j: int,
    local_traffic: frozenset[tuple[str, str]],
    no_traffic: frozenset[tuple[str, str]],
) -> bool:
    """Whether segment ``i`` → ``j`` carries traffic of its own."""
    a, b = stations[i], stations[j]
    if (a, b) in no_traffic:
        return False
    if states[i] == states[j] != home:
        return (a, b) in local_traffic
    return True


class _Index:
    """Agreements by unordered pair of states."""

    def __init__(self, agreements: Sequence[Agreement]) -> None:
        self.by_pair = {frozenset(a.parties): a for a in agreements}

    def get(self, a: str, b: str) -> Agreement | None:
        return self.by_pair.get(frozenset((a, b)))


def _segment(
    index: _Index,
    carrier: str,
    home: str,
    stations: Sequence[str],
    states: Sequence[str],
    i: int,
    j: int,
    traffic: bool,
    stops: frozenset[str],
) -> SegmentCheck:
    a, b, sa, sb = stations[i], stations[j], states[i], states[j]
    kind, freedom = classify(
        home, sa, sb, via_states=states[i + 1 : j], service_states=states, traffic=traffic
    )
    seg = _Seg(carrier, home, a, b, sa, sb, kind, freedom, stations[i + 1 : j], states[i + 1 : j])
    grants = _grants(index, seg)
    verdict, reason = _judge(seg, grants, stops)
    return SegmentCheck(
        carrier=carrier,
        carrier_state=home,
        board=a,
        off=b,
        via=tuple(stations[i + 1 : j]),
        board_state=sa,
        off_state=sb,
        kind=kind,
        freedom=freedom,
        traffic=traffic,
        verdict=verdict,
        grants=tuple(grants),
        reason=reason,
        distance_km=round(great_circle_km(a, b), 1),
        board_territory=_territory(a),
        off_territory=_territory(b),
    )


def _judge(s: _Seg, grants: Sequence[Grant], stops: frozenset[str]) -> tuple[Verdict, str]:
    """A segment's verdict and its reason from the grants it needs."""
    if s.kind == "domestic":
        return "not-regulated", "domestic segment of the carrier's own state"
    if s.kind == "no-traffic":
        at = [x for x in (s.a, s.b) if x in stops]
        if at:
            return "not-checked", (
                f"technical stop at {', '.join(at)} (second freedom, no traffic): a landing "
                "for non-traffic purposes needs a grant (the IASTA or the bilateral), which "
                "is not checked"
            )
        return "permitted", (
            "carries no traffic of its own (its points carry the flight's traffic on other "
            "segments): no traffic right needed"
        )
    refused = [g for g in grants if g.agreement is not None and not g.granted]
    if refused:
        return "refused", "; ".join(g.reason for g in refused)
    missing = [g for g in grants if g.code == "no-agreement"]
    if missing:
        return "outside-agreements", "; ".join(g.reason for g in missing)
    return "permitted", "; ".join(g.reason for g in grants)


def _territory(code: str) -> str:
    x = airport(code)
    return x.territory if x.in_territory else ""


@dataclass(frozen=True, slots=True)
class _Seg:
    carrier: str
    home: str
    a: str
    b: str
    sa: str
    sb: str
    kind: SegmentKind
    freedom: int | None
    via: Sequence[str]
    via_states: Sequence[str]


def _grants(index: _Index, s: _Seg) -> list[Grant]:
    if s.kind == "domestic" or s.kind == "no-traffic":
        return []
    if s.kind == "co-terminal":
        return [_co_terminal(index, s)]
    f = s.freedom
    if f in (3, 4):
        foreign = s.sb if f == 3 else s.sa
        return [_sector(index, s, foreign)]
    if f in (8, 9):
        return [_sector(index, s, s.sa)]
    if f == 6:
        hub = next(p for p, st in zip(s.via, s.via_states, strict=True) if st == s.home)
        first = _Seg(s.carrier, s.home, s.a, hub, s.sa, s.home, "traffic", 4, (), ())
        second = _Seg(s.carrier, s.home, hub, s.b, s.home, s.sb, "traffic", 3, (), ())
        return [_sector(index, first, s.sa), _sector(index, second, s.sb)]
    return [_sector(index, s, s.sa), _sector(index, s, s.sb)]


def _missing(s: _Seg, state: str) -> Grant:
    return Grant(
        None,
        False,
        None,
        None,
        f"outside the agreements held: no agreement between {s.home} and {state} in the "
        f"folder, so {_pair(s)} ({segment_words(s.kind, s.freedom)}) is neither permitted "
        f"nor refused here{_where(s)}",
        "no-agreement",
        tuple(sorted((s.home, state))),
    )


def _designated(ag: Agreement, s: _Seg) -> Grant | None:
    c = ag.carrier(s.carrier)
    if c is not None and c.state == s.home:
        return None
    return Grant(
        ag.id,
        False,
        None,
        None,
        f"undesignated carrier: {s.carrier} is not a designated carrier of {s.home} in {ag.id}",
        "undesignated-carrier",
    )


def _the(s: _Seg) -> str:
    """``"the fifth freedom"`` (the grant texts' wording; only traffic segments get here)."""
    return "the " + segment_words(s.kind, s.freedom)


def _pair(s: _Seg) -> str:
    """``"MSQ-RUN"``: the segment's points."""
    return f"{s.a}-{s.b}"


def _where(s: _Seg) -> str:
    """`` [RUN: Réunion, France]``: the territory of each point that is in one, or ``""``."""
    notes = [f"{c}: {territory_text(c)}" for c in dict.fromkeys((s.a, s.b)) if territory_text(c)]
    return f" [{'; '.join(notes)}]" if notes else ""


def _schedule_gap(ag: Agreement, s: _Seg, rs: RouteSchedule | None, foreign: str) -> str | None:
    """Why a point of the segment is outside the route schedule, or None."""
    if rs is None:
        return f"{ag.id} has no route schedule for carriers of {s.home}"
    for code, st in ((s.a, s.sa), (s.b, s.sb)):
        if st == s.home:
            allowed, role = rs.home, "a home point"
        elif st == foreign:
            allowed, role = rs.destination, "a point in " + foreign
        else:
            allowed = PointSet(
                rs.intermediate.airports | rs.beyond.airports,
                rs.intermediate.states | rs.beyond.states,
                rs.intermediate.any or rs.beyond.any,
            )
            role = "an intermediate or beyond point"
        if not allowed.contains(code, st):
            return (
                f"point not in the route schedule: {code} is not {role} for carriers of "
                f"{s.home} in {ag.id} ({allowed.describe()})"
            )
    return None


def _sector(index: _Index, s: _Seg, foreign: str) -> Grant:
    ag = index.get(s.home, foreign)
    if ag is None:
        return _missing(s, foreign)
    return _find_right(ag, s, foreign)


def _find_right(ag: Agreement, s: _Seg, foreign: str) -> Grant:
    bad = _designated(ag, s)
    if bad is not None:
        return bad
    rs = ag.route_schedules.get(s.home)
    gap = _schedule_gap(ag, s, rs, foreign)
    if gap is not None:
        return Grant(ag.id, False, None, None, gap, "not-in-route-schedule")
    for r in ag.rights:
        if r.party != s.home or s.freedom not in r.freedoms:
            continue
        if r.origin is None and r.destination is None:
            hit = True  # the trunk: the route schedule check above already placed the points
        else:
            o = r.origin or PointSet(any=True)
            d = r.destination or PointSet(any=True)
            hit = (o.contains(s.a, s.sa) and d.contains(s.b, s.sb)) or (
                o.contains(s.b, s.sb) and d.contains(s.a, s.sa)
            )
        if hit:
            return Grant(
                ag.id,
                True,
                r.id,
                r.provenance.cite(),
                f"{ag.id} {r.id} grants {s.home} carriers {_the(s)} {_pair(s)}{_where(s)}",
            )
    return Grant(
        ag.id,
        False,
        None,
        None,
        f"no right: {ag.id} grants carriers of {s.home} no "
        f"{segment_words(s.kind, s.freedom)} {_pair(s)}{_where(s)}",
        "no-right",
    )


def _co_terminal(index: _Index, s: _Seg) -> Grant:
    ag = index.get(s.home, s.sa)
    if ag is None:
        return _missing(s, s.sa)
    bad = _designated(ag, s)
    if bad is not None:
        return bad
    gap = _schedule_gap(ag, s, ag.route_schedules.get(s.home), s.sa)
    if gap is not None:
        return Grant(ag.id, False, None, None, gap, "not-in-route-schedule")
    for c in ag.co_terminalisation:
        if c.party == s.home and c.points.contains(s.a, s.sa) and c.points.contains(s.b, s.sb):
            return Grant(
                ag.id,
                True,
                c.id,
                c.provenance.cite(),
                f"{ag.id} {c.id} allows {s.home} carriers to serve {s.a} and {s.b} on one "
                "service without local traffic (co-terminalisation)",
            )
    return Grant(
        ag.id,
        False,
        None,
        None,
        f"no co-terminalisation: {ag.id} does not let carriers of {s.home} serve both "
        f"{s.a} and {s.b} on one service",
        "no-co-terminalisation",
    )
