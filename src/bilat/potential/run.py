"""A gravity run: the panel (from a lake or a file), its covariates, the fit, the dyads.

:func:`run_gravity` is ``bilat potential gravity`` as one call: it validates every option
before reading anything, builds the panel (aggregated from the lake's believed flows, or
read from a panel file of any format :func:`~bilat.potential.panel.read_table` reads, its
columns given roles), joins the CEPII GeoDist covariates and the user's covariates,
estimates the specification asked (:func:`bilat.potential.gravity.estimate`: the textbook
PPML by default, or a formula) and compares fitted with actual trade for the dyad asked, in
both directions.

>>> run = run_gravity(lake, geodist="dist_cepii.csv", dyad=("BLR", "KAZ"))   # doctest: +SKIP
>>> run.fit.coefficient("ln_dist").estimate, run.dyads[0].gap_usd           # doctest: +SKIP
>>> run_gravity(panel="fixest-trade.csv.gz", vcov="cluster:Origin",
...             formula="Euros ~ log(dist_km) | Origin + Destination + Product + Year")
...                                                                         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from bilat.errors import InputError
from bilat.options import Distance, Level, check_year, choice, parse_dyad
from bilat.potential.gravity import GravityConfig, fit_prepared, prepare
from bilat.potential.panel import (
    PANEL_COLUMNS,
    check_basis,
    check_keys,
    join_covariates,
    join_geodist,
    panel_from_flows,
    parse_years,
    read_geodist,
    read_table,
    with_roles,
)
from bilat.potential.products import country_code
from bilat.potential.results import Coefficient, Count, Dropped, DyadGravity, GravityFit
from bilat.potential.spec import Vcov

__all__ = ["GravityRun", "run_gravity"]


@dataclass(frozen=True)
class GravityRun:
    """A fitted gravity model and the dyads compared with it.

    Attributes
    ----------
    fit
        The fitted model (:class:`~bilat.potential.GravityFit`).
    dyads
        Fitted against actual trade for the dyad asked: A→B, then B→A (empty when no dyad
        was asked for).
    synthetic
        True when the panel comes from a lake of generated sample data.
    unit
        The unit of trade values: ``USD`` from a lake, ``panel units`` from a panel file.
    """

    fit: GravityFit
    dyads: tuple[DyadGravity, ...]
    synthetic: bool
    unit: str

    # The document flattens the fit (its to_dict) into the run's own keys.
    _document_omit_: ClassVar[tuple[str, ...]] = ("fit",)
    _document_extra_: ClassVar[dict[str, Any]] = {
        "method": str,
        "formula": str,
        "coefficients": list[Coefficient],
        "terms": list[str],
        "vcov": dict[str, Any],
        "cluster": str | None,
        "small_sample": str,
        "domestic": bool,
        "columns": dict[str, str],
        "years": list[int] | None,
        "n_obs": int,
        "n_dropped": int,
        "dropped": list[Dropped],
        "separation": dict[str, Any] | None,
        "fixed_effects": list[Count],
        "n_clusters": int | None,
        "n_exporter_years": int | None,
        "n_importer_years": int | None,
        "converged": bool | None,
        "iterations": int | None,
        "r2": float | None,
        "pseudo_r2": float | None,
        "warnings": list[str],
    }

    def to_dict(self) -> dict[str, Any]:
        """The fit's coefficients and statistics, the dyads, ``synthetic`` and ``unit``."""
        return {
            **self.fit.to_dict(),
            "dyads": [d.to_dict() for d in self.dyads],
            "synthetic": self.synthetic,
            "unit": self.unit,
        }


def _terms(terms: str | Sequence[str]) -> tuple[str, ...]:
    items = terms.split(",") if isinstance(terms, str) else terms
    return tuple(t.strip() for t in items if t.strip())


def _pair(dyad: str | Sequence[str] | None) -> tuple[str, str] | None:
    if dyad is None:
        return None
    if isinstance(dyad, str):
        dyad = parse_dyad(dyad)
    if len(dyad) != 2:
        raise InputError(
            f"dyad must be two countries such as DEU,FRA, not {dyad!r}",
            details={"option": "dyad", "value": str(dyad), "expected": "A,B"},
        )
    a, b = (str(c).strip().upper() for c in dyad)
    return a, b


def _panel(
    lake: Any,
    panel: str | Path | None,
    config: GravityConfig,
    *,
    joins: bool,
    read: dict[str, Any],
) -> tuple[Any, bool]:
    if (lake is None) == (panel is None):
        raise InputError(
            "give either a lake or a panel file to estimate gravity on, not "
            + ("both" if panel is not None else "neither"),
            details={"expected": "lake or panel"},
        )
    if panel is not None:
        where = str(panel)
        need: tuple[str, ...] = ("exporter", "importer") if joins else ()
        need = PANEL_COLUMNS if config.formula is None else need
        frame = with_roles(
            read_table(panel, what="panel file"), config.roles, path=where, require=need,
            negative_trade=config.method == "ols",
        )  # fmt: skip
        check_keys(frame, path=where)
        return frame, False
    frame = panel_from_flows(lake, years=config.years, **read)
    return frame, bool(getattr(lake, "is_synthetic", False))


def run_gravity(
    lake: Any = None,
    *,
    panel: str | Path | None = None,
    geodist: str | Path | None = None,
    extra_covariates: str | Path | None = None,
    distance: str = "distw",
    years: str | Sequence[int] | None = None,
    formula: str | None = None,
    method: str = "ppml",
    vcov: str | Vcov | None = None,
    columns: str | Mapping[str, str] | None = None,
    terms: str | Sequence[str] | None = None,
    cluster: str | None = None,
    small_sample: str = "fixest",
    domestic: bool = False,
    maxiter: int = 25,
    separation: str = "both",
    dyad: str | Sequence[str] | None = None,
    year: int | None = None,
    level: int = 6,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> GravityRun:
    """Estimate a gravity equation on a lake's flows or a panel file, and compare a dyad.

    Parameters
    ----------
    lake, panel
        A ``Lake`` whose believed flows make the panel (:func:`~bilat.potential.
        panel_from_flows`), or a panel file (CSV, TSV, ``.dlm``, ``.txt``, gzipped or not,
        Parquet, Stata ``.dta``: :func:`~bilat.potential.panel.read_table`).
    geodist, distance
        A CEPII GeoDist file (``dist_cepii.csv[.gz]``) and the distance measure taken
        from it as ``dist``.
    extra_covariates
        A file of the user's covariates (:func:`~bilat.potential.join_covariates`).
    formula, method, vcov, columns, terms, cluster, years, small_sample, domestic, maxiter,
    separation
        The specification (:func:`~bilat.potential.estimate`); ``years`` may be text
        (``"1986-2006/4"``), ``terms`` comma-separated text, ``columns`` the text
        ``exporter=Origin,importer=Destination``.
    dyad, year
        Two countries (``("BLR", "KAZ")`` or ``"BLR,KAZ"``) to compare fitted with actual
        trade for in both directions, in ``year`` (default: the pair's latest sample year).
    level, source, basis, hs_rev, order
        From a lake: the HS level aggregated and which rows are read
        (:func:`~bilat.potential.panel_from_flows`).

    Raises ``InputError`` for a bad option (named) or both or neither of ``lake`` and
    ``panel``; ``NotFoundError`` when no flows are held for the years asked, or the dyad
    is not in the estimation sample.
    """
    config = GravityConfig.make(
        terms=None if terms is None else _terms(terms), formula=formula, method=method,
        vcov=vcov, columns=columns, years=parse_years(years), cluster=cluster,
        small_sample=small_sample, domestic=domestic, maxiter=maxiter, separation=separation,
    )  # fmt: skip
    measure = choice(Distance, distance, "distance")
    pair, when = _pair(dyad), check_year(year) if year is not None else None
    read = {"level": choice(Level, level, "level"), "source": source, "basis": check_basis(basis)}
    joins = geodist is not None or extra_covariates is not None
    frame, synthetic = _panel(
        lake, panel, config, joins=joins, read={**read, "hs_rev": hs_rev, "order": order}
    )
    frame = _covariates(frame, geodist, extra_covariates, distance=measure)
    fit = fit_prepared(prepare(frame, config), config)
    dyads = () if pair is None else _compare(fit, pair, when)
    return GravityRun(fit, dyads, synthetic, "panel units" if panel is not None else "USD")


def _covariates(
    frame: Any, geodist: str | Path | None, extra: str | Path | None, *, distance: Any
) -> Any:
    if geodist is not None:
        frame = join_geodist(frame, read_geodist(geodist), distance=distance)
    return join_covariates(frame, extra) if extra is not None else frame


def _compare(fit: GravityFit, pair: tuple[str, str], year: int | None) -> tuple[DyadGravity, ...]:
    a, b = (_code(fit, c) for c in pair)
    return (fit.dyad(a, b, year=year), fit.dyad(b, a, year=year))


def _code(fit: GravityFit, text: str) -> str:
    """A dyad's country as the panel writes it: the code typed when the panel has it (a
    panel of ISO2 codes, or codes of the user's own), else the ISO3 code of a name."""
    held = fit.fitted is not None and (
        (fit.fitted["exporter"] == text).any() or (fit.fitted["importer"] == text).any()
    )
    return text if held else country_code(text)
