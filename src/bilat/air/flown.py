"""A route list (OpenFlights or SSIM) against the agreements: what is flown, and on what basis.

``bilat air routes FOLDER --schedule FILE`` answers with :class:`RouteListCheck`: the
routings the agreements permit (as without a schedule, each marked ``flown``), and every
route of the file with its verdict.

A carrier's state comes, in this order, from the agreements' designation, from
``carrier_states`` (``--carrier-state``), from the airlines file's country: a treaty's
designation settles it, a name the user gives comes next, and a 2014 file's country last.
Each route is one board → off segment, checked as :func:`bilat.air.check_itinerary` checks
it. Its ``verdict`` is that of the check, or:

- ``outside-agreements``: every agreement the segment needs is missing from the folder
  (a Kazakh carrier to Frankfurt, against the Belarus–Kazakhstan case): the folder says
  nothing about it, so it is neither permitted nor refused here;
- ``not-checked``: the carrier's state is unknown, an airport is not known, the route is a
  codeshare (OpenFlights does not say who operates it), or it has stops (OpenFlights does
  not say where).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from bilat.air.airports import is_airport
from bilat.air.check import SegmentCheck, carrier_state, check_itinerary
from bilat.air.model import Agreement
from bilat.air.openflights import RouteList, Source, read_route_list
from bilat.air.reports import routes_report
from bilat.air.routes import PermittedRoute, permitted_routes
from bilat.errors import UnknownCodeError

__all__ = ["RouteListCheck", "RouteVerdict", "check_route_file", "check_route_list"]

#: A route's verdict: a segment check's, or why the folder does not decide it.
RouteVerdict = Literal["permitted", "refused", "not-regulated", "outside-agreements", "not-checked"]
VERDICTS: tuple[RouteVerdict, ...] = (
    "permitted",
    "refused",
    "not-regulated",
    "outside-agreements",
    "not-checked",
)

FLOWN_SCHEMA = pa.schema(
    [
        ("carrier", pa.string()),
        ("carrier_state", pa.string()),
        ("state_from", pa.string()),
        ("board", pa.string()),
        ("off", pa.string()),
        ("board_state", pa.string()),
        ("off_state", pa.string()),
        ("stops", pa.int16()),
        ("codeshare", pa.bool_()),
        ("freedom", pa.int8()),
        ("kind", pa.string()),
        ("verdict", pa.string()),
        ("agreements", pa.string()),
        ("clauses", pa.string()),
        ("reason", pa.string()),
        ("source", pa.string()),
    ]
)


@dataclass(frozen=True)
class RouteListCheck:
    """A route list checked against the agreements: what ``air routes --schedule`` reports.

    Attributes
    ----------
    carriers, routes
        As in :class:`bilat.air.RoutesReport`: the designated carriers listed, and every
        routing permitted to them, ``flown`` true when the file flies each of its legs
        nonstop (either direction) as the carrier's own service (codeshares do not count).
    file, format
        The route list's file name and ``"openflights"`` or ``"ssim"``.
    route_count
        Rows of the route list (all carriers).
    flown
        One row per route of the list (of the ``carriers`` only, when one was asked for):
        ``carrier``, ``carrier_state`` and ``state_from`` (``designation``,
        ``carrier_states``, ``airlines file``; null when unknown), ``board``, ``off``,
        ``board_state``, ``off_state``, ``stops``, ``codeshare``, ``freedom`` (int8),
        ``kind``, ``verdict`` (see the module), ``agreements`` and ``clauses`` (those the
        segment needs and those that grant it, comma-separated), ``reason``, ``source``
        (``file:line``).
    counts
        Routes per verdict.
    not_permitted
        The flown routes a needed agreement in the folder refuses (``verdict`` refused).
    warnings
        What the route list could not resolve, and carriers whose state is unknown.
    """

    carriers: tuple[str, ...]
    routes: tuple[PermittedRoute, ...]
    file: str
    format: Literal["openflights", "ssim"]
    route_count: int
    flown: pa.Table
    counts: Mapping[str, int]
    not_permitted: pa.Table
    warnings: tuple[str, ...]


def _states(
    agreements: Sequence[Agreement], routes: RouteList, given: Mapping[str, str]
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Carrier → (state, where it comes from), in the order of precedence; warnings."""
    out: dict[str, tuple[str, str]] = {}
    warnings = []
    for carrier in sorted(set(routes.routes["carrier"].to_pylist())):
        try:
            state = carrier_state(agreements, carrier)
        except UnknownCodeError:
            state = None
        filed = routes.carrier_states.get(carrier)
        if state is not None:
            out[carrier] = (state, "designation")
            if carrier in given and given[carrier].upper() != state:
                warnings.append(
                    f"carrier state {carrier}={given[carrier].upper()} ignored: the agreements "
                    f"designate {carrier} for {state}, which is used (the carrier state is for "
                    "carriers no agreement designates)"
                )
            if filed is not None and filed != state:
                warnings.append(
                    f"the airlines file gives {carrier} the state {filed}; the agreements "
                    f"designate it for {state}, which is used"
                )
        elif carrier in given:
            out[carrier] = (given[carrier].upper(), "carrier_states")
        elif filed is not None:
            out[carrier] = (filed, "airlines file")
    return out, warnings


def _nameless(rows: Sequence[dict[str, object]], states: Mapping[str, object]) -> list[str]:
    nameless = sorted({str(r["carrier"]) for r in rows} - set(states))
    if not nameless:
        return []
    return [
        f"state unknown for {len(nameless)} carrier(s), their routes not checked: "
        f"{', '.join(nameless)} (name their states, e.g. XX=ISO3, or give an airlines file "
        "that names their countries)"
    ]


def _verdict(seg: SegmentCheck) -> tuple[RouteVerdict, str, str]:
    needed = sorted({g.agreement for g in seg.grants if g.agreement})
    granted = ",".join(g.clause for g in seg.grants if g.granted and g.clause)
    if seg.verdict == "refused" and not needed:
        return "outside-agreements", "", granted
    return seg.verdict, ",".join(needed), granted


def _row(
    agreements: Sequence[Agreement], r: dict[str, object], state: tuple[str, str] | None
) -> dict[str, object]:
    carrier, board, off = str(r["carrier"]), str(r["board"]), str(r["off"])
    row: dict[str, object] = {
        **{k: r[k] for k in ("carrier", "board", "off", "stops", "codeshare", "source")},
        "carrier_state": state[0] if state else None,
        "state_from": state[1] if state else None,
    }
    unknown = [c for c in (board, off) if not is_airport(c)]
    why = None
    if r["codeshare"]:
        why = f"codeshare: marketed by {carrier}, operated by a carrier the file does not name"
    elif int(str(r["stops"])) > 0:
        why = f"{r['stops']} stop(s) at points the file does not name"
    elif state is None:
        why = (
            f"state of carrier {carrier} unknown (no designation, airlines file or carrier_states)"
        )
    elif unknown:
        why = f"airport {', '.join(unknown)} not known to airportsdata"
    if why is not None or state is None:
        return {**row, "verdict": "not-checked", "reason": why}
    fc = check_itinerary(agreements, carrier, (board, off), carrier_states={carrier: state[0]})
    (seg,) = fc.segments
    verdict, needed, clauses = _verdict(seg)
    return {
        **row,
        "board_state": seg.board_state,
        "off_state": seg.off_state,
        "freedom": seg.freedom,
        "kind": seg.kind,
        "verdict": verdict,
        "agreements": needed,
        "clauses": clauses,
        "reason": seg.reason,
    }


def check_route_list(
    agreements: Sequence[Agreement],
    routes: RouteList,
    *,
    carrier: str | None = None,
    carrier_states: Mapping[str, str] | None = None,
) -> RouteListCheck:
    """Mark the permitted routings the route list flies and give each route its verdict.

    Parameters
    ----------
    agreements
        From :func:`bilat.air.load_agreements`.
    routes
        From :func:`bilat.air.read_route_list`.
    carrier
        Only this designated carrier (default: every designated carrier's routings, and every
        route of the list).
    carrier_states
        Carrier → ISO3 for carriers neither designated nor named by the airlines file.

    Raises
    ------
    UnknownCodeError
        When no agreement designates ``carrier``.

    Examples
    --------
    >>> from bilat.air import case_agreements_dir, load_agreements, read_route_list
    >>> ags = load_agreements(case_agreements_dir())
    >>> rl = read_route_list(b"B2,1478,MSQ,2954,TSE,2910,,0,CRJ\\n", name="r.dat")
    >>> check_route_list(ags, rl).flown.select(["board", "off", "verdict"]).to_pylist()
    [{'board': 'MSQ', 'off': 'NQZ', 'verdict': 'permitted'}]
    """
    carriers = routes_report(agreements, carrier).carriers
    permitted = tuple(r for c in carriers for r in permitted_routes(agreements, c, schedule=routes))
    states, warnings = _states(agreements, routes, dict(carrier_states or {}))
    rows = routes.routes.to_pylist()
    if carrier is not None:
        rows = [r for r in rows if r["carrier"] in carriers]
    flown = pa.Table.from_pylist(
        [_row(agreements, r, states.get(str(r["carrier"]))) for r in rows], schema=FLOWN_SCHEMA
    )
    verdicts = flown["verdict"].to_pylist()
    counts: dict[str, int] = {v: verdicts.count(v) for v in VERDICTS}
    warnings += _nameless(rows, states)
    return RouteListCheck(
        carriers=carriers,
        routes=permitted,
        file=routes.file,
        format=routes.format,
        route_count=routes.routes.num_rows,
        flown=flown,
        counts=counts,
        not_permitted=flown.filter(pc.equal(flown["verdict"], "refused")),
        warnings=(*routes.warnings, *warnings),
    )


def check_route_file(
    agreements: Sequence[Agreement],
    file: Source,
    *,
    name: str | None = None,
    airlines: pa.Table | None = None,
    airports: pa.Table | None = None,
    carrier: str | None = None,
    carrier_states: Mapping[str, str] | None = None,
) -> RouteListCheck:
    """Read a route list (path or bytes; SSIM or OpenFlights) and check it; one call per front.

    See :func:`bilat.air.read_route_list` and :func:`check_route_list`.
    """
    routes = read_route_list(file, name=name, airlines=airlines, airports=airports)
    return check_route_list(agreements, routes, carrier=carrier, carrier_states=carrier_states)
