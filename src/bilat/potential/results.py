"""What a gravity estimation returns: coefficients, the fit's account, fitted vs actual.

:class:`GravityFit` says what was estimated (method, formula as fitted, variance, fixed
effects), on what (observations, what was dropped and why, warnings) and with what result
(coefficients, fit statistics). A figure that does not apply is ``None``, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from bilat.errors import InputError, NotFoundError

if TYPE_CHECKING:
    import altair as alt

    from bilat.potential.spec import GravityConfig

__all__ = ["Coefficient", "Count", "Dropped", "DyadGravity", "GravityFit"]


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One estimated coefficient.

    Attributes
    ----------
    term
        Regressor name as pyfixest prints it (``log(dist_km)``, ``ln_dist``). For a log
        regressor the coefficient is an elasticity; for a 0/1 dummy, ``exp(estimate) - 1`` is
        the proportional effect on trade.
    estimate, std_error
        Point estimate and standard error (of the variance asked for: ``vcov``).
    statistic, p_value
        t statistic and its two-sided p-value (t distribution with G-1 degrees of freedom
        for clustered variances, N-K otherwise, as pyfixest).
    ci_low, ci_high
        95% confidence interval.
    """

    term: str
    estimate: float
    std_error: float
    statistic: float
    p_value: float
    ci_low: float
    ci_high: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "term": self.term,
            "estimate": self.estimate,
            "std_error": self.std_error,
            "statistic": self.statistic,
            "p_value": self.p_value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
        }


@dataclass(frozen=True, slots=True)
class Count:
    """How many levels a fixed effect, or how many clusters a cluster variable, has in the
    estimation sample. ``name`` is the term as written (``exporter^year``, ``Origin``)."""

    name: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        """``{"name": ..., "count": ...}``."""
        return {"name": self.name, "count": self.count}


@dataclass(frozen=True, slots=True)
class Dropped:
    """Rows of the panel left out of the estimation for one reason (``rows`` may be 0: the
    check ran and found nothing)."""

    reason: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        """``{"reason": ..., "rows": ...}``."""
        return {"reason": self.reason, "rows": self.rows}


@dataclass(frozen=True)
class DyadGravity:
    """Fitted against actual trade for one direction of one pair.

    Attributes
    ----------
    exporter, importer
        Codes as in the panel.
    year
        The year compared (``None`` for a panel without a year column).
    actual_usd
        Observed trade (unit of the panel; US dollars from the lake), added over products
        for a product-level panel.
    fitted_usd
        The model's prediction for the pair and year (``exp`` of the fitted log under OLS).
    gap_usd
        ``fitted_usd - actual_usd``: positive when trade is below what gravity predicts.
    ratio
        ``actual_usd / fitted_usd`` (1 = on the model; 0.5 = half of it).
    caveats
        What a trade economist would say before anyone quotes the gap.
    series
        Every sample year: ``year, actual_usd, fitted_usd`` (pandas).
    """

    exporter: str
    importer: str
    year: int | None
    actual_usd: float
    fitted_usd: float
    gap_usd: float
    ratio: float
    caveats: tuple[str, ...]
    series: pd.DataFrame = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, series included as a list of records."""
        return {
            "exporter": self.exporter,
            "importer": self.importer,
            "year": self.year,
            "actual_usd": self.actual_usd,
            "fitted_usd": self.fitted_usd,
            "gap_usd": self.gap_usd,
            "ratio": self.ratio,
            "caveats": list(self.caveats),
            "series": self.series.to_dict(orient="records"),
        }

    def to_pandas(self) -> pd.DataFrame:
        """The series: ``year, actual_usd, fitted_usd, gap_usd``."""
        out = self.series.copy()
        out["gap_usd"] = out["fitted_usd"] - out["actual_usd"]
        return out

    def chart(self) -> alt.Chart:
        """Actual and fitted trade over the sample years (Altair line chart)."""
        import altair as alt

        long = self.series.melt("year", var_name="measure", value_name="usd")
        long["measure"] = long["measure"].map({"actual_usd": "actual", "fitted_usd": "gravity"})
        chart: alt.Chart = (
            alt.Chart(long, title=f"{self.exporter} → {self.importer}: actual vs gravity")
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title="year"),
                y=alt.Y("usd:Q", title="trade (USD)"),
                color=alt.Color("measure:N", title=None),
            )
        )
        return chart


@dataclass(frozen=True)
class GravityFit:
    """A fitted gravity model.

    Attributes
    ----------
    coefficients
        One :class:`Coefficient` per regressor, in pyfixest's order.
    config
        The specification estimated.
    formula
        The formula as fitted (pyfixest's syntax; ``ln_X`` terms of the default
        specification are ``log(X)`` computed beforehand).
    n_obs
        Observations used.
    n_dropped
        Rows of the selected sample (after the years and the domestic-flow selections) left
        out of the estimation: the sum of ``dropped`` without those two selections.
    dropped
        Every reason rows were left out, with the rows it took (:class:`Dropped`): years
        outside the sample, domestic flows, zero or negative trade under OLS, missing or
        non-finite values, singleton fixed effects, separation (PPML).
    separation_rows
        Rows dropped for separation (``None`` under OLS, where it does not arise).
    fixed_effects
        Each fixed-effect term with its number of levels in the sample (:class:`Count`).
    clusters
        Each cluster variable with its number of clusters (empty for ``hetero``, ``iid``).
    n_clusters
        Clusters of a one-way clustered variance (``None`` for two-way, hetero, iid).
    n_exporter_years, n_importer_years
        Levels of the exporter-year and importer-year effects, when the model has them.
    converged
        Whether PPML's iterations converged (``None`` for OLS, solved in one step).
    iterations
        Iterations taken; ``None``: pyfixest 0.60 does not report them.
    r2
        PPML: squared correlation of fitted and actual trade (the R² the book reports);
        OLS: pyfixest's R² of the log regression. ``None`` when the dependent variable is
        an expression other than a column or its log.
    pseudo_r2
        McFadden pseudo R² from pyfixest (PPML; ``None`` for OLS).
    years
        Years in the estimation sample (``None`` without a year column).
    warnings
        What the user should know about the specification (a product panel without a
        product fixed effect, a panel without exporter and importer columns).
    fitted
        Estimation sample: ``exporter, importer[, year][, product], trade, fitted``
        (pandas), ``trade`` being the dependent column; ``None`` when no dyad can be
        compared (no exporter or importer column, or an expression as dependent variable).
    """

    coefficients: tuple[Coefficient, ...]
    config: GravityConfig
    formula: str
    n_obs: int
    n_dropped: int
    dropped: tuple[Dropped, ...]
    separation_rows: int | None
    fixed_effects: tuple[Count, ...]
    clusters: tuple[Count, ...]
    n_clusters: int | None
    n_exporter_years: int | None
    n_importer_years: int | None
    converged: bool | None
    iterations: int | None
    r2: float | None
    pseudo_r2: float | None
    years: tuple[int, ...] | None
    warnings: tuple[str, ...] = ()
    fitted: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    no_dyad: str = field(default="", repr=False, compare=False)
    adds_up: bool = field(default=False, repr=False, compare=False)

    @property
    def terms(self) -> tuple[str, ...]:
        """The regressors' names, in the order of :attr:`coefficients`."""
        return tuple(c.term for c in self.coefficients)

    def coefficient(self, term: str) -> Coefficient:
        """The coefficient of ``term``; ``NotFoundError`` when it is not in the model."""
        for c in self.coefficients:
            if c.term == term:
                return c
        raise NotFoundError(
            f"no term {term!r} in the model; terms are {', '.join(self.terms)}",
            details={"value": term},
        )

    def to_pandas(self) -> pd.DataFrame:
        """Coefficient table: one row per term."""
        return pd.DataFrame([c.to_dict() for c in self.coefficients])

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the specification, the account of the sample, the coefficients and
        fit statistics; not the fitted sample)."""
        cfg = self.config
        return {
            "method": cfg.method,
            "formula": self.formula,
            "coefficients": [c.to_dict() for c in self.coefficients],
            "terms": list(self.terms),
            "vcov": {
                "type": cfg.vcov.kind,
                "text": cfg.vcov.text,
                "small_sample": cfg.small_sample,
                "clusters": [c.to_dict() for c in self.clusters],
            },
            "cluster": cfg.cluster,
            "small_sample": cfg.small_sample,
            "domestic": cfg.domestic,
            "columns": dict(cfg.columns),
            "years": None if self.years is None else list(self.years),
            "n_obs": self.n_obs,
            "n_dropped": self.n_dropped,
            "dropped": [d.to_dict() for d in self.dropped],
            "separation": None
            if self.separation_rows is None
            else {"method": cfg.separation, "rows": self.separation_rows},
            "fixed_effects": [f.to_dict() for f in self.fixed_effects],
            "n_clusters": self.n_clusters,
            "n_exporter_years": self.n_exporter_years,
            "n_importer_years": self.n_importer_years,
            "converged": self.converged,
            "iterations": self.iterations,
            "r2": self.r2,
            "pseudo_r2": self.pseudo_r2,
            "warnings": list(self.warnings),
        }

    def dyad(self, exporter: str, importer: str, *, year: int | None = None) -> DyadGravity:
        """Fitted against actual trade from ``exporter`` to ``importer``.

        ``year`` defaults to the latest sample year in which the pair is observed. A
        product-level panel's rows are added up by year. Raises ``NotFoundError`` when the
        pair is not in the estimation sample, ``InputError`` when the model has no dyads
        to compare (see :attr:`fitted`).
        """
        if self.fitted is None:
            raise InputError(self.no_dyad, details={"option": "dyad"})
        exp, imp = exporter.strip().upper(), importer.strip().upper()
        f = self.fitted
        rows = f[(f["exporter"] == exp) & (f["importer"] == imp)]
        if rows.empty:
            raise NotFoundError(
                f"{exp} → {imp} is not in the estimation sample (no row in the panel, or "
                "dropped for missing covariates); check the codes and the covariates file",
                details={"exporter": exp, "importer": imp},
            )
        series = _series(rows)
        if year is not None and "year" not in rows.columns:
            raise InputError(
                "the panel has no year column; compare the dyad without a year",
                details={"option": "year", "value": year},
            )
        yr = series["year"].iloc[-1] if year is None else int(year)
        row = series[series["year"] == yr] if "year" in rows.columns else series
        if row.empty:
            raise NotFoundError(
                f"{exp} → {imp} has no observation in {yr}; sample years for the pair: "
                f"{', '.join(map(str, series['year']))}",
                details={"exporter": exp, "importer": imp, "year": yr},
            )
        actual, fitted = float(row["actual_usd"].iloc[0]), float(row["fitted_usd"].iloc[0])
        return DyadGravity(
            exporter=exp,
            importer=imp,
            year=None if yr is None or pd.isna(yr) else int(yr),
            actual_usd=actual,
            fitted_usd=fitted,
            gap_usd=fitted - actual,
            ratio=actual / fitted if fitted > 0 else math.nan,
            caveats=_caveats(self),
            series=series,
        )

    def chart(self) -> alt.LayerChart:
        """Coefficients with 95% intervals (Altair)."""
        import altair as alt

        data = self.to_pandas()
        base = alt.Chart(data, title="Gravity coefficients (95% CI)").encode(
            y=alt.Y("term:N", sort=list(self.terms), title=None)
        )
        rules = base.mark_rule().encode(x=alt.X("ci_low:Q", title="estimate"), x2="ci_high:Q")
        layered: alt.LayerChart = rules + base.mark_point(filled=True).encode(x="estimate:Q")
        return layered


def _series(rows: pd.DataFrame) -> pd.DataFrame:
    """Actual and fitted by year (added over products), or one row without a year."""
    renamed = rows.rename(columns={"trade": "actual_usd", "fitted": "fitted_usd"})
    if "year" not in rows.columns:
        sums = renamed[["actual_usd", "fitted_usd"]].sum()
        return pd.DataFrame({"year": [None], **{k: [float(v)] for k, v in sums.items()}})
    out = renamed.groupby("year", as_index=False)[["actual_usd", "fitted_usd"]].sum()
    return out.sort_values("year", ignore_index=True)


def _caveats(fit: GravityFit) -> tuple[str, ...]:
    cfg = fit.config
    out = [
        "The fitted value is what a country pair with these covariates would trade given the "
        "fixed effects (for exporter-year and importer-year effects: both countries' total "
        "sales and purchases that year); the gap is the pair's residual, not a target.",
        "The residual holds everything the covariates leave out: trade agreements and "
        "sanctions not modelled, transit and re-exports, misreporting and valuation "
        "(CIF/FOB) differences.",
    ]
    if fit.adds_up:
        out.append(
            "With exporter-year and importer-year fixed effects, PPML reproduces each "
            "country's total exports and imports exactly: a shortfall with one partner is "
            "matched by excess trade with others."
        )
    if cfg.method == "ols":
        out.append(
            "Estimated by OLS on log trade: the fitted value is exp(predicted log trade), a "
            "geometric mean that falls below the expected flow when errors vary across pairs "
            "(PPML, the default, estimates levels), and zero flows were left out."
        )
    out += [
        "This is partial equilibrium: closing a gap would change prices and multilateral "
        "resistance everywhere, which the fitted value ignores.",
        "Fitted values depend on the sample of countries and years and on the distance "
        "measure; compare gaps within one model, not across models.",
    ]
    if fit.fitted is not None and "product" in fit.fitted.columns:
        out.append("The panel is by product: actual and fitted flows are added over products.")
    if not cfg.domestic:
        out.append(
            "Estimated on international flows only: effects of borders and globalisation "
            "are not identified."
        )
    return tuple(out)
