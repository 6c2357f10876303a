"""The briefing's potential section: both directions, gravity with and without covariates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilat.lake import Lake
from bilat.potential.section import potential_section


def test_section_with_gravity(world_lake: tuple[Path, Path, Path], world) -> None:  # type: ignore[no-untyped-def]
    root, geo, _ = world_lake
    lake = Lake.open(root, create=True)
    sec = potential_section(
        lake, "C00", "C05", year=2021, geodist=geo, gravity_years=3, terms=["ln_dist", "cntg"]
    )
    assert sec.gravity_ab is not None
    panel = world()
    row = panel.query("exporter == 'C00' and importer == 'C05' and year == 2021")
    # the two HS6 products of the lake add back up to the pair's trade
    assert sec.gravity_ab.actual_usd == pytest.approx(float(row["trade"].iloc[0]))
    assert sec.gravity_ab.ratio == pytest.approx(0.98, abs=0.05)  # eaeu left out: near 1
    assert sec.gravity is not None and sec.gravity.years == (2019, 2020, 2021)
    assert sec.gravity_ab.exporter == "C00"
    assert sec.gravity_ba is not None and sec.gravity_ba.importer == "C00"
    assert sec.products_ab.market == "C05" and sec.products_ba.market == "C00"
    assert sec.products_ab.potential_usd == pytest.approx(sec.products_ab.actual_usd)
    assert sec.notes == ()
    json.dumps(sec.to_dict())
    assert set(sec.charts()) == {
        "products_ab", "products_ba", "areas_ab", "areas_ba", "gravity_ab", "gravity_ba",
    }  # fmt: skip


def test_section_without_covariates_says_why(three_lake: Lake) -> None:
    sec = potential_section(three_lake, "AAA", "CCC", year=2021, level=4)
    assert sec.gravity_ab is None and sec.gravity is None
    assert sec.notes == ("gravity gap not computed: no GeoDist covariates file given",)
    # the 5-year actual: the lake holds 2020 and 2021, AAA sold CCC nothing in 2020: 55 / 2
    assert sec.products_ab.ease == pytest.approx((55 / 2) / (20 * 2 / 9 + 0.8 * 40 + 5))
    assert sec.products_ab.actual_years == [2020, 2021]
    assert "gravity_ab" not in sec.charts()


def test_section_gravity_failure_is_a_note(three_lake: Lake, tmp_path: Path) -> None:
    geo = tmp_path / "geo.csv"
    geo.write_text("iso_o,iso_d,contig,comlang_off,colony,dist,distw\nAAA,BBB,0,0,0,10,10\n")
    sec = potential_section(three_lake, "AAA", "BBB", year=2021, level=4, geodist=geo)
    assert sec.gravity is None
    assert sec.notes[0].startswith("gravity gap not computed:")
