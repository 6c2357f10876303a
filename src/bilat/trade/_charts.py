"""Altair charts for the results where a picture says more than a table.

Each chart takes a result's table (``result.to_pandas()``) and its title, so this module
does not import the results it draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["baskets_chart", "partners_chart", "products_chart", "series_chart"]


def series_chart(rows: pd.DataFrame, title: str) -> alt.Chart:
    """Lines of exports, imports and turnover by year."""
    frame = rows.melt(
        id_vars="year",
        value_vars=["exports_usd", "imports_usd", "turnover_usd"],
        var_name="measure",
        value_name="value_usd",
    )
    frame["measure"] = frame["measure"].str.removesuffix("_usd")
    chart: alt.Chart = (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("value_usd:Q", title="US dollars"),
            color=alt.Color("measure:N", title=None),
            tooltip=["year:O", "measure:N", alt.Tooltip("value_usd:Q", format=",.0f")],
        )
    )
    return chart


# Browsers may draw labels in a wider font than the one Vega measured with when the SVG was
# made offline: a left margin keeps the start of long labels inside the picture.
_PADDING = {"left": 40, "top": 5, "right": 10, "bottom": 5}


def _bars(frame: pd.DataFrame, title: str, label: str) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(frame, title=title, padding=_PADDING)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=170)),
            x=alt.X("value_usd:Q", title="US dollars"),
            tooltip=[
                f"{label}:N",
                alt.Tooltip("value_usd:Q", format=",.0f"),
                alt.Tooltip("share_pct:Q", format=".1f"),
            ],
        )
    )
    return chart


def products_chart(rows: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars of the top products."""
    frame = rows.copy()
    frame["label"] = frame["product"] + " " + frame["description"].fillna("").str.slice(0, 40)
    return _bars(frame, title, "label")


def partners_chart(rows: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars of the top partners."""
    return _bars(rows, title, "name")


def baskets_chart(rows: pd.DataFrame, title: str, *, start: int, end: int) -> alt.Chart:
    """Each basket's value in both years (``start`` and ``end``), side by side."""
    frame = rows.melt(
        id_vars=["title"],
        value_vars=["value_from_usd", "value_to_usd"],
        var_name="year",
        value_name="value_usd",
    )
    frame["year"] = frame["year"].map({"value_from_usd": str(start), "value_to_usd": str(end)})
    chart: alt.Chart = (
        alt.Chart(frame, title=title, padding=_PADDING)
        .mark_bar()
        .encode(
            y=alt.Y("title:N", title=None, axis=alt.Axis(labelLimit=170)),
            yOffset="year:N",
            x=alt.X("value_usd:Q", title="US dollars"),
            color=alt.Color("year:N", title="Year"),
            tooltip=["title:N", "year:N", alt.Tooltip("value_usd:Q", format=",.0f")],
        )
    )
    return chart
