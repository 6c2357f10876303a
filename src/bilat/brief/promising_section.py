"""The briefing's "Promising areas" section: what each side is close to selling the other.

Both ways (A in B, then B in A), the products the exporter is *close to* exporting by
economic complexity (high density, no comparative advantage yet: see
:func:`bilat.potential.promising_products`) that the market buys, ranked by the market's
imports; each with its market position (the exporter's share and rank among the market's
suppliers, :func:`bilat.trade.market.market`), its complexity outlook gain (COG) and the
untapped export potential the supply × demand × ease method gives it
(:func:`bilat.potential.market_potential`). Then a competitor table for each of the dyad's
three largest product flows: who else supplies that market with that product, at what share
and unit value.

Every figure is read through the trade view at HS4; a part the lake cannot answer (no
market imports held, a world too small for complexity) leaves its cells empty with a note,
never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bilat.brief.model import Column, Figure, Section, Table, _clean
from bilat.brief.text import Text, country, join, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import cite, synthetic_prefix
from bilat.errors import BilatError, NotFoundError
from bilat.trade import Dyad

__all__ = ["COMPETITOR_TABLES", "PROMISING_PRODUCTS", "promising_section"]

#: Promising products shown per direction.
PROMISING_PRODUCTS = 5
#: The dyad's largest product flows given a competitor table.
COMPETITOR_TABLES = 3
#: Suppliers shown in a competitor table (the exporter is added when beyond them).
COMPETITORS = 6
_LEVEL = 4

_PROMISING_COLUMNS = (
    Column("product", _("HS"), "text"),
    Column("description", _("Product"), "text"),
    Column("b_imports_usd", _("Market's imports"), "usd"),
    Column("b_import_growth_pct", _("Their growth a year"), "pct"),
    Column("share_pct", _("Exporter's share there"), "share"),
    Column("rank", _("Exporter's rank"), "rank"),
    Column("density", _("Density"), "index"),
    Column("cog", _("Complexity gain"), "index"),
    Column("untapped_usd", _("Untapped potential (0: sells above it)"), "usd"),
)

_COMPETITOR_COLUMNS = (
    Column("rank", _("Rank"), "rank"),
    Column("name", _("Supplier"), "text"),
    Column("value_usd", _("Value"), "usd"),
    Column("share_pct", _("Share"), "share"),
    Column("unit_value_usd", _("Unit value (USD)"), "index"),
    Column("quantity_unit", _("per"), "text"),
    Column("growth_5y_pct", _("Growth over 5 years"), "pct"),
)


@dataclass(frozen=True, slots=True)
class _Way:
    """One direction's promising products, as table rows, with what they rest on."""

    exporter: str
    table: Table
    notes: tuple[Text, ...]
    eci: float | None


def promising_section(dyad: Dyad, year: int) -> Section:
    """The promising-areas section for ``dyad`` in ``year`` (see the module docstring)."""
    a, b = dyad.a.code, dyad.b.code
    title = _("Promising areas: what %(a)s and %(b)s are close to selling each other, %(year)s",
              a=a, b=b, year=year_of(year))  # fmt: skip
    lake = dyad.lake
    ways: list[_Way] = []
    notes: list[Text] = []
    for x, y in ((a, b), (b, a)):
        try:
            ways.append(_way(dyad, x, y, year))
        except NotFoundError as exc:
            notes.append(_("%(x)s in %(y)s: not available: %(why)s", x=x, y=y, why=exc.message))
        except BilatError as exc:
            notes.append(_("%(x)s in %(y)s: could not be computed: %(why)s", x=x, y=y,
                           why=exc.message))  # fmt: skip
    competitors = _competitors(dyad, year, notes)
    tables = tuple(w.table for w in ways if w.table.rows) + competitors
    if not tables:
        return Section("promising", title, "no_data", join(" ", notes) if notes else None)
    notes = [*(n for w in ways for n in w.notes), *notes, _METHOD]
    sources = tuple(dict.fromkeys(t.source for t in tables))
    entries = tuple(e.entry_id for e in lake.manifest() if year in e.years)
    figures = tuple(
        Figure(
            _("Economic complexity index (ECI) of %(exporter)s", exporter=w.exporter),
            w.eci,
            "index",
            w.table.source,
        )
        for w in ways
    )
    return Section("promising", title, "ok", None, figures, tables, tuple(dict.fromkeys(notes)),
                   sources, entries)  # fmt: skip


_METHOD = _(
    "A product is promising for an exporter when it does not yet export it with comparative "
    "advantage but exports many related products (high density: the Atlas of Economic "
    "Complexity's measure) and the market buys it. The complexity gain says how much the "
    "product would add to the exporter's options; untapped potential is what the exporter's "
    "supply, the market's demand and the ease of trade between them predict beyond actual "
    "sales (docs/potential.md)."
)


def _way(dyad: Dyad, x: str, y: str, year: int) -> _Way:
    """Promising products of ``x`` in ``y``, with market position and untapped potential."""
    from bilat.potential.promising import promising_products

    lake = dyad.lake
    pp = promising_products(lake, x, y, year=year, level=_LEVEL, top=PROMISING_PRODUCTS)
    top = pp.top(PROMISING_PRODUCTS)
    untapped, why = _untapped(lake, x, y, year)
    rows = []
    for r in top.to_dict("records"):
        position = _position(dyad, y, x, str(r["product"]), year)
        growth = _clean(r.get("b_import_growth"))
        rows.append({
            **{k: _clean(r.get(k)) for k in ("product", "description", "b_imports_usd",
                                               "density", "cog")},
            "b_import_growth_pct": None if growth is None else float(growth) * 100,
            **position,
            "untapped_usd": untapped.get(str(r["product"])) if untapped is not None else None,
        })  # fmt: skip
    src = synthetic_prefix(bool(pp.synthetic)) + _(
        "Trade view at HS%(level)s, %(year)s (%(basis)s); complexity of every exporter the lake "
        "holds; market position from the market's imports by supplier", level=pp.level,
        year=year_of(pp.year), basis=pp.basis,
    )  # fmt: skip
    notes = [_("%(x)s in %(y)s: %(note)s", x=x, y=y, note=n) for n in pp.notes]
    if why:
        notes.append(_("%(x)s in %(y)s: untapped potential not available: %(why)s", x=x, y=y,
                       why=why))  # fmt: skip
    if not rows:
        notes.append(_("%(x)s in %(y)s: no product passes the density floor and is bought by "
                       "%(y)s.", x=x, y=y))  # fmt: skip
    table = Table(_("Promising products for %(x)s in %(y)s", x=x, y=y), _PROMISING_COLUMNS,
                  tuple(rows), src)  # fmt: skip
    return _Way(x, table, tuple(notes), pp.exporter_eci)


def _untapped(lake: Any, x: str, y: str, year: int) -> tuple[dict[str, float] | None, str | None]:
    """Untapped potential of ``x`` in ``y`` by HS4 product, or why there is none."""
    from bilat.potential import market_potential

    try:
        pot = market_potential(lake, x, y, year=year, level=_LEVEL, top=10_000)
    except BilatError as exc:
        return None, exc.message
    got = pot.table.set_index("product")["unrealised_usd"]
    return {str(k): float(v) for k, v in got.items() if _clean(v) is not None}, None


def _position(dyad: Dyad, market: str, exporter: str, product: str, year: int) -> dict[str, Any]:
    """The exporter's share and rank among ``market``'s suppliers of ``product``."""
    from bilat.trade.market import market as market_table

    try:
        m = market_table(dyad.lake, market, year=year, product=product, exporter=exporter,
                         top=1, view=dyad.view)  # fmt: skip
    except BilatError:
        return {"share_pct": None, "rank": None}
    return {"share_pct": m.exporter_share_pct, "rank": m.exporter_rank}


def _competitors(dyad: Dyad, year: int, notes: list[Text]) -> tuple[Table, ...]:
    """Competitor tables for the dyad's largest product flows (either way)."""
    from bilat.trade.market import market as market_table

    flows: list[tuple[float, str, str, str, str]] = []
    for flow, (x, y) in (("export", (dyad.a.code, dyad.b.code)),
                         ("import", (dyad.b.code, dyad.a.code))):  # fmt: skip
        try:
            r = dyad.products(year, level=_LEVEL, top=COMPETITOR_TABLES, flow=flow)
        except BilatError as exc:
            notes.append(_("Competitors of %(x)s in %(y)s: not available: %(why)s", x=x, y=y,
                           why=exc.message))  # fmt: skip
            continue
        for row in r.rows.to_pylist():
            flows.append((float(row["value_usd"]), str(row["product"]),
                          str(row.get("description") or ""), x, y))  # fmt: skip
    tables = []
    for _value, code, desc, x, y in sorted(flows, key=lambda f: (-f[0], f[1]))[:COMPETITOR_TABLES]:
        try:
            m = market_table(dyad.lake, y, year=year, product=code, exporter=x, top=COMPETITORS,
                             view=dyad.view)  # fmt: skip
        except BilatError as exc:
            notes.append(_("Competitors of %(x)s in %(y)s for HS %(code)s: not available: %(why)s",
                           x=x, y=y, code=code, why=exc.message))  # fmt: skip
            continue
        rows = tuple(_row(r) for r in m.rows.to_pylist())
        if m.coverage is not None and m.coverage.thin:
            notes.append(_("Suppliers of %(y)s, HS %(code)s: %(coverage)s", y=y, code=code,
                           coverage=m.coverage.text()))  # fmt: skip
        label = f"HS {code}{' ' + desc if desc else ''}"
        tables.append(Table(_("Who supplies %(y)s with %(label)s: %(x)s against its competitors",
                              y=y, label=label, x=x),
                            _COMPETITOR_COLUMNS, rows, cite(m.provenance)))  # fmt: skip
    return tuple(tables)


def _row(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {c.key: _clean(r.get(c.key)) for c in _COMPETITOR_COLUMNS}
    if r.get("supplier"):  # the supplier's name in the rendered language
        out["name"] = country(str(r["supplier"]))
    if r.get("highlighted"):
        out["name"] = _("%(name)s (the exporter)", name=out["name"])
    return out
