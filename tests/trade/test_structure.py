"""Structure and relationship indicators on the hand-made fixture; answers by hand.

2021 world of the fixture (US dollars), by HS4: 1704 1400 (BLR→KAZ 400, BLR→RUS 1000),
1507 80, 8701 2060 (BLR 60 + 500 + 600, RUS→KAZ 900), 0406 330 (BLR→KAZ 30, →CHN 300),
2709 5100 (KAZ→BLR 100, KAZ→CHN 3000, RUS→BLR 2000), 7201 30, 8471 2500 (CHN→BLR 500,
CHN→KAZ 2000); world total 11500. BLR exports 2970, KAZ imports 3470.
"""

from __future__ import annotations

import pytest

from bilat.errors import InputError
from bilat.trade import Dyad


@pytest.fixture
def dyad(flows_lake):
    return Dyad(flows_lake, "BLR", "KAZ")


def test_concentration(dyad):
    c = dyad.concentration(2021, level=6)
    hhi = (400**2 + 80**2 + 60**2 + 30**2) / 570**2
    assert c.hhi == pytest.approx(hhi)  # 0.52601
    assert c.n_products == 4
    assert c.hhi_normalised == pytest.approx((hhi - 0.25) / 0.75)
    assert c.equivalent_products == pytest.approx(1 / hhi)
    assert c.total_usd == 570.0


def test_rca(dyad):
    r = dyad.rca(2021, level=4, min_exports_usd=0)
    got = dict(zip(r.to_pandas()["product"], r.to_pandas().rca, strict=True))
    assert got["1704"] == pytest.approx((1400 / 2970) / (1400 / 11500))  # 3.872
    assert got["8701"] == pytest.approx((1160 / 2970) / (2060 / 11500))  # 2.180
    assert set(got) == {"1704", "1507", "8701", "0406"}
    assert (r.exports_usd, r.world_usd, r.n_advantage) == (2970.0, 11500.0, 4)


def test_complementarity(dyad):
    x = {"1704": 1400, "1507": 80, "8701": 1160, "0406": 330}
    m = {"1704": 400, "1507": 80, "8701": 960, "0406": 30, "8471": 2000}
    gap = sum(abs(m.get(k, 0) / 3470 - x.get(k, 0) / 2970) for k in set(x) | set(m))
    c = dyad.complementarity(2021, level=4)
    assert c.index == pytest.approx(100 * (1 - gap / 2))  # 42.363
    assert (c.exports_usd, c.imports_usd) == (2970.0, 3470.0)


def test_intensity(dyad):
    i = dyad.intensity(2021)
    assert i.index == pytest.approx((570 / 2970) / (3470 / 11500))  # 0.636
    assert (i.exports_to_partner_usd, i.exports_usd) == (570.0, 2970.0)
    assert (i.partner_imports_usd, i.world_usd) == (3470.0, 11500.0)


def test_mirror_needs_declarations(dyad):
    assert dyad.mirror(2019, 2021).to_pandas().empty


def test_rca_honours_the_partner_and_the_floor(dyad):
    # An independent pandas computation over the rows the trade view believes.
    import pandas as pd

    view = dyad._cat()
    rows = view.at_level(view.rows([2021]), 4, [2021]).to_pandas()
    rows = rows[(rows.exporter != rows.importer)]
    a, b = dyad.a.members, dyad.b.members
    from_a = rows[rows.exporter.isin(a) & ~rows.importer.isin(a)]
    to_b = from_a[from_a.importer.isin(b)].groupby("product").value_usd.sum()
    b_imp = rows[rows.importer.isin(b) & ~rows.exporter.isin(b)].groupby("product").value_usd.sum()
    expected = (to_b / to_b.sum()) / (b_imp / b_imp.sum())
    r = dyad.rca(2021, level=4, min_exports_usd=0).to_pandas().set_index("product")
    for code, value in expected.dropna().items():
        assert r.at[code, "partner_rca"] == pytest.approx(value)
        assert r.at[code, "exports_to_partner_usd"] == pytest.approx(to_b[code])
    assert not pd.Series(r["partner_rca"]).equals(pd.Series(r["rca"]))  # not the global RCA
    own = from_a.groupby("product").value_usd.sum()
    floor = float(own.sort_values().iloc[1])  # keeps all but the smallest
    kept = dyad.rca(2021, level=4, min_exports_usd=floor)
    assert set(kept.to_pandas()["product"]) == set(own[own >= floor].index)
    assert kept.exports_usd == pytest.approx(own.sum())  # totals count every product
    with pytest.raises(InputError):
        dyad.rca(2021, level=4, min_exports_usd=-1)
