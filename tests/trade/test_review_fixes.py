"""What a new user found on real files (issue 16 review): a flow no source covers is not 0.

The real EU27 Comtrade lake holds imports of EU members only: BLR→KAZ is covered by no
source, and POL→BLR only by Belarus' declarations, which the file does not hold.
"""

from __future__ import annotations

import pytest

from bilat.errors import NotFoundError
from bilat.trade import Dyad
from bilat.trade.market import third_market


def test_rca_partner_columns_are_unknown_without_coverage(comtrade_eu_lake):
    got = Dyad(comtrade_eu_lake, "BLR", "KAZ").rca(2021, level=4).to_pandas()
    assert len(got) > 0
    assert got["exports_to_partner_usd"].isna().all()
    assert got["partner_rca"].isna().all()
    covered = Dyad(comtrade_eu_lake, "BLR", "POL").rca(2021, level=4).to_pandas()
    assert covered["exports_to_partner_usd"].notna().all()


def test_iit_direction_not_covered_is_none_not_zero(comtrade_eu_lake):
    got = Dyad(comtrade_eu_lake, "BLR", "POL").iit(2021, level=4)
    rows = got.to_pandas()
    assert len(rows) > 0 and not rows["covered"].any()
    assert rows["imports_usd"].isna().all()  # POL→BLR: Belarus declares nothing here
    assert (rows["exports_usd"] > 0).all()  # BLR→POL: Poland's imports hold it
    assert got.gl["2021"] is None


def test_third_market_nobody_covers_is_not_found(comtrade_eu_lake):
    with pytest.raises(NotFoundError, match="no source the lake holds covers KAZ's imports"):
        third_market(comtrade_eu_lake, "KAZ", exporters=["BLR", "RUS"], product="44", year=2021)


def test_growth_without_horizon_and_percent_rates_are_bad_input(cli, tmp_path, comtrade_eu_lake):
    growth = tmp_path / "growth.csv"
    growth.write_text("market,gdp_growth,population_growth\nPOL,4.5,1.3\n")
    root = str(comtrade_eu_lake.root)
    base = ("potential", "products", "BLR", "POL", "--year", "2021", "--lake", root)
    quiet = cli(*base, "--market-growth", str(growth))
    assert quiet.exit_code == 2 and "--horizon" in quiet.stderr
    percent = cli(*base, "--market-growth", str(growth), "--horizon", "3")
    assert percent.exit_code == 2
    assert "line 2, column 'gdp_growth'" in percent.stderr and "4.5" in percent.stderr
