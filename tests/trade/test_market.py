"""Market analysis (``bilat.trade.market``) against independent pandas computations on the
real Comtrade files in ``../shared/data`` (skipped cleanly when that folder is absent)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from bilat.errors import BilatError
from bilat.trade.market import market, opportunities, third_market
from bilat.tradeview import TradeView

#: Comtrade partner codes that are not countries (World, areas n.e.s.), as in test_real_eu.
AREAS = {"W00", "_X", "X1", "XX", "E19", "F19", "S19"}


@pytest.fixture(scope="module")
def eu_lake(comtrade_eu_lake):
    return comtrade_eu_lake


@pytest.fixture(scope="module")
def raw(comtrade_eu_raw):
    df = comtrade_eu_raw
    return df[~df.partnerISO.isin(AREAS) & (df.partnerISO != df.reporterISO)]


@pytest.fixture(scope="module")
def tha_lake(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """Thailand's crustacean declarations (with quantities and net weights), ingested."""
    from bilat.cli import main
    from bilat.lake import Lake

    root = tmp_path_factory.mktemp("comtrade-tha") / "lake"
    path = shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz"
    assert main(["ingest", "comtrade", str(path), "--lake", str(root)]) == 0
    return Lake.open(root)


@pytest.fixture(scope="module")
def tha_raw(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "comtrade" / "tha-crustacean-imports-2007-2011.csv.gz"
    df = pd.read_csv(path, dtype={"cmdCode": str})
    df["cmdCode"] = df.cmdCode.str.zfill(6)
    df = df[(df.flowCode == "M") & ~df.partnerISO.isin(AREAS)]
    return df[df.partnerISO != df.reporterISO]


def _suppliers(raw: pd.DataFrame, reporter: str, prefix: str, year: int) -> pd.Series:
    rows = raw[
        (raw.reporterISO == reporter) & (raw.refYear == year) & raw.cmdCode.str.startswith(prefix)
    ]
    g = rows.groupby("partnerISO").primaryValue.sum()
    return g[g > 0].sort_values(ascending=False)


def test_finland_hs44_suppliers_2021_against_pandas(eu_lake, raw):
    expected = _suppliers(raw, "FIN", "44", 2021)
    got = market(eu_lake, "FIN", product="44", year=2021, exporter="BLR", top=None)
    rows = got.to_pandas().set_index("supplier")
    assert got.n_suppliers == len(expected)
    assert list(rows.index) == list(expected.index)
    assert rows.value_usd.to_numpy() == pytest.approx(expected.to_numpy())
    share = expected / expected.sum() * 100
    assert rows.share_pct.to_numpy() == pytest.approx(share.to_numpy())
    rank_blr = int((expected > expected["BLR"]).sum()) + 1
    assert got.exporter_rank == rank_blr
    assert got.exporter_share_pct == pytest.approx(share["BLR"])
    # the figures, now checked against the computation above
    assert (rank_blr, len(expected), round(share["BLR"], 4)) == (28, 95, 0.0887)
    assert got.coverage is not None and got.coverage.complete


def test_growth_one_year_and_five_years_not_covered(eu_lake, raw):
    now = _suppliers(raw, "FIN", "44", 2021)
    before = _suppliers(raw, "FIN", "44", 2020)
    got = market(eu_lake, "FIN", product="44", year=2021, top=None).to_pandas()
    got = got.set_index("supplier")
    for code in ("RUS", "EST", "BLR"):
        assert got.growth_1y_pct[code] == pytest.approx((now[code] / before[code] - 1) * 100)
    # 2016 is not held: five-year growth is not available, never 0
    assert got.growth_5y_pct.isna().all()


def test_first_year_held_has_no_growth(eu_lake, raw):
    got = market(eu_lake, "DEU", product="4407", year=2018, top=5).to_pandas()
    expected = _suppliers(raw, "DEU", "4407", 2018)
    assert list(got.supplier) == list(expected.index[:5])
    assert got.growth_1y_pct.isna().all() and got.growth_5y_pct.isna().all()


def test_exporter_flagged_beyond_top(eu_lake):
    got = market(eu_lake, "FIN", product="44", year=2021, exporter="blr", top=3).to_pandas()
    assert len(got) == 4
    assert list(got.highlighted) == [False, False, False, True]
    assert got.supplier.iloc[-1] == "BLR" and got["rank"].iloc[-1] == 28


def test_exporter_world_share_against_pandas(eu_lake, raw):
    rows = raw[(raw.refYear == 2021) & raw.cmdCode.str.startswith("44")]
    expected = rows[rows.partnerISO == "BLR"].primaryValue.sum() / rows.primaryValue.sum() * 100
    got = market(eu_lake, "FIN", product="44", year=2021, exporter="BLR")
    assert got.exporter_world_share_pct == pytest.approx(expected)


def test_no_quantity_in_file_is_none_with_reason(eu_lake):
    got = market(eu_lake, "FIN", product="44", year=2021, top=2).to_pandas()
    assert got.quantity.isna().all() and got.unit_value_usd.isna().all()
    assert set(got.quantity_note) == {"no source reports a quantity"}


def test_quantities_and_unit_values_against_pandas(tha_lake, tha_raw):
    rows = tha_raw[(tha_raw.refYear == 2011) & tha_raw.cmdCode.str.startswith("0306")]
    tons = (rows.netWgt.where(rows.netWgt.notna(), rows.qty)) / 1000.0
    held = rows.assign(tons=tons)
    qty = held.groupby("partnerISO").tons.sum(min_count=1)
    value = held.groupby("partnerISO").primaryValue.sum()
    got = market(tha_lake, "THA", product="0306", year=2011, top=None).to_pandas()
    got = got.set_index("supplier")
    assert len(got) == (value > 0).sum()
    checked = 0
    for code, r in got.iterrows():
        assert r.value_usd == pytest.approx(value[code])
        if held[held.partnerISO == code].tons.notna().all():
            assert r.quantity_unit == "t"
            assert r.quantity == pytest.approx(qty[code])
            assert r.unit_value_usd == pytest.approx(value[code] / qty[code])
            checked += 1
    assert checked >= 5


def test_quantities_do_not_change_values(tha_lake):
    view = TradeView(tha_lake)
    plain = view.frame([2011], members=["THA"], level=4, by_product=True)
    with_q = view.frame([2011], members=["THA"], level=4, by_product=True, quantities=True)
    keys = ["year", "exporter", "importer", "product"]
    a = plain.groupby(keys, observed=True).value_usd.sum()
    b = with_q.groupby(keys, observed=True).value_usd.sum()
    assert a.sort_index().to_numpy() == pytest.approx(b.sort_index().to_numpy())
    assert set(with_q.quantity_unit.dropna()) == {"t"}


def test_third_market_against_pandas(eu_lake, raw):
    expected = _suppliers(raw, "FIN", "44", 2021)
    share = expected / expected.sum() * 100
    got = third_market(eu_lake, "FIN", exporters=["BLR", "LVA"], product="44", year=2021)
    rows = got.to_pandas().set_index("exporter")
    assert rows.share_pct["BLR"] == pytest.approx(share["BLR"])
    assert rows["rank"]["LVA"] == int((expected > expected["LVA"]).sum()) + 1
    combined = expected["BLR"] + expected["LVA"]
    assert got.combined_share_pct == pytest.approx(share["BLR"] + share["LVA"])
    others = expected.drop(["BLR", "LVA"])
    assert got.combined_rank == int((others > combined).sum()) + 1
    assert got.leader == others.index[0]
    assert got.gap_to_leader_pct == pytest.approx(
        share[others.index[0]] - share[["BLR", "LVA"]].sum()
    )


def test_cli_json_and_bad_input(cli, eu_lake):
    root = str(eu_lake.root)
    ok = cli("trade", "market", "FIN", "--product", "44", "--year", "2021", "--exporter", "BLR",
             "--top", "3", "--json", "--lake", root)  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    doc = json.loads(ok.stdout)
    assert doc["exporter_rank"] == 28 and len(doc["rows"]) == 4
    bad = {
        "QQQ": ("QQQ", "--product", "44", "--year", "2021"),
        "4x": ("FIN", "--product", "4x", "--year", "2021"),
        "2018-2022": ("FIN", "--product", "44", "--year", "2010"),
        "basket": ("FIN", "--year", "2021"),
    }
    for said, args in bad.items():
        got = cli("trade", "market", *args, "--lake", root)
        assert got.exit_code == 2, said
        assert said in got.stderr, got.stderr


def test_library_errors_are_bilat_errors(eu_lake):
    with pytest.raises(BilatError, match="2010"):
        market(eu_lake, "FIN", product="44", year=2010)
    with pytest.raises(BilatError, match="two exporters"):
        third_market(eu_lake, "FIN", exporters=["BLR"], product="44", year=2021)
    assert not math.isnan(market(eu_lake, "FIN", product="4407", year=2021).total_usd)


def _headings(raw: pd.DataFrame, reporter: str) -> pd.DataFrame:
    """A reporter's imports at HS4: 6-digit codes summed to their heading where the heading
    itself is not held for that flow; 2-digit codes left out (they cannot be split)."""
    rows = raw[(raw.reporterISO == reporter) & (raw.cmdCode.str.len() >= 4)].copy()
    rows["heading"] = rows.cmdCode.str[:4]
    keys = ["refYear", "partnerISO", "heading"]
    held = rows[rows.cmdCode.str.len() == 4].set_index(keys).index
    deep = rows[rows.cmdCode.str.len() == 6]
    deep = deep[~deep.set_index(keys).index.isin(held)]
    return pd.concat([rows[rows.cmdCode.str.len() == 4], deep])


def test_opportunities_against_pandas(eu_lake, raw):
    fin = _headings(raw, "FIN")
    now = fin[fin.refYear == 2022].groupby("heading").primaryValue.sum()
    before = fin[fin.refYear == 2021].groupby("heading").primaryValue.sum()
    blr = fin[(fin.refYear == 2022) & (fin.partnerISO == "BLR")]
    t = pd.DataFrame({"now": now, "before": before.reindex(now.index)})
    t["share"] = blr.groupby("heading").primaryValue.sum().reindex(t.index).fillna(0) / t.now * 100
    t["growth"] = (t.now / t.before - 1) * 100
    t = t[(t.now > 0) & (t.before > 0) & (t.share < 1.0)]
    expected = t.sort_values("growth", ascending=False, kind="stable")
    got = opportunities(eu_lake, "FIN", exporter="BLR", year=2022, span=1, max_share_pct=1.0,
                        top=None).to_pandas()  # fmt: skip
    assert list(got["product"]) == list(expected.index)
    assert got.growth_pct.to_numpy() == pytest.approx(expected.growth.to_numpy())
    assert got.exporter_share_pct.to_numpy() == pytest.approx(expected.share.to_numpy())


def test_opportunities_without_the_earlier_year(eu_lake):
    """2017 is not held: growth over five years is not known, and the error says which
    span the lake allows (not an empty table)."""
    from bilat.errors import InputError

    with pytest.raises(InputError, match=r"needs 2017.*holds 2018–2022.*at most 4 years"):
        opportunities(eu_lake, "FIN", exporter="BLR", year=2022, span=5)
    got = opportunities(eu_lake, "FIN", exporter="BLR", year=2022, span=4)
    assert got.n_products > 0 and got.rows.num_rows > 0
    with pytest.raises(InputError, match="max_share_pct"):
        opportunities(eu_lake, "FIN", exporter="BLR", year=2022, span=4, max_share_pct=-3)


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory: pytest.TempPathFactory):
    """The SYNTHETIC demo world (BACI-format flows with quantities in tons), two years."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    lake = Lake.open(tmp_path_factory.mktemp("market-sample") / "lake", create=True)
    build_sample_lake(lake, preset("demo").with_(years=(2020, 2021)))
    return lake


def test_baci_quantities_against_the_stored_rows(sample_lake):
    flows = sample_lake.flows().execute()
    rows = flows[
        (flows.importer == "KAZ") & (flows.year == 2021) & (flows["product"].str[:2] == "84")
    ]
    rows = rows[rows.exporter != "KAZ"]
    value = rows.groupby("exporter").value_usd.sum()
    tons = rows.groupby("exporter").quantity.sum(min_count=1)
    missing = rows[rows.quantity.isna()].groupby("exporter").value_usd.sum()
    got = market(sample_lake, "KAZ", product="84", year=2021, exporter="BLR", top=None)
    table = got.to_pandas().set_index("supplier")
    assert table.value_usd.to_numpy() == pytest.approx(value[table.index].to_numpy())
    assert set(table.quantity_unit.dropna()) == {"t"}
    for code, r in table.iterrows():
        if not math.isnan(tons.get(code, math.nan)):
            assert r.quantity == pytest.approx(tons[code])
            held = value[code] - missing.get(code, 0.0)
            assert r.unit_value_usd == pytest.approx(held / tons[code])
    assert got.provenance.synthetic
    assert table.loc["BLR", "highlighted"]


def test_basket_market_against_the_stored_rows(sample_lake):
    from bilat.codes.baskets import basket

    codes = basket("dairy").codes
    flows = sample_lake.flows().execute()
    rows = flows[(flows.importer == "KAZ") & (flows.year == 2021) & (flows.exporter != "KAZ")]
    rows = rows[rows["product"].str.startswith(codes)]
    value = rows.groupby("exporter").value_usd.sum().sort_values(ascending=False)
    value = value[value > 0]
    assert len(value) > 1
    got = market(sample_lake, "KAZ", basket="dairy", year=2021, top=None)
    assert got.product == "dairy" and got.n_suppliers == len(value)
    table = got.to_pandas()
    assert table.value_usd.to_numpy() == pytest.approx(value.to_numpy())


def test_third_market_cli_speaks_of_flags(cli, eu_lake):
    root = str(eu_lake.root)
    got = cli("trade", "third-market", "FIN", "--year", "2021", "--exporters", "BLR",
              "--product", "44", "--lake", root)  # fmt: skip
    assert got.exit_code == 2 and "--exporters" in got.stderr
    got = cli("trade", "opportunities", "FIN", "--year", "2021", "--exporter", "BLR",
              "--span", "30", "--lake", root)  # fmt: skip
    assert got.exit_code == 2 and "--span" in got.stderr


def test_dyad_products_carry_quantities_against_pandas(tha_lake, tha_raw):
    """The dyad's product table shows quantity, unit and unit value beside each value."""
    from bilat.trade import Dyad

    rows = tha_raw[tha_raw.refYear == 2011]
    partner = rows.groupby("partnerISO").primaryValue.sum().idxmax()
    rows = rows[rows.partnerISO == partner].assign(hs4=lambda f: f.cmdCode.str[:4])
    rows = rows.assign(tons=rows.netWgt.where(rows.netWgt.notna(), rows.qty) / 1000.0)
    got = Dyad(tha_lake, "THA", partner).products(2011, level=4, flow="import", top=None)
    table = got.to_pandas().set_index("product")
    assert len(table) > 0
    for code, r in table.iterrows():
        part = rows[rows.hs4 == code]
        assert r.value_usd == pytest.approx(part.primaryValue.sum())
        if part.tons.notna().all():
            assert r.quantity_unit == "t"
            assert r.quantity == pytest.approx(part.tons.sum())
            assert r.unit_value_usd == pytest.approx(part.primaryValue.sum() / part.tons.sum())
