from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.codes.hs import describe, heading, is_valid, level, normalise, revision
from bilat.errors import InputError, UnknownCodeError


@pytest.mark.parametrize(
    ("given_code", "expected"),
    [
        (10121, "010121"),
        ("10121", "010121"),
        ("1704.10", "170410"),
        ("9", "09"),
        ("0401", "0401"),
        ("total", "TOTAL"),
        (170410, "170410"),
    ],
)
def test_normalise(given_code: str | int, expected: str) -> None:
    assert normalise(given_code) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1234567", "00", "0012"])
def test_normalise_rejects(bad: str) -> None:
    with pytest.raises(UnknownCodeError):
        normalise(bad)


@given(st.integers(min_value=10000, max_value=999999))
def test_normalise_is_idempotent_and_six_digits(k: int) -> None:
    code = normalise(k)
    assert len(code) == 6 and normalise(code) == code and is_valid(code)
    assert int(code) == k


def test_levels_and_descriptions() -> None:
    assert level("TOTAL") == 0 and level("17") == 2 and level("1704") == 4
    assert heading("170410") == "1704"
    assert "confectionery" in (describe("1704") or "").lower()


def test_revision_tags() -> None:
    assert revision("H5") == "HS17" and revision("hs2017") == "HS17" and revision("HS22") == "HS22"
    with pytest.raises(InputError, match="HS17"):
        revision("HS2099")


def test_baci_product_table_normalises(shared_data: Path) -> None:
    """BACI writes products as integers; every code of its HS17 table normalises to six digits."""
    with (shared_data / "hs" / "baci-product-codes-HS17-V202301.csv").open(encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    assert "10121" in codes
    normalised = [normalise(c) for c in codes]
    assert normalised[codes.index("10121")] == "010121"
    assert all(len(c) == 6 for c in normalised)
    assert len(set(normalised)) == len(codes)
