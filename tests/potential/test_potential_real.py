"""`bilat potential` on a lake holding only Comtrade declarations (issue 12, scenario 6).

The real file (EU27 forestry imports 2018-2022, ../shared/data) holds the EU members' import
declarations: the mirror of their partners' exports. Potential and the gravity panel are read
from the rows the lake believes; each figure is checked against pandas on the raw CSV.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bilat.errors import NotFoundError
from bilat.lake import Lake
from bilat.potential import export_potential, market_potential, panel_from_flows

pytestmark = pytest.mark.shared

AREAS = {"W00", "_X", "X1", "XX", "E19", "F19", "S19"}


@pytest.fixture(scope="module")
def raw(comtrade_eu_raw: pd.DataFrame) -> pd.DataFrame:
    df = comtrade_eu_raw
    df = df[~df.partnerISO.isin(AREAS) & (df.partnerISO != df.reporterISO)]
    # no code of this file is a prefix of another, so a level's value is every finer row
    return df.assign(level=df.cmdCode.str.len())


@pytest.fixture(scope="module")
def eu_lake(comtrade_eu_lake: Lake) -> Lake:
    return comtrade_eu_lake


def test_products_potential_from_declarations_only(eu_lake: Lake, raw: pd.DataFrame) -> None:
    pp = market_potential(eu_lake, "BLR", "DEU", year=2021, actual_years=1, level=4)
    y = raw[(raw.refYear == 2021) & (raw.level >= 4)].assign(hs4=lambda d: d.cmdCode.str[:4])
    sold = y[(y.partnerISO == "BLR") & (y.reporterISO == "DEU")]
    assert pp.actual_usd == pytest.approx(sold.primaryValue.sum(), rel=1e-9)
    assert pp.potential_usd == pytest.approx(pp.actual_usd, rel=1e-9)  # no projection
    # supply share: BLR's share of the (lake's) world exports of a product
    world = y.groupby("hs4").primaryValue.sum()
    blr = y[y.partnerISO == "BLR"].groupby("hs4").primaryValue.sum()
    got = pp.table.set_index("product")["supply_share"]
    for code in ("4407", "4410", "9403"):
        assert got[code] == pytest.approx(blr[code] / world[code], rel=1e-9)


def test_markets_and_panel_from_declarations_only(eu_lake: Lake, raw: pd.DataFrame) -> None:
    ep = export_potential(eu_lake, "BLR", year=2021, actual_years=1, level=4)
    y = raw[(raw.refYear == 2021) & (raw.level >= 4) & (raw.partnerISO == "BLR")]
    markets = y.groupby("reporterISO").primaryValue.sum()
    got = ep.markets.set_index("market")["actual_usd"]
    assert set(got.index) == set(markets.index)
    for code, value in markets.items():
        assert got[code] == pytest.approx(value, rel=1e-9)
    panel = panel_from_flows(eu_lake, level=2, years=[2020, 2021])
    panel = panel[panel.exporter != panel.importer]  # a reporter's imports from itself are kept
    p = panel.set_index(["exporter", "importer", "year"])["trade"]
    want = raw[raw.refYear.isin([2020, 2021])]
    want = want.groupby(["partnerISO", "reporterISO", "refYear"]).primaryValue.sum()
    assert len(p) == len(want)
    for (e, i, yr), value in want.items():
        assert p[(e, i, yr)] == pytest.approx(value, rel=1e-9)


def test_asking_for_what_the_lake_does_not_hold_is_an_error(eu_lake: Lake) -> None:
    with pytest.raises(NotFoundError, match="source classes it holds are importer"):
        market_potential(
            eu_lake, "BLR", "DEU", year=2021, actual_years=1, level=4, basis="exporter"
        )
    with pytest.raises(NotFoundError, match="it holds comtrade"):
        market_potential(eu_lake, "BLR", "DEU", year=2021, actual_years=1, level=4, source="baci")
    # Belarus's imports are not in a file of EU import declarations: demand unknown, not 0
    with pytest.raises(NotFoundError, match="no source the lake holds covers the imports of BLR"):
        market_potential(eu_lake, "DEU", "BLR", year=2021, actual_years=1, level=4)
    with pytest.raises(NotFoundError, match="covers the imports of KAZ in 2021"):
        market_potential(eu_lake, "BLR", "KAZ", year=2021, actual_years=1, level=4)


def test_cli_on_a_comtrade_only_lake(cli, eu_lake: Lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "products", "BLR", "DEU", "--year", "2021", "--level", "4",
            "--lake", eu_lake.root, "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    lib = market_potential(eu_lake, "BLR", "DEU", year=2021, level=4)
    assert out["actual_usd"] == pytest.approx(lib.actual_usd)
    assert out["top_products"][0]["product"] == lib.top(1)["product"][0]
    r = cli("potential", "markets", "BLR", "--year", "2021", "--level", "4",
            "--lake", eu_lake.root)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "DEU" in r.stdout and "POL" in r.stdout
    r = cli("potential", "markets", "BLR", "--year", "2021", "--basis", "exporter",
            "--lake", eu_lake.root)  # fmt: skip
    assert r.exit_code == 1 and "basis pinned to exporter" in r.stderr
    r = cli("potential", "markets", "BLR", "--year", "2021", "--precedence", "importer",
            "--level", "4", "--lake", eu_lake.root, "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
