"""Export potential: a hand-computed three-country world, identities, missing products."""

from __future__ import annotations

import json
from fractions import Fraction

import hypothesis.strategies as st
import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from bilat.errors import InputError, NotFoundError
from bilat.potential.products import export_potential, market_potential


@pytest.fixture
def flows(three_countries_frame) -> ibis.Table:
    return ibis.memtable(three_countries_frame())


def test_hand_computed_three_country_example(flows: ibis.Table) -> None:
    # World exports 2021 at HS4 (domestic AAA→AAA and the chapter row "17" excluded):
    #   1701: 20 + 40 + 30 = 90, 1704: 10 + 30 + 10 = 50, 0401: 5, 0901: 0.
    # AAA's supply shares: 1701 20/90 = 2/9, 1704 40/50 = 4/5, 0401 5/5 = 1, 0901 0.
    # BBB's imports: 1701 30, 1704 10, 8701 40 (AAA does not export 8701), 0901 0.
    # b = 10 / (2/9·30 + 4/5·10) = 10 / (44/3) = 15/22.
    pp = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=4)
    b = Fraction(15, 22)
    assert pp.ease == pytest.approx(float(b))
    t = pp.table.set_index("product")
    assert t.at["1701", "potential_usd"] == pytest.approx(float(Fraction(2, 9) * 30 * b))  # 50/11
    assert t.at["1704", "potential_usd"] == pytest.approx(float(Fraction(4, 5) * 10 * b))  # 60/11
    assert t.at["1701", "unrealised_usd"] == pytest.approx(50 / 11)
    assert t.at["1704", "unrealised_usd"] == 0.0  # actual 10 above potential 60/11
    assert pp.unrealised_usd == pytest.approx(50 / 11)
    assert pp.actual_usd == pp.potential_usd == pytest.approx(10.0)
    assert list(pp.top()["product"]) == ["1701"]
    assert t.at["1701", "section"] == "IV" and t.at["1701", "chapter"] == "17"
    assert "8701" not in t.index  # no supply from AAA: no potential, no row


def test_missing_products_give_zero_not_division_by_zero(flows: ibis.Table) -> None:
    # 0901 was traded at value 0 only: world exports 0, supply share 0, demand 0.
    pp = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=4)
    row = pp.table.set_index("product").loc["0901"]
    assert (row["supply_share"], row["potential_usd"], row["unrealised_usd"]) == (0, 0, 0)
    assert not pp.table[["potential_usd", "unrealised_usd"]].isna().any().any()


def test_market_without_demand_for_the_exporters_products(flows: ibis.Table) -> None:
    # Without 1701, BBB still sells 8701, which AAA imports, but not to AAA: ease 0, so
    # the method sees no potential (it scales what the pair already trades).
    no_sugar = flows.filter(flows.product != "1701")
    zero = market_potential(no_sugar, "BBB", "AAA", year=2021, actual_years=1, level=4)
    assert zero.ease == 0.0 and zero.potential_usd == 0.0
    # Without 8701 either, AAA imports nothing BBB sells: no rows, ease undefined.
    empty = market_potential(
        no_sugar.filter(no_sugar.product != "8701"),
        "BBB",
        "AAA",
        year=2021,
        actual_years=1,
        level=4,
    )
    assert empty.ease is None and empty.table.empty and empty.unrealised_usd == 0.0


def test_identity_sum_of_potential_equals_actual_in_every_market(flows: ibis.Table) -> None:
    ep = export_potential(flows, "AAA", year=2021, actual_years=1, level=4)
    m = ep.markets.set_index("market")
    assert set(m.index) == {"BBB", "CCC"}
    np.testing.assert_allclose(m["potential_usd"], m["actual_usd"])
    assert m.at["CCC", "ease"] == pytest.approx(
        55 / (Fraction(2, 9) * 20 + Fraction(4, 5) * 40 + 5)
    )
    one = ep.market("BBB")
    assert one.unrealised_usd == pytest.approx(50 / 11)
    with pytest.raises(NotFoundError):
        ep.market("ZZZ")


def test_levels_are_never_mixed(flows: ibis.Table) -> None:
    pp2 = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=2)
    assert list(pp2.table["product"]) == ["17"]
    assert pp2.actual_usd == 1000.0


def test_uniform_growth_scales_potential_not_ease(flows: ibis.Table) -> None:
    base = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=4)
    grown = market_potential(
        flows, "AAA", "BBB", year=2021, actual_years=1, level=4, demand_growth=0.1, horizon=2
    )
    assert grown.ease == pytest.approx(base.ease)
    assert grown.potential_usd == pytest.approx(base.potential_usd * 1.21)
    by = market_potential(
        flows,
        "AAA",
        "BBB",
        year=2021,
        actual_years=1,
        level=4,
        demand_growth={"1701": 0.1},
        horizon=2,
    )
    t, b = by.table.set_index("product"), base.table.set_index("product")
    assert t.at["1701", "potential_usd"] == pytest.approx(b.at["1701", "potential_usd"] * 1.21)
    assert t.at["1704", "potential_usd"] == pytest.approx(b.at["1704", "potential_usd"])
    assert t.at["1701", "market_demand_usd"] == pytest.approx(30 * 1.21)


def test_aggregates_sections_chapters_baskets(flows: ibis.Table) -> None:
    pp = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=4)
    sec = pp.by_section().set_index("section")
    assert sec.at["IV", "unrealised_usd"] == pytest.approx(50 / 11)
    assert sec.at["IV", "title"].startswith("Prepared foodstuffs")
    chap = pp.by_chapter().set_index("chapter")
    assert chap.at["17", "potential_usd"] == pytest.approx(10.0)
    baskets = pp.by_basket().set_index("basket")
    assert baskets.at["sugar", "unrealised_usd"] == pytest.approx(50 / 11)
    assert baskets.at["confectionery", "actual_usd"] == 10.0


def test_plain_data_and_charts(flows: ibis.Table) -> None:
    pp = market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=4)
    d = pp.to_dict(top=5)
    json.dumps(d)
    assert d["top_products"][0]["product"] == "1701"
    assert d["baskets"][0]["basket"] == "sugar"
    assert pp.chart().to_dict()["mark"]["type"] == "bar"
    assert pp.areas_chart().to_dict()["mark"]["type"] == "bar"
    ep = export_potential(flows, "AAA", year=2021, actual_years=1, level=4)
    json.dumps(ep.to_dict())
    assert ep.chart().to_dict()["mark"]["type"] == "bar"


def test_errors_name_what_is_wrong(flows: ibis.Table) -> None:
    with pytest.raises(InputError, match="level must be 2, 4 or 6"):
        market_potential(flows, "AAA", "BBB", year=2021, actual_years=1, level=5)
    with pytest.raises(InputError, match="above -1"):
        market_potential(flows, "AAA", "BBB", year=2021, demand_growth=-1.5, horizon=1)
    with pytest.raises(InputError, match="4-digit products"):
        market_potential(
            flows, "AAA", "BBB", year=2021, actual_years=1, level=4, demand_growth={"17": 0.1}
        )
    with pytest.raises(InputError, match="both AAA"):
        market_potential(flows, "AAA", "aaa", year=2021)
    with pytest.raises(NotFoundError, match="no flows for 2019"):
        market_potential(flows, "AAA", "BBB", year=2019, level=4)
    with pytest.raises(NotFoundError, match="DDD has no exports"):
        market_potential(flows, "DDD", "BBB", year=2021, actual_years=1, level=4)


def test_comtrade_areas_are_not_markets_nor_world(three_countries_frame) -> None:  # type: ignore[no-untyped-def]
    frame = three_countries_frame()
    world_rows = frame[frame.year == 2021].assign(importer="W00")
    t = ibis.memtable(pd.concat([frame, world_rows]))
    pp = market_potential(t, "AAA", "BBB", year=2021, actual_years=1, level=4)
    assert pp.ease == pytest.approx(15 / 22)
    assert "W00" not in set(
        export_potential(t, "AAA", year=2021, actual_years=1, level=4).markets["market"]
    )


def test_two_sources_must_be_chosen_between(three_countries_frame) -> None:
    frame = three_countries_frame()
    both = pd.concat([frame, frame.assign(source="OTHER")])
    t = ibis.memtable(both)
    with pytest.raises(InputError, match="double-count"):
        market_potential(t, "AAA", "BBB", year=2021, actual_years=1, level=4)
    pp = market_potential(t, "AAA", "BBB", year=2021, actual_years=1, level=4, source="OTHER")
    assert pp.ease == pytest.approx(15 / 22)


def _reference(frame: pd.DataFrame, exporter: str) -> pd.DataFrame:
    """Independent pandas computation of v_ijk for every market."""
    f = frame[frame.exporter != frame.importer]
    world = f.groupby("product").value_usd.sum()
    own = f[f.exporter == exporter]
    share = (own.groupby("product").value_usd.sum() / world).dropna().rename("s")
    demand = f[f.importer != exporter].groupby(["importer", "product"]).value_usd.sum().rename("m")
    x = own.groupby(["importer", "product"]).value_usd.sum().rename("x")
    cells = demand.reset_index().merge(share.reset_index(), on="product")
    cells = cells.merge(x.reset_index(), on=["importer", "product"], how="left").fillna({"x": 0})
    cells["sm"] = cells.s * cells.m
    tot = cells.groupby("importer")[["x", "sm"]].sum()
    cells["b"] = cells.importer.map(tot.x / tot.sm)
    cells["v"] = cells.sm * cells.b
    return cells


_codes = st.sampled_from(["AAA", "BBB", "CCC", "DDD"])
_products = st.sampled_from(["0101", "1701", "1704", "8701", "8702"])
_rows = st.lists(
    st.tuples(_codes, _codes, _products, st.floats(min_value=1, max_value=1e6)),
    min_size=3,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rows)
def test_property_matches_reference_and_identity_holds(
    rows: list[tuple[str, str, str, float]],
) -> None:
    frame = pd.DataFrame(rows, columns=["exporter", "importer", "product", "value_usd"])
    frame = frame.groupby(["exporter", "importer", "product"], as_index=False).value_usd.sum()
    frame = frame.assign(year=2021, source="T", basis="reconciled", hs_rev="HS17")
    if not ((frame.exporter == "AAA") & (frame.importer != "AAA")).any():
        return
    ep = export_potential(ibis.memtable(frame), "AAA", year=2021, actual_years=1, level=4)
    ref = _reference(frame, "AAA").set_index(["importer", "product"])["v"]
    got = ep.products.set_index(["market", "product"])["potential_usd"]
    pd.testing.assert_series_equal(
        got.sort_index(), ref.sort_index(), check_names=False, rtol=1e-9, check_index_type=False
    )
    m = ep.markets
    np.testing.assert_allclose(m["potential_usd"], m["actual_usd"], rtol=1e-9)
    assert (ep.products["unrealised_usd"] >= 0).all()
