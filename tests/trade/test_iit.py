"""Grubel–Lloyd intra-industry trade against pandas: the sample lake (synthetic) and the
real EU27 forestry file (a pair of members, both ways, at HS4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bilat.errors import InputError
from bilat.lake import Lake
from bilat.trade import Dyad
from bilat.trade.iit import grubel_lloyd


def _gl(x: pd.Series, m: pd.Series) -> tuple[pd.Series, float]:
    t = pd.concat([x.rename("x"), m.rename("m")], axis=1).fillna(0.0)
    per = 1 - (t.x - t.m).abs() / (t.x + t.m)
    return per, 1 - (t.x - t.m).abs().sum() / (t.x + t.m).sum()


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    from bilat.sample import build_sample_lake, preset

    lake = Lake.open(tmp_path_factory.mktemp("iit") / "lake", create=True)
    build_sample_lake(lake, preset("demo").with_(years=(2020, 2021)))
    return lake


def test_sample_lake_matches_pandas(sample_lake: Lake) -> None:
    flows = pd.concat(
        [pd.read_parquet(p) for p in Path(sample_lake.root).rglob("*.parquet")
         if "flows" in str(p)], ignore_index=True,
    )  # fmt: skip
    res = Dyad(sample_lake, "BLR", "KAZ").iit([2020, 2021], level=4)
    rows = res.to_pandas()
    for year in (2020, 2021):
        f = flows[(flows.year == year) & (flows["product"].str.len() == 6)]
        x = f[(f.exporter == "BLR") & (f.importer == "KAZ")].groupby(f["product"].str[:4])
        m = f[(f.exporter == "KAZ") & (f.importer == "BLR")].groupby(f["product"].str[:4])
        per, total = _gl(x.value_usd.sum(), m.value_usd.sum())
        ours = rows[rows.year == year].set_index("group")
        assert res.gl[str(year)] == pytest.approx(total, rel=1e-9)
        assert ours["gl"].astype(float).to_dict() == pytest.approx(per.to_dict(), rel=1e-9)
        assert 0 <= total <= 1


def test_a_basket_limits_the_groups(sample_lake: Lake) -> None:
    res = Dyad(sample_lake, "BLR", "KAZ").iit(2021, level=4, basket="agricultural_machinery")
    groups = set(res.to_pandas()["group"])
    assert groups and groups <= {"8701", "8432", "8433", "8708"}
    assert res.basket == "agricultural_machinery"
    with pytest.raises(InputError, match="level must be one of 2, 4, 6"):
        Dyad(sample_lake, "BLR", "KAZ").iit(2021, level=0)


@pytest.mark.shared
def test_a_direction_not_covered_gives_none_not_zero(eu_lake: Lake) -> None:
    """The EU27 file has EU reporters' imports only: DEU→BLR (BLR's side) is not covered."""
    res = Dyad(eu_lake, "DEU", "BLR").iit(2021, level=4)
    rows = res.to_pandas()
    assert (rows["imports_usd"] > 0).any()  # BLR→DEU is there (DEU declared it)
    assert not rows["covered"].any()
    assert rows["gl"].isna().all()
    assert res.gl["2021"] is None
    assert not res.coverage_exports["2021"].covered


def test_grubel_lloyd_definition() -> None:
    assert grubel_lloyd([10, 0], [10, 5]) == pytest.approx(1 - 5 / 25)
    assert grubel_lloyd([0.0], [0.0]) is None


@pytest.mark.shared
def test_eu_pair_both_ways_at_hs4(eu_lake: Lake, eu_raw: Any) -> None:
    """The file holds imports only: DEU→POL is POL's declaration, POL→DEU is DEU's."""
    raw = eu_raw[(eu_raw.refYear == 2021) & (eu_raw.cmdCode.str.len() == 4)]
    raw = raw[raw.cmdCode.str[:2] == "44"]  # held at HS4 only (47 has HS6 rows too)
    x = raw[(raw.reporterISO == "POL") & (raw.partnerISO == "DEU")]
    m = raw[(raw.reporterISO == "DEU") & (raw.partnerISO == "POL")]
    per, total = _gl(
        x.groupby("cmdCode").primaryValue.sum(), m.groupby("cmdCode").primaryValue.sum()
    )
    res = Dyad(eu_lake, "DEU", "POL").iit(2021, level=4)
    rows = res.to_pandas()
    rows = rows[rows.group.str[:2] == "44"].set_index("group")
    assert set(rows.index) == set(per.index)
    assert rows["gl"].astype(float).to_dict() == pytest.approx(per.to_dict(), rel=1e-9)
    sub = rows[["exports_usd", "imports_usd"]]
    assert grubel_lloyd(sub.exports_usd, sub.imports_usd) == pytest.approx(total, rel=1e-9)
