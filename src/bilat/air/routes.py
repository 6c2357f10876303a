"""Permitted routes: every city pair and routing the agreements allow a carrier.

For each agreement that designates the carrier, the route schedule of its state gives the
trunk (home point ↔ point in the other state: 3rd/4th freedoms), combined routings through
two points of the other state where co-terminalisation is allowed, and fifth-freedom
routings to intermediate or beyond points. ``*`` stands for "any point" where the treaty
names none.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from bilat.air.airports import airports_of, great_circle_km
from bilat.air.model import Agreement, PointSet
from bilat.air.openflights import RouteList
from bilat.air.ssim import Schedule

__all__ = ["PermittedRoute", "permitted_routes", "routes_table"]


@dataclass(frozen=True, slots=True)
class PermittedRoute:
    """One routing the agreements permit a carrier.

    Attributes
    ----------
    carrier, agreement
        IATA airline code; id of the agreement that grants the routing.
    routing
        Points in order; ``*`` is any point of the set described in ``note``.
    freedoms
        Freedoms the routing uses (3/4 on the trunk, 5 beyond or intermediate).
    kind
        ``trunk``, ``co-terminal`` or ``fifth-freedom``.
    distance_km
        Great-circle length of the routing in km (``None`` when it has a ``*``).
    flown
        Whether the schedule given flies every leg of the routing (``None``: no schedule).
    clause
        The clause that grants it.
    """

    carrier: str
    agreement: str
    routing: tuple[str, ...]
    freedoms: tuple[int, ...]
    kind: str
    distance_km: float | None
    flown: bool | None
    clause: str
    note: str = ""


def _points(ps: PointSet) -> list[str]:
    out = set(ps.airports)
    for s in ps.states:
        out |= set(airports_of(s))
    return sorted(out) + (["*"] if ps.any else [])


def _length(routing: Sequence[str]) -> float | None:
    if "*" in routing:
        return None
    return round(sum(great_circle_km(a, b) for a, b in itertools.pairwise(routing)), 1)


def permitted_routes(
    agreements: Sequence[Agreement],
    carrier: str,
    *,
    schedule: Schedule | RouteList | None = None,
) -> list[PermittedRoute]:
    """Every routing the agreements permit ``carrier``, optionally marked as flown.

    Examples
    --------
    >>> from bilat.air import load_agreements, case_agreements_dir
    >>> routes = permitted_routes(load_agreements(case_agreements_dir()), "KC")
    >>> ("NQZ", "MSQ") in {r.routing for r in routes}
    True
    """
    flown = _flown(schedule, carrier) if schedule is not None else None
    out: list[PermittedRoute] = []
    for ag in agreements:
        c = ag.carrier(carrier)
        rs = ag.route_schedules.get(c.state) if c else None
        if c is None or rs is None:
            continue
        trunk = [r for r in ag.rights if r.party == c.state and {3, 4} & r.freedoms]
        homes, dests = _points(rs.home), _points(rs.destination)
        if trunk:
            for h in homes:
                for d in dests:
                    out.append(_route(c.iata, ag.id, (h, d), (3, 4), "trunk", trunk[0].id, flown))
        for ct in ag.co_terminalisation:
            if ct.party != c.state or not trunk:
                continue
            pts = [d for d in dests if d != "*" and ct.points.contains(d, ag.other(c.state))]
            for h in homes:
                for d1 in pts:
                    for d2 in pts:
                        if d1 != d2:
                            out.append(
                                _route(
                                    c.iata, ag.id, (h, d1, d2), (3, 4), "co-terminal", ct.id, flown
                                )
                            )
        for r in ag.rights:
            if r.party == c.state and 5 in r.freedoms:
                beyond = r.destination or rs.beyond
                for h in homes:
                    for d in dests:
                        for b in _points(beyond)[:1] if beyond.any else _points(beyond):
                            out.append(
                                _route(
                                    c.iata,
                                    ag.id,
                                    (h, d, b),
                                    (3, 4, 5),
                                    "fifth-freedom",
                                    r.id,
                                    flown,
                                    beyond.describe(),
                                )
                            )
    return out


def _route(
    carrier: str,
    agreement: str,
    routing: tuple[str, ...],
    freedoms: tuple[int, ...],
    kind: str,
    clause: str,
    flown: set[tuple[str, str]] | None,
    note: str = "",
) -> PermittedRoute:
    is_flown = None
    if flown is not None:
        legs = list(itertools.pairwise(routing))
        is_flown = "*" not in routing and all((a, b) in flown or (b, a) in flown for a, b in legs)
    return PermittedRoute(
        carrier, agreement, routing, freedoms, kind, _length(routing), is_flown, clause, note
    )


def _flown(schedule: Schedule | RouteList, carrier: str) -> set[tuple[str, str]]:
    if isinstance(schedule, RouteList):
        return schedule.flown_pairs(carrier)
    legs = schedule.legs.filter(pc.equal(schedule.legs["airline"], carrier))
    from bilat.air.airports import canonical_code

    return {
        (canonical_code(a), canonical_code(b))
        for a, b in zip(legs["dep"].to_pylist(), legs["arr"].to_pylist(), strict=True)
    }


def routes_table(routes: Iterable[PermittedRoute]) -> pa.Table:
    """Routes as an Arrow table (``routing`` joined with ``-``, ``freedoms`` as text)."""
    rs = list(routes)
    return pa.table(
        {
            "carrier": [r.carrier for r in rs],
            "agreement": [r.agreement for r in rs],
            "routing": ["-".join(r.routing) for r in rs],
            "kind": [r.kind for r in rs],
            "freedoms": [",".join(map(str, r.freedoms)) for r in rs],
            "distance_km": pa.array([r.distance_km for r in rs], pa.float64()),
            "flown": pa.array([r.flown for r in rs], pa.bool_()),
            "clause": [r.clause for r in rs],
        }
    )
