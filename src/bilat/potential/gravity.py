"""Gravity estimation: any specification pyfixest can fit, the textbook one by default.

The default model (Yotov, Piermartini, Monteiro & Larch 2016, eq. 1-28)::

    X_ij,t = exp(π_i,t + χ_j,t + β·z_ij,t) · ε_ij,t

is estimated by Poisson pseudo-maximum likelihood through ``pyfixest.fepois``, with the
exporter-year and importer-year fixed effects absorbed and standard errors clustered by
country pair. A ``formula`` in pyfixest's syntax (``Euros ~ log(dist_km) | Origin +
Destination + Product + Year``) states any other specification, ``method="ols"`` fits
log trade by least squares (``pyfixest.feols``) and ``vcov`` chooses the variance
(:mod:`bilat.potential.spec`). :func:`estimate` validates, freezes a
:class:`GravityConfig`, prepares the frame (:func:`prepare`: column roles, repeated keys,
sample selection, every drop counted) and delegates (:func:`fit_prepared`).

Small-sample conventions (``small_sample``):

``"fixest"``
    pyfixest's (and R fixest's) default: ``(N-1)/(N-K) · G/(G-1)`` on the clustered
    covariance, where K counts the slopes and the fixed effects not nested in the clusters.
``"stata"``
    Stata's: for PPML (``ppml``/``poisson, cluster()``) ``G/(G-1)`` only; for OLS
    (``regress, cluster()``) ``(N-1)/(N-K) · G/(G-1)`` with every fixed effect counted in
    K. Reproduces the book's tables.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from bilat.errors import EstimationError, InputError, NotFoundError, shorten
from bilat.options import CLUSTERS, METHODS, SMALL_SAMPLES, Cluster, Method, SmallSample
from bilat.potential.panel import PANEL_COLUMNS, check_keys, with_roles
from bilat.potential.results import Coefficient, Count, Dropped, DyadGravity, GravityFit
from bilat.potential.spec import DEFAULT_TERMS, ROLES, GravityConfig, Vcov

__all__ = [
    "CLUSTERS",
    "DEFAULT_TERMS",
    "METHODS",
    "SMALL_SAMPLES",
    "Cluster",
    "Coefficient",
    "DyadGravity",
    "GravityConfig",
    "GravityFit",
    "Method",
    "SmallSample",
    "estimate",
    "fit_prepared",
    "formula",
    "prepare",
]


_FE = ("exporter^year", "importer^year")
_CLUSTER_COL = "cluster_pair"

#: Why rows leave the sample, as :attr:`GravityFit.dropped` names them.
YEARS_OUT = "years outside the sample"
DOMESTIC = "domestic flows (exporter = importer)"
NOT_LOGGED = "zero or negative trade (no log under OLS)"
MISSING = "missing or non-finite values"
SINGLETONS = "singleton fixed effects"
SEPARATED = "separation"


def formula(config: GravityConfig) -> str:
    """The formula fitted for a config: the user's, or the default specification's
    ``trade ~ terms | exporter^year + importer^year`` (``log(trade)`` under OLS)."""
    if config.formula is not None:
        return config.formula.text
    lhs = "log(trade)" if config.method == "ols" else "trade"
    return f"{lhs} ~ {' + '.join(config.terms or ())} | {' + '.join(_FE)}"


def _fe_terms(config: GravityConfig) -> tuple[str, ...]:
    return config.formula.fixed_effects if config.formula is not None else _FE


def _outcome(config: GravityConfig) -> tuple[str | None, bool]:
    """The dependent column and whether it is logged."""
    if config.formula is None:
        return "trade", config.method == "ols"
    return config.formula.outcome, config.formula.logged


def _role_of(config: GravityConfig, column: str) -> str | None:
    roles = config.roles
    for role in ROLES:
        if column == role or roles.get(role) == column:
            return role
    return None


# ------------------------------------------------------------------------------ prepare


def prepare(panel: pd.DataFrame, config: GravityConfig) -> pd.DataFrame:
    """The estimation frame of a config.

    Column roles applied (:func:`~bilat.potential.panel.with_roles`), repeated observation
    keys refused (:func:`~bilat.potential.panel.check_keys`), the columns the specification
    names checked, sample years kept, domestic flows dropped (unless asked), ``ln_`` terms
    computed and rows without them removed (default specification), zero or negative trade
    removed (OLS), the pair cluster code added (``cluster_pair``). ``attrs`` holds
    ``dropped`` (reason → rows), ``warnings`` and ``n_input`` (rows after the selections).
    """
    path = str(panel.attrs.get("path", "<panel>"))
    required = PANEL_COLUMNS if config.formula is None else ()
    frame = with_roles(
        panel, config.roles, path=path, require=required, negative_trade=config.method == "ols"
    )
    _check_columns(frame, config)
    check_keys(frame, path=path)
    notes = _warnings(frame, config)
    dropped: dict[str, int] = {}
    if config.years is not None:
        keep = frame["year"].isin(config.years)
        if not keep.any():
            raise NotFoundError(
                f"no panel rows in the years {', '.join(map(str, config.years))}",
                details={"years": list(config.years)},
            )
        dropped[YEARS_OUT] = int((~keep).sum())
        frame = frame[keep]
    if not config.domestic and {"exporter", "importer"} <= set(frame.columns):
        foreign = frame["exporter"] != frame["importer"]
        dropped[DOMESTIC] = int((~foreign).sum())
        frame = frame[foreign]
    n_input = len(frame)
    out = _model_frame(frame, config)
    if config.formula is None:
        terms = list(config.terms or ())
        finite = np.isfinite(out[terms].to_numpy(dtype="float64")).all(axis=1)
        dropped[MISSING] = int((~finite).sum())
        out = out[finite]
    outcome, logged = _outcome(config)
    if config.method == "ols" and logged and outcome is not None:
        values = pd.to_numeric(out[outcome], errors="coerce")
        dropped[NOT_LOGGED] = int((values <= 0).sum())
        out = out[~(values <= 0)]
    out = out.reset_index(drop=True)
    if config.vcov.kind in ("pair", "directed_pair"):
        out[_CLUSTER_COL] = _pair_codes(out["exporter"], out["importer"], config.vcov.kind)
    out.attrs.update(dropped=dropped, warnings=notes, n_input=n_input, path=path)
    return out


def _warnings(frame: pd.DataFrame, config: GravityConfig) -> list[str]:
    notes = []
    if not {"exporter", "importer"} <= set(frame.columns):
        notes.append(
            "the panel has no exporter and importer columns: rows were not checked for "
            "repeated (exporter, importer, year) keys or for domestic flows, and no dyad can "
            "be compared; name them with columns={'exporter': COLUMN, 'importer': COLUMN}"
        )
    if "product" in frame.columns:
        names = {"product", config.roles.get("product", "product")}
        fe = config.formula.fe_columns if config.formula is not None else _split_fe
        if not any(names & set(fe(t)) for t in _fe_terms(config)):
            notes.append(
                f"the panel is by product ({config.roles.get('product', 'product')}) but no "
                "fixed effect absorbs the product: all products share one set of effects; "
                "add a product fixed effect (e.g. exporter^year^product, or + product)"
            )
    return notes


def _split_fe(term: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in term.split("^"))


def _check_columns(frame: pd.DataFrame, config: GravityConfig) -> None:
    """Every column the formula, the vcov and the years name is in the panel."""
    cols = set(map(str, frame.columns))
    found = ", ".join(map(str, frame.columns))
    if config.formula is not None:
        text = config.formula.text
        calls = [v for v in config.formula.variables if v not in cols and _called(v, text)]
        if calls:
            raise InputError(
                f"formula calls {', '.join(f'{c}()' for c in calls)}, which is neither a "
                "column nor a function pyfixest knows (log, exp, C, i, np.* ...)",
                details={"option": "formula", "value": calls[0]},
            )
        missing = [v for v in config.formula.variables if v not in cols]
        if missing:
            raise InputError(
                f"formula names column(s) {', '.join(missing)} that the panel does not have; "
                f"panel columns: {found}. Check the spelling (names are case-sensitive), "
                "name a role's column with columns= (the roles exporter, importer, year, "
                "trade, product are added under their own names), or join covariates",
                details={"option": "formula", "value": missing[0], "columns": sorted(cols)},
            )
        outcome = config.formula.outcome
        if outcome is not None and not pd.api.types.is_numeric_dtype(frame[outcome]):
            raise InputError(
                f"the dependent variable {outcome!r} of formula {text!r} is not numeric "
                f"(found {shorten(frame[outcome].iloc[0])!r}); put the trade values on the "
                "left of ~",
                details={"option": "formula", "value": outcome},
            )
    absent = [c for c in config.vcov.columns if c not in cols]
    if config.vcov.kind in ("pair", "directed_pair"):
        absent = [r for r in ("exporter", "importer") if r not in cols]
    if absent:
        built = config.vcov.kind in ("pair", "directed_pair")
        raise InputError(
            f"vcov {config.vcov.text!r} clusters by "
            + ("country pair, built from the exporter and importer columns, " if built else "")
            + f"column(s) {', '.join(absent)} that the panel does not have; panel columns: "
            f"{found}. Name them with columns= or choose another vcov (hetero, cluster:COL)",
            details={"option": "vcov", "value": absent[0]},
        )
    if config.years is not None and "year" not in cols:
        raise InputError(
            f"years needs a year column; the panel has {found}. Name it with columns= "
            "(e.g. {'year': 'Year'}) or leave years out",
            details={"option": "years"},
        )


def _called(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", text) is not None


def _model_frame(frame: pd.DataFrame, config: GravityConfig) -> pd.DataFrame:
    """The columns the estimation reads: roles, the formula's variables (or the computed
    default terms), the cluster columns."""
    keep = [r for r in ROLES if r in frame.columns]
    if config.formula is not None:
        keep += [v for v in config.formula.variables if v not in keep]
    keep += [c for c in config.vcov.columns if c not in keep]
    cols: dict[str, Any] = {c: frame[c].to_numpy() for c in keep}
    for term in config.terms or ():
        cols[term] = _term_values(frame, term)
    return pd.DataFrame(cols)


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
    """One integer per (unordered, or directed) country pair, numbered in order of first
    appearance."""
    both = pd.concat([exporter, importer], ignore_index=True)
    ids, uniques = pd.factorize(both)
    n, k = len(exporter), max(len(uniques), 1)
    a, b = ids[:n].astype("int64"), ids[n:].astype("int64")
    if cluster != "directed_pair":
        a, b = np.minimum(a, b), np.maximum(a, b)
    codes: np.ndarray[Any, Any] = pd.factorize(a * k + b)[0]
    return codes


# ------------------------------------------------------------------------------ fit


def fit_prepared(frame: pd.DataFrame, config: GravityConfig) -> GravityFit:
    """Fit a frame from :func:`prepare` with pyfixest and collect the results."""
    outcome, _ = _outcome(config)
    n_terms = len(config.terms or ())
    total = (
        pd.to_numeric(frame[outcome], errors="coerce").abs().sum()
        if outcome in frame.columns
        else 1.0
    )
    if len(frame) <= n_terms or not total > 0:
        raise EstimationError(
            f"too little data to estimate: {len(frame)} usable rows with positive total trade "
            "needed; widen the years or check the covariates join",
            details={"rows": len(frame)},
        )
    fit = _pyfixest(frame, config)
    if config.method == "ppml" and not getattr(fit, "convergence", False):
        raise EstimationError(
            f"PPML did not converge in {config.maxiter} iterations. Try more iterations "
            f"(maxiter={4 * config.maxiter}), fewer or coarser fixed effects, or a separation "
            f"check (separation='both'; now {config.separation!r}, "
            f"{int(getattr(fit, 'n_separation_na', 0))} rows dropped for separation): a "
            "regressor that predicts zero trade perfectly sends its estimate to infinity",
            details={"option": "maxiter", "maxiter": config.maxiter, "formula": formula(config)},
        )
    collinear = [str(v) for v in getattr(fit, "_collin_vars", None) or []]
    separated = int(getattr(fit, "n_separation_na", 0))
    if collinear and not separated:
        raise EstimationError(
            f"term(s) {', '.join(collinear)} dropped: no variation left once the fixed "
            "effects are absorbed (collinear); remove them from the specification",
            details={"terms": collinear},
        )
    if collinear:
        frame.attrs["warnings"] = [
            *frame.attrs.get("warnings", ()),
            f"{', '.join(collinear)} omitted: no variation is left once the {separated:,} "
            "rows separated from the rest are dropped (trade is zero wherever they set "
            "those rows apart, so the effect is not identified; ppmlhdfe omits it too)",
        ]
    return _collect(fit, frame, config)


def _pyfixest(frame: pd.DataFrame, config: GravityConfig) -> Any:
    import formulaic
    import pyfixest as pf

    fml = formula(config)
    ssc = _ssc(config)
    vcov = config.vcov.pyfixest(_CLUSTER_COL)
    checks = {"both": ["fe", "ir"], "fe": ["fe"], "ir": ["ir"], "none": []}[config.separation]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if config.method == "ols":
                return pf.feols(fml, data=frame, vcov=vcov, ssc=ssc)
            return pf.fepois(
                fml, data=frame, vcov=vcov, ssc=ssc, iwls_maxiter=config.maxiter,
                separation_check=checks,
            )  # fmt: skip
    except formulaic.errors.FormulaicError as exc:
        raise _formula_error(fml, exc) from None
    except Exception as exc:
        if isinstance(exc, TypeError) and "numeric" in str(exc):
            raise _formula_error(fml, exc) from None
        if not isinstance(exc, _FAILURES) and not type(exc).__module__.startswith("pyfixest"):
            raise
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise EstimationError(
            f"{config.method.upper()} failed: {text}", details={"formula": fml}
        ) from None


#: What pyfixest raises when a model cannot be fitted on the data (besides its own errors).
_FAILURES = (TypeError, ValueError, RuntimeError, np.linalg.LinAlgError)


def _ssc(config: GravityConfig) -> dict[str, Any]:
    """pyfixest's small-sample setting for a convention: fixest's default, or Stata's
    (``ppml``/``poisson, cluster()``: G/(G-1) only; ``regress, cluster()``: (N-1)/(N-K)
    with every fixed effect in K, and G/(G-1))."""
    import pyfixest as pf

    if config.small_sample == "fixest":
        return dict(pf.ssc())
    if config.method == "ols":
        return dict(pf.ssc(k_adj=True, k_fixef="full", G_adj=True))
    return dict(pf.ssc(k_adj=False, G_adj=True))


def _formula_error(fml: str, exc: BaseException) -> InputError:
    text = re.sub(r"\x1b\[[0-9;]*m|[⧛⧚]", "", str(exc)).strip().splitlines()
    return InputError(
        f"formula {fml!r} cannot be evaluated on the panel: {text[0] if text else exc}. "
        "Terms are columns or functions pyfixest knows (log, C, i, np.*); the dependent "
        "variable must be numeric",
        details={"option": "formula", "value": fml},
    )


def _collect(fit: Any, frame: pd.DataFrame, config: GravityConfig) -> GravityFit:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tidy = fit.tidy()
    coefs = tuple(
        Coefficient(
            term=str(t),
            estimate=float(tidy.at[t, "Estimate"]),
            std_error=float(tidy.at[t, "Std. Error"]),
            statistic=float(tidy.at[t, "t value"]),
            p_value=float(tidy.at[t, "Pr(>|t|)"]),
            ci_low=float(tidy.at[t, "2.5%"]),
            ci_high=float(tidy.at[t, "97.5%"]),
        )
        for t in tidy.index
    )
    kept = np.asarray(fit._data.index, dtype="int64")
    sample = frame.iloc[kept].reset_index(drop=True)
    fixed = tuple(Count(t, _levels(sample, _split_fe(t))) for t in _fe_terms(config))
    clusters = tuple(
        Count(name, int(sample[col].nunique()))
        for name, col in zip(
            config.vcov.columns or (config.vcov.kind,),
            config.vcov.cluster_columns(_CLUSTER_COL),
            strict=False,
        )
    )
    dropped, separated = _dropped(fit, frame, config)
    fitted, why, r2 = _fitted(fit, sample, config)
    by_role = {frozenset(_role_of(config, c) for c in _split_fe(f.name)): f.count for f in fixed}
    years = tuple(sorted(int(y) for y in sample["year"].unique())) if "year" in sample else None
    return GravityFit(
        coefficients=coefs,
        config=config,
        formula=formula(config),
        n_obs=int(fit._N),
        n_dropped=int(frame.attrs.get("n_input", len(frame)) - fit._N),
        dropped=dropped,
        separation_rows=separated,
        fixed_effects=fixed,
        clusters=clusters if config.vcov.clustered else (),
        n_clusters=clusters[0].count if config.vcov.clustered and len(clusters) == 1 else None,
        n_exporter_years=by_role.get(frozenset({"exporter", "year"})),
        n_importer_years=by_role.get(frozenset({"importer", "year"})),
        converged=bool(fit.convergence) if config.method == "ppml" else None,
        iterations=None,
        r2=r2,
        pseudo_r2=float(fit._pseudo_r2) if config.method == "ppml" else None,
        years=years,
        warnings=tuple(frame.attrs.get("warnings", ())),
        fitted=fitted,
        no_dyad=why,
        adds_up=config.method == "ppml" and set(by_role) >= _EXP_IMP_YEAR,
    )


_EXP_IMP_YEAR = {frozenset({"exporter", "year"}), frozenset({"importer", "year"})}


def _levels(sample: pd.DataFrame, columns: tuple[str, ...]) -> int:
    return int(sample.groupby(list(columns), sort=False, dropna=True).ngroups)


def _dropped(
    fit: Any, frame: pd.DataFrame, config: GravityConfig
) -> tuple[tuple[Dropped, ...], int | None]:
    """Every reason rows left: the selections and computations of :func:`prepare`, then
    pyfixest's drops split into missing or non-finite values, singletons and separation."""
    counts: dict[str, int] = dict(frame.attrs.get("dropped", {}))
    na = len(fit._na_index)
    # The default specification's terms are checked by prepare (no missing value reaches
    # pyfixest), so its drops are singletons; a formula's functions may make new ones.
    missing = _missing_rows(fit, frame) if na and config.formula is not None else 0
    counts[MISSING] = counts.get(MISSING, 0) + missing
    counts[SINGLETONS] = na - missing
    separated = int(getattr(fit, "n_separation_na", 0)) if config.method == "ppml" else None
    if separated is not None:
        counts[SEPARATED] = separated
    order = (YEARS_OUT, DOMESTIC, NOT_LOGGED, MISSING, SINGLETONS, SEPARATED)
    return tuple(Dropped(r, counts[r]) for r in order if r in counts), separated


def _missing_rows(fit: Any, frame: pd.DataFrame) -> int:
    """Rows pyfixest drops for missing or non-finite values: its model matrix built again
    without the singleton rule (pyfixest reports the two together)."""
    from pyfixest.estimation.formula.model_matrix import create_model_matrix

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mm = create_model_matrix(fit.FixestFormula, frame.copy(), drop_singletons=False)
    return len(mm.na_index)


def _fitted(
    fit: Any, sample: pd.DataFrame, config: GravityConfig
) -> tuple[pd.DataFrame | None, str, float | None]:
    """The sample with actual and fitted flows (for dyads), why there is none, and R²."""
    outcome, logged = _outcome(config)
    ols = config.method == "ols"
    link = np.asarray(fit._Y_hat_link if ols else fit._Y_hat_response, dtype="float64").ravel()
    r2 = float(fit._r2) if ols else None
    if outcome is None or (logged and not ols):
        depvar = config.formula.depvar if config.formula is not None else outcome
        why = (
            f"the dependent variable {depvar} is not a column of trade: fitted and actual "
            "flows are compared for a column or, under OLS, log(column)"
        )
        return None, why, r2
    actual = pd.to_numeric(sample[outcome], errors="coerce").to_numpy(dtype="float64")
    fitted = np.exp(link) if logged else link
    if not ols:
        r = np.corrcoef(actual, fitted)[0, 1] if len(actual) > 1 else np.nan
        r2 = float(r * r) if np.isfinite(r) else None
    if not {"exporter", "importer"} <= set(sample.columns):
        return None, "the panel has no exporter and importer columns to compare a dyad", r2
    keys = [c for c in ("exporter", "importer", "year", "product") if c in sample.columns]
    out = sample[keys].copy()
    out["trade"], out["fitted"] = actual, fitted
    return out, "", r2


def estimate(
    panel: pd.DataFrame,
    *,
    formula: str | None = None,
    method: str = "ppml",
    vcov: str | Vcov | None = None,
    columns: str | Mapping[str, str] | None = None,
    terms: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    cluster: str | None = None,
    small_sample: str = "fixest",
    domestic: bool = False,
    maxiter: int = 25,
    separation: str = "both",
) -> GravityFit:
    """Estimate a gravity equation; by default the textbook's structural gravity by PPML
    with exporter-year and importer-year fixed effects, clustered by pair.

    Parameters
    ----------
    panel
        A frame with the columns the specification names; the default specification needs
        ``exporter, importer, year, trade`` and its terms (see :mod:`bilat.potential.panel`).
    formula
        pyfixest's syntax, ``DEPVAR ~ TERMS | FE1 + FE2``: interacted fixed effects
        (``exporter^year``), functions of columns (``log(dist_km)``). Names may be the
        file's columns or the role names (``columns``). Default: the textbook specification
        (:func:`formula` of the config), with ``terms``.
    method
        ``"ppml"`` (``pyfixest.fepois``, default) or ``"ols"`` (``pyfixest.feols``; the
        default specification regresses ``log(trade)``, dropping and counting zero flows).
    vcov
        ``"pair"`` (default), ``"directed_pair"``, ``"hetero"``, ``"iid"``,
        ``"cluster:COL"`` or ``"twoway:COL1+COL2"``.
    columns
        The file's column for each role: ``{"exporter": "Origin", "importer":
        "Destination", "year": "Year", "trade": "Euros", "product": "Product"}`` or the
        text ``exporter=Origin,...``.
    terms
        Regressors of the default specification; ``ln_<col>`` takes the log of ``col``.
    years
        Sample years (default: all).
    cluster
        The older name of ``vcov`` for ``"pair"`` and ``"directed_pair"``.
    small_sample
        ``"fixest"`` (default) or ``"stata"`` (G/(G-1) only).
    domestic
        Keep exporter == importer rows.
    maxiter
        Most PPML iterations (default 25, as pyfixest).
    separation
        Separation checks before PPML: ``"both"`` (default: fixed effects with only zero
        flows, and the iterative rectifier for regressors), ``"fe"``, ``"ir"``, ``"none"``.

    Raises ``InputError`` for a bad option or a formula naming absent columns,
    ``ValidationError`` for a panel repeating its observation key, ``EstimationError``
    when the model cannot be fitted (no convergence, collinear terms).

    Examples
    --------
    The textbook Table 1, PPML column (Yotov et al. 2016)::

        panel = read_panel("agtpa-applications-1986-2006.csv.gz")
        fit = estimate(panel, years=range(1986, 2007, 4), small_sample="stata")
        fit.coefficient("ln_dist").estimate   # -0.841

    The fixest walkthrough (Bergé), on fixest's ``trade`` data::

        fit = estimate(read_table("fixest-trade.csv.gz"), vcov="cluster:Origin",
                       formula="Euros ~ log(dist_km) | Origin + Destination + Product + Year")
        fit.coefficient("log(dist_km)").estimate   # -1.528
    """
    config = GravityConfig.make(
        terms=terms, formula=formula, method=method, vcov=vcov, columns=columns, years=years,
        cluster=cluster, small_sample=small_sample, domestic=domestic, maxiter=maxiter,
        separation=separation,
    )  # fmt: skip
    return fit_prepared(prepare(panel, config), config)
