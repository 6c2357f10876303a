"""What an amendment changed: two versions of one agreement compared clause by clause.

:func:`diff_agreements` lines up the clauses of a *before* and an *after* file by their
identity — a right, cap or point clause by its ``id``, a route schedule and a designation by
party, a WASA/QUASAR family (tariffs, capacity, ...) by its name, a date by its key — and
says, for each, whether it was added, removed, changed in its terms, or kept with a new
source (``re-sourced``), with both versions' words and provenance. A family coded on one side
only is added or removed ("not coded" on the other side): never read as a liberalisation or
a restriction. The Air Liberalization Index of both versions comes with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from bilat.air.freedoms import freedoms_words
from bilat.air.liberalization import LiberalizationIndex, liberalization_index
from bilat.air.model import (
    CLAUSE_FAMILIES,
    Agreement,
    FrequencyCap,
    PointClause,
    Right,
    describe_route_schedule,
)
from bilat.errors import InputError

__all__ = ["AgreementDiff", "ChangeKind", "ClauseChange", "diff_agreements"]

ChangeKind = Literal["added", "removed", "changed", "re-sourced"]

#: A clause in words and its citation, keyed by its identity within a family.
_Side = dict[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """One clause that differs between the two versions.

    Attributes
    ----------
    family
        ``agreement`` (dates, title), ``designation``, ``route_schedules``, ``rights``,
        ``co_terminalisation``, ``stopover``, ``change_of_gauge``, ``caps``, or a WASA/QUASAR
        family (``tariffs``, ``capacity``, ``withholding``, ``statistics``,
        ``cooperative_arrangements``, ``charter``).
    key
        The clause's identity: its ``id``, the party (ISO3), or the family's or date's name.
    change
        ``added``, ``removed``, ``changed`` (its terms differ) or ``re-sourced`` (same terms,
        another source).
    before, after
        The clause in words in each version (``None``: absent, or not coded).
    before_source, after_source
        Each version's provenance (``None`` when absent, and for the title, the dates and
        the agreement's own source, whose provenance is the agreement's).
    """

    family: str
    key: str
    change: ChangeKind
    before: str | None
    after: str | None
    before_source: str | None
    after_source: str | None


@dataclass(frozen=True, slots=True)
class AgreementDiff:
    """Two versions of one agreement compared.

    Attributes
    ----------
    before, after
        The two versions' agreement ids.
    parties
        The pair of states (ISO3), as the *after* version orders them.
    changes
        Every clause that differs, by family then key (empty: the versions say the same).
    ali_before, ali_after
        The Air Liberalization Index of each version (points; ranges when features are not
        coded).
    """

    before: str
    after: str
    parties: tuple[str, str]
    changes: tuple[ClauseChange, ...]
    ali_before: LiberalizationIndex
    ali_after: LiberalizationIndex

    def rows(self) -> list[dict[str, str]]:
        """One row per change: family (in words), clause, change, before, after, sources."""
        return [
            {
                "family": c.family.replace("_", " "),
                "clause": c.key,
                "change": c.change,
                "before": c.before or "",
                "after": c.after or "",
                "source": _sources(c),
            }
            for c in self.changes
        ]


def _sources(c: ClauseChange) -> str:
    if c.before_source == c.after_source or c.before_source is None:
        return c.after_source or ""
    if c.after_source is None:
        return c.before_source
    return f"{c.before_source} -> {c.after_source}"


def diff_agreements(before: Agreement, after: Agreement) -> AgreementDiff:
    """What changed from ``before`` to ``after`` (two versions of one agreement).

    Raises
    ------
    InputError
        When the two files describe different pairs of states.

    Examples
    --------
    >>> from bilat.air import case_agreements_dir, load_agreement
    >>> case = case_agreements_dir()
    >>> d = diff_agreements(load_agreement(case.parent / "air-before" / "blr-kaz.yaml"),
    ...                     load_agreement(case / "blr-kaz.yaml"))
    >>> [(c.key, c.change) for c in d.changes if c.change == "added"]
    [('BLR-5-KAZ-beyond', 'added'), ('BLR-co-terminal-KAZ', 'added')]
    """
    if set(before.parties) != set(after.parties):
        raise InputError(
            f"the two agreements are between different states: {'-'.join(before.parties)} "
            f"({before.path or before.id}) and {'-'.join(after.parties)} "
            f"({after.path or after.id}); compare two versions of one agreement",
            details={"before": list(before.parties), "after": list(after.parties)},
        )
    changes: list[ClauseChange] = []
    for family in _FAMILIES:
        changes += _compare(family, _clauses(before, family), _clauses(after, family))
    return AgreementDiff(
        before=before.id,
        after=after.id,
        parties=after.parties,
        changes=tuple(changes),
        ali_before=liberalization_index(before),
        ali_after=liberalization_index(after),
    )


_FAMILIES = (
    "agreement",
    "designation",
    "route_schedules",
    "rights",
    "co_terminalisation",
    "stopover",
    "change_of_gauge",
    "caps",
    *CLAUSE_FAMILIES,
)


def _compare(family: str, old: _Side, new: _Side) -> Iterator[ClauseChange]:
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None:
            kind: ChangeKind = "added"
        elif b is None:
            kind = "removed"
        else:
            kind = "changed" if a[0] != b[0] else "re-sourced"
        yield ClauseChange(
            family,
            key,
            kind,
            None if a is None else a[0],
            None if b is None else b[0],
            None if a is None else a[1] or None,
            None if b is None else b[1] or None,
        )


def _clauses(ag: Agreement, family: str) -> _Side:
    if family == "agreement":
        # The agreement's own provenance is compared as a clause ("source"), so that a new
        # source for the whole file does not mark its title and dates as re-sourced.
        dates = {"title": ag.title, "signed": ag.signed, "effective": ag.effective}
        out = {k: (str(v), "") for k, v in dates.items() if v is not None}
        return {**out, "source": (ag.provenance.cite(), "")}
    if family == "designation":
        return {
            party: (f"{mode}: {_carriers(ag, party)}", _designation_cite(ag, party))
            for party, mode in ag.designation_mode.items()
        }
    if family == "route_schedules":
        return {
            party: (
                describe_route_schedule(
                    rs.home.describe(),
                    rs.intermediate.describe(),
                    rs.destination.describe(),
                    rs.beyond.describe(),
                ),
                rs.provenance.cite(),
            )
            for party, rs in ag.route_schedules.items()
        }
    if family == "rights":
        return {r.id: (_right(r), r.provenance.cite()) for r in ag.rights}
    if family == "caps":
        return {c.id: (_cap(c), c.provenance.cite()) for c in ag.caps}
    if family in ("co_terminalisation", "stopover", "change_of_gauge"):
        clauses: tuple[PointClause, ...] = getattr(ag, family)
        return {c.id: (_point_clause(c), c.provenance.cite()) for c in clauses}
    clause = ag.clause(family)
    return {} if clause is None else {family: (clause.describe(), clause.provenance.cite())}


def _carriers(ag: Agreement, party: str) -> str:
    return ", ".join(f"{c.iata} {c.name}" for c in ag.carriers if c.state == party) or "none"


def _designation_cite(ag: Agreement, party: str) -> str:
    prov = ag.designation_provenance.get(party)
    return (prov or ag.provenance).cite()


def _right(r: Right) -> str:
    sector = (
        "trunk"
        if r.origin is None and r.destination is None
        else f"{r.origin.describe() if r.origin else 'trunk'} <-> "
        f"{r.destination.describe() if r.destination else 'trunk'}"
    )
    return f"{r.party} carriers, {freedoms_words(sorted(r.freedoms))}: {sector}"


def _cap(c: FrequencyCap) -> str:
    subject = {
        "city_pair": "-".join(c.city_pair or ()),
        "carrier": c.carrier or "",
        "country_pair": "country pair",
        "party": "party",
    }[c.scope]
    dates = ""
    if c.valid_from or c.valid_to:
        dates = f", {c.valid_from or '...'} to {c.valid_to or '...'}"
    counts = {"each": "each party", "combined": "both parties combined"}.get(
        c.applies_to, f"{c.applies_to} carriers"
    )
    return f"{subject} {c.weekly}/week ({counts}){dates}"


def _point_clause(c: PointClause) -> str:
    traffic = "with" if c.local_traffic else "without"
    return f"{c.party} carriers at {c.points.describe()}, {traffic} local traffic"
