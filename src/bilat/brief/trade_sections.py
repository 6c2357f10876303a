"""The trade sections of the briefing: headline, series, products, baskets, product events.

Each builder calls one :class:`bilat.trade.Dyad` method per table and turns the result into
a :class:`~bilat.brief.model.Section`, citing the result's provenance. A year the lake does
not hold gives a ``no_data`` section that says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bilat.brief.model import Column, Figure, Section, SectionStatus, Table
from bilat.errors import BilatError, NotFoundError
from bilat.trade import Dyad, Provenance

__all__ = ["TRADE_SECTIONS", "chart_spec", "cite"]

#: Years of trade shown in the series, ending with the briefing's year.
SERIES_YEARS = 10
#: Products shown per direction.
TOP_PRODUCTS = 10
#: Product events shown per kind and direction.
TOP_EVENTS = 8


def cite(prov: Provenance) -> str:
    """One citation line for a result."""
    return prov.text()


def short_cite(prov: Provenance) -> str:
    """A short citation for a figure: basis and files (the banner is on the page already)."""
    names = {"reconciled": "reconciled (BACI)", "exporter": "exporter's declaration"}
    names["importer"] = "importer's mirror declaration"
    names["national"] = "national statistics file"
    basis = ", ".join(names.get(b, b) for b in prov.bases) or "no data"
    files = ", ".join(sorted({s.path for s in prov.sources})) or "none"
    return f"{files}; basis {basis}"


def entry_ids(prov: Provenance) -> tuple[str, ...]:
    """Manifest entry ids a result rests on."""
    return tuple(s.entry_id for s in prov.sources)


def chart_spec(result: Any) -> dict[str, Any] | None:
    """A result's Altair chart as a Vega-Lite dict (``None`` when it has none)."""
    chart = getattr(result, "chart", None)
    if chart is None:
        return None
    try:
        spec: dict[str, Any] = chart().properties(width=560).to_dict()
    except Exception:
        return None
    return spec


def _rows(result: Any) -> tuple[dict[str, Any], ...]:
    return tuple(result.rows.to_pylist())


def _guard(section_id: str, title: str, build: Callable[[], Section]) -> Section:
    try:
        return build()
    except NotFoundError as exc:
        return Section(section_id, title, "no_data", f"No data: {exc.message}")
    except BilatError as exc:
        return Section(section_id, title, "unavailable", f"Could not be built: {exc.message}")


def headline(dyad: Dyad, year: int) -> Section:
    """Turnover, exports, imports, balance and growth, with the partners' standings."""
    title = f"Headline figures, {year}"

    def build() -> Section:
        s = dyad.summary(year)
        src, short = cite(s.provenance), short_cite(s.provenance)
        a, b = s.a, s.b
        fx, fm = s.figures["exports"], s.figures["imports"]

        def said(*figs: Any) -> str:
            parts = []
            for f in figs:
                if f.value_usd is None:
                    parts.append(f"not available: {f.coverage.reason or 'no source covers it'}")
                else:
                    cov = "" if f.coverage.full else f"; coverage {f.coverage.text()}"
                    parts.append(f"{f.basis_text()}{cov}")
            return f"{short} — " + " | ".join(dict.fromkeys(parts))

        figures = (
            Figure(f"Turnover {year}", s.turnover_usd, "usd", said(fx, fm)),
            Figure(f"Exports {a}→{b}", s.exports_usd, "usd", said(fx)),
            Figure(f"Imports {a}←{b}", s.imports_usd, "usd", said(fm)),
            Figure(f"Balance of {a}", s.balance_usd, "usd", said(fx, fm)),
            Figure(f"Turnover growth on {s.previous_year}", s.turnover_growth_pct, "pct", short),
            Figure(f"Exports growth on {s.previous_year}", s.exports_growth_pct, "pct", short),
            Figure(f"Imports growth on {s.previous_year}", s.imports_growth_pct, "pct", short),
        )
        notes = tuple(s.lines())
        traded = any((f.value_usd or 0) > 0 for f in (fx, fm))
        status: SectionStatus = "ok" if traded else "no_data"
        if status == "ok":
            message = None
            gaps = [
                f"{label}: {f.coverage.text()}"
                for label, f in ((f"{a}→{b}", fx), (f"{b}→{a}", fm))
                if not f.coverage.full
            ]
            if gaps:
                message = "Coverage is not complete. " + "; ".join(gaps) + "."
        elif not (fx.coverage.covered or fm.coverage.covered):
            message = f"No source the lake holds covers trade between {a} and {b} in {year}."
        else:
            message = f"The lake's sources record no trade between {a} and {b} in {year}."
        return Section(
            "headline", title, status, message, figures, (), notes, (src,), entry_ids(s.provenance)
        )

    return _guard("headline", title, build)


def _first_year(dyad: Dyad) -> int | None:
    years = [y for e in dyad.lake.manifest() for y in e.years]
    return min(years) if years else None


def series(dyad: Dyad, year: int) -> Section:
    """Exports, imports, turnover and balance over the years, with a line chart."""
    start = max(year - SERIES_YEARS + 1, min(_first_year(dyad) or year, year))
    title = f"Trade over the years, {start}–{year}"

    def build() -> Section:
        r = dyad.series(start, year)
        cols = (
            Column("year", "Year", "text"),
            Column("exports_usd", f"Exports {r.a}→{r.b}", "usd"),
            Column("imports_usd", f"Imports {r.a}←{r.b}", "usd"),
            Column("turnover_usd", "Turnover", "usd"),
            Column("balance_usd", "Balance", "usd"),
        )
        rows = _rows(r)
        if not rows:
            return Section("series", title, "no_data", f"The lake holds none of {start}–{year}.")
        if not any(row["exports_usd"] or row["imports_usd"] for row in rows):
            return Section(
                "series", title, "no_data", f"No source covers trade of the dyad in {start}–{year}."
            )
        src = cite(r.provenance)
        table = Table(r.title(), cols, rows, src)
        return Section(
            "series", title, "ok", None, (), (table,), (), (src,), entry_ids(r.provenance),
            chart_spec(r),
        )  # fmt: skip

    return _guard("series", title, build)


_PRODUCT_COLUMNS = (
    Column("rank", "#", "rank"),
    Column("product", "HS", "text"),
    Column("description", "Product", "text"),
    Column("value_usd", "Value", "usd"),
    Column("share_pct", "Share", "share"),
    Column("previous_usd", "Year before", "usd"),
    Column("growth_pct", "Growth", "pct"),
    Column("quantity", "Quantity", "int"),
    Column("quantity_unit", "Unit", "text"),
    Column("unit_value_usd", "Unit value (USD)", "index"),
)


def products(dyad: Dyad, year: int) -> Section:
    """Top HS4 products each way, their share and growth; a bar chart of exports."""
    title = f"Top products and their growth, {year}"

    def build() -> Section:
        results = [
            dyad.products(year, level=4, top=TOP_PRODUCTS, flow=f) for f in ("export", "import")
        ]
        tables = tuple(
            Table(r.title(), _PRODUCT_COLUMNS, _rows(r), cite(r.provenance)) for r in results
        )
        sources = tuple(dict.fromkeys(t.source for t in tables))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        notes = tuple(_products_note(r, year) for r in results)
        if not any(t.rows for t in tables):
            covered = any(r.coverage is None or r.coverage.covered for r in results)
            why = (
                f"No products traded in {year}."
                if covered
                else f"No source the lake holds covers the dyad's products in {year}."
            )
            return Section("products", title, "no_data", why)
        return Section(
            "products", title, "ok", None, (), tables, notes, sources, entries,
            chart_spec(results[0]) if results[0].rows.num_rows else None,
        )  # fmt: skip

    return _guard("products", title, build)


def _products_note(r: Any, year: int) -> str:
    head = f"{r.exporter}→{r.importer}"
    if r.coverage is not None and not r.coverage.covered:
        return f"{head}: not available, {r.coverage.reason}."
    note = f"{head}: {r.n_products:,} HS4 products traded, top {TOP_PRODUCTS} shown."
    if r.coverage is not None and not r.coverage.full:
        note += f" Coverage {r.coverage.text()}."
    return note


def _basket_columns(start: int, end: int) -> tuple[Column, ...]:
    return (
        Column("title", "Basket", "text"),
        Column("value_from_usd", str(start), "usd"),
        Column("value_to_usd", str(end), "usd"),
        Column("multiplier", "Multiplier", "multiplier"),
        Column("level", "HS level", "int"),
    )


def baskets(dyad: Dyad, year: int) -> Section:
    """Every basket's value in the year before and the year, and the multiplier, each way."""
    title = f"Baskets and their multipliers, {year - 1} to {year}"

    def build() -> Section:
        results = [dyad.baskets(year - 1, year, flow=f) for f in ("export", "import")]
        tables = tuple(
            Table(r.title(), _basket_columns(year - 1, year), _rows(r), cite(r.provenance))
            for r in results
        )
        sources = tuple(dict.fromkeys(t.source for t in tables))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        notes = (
            "A multiplier is the basket's value in the briefing year divided by its value the "
            "year before; it is empty where the basket was not traded the year before.",
        )
        return Section(
            "baskets", title, "ok", None, (), tables, notes, sources, entries,
            chart_spec(results[0]),
        )  # fmt: skip

    return _guard("baskets", title, build)


_EVENT_COLUMNS = (
    Column("event", "Event", "text"),
    Column("product", "HS", "text"),
    Column("description", "Product", "text"),
    Column("value_usd", "Value in year", "usd"),
    Column("previous_usd", "Year before", "usd"),
    Column("two_back_usd", "Two years before", "usd"),
)


def _top_events(rows: tuple[Mapping[str, Any], ...]) -> tuple[Mapping[str, Any], ...]:
    out: list[Mapping[str, Any]] = []
    for kind in ("appeared", "resumed", "ceased"):
        out += [r for r in rows if r["event"] == kind][:TOP_EVENTS]
    return tuple(out)


def events(dyad: Dyad, year: int) -> Section:
    """HS4 products that appeared, resumed or ceased in the year, each way."""
    title = f"Products that appeared, resumed or ceased in {year}"

    def build() -> Section:
        results = [dyad.events(year, level=4, flow=f) for f in ("export", "import")]
        figures = tuple(
            Figure(
                f"{kind.capitalize()} {r.exporter}→{r.importer}", n, "int", short_cite(r.provenance)
            )
            for r in results
            for kind, n in r.counts().items()
        )
        tables = tuple(
            Table(r.title(), _EVENT_COLUMNS, _top_events(_rows(r)), cite(r.provenance))
            for r in results
        )
        notes = (
            "Appeared: traded in the year, not in the two years before. Resumed: traded in the "
            "year, not the year before, but two years before. Ceased: traded the year before, "
            f"not in the year. The {TOP_EVENTS} largest of each kind are listed.",
        )
        sources = tuple(dict.fromkeys(t.source for t in tables))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        return Section("events", title, "ok", None, figures, tables, notes, sources, entries)

    return _guard("events", title, build)


#: The trade sections in briefing order.
TRADE_SECTIONS: tuple[Callable[[Dyad, int], Section], ...] = (
    headline,
    series,
    products,
    baskets,
    events,
)
