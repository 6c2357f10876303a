"""The briefing as PDF: the HTML page typeset by WeasyPrint on A4.

The print layout lives in ``templates/print.css`` (margins, page breaks, the card grid);
this module adds what depends on the briefing: the running header (the dyad on the left;
the trade year and the day commitments were evaluated at on the right), the page numbers ("Page 3 of 12") and, for
synthetic data, a warning in the footer of every page, since a printed page travels alone.
The first page carries the document's own title block, so its running header is left out.

>>> from bilat.brief import build_briefing, write_pdf                         # doctest: +SKIP
>>> write_pdf(build_briefing(lake, "BLR", "KAZ", year=2021), "out/briefing.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from bilat import formats, i18n
from bilat._files import write_atomic
from bilat.brief.model import Briefing
from bilat.errors import InputError
from bilat.i18n import gettext as _

__all__ = ["page_css", "render_pdf", "write_pdf"]

_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
_CHART_FONTS = "Liberation Sans, Arial, Helvetica, sans-serif"


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def _page_numbers() -> str:
    """The footer's ``content`` value: "Page " counter(page) " of " counter(pages)."""
    template = _("Page %(page)s of %(pages)s")
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(_css_string(template[position : match.start()]))
        parts.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(template):
        parts.append(_css_string(template[position:]))
    return " ".join(parts)


def running_header(briefing: Briefing) -> tuple[str, str]:
    """The running header's two sides: the dyad; the trade year and the as-of day."""
    dyad = f"{briefing.a_name!s} – {briefing.b_name!s}"  # !s: in the current language
    when = _("Trade in %(year)s · as of %(date)s") % {
        "year": formats.year(briefing.year),
        "date": formats.date(briefing.as_of),
    }
    return dyad, when


def page_css(briefing: Briefing) -> str:
    """The page boxes that depend on the briefing (header, page numbers, synthetic warning),
    in the current language; the static print layout is ``templates/print.css``."""
    left, right = running_header(briefing)
    warning = ""
    if briefing.synthetic:
        warning = f" @bottom-left {{ content: {_css_string(_('Synthetic sample data'))}; }}"
    return (
        "@page {"
        f" @top-left {{ content: {_css_string(left)}; }}"
        f" @top-right {{ content: {_css_string(right)}; }}"
        f" @bottom-right {{ content: {_page_numbers()}; }}{warning} }}\n"
        "@page :first { @top-left { content: none; } @top-right { content: none; } }\n"
    )


def _print_css() -> str:
    return (resources.files("bilat.brief") / "templates" / "print.css").read_text("utf-8")


def render_pdf(briefing: Briefing, *, html: str | None = None, lang: str | None = None) -> bytes:
    """The briefing as PDF bytes (A4).

    Parameters
    ----------
    briefing
        The briefing.
    html
        The briefing's HTML when it is already rendered (:func:`bilat.brief.render_html`),
        in the same language; rendered here otherwise.
    lang
        ``en`` or ``ru`` (checked by :func:`bilat.i18n.language`); default: the current
        language (:func:`bilat.i18n.use`). The running header and page numbers follow it.
    """
    from weasyprint import HTML

    from bilat.brief.render import render_html

    with i18n.use(lang or i18n.current()):
        page = render_html(briefing) if html is None else html
        pdf: bytes = HTML(string=_with_print_css(_chart_fonts(page), briefing)).write_pdf()
    return pdf


def _chart_fonts(page: str) -> str:
    """The charts' text in Liberation Sans (Arial's metrics), the font their labels were
    measured in when the SVG was drawn: the engine's own ``sans-serif`` (DejaVu Sans) is
    wider and would push the longest axis labels past the chart's left edge."""
    return page.replace('font-family="sans-serif"', f'font-family="{_CHART_FONTS}"')


def _with_print_css(page: str, briefing: Briefing) -> str:
    """The page with the print layout appended to its head: an author stylesheet after the
    page's own, so it wins the cascade (one given to the engine as ``stylesheets`` would be a
    user stylesheet and lose to the page's rules)."""
    style = f"<style>\n{_print_css()}\n{page_css(briefing)}</style>\n"
    head_end = page.find("</head>")
    if head_end < 0:
        return style + page
    return page[:head_end] + style + page[head_end:]


def write_pdf(
    briefing: Briefing, path: str | Path, *, html: str | None = None, lang: str | None = None
) -> Path:
    """Write the briefing's PDF to ``path`` atomically (a reader sees the old file or the
    new one, never half) and return the path. ``html`` and ``lang`` as in :func:`render_pdf`."""
    target = Path(path)
    if target.is_dir():
        raise InputError(
            _("%(path)s is a folder; give a file name for the PDF") % {"path": target},
            details={"value": str(target)},
        )
    write_atomic(target, render_pdf(briefing, html=html, lang=lang))
    return target
