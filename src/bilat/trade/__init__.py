"""Trade indicators for a dyad: ``Dyad(lake, "BLR", "KAZ")``.

Core: :meth:`Dyad.summary`, :meth:`Dyad.series`, :meth:`Dyad.products`,
:meth:`Dyad.baskets`, :meth:`Dyad.events`, :func:`partners`. Structure and relationship:
:meth:`Dyad.concentration`, :meth:`Dyad.rca`, :meth:`Dyad.complementarity`,
:meth:`Dyad.intensity`, :meth:`Dyad.mirror`. Every indicator is an Ibis expression, so the
same call gives the same numbers on DuckDB and on Spark. Formulas: ``docs/indicators.md``.
"""

from __future__ import annotations

from bilat.options import EVENTS, FLOW_DIRECTIONS, LEVELS, EventKind, FlowDirection, Level
from bilat.trade._sides import GROUPS, Side, side
from bilat.trade.convert import ConvertedLake, converted
from bilat.trade.dyad import Dyad
from bilat.trade.listing import ProductListing, list_products, listing_of
from bilat.trade.overview import HeadlineFigure, Overview, headline, held_year, overview
from bilat.trade.partners import partners
from bilat.trade.results import (
    BasketsResult,
    Complementarity,
    Concentration,
    EventsResult,
    Intensity,
    MirrorGap,
    PartnersResult,
    ProductsResult,
    Provenance,
    RcaResult,
    SeriesResult,
    Source,
    Standing,
    Summary,
)

__all__ = [
    "EVENTS",
    "FLOW_DIRECTIONS",
    "GROUPS",
    "LEVELS",
    "BasketsResult",
    "Complementarity",
    "Concentration",
    "ConvertedLake",
    "Dyad",
    "EventKind",
    "EventsResult",
    "FlowDirection",
    "HeadlineFigure",
    "Intensity",
    "Level",
    "MirrorGap",
    "Overview",
    "PartnersResult",
    "ProductListing",
    "ProductsResult",
    "Provenance",
    "RcaResult",
    "SeriesResult",
    "Side",
    "Source",
    "Standing",
    "Summary",
    "converted",
    "headline",
    "held_year",
    "list_products",
    "listing_of",
    "overview",
    "partners",
    "side",
]
