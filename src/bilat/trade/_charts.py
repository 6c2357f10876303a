"""Altair charts for the results where a picture says more than a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

if TYPE_CHECKING:
    import pandas as pd

    from bilat.trade.results import BasketsResult, PartnersResult, ProductsResult, SeriesResult

__all__ = ["baskets_chart", "partners_chart", "products_chart", "series_chart"]


def series_chart(result: SeriesResult) -> alt.Chart:
    """Lines of exports, imports and turnover by year."""
    frame = result.to_pandas().melt(
        id_vars="year",
        value_vars=["exports_usd", "imports_usd", "turnover_usd"],
        var_name="measure",
        value_name="value_usd",
    )
    frame["measure"] = frame["measure"].str.removesuffix("_usd")
    chart: alt.Chart = (
        alt.Chart(frame, title=result.title())
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


def products_chart(result: ProductsResult) -> alt.Chart:
    """Horizontal bars of the top products."""
    frame = result.to_pandas()
    frame["label"] = frame["product"] + " " + frame["description"].fillna("").str.slice(0, 40)
    return _bars(frame, result.title(), "label")


def partners_chart(result: PartnersResult) -> alt.Chart:
    """Horizontal bars of the top partners."""
    return _bars(result.to_pandas(), result.title(), "name")


def baskets_chart(result: BasketsResult) -> alt.Chart:
    """Each basket's value in both years, side by side."""
    frame = result.to_pandas().melt(
        id_vars=["title"],
        value_vars=["value_from_usd", "value_to_usd"],
        var_name="year",
        value_name="value_usd",
    )
    frame["year"] = frame["year"].map(
        {"value_from_usd": str(result.start), "value_to_usd": str(result.end)}
    )
    chart: alt.Chart = (
        alt.Chart(frame, title=result.title(), padding=_PADDING)
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
