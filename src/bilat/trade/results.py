"""Typed results of the trade indicators.

Every result is a frozen dataclass that carries its provenance (the basis of its figures,
the lake manifest entries and files they come from, the HS level read) and converts to
plain data (``to_dict``), pandas (``to_pandas``), Arrow (``to_arrow``) and an HTML table in
Jupyter (``_repr_html_``). Results with a picture worth drawing offer ``chart()`` (Altair).

Units: values are US dollars; ``*_pct`` fields are percentages (31.5 means 31.5 %); shares
are of the named total; growth compares with the previous year (or the year named).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd
import pyarrow as pa

from bilat.document import to_document
from bilat.tradeview import Coverage, Figure, RankCoverage

if TYPE_CHECKING:
    import altair as alt
    import ibis.expr.types as ir

__all__ = [
    "BasketsResult",
    "Complementarity",
    "Concentration",
    "EventsResult",
    "Intensity",
    "MirrorGap",
    "PartnersResult",
    "ProductsResult",
    "Provenance",
    "RcaResult",
    "SeriesResult",
    "Source",
    "Standing",
    "Summary",
]


@dataclass(frozen=True, slots=True)
class Source:
    """One lake manifest entry a result rests on.

    Attributes
    ----------
    entry_id
        The manifest entry id (``lake.entry(entry_id)``).
    path
        The original file the entry was ingested from.
    source
        The source's name (``baci``, ``comtrade`` ...).
    """

    entry_id: str
    path: str
    source: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a result's figures come from.

    Attributes
    ----------
    bases
        Whose declarations the values rest on: ``reconciled`` (BACI), ``exporter`` (the
        exporter's own declaration), ``importer`` (the partner's mirror declaration).
    sources
        The manifest entries read, with their files.
    level
        The HS level read, per year where it differs (``"HS6 summed to totals"``).
    synthetic
        True when the lake holds synthetic (generated) data: figures are not real.
    conversion
        How products and values were converted to another HS revision, when they were
        (``"converted to HS17 with FILE (equal split)"``), else ``None``.
    """

    bases: tuple[str, ...]
    sources: tuple[Source, ...]
    level: str
    synthetic: bool = False
    conversion: str | None = None

    def text(self) -> str:
        """One line for a table caption."""
        names = {
            "reconciled": "reconciled (BACI)",
            "national": "national statistics file",
            "exporter": "exporter's declaration",
            "importer": "importer's mirror declaration",
        }
        basis = ", ".join(names.get(b, b) for b in self.bases) or "no data"
        files = ", ".join(sorted({s.path for s in self.sources})) or "none"
        banner = "SYNTHETIC DATA, not real figures. " if self.synthetic else ""
        converted = f" Values {self.conversion}." if self.conversion else ""
        return f"{banner}Basis: {basis}. Level: {self.level}.{converted} Sources: {files}"


class _Result:
    """Conversions shared by every result (a mixin for frozen dataclasses)."""

    provenance: Provenance
    #: Fields that are not part of the document: an unexecuted Ibis expression.
    _document_omit_: ClassVar[frozenset[str]] = frozenset({"expr"})

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data (non-finite floats become ``None``); an
        unexecuted Ibis expression (``expr``) is not part of it."""
        fields = dataclasses.fields(self)  # type: ignore[arg-type]
        omit = self._document_omit_
        return {f.name: to_document(getattr(self, f.name)) for f in fields if f.name not in omit}

    def to_arrow(self) -> pa.Table:
        """The result's table as Arrow."""
        return self._table()

    def to_pandas(self) -> pd.DataFrame:
        """The result's table as pandas."""
        frame: pd.DataFrame = self._table().to_pandas()
        return frame

    def _table(self) -> pa.Table:
        rows = getattr(self, "rows", None)
        if isinstance(rows, pa.Table):
            return rows
        scalars = {
            f.name: [getattr(self, f.name)]
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if isinstance(getattr(self, f.name), int | float | str | type(None))
        }
        return pa.table(scalars)

    def title(self) -> str:
        """A title for tables and charts."""
        return type(self).__name__

    def _repr_html_(self) -> str:
        frame = self.to_pandas().to_html(index=False, na_rep="—", float_format="{:,.2f}".format)
        return (
            f"<div><strong>{html.escape(self.title())}</strong>{frame}"
            f"<small>{html.escape(self.provenance.text())}</small></div>"
        )


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one side stands among the other side's partners in a year.

    Attributes
    ----------
    reporter
        The country whose partners are ranked.
    partner
        The country ranked.
    flow
        ``export``: ``partner`` as a destination of ``reporter``'s exports; ``import``: as an
        origin of its imports.
    rank
        1 for the largest partner; ``None`` when they did not trade.
    n_partners
        Number of partners (countries, areas excluded) with a positive value.
    value_usd, total_usd
        The partner's value and the reporter's total over all partners, US dollars.
    share_pct
        ``value_usd / total_usd`` in percent.
    text
        The sentence: "KAZ is the 5th destination of BLR's exports (share 4.1%)".
    coverage
        How far the rank can be trusted: partners present, whether the lake holds the
        reporter's whole trade (a rank on thin coverage is flagged as such).
    """

    reporter: str
    partner: str
    flow: str
    rank: int | None
    n_partners: int
    value_usd: float
    total_usd: float
    share_pct: float | None
    text: str
    coverage: RankCoverage | None = None

    @property
    def thin(self) -> bool:
        """True when the rank rests on part of the reporter's trade only."""
        return self.coverage is not None and self.coverage.thin


@dataclass(frozen=True, slots=True)
class Summary(_Result):
    """The headline figures of a dyad for a year, with the previous year for growth.

    Attributes
    ----------
    a, b
        The two sides (ISO3 or group code); exports are A→B, imports A←B.
    year, previous_year
        The year and the year compared with.
    exports_usd, imports_usd, turnover_usd, balance_usd
        A's exports to B, A's imports from B, their sum, exports minus imports (US dollars);
        ``None`` when no source covers the flow (never 0 for "unknown"), and turnover and
        balance ``None`` unless both directions are covered.
    previous_exports_usd, previous_imports_usd, previous_turnover_usd
        The same in ``previous_year`` (``None`` when no source covers that year: growth is
        then ``None`` rather than a false one).
    exports_growth_usd, imports_growth_usd, turnover_growth_usd
        Change on the previous year in US dollars.
    exports_growth_pct, imports_growth_pct, turnover_growth_pct
        Change on the previous year in percent (``None`` when the previous value is 0).
    standings
        B among A's export destinations and import origins, and A among B's.
    figure_bases
        The basis of each headline figure (``exports``, ``imports``, ``previous_exports``,
        ``previous_imports``): ``reconciled``, ``national``, ``exporter`` or ``importer``,
        comma-joined when a figure adds up rows of several bases, ``""`` when there is none.
    figures
        Each headline figure (``exports``, ``imports``, ``previous_exports``,
        ``previous_imports``) with its coverage and the share of each source in it.
    provenance
        Basis, sources and level of the figures.
    """

    a: str
    b: str
    year: int
    previous_year: int
    exports_usd: float | None
    imports_usd: float | None
    turnover_usd: float | None
    balance_usd: float | None
    previous_exports_usd: float | None
    previous_imports_usd: float | None
    previous_turnover_usd: float | None
    exports_growth_usd: float | None
    imports_growth_usd: float | None
    turnover_growth_usd: float | None
    exports_growth_pct: float | None
    imports_growth_pct: float | None
    turnover_growth_pct: float | None
    standings: tuple[Standing, ...]
    figure_bases: Mapping[str, str]
    provenance: Provenance
    figures: Mapping[str, Figure] = dataclasses.field(default_factory=dict)

    def title(self) -> str:
        return f"{self.a}–{self.b} trade, {self.year}"

    def _table(self) -> pa.Table:
        measures = [
            ("exports", self.exports_usd, self.previous_exports_usd, self.exports_growth_pct),
            ("imports", self.imports_usd, self.previous_imports_usd, self.imports_growth_pct),
            ("turnover", self.turnover_usd, self.previous_turnover_usd, self.turnover_growth_pct),
            ("balance", self.balance_usd, _minus(*self._previous_pair()), None),
        ]
        return pa.table(
            {
                "measure": [m[0] for m in measures],
                "value_usd": pa.array([m[1] for m in measures], pa.float64()),
                "previous_usd": pa.array([m[2] for m in measures], pa.float64()),
                "growth_usd": pa.array([_minus(m[1], m[2]) for m in measures], pa.float64()),
                "growth_pct": pa.array([m[3] for m in measures], pa.float64()),
                "basis": [self._basis(m[0]) for m in measures],
                "coverage": [self._coverage(m[0]) for m in measures],
            }
        )

    def _previous_pair(self) -> tuple[float | None, float | None]:
        return self.previous_exports_usd, self.previous_imports_usd

    def _coverage(self, measure: str) -> str:
        keys = [measure] if measure in ("exports", "imports") else ["exports", "imports"]
        got = [self.figures[k].coverage.status for k in keys if k in self.figures]
        if not got:
            return ""
        if "none" in got:
            return "none"
        return "partial" if "partial" in got else "full"

    def _basis(self, measure: str) -> str:
        keys = [measure] if measure in ("exports", "imports") else ["exports", "imports"]
        parts = {b for k in keys for b in self.figure_bases.get(k, "").split(",") if b}
        return ",".join(sorted(parts))

    def lines(self) -> list[str]:
        """The standings as sentences."""
        return [s.text for s in self.standings]


@dataclass(frozen=True, slots=True)
class SeriesResult(_Result):
    """Yearly trade of a dyad.

    ``rows``: ``year`` (int), ``exports_usd``, ``imports_usd``, ``turnover_usd``,
    ``balance_usd`` (float64, US dollars; 0 where a source covers the flow and lists no
    trade; null where no source covers it; years the lake does not hold are absent),
    ``exports_basis``, ``imports_basis`` (source classes) and ``exports_coverage``,
    ``imports_coverage`` (``full``, ``partial`` or ``none``).
    """

    a: str
    b: str
    start: int
    end: int
    rows: pa.Table
    provenance: Provenance

    def title(self) -> str:
        return f"{self.a}–{self.b} trade, {self.start}-{self.end}"

    def chart(self) -> alt.Chart:
        """Exports, imports and turnover by year as lines."""
        from bilat.trade._charts import series_chart

        return series_chart(self.to_pandas(), self.title())


@dataclass(frozen=True, slots=True)
class ProductsResult(_Result):
    """Top products of one direction of a dyad's trade.

    ``rows``: ``rank`` (1 = largest), ``product`` (HS code at ``level``), ``description``
    (HS 2022 wording, may be null), ``value_usd``, ``share_pct`` (of ``total_usd``),
    ``previous_usd`` (previous year), ``growth_pct`` (null where the previous value is 0),
    ``quantity`` and ``quantity_unit`` (null where no source reports one, or units differ:
    see :func:`bilat.trade._common.quantity_of`), ``unit_value_usd`` (value per unit).
    """

    exporter: str
    importer: str
    year: int
    level: int
    flow: str
    total_usd: float | None
    n_products: int
    rows: pa.Table
    provenance: Provenance
    coverage: Coverage | None = None

    def title(self) -> str:
        return f"Top HS{self.level} products, {self.exporter}→{self.importer}, {self.year}"

    def chart(self) -> alt.Chart:
        """Horizontal bars of the products' values."""
        from bilat.trade._charts import products_chart

        return products_chart(self.to_pandas(), self.title())


@dataclass(frozen=True, slots=True)
class BasketsResult(_Result):
    """Baskets compared between two years.

    ``rows``: ``basket`` (name), ``title``, ``level`` (HS level read), ``value_from_usd``,
    ``value_to_usd``, ``multiplier`` (to / from; null where ``from`` is 0), ``text``
    (``"Confectionery x2.0"``).
    """

    exporter: str
    importer: str
    start: int
    end: int
    flow: str
    rows: pa.Table
    provenance: Provenance

    def title(self) -> str:
        return f"Baskets {self.exporter}→{self.importer}, {self.start} vs {self.end}"

    def chart(self) -> alt.Chart:
        """Grouped bars of each basket's value in both years."""
        from bilat.trade._charts import baskets_chart

        return baskets_chart(self.to_pandas(), self.title(), start=self.start, end=self.end)


@dataclass(frozen=True, slots=True)
class EventsResult(_Result):
    """Products that appeared, ceased or resumed in ``year``.

    ``appeared``: traded in ``year``, not in either of the two years before. ``resumed``:
    traded in ``year``, not the year before, but two years before. ``ceased``: traded the
    year before, not in ``year``. "Traded" means a value above zero; ``min_value_usd``
    keeps events whose value (in ``year``, or the year before for ``ceased``) reaches it.

    ``rows``: ``product``, ``description``, ``event``, ``value_usd`` (in ``year``),
    ``previous_usd`` (year before), ``two_back_usd`` (two years before).
    """

    exporter: str
    importer: str
    year: int
    level: int
    flow: str
    min_value_usd: float
    rows: pa.Table
    provenance: Provenance
    coverage: Coverage | None = None

    def title(self) -> str:
        return f"Product events {self.exporter}→{self.importer}, {self.year} (HS{self.level})"

    def counts(self) -> dict[str, int]:
        """Number of products per event."""
        events = self.rows.column("event").to_pylist()
        return {e: events.count(e) for e in ("appeared", "resumed", "ceased")}


@dataclass(frozen=True, slots=True)
class PartnersResult(_Result):
    """A country's (or group's) partners ranked by value.

    ``rows``: ``rank``, ``partner`` (ISO3), ``name``, ``value_usd``, ``share_pct`` (of
    ``total_usd``), ``previous_usd``, ``growth_pct``.
    """

    reporter: str
    flow: str
    year: int
    level: int
    products: str | None
    total_usd: float
    n_partners: int
    rows: pa.Table
    provenance: Provenance
    coverage: RankCoverage | None = None
    intra: bool = False

    def title(self) -> str:
        what = "destinations of exports" if self.flow == "export" else "origins of imports"
        within = f", HS {self.products}" if self.products else ""
        return f"{self.reporter}: {what}{within}, {self.year}"

    def rank_of(self, partner: str) -> int | None:
        """The rank of ``partner`` in the rows shown, or ``None``."""
        for row in self.rows.to_pylist():
            if row["partner"] == partner:
                return int(row["rank"])
        return None

    def chart(self) -> alt.Chart:
        """Horizontal bars of the partners' values."""
        from bilat.trade._charts import partners_chart

        return partners_chart(self.to_pandas(), self.title())


@dataclass(frozen=True, slots=True)
class Concentration(_Result):
    """Product concentration of one direction of a dyad's trade.

    Attributes
    ----------
    hhi
        Herfindahl-Hirschman index, the sum of squared product shares (0..1; 1 = one product).
    hhi_normalised
        ``(hhi - 1/n) / (1 - 1/n)`` (0 = equal shares, 1 = one product; ``None`` for n = 1).
    n_products
        Products with a positive value at ``level``.
    equivalent_products
        ``1 / hhi``: the number of equal-sized products giving the same concentration.
    """

    exporter: str
    importer: str
    year: int
    level: int
    hhi: float | None
    hhi_normalised: float | None
    n_products: int
    equivalent_products: float | None
    total_usd: float
    provenance: Provenance
    coverage: Coverage | None = None

    def title(self) -> str:
        return f"Product concentration of {self.exporter}→{self.importer} exports, {self.year}"


@dataclass(frozen=True, slots=True)
class RcaResult(_Result):
    """Revealed comparative advantage (Balassa) of a country's exports, by product.

    ``rows``: ``product``, ``description``, ``exports_usd`` (the country's exports of the
    product), ``share_pct`` (in its total exports), ``world_share_pct`` (the product's share
    in world exports), ``rca`` (the ratio of the two; above 1 = revealed advantage),
    ``exports_to_partner_usd`` and ``partner_rca`` (with a ``partner`` B: the product's
    share in A's exports to B over its share in B's imports from everyone; null without).
    Products A exports less than ``min_exports_usd`` of are not listed; ``exports_usd`` and
    ``world_usd`` (totals) still count them.

    ``expr``: the same rows but ``description`` as an unexecuted Ibis expression over the
    lake, for composing further before running it (``result.expr.filter(_.rca > 2)
    .execute()``, or ``.to_pyarrow()``); ``None`` when the result was built by hand. It is
    not part of ``to_dict()``.
    """

    exporter: str
    year: int
    level: int
    exports_usd: float
    world_usd: float
    n_advantage: int
    rows: pa.Table
    provenance: Provenance
    expr: ir.Table | None = dataclasses.field(default=None, repr=False, compare=False)
    partner: str | None = None
    min_exports_usd: float = 0.0

    def title(self) -> str:
        to = f" (and to {self.partner})" if self.partner else ""
        return f"Revealed comparative advantage of {self.exporter}{to}, {self.year}"


@dataclass(frozen=True, slots=True)
class Complementarity(_Result):
    """Trade complementarity between A's exports and B's imports (0..100).

    Attributes
    ----------
    index
        ``100 * (1 - sum_k |m_Bk - x_Ak| / 2)``: 100 when A's export mix matches B's import
        mix exactly, 0 when they share no product.
    """

    exporter: str
    importer: str
    year: int
    level: int
    index: float | None
    exports_usd: float
    imports_usd: float
    provenance: Provenance

    def title(self) -> str:
        return (
            f"Complementarity of {self.exporter}'s exports with {self.importer}'s imports, "
            f"{self.year}"
        )


@dataclass(frozen=True, slots=True)
class Intensity(_Result):
    """Trade intensity of A's exports to B.

    Attributes
    ----------
    index
        ``(x_AB / X_A) / (M_B / X_W)``: B's share in A's exports over B's share in world
        imports (>1: A exports more to B than B's weight in world trade suggests).
    """

    exporter: str
    importer: str
    year: int
    index: float | None
    exports_to_partner_usd: float
    exports_usd: float
    partner_imports_usd: float
    world_usd: float
    provenance: Provenance

    def title(self) -> str:
        return f"Intensity of {self.exporter}'s exports to {self.importer}, {self.year}"


@dataclass(frozen=True, slots=True)
class MirrorGap(_Result):
    """The same flow as declared by its exporter and by its importer.

    ``rows``: ``year``, ``product`` (``TOTAL`` or an HS code at ``level``),
    ``exporter_declared_usd`` (A's export declaration), ``importer_declared_usd`` (B's
    import declaration), ``difference_usd`` (importer minus exporter), ``ratio``
    (importer / exporter; about 1.05-1.10 when only CIF/FOB valuation differs). Only rows
    where both declarations exist.

    ``expr``: the same rows as an unexecuted Ibis expression over the lake, for composing
    further before running it; ``None`` when the result was built by hand. It is not part
    of ``to_dict()``.
    """

    exporter: str
    importer: str
    level: int
    rows: pa.Table
    provenance: Provenance
    expr: ir.Table | None = dataclasses.field(default=None, repr=False, compare=False)

    def title(self) -> str:
        return f"{self.exporter}→{self.importer} as each side declared it (mirror gap)"
