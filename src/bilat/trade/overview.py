"""A dyad's overview: the first look at a pair's trade in a year, as one result.

>>> ov = overview(lake, "BLR", "KAZ", year=2021)      # doctest: +SKIP
>>> [h.label for h in ov.headline]                   # doctest: +SKIP
['Turnover', 'Exports BLR→KAZ', 'Imports BLR←KAZ', 'Balance']

What the overview holds is decided here, once, for every front: the headline figures of the
year, the series of the last ``window`` years the lake holds, the ``top`` products of each
direction, and, when the lake holds the year before, the baskets compared with it and the
product events of the year.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilat.errors import NotFoundError
from bilat.options import check_top, check_year
from bilat.trade.dyad import Dyad
from bilat.trade.results import BasketsResult, EventsResult, ProductsResult, SeriesResult, Summary
from bilat.tradeview import TradeView

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["HeadlineFigure", "Overview", "headline", "held_year", "overview"]

#: Years of series an overview shows, the year itself included.
WINDOW = 10
#: Product events an overview lists (the counts cover them all).
EVENTS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class HeadlineFigure:
    """One of the overview's four headline figures, saying what it rests on.

    Attributes
    ----------
    key
        ``turnover``, ``exports``, ``imports`` or ``balance``.
    label
        What a reader sees: ``"Exports BLR→KAZ"``.
    value_usd
        US dollars; ``None`` when no source covers it (turnover and balance need both
        directions), never 0 for "unknown".
    available
        ``value_usd is not None``.
    growth_pct
        Change on the previous year in percent (``None`` for the balance, or when unknown).
    note
        Why the figure is not available (empty when it is).
    basis
        What the figure rests on (the share of each source), empty when not available.
    coverage
        The coverage text when the figure is built from part of the products only.
    status
        ``full``, ``partial`` or ``none``.
    """

    key: str
    label: str
    value_usd: float | None
    available: bool
    growth_pct: float | None
    note: str
    basis: str
    coverage: str
    status: str


def headline(summary: Summary) -> tuple[HeadlineFigure, ...]:
    """The four headline figures of ``summary``: turnover, exports, imports, balance."""
    figs = summary.figures
    both = {"exports": figs["exports"], "imports": figs["imports"]}

    def item(key: str, label: str, value: float | None, growth: float | None) -> HeadlineFigure:
        used = both if key in ("turnover", "balance") else {key: both[key]}
        gaps = [(n, f.coverage.reason) for n, f in used.items() if not f.available]
        note = "; ".join(r if len(used) == 1 else f"{n}: {r}" for n, r in gaps)
        partial = [f.coverage.text() for f in used.values() if f.available and not f.coverage.full]
        return HeadlineFigure(
            key=key,
            label=label,
            value_usd=value,
            available=value is not None,
            growth_pct=growth,
            note=note if value is None else "",
            basis=used[key].basis_text() if key in used and value is not None else "",
            coverage="; ".join(dict.fromkeys(partial)),
            status="none" if value is None else ("partial" if partial else "full"),
        )

    a, b = summary.a, summary.b
    return (
        item("turnover", "Turnover", summary.turnover_usd, summary.turnover_growth_pct),
        item("exports", f"Exports {a}→{b}", summary.exports_usd, summary.exports_growth_pct),
        item("imports", f"Imports {a}←{b}", summary.imports_usd, summary.imports_growth_pct),
        item("balance", "Balance", summary.balance_usd, None),
    )


@dataclass(frozen=True, slots=True)
class Overview:
    """A dyad's trade in a year at a glance.

    Attributes
    ----------
    a, b
        The two sides (ISO3 or group code); exports are A→B.
    year
        The year shown.
    synthetic
        True when the lake holds generated sample data: the figures are not real.
    headline
        Turnover, exports, imports and balance (:class:`HeadlineFigure`).
    summary
        The year's :class:`~bilat.trade.Summary` (standings included).
    series
        Yearly trade over the last ``window`` years the lake holds up to ``year``.
    top_exports, top_imports
        The ``top`` HS4 products of each direction.
    baskets
        Each basket in ``year - 1`` and ``year`` (``None`` when the lake does not hold
        ``year - 1``).
    events
        Products that appeared, ceased or resumed at HS6, the largest ``events_shown`` rows
        (``None`` when the lake does not hold ``year - 1``).
    event_counts
        Number of products per event, over every event (not only the rows shown).
    """

    a: str
    b: str
    year: int
    synthetic: bool
    headline: tuple[HeadlineFigure, ...]
    summary: Summary
    series: SeriesResult
    top_exports: ProductsResult
    top_imports: ProductsResult
    baskets: BasketsResult | None
    events: EventsResult | None
    event_counts: Mapping[str, int] | None

    def title(self) -> str:
        """A title for pages and tables."""
        return f"{self.a}–{self.b} {self.year}"


def held_year(view: TradeView, year: int | None) -> int:
    """``year`` when the view reads any flow of it, the latest such year when ``None``.

    Raises
    ------
    NotFoundError
        The lake holds no trade for ``year`` (the message names the years it holds), or no
        trade at all when ``year`` is ``None``.
    """
    years = view.years()
    if year is None:
        if not years:
            raise NotFoundError(
                "the lake holds no trade yet; ingest a file of flows or declarations first",
                details={"years": []},
            )
        return years[-1]
    y = check_year(year)
    view.require(y)
    return y


def overview(
    lake: Lake,
    a: str | Sequence[str],
    b: str | Sequence[str],
    *,
    year: int | None = None,
    top: int = 10,
    window: int = WINDOW,
    events_shown: int = EVENTS_SHOWN,
    order: str | Sequence[str] | None = None,
    basis: str | None = None,
    view: TradeView | None = None,
) -> Overview:
    """The overview of trade between ``a`` and ``b`` in ``year`` (default: the latest held).

    Parameters
    ----------
    lake
        The lake to read.
    a, b
        Countries or groups, as :class:`~bilat.trade.Dyad` reads them.
    year
        The year; ``None`` for the latest year the lake holds. A year the lake does not
        hold is a :class:`~bilat.errors.NotFoundError` naming the years it does.
    top, window, events_shown
        Products listed per direction, years of series, product events listed.
    order, basis, view
        Source precedence, as for :class:`~bilat.trade.Dyad`.
    """
    n, span, shown = (
        check_top(top),
        check_top(window, name="window"),
        check_top(events_shown, name="events_shown"),
    )
    dyad = Dyad(lake, a, b, order=order, basis=basis, view=view)
    y = held_year(dyad.view, year)
    held = [h for h in dyad.view.years() if h <= y]
    summary = dyad.summary(y)
    previous = y - 1 in held
    events = dyad.events(y, level=6) if previous else None
    return Overview(
        a=summary.a,
        b=summary.b,
        year=y,
        synthetic=bool(getattr(lake, "is_synthetic", False)),
        headline=headline(summary),
        summary=summary,
        series=dyad.series(max(min(held), y - (span or WINDOW) + 1), y),
        top_exports=dyad.products(y, level=4, top=n, flow="export"),
        top_imports=dyad.products(y, level=4, top=n, flow="import"),
        baskets=dyad.baskets(y - 1, y) if previous else None,
        events=_first(events, shown or EVENTS_SHOWN) if events is not None else None,
        event_counts=events.counts() if events is not None else None,
    )


def _first(events: EventsResult, n: int) -> EventsResult:
    return dataclasses.replace(events, rows=events.rows.slice(0, n))
