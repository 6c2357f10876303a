"""The briefing: every part for a dyad and a year, as one self-contained HTML page and JSON,
and as PDF (:func:`write_pdf`).

Sections: headline figures, trade over the years, top products, baskets, product events,
claims, commitments, air services, trade potential. Every figure names its source; a lake
holding synthetic data puts the synthetic-data banner on every output.

>>> from bilat.brief import build_briefing, write_briefing, write_pdf         # doctest: +SKIP
>>> b = build_briefing(lake, "BLR", "KAZ", year=2021, case="blr-kaz-2022")    # doctest: +SKIP
>>> write_briefing(b, "out/").html                                           # doctest: +SKIP
>>> write_pdf(b, "out/briefing.pdf")                                         # doctest: +SKIP
"""

from __future__ import annotations

from bilat.brief.build import build_briefing
from bilat.brief.demo import DemoReport, run_demo
from bilat.brief.model import (
    SCHEMA_TAG,
    SECTION_IDS,
    STATUSES,
    Briefing,
    Column,
    Figure,
    Section,
    SectionStatus,
    Table,
)
from bilat.brief.pdf import render_pdf, write_pdf
from bilat.brief.render import BriefingFiles, render_html, render_json, schema, write_briefing

__all__ = [
    "SCHEMA_TAG",
    "SECTION_IDS",
    "STATUSES",
    "Briefing",
    "BriefingFiles",
    "Column",
    "DemoReport",
    "Figure",
    "Section",
    "SectionStatus",
    "Table",
    "build_briefing",
    "render_html",
    "render_json",
    "render_pdf",
    "run_demo",
    "schema",
    "write_briefing",
    "write_pdf",
]
