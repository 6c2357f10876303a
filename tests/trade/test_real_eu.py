"""Real data: EU27 imports of forestry products 2018-2022 (UN Comtrade, ../shared/data).

Each figure is computed twice: through bilat's public API on a lake that ingested the file
with the Comtrade reader, and independently here with pandas on the raw CSV. The EU27's
suppliers of HS 44 = the sum over the 27 reporters of their imports from each partner
outside the EU (extra-EU; with ``intra=True`` members count too), HS4 rows only (HS 44 is
held at HS4 in this file), World and "not elsewhere specified" areas left out.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bilat.trade import Dyad, partners

pytestmark = pytest.mark.shared

AREAS = {"W00", "_X", "X1", "XX", "E19", "F19", "S19"}


@pytest.fixture(scope="module")
def raw(eu_raw) -> pd.DataFrame:
    return eu_raw[~eu_raw.partnerISO.isin(AREAS) & (eu_raw.partnerISO != eu_raw.reporterISO)]


def _hs44_by_partner(
    raw: pd.DataFrame, year: int, members: frozenset[str] = frozenset()
) -> pd.Series:
    rows = raw[
        (raw.refYear == year) & (raw.cmdCode.str.len() == 4) & raw.cmdCode.str.startswith("44")
    ]
    rows = rows[~rows.partnerISO.isin(members)]  # extra-group: members are not partners
    return rows.groupby("partnerISO").primaryValue.sum().sort_values(ascending=False)


@pytest.mark.parametrize("year", [2021, 2022])
def test_belarus_rank_and_share_among_eu27_suppliers_of_hs44(eu_lake, raw, eu27, year):
    expected = _hs44_by_partner(raw, year, eu27)
    exp_rank = int(expected.rank(ascending=False, method="min")["BLR"])
    exp_share = expected["BLR"] / expected.sum() * 100
    got = partners(eu_lake, "EU27", flow="import", year=year, level=4, products="44", top=None)
    row = got.to_pandas().set_index("partner").loc["BLR"]
    assert int(row["rank"]) == exp_rank
    assert row.share_pct == pytest.approx(exp_share, rel=1e-9)
    assert row.value_usd == pytest.approx(expected["BLR"], rel=1e-9)
    assert got.total_usd == pytest.approx(expected.sum(), rel=1e-9)
    assert got.provenance.bases == ("importer",)
    assert got.provenance.sources[0].path.endswith("eu27-forestry-imports-2018-2022.csv.gz")


@pytest.mark.parametrize(("year", "rank"), [(2021, 12), (2022, 28)])
def test_intra_eu_on_request(eu_lake, raw, year, rank):
    # with members counted as suppliers, Belarus is 12th (2021) among all the EU27's suppliers
    expected = _hs44_by_partner(raw, year)
    got = partners(
        eu_lake, "EU27", flow="import", year=year, level=4, products="44", top=None, intra=True
    )
    assert got.rank_of("BLR") == int(expected.rank(ascending=False, method="min")["BLR"]) == rank
    assert got.total_usd == pytest.approx(expected.sum(), rel=1e-9)
    # a member's own ranking of its suppliers is not affected by the group rule
    pol = partners(eu_lake, "POL", flow="import", year=year, level=4, products="44", top=None)
    assert "DEU" in pol.to_pandas().partner.tolist()


def test_belarus_hs44_growth_2020_2021(eu_lake, raw):
    before, now = _hs44_by_partner(raw, 2020)["BLR"], _hs44_by_partner(raw, 2021)["BLR"]
    got = partners(eu_lake, "EU27", flow="import", year=2021, level=4, products="44", top=None)
    row = got.to_pandas().set_index("partner").loc["BLR"]
    assert row.previous_usd == pytest.approx(before, rel=1e-9)
    assert row.growth_pct == pytest.approx((now / before - 1) * 100, rel=1e-9)


def test_default_level_is_the_code_asked_for(eu_lake, raw, eu27):
    # without --level, "44" is read at HS2: every code under it that is not counted twice
    got = partners(eu_lake, "EU27", flow="import", year=2021, products="44", top=None)
    assert got.level == 2
    assert got.rank_of("BLR") == int(_hs44_by_partner(raw, 2021, eu27).rank(ascending=False)["BLR"])


@pytest.mark.parametrize("year", [2021, 2022])
def test_top5_hs4_imported_from_belarus(eu_lake, raw, year):
    rows = raw[(raw.refYear == year) & (raw.partnerISO == "BLR")]
    # HS4 codes, plus HS6 codes whose heading (or chapter) the same reporter does not hold
    held = set(zip(rows.reporterISO, rows.cmdCode, strict=True))
    six = rows[rows.cmdCode.str.len() == 6]
    alone = [
        (r, c[:4]) not in held and (r, c[:2]) not in held
        for r, c in zip(six.reporterISO, six.cmdCode, strict=True)
    ]
    picked = pd.concat([rows[rows.cmdCode.str.len() == 4], six[alone]])
    by_heading = picked.groupby(picked.cmdCode.str[:4]).primaryValue.sum()
    expected = by_heading.sort_values(ascending=False).head(5)
    got = Dyad(eu_lake, "BLR", "EU27").products(year, level=4, top=5).to_pandas()
    assert got["product"].tolist() == expected.index.tolist()
    assert got.value_usd.tolist() == pytest.approx(expected.tolist(), rel=1e-9)


def test_events_2021_2022(eu_lake, raw):
    rows = raw[(raw.partnerISO == "BLR") & (raw.cmdCode.str.len() == 4)]
    v = rows.pivot_table(index="cmdCode", columns="refYear", values="primaryValue", aggfunc="sum")
    v = v.reindex(columns=[2020, 2021, 2022]).fillna(0.0)
    appeared = set(v.index[(v[2022] > 0) & (v[2021] <= 0) & (v[2020] <= 0)])
    resumed = set(v.index[(v[2022] > 0) & (v[2021] <= 0) & (v[2020] > 0)])
    ceased = set(v.index[(v[2022] <= 0) & (v[2021] > 0)])
    got = Dyad(eu_lake, "BLR", "EU27").events(2022, level=4).to_pandas()
    by_event = {e: set(got["product"][got.event == e]) for e in ("appeared", "resumed", "ceased")}
    assert by_event == {"appeared": appeared, "resumed": resumed, "ceased": ceased}
    assert len(appeared) == 1  # the file: one HS4 heading new in 2022, none ceased
