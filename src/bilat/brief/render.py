"""Rendering a briefing: one self-contained HTML file (inline CSS, charts as inline SVG) and JSON.

The HTML makes no external request: the stylesheet is inlined, charts are rendered to SVG
offline by ``vl-convert``, and there are no scripts, fonts or images to fetch.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from bilat._files import write_atomic
from bilat.brief.model import Briefing, fmt
from bilat.document import dumps
from bilat.errors import InputError

__all__ = ["BriefingFiles", "render_html", "render_json", "schema", "write_briefing"]

_NUMERIC = frozenset({"usd", "pct", "share", "multiplier", "rank", "int", "km"})


@dataclass(frozen=True, slots=True)
class BriefingFiles:
    """Where a briefing was written, and what it holds (what ``bilat brief --json`` prints).

    Attributes
    ----------
    html, json
        The HTML page and the JSON file written.
    pdf
        The PDF written beside them (:func:`bilat.brief.write_pdf`), else ``None``.
    synthetic, banner
        Whether the lake holds synthetic sample data, and the banner the files carry then.
    sections
        Each section's id and status (``ok``, ``no_data``, ``unavailable`` ...), in order.
    """

    html: Path
    json: Path
    synthetic: bool = False
    banner: str | None = None
    sections: Mapping[str, str] = field(default_factory=dict)
    pdf: Path | None = None


def _templates() -> resources.abc.Traversable:
    return resources.files("bilat.brief") / "templates"


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string((_templates() / "briefing.html.j2").read_text("utf-8"))


def schema() -> dict[str, Any]:
    """The JSON Schema briefing JSON follows (``briefing.schema.json`` in the package)."""
    text = (resources.files("bilat.brief") / "briefing.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def chart_svg(spec: dict[str, Any]) -> str | None:
    """A Vega-Lite spec as inline SVG, rendered offline; ``None`` when it cannot be drawn."""
    import vl_convert

    try:
        svg: str = vl_convert.vegalite_to_svg(spec)
    except Exception:
        return None
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None


def render_html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML page (print-ready)."""
    from bilat._config import __version__

    charts = {
        s.id: chart_svg(dict(s.chart)) if s.chart is not None else None for s in briefing.sections
    }
    return _template().render(
        b=briefing,
        charts=charts,
        css=(_templates() / "briefing.css").read_text("utf-8"),
        fmt=fmt,
        numeric=_NUMERIC,
        version=__version__,
    )


def render_json(briefing: Briefing) -> str:
    """The briefing as indented JSON (following :func:`schema`)."""
    return dumps(briefing) + "\n"


def write_briefing(
    briefing: Briefing, out_dir: str | Path, *, name: str = "briefing"
) -> BriefingFiles:
    """Write ``NAME.html`` and ``NAME.json`` into ``out_dir`` (created if missing)."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"{folder} is a file; give a folder for {name}.html and {name}.json",
            details={"value": str(folder)},
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the output folder {folder}: {exc.strerror}; choose another folder",
            details={"value": str(folder)},
        ) from None
    files = BriefingFiles(
        folder / f"{name}.html",
        folder / f"{name}.json",
        synthetic=briefing.synthetic,
        banner=briefing.banner,
        sections={s.id: s.status for s in briefing.sections},
    )
    write_atomic(files.json, render_json(briefing).encode("utf-8"))
    write_atomic(files.html, render_html(briefing).encode("utf-8"))
    return files
