"""A product listing: every product of one direction, filtered by basket, sorted, cut.

:func:`list_products` is what ``bilat trade products`` and the products explorer show;
:func:`listing_of` applies the same choices to a :class:`~bilat.trade.ProductsResult`
already computed (the web app keeps one per dyad, year, level and flow, and sorts it again
without reading the lake).

>>> lst = list_products(lake, "BLR", "KAZ", year=2021, basket="confectionery")  # doctest: +SKIP
>>> lst.n_rows, lst.rows.num_rows                                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from bilat.codes.baskets import basket as find_basket
from bilat.options import ProductSort, SortOrder, check_top, choice
from bilat.trade.dyad import Dyad
from bilat.trade.results import Provenance
from bilat.tradeview import Coverage, TradeView

if TYPE_CHECKING:
    import pandas as pd

    from bilat.lake import Lake
    from bilat.trade.results import ProductsResult

__all__ = ["ProductListing", "list_products", "listing_of"]


@dataclass(frozen=True, slots=True)
class ProductListing:
    """Products of one direction of a dyad's trade, as chosen and ordered.

    Attributes
    ----------
    exporter, importer, year, level, flow, total_usd, n_products, provenance, coverage
        As in :class:`~bilat.trade.ProductsResult` (``n_products``: every product traded in
        the direction, ``total_usd``: their total, whatever the basket).
    basket
        The basket the rows are limited to (its name), or ``None`` for every product.
    sort, order
        The column the rows are sorted by (:data:`~bilat.options.ProductSort`) and the order
        (``asc`` or ``desc``); rows without a value in that column come last.
    top
        How many rows are listed at most (``None``: all).
    n_rows
        Rows that match the basket, before the cut to ``top``.
    rows
        ``rank`` (1 = largest in the direction, whatever the basket), ``product``,
        ``description``, ``value_usd``, ``share_pct``, ``previous_usd``, ``growth_pct``.
    """

    exporter: str
    importer: str
    year: int
    level: int
    flow: str
    total_usd: float | None
    n_products: int
    basket: str | None
    sort: str
    order: str
    top: int | None
    n_rows: int
    rows: pa.Table
    provenance: Provenance
    coverage: Coverage | None = None

    def title(self) -> str:
        """A title for tables."""
        within = f", basket {self.basket}" if self.basket else ""
        return f"HS{self.level} products, {self.exporter}→{self.importer}, {self.year}{within}"

    def to_pandas(self) -> pd.DataFrame:
        """The rows as pandas."""
        frame: pd.DataFrame = self.rows.to_pandas()
        return frame


def listing_of(
    products: ProductsResult,
    *,
    basket: str | None = None,
    sort: str = "rank",
    order: str = "asc",
    top: int | None = None,
) -> ProductListing:
    """``products`` (all rows of a direction) filtered by ``basket``, sorted, cut to ``top``.

    Raises
    ------
    InputError
        ``sort``, ``order`` or ``top`` not allowed (the message lists what is).
    UnknownCodeError
        An unknown basket (the message names the closest).
    """
    key = choice(ProductSort, sort, "sort")
    direction = choice(SortOrder, order, "order")
    n = check_top(top)
    rows: list[dict[str, Any]] = products.rows.to_pylist()
    name = basket or None
    if name is not None:
        chosen = find_basket(name)
        name = chosen.name
        rows = [r for r in rows if chosen.matches(r["product"])]
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: r[key], reverse=direction == "desc")
    ordered = present + missing
    shown = ordered if n is None else ordered[:n]
    return ProductListing(
        exporter=products.exporter,
        importer=products.importer,
        year=products.year,
        level=products.level,
        flow=products.flow,
        total_usd=products.total_usd,
        n_products=products.n_products,
        basket=name,
        sort=key,
        order=direction,
        top=n,
        n_rows=len(ordered),
        rows=pa.Table.from_pylist(shown, schema=products.rows.schema),
        provenance=products.provenance,
        coverage=products.coverage,
    )


def list_products(
    lake: Lake,
    a: str | Sequence[str],
    b: str | Sequence[str],
    *,
    year: int,
    level: int = 4,
    flow: str = "export",
    basket: str | None = None,
    sort: str = "rank",
    order: str = "asc",
    top: int | None = 20,
    precedence: str | Sequence[str] | None = None,
    basis: str | None = None,
    view: TradeView | None = None,
) -> ProductListing:
    """The products of A's exports to B (``flow="export"``) or imports from B in ``year``.

    Parameters
    ----------
    lake, a, b
        As for :class:`~bilat.trade.Dyad`.
    year, level, flow
        The year, HS level (2, 4, 6) and direction.
    basket, sort, order, top
        See :func:`listing_of`. The defaults list the 20 largest products.
    precedence, basis, view
        Source precedence (``precedence``: classes best first), as for
        :class:`~bilat.trade.Dyad` (``order`` there).
    """
    choice(ProductSort, sort, "sort")  # options are checked before the lake is read
    choice(SortOrder, order, "order")
    check_top(top)
    if basket:
        find_basket(basket)
    dyad = Dyad(lake, a, b, order=precedence, basis=basis, view=view)
    every = dyad.products(year, level=level, top=None, flow=flow)
    return listing_of(every, basket=basket, sort=sort, order=order, top=top)
