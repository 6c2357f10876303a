"""Intra-industry trade of a dyad: Grubel–Lloyd indices by product group (Grubel & Lloyd 1975).

``GL_k = 1 − |X_k − M_k| / (X_k + M_k)`` for each product group ``k`` (an HS code at the
chosen level, or the codes of a basket), ``X`` = A's exports to B, ``M`` = A's imports from
B, both read through the trade view; the aggregate over groups is the trade-weighted mean,
``1 − Σ|X_k − M_k| / Σ(X_k + M_k)``. A group one direction's sources do not cover gets
``None`` (not 0) and stays out of the aggregate. Formula, source and bias: ``docs/indicators.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from bilat.codes.baskets import Basket
from bilat.trade._figures import direction_rows, frame_provenance
from bilat.trade._sides import Side
from bilat.trade.results import Provenance, _Result
from bilat.tradeview import Coverage, TradeView

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["IntraIndustry", "grubel_lloyd", "intra_industry"]

_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("group", pa.string()),
        ("exports_usd", pa.float64()),
        ("imports_usd", pa.float64()),
        ("gl", pa.float64()),
        ("covered", pa.bool_()),
    ]
)


@dataclass(frozen=True, slots=True)
class IntraIndustry(_Result):
    """Grubel–Lloyd intra-industry trade of a dyad, by product group and year.

    Attributes
    ----------
    a, b
        The dyad (exports are A→B, imports B→A).
    level, basket
        HS level of the groups; the basket they were limited to (``None``: all products).
    years
        Years computed.
    gl
        Trade-weighted aggregate per year (``str(year)`` → value; ``None`` when no group is
        covered both ways or nothing was traded).
    rows
        One row per (year, group): ``exports_usd``, ``imports_usd``, ``gl`` (``None`` where
        a direction is not covered, or neither traded), ``covered``.
    coverage_exports, coverage_imports
        Coverage of each direction per year.
    """

    a: str
    b: str
    level: int
    basket: str | None
    years: tuple[int, ...]
    gl: dict[str, float | None]
    rows: pa.Table
    provenance: Provenance
    coverage_exports: dict[str, Coverage]
    coverage_imports: dict[str, Coverage]

    def title(self) -> str:
        what = f"basket {self.basket}" if self.basket else f"HS{self.level}"
        return f"Intra-industry trade (Grubel–Lloyd) {self.a}↔{self.b}, {what}"


def grubel_lloyd(exports: Any, imports: Any) -> float | None:
    """``1 − Σ|X − M| / Σ(X + M)`` over paired values; ``None`` when nothing was traded."""
    x = pd.Series(exports, dtype=float)
    m = pd.Series(imports, dtype=float).to_numpy()
    total = float((x.to_numpy() + m).sum())
    return None if total <= 0 else 1.0 - float(abs(x.to_numpy() - m).sum()) / total


def intra_industry(
    lake: Lake,
    view: TradeView,
    a: Side,
    b: Side,
    *,
    years: Sequence[int],
    level: int,
    basket: Basket | None = None,
) -> IntraIndustry:
    """Grubel–Lloyd indices of A↔B trade by group at ``level`` (within ``basket``), per year."""
    for y in years:
        view.require(y)
    frame = view.frame(years, members=a.members + b.members, level=level, by_product=True)
    if basket is not None:
        frame = frame[frame["product"].map(lambda p: any(p.startswith(c) for c in basket.codes))]
    x_rows, m_rows = direction_rows(frame, a, b, None), direction_rows(frame, b, a, None)
    out, gl, cov_x, cov_m = [], {}, {}, {}
    for y in years:
        cx, cm = view.coverage(y, a.members, b.members), view.coverage(y, b.members, a.members)
        cov_x[str(y)], cov_m[str(y)] = cx, cm
        table = _groups(x_rows[x_rows.year == y], m_rows[m_rows.year == y], cx, cm)
        both = table[table["covered"]]
        gl[str(y)] = grubel_lloyd(both["exports_usd"], both["imports_usd"])
        out.append(table.assign(year=y))
    rows = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=_SCHEMA.names)
    prov = frame_provenance(lake, pd.concat([x_rows, m_rows]), f"HS{level}")
    return IntraIndustry(
        a.code, b.code, level, basket.name if basket else None, tuple(years), gl,
        pa.Table.from_pandas(rows[_SCHEMA.names], schema=_SCHEMA, preserve_index=False),
        prov, cov_x, cov_m,
    )  # fmt: skip


def _groups(x: pd.DataFrame, m: pd.DataFrame, cx: Coverage, cm: Coverage) -> pd.DataFrame:
    """One row per group either direction traded: values, GL, and whether both are covered."""
    xs = x.groupby("product", observed=True)["value_usd"].sum()
    ms = m.groupby("product", observed=True)["value_usd"].sum()
    t = pd.DataFrame({"exports_usd": xs, "imports_usd": ms}).fillna(0.0)
    t.index.name = "group"
    t = t.reset_index().sort_values("group", ignore_index=True)
    ok = t["group"].map(lambda g: _covers(cx, g) and _covers(cm, g)).astype(bool)
    total = t["exports_usd"] + t["imports_usd"]
    value = 1.0 - (t["exports_usd"] - t["imports_usd"]).abs() / total.where(total > 0)
    gl = [float(v) if c and pd.notna(v) else None for v, c in zip(value, ok, strict=True)]
    # a direction no source covers is not known, not 0 (the values it did hold stay)
    for col, cov in (("exports_usd", cx), ("imports_usd", cm)):
        known = pd.Series([_covers(cov, str(g)) for g in t["group"]], index=t.index)
        t[col] = t[col].where(known | (t[col] > 0))
    return t.assign(gl=pd.Series(gl, index=t.index, dtype=object), covered=ok)


def _covers(cov: Coverage, group: str) -> bool:
    return cov.covered and (cov.chapters is None or group[:2] in cov.chapters)
