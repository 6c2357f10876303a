"""Figures of a dyad from the trade view's frames: values, coverage, parts, ranks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from bilat.trade._sides import Side
from bilat.trade.results import Provenance
from bilat.tradeview import AREAS, Coverage, Figure, TradeView, levels_text, parts_of

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["direction_rows", "figure", "frame_provenance", "partner_values"]


def direction_rows(frame: pd.DataFrame, src: Side, dst: Side, year: int | None) -> pd.DataFrame:
    """Rows of ``frame`` from ``src`` to ``dst`` (in ``year``, when given).

    The view's frames hold no domestic flows (exporter == importer), so none is checked.
    """
    mask = frame.exporter.isin(src.members) & frame.importer.isin(dst.members)
    if year is not None:
        mask &= frame.year == year
    return frame[mask]


def figure(
    view: TradeView,
    frame: pd.DataFrame,
    src: Side,
    dst: Side,
    year: int,
    *,
    level: int = 0,
    chapters: Iterable[str] | None = None,
    rows: pd.DataFrame | None = None,
) -> Figure:
    """The value of the flows from ``src`` to ``dst`` in ``year``, with its coverage.

    ``None`` when no source covers the flow; 0 when a source covers it and lists nothing.
    """
    cov: Coverage = view.coverage(year, src.members, dst.members, chapters=chapters)
    if not cov.covered:
        return Figure(None, cov)
    got = direction_rows(frame, src, dst, year) if rows is None else rows
    sums = got.groupby(["klass", "source"], observed=True).value_usd.sum()
    values: dict[tuple[str, str], float] = {}
    for key, v in sums.items():
        pair = cast(tuple[Any, Any], key)
        values[(str(pair[0]), str(pair[1]))] = float(v)
    parts = parts_of(values)
    return Figure(float(got.value_usd.sum()), cov, parts, levels_text(got.src_lvl, level))


def partner_values(
    frame: pd.DataFrame,
    who: Side,
    other: Side | None,
    flow: str,
    year: int,
    *,
    intra: bool = False,
) -> pd.Series:
    """``who``'s partners and their values in ``year`` (positive only), largest first.

    A group's own members are not its partners unless ``intra`` (its trade with the rest
    of the world by default); ``other`` (a group) is counted as one partner.
    """
    own, par = ("exporter", "importer") if flow == "export" else ("importer", "exporter")
    t = frame[(frame.year == year) & frame[own].isin(who.members) & ~frame[par].isin(AREAS)]
    if not intra:
        t = t[~t[par].isin(who.members)]
    label = t[par].astype(object)
    if other is not None:
        label = label.where(~label.isin(other.members), other.code)
    g = t.groupby(label.to_numpy()).value_usd.sum()
    g = g[g > 0]
    return g.sort_values(ascending=False, kind="stable")


def frame_provenance(lake: Lake, rows: pd.DataFrame, level: str) -> Provenance:
    """Provenance of the rows a figure was built from (classes and manifest entries)."""
    from bilat.trade._common import provenance

    bases = {str(b) for b in rows.klass.unique()} if len(rows) else set()
    entries = {str(e) for e in rows.entry_id.unique()} if len(rows) else set()
    return provenance(lake, bases, entries, level)
