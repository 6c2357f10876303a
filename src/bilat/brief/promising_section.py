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
    Column("product", "HS", "text"),
    Column("description", "Product", "text"),
    Column("b_imports_usd", "Market's imports", "usd"),
    Column("b_import_growth_pct", "Their growth a year", "pct"),
    Column("share_pct", "Exporter's share there", "share"),
    Column("rank", "Exporter's rank", "rank"),
    Column("density", "Density", "index"),
    Column("cog", "Complexity gain", "index"),
    Column("untapped_usd", "Untapped potential (0: sells above it)", "usd"),
)

_COMPETITOR_COLUMNS = (
    Column("rank", "Rank", "rank"),
    Column("name", "Supplier", "text"),
    Column("value_usd", "Value", "usd"),
    Column("share_pct", "Share", "share"),
    Column("unit_value_usd", "Unit value (USD)", "index"),
    Column("quantity_unit", "per", "text"),
    Column("growth_5y_pct", "Growth over 5 years", "pct"),
)


@dataclass(frozen=True, slots=True)
class _Way:
    """One direction's promising products, as table rows, with what they rest on."""

    exporter: str
    table: Table
    notes: tuple[str, ...]
    eci: float | None


def promising_section(dyad: Dyad, year: int) -> Section:
    """The promising-areas section for ``dyad`` in ``year`` (see the module docstring)."""
    a, b = dyad.a.code, dyad.b.code
    title = f"Promising areas: what {a} and {b} are close to selling each other, {year}"
    lake = dyad.lake
    ways: list[_Way] = []
    notes: list[str] = []
    for x, y in ((a, b), (b, a)):
        try:
            ways.append(_way(dyad, x, y, year))
        except NotFoundError as exc:
            notes.append(f"{x} in {y}: not available: {exc.message}")
        except BilatError as exc:
            notes.append(f"{x} in {y}: could not be computed: {exc.message}")
    competitors = _competitors(dyad, year, notes)
    tables = tuple(w.table for w in ways if w.table.rows) + competitors
    if not tables:
        return Section("promising", title, "no_data", " ".join(notes) or None)
    notes = [*(n for w in ways for n in w.notes), *notes, _METHOD]
    synthetic = "SYNTHETIC DATA, not real figures. " if getattr(lake, "is_synthetic", False) else ""
    sources = tuple(dict.fromkeys(
        t.source if t.source.startswith(synthetic) else synthetic + t.source for t in tables
    ))  # fmt: skip
    entries = tuple(e.entry_id for e in lake.manifest() if year in e.years)
    figures = tuple(
        Figure(
            f"Economic complexity index (ECI) of {w.exporter}",
            w.eci,
            "index",
            w.table.source,
        )
        for w in ways
    )
    return Section("promising", title, "ok", None, figures, tables, tuple(dict.fromkeys(notes)),
                   sources, entries)  # fmt: skip


_METHOD = (
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
    synthetic = "SYNTHETIC DATA, not real figures. " if pp.synthetic else ""
    src = (f"{synthetic}Trade view at HS{pp.level}, {pp.year} ({pp.basis}); complexity of every exporter the "
           "lake holds; market position from the market's imports by supplier")  # fmt: skip
    notes = [f"{x} in {y}: {n}" for n in pp.notes]
    if why:
        notes.append(f"{x} in {y}: untapped potential not available: {why}")
    if not rows:
        notes.append(f"{x} in {y}: no product passes the density floor and is bought by {y}.")
    table = Table(f"Promising products for {x} in {y}", _PROMISING_COLUMNS, tuple(rows), src)
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


def _competitors(dyad: Dyad, year: int, notes: list[str]) -> tuple[Table, ...]:
    """Competitor tables for the dyad's largest product flows (either way)."""
    from bilat.trade.market import market as market_table

    flows: list[tuple[float, str, str, str, str]] = []
    for flow, (x, y) in (("export", (dyad.a.code, dyad.b.code)),
                         ("import", (dyad.b.code, dyad.a.code))):  # fmt: skip
        try:
            r = dyad.products(year, level=_LEVEL, top=COMPETITOR_TABLES, flow=flow)
        except BilatError as exc:
            notes.append(f"Competitors of {x} in {y}: not available: {exc.message}")
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
            notes.append(f"Competitors of {x} in {y} for HS {code}: not available: {exc.message}")
            continue
        rows = tuple(_row(r) for r in m.rows.to_pylist())
        if m.coverage is not None and m.coverage.thin:
            notes.append(f"Suppliers of {y}, HS {code}: {m.coverage.text()}")
        label = f"HS {code}{' ' + desc if desc else ''}"
        tables.append(Table(f"Who supplies {y} with {label}: {x} against its competitors",
                            _COMPETITOR_COLUMNS, rows, m.provenance.text()))  # fmt: skip
    return tuple(tables)


def _row(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {c.key: _clean(r.get(c.key)) for c in _COMPETITOR_COLUMNS}
    if r.get("highlighted"):
        out["name"] = f"{out['name']} (the exporter)"
    return out
