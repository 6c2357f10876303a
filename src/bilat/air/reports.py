"""What the air commands answer: one result each, whose document both fronts print.

``bilat air agreements|routes|schedule ... --json`` and ``GET /api/air/...`` give the
document (:func:`bilat.document.to_document`) of the same result, built here:

- :func:`agreements_report` — the rights of every agreement of a folder;
- :func:`routes_report` — the routings the agreements permit one carrier (or every
  designated carrier);
- :func:`check_ssim` — an SSIM file checked against the agreements (:class:`ScheduleCheck`).

The flight check (``bilat air check``) is :func:`bilat.air.check_flight`'s
:class:`~bilat.air.FlightCheck`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from bilat import formats
from bilat.air.flights import check_carriers
from bilat.air.freedoms import freedoms_words
from bilat.air.groups import ViolationGroup, groups_by_kind
from bilat.air.model import Agreement, AgreementSummary, Provenance
from bilat.air.routes import PermittedRoute, permitted_routes
from bilat.air.schedule import CapCheck, ScheduleReport, check_schedule
from bilat.air.ssim import Schedule, parse_ssim, read_ssim
from bilat.errors import InputError, UnknownCodeError

__all__ = [
    "AgreementsReport",
    "RoutesReport",
    "ScheduleCheck",
    "ScheduleVerdict",
    "agreements_report",
    "check_ssim",
    "parse_carrier_states",
    "routes_report",
]


#: The verdict on a whole schedule (see :attr:`ScheduleCheck.verdict`).
ScheduleVerdict = Literal["compliant", "violations", "undetermined", "not checked"]


def parse_carrier_states(values: Sequence[str] | None) -> dict[str, str]:
    """``["IQ=KAZ"]`` → ``{"IQ": "KAZ"}``: carriers' states written ``XX=ISO3``.

    For the fronts, which take them as text: each value may also be a comma-separated list
    (``"XX=FRA,YY=DEU"``). Python callers pass ``carrier_states`` as a dict.

    Raises
    ------
    InputError
        When a value is not ``XX=ISO3`` or the state is not an ISO 3166 alpha-3 code.
    """
    from bilat.codes.countries import iso3_codes

    out = {}
    for v in (p for value in values or () for p in value.split(",") if p.strip()):
        code, _, state = v.partition("=")
        code, state = code.strip().upper(), state.strip().upper()
        if not code or len(state) != 3:
            raise InputError(
                f"carrier state {v!r} must be written XX=ISO3, e.g. IQ=KAZ",
                details={"argument": "carrier_states", "value": v, "expected": "XX=ISO3"},
            )
        if state not in iso3_codes():
            raise InputError(
                f"carrier state {v!r}: {state!r} is not an ISO 3166 alpha-3 country code "
                "(e.g. FRA, KAZ, BLR)",
                details={"argument": "carrier_states", "value": v, "expected": "ISO3"},
            )
        out[code] = state
    return out


@dataclass(frozen=True, slots=True)
class AgreementsReport:
    """The agreements of a folder, each as its rights summary.

    Attributes
    ----------
    agreements
        One :meth:`bilat.air.Agreement.summary` per agreement (id, title, parties, signed,
        effective, source, and per party: designation, carriers, route schedule, rights with
        their freedoms, co-terminal points, caps), in file-name order.
    """

    agreements: tuple[AgreementSummary, ...]

    def rights_rows(self) -> list[dict[str, str]]:
        """One row per right granted: agreement, party, carriers, freedoms, sector, source."""
        rows = []
        for s in self.agreements:
            for party, p in s.by_party.items():
                for r in p.rights:
                    rows.append(
                        {
                            "agreement": s.id,
                            "carriers of": party,
                            "carriers": " ".join(p.carriers),
                            "freedoms": freedoms_words(r.freedoms),
                            "from": r.origin,
                            "to": r.destination,
                            "source": r.source,
                        }
                    )
        return rows

    def designation_rows(self) -> list[dict[str, str]]:
        """One row per party: designation mode, carriers, route schedule (labelled) and the
        source of each."""
        rows = []
        for s in self.agreements:
            for party, p in s.by_party.items():
                rs = p.route_schedule
                rows.append(
                    {
                        "agreement": s.id,
                        "carriers of": party,
                        "designation": p.designation or "not coded",
                        "carriers": " ".join(p.carriers) or "none",
                        "designation source": _cite(p.designation_source, s.source),
                        "route schedule": rs.describe() if rs else "none in the file",
                        "route schedule source": (rs.source or "") if rs else "",
                    }
                )
        return rows

    def cap_rows(self) -> list[dict[str, str]]:
        """One row per frequency cap (once, though an ``each`` cap applies to both parties)."""
        rows = []
        for s in self.agreements:
            seen: set[str] = set()
            for p in s.by_party.values():
                for c in p.caps:
                    if c.id in seen:
                        continue
                    seen.add(c.id)
                    rows.append(
                        {
                            "agreement": s.id,
                            "cap": c.id,
                            "on": c.city_pair or c.carrier or c.scope.replace("_", " "),
                            "weekly": str(c.weekly),
                            "previous": "" if c.previous is None else str(c.previous),
                            "counts": _applies(c.applies_to),
                            "in force": _dates(c.valid_from, c.valid_to),
                            "source": c.source,
                        }
                    )
        return rows

    def point_clause_rows(self) -> list[dict[str, str]]:
        """One row per co-terminalisation, stopover or change-of-gauge clause."""
        return [
            {
                "agreement": s.id,
                "clause": c.kind,
                "carriers of": party,
                "points": c.points,
                "local traffic": "allowed" if c.local_traffic else "not allowed",
                "source": c.source,
            }
            for s in self.agreements
            for party, p in s.by_party.items()
            for c in p.point_clauses
        ]

    def caveats(self) -> list[str]:
        """What the summary rests on that is not treaty text: every clause whose source is an
        ``assumption`` (first, with its note), and the note of every ``public-report`` or
        ``hypothetical`` clause that has one (then), each once, naming the clause."""
        assumed: list[str] = []
        reported: list[str] = []
        for s in self.agreements:
            for where, prov in _provenances(s):
                if prov is None or prov.kind == "treaty":
                    continue
                if prov.note is None and prov.kind != "assumption":
                    continue  # a report or fixture with nothing to add: its citation says it
                text = f"{s.id} {where} ({prov.kind}): {prov.note or 'no note'}"
                into = assumed if prov.kind == "assumption" else reported
                if text not in into:
                    into.append(text)
        return assumed + reported


def _provenances(s: AgreementSummary) -> list[tuple[str, Provenance | None]]:
    out: list[tuple[str, Provenance | None]] = [("agreement", s.provenance)]
    for party, p in s.by_party.items():
        out.append((f"designation {party}", p.designation_source))
        if p.route_schedule is not None:
            out.append((f"route schedule {party}", p.route_schedule.provenance))
        out += [(f"right {r.id}", r.provenance) for r in p.rights]
        out += [(f"{c.kind} {c.id}", c.provenance) for c in p.point_clauses]
        out += [(f"cap {c.id}", c.provenance) for c in p.caps]
    return out


def _cite(prov: Provenance | None, agreement_source: str) -> str:
    return prov.cite() if prov is not None else f"the agreement's: {agreement_source}"


def _applies(applies_to: str) -> str:
    if applies_to == "each":
        return "each party's carriers separately"
    if applies_to == "combined":
        return "both parties' carriers together"
    return f"{applies_to} carriers only"


def _dates(start: object, end: object) -> str:
    if start is None and end is None:
        return "no dates given"
    return f"{start or '...'} to {end or '...'}"


def agreements_report(agreements: Sequence[Agreement]) -> AgreementsReport:
    """The rights summary of each agreement (from :func:`bilat.air.load_agreements`)."""
    return AgreementsReport(tuple(a.summary() for a in agreements))


@dataclass(frozen=True, slots=True)
class RoutesReport:
    """The routings the agreements permit, by carrier.

    Attributes
    ----------
    carriers
        The carriers listed (IATA codes, sorted).
    routes
        Every permitted routing of those carriers (:class:`bilat.air.PermittedRoute`);
        ``flown`` says whether the schedule given flies it (``None``: no schedule given).
    """

    carriers: tuple[str, ...]
    routes: tuple[PermittedRoute, ...]


def designated_carriers(agreements: Sequence[Agreement]) -> tuple[str, ...]:
    """Every carrier some agreement designates (IATA codes, sorted)."""
    return tuple(sorted({c.iata for a in agreements for c in a.carriers}))


def routes_report(
    agreements: Sequence[Agreement],
    carrier: str | None = None,
    *,
    schedule: Schedule | None = None,
) -> RoutesReport:
    """Every routing the agreements permit ``carrier`` (default: every designated carrier).

    Raises
    ------
    UnknownCodeError
        When no agreement designates ``carrier``; the message lists those designated.
    """
    known = designated_carriers(agreements)
    if carrier is None:
        carriers = known
    else:
        code = carrier.strip().upper()
        if code not in known:
            raise UnknownCodeError(
                f"no agreement designates carrier {code!r}; the designated carriers are "
                f"{', '.join(known) or 'none'} (check the code, or the designation section "
                "of the agreement files)",
                details={"value": carrier, "expected": list(known)},
            )
        carriers = (code,)
    routes = tuple(r for c in carriers for r in permitted_routes(agreements, c, schedule=schedule))
    return RoutesReport(carriers, routes)


@dataclass(frozen=True)
class ScheduleCheck:
    """An SSIM file checked against the agreements: what ``bilat air schedule`` reports.

    Attributes
    ----------
    file
        The file's name (no folder).
    legs
        Flight legs (type 3 records) read, before the carrier filter.
    record_counts
        Records of each type (``"0"`` … ``"5"``).
    legs_checked
        Flight legs whose flights were checked, segment by segment.
    legs_not_checked
        Flight legs not checked, by reason: ``carrier not selected`` (the carrier filter),
        ``carrier's state unknown`` (no agreement designates it and no carrier state was
        given), ``station not an airport`` (a code airportsdata does not know). Reasons
        with no leg are left out; ``legs == legs_checked + sum(legs_not_checked.values())``.
    carriers
        The carriers checked (``None``: all).
    legs_repeated
        Leg records that repeat an earlier one with the same key (designator, variation,
        leg, period, days): counted once, the repeat is not checked (and is in
        ``legs_not_checked`` as ``repeats an earlier leg``).
    legs_undetermined
        Legs checked whose flight has a segment neither permitted nor refused: outside the
        agreements held (no agreement in the folder between the states it needs) or a
        technical stop not checked.
    verdict
        ``violations`` when an agreement held is breached (whatever was left unchecked);
        ``compliant`` when every selected leg was checked, every segment judged against an
        agreement held, none breaks one, and the file is complete (it has its trailer);
        ``undetermined`` when no violation was found but something was not judged (see
        ``undetermined_because``); ``not checked`` when no leg was checked. Only
        ``compliant`` is a clean bill.
    undetermined_because
        Why the verdict is not ``compliant`` although no violation was found, in words
        (legs not checked, segments outside the agreements held, no trailer record).
    outside_pairs
        The pairs of states (``"FRA-MUS"``) whose agreement some segment needs and the
        folder does not hold.
    undetermined_groups
        The segments outside the agreements held (kind ``outside-agreements``) and the
        technical stops not checked (``technical-stop-not-checked``), grouped like
        ``groups``; these are not violations.
    undetermined_by_kind
        Per kind of those: ``groups``, ``flights`` and ``violations`` (raw rows).
    compliant
        ``True`` only for the verdict ``compliant``, ``False`` for ``violations``, ``None``
        otherwise: a file nothing (or not everything) was checked in is neither.
    by_carrier
        Per carrier: segments, ``permitted``, ``refused``, ``not-regulated``, violations.
    by_kind
        Per violation kind: ``groups``, ``flights`` (operating dates) and ``violations``
        (raw rows).
    groups
        The violations grouped by carrier, city pair, flight and kind, each with its
        periods and days of operation and its counts (:class:`bilat.air.ViolationGroup`).
    violations
        One row per breach: ``kind``, ``carrier``, ``flight``, ``segment``, ``week`` (caps
        only), ``detail``, ``line`` (first leg of the flight in the file).
    caps
        Every cap compared with every week that has flights (``exceeded`` says whether the
        week's flights exceed it).
    segments
        One row per segment of each flight with its freedom and verdict (see
        :class:`bilat.air.ScheduleReport`).
    frequencies
        Flights per city pair, direction and ISO week.
    warnings
        Carriers not checked (state unknown), airports unknown, open periods.
    ssim_warnings
        Problems of the file that did not stop reading it (no trailer, a short record).
    segments_by_verdict
        Segment rows by verdict (``permitted``, ``refused``, ``not-regulated`` for domestic
        ones, ``outside-agreements``, ...): only ``permitted`` and ``refused`` rest on an
        agreement held; a schedule none of whose segments does is ``not checked``.
    """

    file: str
    legs: int
    legs_checked: int
    legs_not_checked: Mapping[str, int]
    record_counts: Mapping[str, int]
    carriers: tuple[str, ...] | None
    verdict: ScheduleVerdict
    compliant: bool | None
    by_carrier: Mapping[str, Mapping[str, int]]
    by_kind: Mapping[str, Mapping[str, int]]
    groups: tuple[ViolationGroup, ...]
    violations: pa.Table
    caps: tuple[CapCheck, ...]
    segments: pa.Table
    frequencies: pa.Table
    warnings: tuple[str, ...]
    ssim_warnings: tuple[str, ...]
    legs_repeated: int = 0
    legs_undetermined: int = 0
    undetermined_because: tuple[str, ...] = ()
    outside_pairs: tuple[str, ...] = ()
    undetermined_groups: tuple[ViolationGroup, ...] = ()
    undetermined_by_kind: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    segments_by_verdict: Mapping[str, int] = field(default_factory=dict)


#: Legs left out on purpose or counted under another record: they do not make a verdict
#: undetermined.
_EXCLUDED = ("carrier not selected", "repeats an earlier leg")


def _because(
    report: ScheduleReport, schedule: Schedule, undetermined: Sequence[ViolationGroup]
) -> tuple[str, ...]:
    """Why no violation does not make the schedule compliant, in words."""
    out = []
    unchecked = sum(n for k, n in report.not_checked.items() if k not in _EXCLUDED)
    if unchecked:
        out.append(f"{formats.integer(unchecked)} selected leg(s) not checked")
    outside = sum(g.kind == "outside-agreements" for g in undetermined)
    if outside:
        out.append(
            f"{_groups_text(outside)} outside the agreements held (no agreement in the "
            f"folder between {_pairs_text(report.outside_pairs)})"
        )
    stops = sum(g.kind == "technical-stop-not-checked" for g in undetermined)
    if stops:
        out.append(f"{_groups_text(stops)} with a technical stop whose grant is not checked")
    if schedule.record_counts.get("5", 0) == 0:
        out.append("the file has no trailer record (type 5), so it may be truncated")
    elif any(w.startswith("trailer serial check reference") for w in schedule.warnings):
        out.append(
            "a trailer's serial check reference does not match the record before it, so "
            "records may be missing"
        )
    return tuple(out)


#: Not marked for the catalog (the air reports are English); ``counted`` gives the plural.
_GROUPS = ("%(n)s group (carrier, city pair, flight)", "%(n)s groups (carrier, city pair, flight)")


def _groups_text(n: int) -> str:
    return formats.counted(n, *_GROUPS)


def _pairs_text(pairs: Sequence[str]) -> str:
    """``["FRA-MUS", "FRA-USA"]`` → ``"FRA and MUS, FRA and USA"``."""
    return ", ".join(p.replace("-", " and ") for p in pairs)


#: Segment verdicts that are a judgement against an agreement held.
_JUDGED = ("permitted", "refused")


def _segments_by_verdict(report: ScheduleReport) -> dict[str, int]:
    """Segment rows (one per segment of each period record) by verdict."""
    if not report.segments.num_rows:
        return {}
    counts = pc.value_counts(report.segments["verdict"]).to_pylist()
    return {str(c["values"]): int(c["counts"]) for c in sorted(counts, key=lambda c: -c["counts"])}


def _verdict(
    report: ScheduleReport, because: Sequence[str], by_verdict: Mapping[str, int]
) -> ScheduleVerdict:
    if report.violations.num_rows:
        return "violations"
    if report.legs_checked == 0:
        return "not checked"
    if because:
        return "undetermined"
    # every segment domestic or without traffic: no agreement was asked, nothing is claimed
    return "compliant" if any(by_verdict.get(v) for v in _JUDGED) else "not checked"


def _legs_undetermined(report: ScheduleReport) -> int:
    f = report.flights
    if f is None or "undetermined" not in f.column_names:
        return 0
    hit = pc.and_(f["checked"], pc.greater(f["undetermined"], 0))
    return int(pc.sum(pc.filter(f["legs"], hit)).as_py() or 0)


def _read(file: str | Path | bytes, name: str | None) -> tuple[str, Schedule]:
    """The file's label and its parsed schedule."""
    if isinstance(file, bytes):
        label = name or "upload.ssim"
        return label, parse_ssim(file, path=label)
    return name or Path(file).name, read_ssim(file)


def check_ssim(
    agreements: Sequence[Agreement],
    file: str | Path | bytes,
    *,
    name: str | None = None,
    carriers: Sequence[str] | None = None,
    carrier_states: Mapping[str, str] | None = None,
) -> ScheduleCheck:
    """Read an SSIM file (a path, or its bytes) and check it against the agreements.

    Parameters
    ----------
    agreements
        From :func:`bilat.air.load_agreements`.
    file
        The SSIM Chapter 7 file, or its bytes (an upload).
    name
        The file's name in the report and in error messages (default: the path's name).
    carriers, carrier_states
        See :func:`bilat.air.check_schedule`.

    Raises
    ------
    ParseError
        When the file breaks the format (the message names the line and field).
    """
    label, schedule = _read(file, name)
    wanted = tuple(c.strip().upper() for c in carriers) if carriers else None
    check_carriers(schedule, wanted)
    report = check_schedule(agreements, schedule, carriers=wanted, carrier_states=carrier_states)
    return _schedule_check(label, schedule, report, wanted)


def _schedule_check(
    label: str, schedule: Schedule, report: ScheduleReport, wanted: tuple[str, ...] | None
) -> ScheduleCheck:
    """The report's verdict, groups and counts as :class:`ScheduleCheck` gives them."""
    undetermined = report.undetermined_groups()
    because = _because(report, schedule, undetermined)
    by_verdict = _segments_by_verdict(report)
    verdict = _verdict(report, because, by_verdict)
    groups = report.violation_groups()
    warnings = report.warnings
    if verdict == "not checked":
        warnings = (*warnings, _not_checked_text(report.legs_checked))
    return ScheduleCheck(
        file=label,
        legs=schedule.legs.num_rows,
        legs_checked=report.legs_checked,
        legs_not_checked=dict(report.not_checked),
        record_counts=dict(schedule.record_counts),
        carriers=wanted,
        verdict=verdict,
        compliant={"compliant": True, "violations": False}.get(verdict),
        by_carrier=report.by_carrier(),
        by_kind=groups_by_kind(groups),
        groups=groups,
        violations=report.violations,
        caps=report.caps,
        segments=report.segments,
        frequencies=report.frequencies,
        warnings=warnings,
        ssim_warnings=schedule.warnings,
        legs_repeated=report.legs_repeated,
        legs_undetermined=_legs_undetermined(report),
        undetermined_because=because if verdict == "undetermined" else (),
        outside_pairs=report.outside_pairs,
        undetermined_groups=undetermined,
        undetermined_by_kind=groups_by_kind(undetermined),
        segments_by_verdict=by_verdict,
    )


def _not_checked_text(legs_checked: int) -> str:
    if legs_checked == 0:
        return "no flight was checked, so compliance is not determined"
    return (
        "no segment falls under an agreement (every one is domestic or carries no traffic), "
        "so compliance with the agreements is not determined"
    )
