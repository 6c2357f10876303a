"""What a gravity estimation is asked to do: the formula, the variance, the column roles.

Each is text a user types (``--formula``, ``--vcov``, ``--map``) or a Python value, read
and checked here before any data is touched; :class:`GravityConfig` holds them, frozen.

Formula
    pyfixest's (and R fixest's) syntax, ``DEPVAR ~ TERMS | FE1 + FE2 + ...``:
    ``Euros ~ log(dist_km) | Origin + Destination + Product + Year``. A fixed effect is a
    column or an interaction of columns (``exporter^year``); terms are columns or functions
    of them (``log(dist)``, ``C(region)``), named in the results as pyfixest prints them.
    One model only: no multiple estimation (``sw()``, ``csw()``) and no instruments.
Variance (``vcov``)
    ``hetero`` (heteroskedasticity-robust), ``iid``, ``cluster:COL`` (one-way clusters),
    ``twoway:COL1+COL2`` (two-way clusters), ``pair`` (the unordered country pair, as the
    textbook's ``pair_id``) or ``directed_pair`` (the ordered pair), the last two built
    from the exporter and importer columns.
Column roles (``columns``)
    Which of the file's columns is the ``exporter``, ``importer``, ``year``, ``trade`` and
    ``product``: ``{"exporter": "Origin", "trade": "Euros"}`` or the text
    ``exporter=Origin,trade=Euros``. The file's columns stay; each role is added under its
    own name, so a formula may use either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bilat.errors import InputError
from bilat.options import VCOVS, Method, Separation, SmallSample, VcovKind, choice

__all__ = [
    "DEFAULT_TERMS",
    "ROLES",
    "GravityConfig",
    "GravityFormula",
    "Vcov",
    "parse_columns",
    "parse_formula",
    "parse_vcov",
]

#: The textbook specification: log distance, contiguity, common language, colonial link.
DEFAULT_TERMS: tuple[str, ...] = ("ln_dist", "cntg", "lang", "clny")

#: The roles a panel's columns can play; each is also the column's name in the panel.
ROLES: tuple[str, ...] = ("exporter", "importer", "year", "trade", "product")

_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_LOG = re.compile(r"^log\(\s*([A-Za-z_.][A-Za-z0-9_.]*)\s*\)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m|[⧛⧚]")

VCOV_FORMS = "hetero, iid, cluster:COL, twoway:COL1+COL2, pair or directed_pair"


@dataclass(frozen=True, slots=True)
class GravityFormula:
    """A parsed formula.

    Attributes
    ----------
    text
        The formula as given (blanks collapsed): what is passed to pyfixest.
    depvar
        The left-hand side as written (``Euros``, ``log(trade)``).
    outcome
        The column the left-hand side reads: itself, or ``X`` of ``log(X)``; ``None`` for
        any other expression.
    logged
        Whether the left-hand side is ``log(outcome)``.
    fixed_effects
        The fixed-effect terms as written (``("exporter^year", "importer^year")``).
    variables
        Every column the formula names, in order of first appearance.
    """

    text: str
    depvar: str
    outcome: str | None
    logged: bool
    fixed_effects: tuple[str, ...]
    variables: tuple[str, ...]

    def fe_columns(self, term: str) -> tuple[str, ...]:
        """The columns a fixed-effect term interacts: ``"exporter^year"`` → both."""
        return tuple(p.strip() for p in term.split("^"))


def _bad_formula(text: str, why: str) -> InputError:
    clean = _ANSI.sub("", why).strip().splitlines()
    reason = clean[0].strip() if clean else "it does not parse"
    return InputError(
        f"formula {text!r} does not parse: {reason}. Write DEPVAR ~ TERMS | FE1 + FE2, "
        "e.g. 'trade ~ log(dist) + cntg | exporter^year + importer^year'",
        details={"option": "formula", "value": text, "expected": "DEPVAR ~ TERMS | FE1 + FE2"},
    )


def parse_formula(text: str) -> GravityFormula:
    """Read a fixest-style formula; ``InputError`` naming the option ``formula`` if it does
    not parse, describes several models (``sw()``, ``csw()``) or has instruments."""
    import formulaic
    from pyfixest.errors import FormulaSyntaxError
    from pyfixest.estimation.formula.parse import Formula

    text = " ".join(str(text).split())
    if not text:
        raise _bad_formula(text, "it is empty")
    try:
        parsed = Formula.parse(text)
    except (FormulaSyntaxError, ValueError, IndexError) as exc:
        raise _bad_formula(text, str(exc)) from None
    if len(parsed) != 1:
        raise _bad_formula(text, "it describes several models (sw, csw, mvsw); give one")
    (one,) = parsed
    if one.first_stage is not None:
        raise _bad_formula(text, "instrumental variables (a third part) are not supported")
    try:
        model = formulaic.Formula(one.second_stage)
        lhs = sorted(model.lhs.required_variables)
        rhs = model.rhs.required_variables
    except (formulaic.errors.FormulaicError, ValueError, SyntaxError, AttributeError) as exc:
        raise _bad_formula(text, str(exc)) from None
    depvar = one.second_stage.split("~", 1)[0].strip()
    if not lhs:
        raise _bad_formula(text, "the left-hand side names no column")
    fixed = tuple(t.strip() for t in (one.fixed_effects or "").split("+") if t.strip())
    fe_cols: list[str] = []
    for term in fixed:
        parts = [p.strip() for p in term.split("^")]
        if not all(_NAME.match(p) for p in parts):
            raise _bad_formula(
                text, f"fixed effect {term!r} must be a column or columns joined by ^"
            )
        fe_cols.extend(parts)
    log = _LOG.match(depvar)
    outcome = log.group(1) if log else (depvar if _NAME.match(depvar) else None)
    return GravityFormula(
        text=text,
        depvar=depvar,
        outcome=outcome,
        logged=log is not None,
        fixed_effects=fixed,
        variables=_in_order(text, [*lhs, *rhs, *fe_cols]),
    )


def _in_order(text: str, names: list[str]) -> tuple[str, ...]:
    unique = dict.fromkeys(names)
    return tuple(sorted(unique, key=lambda n: (text.find(n) if n in text else len(text), n)))


@dataclass(frozen=True, slots=True)
class Vcov:
    """The variance of the estimates.

    Attributes
    ----------
    kind
        ``hetero``, ``iid``, ``cluster``, ``twoway``, ``pair`` or ``directed_pair``.
    columns
        The cluster columns (``cluster``: one, ``twoway``: two; none otherwise).
    """

    kind: VcovKind = "pair"
    columns: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The vcov as typed: ``cluster:Origin``, ``twoway:Origin+Destination``, ``pair``."""
        return f"{self.kind}:{'+'.join(self.columns)}" if self.columns else self.kind

    @property
    def clustered(self) -> bool:
        """Whether the variance is clustered (one-way, two-way or by pair)."""
        return self.kind not in ("hetero", "iid")

    def cluster_columns(self, pair_column: str) -> tuple[str, ...]:
        """The frame columns the clusters are read from (the built pair code for pairs)."""
        return (pair_column,) if self.kind in ("pair", "directed_pair") else self.columns

    def pyfixest(self, pair_column: str) -> str | dict[str, str]:
        """The ``vcov`` argument of ``pyfixest.fepois``/``feols``."""
        if not self.clustered:
            return self.kind
        return {"CRV1": "+".join(self.cluster_columns(pair_column))}


def _bad_vcov(text: str, why: str) -> InputError:
    return InputError(
        f"vcov {text!r} {why}; write one of {VCOV_FORMS}",
        details={"option": "vcov", "value": text, "expected": list(VCOVS)},
    )


def parse_vcov(text: str | Vcov | None, *, cluster: str | None = None) -> Vcov:
    """Read a vcov (``"cluster:Origin"``); ``cluster`` (``pair``, ``directed_pair``) is the
    older keyword for the pair forms and may not contradict ``vcov``."""
    from bilat.options import Cluster

    alias = None if cluster is None else Vcov(choice(Cluster, cluster, "cluster"))
    if text is None or (isinstance(text, str) and not text.strip()):
        return alias or Vcov()
    vcov = text if isinstance(text, Vcov) else _vcov_text(str(text))
    if alias is not None and alias != vcov:
        raise InputError(
            f"cluster={cluster!r} and vcov={vcov.text!r} disagree; give vcov only "
            "(cluster is its older name for pair and directed_pair)",
            details={"option": "cluster", "value": cluster},
        )
    return vcov


def _vcov_text(raw: str) -> Vcov:
    text = raw.strip()
    head, sep, tail = text.partition(":")
    kind = head.strip().lower().replace("-", "_")
    cols = tuple(c.strip() for c in tail.split("+")) if sep else ()
    if kind in ("hetero", "iid", "pair", "directed_pair"):
        if sep:
            raise _bad_vcov(raw, f"takes no columns after {kind}")
        return Vcov(kind)  # type: ignore[arg-type]
    if kind not in ("cluster", "twoway"):
        raise _bad_vcov(raw, "is not a known form")
    if not cols or not all(cols):
        raise _bad_vcov(raw, "names no cluster column")
    want = 1 if kind == "cluster" else 2
    if len(cols) != want:
        other = "twoway:COL1+COL2 for two-way clusters" if kind == "cluster" else "cluster:COL"
        raise _bad_vcov(raw, f"needs {want} column{'s' * (want > 1)} ({other})")
    return Vcov(kind, cols)  # type: ignore[arg-type]


def parse_columns(value: str | Mapping[str, str] | None) -> dict[str, str]:
    """Column roles from ``{"exporter": "Origin"}`` or ``"exporter=Origin,trade=Euros"``.

    Raises ``InputError`` (option ``columns``) for an unknown role, an entry that is not
    ``ROLE=COLUMN``, or one column given two roles.
    """
    if value is None:
        return {}
    items: list[tuple[Any, Any]]
    if isinstance(value, str):
        items = []
        for part in filter(None, (p.strip() for p in value.split(","))):
            role, eq, col = part.partition("=")
            if not eq or not role.strip() or not col.strip():
                raise InputError(
                    f"columns entry {part!r} must be ROLE=COLUMN, e.g. exporter=Origin",
                    details={"option": "columns", "value": part, "expected": "ROLE=COLUMN"},
                )
            items.append((role, col))
    else:
        items = list(value.items())
    out: dict[str, str] = {}
    for role, col in items:
        name = str(role).strip().lower()
        if name not in ROLES:
            raise InputError(
                f"columns names the role {role!r}; roles are {', '.join(ROLES)}",
                details={"option": "columns", "value": str(role), "expected": list(ROLES)},
            )
        out[name] = str(col).strip()
    cols = list(out.values())
    twice = sorted({c for c in cols if cols.count(c) > 1})
    if twice:
        raise InputError(
            f"columns gives the column {twice[0]!r} two roles; give each role its own column",
            details={"option": "columns", "value": twice[0]},
        )
    return out


_BY_PAIR = Vcov()


@dataclass(frozen=True, slots=True)
class GravityConfig:
    """A validated gravity specification.

    Attributes
    ----------
    terms
        Regressors of the default specification: panel columns, or ``ln_<column>`` for the
        natural log of a column (``None`` when a formula is given).
    formula
        The parsed formula (``None``: the default specification).
    method
        ``ppml`` (Poisson pseudo-maximum likelihood) or ``ols`` (least squares on logs).
    vcov
        The variance of the estimates (:class:`bilat.potential.spec.Vcov`).
    columns
        The file's column for each role, as ``(role, column)`` pairs.
    years
        Years in the estimation sample (``None``: every year of the panel).
    small_sample
        Small-sample convention: ``fixest`` or ``stata`` (:mod:`bilat.potential.gravity`).
    domestic
        Keep domestic flows (exporter == importer); the textbook Application 1 drops them.
    maxiter
        Most PPML iterations (pyfixest's ``iwls_maxiter``).
    separation
        Separation checks before PPML (``both``, ``fe``, ``ir``, ``none``).
    """

    terms: tuple[str, ...] | None = DEFAULT_TERMS
    formula: GravityFormula | None = None
    method: Method = "ppml"
    vcov: Vcov = _BY_PAIR
    columns: tuple[tuple[str, str], ...] = ()
    years: tuple[int, ...] | None = None
    small_sample: SmallSample = "fixest"
    domestic: bool = False
    maxiter: int = 25
    separation: Separation = "both"

    @property
    def cluster(self) -> str | None:
        """The clusters in words: ``pair``, ``directed_pair``, ``Origin``, ``A+B``; ``None``
        for an unclustered variance."""
        if self.vcov.kind in ("pair", "directed_pair"):
            return self.vcov.kind
        return "+".join(self.vcov.columns) or None

    @property
    def roles(self) -> dict[str, str]:
        """Role → the file's column playing it (roles named after themselves included)."""
        return dict(self.columns)

    @classmethod
    def make(
        cls,
        *,
        terms: Sequence[str] | None = None,
        formula: str | None = None,
        method: str = "ppml",
        vcov: str | Vcov | None = None,
        columns: str | Mapping[str, str] | None = None,
        years: Sequence[int] | None = None,
        cluster: str | None = None,
        small_sample: str = "fixest",
        domestic: bool = False,
        maxiter: int = 25,
        separation: str = "both",
    ) -> GravityConfig:
        """Validate options and build the config; raises ``InputError`` naming the option."""
        parsed = None if formula is None or not str(formula).strip() else parse_formula(formula)
        if parsed is not None and terms is not None:
            raise InputError(
                "give terms or formula, not both: terms are the regressors of the default "
                "specification, a formula names its own",
                details={"option": "terms"},
            )
        if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 1:
            raise InputError(
                f"maxiter must be a whole number of iterations above 0, not {maxiter!r}",
                details={"option": "maxiter", "value": str(maxiter)},
            )
        return cls(
            terms=None if parsed is not None else _check_terms(terms),
            formula=parsed,
            method=choice(Method, method, "method"),
            vcov=parse_vcov(vcov, cluster=cluster),
            columns=tuple(parse_columns(columns).items()),
            years=tuple(sorted({int(y) for y in years})) if years is not None else None,
            small_sample=choice(SmallSample, small_sample, "small_sample"),
            domestic=bool(domestic),
            maxiter=maxiter,
            separation=choice(Separation, separation, "separation"),
        )


def _check_terms(terms: Sequence[str] | None) -> tuple[str, ...]:
    terms = DEFAULT_TERMS if terms is None else tuple(terms)
    if not terms:
        raise InputError("give at least one regressor (term)", details={"option": "terms"})
    for t in terms:
        if not _TERM.match(t):
            raise InputError(
                f"term {t!r} is not a column name; expected letters, digits and _ "
                "(ln_<column> for a log; a formula for anything else)",
                details={"option": "terms", "value": t},
            )
    if len(set(terms)) != len(terms):
        raise InputError(f"terms repeat: {', '.join(terms)}", details={"option": "terms"})
    return terms
