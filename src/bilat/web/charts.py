"""Charts as inline SVG: Altair specs rendered by ``vl-convert`` (no CDN, no JavaScript).

Every chart is drawn in the request's language: the d3 number locale of
:func:`bilat.formats.vega_locale` (digit grouping, decimal mark, where ``$`` goes) and
money axes in a unit the values need ("million US dollars", "млн долл. США"), never
``24,000,000``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bilat import formats
from bilat.i18n import gettext as _

__all__ = ["NUMBER_AXIS", "to_svg", "years_chart"]

_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")
#: The d3 format of an axis already in its unit: grouped, trailing zeros trimmed.
NUMBER_AXIS = ",~g"


def to_svg(chart: Any, *, width: int = 560) -> str:
    """Render an Altair chart as an SVG element to inline in a page (``width`` in pixels),
    with the current language's number locale."""
    import vl_convert as vlc

    spec = json.loads(chart.properties(width=width).to_json())
    locale = formats.vega_locale()
    spec.setdefault("config", {})["locale"] = locale
    svg: str = vlc.vegalite_to_svg(spec, format_locale=locale["number"])
    return _XML_DECL.sub("", svg)


def _scale(largest: float) -> tuple[float, str]:
    """The unit a money axis reads in: values divided by it, and its title."""
    if largest >= 1e9:
        return 1e9, _("billion US dollars")
    if largest >= 1e6:
        return 1e6, _("million US dollars")
    if largest >= 1e3:
        return 1e3, _("thousand US dollars")
    return 1.0, _("US dollars")


def years_chart(points: list[dict[str, Any]], *, title: str) -> Any:
    """Lines of US dollar values by year, one per ``series`` (rows: ``year``, ``series``,
    ``value_usd``). Years without a value are left out (a gap, never a 0). The axis reads in
    the unit the largest value needs ("million US dollars"), numbers in the language's form."""
    import altair as alt
    import pandas as pd

    rows = [p for p in points if p.get("value_usd") is not None]
    frame = pd.DataFrame(rows, columns=["year", "series", "value_usd"])
    size, unit = _scale(float(frame["value_usd"].abs().max()) if len(frame) else 0.0)
    frame["value"] = frame["value_usd"] / size
    frame["label"] = [formats.money(v) for v in frame["value_usd"]]
    chart = (
        alt.Chart(frame, title=title, padding={"left": 40, "top": 5, "right": 10, "bottom": 5})
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=unit, axis=alt.Axis(format=NUMBER_AXIS)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=["year:O", "series:N", alt.Tooltip("label:N", title=_("Value"))],
        )
    )
    return chart
