"""The dyad: two countries (or groups) and every trade indicator between them.

>>> dyad = Dyad(lake, "BLR", "KAZ")           # doctest: +SKIP
>>> dyad.summary(2021).lines()                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bilat.codes.baskets import Basket, load_baskets
from bilat.errors import InputError, NotFoundError, UnknownCodeError
from bilat.options import FlowDirection, Level, check_top, check_year, check_years, choice
from bilat.trade import _core, structure
from bilat.trade._sides import Side, side
from bilat.trade.results import (
    BasketsResult,
    Complementarity,
    Concentration,
    EventsResult,
    Intensity,
    MirrorGap,
    PartnersResult,
    ProductsResult,
    RcaResult,
    SeriesResult,
    Summary,
)
from bilat.tradeview import TradeView

if TYPE_CHECKING:
    from bilat.lake import Lake
    from bilat.trade.iit import IntraIndustry

__all__ = ["Dyad"]


class Dyad:
    """Trade between ``a`` and ``b`` as the lake holds it.

    Parameters
    ----------
    lake
        The lake to read (any Ibis backend: DuckDB by default, or Spark).
    a, b
        Countries in any form ``bilat.codes.countries.to_iso3`` reads (``"BLR"``,
        ``"Kazakhstan"``, ``112``), a group name (``"EU27"``, ``"EAEU"``) or a list of
        countries. Exports are A→B, imports A←B.

    order, basis
        Source precedence of the figures (see :class:`bilat.tradeview.TradeView`): ``basis``
        pins one class (``"importer"``); ``order`` lists classes best first.
    view
        A trade view to read through instead (its precedence wins).

    Raises
    ------
    UnknownCodeError
        A country that is not known.
    InputError
        The two sides are the same or overlap, or the precedence names an unknown class.
    """

    def __init__(
        self,
        lake: Lake,
        a: str | Sequence[str],
        b: str | Sequence[str],
        *,
        order: str | Sequence[str] | None = None,
        basis: str | None = None,
        view: TradeView | None = None,
    ) -> None:
        self.lake = lake
        self.view = view if view is not None else TradeView(lake, order=order, basis=basis)
        self.a: Side = side(a)
        self.b: Side = side(b)
        overlap = sorted(set(self.a.members) & set(self.b.members))
        if overlap:
            raise InputError(
                f"the two sides of a dyad must not overlap, but {', '.join(overlap)} is in both "
                f"({self.a.code} and {self.b.code}); choose two different countries",
                details={"value": overlap, "expected": "two disjoint sides"},
            )

    def __repr__(self) -> str:
        return f"Dyad({self.a.code!r}, {self.b.code!r})"

    def _cat(self) -> TradeView:
        return self.view

    def summary(self, year: int) -> Summary:
        """Exports, imports, turnover, balance, growth on ``year - 1``, and standings."""
        y = check_year(year)  # arguments are checked before the lake is read
        return _core.summary(self.lake, self._cat(), self.a, self.b, y)

    def held_span(self, start: int | None = None, end: int | None = None) -> tuple[int, int]:
        """``(start, end)`` checked, each ``None`` replaced by the first or last year held.

        Raises ``NotFoundError`` when a year is left to fill and the lake holds no trade.
        """
        if start is None or end is None:
            held = self.view.years()
            if not held:
                raise NotFoundError(
                    "the lake holds no trade yet; ingest a file of flows or declarations first",
                    details={"years": []},
                )
            start = held[0] if start is None else start
            end = held[-1] if end is None else end
        return check_years(start, end)

    def series(self, start: int | None = None, end: int | None = None) -> SeriesResult:
        """Yearly exports, imports, turnover and balance from ``start`` to ``end``.

        ``start`` and ``end`` default to the first and the last year the lake holds.
        """
        first, last = self.held_span(start, end)
        return _core.series(self.lake, self._cat(), self.a, self.b, first, last)

    def products(
        self, year: int, *, level: int = 4, top: int | None = 20, flow: str = "export"
    ) -> ProductsResult:
        """Top products of A's exports to B (``flow="export"``) or imports from B."""
        y, lvl, n, f = (
            check_year(year),
            choice(Level, level, "level"),
            check_top(top),
            choice(FlowDirection, flow, "flow"),
        )
        return _core.products(
            self.lake, self._cat(), self.a, self.b, year=y, level=lvl, top=n, flow=f
        )

    def baskets(
        self,
        start: int | None = None,
        end: int | None = None,
        *,
        flow: str = "export",
        names: Iterable[str] | None = None,
        extra: Iterable[str | Path] = (),
    ) -> BasketsResult:
        """Each basket's value in ``start`` and ``end`` and the multiplier ("x2.0").

        ``names`` picks baskets (default: all shipped and user baskets); ``extra`` adds
        basket files (see :func:`bilat.codes.baskets.load_baskets`). ``end`` defaults to
        the last year the lake holds, ``start`` to the year before ``end``.
        """
        if end is None:
            end = self.held_span(start)[1]
        first = check_year(end, name="end") - 1 if start is None else start
        first, last = check_year(first, name="start"), check_year(end, name="end")
        f = choice(FlowDirection, flow, "flow")
        items = _pick_baskets(names, extra)
        return _core.baskets(
            self.lake, self._cat(), self.a, self.b, start=first, end=last, flow=f, items=items
        )

    def events(
        self, year: int, *, level: int = 6, flow: str = "export", min_value_usd: float = 0.0
    ) -> EventsResult:
        """Products that appeared, resumed or ceased in ``year`` (value at least ``min_value_usd``)."""
        if not min_value_usd >= 0:
            raise InputError(
                f"min_value_usd must be a number >= 0 but got {min_value_usd!r}",
                details={"value": str(min_value_usd), "expected": ">= 0"},
            )
        y, lvl, f = (
            check_year(year),
            choice(Level, level, "level"),
            choice(FlowDirection, flow, "flow"),
        )
        return _core.events(
            self.lake,
            self._cat(),
            self.a,
            self.b,
            year=y,
            level=lvl,
            flow=f,
            min_value_usd=float(min_value_usd),
        )

    def partners(
        self, year: int, *, flow: str = "export", top: int | None = 10, side: str = "a"
    ) -> PartnersResult:
        """A's (``side="a"``) or B's partners ranked; see :func:`bilat.trade.partners`."""
        from bilat.trade.partners import partners

        who = self.a if side == "a" else self.b if side == "b" else None
        if who is None:
            raise InputError(
                f"side must be 'a' or 'b' but got {side!r}",
                details={"value": side, "expected": ["a", "b"]},
            )
        return partners(self.lake, list(who.members), flow=flow, year=year, top=top, view=self.view)

    def concentration(self, year: int, *, level: int = 6, flow: str = "export") -> Concentration:
        """Product concentration (HHI) and number of products of A's exports to B."""
        y, lvl, f = (
            check_year(year),
            choice(Level, level, "level"),
            choice(FlowDirection, flow, "flow"),
        )
        return structure.concentration(
            self.lake, self._cat(), self.a, self.b, year=y, level=lvl, flow=f
        )

    def iit(
        self,
        years: int | Iterable[int],
        *,
        level: int = 4,
        basket: str | None = None,
        extra: Iterable[str | Path] = (),
    ) -> IntraIndustry:
        """Grubel–Lloyd intra-industry trade of A↔B by group at ``level`` (or within a
        basket), for a year or a series (:mod:`bilat.trade.iit`)."""
        from bilat.codes.baskets import basket as find_basket
        from bilat.trade.iit import intra_industry

        wanted = [years] if isinstance(years, int) else list(years)
        ys = [check_year(y) for y in wanted]
        lvl = choice(Level, level, "level")
        chosen = find_basket(basket, extra=extra) if basket is not None else None
        return intra_industry(
            self.lake, self._cat(), self.a, self.b, years=ys, level=lvl, basket=chosen
        )

    def rca(self, year: int, *, level: int = 6, min_exports_usd: float = 100_000.0) -> RcaResult:
        """Balassa revealed comparative advantage of A's exports by product, with the RCA
        of A's exports to B against the world's exports to B (``partner_rca``); products A
        exports less than ``min_exports_usd`` of are not listed."""
        y, lvl = check_year(year), choice(Level, level, "level")
        floor = _floor(min_exports_usd)
        return structure.rca(
            self.lake, self._cat(), self.a, self.b, year=y, level=lvl, min_exports_usd=floor
        )

    def complementarity(self, year: int, *, level: int = 6) -> Complementarity:
        """Trade complementarity index of A's exports with B's imports (0..100)."""
        y, lvl = check_year(year), choice(Level, level, "level")
        return structure.complementarity(self.lake, self._cat(), self.a, self.b, year=y, level=lvl)

    def intensity(self, year: int) -> Intensity:
        """Trade intensity index of A's exports to B."""
        y = check_year(year)
        return structure.intensity(self.lake, self._cat(), self.a, self.b, year=y)

    def mirror(
        self, start: int | None = None, end: int | None = None, *, level: int = 0
    ) -> MirrorGap:
        """A's declared exports to B against B's declared imports from A (0 = totals).

        ``start`` and ``end`` default to the first and the last year the lake holds.
        """
        lvl0 = 0 if level == 0 else choice(Level, level, "level")
        first, last = self.held_span(start, end)
        return structure.mirror_gap(
            self.lake, self.view, self.a, self.b, start=first, end=last, level=lvl0
        )


def _pick_baskets(names: Iterable[str] | None, extra: Iterable[str | Path]) -> list[Basket]:
    known = load_baskets(extra)
    if names is None:
        return list(known.values())
    picked = []
    for name in names:
        if name not in known:
            raise UnknownCodeError(
                f"unknown basket {name!r}; known baskets: {', '.join(sorted(known))}",
                details={"value": name, "known": sorted(known)},
            )
        picked.append(known[name])
    return picked


def _floor(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise InputError(
            f"min_exports_usd must be a number of US dollars >= 0, got {value!r}",
            details={"value": value},
        )
    return float(value)
