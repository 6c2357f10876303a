"""Structural gravity: PPML with exporter-year and importer-year fixed effects.

The model (Yotov, Piermartini, Monteiro & Larch 2016, eq. 1-28)::

    X_ij,t = exp(π_i,t + χ_j,t + β·z_ij,t) · ε_ij,t

is estimated by Poisson pseudo-maximum likelihood through ``pyfixest.fepois``, with the
fixed effects absorbed and standard errors clustered by country pair. :func:`estimate`
validates, freezes a :class:`GravityConfig`, prepares the frame (:func:`prepare`) and
delegates (:func:`fit_prepared`).

Small-sample conventions (``small_sample``):

``"fixest"``
    pyfixest's (and R fixest's) default: ``(N-1)/(N-K) · G/(G-1)`` on the clustered
    covariance, where K counts the slopes and the fixed effects not nested in the clusters.
``"stata"``
    Stata ``ppml``/``poisson, cluster()``: ``G/(G-1)`` only. Reproduces the book's tables.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bilat.errors import EstimationError, InputError, NotFoundError
from bilat.options import CLUSTERS, SMALL_SAMPLES, Cluster, SmallSample, choice
from bilat.potential.panel import PANEL_COLUMNS, validate_panel

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "CLUSTERS",
    "DEFAULT_TERMS",
    "SMALL_SAMPLES",
    "Cluster",
    "Coefficient",
    "DyadGravity",
    "GravityConfig",
    "GravityFit",
    "SmallSample",
    "estimate",
    "fit_prepared",
    "formula",
    "prepare",
]


#: The textbook specification: log distance, contiguity, common language, colonial link.
DEFAULT_TERMS: tuple[str, ...] = ("ln_dist", "cntg", "lang", "clny")

_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FE = ("exp_year", "imp_year")
_CLUSTER_COL = "cluster_pair"


@dataclass(frozen=True, slots=True)
class GravityConfig:
    """A validated gravity specification.

    Attributes
    ----------
    terms
        Regressors: panel columns, or ``ln_<column>`` for the natural log of a column.
    years
        Years in the estimation sample (``None``: every year of the panel).
    cluster
        Clustering of standard errors (see :data:`CLUSTERS`).
    small_sample
        Small-sample convention (see module docstring).
    domestic
        Keep domestic flows (exporter == importer); the textbook Application 1 drops them.
    """

    terms: tuple[str, ...] = DEFAULT_TERMS
    years: tuple[int, ...] | None = None
    cluster: Cluster = "pair"
    small_sample: SmallSample = "fixest"
    domestic: bool = False

    @classmethod
    def make(
        cls,
        *,
        terms: Sequence[str] = DEFAULT_TERMS,
        years: Sequence[int] | None = None,
        cluster: str = "pair",
        small_sample: str = "fixest",
        domestic: bool = False,
    ) -> GravityConfig:
        """Validate options and build the config; raises ``InputError`` naming the option."""
        terms = tuple(terms)
        if not terms:
            raise InputError("give at least one regressor (term)", details={"option": "terms"})
        for t in terms:
            if not _TERM.match(t):
                raise InputError(
                    f"term {t!r} is not a column name; expected letters, digits and _ "
                    "(ln_<column> for a log)",
                    details={"option": "terms", "value": t},
                )
        if len(set(terms)) != len(terms):
            raise InputError(f"terms repeat: {', '.join(terms)}", details={"option": "terms"})
        return cls(
            terms=terms,
            years=tuple(sorted({int(y) for y in years})) if years is not None else None,
            cluster=choice(Cluster, cluster, "cluster"),
            small_sample=choice(SmallSample, small_sample, "small_sample"),
            domestic=bool(domestic),
        )


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One estimated coefficient.

    Attributes
    ----------
    term
        Regressor name. For ``ln_`` terms the coefficient is an elasticity; for a 0/1 dummy,
        ``exp(estimate) - 1`` is the proportional effect on trade.
    estimate, std_error
        Point estimate and clustered standard error.
    statistic, p_value
        t statistic and its two-sided p-value (t distribution with G-1 degrees of freedom).
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


@dataclass(frozen=True)
class DyadGravity:
    """Fitted against actual trade for one direction of one pair.

    Attributes
    ----------
    exporter, importer
        ISO3 codes.
    year
        The year compared.
    actual_usd
        Observed trade (unit of the panel; US dollars from the lake).
    fitted_usd
        The model's prediction for the pair and year.
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
    year: int
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
        One :class:`Coefficient` per term, in the order of ``config.terms``.
    config
        The specification estimated.
    n_obs
        Observations used.
    n_dropped
        Rows of the panel left out: missing or non-positive covariates (for ``ln_`` terms),
        plus rows pyfixest drops (singleton fixed effects, separation).
    n_clusters
        Number of clusters (pairs).
    n_exporter_years, n_importer_years
        Number of fixed effects of each kind.
    r2
        Squared correlation of fitted and actual trade (the R² the book reports for PPML).
    pseudo_r2
        McFadden pseudo R² from pyfixest.
    years
        Years in the estimation sample.
    fitted
        Estimation sample: ``exporter, importer, year, trade, fitted`` (pandas).
    """

    coefficients: tuple[Coefficient, ...]
    config: GravityConfig
    n_obs: int
    n_dropped: int
    n_clusters: int
    n_exporter_years: int
    n_importer_years: int
    r2: float
    pseudo_r2: float
    years: tuple[int, ...]
    fitted: pd.DataFrame = field(repr=False, compare=False)

    def coefficient(self, term: str) -> Coefficient:
        """The coefficient of ``term``; ``NotFoundError`` when it is not in the model."""
        for c in self.coefficients:
            if c.term == term:
                return c
        raise NotFoundError(
            f"no term {term!r} in the model; terms are {', '.join(self.config.terms)}",
            details={"value": term},
        )

    def to_pandas(self) -> pd.DataFrame:
        """Coefficient table: one row per term."""
        return pd.DataFrame([_asdict(c) for c in self.coefficients])

    def to_dict(self) -> dict[str, Any]:
        """Plain data (coefficients and fit statistics, not the fitted sample)."""
        return {
            "coefficients": [_asdict(c) for c in self.coefficients],
            "terms": list(self.config.terms),
            "cluster": self.config.cluster,
            "small_sample": self.config.small_sample,
            "domestic": self.config.domestic,
            "years": list(self.years),
            "n_obs": self.n_obs,
            "n_dropped": self.n_dropped,
            "n_clusters": self.n_clusters,
            "n_exporter_years": self.n_exporter_years,
            "n_importer_years": self.n_importer_years,
            "r2": self.r2,
            "pseudo_r2": self.pseudo_r2,
        }

    def dyad(self, exporter: str, importer: str, *, year: int | None = None) -> DyadGravity:
        """Fitted against actual trade from ``exporter`` to ``importer``.

        ``year`` defaults to the latest sample year in which the pair is observed. Raises
        ``NotFoundError`` when the pair is not in the estimation sample.
        """
        exp, imp = exporter.strip().upper(), importer.strip().upper()
        rows = self.fitted[(self.fitted["exporter"] == exp) & (self.fitted["importer"] == imp)]
        if rows.empty:
            raise NotFoundError(
                f"{exp} → {imp} is not in the estimation sample (no row in the panel, or "
                "dropped for missing covariates); check the codes and the covariates file",
                details={"exporter": exp, "importer": imp},
            )
        series = (
            rows[["year", "trade", "fitted"]]
            .rename(columns={"trade": "actual_usd", "fitted": "fitted_usd"})
            .sort_values("year", ignore_index=True)
        )
        yr = int(series["year"].max()) if year is None else int(year)
        row = series[series["year"] == yr]
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
            year=yr,
            actual_usd=actual,
            fitted_usd=fitted,
            gap_usd=fitted - actual,
            ratio=actual / fitted if fitted > 0 else math.nan,
            caveats=_caveats(self.config),
            series=series,
        )

    def chart(self) -> alt.LayerChart:
        """Coefficients with 95% intervals (Altair)."""
        import altair as alt

        data = pd.DataFrame([_asdict(c) for c in self.coefficients])
        base = alt.Chart(data, title="Gravity coefficients (95% CI)").encode(
            y=alt.Y("term:N", sort=list(self.config.terms), title=None)
        )
        rules = base.mark_rule().encode(x=alt.X("ci_low:Q", title="estimate"), x2="ci_high:Q")
        layered: alt.LayerChart = rules + base.mark_point(filled=True).encode(x="estimate:Q")
        return layered


def _asdict(c: Coefficient) -> dict[str, Any]:
    return {
        "term": c.term,
        "estimate": c.estimate,
        "std_error": c.std_error,
        "statistic": c.statistic,
        "p_value": c.p_value,
        "ci_low": c.ci_low,
        "ci_high": c.ci_high,
    }


def _caveats(config: GravityConfig) -> tuple[str, ...]:
    out = [
        "The fitted value is what a country pair with these covariates would trade given both "
        "countries' total sales and purchases that year; the gap is the pair's residual, "
        "not a target.",
        "The residual holds everything the covariates leave out: trade agreements and "
        "sanctions not modelled, transit and re-exports, misreporting and valuation "
        "(CIF/FOB) differences.",
        "With exporter-year and importer-year fixed effects, PPML reproduces each country's "
        "total exports and imports exactly: a shortfall with one partner is matched by "
        "excess trade with others.",
        "This is partial equilibrium: closing a gap would change prices and multilateral "
        "resistance everywhere, which the fitted value ignores.",
        "Fitted values depend on the sample of countries and years and on the distance "
        "measure; compare gaps within one model, not across models.",
    ]
    if not config.domestic:
        out.append(
            "Estimated on international flows only: effects of borders and globalisation "
            "are not identified."
        )
    return tuple(out)


def formula(config: GravityConfig) -> str:
    """The pyfixest formula for a config: ``trade ~ terms | exp_year + imp_year``."""
    return f"trade ~ {' + '.join(config.terms)} | {' + '.join(_FE)}"


def prepare(panel: pd.DataFrame, config: GravityConfig) -> pd.DataFrame:
    """The estimation frame: sample years, domestic flows dropped (unless asked), ``ln_``
    terms computed, rows with missing or non-finite terms removed, integer fixed-effect and
    cluster codes added (``exp_year``, ``imp_year``, ``cluster_pair``)."""
    frame = panel if _is_valid_panel(panel) else validate_panel(panel)
    if config.years is not None:
        frame = frame[frame["year"].isin(config.years)]
        if frame.empty:
            raise NotFoundError(
                f"no panel rows in the years {', '.join(map(str, config.years))}",
                details={"years": list(config.years)},
            )
    if not config.domestic:
        frame = frame[frame["exporter"] != frame["importer"]]
    cols: dict[str, Any] = {c: frame[c].to_numpy() for c in PANEL_COLUMNS}
    for term in config.terms:
        cols[term] = _term_values(frame, term)
    out: pd.DataFrame = pd.DataFrame(cols)
    keep = np.isfinite(out[list(config.terms)].to_numpy(dtype="float64")).all(axis=1)
    out = out[keep].reset_index(drop=True)
    exp_codes = pd.factorize(out["exporter"])[0]
    imp_codes = pd.factorize(out["importer"])[0]
    year = out["year"].to_numpy(dtype="int64")
    out["exp_year"] = pd.factorize(exp_codes.astype("int64") * 10_000 + year)[0]
    out["imp_year"] = pd.factorize(imp_codes.astype("int64") * 10_000 + year)[0]
    out[_CLUSTER_COL] = _pair_codes(out["exporter"], out["importer"], config.cluster)
    out.attrs["n_input"] = len(frame)
    return out


def _is_valid_panel(panel: pd.DataFrame) -> bool:
    """Whether a frame is already a clean panel (then it is used without a copy)."""
    if not all(c in panel.columns for c in PANEL_COLUMNS):
        return False
    if not (
        pd.api.types.is_integer_dtype(panel["year"]) and pd.api.types.is_float_dtype(panel["trade"])
    ):
        return False
    trade = panel["trade"].to_numpy()
    return bool(np.isfinite(trade).all() and (trade >= 0).all())


def _term_values(frame: pd.DataFrame, term: str) -> np.ndarray[Any, Any]:
    if term in frame.columns:
        return pd.to_numeric(frame[term], errors="coerce").to_numpy(dtype="float64")
    base = term[3:] if term.startswith("ln_") else None
    if base and base in frame.columns:
        values = pd.to_numeric(frame[base], errors="coerce").to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(values > 0, np.log(values), np.nan)
    raise InputError(
        f"term {term!r} is not a panel column (nor ln_ of one); panel columns: "
        f"{', '.join(map(str, frame.columns))}. Join covariates (a CEPII GeoDist "
        "file, or a file of your own) or choose terms that exist",
        details={"value": term, "columns": [str(c) for c in frame.columns]},
    )


def _pair_codes(exporter: pd.Series, importer: pd.Series, cluster: str) -> np.ndarray[Any, Any]:
    if cluster == "directed_pair":
        key = exporter + "|" + importer
    else:
        lo = np.minimum(exporter.to_numpy(dtype=object), importer.to_numpy(dtype=object))
        hi = np.maximum(exporter.to_numpy(dtype=object), importer.to_numpy(dtype=object))
        key = pd.Series(lo, dtype=object) + "|" + pd.Series(hi, dtype=object)
    codes: np.ndarray[Any, Any] = pd.factorize(key)[0]
    return codes


def fit_prepared(frame: pd.DataFrame, config: GravityConfig) -> GravityFit:
    """Run PPML on a frame from :func:`prepare` and collect the results."""
    import pyfixest as pf

    if len(frame) <= len(config.terms) or frame["trade"].sum() <= 0:
        raise EstimationError(
            f"too little data to estimate: {len(frame)} usable rows with positive total trade "
            "needed; widen the years or check the covariates join",
            details={"rows": len(frame)},
        )
    ssc = pf.ssc(k_adj=config.small_sample == "fixest", G_adj=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = pf.fepois(
                formula(config), data=frame, vcov={"CRV1": _CLUSTER_COL}, ssc=ssc, copy_data=False
            )
    except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
        raise EstimationError(f"PPML failed: {exc}", details={"formula": formula(config)}) from None
    if not fit._convergence:
        raise EstimationError("PPML did not converge; check for regressors without variation")
    return _collect(fit, frame, config)


def _collect(fit: Any, frame: pd.DataFrame, config: GravityConfig) -> GravityFit:
    tidy = fit.tidy()
    missing = [t for t in config.terms if t not in tidy.index]
    if missing:
        raise EstimationError(
            f"term(s) {', '.join(missing)} dropped: no variation left once the fixed effects "
            "are absorbed (collinear); remove them from the specification",
            details={"terms": missing},
        )
    coefs = tuple(
        Coefficient(
            term=t,
            estimate=float(tidy.at[t, "Estimate"]),
            std_error=float(tidy.at[t, "Std. Error"]),
            statistic=float(tidy.at[t, "t value"]),
            p_value=float(tidy.at[t, "Pr(>|t|)"]),
            ci_low=float(tidy.at[t, "2.5%"]),
            ci_high=float(tidy.at[t, "97.5%"]),
        )
        for t in config.terms
    )
    dropped = np.zeros(len(frame), dtype=bool)
    dropped[list(fit._na_index)] = True
    sample = frame.loc[~dropped, ["exporter", "importer", "year", "trade"]].reset_index(drop=True)
    sample["fitted"] = np.asarray(fit._Y_hat_response, dtype="float64").ravel()
    r = float(np.corrcoef(sample["trade"], sample["fitted"])[0, 1])
    return GravityFit(
        coefficients=coefs,
        config=config,
        n_obs=int(fit._N),
        n_dropped=int(frame.attrs.get("n_input", len(frame)) - fit._N),
        n_clusters=int(np.atleast_1d(fit._G)[0]),
        n_exporter_years=int(frame.loc[~dropped, "exp_year"].nunique()),
        n_importer_years=int(frame.loc[~dropped, "imp_year"].nunique()),
        r2=r * r,
        pseudo_r2=float(fit._pseudo_r2),
        years=tuple(sorted(int(y) for y in sample["year"].unique())),
        fitted=sample,
    )


def estimate(
    panel: pd.DataFrame,
    *,
    terms: Sequence[str] = DEFAULT_TERMS,
    years: Sequence[int] | None = None,
    cluster: str = "pair",
    small_sample: str = "fixest",
    domestic: bool = False,
) -> GravityFit:
    """Estimate structural gravity by PPML with exporter-year and importer-year fixed effects.

    Parameters
    ----------
    panel
        Columns ``exporter, importer, year, trade`` and the covariates (see
        :mod:`bilat.potential.panel`).
    terms
        Regressors; ``ln_<col>`` takes the log of column ``col``.
    years
        Sample years (default: all).
    cluster
        ``"pair"`` (unordered, default) or ``"directed_pair"``.
    small_sample
        ``"fixest"`` (default) or ``"stata"`` (G/(G-1) only).
    domestic
        Keep exporter == importer rows.

    Examples
    --------
    The textbook Table 1, PPML column (Yotov et al. 2016)::

        panel = read_panel("agtpa-applications-1986-2006.csv.gz")
        fit = estimate(panel, years=range(1986, 2007, 4), small_sample="stata")
        fit.coefficient("ln_dist").estimate   # -0.841
    """
    config = GravityConfig.make(
        terms=terms, years=years, cluster=cluster, small_sample=small_sample, domestic=domestic
    )
    return fit_prepared(prepare(panel, config), config)
