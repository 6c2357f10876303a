"""The potential section of a briefing: gravity gap and unrealised products, both ways.

One call gathers what ``bilat.brief`` shows for a dyad: for each direction, the gravity gap
(when a GeoDist file is given) and the products and areas with the largest unrealised
potential, with their charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilat.errors import BilatError
from bilat.potential.gravity import DEFAULT_TERMS, DyadGravity, GravityFit, estimate
from bilat.potential.panel import join_geodist, panel_from_flows, read_geodist
from bilat.potential.products import ProductPotential, country_code, market_potential

if TYPE_CHECKING:
    import altair as alt

__all__ = ["PotentialSection", "potential_section"]


@dataclass(frozen=True)
class PotentialSection:
    """Potential between two countries, both directions.

    Attributes
    ----------
    a, b
        ISO3 codes; ``ab`` fields are a → b, ``ba`` fields b → a.
    year
        Base year.
    products_ab, products_ba
        Product-level export potential (:class:`ProductPotential`).
    gravity_ab, gravity_ba
        Gravity fitted vs actual (:class:`DyadGravity`), ``None`` without covariates.
    gravity
        The fitted gravity model, ``None`` without covariates.
    notes
        Why a part is missing, in words.
    """

    a: str
    b: str
    year: int
    products_ab: ProductPotential
    products_ba: ProductPotential
    gravity_ab: DyadGravity | None = None
    gravity_ba: DyadGravity | None = None
    gravity: GravityFit | None = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    def to_dict(self, *, top: int = 10) -> dict[str, Any]:
        """Plain data for the JSON briefing."""
        return {
            "a": self.a,
            "b": self.b,
            "year": self.year,
            "products_ab": self.products_ab.to_dict(top=top),
            "products_ba": self.products_ba.to_dict(top=top),
            "gravity_ab": self.gravity_ab.to_dict() if self.gravity_ab else None,
            "gravity_ba": self.gravity_ba.to_dict() if self.gravity_ba else None,
            "gravity_model": self.gravity.to_dict() if self.gravity else None,
            "notes": list(self.notes),
        }

    def charts(self, *, top: int = 10) -> dict[str, alt.TopLevelMixin]:
        """Charts by name: top unrealised products and sections each way, gravity series."""
        out: dict[str, alt.TopLevelMixin] = {
            "products_ab": self.products_ab.chart(top=top),
            "products_ba": self.products_ba.chart(top=top),
            "areas_ab": self.products_ab.areas_chart(),
            "areas_ba": self.products_ba.areas_chart(),
        }
        if self.gravity_ab is not None and self.gravity_ba is not None:
            out["gravity_ab"] = self.gravity_ab.chart()
            out["gravity_ba"] = self.gravity_ba.chart()
        return out


def potential_section(
    lake: Any,
    a: str,
    b: str,
    *,
    year: int,
    level: int = 6,
    geodist: str | Path | None = None,
    gravity_years: int = 5,
    terms: Sequence[str] = DEFAULT_TERMS,
    source: str | None = None,
) -> PotentialSection:
    """Product potential both ways and, with a GeoDist file, the gravity gap both ways.

    Gravity is estimated on the lake's panel for the ``gravity_years`` years up to ``year``
    (all countries, HS ``level`` flows added up, ``terms`` as in :func:`estimate`, clustered
    by pair). A
    gravity failure (no covariates, too few years) leaves the gravity fields ``None`` and
    says why in ``notes``; product potential errors propagate.
    """
    a, b = country_code(a), country_code(b)
    ab = market_potential(lake, a, b, year=year, level=level, source=source)
    ba = market_potential(lake, b, a, year=year, level=level, source=source)
    if geodist is None:
        note = "gravity gap not computed: no GeoDist covariates file given"
        return PotentialSection(a, b, year, ab, ba, notes=(note,))
    try:
        years = list(range(year - gravity_years + 1, year + 1))
        panel = panel_from_flows(lake, level=level, years=years, source=source)
        fit = estimate(join_geodist(panel, read_geodist(geodist)), terms=terms)
        g_ab, g_ba = fit.dyad(a, b, year=year), fit.dyad(b, a, year=year)
    except BilatError as exc:
        return PotentialSection(a, b, year, ab, ba, notes=(f"gravity gap not computed: {exc}",))
    return PotentialSection(a, b, year, ab, ba, g_ab, g_ba, fit)
