"""General-equilibrium scenarios: a baseline world, cost coefficients, a change, the effects.

``bilat potential scenario`` as one call (:func:`run_scenario`): read a baseline table (every
exporter–importer pair of one year, domestic flows included, with trade, output, expenditure
and the cost variables), build the trade costs ``t^(1-σ) = exp(Σ β·x)`` from the
coefficients (estimated by :func:`bilat.potential.estimate` or supplied as a table), apply
the changes (:func:`parse_change`: ``"pta=1@CAN-JPN,JPN-CAN"``), solve the baseline, the
conditional and the full-endowment equilibrium (:mod:`bilat.potential.ge`) and report the
effects per country and per pair. With ``draws``, the coefficients are drawn from their
estimated distribution and the effects get Monte Carlo intervals.

>>> result = run_scenario("gegravity-sample-2006.csv", coefficients="coefs.csv",
...                       changes=["pta=1@CAN-JPN,JPN-CAN"], sigma=5,
...                       reference_importer="DEU")                       # doctest: +SKIP
>>> result.country("CAN").gdp_change_pct                                  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from bilat import formats
from bilat.errors import EstimationError, InputError, NotFoundError, SchemaError, ValidationError
from bilat.options import GeModel, choice
from bilat.potential.ge import Solution, SolverReport, solve
from bilat.potential.ge_inputs import (
    AD_VALOREM,
    CONSTANT_NAMES,
    CostChange,
    CostCoefficient,
    GeWorld,
    ge_world,
    parse_change,
    parse_columns,
    read_coefficients,
    variable_column,
)
from bilat.potential.panel import read_table

__all__ = [
    "AppliedChange",
    "CountryEffect",
    "Interval",
    "PairEffect",
    "ScenarioResult",
    "run_scenario",
]

# -------------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CountryEffect:
    """The effects of a scenario on one country (changes in percent unless named otherwise).

    ``*_baseline`` levels are the model's (fitted) values in the data's unit; resistances
    are the levels ``P`` (inward) and ``Π`` (outward), with the reference importer's ``P``
    1 in every state (``imr_*``, ``omr_*``: inward and outward multilateral resistance).
    ``gdp_change_pct`` is the change in *real* GDP, output over the consumer price index
    (``Y/P``, gegravity's "GDP change"); ``terms_of_trade_change_pct`` (``p/P``) equals it
    in this model. ``welfare_statistic`` is gegravity's ``(E/P) / (E'/P')`` (below 1 is a
    gain); ``welfare_change_pct`` says the same as a change in real expenditure.
    """

    country: str
    output_baseline: float
    expenditure_baseline: float
    factory_gate_price_change_pct: float
    output_change_pct: float
    expenditure_change_pct: float
    gdp_change_pct: float
    welfare_statistic: float
    welfare_change_pct: float
    terms_of_trade_change_pct: float
    imr_baseline: float
    imr_conditional: float
    imr_counterfactual: float
    imr_change_pct: float
    imr_conditional_change_pct: float
    omr_baseline: float
    omr_conditional: float
    omr_counterfactual: float
    omr_change_pct: float
    omr_conditional_change_pct: float
    foreign_exports_baseline: float
    foreign_exports_counterfactual: float
    foreign_exports_change_pct: float
    foreign_exports_conditional_change_pct: float
    foreign_imports_baseline: float
    foreign_imports_counterfactual: float
    foreign_imports_change_pct: float
    foreign_imports_conditional_change_pct: float
    intranational_trade_baseline: float
    intranational_trade_counterfactual: float
    intranational_trade_change_pct: float


@dataclass(frozen=True, slots=True)
class PairEffect:
    """The effects on trade from ``exporter`` to ``importer``.

    ``trade_observed`` is the data; ``trade_baseline`` the model's baseline;
    ``trade_conditional`` with prices and incomes held; ``trade_counterfactual`` in the
    solved model (``model``); ``cost_change_pct`` the change in ``t^(1-σ)``.
    """

    exporter: str
    importer: str
    trade_observed: float
    trade_baseline: float
    trade_conditional: float
    trade_counterfactual: float
    change_pct: float
    conditional_change_pct: float
    cost_change_pct: float


@dataclass(frozen=True, slots=True)
class Interval:
    """A Monte Carlo interval of one figure: the 2.5th, 50th and 97.5th percentiles."""

    subject: str
    measure: str
    low: float
    median: float
    high: float


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """A change as applied: its text and how many pairs' costs it changed."""

    text: str
    var: str
    pairs_changed: int


@dataclass(frozen=True)
class ScenarioResult:
    """A solved GE scenario.

    Attributes
    ----------
    model
        ``"full"`` (full endowment) or ``"gegravity"``.
    sigma, reference_importer, year
        The elasticity of substitution, the country whose inward resistance is the
        numeraire, the data's year.
    countries, pairs
        Effects per country (:class:`CountryEffect`) and per directed pair
        (:class:`PairEffect`, every pair of the baseline).
    changes
        The changes applied (:class:`AppliedChange`).
    coefficients
        The cost coefficients used.
    output_source
        Where output and expenditure come from.
    solver
        One :class:`~bilat.potential.ge.SolverReport` per system solved.
    draws, draws_failed, intervals
        Monte Carlo draws of the coefficients run (0: none), those whose model did not
        solve, and the intervals of the country figures and of the changed pairs' trade.
    caveats
        What to say before anyone quotes a number.
    """

    model: str
    sigma: float
    reference_importer: str
    year: int | None
    countries: tuple[CountryEffect, ...]
    pairs: tuple[PairEffect, ...]
    changes: tuple[AppliedChange, ...]
    coefficients: tuple[CostCoefficient, ...]
    output_source: str
    solver: tuple[SolverReport, ...]
    draws: int = 0
    draws_failed: int = 0
    intervals: tuple[Interval, ...] = ()
    caveats: tuple[str, ...] = ()

    _document_extra_: ClassVar[dict[str, Any]] = {"method": str}

    def to_dict(self) -> dict[str, Any]:
        """Plain data: every field, plus ``method`` (the model in words)."""
        from bilat.document import fields_document

        return {**fields_document(self), "method": MODEL_TEXT[self.model]}

    def country(self, code: str) -> CountryEffect:
        """The effects on one country; ``NotFoundError`` when it is not in the baseline."""
        code = code.strip().upper()
        for c in self.countries:
            if c.country == code:
                return c
        raise NotFoundError(f"{code} is not in the scenario's baseline", details={"value": code})

    def pair(self, exporter: str, importer: str) -> PairEffect:
        """The effects on trade from ``exporter`` to ``importer``."""
        a, b = exporter.strip().upper(), importer.strip().upper()
        for p in self.pairs:
            if p.exporter == a and p.importer == b:
                return p
        raise NotFoundError(f"{a} → {b} is not in the scenario's baseline",
                            details={"exporter": a, "importer": b})  # fmt: skip

    def countries_frame(self) -> pd.DataFrame:
        """Country effects as a pandas frame indexed by country."""
        return pd.DataFrame([_row(c) for c in self.countries]).set_index("country")

    def pairs_frame(self) -> pd.DataFrame:
        """Pair effects as a pandas frame indexed by (exporter, importer)."""
        return pd.DataFrame([_row(p) for p in self.pairs]).set_index(["exporter", "importer"])


def _row(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


#: The models in words (the ``method`` of a result).
MODEL_TEXT: dict[str, str] = {
    "full": "full endowment general equilibrium (Yotov, Piermartini, Monteiro & Larch 2016, "
    "ch. 2): factory-gate prices, output and expenditure adjust, and the multilateral "
    "resistances are solved with the new output and expenditure shares",
    "gegravity": "gegravity's formulation (Herman 2021): multilateral resistances solved "
    "with baseline shares, factory-gate prices from the change in outward resistance",
}


def _caveats(model: str, world: GeWorld, covariance: bool) -> tuple[str, ...]:
    out = [
        "One sector, endowment economy: output quantities are fixed; only prices, incomes "
        "and trade move. No tariff revenue, no intermediate inputs, no dynamics.",
        "The size of every effect scales with σ and with the cost coefficients; the "
        "intervals (when drawn) reflect the coefficients' standard errors only, not σ"
        + (
            "."
            if covariance
            else ", and draw each coefficient independently: estimates of one regression "
            "are correlated, so give their covariance matrix for intervals that respect it."
        ),
        "Trade values, prices and resistances are nominal, measured against the reference "
        "importer's consumer prices (its P is 1): their changes depend on that choice. Real "
        "GDP and welfare do not.",
        "Each country's expenditure keeps its baseline ratio to its output (φ = E/Y)"
        + (
            ", scaled by one common factor so that world expenditure keeps its ratio to "
            "world output and trade adds up; imbalances are held in proportion, not in value."
            if model == "full"
            else " exactly, as in gegravity; modelled trade then adds up exactly to neither "
            "output nor expenditure."
        ),
        "Percent changes are between the model's baseline and counterfactual, not between "
        "observed trade and a forecast.",
    ]
    ratio = world.expenditure.sum() / world.output.sum()
    if abs(ratio - 1.0) > 1e-3 and model == "full":
        side = "below" if ratio < 1 else "above"
        out.append(
            f"The data's world expenditure is {formats.share(100 * abs(ratio - 1))} {side} its "
            "world output; modelled trade adds up to each country's expenditure, and to its "
            f"output times {formats.number(ratio, digits=4)}."
        )
    if model == "gegravity":
        out.append(
            "gegravity's formulation holds the output and expenditure shares at the "
            "baseline inside the resistance equations; the full-endowment model (the "
            "default) does not, and its trade adds up."
        )
    return tuple(out)


# ------------------------------------------------------------------------------- the run


def run_scenario(
    data: pd.DataFrame | str | Path,
    *,
    coefficients: Any,
    changes: str | Sequence[str | CostChange],
    sigma: float,
    reference_importer: str | None = None,
    year: int | None = None,
    columns: Mapping[str, str] | str | None = None,
    cost_variables: Sequence[str] | None = None,
    model: str = "full",
    draws: int = 0,
    seed: int = 0,
    covariance: pd.DataFrame | str | Path | None = None,
) -> ScenarioResult:
    """Solve a general-equilibrium scenario.

    Parameters
    ----------
    data
        A table (frame or file) with one row per exporter–importer pair of one year,
        domestic flows included: ``exporter, importer, trade``, the cost variables named by
        the coefficients, optionally ``year``, ``output`` (or ``Y``) per exporter and
        ``expenditure`` (or ``E``) per importer; without output and expenditure they are
        the sums of trade.
    coefficients
        Cost coefficients (:func:`read_coefficients`): their ``var`` are data columns, or a
        constant (``constant``, ``(Intercept)``, ``_cons``).
    changes
        One or more changes (:func:`parse_change`); a string may hold several separated
        by ``;``.
    sigma
        Elasticity of substitution, above 1.
    reference_importer
        The country whose inward resistance is 1 (default: the largest expenditure).
    year, columns
        The year to use when the data holds several; a mapping of roles to columns
        (``{"exporter": "iso_o"}``) or ``"exporter=iso_o,importer=iso_d"``.
    cost_variables
        Use only these coefficients' variables (default: all).
    model
        ``"full"`` (full endowment, default) or ``"gegravity"``.
    draws, seed, covariance
        Monte Carlo: the number of draws of the coefficients (normal, with their standard
        errors, or with a covariance matrix: a square table indexed by var), and the seed.

    Raises ``InputError`` (a bad option, missing pairs, an unknown variable),
    ``SchemaError``/``ValidationError`` (a bad file, with its line), ``NotFoundError`` (a
    country or year not in the data) and ``EstimationError`` when the model does not solve.
    """
    chosen = _check_options(model, sigma, draws, covariance)
    parsed = _changes(changes)
    mapping = parse_columns(columns) if isinstance(columns, str) else columns
    raw = read_table(data, what="baseline data") if isinstance(data, str | Path) else data
    coefs, constants, variables = _resolve(coefficients, cost_variables, raw, mapping, parsed)
    where = str(data) if isinstance(data, str | Path) else None
    world = ge_world(raw, variables=variables, year=year, columns=mapping, where=where)
    ref = _reference(world, reference_importer)
    beta = np.array([c.beta for c in coefs if c.var not in constants])
    const = sum(c.beta for c in coefs if c.var in constants)
    stack = np.stack([world.variables[v] for v in variables]) if variables else None
    new_vars, applied = _apply(world, parsed)
    new_stack = np.stack([new_vars[v] for v in variables]) if variables else None
    shift = _ad_valorem(world, parsed, sigma)
    solution = _solve(stack, new_stack, beta, const, shift, world, sigma, ref, chosen)
    countries, pairs = _effects(world, solution)
    result = ScenarioResult(
        model=chosen,
        sigma=float(sigma),
        reference_importer=world.countries[ref],
        year=world.year,
        countries=countries,
        pairs=pairs,
        changes=applied,
        coefficients=coefs,
        output_source=world.output_source,
        solver=solution.reports,
        caveats=_caveats(chosen, world, covariance is not None),
    )
    if draws:
        return _monte_carlo(result, coefs, constants, variables, stack, new_stack, shift,
                            world, ref, draws, seed, covariance)  # fmt: skip
    return result


def _check_options(model: str, sigma: float, draws: int, covariance: Any) -> str:
    """The model checked, and σ, the draws and the covariance (each named in its error)."""
    chosen: str = choice(GeModel, model, "model")
    if not (isinstance(sigma, int | float) and math.isfinite(sigma) and sigma > 1):
        raise InputError(
            f"sigma must be a number above 1 (5 is common), not {sigma!r}",
            details={"option": "sigma", "value": str(sigma)},
        )
    if draws < 0:
        raise InputError(f"draws must be >= 0, not {draws}", details={"option": "draws"})
    if covariance is not None and not draws:
        raise InputError(
            "a covariance matrix is used only by Monte Carlo draws; give draws= too (200 is common)",
            details={"option": "covariance"},
        )
    return chosen


def _resolve(
    coefficients: Any,
    cost_variables: Sequence[str] | None,
    raw: pd.DataFrame,
    mapping: Mapping[str, str] | None,
    parsed: Sequence[CostChange],
) -> tuple[tuple[CostCoefficient, ...], set[str], list[str]]:
    """The coefficients used, which of them are constants, and the data's cost variables;
    a coefficient or a change naming no column of the data is an ``InputError``."""
    coefs = read_coefficients(coefficients)
    if cost_variables is not None:
        wanted = list(cost_variables)
        unknown = [v for v in wanted if v not in {c.var for c in coefs}]
        if unknown:
            raise InputError(
                f"cost variable(s) {', '.join(unknown)} have no coefficient; coefficients: "
                f"{', '.join(c.var for c in coefs)}",
                details={"option": "cost_variables", "value": unknown},
            )
        coefs = tuple(c for c in coefs if c.var in wanted)
    names = set(map(str, raw.columns)) | set((mapping or {}).keys())
    constants = {c.var for c in coefs if c.var.lower() in CONSTANT_NAMES and c.var not in names}
    variables = [c.var for c in coefs if c.var not in constants]
    named = f" in {coefficients}" if isinstance(coefficients, str | Path) else ""
    for v in variables:
        if variable_column(names, v) is None:
            raise InputError(
                f"the coefficients{named} name {v!r}, which is not a column of the baseline "
                f"data (nor the log of one: ln_X or log(X) of a column X); columns: "
                f"{', '.join(map(str, raw.columns))}",
                details={"option": "coefficients", "value": v},
            )
    for ch in parsed:
        if ch.var != AD_VALOREM and ch.var not in variables:
            raise InputError(
                f"the change {ch.text!r} names {ch.var!r}, which is not a cost variable; "
                f"cost variables: {', '.join(variables) or 'none'} (or {AD_VALOREM} for an "
                "ad valorem cost equivalent)",
                details={"option": "changes", "value": ch.var},
            )
    return coefs, constants, variables


def _changes(changes: str | Sequence[str | CostChange]) -> tuple[CostChange, ...]:
    items: list[str | CostChange] = (
        [c for c in changes.split(";") if c.strip()] if isinstance(changes, str) else list(changes)
    )
    out = tuple(c if isinstance(c, CostChange) else parse_change(c) for c in items)
    if not out:
        raise InputError(
            "give at least one change, such as pta=1@CAN-JPN,JPN-CAN",
            details={"option": "changes"},
        )
    return out


def _reference(world: GeWorld, code: str | None) -> int:
    if code is None:
        return int(np.argmax(world.expenditure))
    return world.index(code, option="reference_importer")


def _mask(world: GeWorld, change: CostChange) -> np.ndarray[Any, Any]:
    n = len(world.countries)
    mask = np.zeros((n, n), dtype=bool)
    domestic = np.eye(n, dtype=bool)
    for a, b in change.pairs:
        rows = slice(None) if a == "*" else world.index(a, option="changes")
        cols = slice(None) if b == "*" else world.index(b, option="changes")
        sub = np.zeros((n, n), dtype=bool)
        sub[rows, cols] = True
        if a == "*" or b == "*":
            sub &= ~domestic
        mask |= sub
    return mask


def _apply(
    world: GeWorld, changes: Sequence[CostChange]
) -> tuple[dict[str, np.ndarray[Any, Any]], tuple[AppliedChange, ...]]:
    new = {k: v.copy() for k, v in world.variables.items()}
    applied = []
    for ch in changes:
        mask = _mask(world, ch)
        if ch.var == AD_VALOREM:
            applied.append(AppliedChange(ch.text, ch.var, int(mask.sum())))
            continue
        before = new[ch.var].copy()
        if ch.operator == "=":
            new[ch.var][mask] = ch.value
        elif ch.operator == "+=":
            new[ch.var][mask] += ch.value
        else:
            new[ch.var][mask] *= ch.value
        applied.append(AppliedChange(ch.text, ch.var, int((new[ch.var] != before).sum())))
    return new, tuple(applied)


def _ad_valorem(
    world: GeWorld, changes: Sequence[CostChange], sigma: float
) -> np.ndarray[Any, Any]:
    """The log shift of ``t^(1-σ)`` from ``ad_valorem`` changes (0 where none applies)."""
    n = len(world.countries)
    shift = np.zeros((n, n))
    for ch in changes:
        if ch.var == AD_VALOREM:
            factor = (1.0 - ch.share) + ch.share * (1.0 + ch.value) ** (1.0 - sigma)
            shift[_mask(world, ch)] += math.log(factor)
    return shift


def _costs(stack: np.ndarray[Any, Any] | None, beta: np.ndarray[Any, Any], const: float,
           n: int) -> np.ndarray[Any, Any]:  # fmt: skip
    log_t = np.full((n, n), const) if stack is None else np.tensordot(beta, stack, axes=1) + const
    out: np.ndarray[Any, Any] = np.exp(log_t)
    return out


def _solve(
    stack: np.ndarray[Any, Any] | None,
    new_stack: np.ndarray[Any, Any] | None,
    beta: np.ndarray[Any, Any],
    const: float,
    shift: np.ndarray[Any, Any],
    world: GeWorld,
    sigma: float,
    ref: int,
    model: str,
) -> Solution:
    n = len(world.countries)
    base = _costs(stack, beta, const, n)
    new = _costs(new_stack, beta, const, n) * np.exp(shift)
    if not (np.isfinite(base).all() and (base > 0).all() and np.isfinite(new).all()):
        raise EstimationError(
            "the trade costs exp(Σ β·x) overflow or vanish for some pairs; check the "
            "coefficients and the units of the cost variables (log distance, not km)",
            details={"countries": n},
        )
    return solve(base, new, world.output, world.expenditure, sigma=sigma, reference=ref,
                 model=model)  # fmt: skip


def _pct(new: np.ndarray[Any, Any], old: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray[Any, Any] = np.where(old != 0, 100.0 * (new / old - 1.0), np.nan)
    return out


def _country_columns(s: Solution) -> dict[str, np.ndarray[Any, Any]]:
    """Every :class:`CountryEffect` figure as an array over the countries."""
    k = 1.0 / (s.sigma - 1.0)
    b, c, f = s.baseline, s.conditional, s.counterfactual
    imr = [st.inward**k for st in (b, c, f)]  # P = (1/P^(1-σ))^(1/(σ-1))
    omr = [st.outward**k for st in (b, c, f)]
    off = ~np.eye(len(b.price), dtype=bool)
    fx = [(st.trade * off).sum(axis=1) for st in (b, c, f)]
    fm = [(st.trade * off).sum(axis=0) for st in (b, c, f)]
    intra = [np.diag(st.trade) for st in (b, c, f)]
    real = f.price * imr[0] / imr[2]  # real output: (Y'/P') / (Y/P)
    spend = f.expenditure / b.expenditure
    real_spend = spend * imr[0] / imr[2]  # real expenditure: (E'/P') / (E/P)
    price_pct = 100.0 * (f.price - 1.0)
    return {
        "output_baseline": b.output,
        "expenditure_baseline": b.expenditure,
        "factory_gate_price_change_pct": price_pct,
        "output_change_pct": price_pct,
        "expenditure_change_pct": 100.0 * (spend - 1.0),
        "gdp_change_pct": 100.0 * (real - 1.0),
        "welfare_statistic": 1.0 / real_spend,  # gegravity's (E/P) / (E'/P')
        "welfare_change_pct": 100.0 * (real_spend - 1.0),
        "terms_of_trade_change_pct": 100.0 * (real - 1.0),
        "imr_baseline": imr[0],
        "imr_conditional": imr[1],
        "imr_counterfactual": imr[2],
        "imr_change_pct": 100.0 * (imr[2] / imr[0] - 1.0),
        "imr_conditional_change_pct": 100.0 * (imr[1] / imr[0] - 1.0),
        "omr_baseline": omr[0],
        "omr_conditional": omr[1],
        "omr_counterfactual": omr[2],
        "omr_change_pct": 100.0 * (omr[2] / omr[0] - 1.0),
        "omr_conditional_change_pct": 100.0 * (omr[1] / omr[0] - 1.0),
        "foreign_exports_baseline": fx[0],
        "foreign_exports_counterfactual": fx[2],
        "foreign_exports_change_pct": _pct(fx[2], fx[0]),
        "foreign_exports_conditional_change_pct": _pct(fx[1], fx[0]),
        "foreign_imports_baseline": fm[0],
        "foreign_imports_counterfactual": fm[2],
        "foreign_imports_change_pct": _pct(fm[2], fm[0]),
        "foreign_imports_conditional_change_pct": _pct(fm[1], fm[0]),
        "intranational_trade_baseline": intra[0],
        "intranational_trade_counterfactual": intra[2],
        "intranational_trade_change_pct": _pct(intra[2], intra[0]),
    }


def _effects(
    world: GeWorld, s: Solution
) -> tuple[tuple[CountryEffect, ...], tuple[PairEffect, ...]]:
    b, c, f = s.baseline, s.conditional, s.counterfactual
    cols = _country_columns(s)
    countries = tuple(
        CountryEffect(country=code, **{name: float(v[i]) for name, v in cols.items()})
        for i, code in enumerate(world.countries)
    )
    n = len(world.countries)
    cost_pct = _pct(s.new_costs, s.costs)
    change, cond = _pct(f.trade, b.trade), _pct(c.trade, b.trade)
    pairs = tuple(
        PairEffect(
            exporter=world.countries[i],
            importer=world.countries[j],
            trade_observed=float(world.trade[i, j]),
            trade_baseline=float(b.trade[i, j]),
            trade_conditional=float(c.trade[i, j]),
            trade_counterfactual=float(f.trade[i, j]),
            change_pct=float(change[i, j]),
            conditional_change_pct=float(cond[i, j]),
            cost_change_pct=float(cost_pct[i, j]),
        )
        for i in range(n)
        for j in range(n)
    )
    return countries, pairs


# --------------------------------------------------------------------------- Monte Carlo

#: The country figures given Monte Carlo intervals.
INTERVAL_MEASURES = (
    "gdp_change_pct",
    "welfare_change_pct",
    "factory_gate_price_change_pct",
    "foreign_exports_change_pct",
    "foreign_imports_change_pct",
)


def _draws(
    coefs: Sequence[CostCoefficient],
    covariance: pd.DataFrame | str | Path | None,
    draws: int,
    seed: int,
) -> np.ndarray[Any, Any]:
    rng = np.random.default_rng(seed)
    mean = np.array([c.beta for c in coefs])
    names = [c.var for c in coefs]
    if covariance is not None:
        cov = _covariance(covariance, names)
        out: np.ndarray[Any, Any] = rng.multivariate_normal(mean, cov, size=draws,
                                                            method="eigh")  # fmt: skip
        return out
    sd = np.array([c.stderr if c.stderr is not None else 0.0 for c in coefs])
    if not (sd > 0).any():
        raise InputError(
            "Monte Carlo draws need the coefficients' standard errors (a stderr column in "
            "coefficients) or a covariance matrix (covariance=)",
            details={"option": "draws"},
        )
    drawn: np.ndarray[Any, Any] = mean + rng.standard_normal((draws, len(coefs))) * sd
    return drawn


def _covariance(source: pd.DataFrame | str | Path, names: Sequence[str]) -> np.ndarray[Any, Any]:
    where = str(source) if isinstance(source, str | Path) else "<covariance>"
    frame = read_table(source, what="covariance file") if isinstance(source, str | Path) else source
    if "var" in frame.columns:
        frame = frame.set_index("var")
    frame.index = frame.index.map(str)
    missing = [n for n in names if n not in frame.index or n not in frame.columns]
    if missing:
        raise SchemaError(
            f"the covariance matrix has no row or column for {', '.join(missing)}",
            path=where,
            expected="a square table with a var column and one column per coefficient",
        )
    cov = frame.loc[list(names), list(names)].to_numpy(dtype="float64")
    if not np.allclose(cov, cov.T, rtol=1e-8, atol=1e-12):
        raise ValidationError("the covariance matrix is not symmetric", path=where,
                              expected="a symmetric matrix")  # fmt: skip
    lowest = float(np.linalg.eigvalsh(cov).min())
    if lowest < -1e-10 * max(float(np.abs(cov).max()), 1e-300):
        raise ValidationError(
            f"the covariance matrix is not positive semi-definite (smallest eigenvalue "
            f"{lowest:.3g}): no distribution has it, so no draw can be made from it",
            path=where,
            expected="a covariance matrix as the estimation printed it (e.g. pyfixest's "
            "fit._vcov, Stata's e(V))",
        )
    out: np.ndarray[Any, Any] = cov
    return out


def _monte_carlo(
    result: ScenarioResult,
    coefs: Sequence[CostCoefficient],
    constants: set[str],
    variables: Sequence[str],
    stack: np.ndarray[Any, Any] | None,
    new_stack: np.ndarray[Any, Any] | None,
    shift: np.ndarray[Any, Any],
    world: GeWorld,
    ref: int,
    draws: int,
    seed: int,
    covariance: pd.DataFrame | str | Path | None,
) -> ScenarioResult:
    sample = _draws(coefs, covariance, draws, seed)
    is_var = np.array([c.var not in constants for c in coefs])
    shocked = [(p.exporter, p.importer) for p in result.pairs if p.cost_change_pct != 0]
    shocked_idx = [(world.index(a), world.index(b)) for a, b in shocked]
    country_rows: list[np.ndarray[Any, Any]] = []
    pair_rows: list[np.ndarray[Any, Any]] = []
    failed = 0
    for row in sample:
        try:
            sol = _solve(stack, new_stack, row[is_var], float(row[~is_var].sum()), shift,
                         world, result.sigma, ref, result.model)  # fmt: skip
        except EstimationError:
            failed += 1
            continue
        cols = _country_columns(sol)
        country_rows.append(np.stack([cols[m] for m in INTERVAL_MEASURES], axis=1))
        pair_rows.append(np.array([_pct(sol.counterfactual.trade, sol.baseline.trade)[i, j]
                                   for i, j in shocked_idx]))  # fmt: skip
    if not country_rows:
        raise EstimationError(
            f"none of the {draws} Monte Carlo draws solved; check the standard errors",
            details={"draws": draws},
        )
    cube = np.stack(country_rows)  # draws × countries × measures
    lo, mid, hi = np.nanpercentile(cube, [2.5, 50.0, 97.5], axis=0)
    intervals = [
        Interval(code, m, float(lo[i, k]), float(mid[i, k]), float(hi[i, k]))
        for i, code in enumerate(world.countries)
        for k, m in enumerate(INTERVAL_MEASURES)
    ]
    if shocked:
        pcube = np.stack(pair_rows)
        plo, pmid, phi = np.nanpercentile(pcube, [2.5, 50.0, 97.5], axis=0)
        intervals += [
            Interval(f"{a}-{b}", "trade_change_pct", float(plo[k]), float(pmid[k]), float(phi[k]))
            for k, (a, b) in enumerate(shocked)
        ]
    return replace(result, draws=draws, draws_failed=failed, intervals=tuple(intervals))
