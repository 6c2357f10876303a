from __future__ import annotations

from pathlib import Path

import pytest

from bilat.codes.baskets import basket, load_baskets
from bilat.codes.hs import describe
from bilat.errors import SchemaError, UnknownCodeError

REQUIRED = {
    "confectionery",
    "vegetable_oils",
    "sugar",
    "tractors",
    "combine_harvesters",
    "dairy",
    "baby_food",
    "buses",
    "special_vehicles",
    "tractor_cabs",
}


def test_shipped_baskets_cover_the_commission_topics() -> None:
    baskets = load_baskets()
    assert REQUIRED <= set(baskets)
    for b in baskets.values():
        assert b.rationale and b.codes
        for code in b.codes:
            assert describe(code), f"{b.name}: {code} is not an HS 2022 code"


def test_matching_respects_levels() -> None:
    b = basket("tractors")
    assert b.matches("870192")
    assert not b.matches("870120")  # road tractors are left out
    assert not b.matches("8701")  # a heading may hold more than the basket
    assert basket("confectionery").matches("170410")


def test_unknown_basket_suggests() -> None:
    with pytest.raises(UnknownCodeError, match="confectionery"):
        basket("confectionary")


def test_user_file_adds_and_replaces(tmp_path: Path) -> None:
    f = tmp_path / "b.toml"
    f.write_text(
        '[sugar]\ntitle="Sugar, all"\ncodes=["17"]\nrationale="x"\n[apples]\ncodes=["080810"]\n'
    )
    baskets = load_baskets([f])
    assert baskets["sugar"].codes == ("17",) and "apples" in baskets


def test_bad_user_file(tmp_path: Path) -> None:
    f = tmp_path / "b.toml"
    f.write_text('[x]\ncodes=["abc"]\n')
    with pytest.raises(SchemaError, match="basket 'x'"):
        load_baskets([f])
