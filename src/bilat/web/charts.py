"""Charts as inline SVG: Altair specs rendered by ``vl-convert`` (no CDN, no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["to_svg"]

_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")


def to_svg(chart: Any, *, width: int = 560) -> str:
    """Render an Altair chart as an SVG element to inline in a page (``width`` in pixels)."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(chart.properties(width=width).to_json())
    return _XML_DECL.sub("", svg)
