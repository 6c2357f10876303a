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
    "Grant",
    "GrantCode",
    "SegmentCheck",
    "Verdict",
    "carrier_state",
    "check_flight",
    "check_itinerary",
    "parse_flight",
    "unknown_carrier_text",
]

#: ``permitted``: every agreement needed grants it; ``refused``: at least one does not;
#: ``not-regulated``: a domestic segment of the carrier's own state.
Verdict = Literal["permitted", "refused", "not-regulated"]
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
        ``granted`` or why not: ``no-agreement``, ``undesignated-carrier``,
        ``not-in-route-schedule``, ``no-right``, ``no-co-terminalisation``.
    """

    agreement: str | None
    granted: bool
    clause: str | None
    source: str | None
    reason: str
    code: GrantCode = "granted"


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
        ``permitted``, ``refused`` or ``not-regulated``.
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
        """True unless refused."""
        return self.verdict != "refused"


@dataclass(frozen=True, slots=True)
class FlightCheck:
    """Every segment of one flight with its verdict."""

    carrier: str
    carrier_state: str
    stations: tuple[str, ...]
    segments: tuple[SegmentCheck, ...]

    #: The key ``to_dict`` adds to the fields (for the web's generated response model).
    _document_extra_: ClassVar[dict[str, type]] = {"permitted": bool}

    @property
    def permitted(self) -> bool:
        """True when no segment is refused."""
        return all(s.permitted for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        """The check as plain data: its fields and ``permitted``."""
        return {**fields_document(self), "permitted": self.permitted}


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
    """The state that designates ``carrier`` in the agreements (or in ``states``).

    Raises
    ------
    UnknownCodeError
        When no agreement designates the carrier and ``states`` does not name it.
    """
    if states and carrier in states:
        return states[carrier]
    for a in agreements:
        c = a.carrier(carrier)
        if c is not None:
            return c.state
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
    return check_itinerary(
        agreements,
        carrier,
        stations,
        local_traffic=_pairs(local_traffic),
        no_traffic=_pairs(no_traffic),
        carrier_states=carrier_states,
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
    segments = []
    for i in range(len(stations)):
        for j in range(i + 1, len(stations)):
            if stations[i] == stations[j]:
                continue  # a loop back to the same airport (CDG-XCR-CDG) is no market
            segments.append(
                _segment(index, carrier, home, stations, states, i, j, local_traffic, no_traffic)
            )
    return FlightCheck(carrier, home, tuple(stations), tuple(segments))


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
    local_traffic: frozenset[tuple[str, str]],
    no_traffic: frozenset[tuple[str, str]],
) -> SegmentCheck:
    a, b, sa, sb = stations[i], stations[j], states[i], states[j]
    if (a, b) in no_traffic:
        traffic = False
    elif sa == sb != home:
        traffic = (a, b) in local_traffic
    else:
        traffic = True
    kind, freedom = classify(
        home, sa, sb, via_states=states[i + 1 : j], service_states=states, traffic=traffic
    )
    seg = _Seg(carrier, home, a, b, sa, sb, kind, freedom, stations[i + 1 : j], states[i + 1 : j])
    grants = _grants(index, seg)
    if kind == "domestic" or (kind == "no-traffic" and not grants):
        verdict: Verdict = "not-regulated" if kind == "domestic" else "permitted"
        reason = (
            "domestic segment of the carrier's own state"
            if kind == "domestic"
            else "carries no traffic: no traffic right needed"
        )
    else:
        ok = all(g.granted for g in grants)
        verdict = "permitted" if ok else "refused"
        reason = "; ".join(g.reason for g in grants if ok or not g.granted)
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
        f"no agreement between {s.home} and {state} in the folder: "
        f"{_pair(s)}, {segment_words(s.kind, s.freedom)}, has no basis{_where(s)}",
        "no-agreement",
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
