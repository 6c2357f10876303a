"""The briefing as data: sections of figures, tables, notes and a chart, each with sources.

The same :class:`Briefing` renders to HTML (:mod:`bilat.brief.render`) and to JSON
(:meth:`Briefing.to_dict`, validated by ``briefing.schema.json``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from bilat import formats
from bilat.brief.text import Text, country, year_of
from bilat.brief.text import msg as _

__all__ = [
    "SCHEMA_TAG",
    "SECTION_IDS",
    "STATUSES",
    "UNITS",
    "Briefing",
    "Column",
    "Figure",
    "KeyMessage",
    "Section",
    "SectionStatus",
    "Table",
]

#: The ``schema`` tag of briefing JSON.
SCHEMA_TAG = "bilat-briefing/1"

#: Every briefing has these sections, in this order.
SECTION_IDS: tuple[str, ...] = (
    "headline",
    "world",
    "structure",
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

Unit = Literal["usd", "pct", "share", "multiplier", "index", "rank", "int", "text", "km", "year"]
UNITS: tuple[str, ...] = get_args(Unit)


def _clean(value: Any) -> Any:
    if isinstance(value, Text):
        return value.__str__()
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
    note
        What a reader needs to read the number right (``Potential = actual by
        construction ...``), or ``None``.
    """

    label: str
    value: float | None
    unit: str
    source: str
    note: str | None = None

    @property
    def text(self) -> str:
        """The value formatted for reading, in the current language (:mod:`bilat.formats`)."""
        return formats.value(self.value, self.unit)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (text in the current language)."""
        return {
            "label": _clean(self.label),
            "value": _clean(self.value),
            "unit": self.unit,
            "text": self.text,
            "source": _clean(self.source),
            "note": _clean(self.note),
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
        """Plain data (text in the current language)."""
        return {
            "title": _clean(self.title),
            "columns": [
                {"key": c.key, "label": _clean(c.label), "unit": c.unit} for c in self.columns
            ],
            "rows": [{c.key: _clean(r.get(c.key)) for c in self.columns} for r in self.rows],
            "source": _clean(self.source),
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
            "title": _clean(self.title),
            "status": self.status,
            "message": _clean(self.message),
            "figures": [f.to_dict() for f in self.figures],
            "tables": [t.to_dict() for t in self.tables],
            "notes": [_clean(n) for n in self.notes],
            "sources": [_clean(x) for x in self.sources],
            "entries": list(self.entries),
            "chart": _clean(dict(self.chart)) if self.chart is not None else None,
        }


@dataclass(frozen=True, slots=True)
class KeyMessage:
    """One sentence of the key messages at the top of the briefing.

    Attributes
    ----------
    id
        What it is about (``turnover``, ``movers``, ``claims``, ``overdue``, ``potential``,
        ``world`` ...).
    section
        The id of the section it summarises (the HTML links to it).
    text
        The sentence, with its number formatted, in the rendered language.
    value, unit
        Its main number and that number's unit (``None`` for a count-free sentence).
    caveat
        The coverage caveat said with it (``covers 2 of 3 pairs``), or ``None``.
    """

    id: str
    section: str
    text: str
    value: float | None = None
    unit: str = "text"
    caveat: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (text in the current language)."""
        return {
            "id": self.id,
            "section": self.section,
            "text": _clean(self.text),
            "value": _clean(self.value),
            "unit": self.unit,
            "caveat": _clean(self.caveat),
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
    key_messages
        The sentences at the top (:mod:`bilat.brief.key_messages`), each linking to its
        section.
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
    key_messages: tuple[KeyMessage, ...] = ()

    @property
    def title(self) -> Text:
        """``Belarus – Kazakhstan: briefing, 2021`` (in the rendered language)."""
        return _(
            "%(a)s – %(b)s: briefing, %(year)s",
            a=country(self.a),
            b=country(self.b),
            year=year_of(self.year),
        )

    def section(self, section_id: str) -> Section:
        """The section with that id (``KeyError`` when absent)."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data following ``briefing.schema.json``: keys, ids, values and
        units are language-neutral; titles, labels, notes and key messages are in the
        current language (``lang``)."""
        from bilat import i18n

        return {
            "schema": SCHEMA_TAG,
            "lang": i18n.current(),
            "title": _clean(self.title),
            "a": self.a,
            "b": self.b,
            "a_name": _clean(self.a_name),
            "b_name": _clean(self.b_name),
            "year": self.year,
            "as_of": self.as_of,
            "generated_at": self.generated_at,
            "synthetic": self.synthetic,
            "banner": _clean(self.banner),
            "case": self.case,
            "key_messages": [k.to_dict() for k in self.key_messages],
            "sections": [s.to_dict() for s in self.sections],
            "manifest": [_clean(dict(m)) for m in self.manifest],
        }
