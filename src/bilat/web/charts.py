"""Charts as inline SVG: Altair specs rendered by ``vl-convert`` (no CDN, no JavaScript)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["to_svg"]

_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")


def to_svg(chart: Any) -> str:
    """Render an Altair chart as an SVG element to inline in a page."""
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(chart.to_json())
    return _XML_DECL.sub("", svg)
