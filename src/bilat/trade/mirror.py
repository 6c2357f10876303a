"""Mirror reconciliation: one value per flow from the exporter's and the importer's declarations.

Both sides of a flow declare it: the exporter its exports, valued FOB (free on board, at its
border), the importer its imports, valued CIF (cost, insurance and freight to its border).
The two differ by the transport margin, by timing, by classification and by attribution
(goods re-exported through a third country are recorded by origin at import). This module
reconciles them the way CEPII's BACI does (Gaulier & Zignago 2010, CEPII WP 2010-23):

1. **CIF/FOB margins.** On flows both sides declared, ``ln(M_cif / X_fob)`` is regressed on
   ``ln(distance)`` and contiguity (ordinary least squares, extreme ratios trimmed); the
   fitted value is the margin ``ln(1 + m_ij)``, bounded to ``[0, max_margin]``.
2. **FOB imports.** ``M_fob = M_cif / (1 + m_ij)``.
3. **Reliability.** For each flow, ``d = ln(M_fob / X_fob)``. Its expected square is the sum
   of the two reporters' error variances, ``E[d²] = s_exporter + s_importer``; the ``s`` are
   estimated by least squares over all flows (a country's reliability is ``1 / s``).
4. **Reconciled value.** ``v = w·X_fob + (1 − w)·M_fob`` with the exporter's weight
   ``w = s_importer / (s_exporter + s_importer)`` (inverse-variance weighting). A flow only
   one side declared keeps that side (imports converted to FOB), with its ``basis``.

:func:`reconcile` does this over a whole declarations table (``lake.declarations()``), and
:func:`mirror_report` explains a dyad: declared exports against declared imports, the gap by
product split into its CIF/FOB part and the rest, and the suspected causes. Method and limits:
``docs/mirror.md``.
"""

from __future__ import annotations

import gzip
import io
import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd
import pyarrow as pa

from bilat.codes.concordance import Concordance, convert_flows
from bilat.codes.countries import COMTRADE_AREAS, to_iso3
from bilat.codes.hs import revision
from bilat.errors import EstimationError, InputError, NotFoundError, ParseError, SchemaError
from bilat.sources.schema import FLOW_SCHEMA

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CAUSES",
    "Cause",
    "GeoDist",
    "MarginModel",
    "MirrorReport",
    "Reconciliation",
    "load_geodist",
    "mirror_pairs",
    "mirror_report",
    "reconcile",
]

Cause = Literal["cif/fob", "timing", "misclassification", "re-exports", "one-sided", "other"]
#: Suspected causes of a gap, in the order they are tested.
CAUSES: tuple[str, ...] = get_args(Cause)

_KEYS = ["year", "exporter", "importer", "product"]


# ---------------------------------------------------------------------- GeoDist
@dataclass(frozen=True)
class GeoDist:
    """Distance and contiguity of country pairs (CEPII GeoDist).

    Attributes
    ----------
    table
        ``exporter, importer, dist_km, contig`` (contig 1 for a common border, else 0).
    path
        The file read.
    """

    table: pd.DataFrame
    path: Path | None = None


def load_geodist(path: str | Path, *, distance: str = "dist") -> GeoDist:
    """Read CEPII's ``dist_cepii`` as CSV (plain, ``.gz``, or the only CSV in a ``.zip``).

    ``distance`` names the distance column: ``dist`` (between the main cities, the BACI
    choice), ``distw`` (population weighted) or ``distcap`` (between capitals).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"GeoDist file {p} does not exist; run `bilat fetch geodist` or give --geodist FILE"
        )
    frame = pd.read_csv(io.StringIO(_geodist_text(p)), dtype={"iso_o": str, "iso_d": str})
    need = ["iso_o", "iso_d", distance, "contig"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"GeoDist file lacks column(s) {', '.join(missing)}",
            path=p,
            line=1,
            expected=", ".join(need),
        )
    out = pd.DataFrame(
        {
            "exporter": frame["iso_o"].str.strip().str.upper(),
            "importer": frame["iso_d"].str.strip().str.upper(),
            "dist_km": pd.to_numeric(frame[distance], errors="coerce"),
            "contig": pd.to_numeric(frame["contig"], errors="coerce").fillna(0).astype(int),
        }
    )
    bad = out["dist_km"].isna() | (out["dist_km"] <= 0)
    if bad.all():
        raise ParseError(f"no positive distance in column {distance!r}", path=p)
    return GeoDist(out[~bad].reset_index(drop=True), p)


def _geodist_text(p: Path) -> str:
    try:
        if zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                if not names:
                    raise ParseError(
                        "no CSV inside this zip",
                        path=p,
                        value=", ".join(zf.namelist()[:5]),
                        hint="export dist_cepii to CSV (columns iso_o, iso_d, dist, contig)",
                    )
                return zf.read(names[0]).decode("utf-8-sig")
        if p.suffix == ".gz":
            with gzip.open(p, "rt", encoding="utf-8-sig") as fh:
                return fh.read()
        return p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, EOFError, zipfile.BadZipFile) as exc:
        raise ParseError(f"cannot read GeoDist file: {exc}", path=p) from exc


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class MarginModel:
    """The fitted CIF/FOB margin: ``ln(1 + m) = const + b_dist·ln(dist_km) + b_contig·contig``.

    Attributes
    ----------
    const, b_dist, b_contig
        Coefficients (unitless; distance in kilometres).
    nobs
        Flows the fit used (both sides declared, covariates known, ratio within the trim).
    r2
        Share of the variance of ``ln(M_cif/X_fob)`` explained.
    max_margin
        Upper bound applied to fitted margins (fraction of the FOB value).
    fallback
        Margin used for pairs without distance data (the median fitted margin).
    """

    const: float
    b_dist: float
    b_contig: float
    nobs: int
    r2: float
    max_margin: float
    fallback: float

    def margin(self, dist_km: Any, contig: Any) -> Any:
        """Fitted margin ``m`` (fraction of the FOB value) for distances and contiguity."""
        log1p = self.const + self.b_dist * np.log(dist_km) + self.b_contig * np.asarray(contig)
        return np.clip(np.expm1(log1p), 0.0, self.max_margin)


@dataclass(frozen=True)
class Reconciliation:
    """Reconciled flows and the estimates behind them.

    Attributes
    ----------
    flows
        Arrow table in ``FLOW_SCHEMA`` (US dollars, FOB), ``source`` ``"mirror"``, ``basis``
        ``reconciled`` (both declared), ``exporter`` or ``importer`` (one side only).
    pairs
        pandas frame, one row per flow: ``year, exporter, importer, product, x_usd``
        (exporter's declaration, FOB), ``m_cif_usd`` (importer's, CIF), ``margin``,
        ``m_fob_usd``, ``w_exporter`` (weight of the exporter's value), ``value_usd``,
        ``basis``.
    margins
        The fitted :class:`MarginModel`.
    reliability
        pandas frame ``country, variance, reliability, nobs``: the error variance ``s`` of
        a country's declarations (log points squared) and ``1/s``.
    identified
        Whether the variances were identified; when not (for example only one dyad in the
        data), both declarations get equal weight.
    level
        HS level reconciled (0 for ``TOTAL``).
    """

    flows: pa.Table
    pairs: pd.DataFrame
    margins: MarginModel
    reliability: pd.DataFrame
    identified: bool
    level: int


@dataclass(frozen=True)
class MirrorReport:
    """A dyad's declarations side by side, with the gaps explained as far as they can be.

    Attributes
    ----------
    a, b
        The dyad (ISO3); both directions, ``a → b`` and ``b → a``, are covered.
    level
        HS level compared (0 for totals).
    products
        pandas frame, one row per (year, exporter, importer, product): ``exports_declared_usd``
        (exporter, FOB), ``imports_declared_usd`` (importer, CIF), ``margin``,
        ``imports_fob_usd``, ``gap_usd = imports_declared − exports_declared``,
        ``gap_cif_fob_usd = imports_declared − imports_fob`` (the transport margin),
        ``gap_other_usd = imports_fob − exports_declared`` (the rest), ``reconciled_usd``,
        ``basis``, ``w_exporter`` and ``causes`` (suspected causes, comma separated).
    totals
        pandas frame by (year, exporter, importer): the sums of the same columns.
    causes
        Per suspected cause, the sum of ``|gap_other_usd|`` of the products it is flagged
        on (``cif/fob`` counts ``|gap_cif_fob_usd|``).
    margins
        The CIF/FOB margin model used.
    notes
        What the reader should know (one-sided years, unidentified reliabilities ...).
    """

    a: str
    b: str
    level: int
    products: pd.DataFrame
    totals: pd.DataFrame
    causes: dict[str, float]
    margins: MarginModel
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "a": self.a,
            "b": self.b,
            "level": self.level,
            "totals": _records(self.totals),
            "products": _records(self.products),
            "causes": self.causes,
            "margins": self.margins.__dict__,
            "notes": list(self.notes),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dict("records")
    return [
        {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in rows
    ]


# ---------------------------------------------------------------------- pairs
def mirror_pairs(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Exporter's and importer's declarations of each flow side by side.

    One row per (year, exporter, importer, product) that either side declared: ``x_usd``
    (the exporter's ``X``, FOB) and ``m_cif_usd`` (the importer's ``M``: ``cif_usd`` when
    given, else ``value_usd``), missing where that side did not declare. Areas (World,
    "other Asia" ...) and self-trade are left out; several entries of one flow are summed.
    """
    _check_level(level)
    pairs = _pairs_expr(_as_ibis(declarations), level, years).to_pandas()
    if pairs.empty:
        raise NotFoundError(
            f"no X or M declarations at HS level {level}"
            + (f" for {min(years)}-{max(years)}" if years else "")
            + "; ingest Comtrade data (bilat fetch comtrade) or choose another --level"
        )
    pairs["year"] = pairs["year"].astype(int)
    out: pd.DataFrame = pairs.sort_values(_KEYS).reset_index(drop=True)
    return out


def _as_ibis(declarations: ir.Table | pa.Table | pd.DataFrame) -> ir.Table:
    import ibis

    if isinstance(declarations, pd.DataFrame | pa.Table):
        return ibis.memtable(declarations)
    return declarations


def _pairs_expr(t: ir.Table, level: int, years: Sequence[int] | None) -> ir.Table:
    """The aggregation runs on the table's backend; only the pairs come back."""
    import ibis
    from ibis import _

    t = t.filter(_.flow.isin(["X", "M"]))
    if level == 0:
        t = t.filter(_["product"] == "TOTAL")
    else:
        t = t.filter((_["product"] != "TOTAL") & (_["product"].length() == level))
    if years:
        t = t.filter(_.year.isin([int(y) for y in years]))
    m_value = _.cif_usd.fill_null(_.value_usd) if "cif_usd" in t.columns else _.value_usd
    t = t.mutate(year=_.year.cast("int32"), m_value=m_value.cast("float64"))
    xs = (
        t.filter(_.flow == "X")
        .group_by(year=_.year, exporter=_.reporter, importer=_.partner, product=_["product"])
        .aggregate(x_usd=_.value_usd.sum())
    )
    ms = (
        t.filter(_.flow == "M")
        .group_by(year=_.year, exporter=_.partner, importer=_.reporter, product=_["product"])
        .aggregate(m_cif_usd=_.m_value.sum())
    )
    j = xs.outer_join(ms, _KEYS)
    pairs = j.select(
        **{k: ibis.coalesce(j[k], j[f"{k}_right"]) for k in _KEYS},
        x_usd=j.x_usd,
        m_cif_usd=j.m_cif_usd,
    )
    areas = sorted(COMTRADE_AREAS)
    return pairs.filter(
        ~_.exporter.isin(areas) & ~_.importer.isin(areas) & (_.exporter != _.importer)
    )


# ---------------------------------------------------------------------- estimation
def fit_margins(
    pairs: pd.DataFrame,
    *,
    max_margin: float = 0.2,
    trim: float = 10.0,
    variance: Mapping[str, float] | None = None,
) -> MarginModel:
    """Fit ``ln(M_cif/X_fob)`` on ``ln(distance)`` and contiguity, ratios within ``trim``.

    ``pairs`` holds :func:`mirror_pairs` columns plus ``dist_km`` and ``contig``. With
    ``variance`` (country → error variance) the fit is weighted by ``1/(s_i + s_j)``
    (feasible GLS), else ordinary least squares.
    """
    both = pairs[(pairs["x_usd"] > 0) & (pairs["m_cif_usd"] > 0) & pairs["dist_km"].notna()]
    y = np.log(both["m_cif_usd"].to_numpy() / both["x_usd"].to_numpy())
    ok = np.abs(y) <= math.log(trim)
    y = y[ok]
    ln_dist = np.log(both["dist_km"].to_numpy()[ok])
    contig = both["contig"].to_numpy()[ok].astype(float)
    cols = [np.ones_like(y), ln_dist]
    has_contig = bool(contig.min() != contig.max()) if len(contig) else False
    if has_contig:
        cols.append(contig)
    design = np.column_stack(cols) if len(y) else np.empty((0, len(cols)))
    if len(y) < 3 or np.linalg.matrix_rank(design) < design.shape[1]:
        raise EstimationError(
            f"cannot fit CIF/FOB margins on {len(y)} flow(s) declared by both sides with "
            "distinct distances; ingest more declarations (both reporters, several partners)"
        )
    weight = np.ones_like(y)
    if variance is not None:
        s_x = both["exporter"].map(variance).to_numpy(dtype=float)[ok]
        s_m = both["importer"].map(variance).to_numpy(dtype=float)[ok]
        weight = 1.0 / np.nan_to_num(s_x + s_m, nan=float(np.nanmedian(s_x + s_m)))
    root = np.sqrt(weight)
    beta, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    resid = y - design @ beta
    mean = float(np.average(y, weights=weight))
    ss_tot = float((weight * (y - mean) ** 2).sum())
    r2 = 1.0 - float((weight * resid**2).sum()) / ss_tot if ss_tot > 0 else 0.0
    b_contig = float(beta[2]) if has_contig else 0.0
    model = MarginModel(float(beta[0]), float(beta[1]), b_contig, len(y), r2, max_margin, 0.0)
    fallback = float(np.median(model.margin(np.exp(ln_dist), contig)))
    return MarginModel(model.const, model.b_dist, b_contig, len(y), r2, max_margin, fallback)


def fit_reliability(
    d: np.ndarray[Any, Any], exp: Sequence[str], imp: Sequence[str]
) -> tuple[pd.DataFrame, bool]:
    """Least-squares variances ``s`` with ``d² ≈ s_exporter + s_importer``; one per country."""
    countries = sorted(set(exp) | set(imp))
    index = {c: i for i, c in enumerate(countries)}
    ei = np.array([index[c] for c in exp], dtype=int)
    ii = np.array([index[c] for c in imp], dtype=int)
    n = len(countries)
    normal = np.zeros((n, n))
    rhs = np.zeros(n)
    d2 = d**2
    np.add.at(normal, (ei, ei), 1.0)
    np.add.at(normal, (ii, ii), 1.0)
    np.add.at(normal, (ei, ii), 1.0)
    np.add.at(normal, (ii, ei), 1.0)
    np.add.at(rhs, ei, d2)
    np.add.at(rhs, ii, d2)
    rank = int(np.linalg.matrix_rank(normal)) if n else 0
    solution = np.linalg.lstsq(normal, rhs, rcond=None)[0] if n else np.zeros(0)
    floor = max(float(np.mean(d2)) * 1e-3, 1e-12) if len(d2) else 1e-12
    variance = np.maximum(solution, floor)
    nobs = np.bincount(ei, minlength=n) + np.bincount(ii, minlength=n)
    table = pd.DataFrame(
        {"country": countries, "variance": variance, "reliability": 1.0 / variance, "nobs": nobs}
    )
    return table, bool(n > 0 and rank == n)


def _with_geo(pairs: pd.DataFrame, geo: GeoDist) -> pd.DataFrame:
    return pairs.merge(geo.table, on=["exporter", "importer"], how="left")


# ---------------------------------------------------------------------- reconcile
def reconcile(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    geodist: GeoDist | str | Path,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    max_margin: float = 0.2,
    trim: float = 10.0,
    default_margin: float | None = 0.10,
    convert_to: str | None = None,
    concordances: Sequence[Concordance] = (),
) -> Reconciliation:
    """Reconcile exporter and importer declarations into one FOB value per flow.

    Parameters
    ----------
    declarations
        ``lake.declarations()`` (Ibis), or the same columns as Arrow or pandas.
    geodist
        A :class:`GeoDist` or the path of CEPII's ``dist_cepii`` CSV.
    level
        HS level to reconcile: 0 (``TOTAL``), 2, 4 or 6.
    years
        Restrict to these years.
    max_margin
        Upper bound of fitted CIF/FOB margins (fraction of FOB value).
    trim
        Flows whose ``M/X`` ratio exceeds ``trim`` (or falls below ``1/trim``) are left out
        of both estimations (they are still reconciled).
    default_margin
        Margin used for every flow when too few flows were declared by both sides to fit
        the model (the IMF Direction of Trade Statistics convention is 10%); ``None`` raises
        instead. The result's ``margins.nobs`` is then 0.

    Raises
    ------
    EstimationError
        Too few flows declared by both sides to fit the margins and ``default_margin=None``.

    With ``convert_to`` (``"HS17"``) and the ``concordances`` that reach it, declarations are
    first converted to one HS revision (:func:`bilat.codes.concordance.convert_flows`), so
    that two reporters using different revisions are compared code for code; rows of
    unstated revision are kept as they are.
    """
    if max_margin < 0 or trim <= 1:
        raise InputError(f"max_margin must be ≥ 0 and trim > 1, got {max_margin} and {trim}")
    geo = geodist if isinstance(geodist, GeoDist) else load_geodist(geodist)
    if convert_to is not None:
        if not concordances:
            raise InputError(
                f"converting to {convert_to} needs a correlation table: give --concordance FILE"
            )
        declarations = convert_flows(
            _as_ibis(declarations), to=convert_to, concordances=concordances, unstated="keep"
        )
    pairs = mirror_pairs(declarations, level=level, years=years)
    pairs = _with_geo(pairs, geo)
    try:
        margins = fit_margins(pairs, max_margin=max_margin, trim=trim)
    except EstimationError:
        if default_margin is None:
            raise
        const = math.log1p(default_margin)
        margins = MarginModel(
            const, 0.0, 0.0, 0, 0.0, max(max_margin, default_margin), default_margin
        )
    pairs = _apply_margins(pairs, margins)
    reliability, identified = _reliability(pairs, trim)
    if (
        identified and margins.nobs
    ):  # one feasible-GLS round: weight the margin fit by the error variances
        variance = dict(zip(reliability["country"], reliability["variance"], strict=True))
        margins = fit_margins(pairs, max_margin=max_margin, trim=trim, variance=variance)
        pairs = _apply_margins(pairs, margins)
        reliability, identified = _reliability(pairs, trim)
    pairs = _weigh(pairs, reliability, identified)
    pairs = pairs.drop(columns=["dist_km", "contig"])
    rev = revision(convert_to) if convert_to is not None else "HS"
    return Reconciliation(_as_flows(pairs, rev), pairs, margins, reliability, identified, level)


def _apply_margins(pairs: pd.DataFrame, margins: MarginModel) -> pd.DataFrame:
    known = pairs["dist_km"].notna().to_numpy()
    margin = np.full(len(pairs), margins.fallback)
    margin[known] = margins.margin(
        pairs["dist_km"].to_numpy()[known], pairs["contig"].to_numpy()[known]
    )
    return pairs.assign(margin=margin, m_fob_usd=pairs["m_cif_usd"] / (1.0 + margin))


def _reliability(pairs: pd.DataFrame, trim: float) -> tuple[pd.DataFrame, bool]:
    both = ((pairs["x_usd"] > 0) & (pairs["m_fob_usd"] > 0)).to_numpy()
    d = np.log(pairs["m_fob_usd"].to_numpy()[both] / pairs["x_usd"].to_numpy()[both])
    inside = np.abs(d) <= math.log(trim)
    exp = pairs["exporter"].to_numpy()[both][inside]
    imp = pairs["importer"].to_numpy()[both][inside]
    return fit_reliability(d[inside], list(exp), list(imp))


def _weigh(pairs: pd.DataFrame, reliability: pd.DataFrame, identified: bool) -> pd.DataFrame:
    var = dict(zip(reliability["country"], reliability["variance"], strict=True))
    default = float(np.median(reliability["variance"])) if len(reliability) else 1.0
    s_x = pairs["exporter"].map(var).fillna(default).to_numpy()
    s_m = pairs["importer"].map(var).fillna(default).to_numpy()
    w = s_m / (s_x + s_m) if identified else np.full(len(pairs), 0.5)
    has_x = pairs["x_usd"].notna().to_numpy()
    has_m = pairs["m_fob_usd"].notna().to_numpy()
    w = np.where(has_x & has_m, w, np.where(has_x, 1.0, 0.0))
    value = (
        w * pairs["x_usd"].fillna(0.0).to_numpy()
        + (1 - w) * pairs["m_fob_usd"].fillna(0.0).to_numpy()
    )
    basis = np.where(has_x & has_m, "reconciled", np.where(has_x, "exporter", "importer"))
    return pairs.assign(w_exporter=w, value_usd=value, basis=basis)


def _as_flows(pairs: pd.DataFrame, hs_rev: str) -> pa.Table:
    n = len(pairs)
    return pa.table(
        {
            "year": pa.array(pairs["year"].astype("int16"), pa.int16()),
            "exporter": pa.array(pairs["exporter"], pa.string()),
            "importer": pa.array(pairs["importer"], pa.string()),
            "product": pa.array(pairs["product"], pa.string()),
            "hs_rev": pa.array([hs_rev] * n, pa.string()),
            "value_usd": pa.array(pairs["value_usd"], pa.float64()),
            "quantity": pa.nulls(n, pa.float64()),
            "quantity_unit": pa.nulls(n, pa.string()),
            "source": pa.array(["mirror"] * n, pa.string()),
            "basis": pa.array(pairs["basis"], pa.string()),
        },
        schema=FLOW_SCHEMA,
    )


# ---------------------------------------------------------------------- report
def mirror_report(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    a: str,
    b: str,
    geodist: GeoDist | str | Path,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    tolerance: float = 0.05,
    max_margin: float = 0.2,
    default_margin: float | None = 0.10,
    convert_to: str | None = None,
    concordances: Sequence[Concordance] = (),
) -> MirrorReport:
    """Explain a dyad's mirror gaps, both directions, product by product.

    Margins and reliabilities are estimated on every flow in ``declarations`` (the more
    countries, the better the estimates); the report then keeps the dyad's flows.
    ``tolerance`` is the relative gap (in log points) below which two values are taken as
    equal. Causes: ``cif/fob`` (the FOB-converted import matches the export), ``timing``
    (gaps of opposite sign in consecutive years that offset), ``misclassification``
    (gaps of opposite sign within one heading that offset), ``re-exports`` (the importer
    declares more than the exporter: goods of the exporter's origin that reached the
    importer through a third country), ``one-sided`` (only one side declared), ``other``.
    ``convert_to`` and ``concordances``: as in :func:`reconcile`.
    """
    ca, cb = to_iso3(a), to_iso3(b)
    if ca == cb:
        raise InputError(f"a mirror report needs two countries, got {ca} twice")
    if tolerance <= 0:
        raise InputError(f"tolerance must be positive, got {tolerance}")
    rec = reconcile(
        declarations,
        geodist,
        level=level,
        years=years,
        max_margin=max_margin,
        default_margin=default_margin,
        convert_to=convert_to,
        concordances=concordances,
    )
    p = rec.pairs
    dyad = p[
        ((p["exporter"] == ca) & (p["importer"] == cb))
        | ((p["exporter"] == cb) & (p["importer"] == ca))
    ]
    if dyad.empty:
        raise NotFoundError(
            f"neither {ca} nor {cb} declared trade with the other at HS level {level}"
            "; fetch both sides with `bilat fetch comtrade` or choose another --level"
        )
    products = _gaps(dyad.copy(), tolerance, level)
    totals = _totals(products)
    causes = _cause_totals(products)
    notes = _notes(products, rec)
    return MirrorReport(ca, cb, level, products, totals, causes, rec.margins, notes)


def _gaps(frame: pd.DataFrame, tol: float, level: int) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "year": frame["year"].astype(int),
            "exporter": frame["exporter"],
            "importer": frame["importer"],
            "product": frame["product"],
            "exports_declared_usd": frame["x_usd"],
            "imports_declared_usd": frame["m_cif_usd"],
            "margin": frame["margin"],
            "imports_fob_usd": frame["m_fob_usd"],
            "reconciled_usd": frame["value_usd"],
            "basis": frame["basis"],
            "w_exporter": frame["w_exporter"],
        }
    ).reset_index(drop=True)
    out["gap_usd"] = out["imports_declared_usd"] - out["exports_declared_usd"]
    out["gap_cif_fob_usd"] = out["imports_declared_usd"] - out["imports_fob_usd"]
    out["gap_other_usd"] = out["imports_fob_usd"] - out["exports_declared_usd"]
    out["causes"] = _causes(out, tol, level)
    return out.sort_values(["exporter", "year", "product"]).reset_index(drop=True)


def _causes(out: pd.DataFrame, tol: float, level: int) -> list[str]:
    both = out["exports_declared_usd"].notna() & out["imports_declared_usd"].notna()
    x = out["exports_declared_usd"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.log(out["imports_fob_usd"].to_numpy(dtype=float) / x)
        full = np.log(out["imports_declared_usd"].to_numpy(dtype=float) / x)
    other = out["gap_other_usd"].fillna(0.0)
    timing = _offsetting(out, other, ["exporter", "importer", "product"], "year", consecutive=True)
    klass = np.zeros(len(out), dtype=bool)
    if level >= 4:  # codes of one heading (level 6) or one chapter (level 4)
        heads = out.assign(_head=out["product"].str[: level - 2])
        group = ["exporter", "importer", "year", "_head"]
        klass = _offsetting(heads, other, group, "product", consecutive=False)
    labels: list[str] = []
    for i in range(len(out)):
        if not both.iloc[i]:
            labels.append("one-sided")
            continue
        found = []
        small = abs(rest[i]) <= tol
        if small and abs(full[i]) > tol:
            found.append("cif/fob")
        if not small:
            if timing[i]:
                found.append("timing")
            if klass[i]:
                found.append("misclassification")
            if rest[i] > tol and not found:
                found.append("re-exports")
            if not found:
                found.append("other")
        labels.append(",".join(found))
    return labels


def _offsetting(
    frame: pd.DataFrame, gap: pd.Series[float], group: list[str], order: str, *, consecutive: bool
) -> np.ndarray[Any, Any]:
    """Rows whose gap is offset (≥ half) by an opposite gap of a neighbour in their group."""
    flags = np.zeros(len(frame), dtype=bool)
    work = frame.assign(_gap=gap.to_numpy(), _row=np.arange(len(frame))).sort_values(
        [*group, order]
    )
    for _, g in work.groupby(group, sort=False):
        if len(g) < 2:
            continue
        gaps = g["_gap"].to_numpy()
        rows = g["_row"].to_numpy()
        keys = g[order].to_numpy()
        for i in range(len(g)):
            for j in range(len(g)):
                if i == j or gaps[i] * gaps[j] >= 0:
                    continue
                if consecutive and abs(int(keys[i]) - int(keys[j])) != 1:
                    continue
                if abs(gaps[i] + gaps[j]) <= 0.5 * (abs(gaps[i]) + abs(gaps[j])):
                    flags[rows[i]] = True
    return flags


def _totals(products: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "exports_declared_usd",
        "imports_declared_usd",
        "imports_fob_usd",
        "reconciled_usd",
        "gap_usd",
        "gap_cif_fob_usd",
        "gap_other_usd",
    ]
    grouped = products.groupby(["year", "exporter", "importer"], as_index=False)
    totals = grouped[cols].sum(min_count=1)
    counts = grouped.agg(
        products=("product", "size"),
        both_declared=("basis", lambda s: int((s == "reconciled").sum())),
    )
    return totals.merge(counts, on=["year", "exporter", "importer"])


def _cause_totals(products: pd.DataFrame) -> dict[str, float]:
    out = dict.fromkeys(CAUSES, 0.0)
    for causes, other, cif, x, m in zip(
        products["causes"],
        products["gap_other_usd"],
        products["gap_cif_fob_usd"],
        products["exports_declared_usd"],
        products["imports_fob_usd"],
        strict=True,
    ):
        for cause in filter(None, causes.split(",")):
            if cause == "cif/fob":
                out[cause] += abs(float(cif))
            elif cause == "one-sided":
                out[cause] += float(x if not pd.isna(x) else m)
            else:
                out[cause] += abs(float(other))
    return out


def _notes(products: pd.DataFrame, rec: Reconciliation) -> tuple[str, ...]:
    if rec.margins.nobs:
        notes = [
            f"CIF/FOB margins fitted on {rec.margins.nobs:,} flows declared by both sides "
            f"(R² {rec.margins.r2:.2f})"
        ]
    else:
        notes = [
            "too few flows declared by both sides to fit CIF/FOB margins; a flat "
            f"{rec.margins.fallback:.0%} margin was used"
        ]
    if not rec.identified:
        notes.append(
            "reporter reliabilities are not identified from these data (too few countries); "
            "both declarations weighted equally"
        )
    one = products[products["basis"] != "reconciled"]
    for (year, exporter, importer), g in one.groupby(["year", "exporter", "importer"]):
        if (
            len(g)
            == (
                products[
                    (products["year"] == year)
                    & (products["exporter"] == exporter)
                    & (products["importer"] == importer)
                ]
            ).shape[0]
        ):
            side = "importer" if g["exports_declared_usd"].isna().all() else "exporter"
            notes.append(f"{year} {exporter}→{importer}: only the {side} declared")
    return tuple(notes)


def _check_level(level: int) -> None:
    if level not in (0, 2, 4, 6):
        raise InputError(f"level must be 0 (totals), 2, 4 or 6; got {level}")
