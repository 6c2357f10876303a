"""The briefing's "Structure of the trade" section against computations done here by hand."""

from __future__ import annotations

from typing import Any

import pytest

from bilat.brief import Briefing
from bilat.lake import Lake


def _figures(briefing: Briefing) -> dict[str, Any]:
    return {str(f.label): f for f in briefing.section("structure").figures}


def _flows(lake: Lake, exporter: str, importer: str, year: int) -> Any:
    t = lake.flows()
    rows = t.filter((t.year == year) & (t.exporter == exporter) & (t.importer == importer))
    return rows.to_pandas()


def test_intra_industry_trade_is_grubel_lloyd_over_hs4_from_the_raw_flows(
    briefing: Briefing, synthetic_lake: Lake
) -> None:
    x = _flows(synthetic_lake, "BLR", "KAZ", 2021)
    m = _flows(synthetic_lake, "KAZ", "BLR", 2021)
    assert set(x.basis) | set(m.basis) == {"reconciled"}  # one source: no precedence to apply
    xs = x.groupby(x["product"].str[:4])["value_usd"].sum()
    ms = m.groupby(m["product"].str[:4])["value_usd"].sum()
    both = xs.to_frame("x").join(ms.to_frame("m"), how="outer").fillna(0.0)
    gl = 100 * (1 - (both.x - both.m).abs().sum() / (both.x + both.m).sum())
    fig = next(f for label, f in _figures(briefing).items() if label.startswith("Intra-industry"))
    assert fig.value == pytest.approx(gl, rel=1e-9)
    assert 0 <= fig.value <= 100


def test_concentration_is_the_inverse_herfindahl_of_hs6_shares(
    briefing: Briefing, synthetic_lake: Lake
) -> None:
    x = _flows(synthetic_lake, "BLR", "KAZ", 2021)
    shares = x.groupby("product")["value_usd"].sum()
    shares = shares[shares > 0] / shares.sum()
    fig = _figures(briefing)["Concentration of BLR→KAZ: equivalent number of HS6 products"]
    assert fig.value == pytest.approx(1 / float((shares**2).sum()), rel=1e-9)


def test_the_mirror_gap_needs_both_declarations_and_says_so(briefing: Briefing) -> None:
    section = briefing.section("structure")
    assert section.status == "ok"
    gap = next(f for f in section.figures if str(f.label).startswith("Mirror gap"))
    assert gap.value is None and gap.text == "—"  # never 0
    assert str(gap.source).startswith("not available: ")
    # every other figure was computed and cites its basis
    rest = [f for f in section.figures if f is not gap]
    assert len(rest) == 7 and all(f.value is not None for f in rest)
    assert all("Basis:" in str(f.source) for f in rest)
