"""Rendering a briefing: one self-contained HTML file (inline CSS, charts as inline SVG) and JSON.

The HTML makes no external request: the stylesheet is inlined, charts are rendered to SVG
offline by ``vl-convert``, and there are no scripts, fonts or images to fetch.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from bilat import formats, i18n
from bilat._files import write_atomic
from bilat.brief.model import Briefing
from bilat.document import dumps
from bilat.errors import InputError
from bilat.i18n import _

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
    from bilat.templating import jinja_env

    env = jinja_env(autoescape=True, undefined=jinja2.StrictUndefined)
    template: jinja2.Template = env.from_string(
        (_templates() / "briefing.html.j2").read_text("utf-8")
    )
    return template


def schema() -> dict[str, Any]:
    """The JSON Schema briefing JSON follows (``briefing.schema.json`` in the package)."""
    text = (resources.files("bilat.brief") / "briefing.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _chart_words() -> dict[str, str]:
    # marked here so that the catalog holds them; translated when a chart is drawn
    return {"US dollars": _("US dollars"), "Year": _("Year")}


def localised_chart(spec: Mapping[str, Any], title: str | None = None) -> dict[str, Any]:
    """``spec`` for drawing in the current language: d3's number locale in
    ``config.locale`` (:func:`bilat.formats.vega_locale`), axis and legend titles
    translated, and ``title`` (the caption's words) in place of the part's English one."""
    out = copy.deepcopy(dict(spec))
    words = _chart_words()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str) and value in words:
                    node[key] = words[value]
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    if title is not None:
        out["title"] = str(title)
    config = out.setdefault("config", {})
    config["locale"] = formats.vega_locale()
    return out


def chart_svg(spec: Mapping[str, Any], title: str | None = None) -> str | None:
    """A Vega-Lite spec as inline SVG in the current language, rendered offline; ``None``
    when it cannot be drawn."""
    import vl_convert

    try:
        svg: str = vl_convert.vegalite_to_svg(localised_chart(spec, title))
    except Exception:
        return None
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None


def render_html(briefing: Briefing, *, lang: str | None = None) -> str:
    """The briefing as one self-contained HTML page (print-ready), in ``lang`` (default:
    the current language of :mod:`bilat.i18n`)."""
    from bilat._config import __version__

    with i18n.use(lang or i18n.current()) as used:
        charts = {
            s.id: chart_svg(s.chart, s.tables[0].title if s.tables else None)
            if s.chart is not None
            else None
            for s in briefing.sections
        }
        return _template().render(
            b=briefing,
            charts=charts,
            css=(_templates() / "briefing.css").read_text("utf-8"),
            fmt=formats.value,
            numeric=_NUMERIC,
            version=__version__,
            html_lang=used,
            basename=_basename,
            cell=_cell,
        )


def _cell(value: Any, unit: str, key: str) -> str:
    """A table cell in the rendered language: a verdict in words, else the value's unit."""
    if key == "verdict" and isinstance(value, str):
        from bilat.brief.case_sections import VERDICT_WORDS

        word = VERDICT_WORDS.get(value)
        return str(word) if word is not None else value
    return formats.value(value, unit)


def _basename(path: Any) -> str:
    """A file's name without the folders of the machine it was read on."""
    text = str(path or "")
    return text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or text


def render_json(briefing: Briefing, *, lang: str | None = None) -> str:
    """The briefing as indented JSON (following :func:`schema`), its text in ``lang``."""
    with i18n.use(lang or i18n.current()):
        return dumps(briefing) + "\n"


def write_briefing(
    briefing: Briefing, out_dir: str | Path, *, name: str = "briefing", lang: str | None = None
) -> BriefingFiles:
    """Write ``NAME.html`` and ``NAME.json`` into ``out_dir`` (created if missing), in
    ``lang`` (``en``, ``ru``; default: the current language of :mod:`bilat.i18n`)."""
    lang = i18n.language(lang) if lang is not None else None
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
    write_atomic(files.json, render_json(briefing, lang=lang).encode("utf-8"))
    write_atomic(files.html, render_html(briefing, lang=lang).encode("utf-8"))
    return files
