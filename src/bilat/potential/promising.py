"""Promising products for a dyad: what A is close to exporting and B buys.

A product is *promising* for exporter A in market B when A does not export it with
comparative advantage (``RCA < max_rca``, by default ``M = 0``), A's density in it (the
share of its related products, weighted by proximity, that A does export: see
:mod:`bilat.potential.complexity`) is among A's highest (at or above the ``density_quantile``
of A's products with ``M = 0``), and B imports it. The candidates are ranked by B's imports
(or by their growth, the density, COG or PCI), and every row shows its reasons: density,
distance, PCI, COG, A's RCA and world exports, B's imports now and ``growth_years`` before
with the annual growth between, and what A already sells to B.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from bilat.document import to_document
from bilat.errors import InputError, NotFoundError
from bilat.options import PromisingSort, check_top, choice
from bilat.potential.complexity import Complexity, complexity
from bilat.potential.panel import believed_flows, drop_areas, reads_a_lake, view_for
from bilat.potential.products import country_code

__all__ = ["PromisingProducts", "promising_products"]

_SORT_COLUMN = {
    "imports": "b_imports_usd",
    "growth": "b_import_growth",
    "density": "density",
    "cog": "cog",
    "pci": "pci",
}


@dataclass(frozen=True)
class PromisingProducts:
    """Products A is close to exporting and B imports (see the module).

    ``table``: ``product, description, density, distance, pci, cog, a_rca,
    a_world_exports_usd, a_exports_to_b_usd, b_imports_usd, b_imports_base_usd,
    b_import_growth`` (annual, ``None`` where either year has no imports), sorted by ``sort``.
    """

    exporter: str
    market: str
    year: int
    level: int
    base_year: int | None
    sort: str
    max_rca: float
    density_quantile: float
    density_floor: float
    n_candidates: int
    exporter_eci: float | None
    basis: str
    notes: tuple[str, ...]
    table: pd.DataFrame = field(repr=False, compare=False)
    shown: int = 20
    synthetic: bool = False

    _document_omit_: ClassVar[tuple[str, ...]] = ("table", "shown")
    _document_extra_: ClassVar[dict[str, Any]] = {"products": list[dict[str, Any]]}

    def top(self, n: int | None = None) -> pd.DataFrame:
        """The first ``n`` promising products (default ``shown``)."""
        return self.table.head(self.shown if n is None else n).reset_index(drop=True)

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """Plain data: the options, the density floor and the ``top`` products."""
        head = {k: getattr(self, k) for k in (
            "exporter", "market", "year", "level", "base_year", "sort", "max_rca",
            "density_quantile", "density_floor", "n_candidates", "exporter_eci", "basis",
            "notes", "synthetic",
        )}  # fmt: skip
        rows: list[dict[str, Any]] = to_document(self.top(top))
        return head | {"products": rows}


def _market_flows(data: Any, market: str, exporter: str, years: list[int], level: int,
                  origin: Mapping[str, Any]) -> pd.DataFrame:  # fmt: skip
    """``year, exporter, product, value`` of the market's imports in ``years``."""
    if reads_a_lake(data):
        view = view_for(data, **origin)
        t = drop_areas(believed_flows(view, level=level, years=years))
        t = t.filter((t.importer == market) & (t.exporter != market))
        agg = t.group_by(["year", "product"]).aggregate(
            value=t.value_usd.sum(), from_a=t.value_usd.sum(where=t.exporter == exporter)
        )
        frame: pd.DataFrame = view.fetch(agg)
        return frame
    frame = data.to_pandas() if not isinstance(data, pd.DataFrame) else data
    if "importer" not in frame.columns:
        raise InputError("promising products need an importer column (B's imports)")
    c = "exporter" if "exporter" in frame.columns else "country"
    v = "value_usd" if "value_usd" in frame.columns else "value"
    sub = frame[(frame["importer"] == market) & (frame[c] != market)]
    if "year" in sub.columns:
        sub = sub[sub["year"].astype("int64").isin(years)]
    sub = sub.assign(from_a=np.where(sub[c] == exporter, sub[v], 0.0), value=sub[v])
    return sub.groupby(["year", "product"], as_index=False)[["value", "from_a"]].sum()


def _demand(flows: pd.DataFrame, year: int, base: int | None) -> pd.DataFrame:
    now = flows[flows["year"] == year].set_index("product")
    then = flows[flows["year"] == base].set_index("product")["value"].astype("float64")
    out = pd.DataFrame({
        "b_imports_usd": now["value"],
        "a_exports_to_b_usd": now["from_a"].fillna(0.0),
    })  # fmt: skip
    out["b_imports_base_usd"] = then.reindex(out.index)
    span = year - (base if base is not None else year - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = (out["b_imports_usd"] / out["b_imports_base_usd"]) ** (1.0 / span) - 1.0
    out["b_import_growth"] = growth.where(out["b_imports_base_usd"] > 0)
    return out.rename_axis("product").reset_index()


def _candidates(
    cx: Complexity, exporter: str, max_rca: float, q: float
) -> tuple[pd.DataFrame, float]:
    cells = cx.cells(exporter).merge(cx.products[["product", "description", "pci"]], on="product")
    cells = cells.rename(columns={"rca": "a_rca", "exports_usd": "a_world_exports_usd"})
    absent = cells[cells["mcp"] == 0]
    floor = float(np.quantile(absent["density"], q)) if len(absent) else float("nan")
    keep = cells[(cells["a_rca"] < max_rca) & (cells["density"] >= floor)]
    return keep, floor


def _table(cand: pd.DataFrame, demand: pd.DataFrame, col: str) -> pd.DataFrame:
    """The candidates B imports, sorted by ``col`` (largest first), with their reasons."""
    table = cand.merge(demand, on="product", how="inner")
    table = table[table["b_imports_usd"] > 0]
    table = table.sort_values(
        [col, "product"], ascending=[False, True], na_position="last", ignore_index=True
    )
    cols = ["product", "description", "density", "distance", "pci", "cog", "a_rca",
            "a_world_exports_usd", "a_exports_to_b_usd", "b_imports_usd",
            "b_imports_base_usd", "b_import_growth"]  # fmt: skip
    return table[cols]


def _base_year(flows: pd.DataFrame, market: str, window: list[int]) -> tuple[int | None, list[str]]:
    """The earliest year of ``window`` (before its last) with imports held, and a note."""
    year = window[-1]
    earlier = sorted(int(y) for y in flows["year"].unique() if int(y) < year)
    if not earlier:
        span = f"{window[0]}-{year - 1}"
        return None, [f"no imports of {market} held for {span}: growth is not available"]
    if earlier[0] != window[0]:
        return earlier[0], [
            f"growth from {earlier[0]}, the earliest year held of {window[0]}-{year - 1}"
        ]
    return earlier[0], []


def _check(max_rca: float, q: float, growth_years: int) -> None:
    if not np.isfinite(max_rca) or max_rca <= 0:
        raise InputError(f"max_rca must be a positive number, got {max_rca!r}",
                         details={"option": "max_rca", "value": max_rca})  # fmt: skip
    if not 0 <= q < 1:
        raise InputError(f"density_quantile must be in [0, 1), got {q!r}",
                         details={"option": "density_quantile", "value": q})  # fmt: skip
    if not 1 <= growth_years <= 20:
        raise InputError(f"growth_years must be 1 to 20, got {growth_years!r}",
                         details={"option": "growth_years", "value": growth_years})  # fmt: skip


def promising_products(
    data: Any,
    exporter: str,
    market: str,
    *,
    year: int,
    level: int = 4,
    top: int = 20,
    sort: str = "imports",
    max_rca: float | None = None,
    density_quantile: float = 0.75,
    growth_years: int = 5,
    rca_threshold: float = 1.0,
    min_exports: float | None = None,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> PromisingProducts:
    """Products ``exporter`` is close to exporting and ``market`` imports (see the module).

    ``max_rca`` defaults to ``rca_threshold`` (products with ``M = 0``); a product
    qualifies when ``exporter``'s density is at least the ``density_quantile`` of its
    densities over products with ``M = 0``. Growth is annual, from ``year - growth_years``.
    The complexity is :func:`bilat.potential.complexity.complexity` of the same data
    (``rca_threshold``, ``min_exports``; source options as there).
    """
    a, b = country_code(exporter), country_code(market)
    if a == b:
        raise InputError(f"exporter and market are both {a}; choose two different countries")
    how = str(choice(PromisingSort, sort, "sort"))
    cap = rca_threshold if max_rca is None else float(max_rca)
    _check(cap, density_quantile, growth_years)
    shown = check_top(top) or 20
    origin: dict[str, Any] = {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order}
    cx = complexity(data, year=year, level=level, rca_threshold=rca_threshold,
                    min_exports=min_exports, **origin)  # fmt: skip
    cand, floor = _candidates(cx, a, cap, density_quantile)
    window = list(range(year - growth_years, year + 1))
    flows = _market_flows(data, b, a, window, level, origin)
    if not (flows["year"] == year).any():
        raise NotFoundError(
            f"no source the data holds covers the imports of {b} in {year}, so its demand is "
            "not known (not 0); ingest its import declarations or a reconciled source (BACI)",
            details={"market": b, "year": year},
        )
    base, said = _base_year(flows, b, window)
    notes = [*cx.notes, *said]
    table = _table(cand, _demand(flows, year, base), _SORT_COLUMN[how])
    eci = cx.countries.loc[cx.countries["country"] == a, "eci"].iloc[0]
    return PromisingProducts(
        a, b, cx.year, cx.level, base, how, cap, density_quantile, floor, len(table),
        None if np.isnan(eci) else float(eci), cx.basis, tuple(notes), table,
        shown=shown, synthetic=cx.synthetic,
    )  # fmt: skip
