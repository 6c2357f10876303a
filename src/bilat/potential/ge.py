"""General-equilibrium counterfactuals with structural gravity: the solver.

The model is the one-sector endowment economy of Anderson & van Wincoop (2003) as written by
Yotov, Piermartini, Monteiro & Larch (2016, ch. 2). With ``T_ij = t_ij^(1-σ) =
exp(Σ_k β_k x_k,ij)`` the trade costs, ``y_i = Y_i / ΣY`` and ``e_j = E_j / ΣE`` the output and
expenditure shares, the multilateral resistances solve

    Π_i^(1-σ) = Σ_j T_ij · e_j / P_j^(1-σ)      (outward, exporter i)
    P_j^(1-σ) = Σ_i T_ij · y_i / Π_i^(1-σ)      (inward, importer j)

with the reference importer's ``P = 1``, and trade is ``X_ij = T_ij · y_i · E_j /
(Π_i^(1-σ) P_j^(1-σ))``. The factory-gate price of country ``i`` satisfies
``p_i^(1-σ) = y_i / (β_i · Π_i^(1-σ))``; its constant ``β_i`` is calibrated so that every
baseline price is 1.

Three solutions of a change in trade costs ``T → T'``:

*conditional*
    prices, output and expenditure held at the baseline; only the resistances respond.
*full* (full endowment, the textbook's)
    output ``Y'_i = p_i Y_i`` and expenditure ``E'_j = φ_j Y'_j`` (``φ = E/Y`` held, times
    one common factor that keeps world expenditure in its baseline ratio to world output,
    so that trade adds up) move with the prices, and the shares in the resistance
    equations move with them; solved to a fixed point in the prices.
*gegravity*
    the formulation of USITC's ``gegravity`` (Herman 2021): the resistances are solved
    with the baseline shares (so they equal the conditional ones) and the prices follow
    from the change in outward resistance, ``p_i = Π_i / Π'_i``; kept so its published
    results can be reproduced and compared.

The resistances are found by alternating scaling (the Sinkhorn–Knopp iteration: each half
step solves one set of equations exactly), which converges for any positive cost matrix;
the functions here take and return NumPy arrays. :mod:`bilat.potential.scenario` builds
the inputs from a table and shapes the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bilat.errors import EstimationError

__all__ = [
    "Equilibrium",
    "Resistances",
    "Solution",
    "SolverReport",
    "solve",
    "solve_resistances",
]

Array = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class SolverReport:
    """How one system was solved.

    Attributes
    ----------
    system
        ``"baseline resistances"``, ``"conditional resistances"``, ``"full endowment
        prices"`` or ``"gegravity prices"``.
    method
        The algorithm.
    iterations
        Iterations used.
    residual
        The largest absolute error left in the system's equations (each written as
        ``1 - right/left``).
    tolerance
        The convergence criterion (largest relative change between iterations).
    converged
        Whether the criterion was met.
    """

    system: str
    method: str
    iterations: int
    residual: float
    tolerance: float
    converged: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "system": self.system,
            "method": self.method,
            "iterations": self.iterations,
            "residual": self.residual,
            "tolerance": self.tolerance,
            "converged": self.converged,
        }


@dataclass(frozen=True, slots=True)
class Resistances:
    """Solved multilateral resistances, in the solver's form.

    ``inward`` is ``1 / P_j^(1-σ)`` and ``outward`` is ``1 / Π_i^(1-σ)`` (the reference
    importer's ``inward`` is 1); ``report`` says how they were found.
    """

    inward: Array
    outward: Array
    report: SolverReport


def solve_resistances(
    costs: Array,
    output_share: Array,
    expenditure_share: Array,
    reference: int,
    *,
    start: Array | None = None,
    tolerance: float = 1e-12,
    max_iter: int = 100_000,
    system: str = "resistances",
) -> Resistances:
    """Solve the multilateral-resistance system for ``costs`` (``T``, exporters × importers).

    ``output_share`` and ``expenditure_share`` must each sum to 1; ``reference`` is the
    index of the reference importer (its inward resistance is 1). ``start`` is an initial
    ``inward`` vector (a previous solution speeds up a nearby one). Raises
    ``EstimationError`` when the iteration does not converge within ``max_iter``.
    """
    t = np.asarray(costs, dtype="float64")
    y = np.asarray(output_share, dtype="float64")
    e = np.asarray(expenditure_share, dtype="float64")
    inward = np.ones(len(y)) if start is None else np.asarray(start, dtype="float64").copy()
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        outward = 1.0 / (t @ (e * inward))
        nxt = 1.0 / (t.T @ (y * outward))
        nxt /= nxt[reference]
        change = float(np.max(np.abs(nxt / inward - 1.0)))
        inward = nxt
        if change < tolerance:
            converged = True
            break
    outward = 1.0 / (t @ (e * inward))
    residual = max(
        float(np.max(np.abs(1.0 - outward * (t @ (e * inward))))),
        float(np.max(np.abs(1.0 - inward * (t.T @ (y * outward))))),
    )
    report = SolverReport(
        system=system,
        method="alternating scaling (Sinkhorn-Knopp)",
        iterations=iteration,
        residual=residual,
        tolerance=tolerance,
        converged=converged,
    )
    if not converged or not np.isfinite(residual):
        raise EstimationError(
            f"the {system} did not converge in {max_iter:,} iterations (largest residual "
            f"{residual:.3g}); check that every trade cost is positive and finite (no "
            "missing pair, no extreme coefficient), or raise max_iter",
            details={"system": system, "iterations": iteration, "residual": residual},
        )
    return Resistances(inward=inward, outward=outward, report=report)


@dataclass(frozen=True, slots=True)
class Equilibrium:
    """One solved state of the world economy (arrays indexed like the countries).

    ``price`` is the factory-gate price (1 in the baseline), ``output`` and ``expenditure``
    are in the data's unit, ``inward``/``outward`` are the resistances in the solver's form
    (see :class:`Resistances`), ``trade`` is the modelled trade matrix (exporters × importers).
    """

    price: Array
    output: Array
    expenditure: Array
    inward: Array
    outward: Array
    trade: Array


@dataclass(frozen=True, slots=True)
class Solution:
    """Baseline, conditional and counterfactual equilibria of one scenario, and the costs
    (``T`` and ``T'``) they were solved for."""

    model: str
    sigma: float
    costs: Array
    new_costs: Array
    baseline: Equilibrium
    conditional: Equilibrium
    counterfactual: Equilibrium
    reports: tuple[SolverReport, ...]


def _trade(costs: Array, output: Array, expenditure: Array, inward: Array, outward: Array) -> Array:
    share = output / output.sum()
    out: Array = costs * share[:, None] * expenditure[None, :] * inward[None, :] * outward[:, None]
    return out


def solve(
    baseline_costs: Array,
    counterfactual_costs: Array,
    output: Array,
    expenditure: Array,
    *,
    sigma: float,
    reference: int,
    model: str = "full",
    tolerance: float = 1e-12,
    max_iter: int = 100_000,
    price_tolerance: float = 1e-10,
    max_price_iter: int = 1_000,
) -> Solution:
    """Solve the baseline, the conditional and the counterfactual equilibrium.

    Parameters
    ----------
    baseline_costs, counterfactual_costs
        ``T`` and ``T'`` (exporters × importers, every pair including the domestic one).
    output, expenditure
        Baseline ``Y_i`` and ``E_j``.
    sigma
        Elasticity of substitution (> 1).
    reference
        Index of the reference importer (its inward resistance is 1 in every state).
    model
        ``"full"`` (full endowment) or ``"gegravity"`` (see the module docstring).

    Raises ``EstimationError`` when a system does not converge; the message says what to try.
    """
    y_level = np.asarray(output, dtype="float64")
    e_level = np.asarray(expenditure, dtype="float64")
    y, e = y_level / y_level.sum(), e_level / e_level.sum()
    power = 1.0 / (1.0 - sigma)
    kw: dict[str, Any] = {"tolerance": tolerance, "max_iter": max_iter}
    base = solve_resistances(
        baseline_costs, y, e, reference, system="baseline resistances", **kw
    )  # fmt: skip
    cond = solve_resistances(counterfactual_costs, y, e, reference, start=base.inward,
                             system="conditional resistances", **kw)  # fmt: skip
    calibration = y * base.outward  # β_i: the price equation holds with p = 1
    ones = np.ones(len(y))
    baseline = Equilibrium(ones, y_level, e_level, base.inward, base.outward,
                           _trade(baseline_costs, y_level, e_level, base.inward, base.outward))  # fmt: skip
    conditional = Equilibrium(ones, y_level, e_level, cond.inward, cond.outward,
                              _trade(counterfactual_costs, y_level, e_level, cond.inward,
                                     cond.outward))  # fmt: skip
    reports = [base.report, cond.report]
    if model == "gegravity":
        price = (cond.outward / base.outward) ** power
        inward, outward = cond.inward, cond.outward
        reports.append(SolverReport("gegravity prices", "closed form p = Π/Π'", 0, 0.0, 0.0, True))
    elif model == "full":
        price, final, report = _full_endowment(
            counterfactual_costs, y_level, e_level, calibration, reference, power, cond,
            kw, price_tolerance, max_price_iter,
        )  # fmt: skip
        inward, outward = final.inward, final.outward
        reports.append(report)
    else:  # pragma: no cover - validated by the caller
        raise ValueError(f"unknown model {model!r}")
    y_new, e_new = price * y_level, price * e_level
    if model == "full":
        # φ = E/Y is held for each country; one common factor keeps world expenditure in
        # its baseline ratio to world output, so that modelled trade still adds up.
        e_new = e_new * (e_level.sum() / y_level.sum()) * (y_new.sum() / e_new.sum())
    counterfactual = Equilibrium(price, y_new, e_new, inward, outward,
                                 _trade(counterfactual_costs, y_new, e_new, inward, outward))  # fmt: skip
    return Solution(model, float(sigma), np.asarray(baseline_costs), np.asarray(counterfactual_costs),
                    baseline, conditional, counterfactual, tuple(reports))  # fmt: skip


def _full_endowment(
    costs: Array,
    output: Array,
    expenditure: Array,
    calibration: Array,
    reference: int,
    power: float,
    start: Resistances,
    kw: dict[str, Any],
    tolerance: float,
    max_iter: int,
) -> tuple[Array, Resistances, SolverReport]:
    """Iterate prices → shares → resistances → prices until the prices settle.

    A step that would raise the change again is damped (halved, in logs), down to a floor;
    the report gives the iterations and the largest price-equation residual at the end.
    """
    price = np.ones(len(output))
    inward = start.inward
    step, previous = 1.0, np.inf
    change = np.inf
    mr = start
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        y_new, e_new = price * output, price * expenditure
        mr = solve_resistances(costs, y_new / y_new.sum(), e_new / e_new.sum(), reference,
                               start=inward, system="full endowment resistances", **kw)  # fmt: skip
        inward = mr.inward
        target = ((y_new / y_new.sum()) * mr.outward / calibration) ** power
        change = float(np.max(np.abs(np.log(target / price))))
        if change < tolerance:
            price = target
            break
        if change > previous:
            step = max(step / 2.0, 1.0 / 64.0)
        previous = change
        price = price * (target / price) ** step
    y_new = price * output
    residual = float(
        np.max(np.abs(1.0 - ((y_new / y_new.sum()) * mr.outward / calibration) ** power / price))
    )
    report = SolverReport(
        system="full endowment prices",
        method="fixed point in factory-gate prices (damped when it overshoots)",
        iterations=iteration,
        residual=residual,
        tolerance=tolerance,
        converged=change < tolerance,
    )
    if not report.converged:
        raise EstimationError(
            f"the full-endowment prices did not settle in {max_iter:,} iterations (last change "
            f"{change:.3g}); the shock may be too large for the model, or σ too close to 1: "
            "try a smaller change, another σ, or model='gegravity' / the conditional results",
            details={"system": report.system, "iterations": iteration, "change": change},
        )
    return price, mr, report
