"""Both sides of every flow, side by side: the exporter's ``X`` and the importer's ``M``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from bilat.codes.countries import COMTRADE_AREAS
from bilat.errors import InputError, NotFoundError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["KEYS", "LEVELS", "as_ibis", "check_level", "mirror_pairs", "unit_values"]

#: The key of a flow.
KEYS = ["year", "exporter", "importer", "product"]
#: HS levels that can be reconciled (0 for ``TOTAL``).
LEVELS: tuple[int, ...] = (0, 2, 4, 6)


def mirror_pairs(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Exporter's and importer's declarations of each flow side by side.

    One row per (year, exporter, importer, product) that either side declared: ``x_usd``
    (the exporter's ``X``, FOB) and ``m_cif_usd`` (the importer's ``M``: ``cif_usd`` when
    given, else ``value_usd``), missing where that side did not declare. Areas (World,
    "other Asia" ...) and self-trade are left out; several entries of one flow are summed.

    Raises
    ------
    InputError
        ``level`` is not 0, 2, 4 or 6.
    NotFoundError
        No ``X`` or ``M`` declaration at that level (and in those years).
    """
    check_level(level)
    pairs = _pairs_expr(as_ibis(declarations), level, years).to_pandas()
    if pairs.empty:
        raise NotFoundError(
            f"no X or M declarations at HS level {level}"
            + (f" for {min(years)}-{max(years)}" if years else "")
            + "; ingest declarations of both sides (UN Comtrade) or choose another level"
        )
    pairs["year"] = pairs["year"].astype(int)
    out: pd.DataFrame = pairs.sort_values(KEYS).reset_index(drop=True)
    return out


def unit_values(
    declarations: ir.Table | pa.Table | pd.DataFrame,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
) -> pd.DataFrame | None:
    """Each product's world median unit value: ``product, ln_unit_value`` (log USD per kg).

    The median, over every export and import declaration at ``level`` (all reporters, all
    ``years``) with a positive value and a positive net weight (``net_kg``), of
    ``value_usd / net_kg``; ``None`` when the declarations carry no net weights.
    """
    from ibis import _

    t = as_ibis(declarations)
    if "net_kg" not in t.columns:
        return None
    t = _at_level(t.filter(_.flow.isin(["X", "M"])), level, years)
    t = t.filter((_.net_kg > 0) & (_.value_usd > 0))
    uv = (
        t.group_by("product")
        .aggregate(unit_value=(_.value_usd.cast("float64") / _.net_kg.cast("float64")).median())
        .to_pandas()
    )
    if uv.empty:
        return None
    return pd.DataFrame(
        {"product": uv["product"], "ln_unit_value": np.log(uv["unit_value"].astype(float))}
    )


def as_ibis(declarations: ir.Table | pa.Table | pd.DataFrame) -> ir.Table:
    """An Ibis table of the declarations (Arrow and pandas as in-memory tables)."""
    import ibis

    if isinstance(declarations, pd.DataFrame | pa.Table):
        return ibis.memtable(declarations)
    return declarations


def check_level(level: int) -> None:
    """Refuse an HS level that cannot be reconciled."""
    if level not in LEVELS:
        raise InputError(f"level must be 0 (totals), 2, 4 or 6; got {level}")


def _at_level(t: ir.Table, level: int, years: Sequence[int] | None) -> ir.Table:
    from ibis import _

    if level == 0:
        t = t.filter(_["product"] == "TOTAL")
    else:
        t = t.filter((_["product"] != "TOTAL") & (_["product"].length() == level))
    if years:
        t = t.filter(_.year.isin([int(y) for y in years]))
    return t


def _pairs_expr(t: ir.Table, level: int, years: Sequence[int] | None) -> ir.Table:
    """The aggregation runs on the table's backend; only the pairs come back."""
    import ibis
    from ibis import _

    t = _at_level(t.filter(_.flow.isin(["X", "M"])), level, years)
    m_value = _.cif_usd.fill_null(_.value_usd) if "cif_usd" in t.columns else _.value_usd
    t = t.mutate(year=_.year.cast("int32"), m_value=m_value.cast("float64"))
    xs = (
        t.filter(_.flow == "X")
        .group_by(year=_.year, exporter=_.reporter, importer=_.partner, product=_["product"])
        .aggregate(x_usd=_.value_usd.sum())
    )
    ms = (
        t.filter(_.flow == "M")
        .group_by(year=_.year, exporter=_.partner, importer=_.reporter, product=_["product"])
        .aggregate(m_cif_usd=_.m_value.sum())
    )
    j = xs.outer_join(ms, KEYS)
    pairs = j.select(
        **{k: ibis.coalesce(j[k], j[f"{k}_right"]) for k in KEYS},
        x_usd=j.x_usd,
        m_cif_usd=j.m_cif_usd,
    )
    areas = sorted(COMTRADE_AREAS)
    return pairs.filter(
        ~_.exporter.isin(areas) & ~_.importer.isin(areas) & (_.exporter != _.importer)
    )
