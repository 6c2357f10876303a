"""The trade sections of the briefing: headline, series, products, baskets, product events.

Each builder calls one :class:`bilat.trade.Dyad` method per table and turns the result into
a :class:`~bilat.brief.model.Section`, citing the result's provenance (file names, never a
machine's paths). A year the lake does not hold gives a ``no_data`` section that says so; a
table whose every value is zero is not drawn, a line says what is absent instead. Every
text is :mod:`bilat.brief.text` (rendered in the briefing's language).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bilat.brief.model import Column, Figure, Section, SectionStatus, Table
from bilat.brief.text import Text, counted, country, join, num, plain, year_of
from bilat.brief.text import msg as _
from bilat.errors import BilatError, NotFoundError
from bilat.trade import Dyad, Provenance

__all__ = [
    "TRADE_SECTIONS",
    "basename",
    "chart_spec",
    "cite",
    "standing_line",
    "synthetic_prefix",
]

#: Years of trade shown in the series, ending with the briefing's year.
SERIES_YEARS = 10
#: Products shown per direction.
TOP_PRODUCTS = 10
#: Product events shown per kind and direction.
TOP_EVENTS = 8


def basename(path: Any) -> str:
    """A file's name without the folders of the machine it was read on."""
    text = str(path or "")
    return text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or text


_BASES = {
    "reconciled": _("reconciled (BACI)"),
    "exporter": _("exporter's declaration"),
    "importer": _("importer's mirror declaration"),
    "national": _("national statistics file"),
}


def _files(prov: Provenance) -> Text:
    names = sorted({basename(s.path) for s in prov.sources})
    return plain(", ".join(names)) if names else _("none")


def synthetic_prefix(synthetic: bool) -> Text:
    """``SYNTHETIC DATA, not real figures. `` for a synthetic lake's figures, else nothing."""
    return _("SYNTHETIC DATA, not real figures. ") if synthetic else plain("")


def cite(prov: Provenance) -> Text:
    """One citation line for a result: basis, level read and files (names only)."""
    basis = join(", ", (_BASES[b] if b in _BASES else plain(b) for b in prov.bases))
    line = _(
        "Basis: %(basis)s. Level: %(level)s. Files: %(files)s.",
        basis=basis if prov.bases else _("no data"),
        level=plain(prov.level),
        files=_files(prov),
    )
    return join("", (synthetic_prefix(prov.synthetic), line))


def short_cite(prov: Provenance) -> Text:
    """A short citation for a figure: files and basis (the banner is on the page already)."""
    basis = join(", ", (_BASES[b] if b in _BASES else plain(b) for b in prov.bases))
    return _(
        "%(files)s; basis %(basis)s",
        files=_files(prov),
        basis=basis if prov.bases else _("no data"),
    )


def entry_ids(prov: Provenance) -> tuple[str, ...]:
    """Manifest entry ids a result rests on."""
    return tuple(s.entry_id for s in prov.sources)


def money_axes(spec: dict[str, Any]) -> dict[str, Any]:
    """Money axes read ``$24M`` (d3's ``$~s``), not ``24,000,000``: every quantitative x/y
    encoding of a field ending in ``_usd`` gets that axis format (layers included)."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            enc = node.get("encoding")
            if isinstance(enc, dict):
                for channel in ("x", "y"):
                    e = enc.get(channel)
                    if isinstance(e, dict) and str(e.get("field", "")).endswith("_usd"):
                        old = e.get("axis")
                        axis: dict[str, Any] = old if isinstance(old, dict) else {}
                        e["axis"] = {**axis, "format": "$~s"}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return spec


def chart_spec(result: Any) -> dict[str, Any] | None:
    """A result's Altair chart as a Vega-Lite dict, money axes as ``$24M`` (``None`` when
    it has none). The language's number locale is added when it is drawn
    (:func:`bilat.brief.render.localised_chart`)."""
    chart = getattr(result, "chart", None)
    if chart is None:
        return None
    try:
        spec: dict[str, Any] = chart().properties(width=560).to_dict()
    except Exception:
        return None
    return money_axes(spec)


def _rows(result: Any) -> tuple[dict[str, Any], ...]:
    return tuple(result.rows.to_pylist())


def _guard(section_id: str, title: Text, build: Callable[[], Section]) -> Section:
    try:
        return build()
    except NotFoundError as exc:
        return Section(section_id, title, "no_data", _("No data: %(why)s", why=plain(exc.message)))
    except BilatError as exc:
        why = plain(exc.message)
        return Section(section_id, title, "unavailable", _("Could not be built: %(why)s", why=why))


def arrow(x: str, y: str) -> Text:
    """``BLR→KAZ``."""
    return plain(f"{x}→{y}")


def coverage_words(cov: Any) -> Text:
    """A figure's coverage in words: ``partial: HS 44 only`` (the reason is the data's)."""
    status = {"full": _("full"), "partial": _("partial"), "none": _("none")}
    word = status.get(cov.status, plain(cov.status))
    return (
        _("%(status)s: %(reason)s", status=word, reason=plain(cov.reason)) if cov.reason else word
    )


def ordinal(n: int) -> Text:
    """``6th`` (English), ``6-е`` (Russian: the neuter of "место")."""
    from bilat import formats, i18n

    def render() -> str:
        if i18n.current() == "ru":
            return formats.integer(n) + "-е"
        tail = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0)
        return formats.integer(n) + (tail or "th")

    return Text(render)


def standing_line(st: Any) -> Text:
    """Where one side stands among the other's partners, in the rendered language."""
    share = num(st.share_pct, "share")
    if st.rank is None and not st.n_partners and st.coverage is not None and st.thin:
        what = (
            _("%(reporter)s, exports: no source the lake holds covers them, so no rank for "
              "%(partner)s")
            if st.flow == "export"
            else _("%(reporter)s, imports: no source the lake holds covers them, so no rank "
                   "for %(partner)s")
        )  # fmt: skip
        return what % {"reporter": country(st.reporter), "partner": country(st.partner)}
    if st.rank is None:
        what = (
            _("%(reporter)s, exports: no trade with %(partner)s")
            if st.flow == "export"
            else _("%(reporter)s, imports: no trade with %(partner)s")
        )
        return what % {"reporter": country(st.reporter), "partner": country(st.partner)}
    params = {"reporter": country(st.reporter), "partner": country(st.partner),
              "rank": ordinal(st.rank), "share": share}  # fmt: skip
    if st.flow == "export":
        line = counted(st.n_partners, "%(reporter)s, exports: %(partner)s is %(rank)s of "
                       "%(n)s destination (share %(share)s)", "%(reporter)s, exports: "
                       "%(partner)s is %(rank)s of %(n)s destinations (share %(share)s)",
                       **params)  # fmt: skip
    else:
        line = counted(st.n_partners, "%(reporter)s, imports: %(partner)s is %(rank)s of "
                       "%(n)s origin (share %(share)s)", "%(reporter)s, imports: "
                       "%(partner)s is %(rank)s of %(n)s origins (share %(share)s)",
                       **params)  # fmt: skip
    if st.thin:
        line = line + _("; thin coverage: the rank is among the partners the lake holds")
    return line


def headline(dyad: Dyad, year: int) -> Section:
    """Turnover, exports, imports, balance and growth, with the partners' standings."""
    title = _("Headline figures, %(year)s", year=year_of(year))

    def build() -> Section:
        s = dyad.summary(year)
        src, short = cite(s.provenance), short_cite(s.provenance)
        a, b = s.a, s.b
        fx, fm = s.figures["exports"], s.figures["imports"]
        prev = year_of(s.previous_year)
        both = fx if s.exports_usd is None else fm
        growth_why = _("no value of %(year)s to compare with (not covered, or zero)", year=prev)
        figures = tuple(
            Figure(label, value, unit, short if value is not None else _na(why))
            for label, value, unit, why in (
                (_("Turnover %(year)s", year=year_of(year)), s.turnover_usd, "usd",
                 coverage_words(both.coverage)),
                (_("Exports %(flow)s", flow=arrow(a, b)), s.exports_usd, "usd",
                 coverage_words(fx.coverage)),
                (_("Imports %(flow)s", flow=plain(f"{a}←{b}")), s.imports_usd, "usd",
                 coverage_words(fm.coverage)),
                (_("Balance of %(a)s", a=a), s.balance_usd, "usd", coverage_words(both.coverage)),
                (_("Turnover growth on %(year)s", year=prev), s.turnover_growth_pct, "pct",
                 growth_why),
                (_("Exports growth on %(year)s", year=prev), s.exports_growth_pct, "pct",
                 growth_why),
                (_("Imports growth on %(year)s", year=prev), s.imports_growth_pct, "pct",
                 growth_why),
            )
        )  # fmt: skip
        notes = tuple(standing_line(st) for st in s.standings)
        traded = any((f.value_usd or 0) > 0 for f in (fx, fm))
        status: SectionStatus = "ok" if traded else "no_data"
        message: Text | None = None
        if status == "ok":
            gaps = [_("%(flow)s: %(coverage)s", flow=arrow(x, y), coverage=coverage_words(f.coverage))
                    for x, y, f in ((a, b, fx), (b, a, fm)) if not f.coverage.full]  # fmt: skip
            if gaps:
                message = _("Coverage is not complete. %(gaps)s.", gaps=join("; ", gaps))
        elif not (fx.coverage.covered or fm.coverage.covered):
            message = _("No source the lake holds covers trade between %(a)s and %(b)s in "
                        "%(year)s.", a=a, b=b, year=year_of(year))  # fmt: skip
        else:
            message = _("The lake's sources record no trade between %(a)s and %(b)s in %(year)s.",
                        a=a, b=b, year=year_of(year))  # fmt: skip
        return Section(
            "headline", title, status, message, figures, (), notes, (src,), entry_ids(s.provenance)
        )

    return _guard("headline", title, build)


def _na(why: Any) -> Text:
    """A missing figure's source line: "not available" and why (never a file as if it held it)."""
    return _("not available: %(why)s", why=why)


def _first_year(dyad: Dyad) -> int | None:
    years = [y for e in dyad.lake.manifest() for y in e.years]
    return min(years) if years else None


def _series_title(start: int, end: int) -> Text:
    return _("Trade over the years, %(start)s–%(end)s", start=year_of(start), end=year_of(end))


def series(dyad: Dyad, year: int) -> Section:
    """Exports, imports, turnover and balance over the years, with a line chart; the title
    names the years that hold trade (not the years asked for)."""
    start = max(year - SERIES_YEARS + 1, min(_first_year(dyad) or year, year))

    def build() -> Section:
        r = dyad.series(start, year)
        flow = arrow(r.a, r.b)
        cols = (
            Column("year", _("Year"), "year"),
            Column("exports_usd", _("Exports %(flow)s", flow=flow), "usd"),
            Column("imports_usd", _("Imports %(flow)s", flow=plain(f"{r.a}←{r.b}")), "usd"),
            Column("turnover_usd", _("Turnover"), "usd"),
            Column("balance_usd", _("Balance"), "usd"),
        )
        rows = tuple(row for row in _rows(r) if row["exports_usd"] or row["imports_usd"])
        if not rows:
            held = _rows(r)
            why = (_("No source covers trade of the dyad in %(start)s–%(end)s.",
                     start=year_of(start), end=year_of(year)) if held
                   else _("The lake holds none of %(start)s–%(end)s.", start=year_of(start),
                          end=year_of(year)))  # fmt: skip
            return Section("series", _series_title(start, year), "no_data", why)
        first, last = rows[0]["year"], rows[-1]["year"]
        src = cite(r.provenance)
        table = Table(_("%(a)s–%(b)s trade, %(start)s–%(end)s", a=r.a, b=r.b,
                        start=year_of(first), end=year_of(last)), cols, rows, src)  # fmt: skip
        return Section(
            "series", _series_title(first, last), "ok", None, (), (table,), (), (src,),
            entry_ids(r.provenance), chart_spec(r),
        )  # fmt: skip

    return _guard("series", _series_title(start, year), build)


_PRODUCT_COLUMNS = (
    Column("rank", _("#"), "rank"),
    Column("product", _("HS"), "text"),
    Column("description", _("Product"), "text"),
    Column("value_usd", _("Value"), "usd"),
    Column("share_pct", _("Share"), "share"),
    Column("previous_usd", _("Year before"), "usd"),
    Column("growth_pct", _("Growth"), "pct"),
    Column("quantity", _("Quantity"), "index"),
    Column("quantity_unit", _("Unit"), "text"),
    Column("unit_value_usd", _("Unit value (USD)"), "index"),
)


def _products_table_title(r: Any) -> Text:
    return _("Top HS%(level)s products, %(flow)s, %(year)s", level=r.level,
             flow=arrow(r.exporter, r.importer), year=year_of(r.year))  # fmt: skip


def products(dyad: Dyad, year: int) -> Section:
    """Top HS4 products each way, their share and growth; a bar chart of exports."""
    title = _("Top products and their growth, %(year)s", year=year_of(year))

    def build() -> Section:
        results = [
            dyad.products(year, level=4, top=TOP_PRODUCTS, flow=f) for f in ("export", "import")
        ]
        tables = tuple(
            Table(_products_table_title(r), _PRODUCT_COLUMNS,
                  tuple({**row, "flow": f"{r.exporter}→{r.importer}"} for row in _rows(r)),
                  cite(r.provenance))
            for r in results
            if r.rows.num_rows
        )  # fmt: skip
        sources = tuple(dict.fromkeys(t.source for t in tables))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        notes = tuple(_products_note(r) for r in results)
        if not tables:
            covered = any(r.coverage is None or r.coverage.covered for r in results)
            why = (
                _("No products traded in %(year)s.", year=year_of(year))
                if covered
                else _(
                    "No source the lake holds covers the dyad's products in %(year)s.",
                    year=year_of(year),
                )
            )
            return Section("products", title, "no_data", why)
        return Section(
            "products", title, "ok", None, (), tables, notes, sources, entries,
            chart_spec(results[0]) if results[0].rows.num_rows else None,
        )  # fmt: skip

    return _guard("products", title, build)


def _products_note(r: Any) -> Text:
    head = arrow(r.exporter, r.importer)
    if r.coverage is not None and not r.coverage.covered:
        return _("%(flow)s: not available, %(why)s.", flow=head, why=plain(r.coverage.reason))
    if not r.n_products:
        return _("%(flow)s: no products traded.", flow=head)
    note = counted(r.n_products, "%(flow)s: %(n)s HS4 product traded, top %(top)s shown.",
                   "%(flow)s: %(n)s HS4 products traded, top %(top)s shown.", flow=head,
                   top=TOP_PRODUCTS)  # fmt: skip
    if r.coverage is not None and not r.coverage.full:
        note = note + " " + _("Coverage %(coverage)s.", coverage=coverage_words(r.coverage))
    return note


def _basket_columns(start: int, end: int) -> tuple[Column, ...]:
    return (
        Column("title", _("Basket"), "text"),
        Column("value_from_usd", year_of(start), "usd"),
        Column("value_to_usd", year_of(end), "usd"),
        Column("multiplier", _("Multiplier"), "multiplier"),
        Column("level", _("HS level"), "int"),
    )


def _basket_part(r: Any, start: int, end: int) -> tuple[Table | None, Text | None]:
    """A direction's baskets table without the baskets traded in neither year, and a line
    naming those (or saying none was traded: then no table)."""
    rows = _rows(r)
    traded = tuple({**row, "title": _(str(row["title"]))} for row in rows
                   if row["value_from_usd"] or row["value_to_usd"])  # fmt: skip
    absent = [_(str(row["title"])) for row in rows if not (row["value_from_usd"] or
                                                          row["value_to_usd"])]  # fmt: skip
    flow, y0, y1 = arrow(r.exporter, r.importer), year_of(start), year_of(end)
    if not traded:
        return None, counted(len(rows), "%(flow)s: the %(n)s basket was not traded in %(start)s "
                             "or %(end)s.", "%(flow)s: none of the %(n)s baskets was traded in "
                             "%(start)s or %(end)s.", flow=flow, start=y0, end=y1)  # fmt: skip
    title = _("Baskets %(flow)s, %(start)s and %(end)s", flow=flow, start=y0, end=y1)
    table = Table(title, _basket_columns(start, end), traded, cite(r.provenance))
    if not absent:
        return table, None
    line = _("%(flow)s, not traded in %(start)s or %(end)s: %(baskets)s.", flow=flow, start=y0,
             end=y1, baskets=join(", ", absent))  # fmt: skip
    return table, line


def baskets(dyad: Dyad, year: int) -> Section:
    """Every basket's value in the year before and the year, and the multiplier, each way;
    baskets traded in neither year are named in one line, not shown as rows of zeros."""
    title = _("Baskets and their multipliers, %(start)s to %(end)s", start=year_of(year - 1),
              end=year_of(year))  # fmt: skip

    def build() -> Section:
        results = [dyad.baskets(year - 1, year, flow=f) for f in ("export", "import")]
        parts = [_basket_part(r, year - 1, year) for r in results]
        tables = tuple(t for t, _line in parts if t is not None)
        lines = tuple(line for _t, line in parts if line is not None)
        sources = tuple(dict.fromkeys(cite(r.provenance) for r in results))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        if not tables:
            return Section("baskets", title, "no_data", join(" ", lines), sources=sources)
        notes = (*lines, _(
            "A multiplier is the basket's value in the briefing year divided by its value the "
            "year before; it is empty where the basket was not traded the year before."
        ))  # fmt: skip
        chart = chart_spec(results[0]) if parts[0][0] is not None else None
        return Section("baskets", title, "ok", None, (), tables, notes, sources, entries, chart)

    return _guard("baskets", title, build)


_EVENT_COLUMNS = (
    Column("event", _("Event"), "text"),
    Column("product", _("HS"), "text"),
    Column("description", _("Product"), "text"),
    Column("value_usd", _("Value in year"), "usd"),
    Column("previous_usd", _("Year before"), "usd"),
    Column("two_back_usd", _("Two years before"), "usd"),
)
_EVENTS = {"appeared": _("appeared"), "resumed": _("resumed"), "ceased": _("ceased")}
_EVENT_LABELS = {"appeared": _("Appeared %(flow)s"), "resumed": _("Resumed %(flow)s"),
                 "ceased": _("Ceased %(flow)s")}  # fmt: skip


def _top_events(rows: tuple[Mapping[str, Any], ...]) -> tuple[Mapping[str, Any], ...]:
    out: list[Mapping[str, Any]] = []
    for kind in ("appeared", "resumed", "ceased"):
        out += [{**r, "event": _EVENTS[kind]} for r in rows if r["event"] == kind][:TOP_EVENTS]
    return tuple(out)


def events(dyad: Dyad, year: int) -> Section:
    """HS4 products that appeared, resumed or ceased in the year, each way."""
    title = _("Products that appeared, resumed or ceased in %(year)s", year=year_of(year))

    def build() -> Section:
        results = [dyad.events(year, level=4, flow=f) for f in ("export", "import")]
        src = {id(r): cite(r.provenance) for r in results}
        figures = tuple(
            Figure(
                _EVENT_LABELS[kind] % {"flow": arrow(r.exporter, r.importer)}, n, "int", src[id(r)]
            )
            for r in results
            for kind, n in r.counts().items()
        )
        tables = tuple(
            Table(_("Product events %(flow)s, %(year)s (HS4)", flow=arrow(r.exporter, r.importer),
                    year=year_of(year)), _EVENT_COLUMNS, _top_events(_rows(r)), src[id(r)])
            for r in results if r.rows.num_rows
        )  # fmt: skip
        notes = (_(
            "Appeared: traded in the year, not in the two years before. Resumed: traded in the "
            "year, not the year before, but two years before. Ceased: traded the year before, "
            "not in the year. The %(n)s largest of each kind are listed.", n=TOP_EVENTS
        ),)  # fmt: skip
        sources = tuple(dict.fromkeys(src.values()))
        entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
        return Section("events", title, "ok", None, figures, tables, notes, sources, entries)

    return _guard("events", title, build)


#: The trade sections in briefing order (the world section follows the headline).
TRADE_SECTIONS: tuple[Callable[[Dyad, int], Section], ...] = (
    headline,
    series,
    products,
    baskets,
    events,
)
