"""The WTO's Air Liberalization Index (ALI) of one agreement, from its coded clauses.

The WTO Secretariat's QUASAR review (*Second Review of the Air Transport Annex*, document
S/C/W/270/Add.1, 30 November 2006, Part A) scores an air services agreement by nine features
and adds the points: 0 (every feature at its most restrictive level) to 50 (every feature at
its most liberal). :data:`ALI_WEIGHTS` is that "standard" weighting as bilat transcribes it;
docs/air.md says which values could not be checked against a stored copy of the document.

A feature the agreement does not code is *missing*, never scored 0 or full: the index is then
a range (``low``: each missing feature at its lowest level, ``high``: at its highest) and
``value`` is ``None``. Grant of rights (fifth, seventh freedom, cabotage) and designation are
always coded: they are read from the agreement's rights and designation, which every file
holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

__all__ = [
    "ALI_SOURCE",
    "ALI_UNVERIFIED",
    "ALI_WEIGHTS",
    "AliFeature",
    "FeatureScore",
    "LiberalizationIndex",
    "liberalization_index",
]

AliFeature = Literal[
    "fifth_freedom",
    "seventh_freedom",
    "cabotage",
    "capacity",
    "tariffs",
    "withholding",
    "designation",
    "statistics",
    "cooperative_arrangements",
]
ALI_FEATURES: tuple[str, ...] = get_args(AliFeature)

#: Points per level of each feature (WTO, S/C/W/270/Add.1, Part A, "standard" weighting).
ALI_WEIGHTS: Mapping[str, Mapping[str, int]] = {
    "fifth_freedom": {"not_granted": 0, "granted": 6},
    "seventh_freedom": {"not_granted": 0, "granted": 6},
    "cabotage": {"not_granted": 0, "granted": 6},
    "capacity": {
        "predetermination": 0,
        "other_restrictive": 2,
        "bermuda_i": 4,
        "free_determination": 8,
    },
    "tariffs": {
        "double_approval": 0,
        "country_of_origin": 3,
        "double_disapproval": 6,
        "zone_pricing": 7,
        "free_pricing": 8,
    },
    "withholding": {
        "substantial_ownership_effective_control": 0,
        "community_of_interest": 4,
        "principal_place_of_business": 8,
    },
    "designation": {"single": 0, "multiple": 4},
    "statistics": {"exchange": 0, "no_exchange": 1},
    "cooperative_arrangements": {"not_allowed": 0, "allowed": 3},
}
#: Levels whose points bilat could not check against a stored copy of the source.
ALI_UNVERIFIED: frozenset[tuple[str, str]] = frozenset(
    {("capacity", "other_restrictive"), ("tariffs", "zone_pricing")}
)
ALI_SOURCE = (
    "WTO Secretariat, Second Review of the Air Transport Annex: QUASAR, S/C/W/270/Add.1 "
    "(30 Nov 2006), Part A, standard weighting; as used in Piermartini and Rousova, WTO "
    "Staff Working Paper ERSD-2008-06"
)
_FREEDOMS = {"fifth_freedom": {5}, "seventh_freedom": {7}, "cabotage": {8, 9}}


def words(identifier: str) -> str:
    """A feature or level identifier in words: ``not_granted`` → ``not granted``,
    ``bermuda_i`` → ``Bermuda I``."""
    return "Bermuda I" if identifier == "bermuda_i" else identifier.replace("_", " ")


# What the index reads of an agreement (:class:`bilat.air.Agreement` has it): protocols,
# so that this module sits below the model and the model's summary can call it.
class _Cited(Protocol):
    def cite(self) -> str: ...


class _Right(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def party(self) -> str: ...
    @property
    def freedoms(self) -> frozenset[int]: ...
    @property
    def provenance(self) -> _Cited: ...


class _Clause(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def provenance(self) -> _Cited: ...


class Agreement(Protocol):
    """The parts of an agreement the index reads (a :class:`bilat.air.Agreement`)."""

    @property
    def parties(self) -> tuple[str, str]: ...
    @property
    def rights(self) -> Sequence[_Right]: ...
    @property
    def designation_mode(self) -> Mapping[str, str]: ...
    @property
    def designation_provenance(self) -> Mapping[str, _Cited]: ...
    def clause(self, family: str) -> _Clause | None: ...


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature of the index.

    Attributes
    ----------
    feature
        The feature (:data:`AliFeature`).
    level
        The coded level (``granted``, ``free_pricing``, ...); ``None``: not coded.
    points
        Its points; ``None`` when not coded.
    max_points
        The feature's most liberal points (its weight).
    source
        Where the level comes from (a clause's citation), or ``"not coded"``.
    detail
        What the level rests on, e.g. ``"granted to BLR only"``.
    """

    feature: str
    level: str | None
    points: int | None
    max_points: int
    source: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class LiberalizationIndex:
    """An agreement's Air Liberalization Index, in points (0 to ``maximum``).

    Attributes
    ----------
    value
        The index when every feature is coded; ``None`` when one is missing.
    low, high
        The index with every missing feature at its lowest and at its highest level (equal
        to ``value`` when nothing is missing).
    maximum
        The most liberal agreement's index under these weights (50 for the standard ones).
    missing
        Features the agreement does not code.
    features
        Every feature's score, in the source's order.
    weights
        The source of the weights.
    notes
        What a reader must know: levels whose weight is not verified, asymmetric grants.
    """

    value: int | None
    low: int
    high: int
    maximum: int
    missing: tuple[str, ...]
    features: tuple[FeatureScore, ...]
    weights: str
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """``"32 of 50"``, or ``"6-34 of 50 (not coded: capacity, tariffs)"``, in words
        (``cooperative arrangements``; :attr:`missing` keeps the identifiers)."""
        if self.value is not None:
            return f"{self.value} of {self.maximum}"
        missing = ", ".join(words(m) for m in self.missing)
        return f"{self.low}-{self.high} of {self.maximum} (not coded: {missing})"


def liberalization_index(
    agreement: Agreement,
    *,
    weights: Mapping[str, Mapping[str, int]] = ALI_WEIGHTS,
    source: str = ALI_SOURCE,
) -> LiberalizationIndex:
    """The Air Liberalization Index of ``agreement`` under ``weights``.

    Parameters
    ----------
    agreement
        An agreement (:func:`bilat.air.load_agreement`).
    weights
        Points per level of each of the nine features (default: :data:`ALI_WEIGHTS`).
    source
        Where the weights come from (printed with the index).

    Examples
    --------
    >>> from bilat.air import case_agreements_dir, load_agreements
    >>> (ag,) = load_agreements(case_agreements_dir())
    >>> liberalization_index(ag).missing[:2]
    ('capacity', 'tariffs')
    """
    scores = [_score(agreement, f, weights[f]) for f in ALI_FEATURES]
    coded = sum(s.points for s in scores if s.points is not None)
    missing = tuple(s.feature for s in scores if s.level is None)
    low = coded + sum(min(weights[f].values()) for f in missing)
    high = coded + sum(max(weights[f].values()) for f in missing)
    notes = [
        f"{words(s.feature)} {words(s.level or '')}: the weight of this level is not verified "
        "against the source"
        for s in scores
        if (s.feature, s.level) in ALI_UNVERIFIED and weights is ALI_WEIGHTS
    ]
    notes += [f"{words(s.feature)}: {s.detail}" for s in scores if s.detail and "only" in s.detail]
    modes = set(agreement.designation_mode.values())
    if len(modes) > 1:
        notes.append(
            "designation differs by party ("
            + ", ".join(f"{p} {m}" for p, m in sorted(agreement.designation_mode.items()))
            + "): scored single, the level both parties' carriers are held to"
        )
    return LiberalizationIndex(
        value=None if missing else coded,
        low=low,
        high=high,
        maximum=sum(max(weights[f].values()) for f in ALI_FEATURES),
        missing=missing,
        features=tuple(scores),
        weights=source,
        notes=tuple(notes),
    )


def _score(agreement: Agreement, feature: str, levels: Mapping[str, int]) -> FeatureScore:
    top = max(levels.values())
    if feature in _FREEDOMS:
        return _rights_score(agreement, feature, levels)
    if feature == "designation":
        modes = [agreement.designation_mode.get(p) for p in agreement.parties]
        if None in modes:
            return FeatureScore(feature, None, None, top, "not coded")
        level = "multiple" if all(m == "multiple" for m in modes) else "single"
        prov = agreement.designation_provenance
        cites = sorted({prov[p].cite() for p in agreement.parties if p in prov})
        detail = ", ".join(f"{p} {m}" for p, m in zip(agreement.parties, modes, strict=True))
        return FeatureScore(
            feature, level, levels[level], top, "; ".join(cites) or "designation", detail
        )
    clause = agreement.clause(feature)
    if clause is None:
        return FeatureScore(feature, None, None, top, "not coded")
    return FeatureScore(
        feature, clause.value, levels[clause.value], top, clause.provenance.cite(), clause.note
    )


def _rights_score(agreement: Agreement, feature: str, levels: Mapping[str, int]) -> FeatureScore:
    top = max(levels.values())
    granting = [r for r in agreement.rights if r.freedoms & _FREEDOMS[feature]]
    if not granting:
        return FeatureScore(
            feature, "not_granted", levels["not_granted"], top, "rights (none grants it)"
        )
    parties = sorted({r.party for r in granting})
    detail = f"granted to {parties[0]} only" if len(parties) < 2 else "granted to both parties"
    cites = "; ".join(f"{r.id}: {r.provenance.cite()}" for r in granting)
    return FeatureScore(feature, "granted", levels["granted"], top, cites, detail)
