"""A gravity run: the panel (from a lake or a file), its covariates, the fit, the dyads.

:func:`run_gravity` is ``bilat potential gravity`` as one call: it validates every option
before reading anything, builds the panel (aggregated from the lake's believed flows, or
read from a panel file), joins the CEPII GeoDist covariates and the user's covariates,
estimates PPML (:func:`bilat.potential.gravity.estimate`) and compares fitted with actual
trade for the dyad asked, in both directions.

>>> run = run_gravity(lake, geodist="dist_cepii.csv", dyad=("BLR", "KAZ"))   # doctest: +SKIP
>>> run.fit.coefficient("ln_dist").estimate, run.dyads[0].gap_usd           # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from bilat.errors import InputError
from bilat.options import Distance, Level, check_year, choice, parse_dyad
from bilat.potential.gravity import DEFAULT_TERMS, DyadGravity, GravityConfig, GravityFit, estimate
from bilat.potential.panel import (
    check_basis,
    join_covariates,
    join_geodist,
    panel_from_flows,
    parse_years,
    read_geodist,
    read_panel,
)
from bilat.potential.products import country_code

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
        "coefficients": list[dict[str, float | str | None]],
        "terms": list[str],
        "cluster": str,
        "small_sample": str,
        "domestic": bool,
        "years": list[int],
        "n_obs": int,
        "n_dropped": int,
        "n_clusters": int,
        "n_exporter_years": int,
        "n_importer_years": int,
        "r2": float | None,
        "pseudo_r2": float | None,
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
    a, b = (country_code(c) for c in dyad)
    return a, b


def _panel(
    lake: Any,
    panel: str | Path | None,
    *,
    years: tuple[int, ...] | None,
    read: dict[str, Any],
) -> tuple[Any, bool]:
    if (lake is None) == (panel is None):
        raise InputError(
            "give either a lake or a panel file to estimate gravity on, not "
            + ("both" if panel is not None else "neither"),
            details={"expected": "lake or panel"},
        )
    if panel is not None:
        return read_panel(panel), False
    frame = panel_from_flows(lake, years=years, **read)
    return frame, bool(getattr(lake, "is_synthetic", False))


def run_gravity(
    lake: Any = None,
    *,
    panel: str | Path | None = None,
    geodist: str | Path | None = None,
    extra_covariates: str | Path | None = None,
    distance: str = "distw",
    years: str | Sequence[int] | None = None,
    terms: str | Sequence[str] = DEFAULT_TERMS,
    cluster: str = "pair",
    small_sample: str = "fixest",
    domestic: bool = False,
    dyad: str | Sequence[str] | None = None,
    year: int | None = None,
    level: int = 6,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> GravityRun:
    """Estimate structural gravity on a lake's flows or a panel file, and compare a dyad.

    Parameters
    ----------
    lake, panel
        A ``Lake`` whose believed flows make the panel (:func:`~bilat.potential.
        panel_from_flows`), or a panel file (:func:`~bilat.potential.read_panel`).
    geodist, distance
        A CEPII GeoDist file (``dist_cepii.csv[.gz]``) and the distance measure taken
        from it as ``dist``.
    extra_covariates
        A file of the user's covariates (:func:`~bilat.potential.join_covariates`).
    years, terms, cluster, small_sample, domestic
        The specification (:func:`~bilat.potential.estimate`); ``years`` may be text
        (``"1986-2006/4"``), ``terms`` comma-separated text.
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
    config = GravityConfig.make(terms=_terms(terms), years=parse_years(years), cluster=cluster,
                                small_sample=small_sample, domestic=domestic)  # fmt: skip
    measure = choice(Distance, distance, "distance")
    pair, when = _pair(dyad), check_year(year) if year is not None else None
    read = {"level": choice(Level, level, "level"), "source": source, "basis": check_basis(basis)}
    frame, synthetic = _panel(
        lake, panel, years=config.years, read={**read, "hs_rev": hs_rev, "order": order}
    )
    frame = _covariates(frame, geodist, extra_covariates, distance=measure)
    fit = estimate(frame, terms=config.terms, years=config.years, cluster=config.cluster,
                   small_sample=config.small_sample, domestic=config.domestic)  # fmt: skip
    dyads = () if pair is None else _compare(fit, pair, when)
    return GravityRun(fit, dyads, synthetic, "panel units" if panel is not None else "USD")


def _covariates(
    frame: Any, geodist: str | Path | None, extra: str | Path | None, *, distance: Any
) -> Any:
    if geodist is not None:
        frame = join_geodist(frame, read_geodist(geodist), distance=distance)
    return join_covariates(frame, extra) if extra is not None else frame


def _compare(fit: GravityFit, pair: tuple[str, str], year: int | None) -> tuple[DyadGravity, ...]:
    a, b = pair
    return (fit.dyad(a, b, year=year), fit.dyad(b, a, year=year))
