"""Core indicators on the hand-made BACI-like fixture; every expected number by hand.

The fixture (tests/fixtures/trade/flows.csv), 2021, in US dollars:
BLR→KAZ 170410 400, 150710 80, 870110 60, 040690 30 (= 570); 2020: 170410 200,
870110 40, 150790 10 (= 250); 2019: 170410 100, 870110 50, 040690 30.
KAZ→BLR 2021: 270900 100, 720110 30 (= 130); 2020: 50.
BLR's 2021 exports: RUS 1500, DEU 600, KAZ 570, CHN 300 (= 2970).
"""

from __future__ import annotations

import pandas as pd
import pytest

from bilat.errors import InputError, NotFoundError, UnknownCodeError
from bilat.trade import Dyad, partners


@pytest.fixture
def dyad(flows_lake):
    return Dyad(flows_lake, "BLR", "KAZ")


def test_summary_values_and_growth(dyad):
    s = dyad.summary(2021)
    assert (s.exports_usd, s.imports_usd) == (570.0, 130.0)
    assert s.turnover_usd == 700.0
    assert s.balance_usd == 440.0
    assert (s.previous_exports_usd, s.previous_imports_usd) == (250.0, 50.0)
    assert s.turnover_growth_usd == 400.0
    assert s.exports_growth_pct == pytest.approx(128.0)  # 570 / 250 - 1
    assert s.turnover_growth_pct == pytest.approx(400 / 300 * 100)


def test_summary_standings(dyad):
    st = {(x.reporter, x.flow): x for x in dyad.summary(2021).standings}
    kaz_dest = st[("BLR", "export")]
    assert (kaz_dest.rank, kaz_dest.n_partners) == (3, 4)  # RUS 1500, DEU 600, KAZ 570, CHN 300
    assert kaz_dest.share_pct == pytest.approx(570 / 2970 * 100)
    assert "3rd destination" in kaz_dest.text
    kaz_origin = st[("BLR", "import")]  # RUS 2000, CHN 500, KAZ 130
    assert kaz_origin.rank == 3
    assert kaz_origin.share_pct == pytest.approx(130 / 2630 * 100)
    blr_dest = st[("KAZ", "export")]  # CHN 3000, BLR 130
    assert (blr_dest.rank, blr_dest.share_pct) == (2, pytest.approx(130 / 3130 * 100))
    blr_origin = st[("KAZ", "import")]  # CHN 2000, RUS 900, BLR 570
    assert (blr_origin.rank, blr_origin.share_pct) == (3, pytest.approx(570 / 3470 * 100))


def test_summary_provenance(dyad, flows_lake):
    p = dyad.summary(2021).provenance
    assert p.bases == ("reconciled",)
    assert [s.path for s in p.sources] == ["flows.csv"]
    assert [s.entry_id for s in p.sources] == [e.entry_id for e in flows_lake.manifest()]
    assert p.level == "HS6 summed to TOTAL"


def test_summary_without_previous_year_gives_no_growth(dyad):
    s = dyad.summary(2019)
    assert s.exports_usd == 180.0
    assert s.exports_growth_pct is None


def test_summary_year_not_held(dyad):
    with pytest.raises(NotFoundError, match="no trade data for 2030"):
        dyad.summary(2030)


def test_series(dyad):
    rows = dyad.series(2019, 2021).to_pandas()
    assert rows.year.tolist() == [2019, 2020, 2021]
    assert rows.exports_usd.tolist() == [180.0, 250.0, 570.0]
    assert rows.imports_usd.tolist() == [20.0, 50.0, 130.0]
    assert rows.turnover_usd.tolist() == [200.0, 300.0, 700.0]


def test_products_level4(dyad):
    r = dyad.products(2021, level=4, top=3)
    rows = r.to_pandas()
    assert rows["product"].tolist() == ["1704", "1507", "8701"]
    assert rows.value_usd.tolist() == [400.0, 80.0, 60.0]
    assert rows.share_pct.tolist() == pytest.approx([400 / 5.7, 80 / 5.7, 60 / 5.7])
    assert rows.growth_pct.tolist() == pytest.approx([100.0, 700.0, 50.0])  # 1507: 150790 10
    assert (r.total_usd, r.n_products) == (570.0, 4)
    assert rows.description[0].lower().startswith("sugar confectionery")


def test_products_import_direction(dyad):
    rows = dyad.products(2021, level=6, flow="import").to_pandas()
    assert dict(zip(rows["product"], rows.value_usd, strict=True)) == {
        "270900": 100.0,
        "720110": 30.0,
    }


def test_baskets(dyad):
    rows = dyad.baskets(2020, 2021).to_pandas().set_index("basket")
    assert rows.loc["confectionery", "multiplier"] == pytest.approx(2.0)  # 200 → 400
    assert rows.loc["vegetable_oils", "multiplier"] == pytest.approx(8.0)  # 10 → 80
    assert rows.loc["tractors", "multiplier"] == pytest.approx(1.5)  # 40 → 60
    assert rows.loc["confectionery", "text"] == "Confectionery ×2.0"
    assert rows.loc["dairy", "value_to_usd"] == 30.0
    assert rows.loc["dairy", "value_from_usd"] == 0.0
    assert pd.isna(rows.loc["dairy", "multiplier"])  # 0 → 30: no multiplier
    assert rows.loc["dairy", "text"] == "Dairy products: not traded in 2020"
    assert rows.loc["sugar", "text"] == "Sugar: not traded in 2020"


def test_baskets_by_name(dyad):
    r = dyad.baskets(2020, 2021, names=["sugar", "confectionery"])
    assert r.to_pandas().basket.tolist() == ["sugar", "confectionery"]
    with pytest.raises(UnknownCodeError, match="unknown basket 'sweets'"):
        dyad.baskets(2020, 2021, names=["sweets"])


def test_events(dyad):
    r = dyad.events(2021)
    got = dict(zip(r.to_pandas()["product"], r.to_pandas().event, strict=True))
    assert got == {"150710": "appeared", "040690": "resumed", "150790": "ceased"}
    assert r.counts() == {"appeared": 1, "resumed": 1, "ceased": 1}


def test_events_threshold(dyad):
    r = dyad.events(2021, min_value_usd=50)
    assert r.to_pandas()["product"].tolist() == ["150710"]  # 80; resumed 30, ceased 10 dropped


def test_partners_function(flows_lake):
    r = partners(flows_lake, "BLR", flow="export", year=2021, top=2)
    rows = r.to_pandas()
    assert rows.partner.tolist() == ["RUS", "DEU"]
    assert rows.growth_pct.tolist() == pytest.approx([25.0, 100.0])  # 1200→1500, 300→600
    assert (r.total_usd, r.n_partners) == (2970.0, 4)


def test_partners_group_and_products(flows_lake):
    r = partners(flows_lake, ["KAZ", "RUS"], flow="import", year=2021, level=4, products="87")
    rows = r.to_pandas()
    # 8701 into KAZ or RUS from outside the group: BLR 60 + 500 (RUS→KAZ is intra-group)
    assert dict(zip(rows.partner, rows.value_usd, strict=True)) == {"BLR": 560.0}
    both = partners(
        flows_lake, ["KAZ", "RUS"], flow="import", year=2021, level=4, products="87", intra=True
    ).to_pandas()
    # on request, trade among members counts too: RUS→KAZ 900 becomes a partner
    assert dict(zip(both.partner, both.value_usd, strict=True)) == {"RUS": 900.0, "BLR": 560.0}


def test_group_side_dyad(flows_lake):
    s = Dyad(flows_lake, "BLR", ["KAZ", "RUS"]).summary(2021)
    assert s.exports_usd == 570.0 + 1500.0
    assert s.imports_usd == 130.0 + 2000.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.products(2021, level=3), "level must be one of 2, 4, 6, not 3"),
        (lambda d: d.products(2021, flow="both"), "flow must be one of export, import"),
        (lambda d: d.products(2021, top=0), "top must be a positive integer"),
        (lambda d: d.series(2022, 2020), "the years 2022-2020 are an empty range"),
        (lambda d: d.events(2021, min_value_usd=-1), "min_value_usd must be a number >= 0"),
    ],
)
def test_bad_options(dyad, call, message):
    with pytest.raises(InputError, match=message):
        call(dyad)


def test_bad_dyads(flows_lake):
    with pytest.raises(UnknownCodeError, match="unknown country 'XYZ'"):
        Dyad(flows_lake, "BLR", "XYZ")
    with pytest.raises(InputError, match="must not overlap"):
        Dyad(flows_lake, "BLR", "EAEU")
    with pytest.raises(InputError, match="not a country"):
        Dyad(flows_lake, "BLR", "W00")
