from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bilat.codes.countries import (
    BACI_QUIRKS,
    baci_table,
    country_name,
    is_known,
    iso3_from_numeric,
    to_iso3,
)
from bilat.errors import UnknownCodeError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("BLR", "BLR"),
        ("kaz", "KAZ"),
        ("Belarus", "BLR"),
        ("Kazakhstan", "KAZ"),
        (112, "BLR"),
        ("398", "KAZ"),
        ("BY", "BLR"),
        ("W00", "W00"),
    ],
)
def test_to_iso3(given: str | int, expected: str) -> None:
    assert to_iso3(given) == expected


def test_unknown_country_names_value_and_closest() -> None:
    with pytest.raises(UnknownCodeError) as err:
        to_iso3("BLX")
    assert "'BLX'" in err.value.message
    assert err.value.details["closest"], "closest matches are offered"
    assert any("LUX" in c for c in err.value.details["closest"])


def test_baci_quirks() -> None:
    assert iso3_from_numeric(251, baci=True) == "FRA"
    assert iso3_from_numeric(842, baci=True) == "USA"
    with pytest.raises(UnknownCodeError):
        iso3_from_numeric(251)  # not an ISO code outside BACI


def test_country_name() -> None:
    assert country_name("KAZ") == "Kazakhstan"
    assert is_known("_X") and not is_known("QQQ")


def test_builtin_baci_table_matches_the_release_table(shared_data: Path) -> None:
    """Every row of BACI's own V202301 country table maps to its ISO3 through our built-in table."""
    table = baci_table()
    with (shared_data / "hs" / "baci-country-codes-V202301.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 238
    mismatches = []
    for r in rows:
        code, iso3 = int(r["country_code"]), r["iso_3digit_alpha"]
        if iso3 == "N/A":
            assert code in BACI_QUIRKS
            continue
        if table.get(code) != iso3:
            mismatches.append((code, iso3, table.get(code)))
    assert mismatches == []
