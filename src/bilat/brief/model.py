"""The briefing as data: sections of figures, tables, notes and a chart, each with sources.

The same :class:`Briefing` renders to HTML (:mod:`bilat.brief.render`) and to JSON
(:meth:`Briefing.to_dict`, validated by ``briefing.schema.json``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

__all__ = [
    "SCHEMA_TAG",
    "SECTION_IDS",
    "STATUSES",
    "UNITS",
    "Briefing",
    "Column",
    "Figure",
    "Section",
    "SectionStatus",
    "Table",
    "fmt",
]

#: The ``schema`` tag of briefing JSON.
SCHEMA_TAG = "bilat-briefing/1"

#: Every briefing has these sections, in this order.
SECTION_IDS: tuple[str, ...] = (
    "headline",
    "series",
    "products",
    "baskets",
    "events",
    "claims",
    "agenda",
    "air",
    "potential",
    "promising",
    "scenario",
)

SectionStatus = Literal["ok", "no_data", "unavailable"]
STATUSES: tuple[str, ...] = get_args(SectionStatus)

Unit = Literal["usd", "pct", "share", "multiplier", "index", "rank", "int", "text", "km"]
UNITS: tuple[str, ...] = get_args(Unit)


def fmt(value: Any, unit: str) -> str:
    """A value as a reader sees it: ``1.23 bn USD``, ``+31.2 %`` (growth; ``-0.054 %`` below
    0.1), ``4.1 %`` (share),
    ``x2.50`` (multiplier), ``0.31`` or ``1,492.43`` (index), ``—`` for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if unit == "usd":
        v = float(value)
        for size, word in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
            if abs(v) >= size:
                return f"{v / size:,.2f} {word} USD"
        return f"{v:,.0f} USD"
    if unit == "pct":
        return _pct(float(value))
    if unit == "share":
        return f"{float(value):.1f} %"
    if unit == "multiplier":
        return f"x{float(value):.2f}"
    if unit == "index":
        return f"{float(value):,.2f}"
    if unit == "km":
        return f"{float(value):,.0f} km"
    if unit in ("rank", "int") and isinstance(value, int | float):
        return f"{int(value):,}"
    return str(value)


def _pct(v: float) -> str:
    """A change in percent: one decimal, or two significant digits below 0.1 (a -0.054 %
    welfare effect is neither "-0.1 %" nor "-0.0 %")."""
    if v == 0 or abs(v) >= 0.1:
        return f"{v:+.1f} %"
    digits = 1 - math.floor(math.log10(abs(v)))
    return f"{v:+.{digits}f} %"


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return _clean(value.item())
    return value


@dataclass(frozen=True, slots=True)
class Figure:
    """One headline number.

    Attributes
    ----------
    label
        What it is (``Turnover 2021``).
    value
        The number in ``unit`` (US dollars, percent ...); ``None`` when missing.
    unit
        One of :data:`UNITS`.
    source
        Where the number comes from (basis, level, files).
    """

    label: str
    value: float | None
    unit: str
    source: str

    @property
    def text(self) -> str:
        """The value formatted for reading."""
        return fmt(self.value, self.unit)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "label": self.label,
            "value": _clean(self.value),
            "unit": self.unit,
            "text": self.text,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: key in the rows, header, unit of its values."""

    key: str
    label: str
    unit: str = "text"


@dataclass(frozen=True, slots=True)
class Table:
    """A table of a section.

    Attributes
    ----------
    title
        Caption heading.
    columns
        Columns in order.
    rows
        One mapping per row, keyed by column key (raw values; units in ``columns``).
    source
        Where the rows come from.
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in self.columns],
            "rows": [{c.key: _clean(r.get(c.key)) for c in self.columns} for r in self.rows],
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the briefing.

    Attributes
    ----------
    id, title
        Identifier (one of :data:`SECTION_IDS`) and heading.
    status
        ``ok``; ``no_data`` (the part ran, there is nothing to show: ``message`` says why);
        ``unavailable`` (the part is not installed or failed: ``message`` says so).
    message
        Plain words for a reader when the status is not ``ok``.
    figures, tables, notes
        Headline numbers, tables and sentences.
    sources
        Citation lines for the section (files, manifest entries, case files).
    entries
        Lake manifest entry ids the section's figures rest on.
    chart
        A Vega-Lite specification (rendered as inline SVG in HTML), or ``None``.
    """

    id: str
    title: str
    status: SectionStatus = "ok"
    message: str | None = None
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()
    chart: Mapping[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "message": self.message,
            "figures": [f.to_dict() for f in self.figures],
            "tables": [t.to_dict() for t in self.tables],
            "notes": list(self.notes),
            "sources": list(self.sources),
            "entries": list(self.entries),
            "chart": _clean(dict(self.chart)) if self.chart is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Briefing:
    """A briefing for a dyad and a year.

    Attributes
    ----------
    a, b, a_name, b_name
        The dyad (ISO3) and the countries' names; exports are A→B.
    year
        The trade year.
    as_of
        The day commitments are evaluated at (ISO date).
    generated_at
        When the briefing was built (ISO timestamp, UTC).
    synthetic, banner
        Whether the lake holds synthetic data, and the banner every page shows then.
    case
        The case folder used, or ``None``.
    sections
        Every section of :data:`SECTION_IDS`, in order.
    manifest
        The lake manifest entries cited by the sections (plain data).
    """

    a: str
    b: str
    a_name: str
    b_name: str
    year: int
    as_of: str
    generated_at: str
    synthetic: bool
    banner: str | None
    case: str | None
    sections: tuple[Section, ...]
    manifest: tuple[Mapping[str, Any], ...] = ()

    @property
    def title(self) -> str:
        """``Belarus – Kazakhstan: briefing, 2021``."""
        return f"{self.a_name} – {self.b_name}: briefing, {self.year}"

    def section(self, section_id: str) -> Section:
        """The section with that id (``KeyError`` when absent)."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data following ``briefing.schema.json``."""
        return {
            "schema": SCHEMA_TAG,
            "title": self.title,
            "a": self.a,
            "b": self.b,
            "a_name": self.a_name,
            "b_name": self.b_name,
            "year": self.year,
            "as_of": self.as_of,
            "generated_at": self.generated_at,
            "synthetic": self.synthetic,
            "banner": self.banner,
            "case": self.case,
            "sections": [s.to_dict() for s in self.sections],
            "manifest": [_clean(dict(m)) for m in self.manifest],
        }
