"""The agreement model: parties, designation, route schedules, rights, caps, provenance.

Agreements are read from YAML files (one per pair of states) by
:mod:`bilat.air.loading`, which validates them against
:data:`bilat.air.schema.AGREEMENT_SCHEMA` and checks their meaning; errors name the file,
the line and the key.

Beyond rights, points, designation and caps, an agreement may code the clause families of
ICAO's WASA and the WTO's QUASAR (schema ``bilat-air/2``): tariffs, capacity, withholding,
statistics, cooperative arrangements and charter (:class:`RegimeClause`). A family the file
does not code is *not coded*: never read as liberal or as restrictive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from bilat.air.liberalization import LiberalizationIndex, liberalization_index

__all__ = [
    "Agreement",
    "AgreementSummary",
    "CapScope",
    "CapSummary",
    "CapacityRegime",
    "Carrier",
    "ClauseFamily",
    "ClauseSummary",
    "FrequencyCap",
    "PartySummary",
    "PointClause",
    "PointClauseSummary",
    "PointSet",
    "Provenance",
    "ProvenanceKind",
    "RegimeClause",
    "Right",
    "RightSummary",
    "RouteSchedule",
    "RouteScheduleSummary",
    "TariffRegime",
    "WithholdingCriterion",
]

ProvenanceKind = Literal["treaty", "public-report", "assumption", "hypothetical"]
CapScope = Literal["city_pair", "country_pair", "party", "carrier"]
CAP_SCOPES: tuple[str, ...] = get_args(CapScope)
TariffRegime = Literal[
    "double_approval", "country_of_origin", "double_disapproval", "zone_pricing", "free_pricing"
]
CapacityRegime = Literal["predetermination", "other_restrictive", "bermuda_i", "free_determination"]
WithholdingCriterion = Literal[
    "substantial_ownership_effective_control",
    "community_of_interest",
    "principal_place_of_business",
]
ClauseFamily = Literal[
    "tariffs", "capacity", "withholding", "statistics", "cooperative_arrangements", "charter"
]
CLAUSE_FAMILIES: tuple[str, ...] = get_args(ClauseFamily)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a clause comes from.

    Attributes
    ----------
    kind
        ``treaty`` (the agreement's text), ``public-report`` (official or press reporting when
        the text is not public), ``assumption`` (a modelling choice) or ``hypothetical``
        (test fixtures only).
    article, source, date, note
        The article of the treaty, or the public source and its date, and a free note.
    """

    kind: ProvenanceKind
    article: str | None = None
    source: str | None = None
    date: str | None = None
    note: str | None = None

    def cite(self) -> str:
        """A one-line citation: ``"Art. 2(1)"`` or ``"public report: <source>, <date>"``."""
        if self.kind == "treaty":
            return f"treaty {self.article}" if self.article else "treaty"
        parts = [p for p in (self.article, self.source, self.date) if p]
        return f"{self.kind}: " + ", ".join(parts) if parts else self.kind


@dataclass(frozen=True, slots=True)
class PointSet:
    """A set of points: listed airports, every airport of some states, or any point.

    Attributes
    ----------
    airports
        IATA codes (aliases resolved).
    states
        ISO3 codes; every airport of each is in the set.
    any
        Every point of the world.
    """

    airports: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    any: bool = False

    def contains(self, code: str, state: str) -> bool:
        """Whether airport ``code`` (in ``state``) is in the set."""
        return self.any or code in self.airports or state in self.states

    def describe(self) -> str:
        """Short text: ``"any point"``, ``"every airport of BLR"``, ``"MSQ, NQZ"``."""
        if self.any:
            return "any point"
        bits = [f"every airport of {s}" for s in sorted(self.states)]
        bits += sorted(self.airports)
        return ", ".join(bits) if bits else "no point"


NO_POINTS = PointSet()


@dataclass(frozen=True, slots=True)
class RegimeClause:
    """One coded clause of a WASA/QUASAR family.

    Attributes
    ----------
    family
        ``tariffs``, ``capacity``, ``withholding``, ``statistics``,
        ``cooperative_arrangements`` or ``charter``.
    value
        The coded level: a :data:`TariffRegime`, :data:`CapacityRegime` or
        :data:`WithholdingCriterion`; ``exchange``/``no_exchange`` (statistics);
        ``allowed``/``not_allowed`` (cooperative arrangements, charter).
    kinds
        Cooperative arrangements named (``code_share``, ``blocked_space``, ``wet_lease``,
        ``joint_venture``); empty when the clause names none.
    """

    family: ClauseFamily
    value: str
    provenance: Provenance
    kinds: tuple[str, ...] = ()
    note: str | None = None

    def describe(self) -> str:
        """The value in words: ``"double approval"``, ``"allowed (code share)"``."""
        text = "Bermuda I" if self.value == "bermuda_i" else self.value.replace("_", " ")
        return (
            f"{text} ({', '.join(k.replace('_', ' ') for k in self.kinds)})" if self.kinds else text
        )


@dataclass(frozen=True, slots=True)
class Carrier:
    """A designated airline: IATA code, name, the designating state."""

    iata: str
    name: str
    state: str


@dataclass(frozen=True, slots=True)
class RouteSchedule:
    """The route schedule of one party's carriers, as the treaty writes it.

    Points in the home state – intermediate points – points in the other state – beyond.
    """

    party: str
    home: PointSet
    intermediate: PointSet
    destination: PointSet
    beyond: PointSet
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Right:
    """Freedoms granted to one party's carriers on a sector (``from`` → ``to``, both ways).

    An absent ``from``/``to`` means the trunk: home points ↔ destination points.
    """

    id: str
    party: str
    freedoms: frozenset[int]
    origin: PointSet | None
    destination: PointSet | None
    provenance: Provenance
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PointClause:
    """Co-terminalisation, stopover or change of gauge allowed at ``points``."""

    id: str
    party: str
    points: PointSet
    local_traffic: bool
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class FrequencyCap:
    """A weekly frequency cap.

    Attributes
    ----------
    scope
        ``city_pair`` (one airport pair), ``country_pair`` (all services between the two
        parties), ``party`` (one party's carriers) or ``carrier`` (one carrier).
    applies_to
        ``each`` (each party's carriers separately), ``combined`` or one party's ISO3.
    weekly
        Round-trip frequencies per week: the larger of the two directions is compared.
    previous
        The cap this one replaced, when known.
    valid_from, valid_to
        Dates the cap is in force (``None``: open).
    """

    id: str
    scope: CapScope
    weekly: int
    applies_to: str
    provenance: Provenance
    carrier: str | None = None
    city_pair: tuple[str, str] | None = None
    previous: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        """Whether the cap applies on ``day``."""
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class Agreement:
    """An air services agreement between two states, with every clause's provenance."""

    id: str
    title: str
    parties: tuple[str, str]
    signed: dt.date | None
    effective: dt.date | None
    provenance: Provenance
    designation_mode: Mapping[str, str]
    carriers: tuple[Carrier, ...]
    route_schedules: Mapping[str, RouteSchedule]
    rights: tuple[Right, ...]
    co_terminalisation: tuple[PointClause, ...] = ()
    stopover: tuple[PointClause, ...] = ()
    change_of_gauge: tuple[PointClause, ...] = ()
    caps: tuple[FrequencyCap, ...] = ()
    clauses: Mapping[str, RegimeClause] = field(default_factory=dict)
    designation_provenance: Mapping[str, Provenance] = field(default_factory=dict)
    path: str | None = field(default=None, compare=False)

    def other(self, party: str) -> str:
        """The other party."""
        return self.parties[1] if party == self.parties[0] else self.parties[0]

    def carrier(self, iata: str) -> Carrier | None:
        """The designated carrier with IATA code ``iata``, or ``None``."""
        return next((c for c in self.carriers if c.iata == iata), None)

    def clause(self, family: str) -> RegimeClause | None:
        """The coded clause of ``family`` (e.g. ``"tariffs"``), or ``None``: not coded."""
        return self.clauses.get(family)

    def summary(self) -> AgreementSummary:
        """The rights summary: per party, designation, carriers, route schedule, rights, caps;
        every WASA/QUASAR clause family (coded or not) and the Air Liberalization Index."""
        return AgreementSummary(
            id=self.id,
            title=self.title,
            parties=self.parties,
            signed=self.signed,
            effective=self.effective,
            source=self.provenance.cite(),
            by_party={party: self._party_summary(party) for party in self.parties},
            clauses=tuple(_clause_summary(f, self.clause(f)) for f in CLAUSE_FAMILIES),
            liberalization=liberalization_index(self),
            provenance=self.provenance,
        )

    def _party_summary(self, party: str) -> PartySummary:
        rs = self.route_schedules.get(party)
        point_clauses = [
            PointClauseSummary(
                c.id, kind, c.points.describe(), c.local_traffic, c.provenance.cite(), c.provenance
            )
            for kind, clauses in (
                ("co-terminalisation", self.co_terminalisation),
                ("stopover", self.stopover),
                ("change of gauge", self.change_of_gauge),
            )
            for c in clauses
            if c.party == party
        ]
        return PartySummary(
            designation=self.designation_mode.get(party),
            carriers=tuple(c.iata for c in self.carriers if c.state == party),
            route_schedule=None if rs is None else _route_schedule_summary(rs),
            rights=tuple(
                RightSummary(
                    r.id,
                    tuple(sorted(r.freedoms)),
                    r.origin.describe() if r.origin else "trunk",
                    r.destination.describe() if r.destination else "trunk",
                    r.provenance.cite(),
                    r.note,
                    r.provenance,
                )
                for r in self.rights
                if r.party == party
            ),
            co_terminalisation=tuple(
                c.points.describe() for c in self.co_terminalisation if c.party == party
            ),
            caps=tuple(
                _cap_summary(c) for c in self.caps if c.applies_to in ("each", "combined", party)
            ),
            designation_source=self.designation_provenance.get(party),
            point_clauses=tuple(point_clauses),
        )


def _route_schedule_summary(rs: RouteSchedule) -> RouteScheduleSummary:
    return RouteScheduleSummary(
        rs.home.describe(),
        rs.intermediate.describe(),
        rs.destination.describe(),
        rs.beyond.describe(),
        rs.provenance.cite(),
        rs.provenance,
    )


def _cap_summary(c: FrequencyCap) -> CapSummary:
    return CapSummary(
        c.id,
        c.scope,
        "-".join(c.city_pair) if c.city_pair else None,
        c.weekly,
        c.provenance.cite(),
        applies_to=c.applies_to,
        carrier=c.carrier,
        previous=c.previous,
        valid_from=c.valid_from,
        valid_to=c.valid_to,
        provenance=c.provenance,
    )


def _clause_summary(family: str, c: RegimeClause | None) -> ClauseSummary:
    if c is None:
        return ClauseSummary(family, None, None, None)
    return ClauseSummary(family, c.describe(), c.provenance.cite(), c.note)


@dataclass(frozen=True, slots=True)
class ClauseSummary:
    """A clause family in words: its name, the coded value (``None``: not coded, which is
    neither liberal nor restrictive), its source and note."""

    family: str
    value: str | None
    source: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class RightSummary:
    """A right in words: its id, freedoms, sector (``trunk`` when the treaty names none),
    its citation, the right's own note and its full provenance."""

    id: str
    freedoms: tuple[int, ...]
    origin: str
    destination: str
    source: str
    note: str | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class CapSummary:
    """A frequency cap: id, scope, city pair (``MSQ-NQZ``), weekly cap, citation, and every
    other field of the cap (:class:`FrequencyCap`): whose carriers it counts (``each`` party
    separately, ``combined`` or one party), the carrier, the cap it replaced, the dates it is
    in force (``None``: open) and its full provenance (whose note carries caveats such as
    "per side assumed")."""

    id: str
    scope: str
    city_pair: str | None
    weekly: int
    source: str
    applies_to: str = "each"
    carrier: str | None = None
    previous: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    provenance: Provenance | None = None


@dataclass(frozen=True, slots=True)
class RouteScheduleSummary:
    """A route schedule in words: home – intermediate – destination – beyond points, its
    citation and provenance (``kind`` ``assumption`` when the points are a modelling choice)."""

    home: str
    intermediate: str
    destination: str
    beyond: str
    source: str | None = None
    provenance: Provenance | None = None

    def describe(self) -> str:
        """``"home: every airport of BLR; intermediate: none; destination: ALA; beyond: none"``."""
        return describe_route_schedule(self.home, self.intermediate, self.destination, self.beyond)


def describe_route_schedule(home: str, intermediate: str, destination: str, beyond: str) -> str:
    """The four parts of a route schedule, each labelled (``no point`` said ``none``)."""
    parts = zip(
        ("home", "intermediate", "destination", "beyond"),
        (home, intermediate, destination, beyond),
        strict=True,
    )
    return "; ".join(f"{k}: {'none' if v == 'no point' else v}" for k, v in parts)


@dataclass(frozen=True, slots=True)
class PointClauseSummary:
    """A co-terminalisation, stopover or change-of-gauge clause: id, kind, points, whether
    local traffic may be carried between the points, citation and provenance."""

    id: str
    kind: str
    points: str
    local_traffic: bool
    source: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class PartySummary:
    """What one party's carriers may do: designation (``single``/``multiple``), carriers
    (IATA), route schedule, rights, co-terminal points, caps that apply to them, where the
    designation comes from (``None``: the agreement's own source), and every point clause
    (co-terminalisation, stopover, change of gauge) in full."""

    designation: str | None
    carriers: tuple[str, ...]
    route_schedule: RouteScheduleSummary | None
    rights: tuple[RightSummary, ...]
    co_terminalisation: tuple[str, ...]
    caps: tuple[CapSummary, ...]
    designation_source: Provenance | None = None
    point_clauses: tuple[PointClauseSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    """An agreement's rights in words, with sources: id, title, parties (ISO3), dates signed
    and in force, its source, per party (ISO3) a :class:`PartySummary`, every WASA/QUASAR
    clause family (:class:`ClauseSummary`, in a fixed order, ``value`` ``None`` when not
    coded), the agreement's Air Liberalization Index
    (:class:`~bilat.air.LiberalizationIndex`, points 0-50) and the agreement's own provenance."""

    id: str
    title: str
    parties: tuple[str, str]
    signed: dt.date | None
    effective: dt.date | None
    source: str
    by_party: Mapping[str, PartySummary]
    clauses: tuple[ClauseSummary, ...] = ()
    liberalization: LiberalizationIndex | None = None
    provenance: Provenance | None = None

    def clause_rows(self) -> list[dict[str, str]]:
        """One row per clause family: agreement, family, value (or ``not coded``), source."""
        return [
            {
                "agreement": self.id,
                "clause": c.family.replace("_", " "),
                "value": c.value or "not coded",
                "source": c.source or "",
            }
            for c in self.clauses
        ]
