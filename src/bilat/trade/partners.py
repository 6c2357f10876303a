"""A country's (or group's) trade partners, ranked: ``bilat trade partners BLR``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from bilat.codes.countries import country_name
from bilat.codes.hs import normalise
from bilat.errors import BilatError, InputError
from bilat.options import FlowDirection, Level, check_top, check_year, choice
from bilat.trade._common import growth_pct, ratio
from bilat.trade._figures import frame_provenance, partner_values
from bilat.trade._sides import Side, side
from bilat.trade.results import PartnersResult, Provenance
from bilat.tradeview import TradeView, levels_text

if TYPE_CHECKING:
    import pandas as pd

    from bilat.lake import Lake

__all__ = ["partners"]

_SCHEMA = pa.schema(
    [
        ("rank", pa.int32()),
        ("partner", pa.string()),
        ("name", pa.string()),
        ("value_usd", pa.float64()),
        ("share_pct", pa.float64()),
        ("previous_usd", pa.float64()),
        ("growth_pct", pa.float64()),
    ]
)


def _name(code: str) -> str:
    try:
        return country_name(code)
    except BilatError:
        return code


def _within(products: str | None) -> str | None:
    if products is None:
        return None
    code = normalise(products)
    if code == "TOTAL":
        return None
    return code


def _level(within: str | None, level: int | None) -> int:
    """The HS level read: ``level``, or by default the level of the code asked for (finer
    codes are summed to it); a code finer than the level is refused."""
    if level is None:
        lvl = 0 if within is None else choice(Level, min(6, len(within) + len(within) % 2), "level")
    else:
        lvl = choice(Level, level, "level")
    if within is not None and len(within) > lvl:
        raise InputError(
            f"products {within!r} cannot be read at HS level {lvl}: choose level >= {len(within)}",
            details={"value": within, "expected": f"level >= {len(within)}"},
        )
    return lvl


@dataclass(frozen=True, slots=True)
class _Ask:
    """A ranking asked for, checked: the reporter, direction, year, rows shown, the HS code
    ranked within (``None``: totals) and the level read."""

    who: Side
    direction: FlowDirection
    year: int
    limit: int | None
    within: str | None
    level: int

    @classmethod
    def make(
        cls,
        reporter: str | Sequence[str],
        *,
        flow: str,
        year: int,
        top: int | None,
        level: int | None,
        products: str | None,
    ) -> _Ask:
        within = _within(products)
        return cls(
            side(reporter),
            choice(FlowDirection, flow, "flow"),
            check_year(year),
            check_top(top),
            within,
            _level(within, level),
        )


def _frame(tv: TradeView, q: _Ask) -> pd.DataFrame:
    """The reporter's flows in the year and the year before, under ``q.within`` if given."""
    tv.require(q.year)
    years = [q.year - 1, q.year]
    by_product = q.within is not None
    frame = tv.frame(years, members=q.who.members, level=q.level, by_product=by_product)
    if q.within is not None:
        frame = frame[frame["product"].str.startswith(q.within)]
    return frame


def _provenance(
    lake: Lake, frame: pd.DataFrame, members: Sequence[str], direction: str, lvl: int
) -> Provenance:
    """The entries and levels behind the reporter's own side of ``frame``."""
    own = "exporter" if direction == "export" else "importer"
    used = frame[frame[own].isin(members)]
    words = levels_text(used.src_lvl, lvl) if len(used) else "no data"
    return frame_provenance(lake, used, words)


def _ranked(now: pd.Series, before: pd.Series, total: float, limit: int | None) -> pa.Table:
    """The rows shown: each partner's rank, value, share of ``total`` and growth, the first
    ``limit`` of them (ranks and shares are over all partners)."""
    cols: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    ranked = list(now.items())
    shown = ranked if limit is None else ranked[:limit]
    for code, value in shown:
        prev = float(before.get(code, 0.0))
        values = (
            int((now > value).sum()) + 1,
            str(code),
            _name(str(code)),
            float(value),
            ratio(float(value) * 100, total),
            prev,
            growth_pct(float(value), prev),
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    return pa.table(cols, schema=_SCHEMA)


def partners(
    lake: Lake,
    reporter: str | Sequence[str],
    *,
    flow: str = "export",
    year: int,
    top: int | None = 10,
    level: int | None = None,
    products: str | None = None,
    intra: bool = False,
    view: TradeView | None = None,
) -> PartnersResult:
    """Rank ``reporter``'s partners by the value of its exports (or imports) in ``year``.

    Parameters
    ----------
    lake
        The lake to read.
    reporter
        A country (``"BLR"``), a group name (``"EU27"``) or a list of countries whose flows
        are added up (the group's members count as partners too).
    flow
        ``export``: destinations of the reporter's exports; ``import``: origins of its imports.
    year
        The year ranked; the year before gives the growth column.
    top
        Rows to return (``None`` for all); ranks and shares are over all partners.
    level, products
        Restrict to products under the HS code ``products`` (``"44"``), read at HS ``level``
        (2, 4 or 6; default: the coarsest level at which the lake holds that chapter, no
        coarser than ``products``). Without them, totals are ranked.
    intra
        For a group: count trade among its members too (default: only trade with the rest
        of the world, e.g. extra-EU exports).
    view
        The trade view to read (default: the lake's, with the default precedence).

    Returns
    -------
    PartnersResult
        Partners (countries only: World and "not elsewhere specified" areas are left out).

    Examples
    --------
    >>> partners(lake, "EU27", flow="import", year=2021, level=4, products="44")  # doctest: +SKIP
    """
    q = _Ask.make(reporter, flow=flow, year=year, top=top, level=level, products=products)
    tv = view if view is not None else TradeView(lake)
    frame = _frame(tv, q)
    now = partner_values(frame, q.who, None, q.direction, q.year, intra=intra)
    before = partner_values(frame, q.who, None, q.direction, q.year - 1, intra=intra)
    total = float(now.sum())
    chapters = None if q.within is None else [q.within]
    coverage = tv.rank_coverage(
        q.year, q.who.members, q.direction, len(now), total, chapters=chapters
    )
    prov = _provenance(lake, frame, q.who.members, q.direction, q.level)
    table = _ranked(now, before, total, q.limit)
    fields = (q.who.code, q.direction, q.year, q.level, q.within, total, len(now), table)
    return PartnersResult(*fields, prov, coverage, intra)
