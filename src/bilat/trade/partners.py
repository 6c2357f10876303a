"""A country's (or group's) trade partners, ranked: ``bilat trade partners BLR``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ibis
import pyarrow as pa
from ibis import _

from bilat.codes.countries import country_name
from bilat.codes.hs import normalise
from bilat.errors import BilatError, InputError
from bilat.trade._common import growth_pct, level_text, merge, num, provenance, ratio
from bilat.trade._options import check_flow, check_level, check_top, check_year
from bilat.trade._sides import AREAS, side
from bilat.trade._source import catalog, plan_level, read_at
from bilat.trade.results import PartnersResult

if TYPE_CHECKING:
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


def _default_level(lake: Lake, within: str) -> int:
    held = {lv for lvls in catalog(lake).chapter_levels(within[:2]).values() for lv in lvls}
    usable = sorted(lv for lv in held if lv >= len(within))
    return usable[0] if usable else len(within)


def partners(
    lake: Lake,
    reporter: str | Sequence[str],
    *,
    flow: str = "export",
    year: int,
    top: int | None = 10,
    level: int | None = None,
    products: str | None = None,
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

    Returns
    -------
    PartnersResult
        Partners (countries only: World and "not elsewhere specified" areas are left out).

    Examples
    --------
    >>> partners(lake, "EU27", flow="import", year=2021, level=4, products="44")  # doctest: +SKIP
    """
    who = side(reporter)
    direction = check_flow(flow)
    y = check_year(year)
    limit = check_top(top)
    within = _within(products)
    if level is None:  # the coarsest level the chapter is held at
        lvl = 0 if within is None else _default_level(lake, within)
    else:
        lvl = check_level(level)
    if within is not None and len(within) > lvl:
        raise InputError(
            f"products {within!r} cannot be read at HS level {lvl}: choose level >= {len(within)}",
            details={"value": within, "expected": f"level >= {len(within)}"},
        )
    cat = catalog(lake)
    plan = plan_level(cat, [y - 1, y], lvl, within=within)
    rows = read_at(cat.view([y - 1, y]), plan)
    own, other = ("exporter", "importer") if direction == "export" else ("importer", "exporter")
    rows = rows.filter(
        rows[own].isin(who.members) & (rows.exporter != rows.importer) & ~rows[other].isin(AREAS)
    )
    if within is not None:
        rows = rows.filter(rows.product.startswith(within))
    g = rows.group_by(partner=rows[other]).aggregate(
        now=_.value_usd.sum(where=_.year == y).coalesce(0.0),
        before=_.value_usd.sum(where=_.year == y - 1).coalesce(0.0),
        bases=_.basis.collect(distinct=True),
        entries=_.entry_id.collect(distinct=True),
    )
    ranked = g.filter(_.now > 0).mutate(
        rank=ibis.rank().over(order_by=ibis.desc("now")) + 1, total=_.now.sum().over()
    )
    frame = ranked.execute().sort_values(["rank", "partner"])
    everything = g.execute() if frame.empty else frame
    prov = provenance(lake, merge(everything.bases), merge(everything.entries), level_text(plan))
    total = num(frame.now.sum())
    shown = frame if limit is None else frame.head(limit)
    cols: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for r in shown.itertuples(index=False):
        values = (
            int(r.rank),
            r.partner,
            _name(r.partner),
            num(r.now),
            ratio(num(r.now) * 100, total),
            num(r.before),
            growth_pct(num(r.now), num(r.before)),
        )
        for name, v in zip(cols, values, strict=True):
            cols[name].append(v)
    table = pa.table(cols, schema=_SCHEMA)
    return PartnersResult(who.code, direction, y, lvl, within, total, len(frame), table, prov)
