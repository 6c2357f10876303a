"""`progress` on the real Comtrade file (EU27 forestry imports 2018-2022, ../shared/data).

The lake holds Germany's (and every EU member's) import declarations only: the mirror of
Belarus's exports. Each series is checked against an independent pandas sum of the raw CSV;
what the file does not hold (Germany's exports to Belarus, chapter 87) must be a gap, never 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bilat.agenda import Agenda, progress
from bilat.lake import Lake
from bilat.tradeview import TradeView

pytestmark = pytest.mark.shared

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"


@pytest.fixture(scope="module")
def raw(comtrade_eu_raw: pd.DataFrame) -> pd.DataFrame:
    df = comtrade_eu_raw
    return df[(df.reporterISO == "DEU") & (df.partnerISO == "BLR")]


@pytest.fixture(scope="module")
def eu_lake(comtrade_eu_lake: Lake) -> Lake:
    return comtrade_eu_lake


def _item(item_id: str, hs: list[str]):  # type: ignore[no-untyped-def]
    """An item of the founding case's meeting linked to ``hs`` (in memory)."""
    with Agenda.from_case(CASE) as ag:
        return ag.add_item(
            item_id,
            meeting="blr-kaz-igc-2022-06-09",
            kind="contract",
            title=f"Supplies of HS {', '.join(hs)}",
            hs=hs,
            author="test",
        )


@pytest.fixture(scope="module")
def result(eu_lake: Lake):  # type: ignore[no-untyped-def]
    item = _item("wood-and-furniture", ["4407", "94", "48", "8701"])
    return progress(item, eu_lake, dyad=("BLR", "DEU"), before=4, after=0)


def test_codes_held_at_several_levels_are_added_once(result, raw: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    assert (result.first_year, result.last_year) == (2018, 2022)
    # In this file no code is a prefix of another, so a code's value is every row under it.
    codes = sorted(raw.cmdCode.unique())
    assert not [(a, b) for a in codes for b in codes if a != b and b.startswith(a)]
    for series, code in (("hs:4407", "4407"), ("hs:94", "94"), ("hs:48", "48")):
        want = raw[raw.cmdCode.str.startswith(code)].groupby("refYear").primaryValue.sum()
        for year, value in want.items():
            assert result.value(series, int(year), "BLR") == pytest.approx(value, rel=1e-9)
    # HS 94 is held at HS4 (9401) and HS6 (940330 ...): both are added, and it says so.
    p94 = next(p for p in result.points if p.series == "hs:94" and p.year == 2021)
    assert p94.levels == "HS4 and HS6 summed to HS2 (none counted twice)"
    assert (p94.basis, p94.source) == ("importer", "comtrade")
    assert [(pt.klass, round(pt.share_pct or 0)) for pt in p94.parts] == [("importer", 100)]
    assert p94.products == int(((raw.refYear == 2021) & raw.cmdCode.str.startswith("94")).sum())


def test_what_the_file_does_not_hold_is_a_gap_not_zero(result) -> None:  # type: ignore[no-untyped-def]
    # Germany's exports to Belarus: no source (the file holds imports only).
    for series in ("hs:4407", "hs:94", "hs:48", "hs:8701"):
        for year in range(2018, 2023):
            assert result.value(series, year, "DEU") is None
            cov = result.coverage(series, year, "DEU")
            assert cov is not None and cov.status == "none"
    # Tractors from Belarus: Germany's declarations in this file hold no chapter 87.
    gaps = [g for g in result.gaps if g.series == "hs:8701" and g.exporter == "BLR"]
    assert [g.year for g in gaps] == list(range(2018, 2023))
    assert all("no source" in g.reason for g in gaps)
    assert not [p for p in result.points if p.series == "hs:8701"]
    # Sawn wood from Belarus: Germany's declaration holds chapter 44, so it is covered.
    cov = result.coverage("hs:4407", 2021, "BLR")
    assert cov is not None and cov.status == "full"


def test_a_pinned_basis_reads_only_that_class(eu_lake: Lake, result) -> None:  # type: ignore[no-untyped-def]
    item = _item("sawn-wood", ["4407"])
    pinned = progress(
        item, TradeView(eu_lake, basis="exporter"), dyad=("BLR", "DEU"), before=4, after=0
    )
    assert pinned.points == ()
    assert pinned.precedence == "basis pinned to exporter"
    assert {g.coverage.status for g in pinned.gaps} == {"none"}
    mirror = progress(
        item, TradeView(eu_lake, basis="importer"), dyad=("BLR", "DEU"), before=4, after=0
    )
    assert [p.value_usd for p in mirror.points] == [
        p.value_usd for p in result.points if p.series == "hs:4407"
    ]
