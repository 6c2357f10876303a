"""The sample world follows the public facts of ``bilat.sample.facts`` (docs/sample.md).

Coastlines (no sea fish from landlocked countries), concentrated export baskets on each
profiled country's documented headings, totals of the order of real national trade, and the
one real bilateral figure the demo compares itself with.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bilat.sample.model
import bilat.sample.shape
from bilat.i18n import use
from bilat.sample import SampleSpec, generate_table, preset, resolve_products, world_countries
from bilat.sample.facts import (
    DEMO_COUNTRIES,
    LANDLOCKED,
    PROFILES,
    REAL_TURNOVER,
    SEA_FISH_HEADINGS,
    expand,
    profile_codes,
)
from bilat.sample.model import build_world
from bilat.sample.reality import compare_with_real

YEAR = 2021


@pytest.fixture(scope="module")
def demo_year() -> pd.DataFrame:
    """The demo world's flows of 2021, with chapter (HS2) and heading (HS4) columns."""
    t = generate_table(preset("demo"), years=(YEAR,))
    df = t.select(["exporter", "importer", "product", "value_usd"]).to_pandas()
    df["chapter"] = df["product"].str[:2]
    df["heading"] = df["product"].str[:4]
    return df


def _documented(iso3: str) -> tuple[str, ...]:
    return tuple(code for h in PROFILES[iso3].headings for code in expand(h))


# ---- the facts themselves ----------------------------------------------------------------


def test_profiles_cover_the_demo_world_and_name_real_codes() -> None:
    known = {c.iso3 for c in world_countries()}
    assert set(DEMO_COUNTRIES) <= set(PROFILES) <= known
    assert len(DEMO_COUNTRIES) == 24 and {"BLR", "KAZ", "RUS", "CHN"} <= set(DEMO_COUNTRIES)
    held = resolve_products(preset("demo"))
    for code in profile_codes():
        assert len(code) in (2, 4) and code.isdigit(), code
        assert any(p.startswith(code) for p in held), code  # every documented heading is drawn
    for iso3, profile in PROFILES.items():
        assert profile.exports_bn > 0 and profile.imports_bn > 0, iso3
        assert 4 <= len(profile.headings) <= 12, iso3


def test_belarus_and_kazakhstan_profiles_say_what_their_economies_are_known_for() -> None:
    blr, kaz = set(_documented("BLR")), set(_documented("KAZ"))
    assert {"3104", "8701", "8704", "2710", "4407", "0401", "0406", "0201"} <= blr
    assert {"2709", "7202", "7403", "2844", "1001", "7901"} <= kaz
    assert 30 <= PROFILES["BLR"].exports_bn <= 50  # Belstat 2021: ~US$ 40 bn
    assert 50 <= PROFILES["KAZ"].exports_bn <= 85  # BNS 2021: ~US$ 60 bn


def test_landlocked_list_is_the_coastline_zero_list() -> None:
    assert len(LANDLOCKED) == 45  # 44 countries with no coast, and Kosovo
    assert {"BLR", "KAZ", "UZB", "CHE", "AUT", "BOL", "ETH"} <= LANDLOCKED
    assert not {"RUS", "UKR", "POL", "LTU", "NOR", "CHN"} & LANDLOCKED
    assert SEA_FISH_HEADINGS == ("0302", "0303", "0304", "0305", "0306", "0307", "0308")


@pytest.mark.shared
def test_landlocked_list_agrees_with_cepii_geodist(shared_data: Path) -> None:
    with open(shared_data / "geo" / "geo_cepii.csv", encoding="utf-8") as fh:
        rows = {r["iso3"]: r for r in csv.DictReader(fh)}
    cepii = {code for code, r in rows.items() if float(r["landlocked"] or 0) == 1}
    assert cepii <= LANDLOCKED  # every country GeoDist marks landlocked is in the list
    # ... and the list's others are GeoDist's known gaps, named in the facts' docstring.
    marked_coastal = {c for c in LANDLOCKED - cepii if c in rows}
    assert marked_coastal == {"BLR", "MDA", "AND", "SMR"}
    assert LANDLOCKED - cepii - marked_coastal == {"SRB", "SSD", "LIE", "XKX", "VAT"}


@pytest.mark.shared
def test_the_real_turnover_is_the_one_the_shared_report_states(shared_data: Path) -> None:
    text = (shared_data / "seed" / "commission-2022-06-09.txt").read_text("utf-8")
    assert REAL_TURNOVER.phrase in " ".join(text.split())
    assert "one billion dollars" in REAL_TURNOVER.phrase and REAL_TURNOVER.value_usd == 1e9
    assert (REAL_TURNOVER.a, REAL_TURNOVER.b, REAL_TURNOVER.year) == ("BLR", "KAZ", 2021)


def test_the_generator_names_no_country() -> None:
    for module in (bilat.sample.model, bilat.sample.shape):
        text = Path(str(module.__file__)).read_text("utf-8")
        for iso3 in DEMO_COUNTRIES:
            assert f'"{iso3}"' not in text, (module.__name__, iso3)


# ---- the world follows them --------------------------------------------------------------


def test_no_landlocked_exporter_has_sea_fish_exports() -> None:
    # The whole world, every fish product: coastal countries do export sea fish, so the
    # assertion on landlocked ones can fail.
    spec = SampleSpec(seed=4, years=(2020, 2021), products=("03",), density=0.2)
    t = generate_table(spec)
    sea = np.isin([p[:4] for p in t.column("product").to_pylist()], SEA_FISH_HEADINGS)
    exporters = np.array(t.column("exporter").to_pylist())
    landlocked = np.isin(exporters, sorted(LANDLOCKED))
    assert sea.sum() > 10_000
    assert not (sea & landlocked).any(), sorted(set(exporters[sea & landlocked]))
    assert (landlocked & ~sea).sum() > 0  # live fish (0301) and the rest stay possible
    assert (sea & ~landlocked).sum() > 0.9 * sea.sum()


def test_no_landlocked_exporter_has_sea_fish_exports_in_the_demo(
    demo_year: pd.DataFrame,
) -> None:
    sea = demo_year["heading"].isin(SEA_FISH_HEADINGS)
    assert demo_year[sea & demo_year["exporter"].isin(LANDLOCKED)].empty
    assert demo_year[sea]["exporter"].nunique() > 10  # the coastal ones still fish


def test_belarus_exports_what_belarus_is_known_for(demo_year: pd.DataFrame) -> None:
    blr = demo_year[demo_year["exporter"] == "BLR"]
    chapters = blr.groupby("chapter")["value_usd"].sum().sort_values(ascending=False)
    documented = {c[:2] for c in _documented("BLR")}
    assert set(chapters.index[:3]) <= documented, list(chapters.index[:5])
    fish = blr[blr["chapter"] == "03"]
    assert set(fish["heading"]) <= {"0301", "0309"}  # live (farmed) fish and fish meal only
    assert fish["value_usd"].sum() < 0.02 * blr["value_usd"].sum()
    kaz = demo_year[demo_year["exporter"] == "KAZ"]
    assert kaz.groupby("chapter")["value_usd"].sum().idxmax() == "27"  # crude oil's chapter


def test_every_profiled_basket_is_concentrated_on_its_documented_headings(
    demo_year: pd.DataFrame,
) -> None:
    for iso3 in DEMO_COUNTRIES:
        rows = demo_year[demo_year["exporter"] == iso3]
        total = rows["value_usd"].sum()
        documented = rows["product"].str.startswith(_documented(iso3))
        share = rows.loc[documented, "value_usd"].sum() / total
        headings = rows.groupby("heading")["value_usd"].sum() / total
        hhi = float((headings**2).sum())
        top3 = rows.groupby("chapter")["value_usd"].sum().nlargest(3).index
        chapters = {c[:2] for c in _documented(iso3)}
        assert share > 0.5, (iso3, share)  # the model gives them 70% of world-wide exports
        assert hhi > 0.04, (iso3, hhi)  # an even spread over 1,200 headings is 0.001
        assert sum(c in chapters for c in top3) >= 2, (iso3, list(top3))


def test_totals_are_of_the_order_of_real_national_trade() -> None:
    """The whole world (every country), the profiles' products and a draw: realised 2021
    exports and imports of every profiled country within a factor 2 of its real total
    (3 below US$ 10 bn)."""
    spec = SampleSpec(years=(YEAR,), products=1200, required_products=profile_codes())
    t = generate_table(spec)
    df = t.select(["exporter", "importer", "value_usd"]).to_pandas()
    exports = df.groupby("exporter")["value_usd"].sum() / 1e9
    imports = df.groupby("importer")["value_usd"].sum() / 1e9
    assert 0.7 < exports.sum() / 22_300 < 1.6  # world trade 2021: US$ 22.3 trillion (WTO)
    for iso3, profile in PROFILES.items():
        # realised, not expected: a small country's few large flows make it noisier
        band = 2.0 if profile.exports_bn >= 10 else 3.0
        assert 1 / band < exports[iso3] / profile.exports_bn < band, (iso3, exports[iso3])
        assert 1 / band < imports[iso3] / profile.imports_bn < band, (iso3, imports[iso3])
    for iso3 in ("BLR", "KAZ"):
        assert 0.8 < exports[iso3] / PROFILES[iso3].exports_bn < 1.25, iso3


def test_the_demo_holds_a_part_of_each_countrys_trade(demo_year: pd.DataFrame) -> None:
    # The demo holds 24 of 220 countries: a country's trade with the others is not in it.
    exports = demo_year.groupby("exporter")["value_usd"].sum() / 1e9
    for iso3 in DEMO_COUNTRIES:
        assert 0.1 < exports[iso3] / PROFILES[iso3].exports_bn < 1, iso3
    assert 10 < exports["BLR"] < 40 and 15 < exports["KAZ"] < 60


def test_expected_world_wide_totals_hit_the_profiles() -> None:
    """On the whole world the generator's expected exports are the profile's share exactly."""
    from bilat.sample.model import _shaping
    from bilat.sample.shape import _export_cells, _solve

    world = build_world(preset("demo"))
    s = _shaping(world, world.threshold, world.scale)
    w = world
    for iso3 in ("BLR", "KAZ", "CHN", "MDA"):
        i = next(k for k, c in enumerate(w.countries) if c.iso3 == iso3)
        m = _export_cells(s, i, w.export_level, w.import_level, w.chapter_advantage,
                          w.product_advantage, w.demand, w.log_distance, w.chapter_index,
                          w.product_size)  # fmt: skip
        # the shift that would hit the target now is ~0: the levels already do
        assert abs(_solve(m, s.export_target[i], s)) < 0.01, iso3
        assert s.export_target[i] == pytest.approx(
            PROFILES[iso3].exports_bn * 1e9 / 22.3e12 * preset("demo").total_value_usd
        )


def test_the_shaped_world_is_deterministic() -> None:
    spec = SampleSpec(seed=11, years=(2021,), countries=("BLR", "KAZ", "POL", "RUS"),
                      products=("04", "31", "87", "27", "03"))  # fmt: skip
    one = generate_table(spec)
    build_world.cache_clear()
    again = generate_table(spec)
    assert one.num_rows > 100 and again.equals(one)
    assert not generate_table(spec.with_(seed=12)).equals(one)


# ---- the distance statement --------------------------------------------------------------


def test_the_statement_says_how_far_and_why() -> None:
    check = compare_with_real(2.5e8, 1.0e8, 1.5e8)
    assert check.ratio == pytest.approx(0.25)
    text = check.text()
    assert "the synthetic BLR–KAZ turnover 2021 is $250M" in text
    assert "BLR→KAZ $100M, KAZ→BLR $150M" in text
    assert "the real one was more than $1B (report of the Belarus-Kazakhstan" in text
    assert "at most 25.0%" in text and "gravity model" in text and "customs union" in text
    with use("ru"):
        ru = check.text()
    assert "товарооборот" in ru and "25" in ru and "250" in ru
    assert compare_with_real(None, None, None).ratio is None
    assert "no trade of this pair" in compare_with_real(None, None, None).text()
    assert "above that floor" in compare_with_real(1.2e9, 6e8, 6e8).text()
    assert check.to_dict()["real_turnover_usd"] == 1e9
