"""The CLI writes numbers the one way (issue 19, item 3): through :mod:`bilat.formats`.

Tables print years as labels (``2018``, never ``2,018``, also when a year arrives as a float),
US-dollar columns as money (``$22.7M``), counts grouped, nothing as ``—``; counted nouns say
``1 item`` and ``3 items``. The cases below are the ones the issue found wrong.
"""

from __future__ import annotations

import pytest

from bilat.cli import _common
from bilat.cli._common import count, print_table


@pytest.mark.parametrize(
    ("value", "plain", "money", "shown"),
    [
        (2018, True, False, "2018"),
        (2018.0, True, False, "2018"),
        (2018, False, False, "2,018"),  # a count of 2,018 things is a quantity
        (22_699_686.0, False, True, "$22.7M"),
        (414.0, False, False, "414"),
        (0.3149, False, False, "0.31"),
        (1_492_430.56, False, False, "1,492,431"),
        (None, False, True, "—"),
        (float("nan"), False, False, "—"),
        ("HS 87", False, False, "HS 87"),
    ],
)
def test_a_cell_goes_through_the_formatter(
    value: object, plain: bool, money: bool, shown: str
) -> None:
    assert _common._fmt(value, plain=plain, money=money) == shown


@pytest.mark.parametrize(
    ("value", "percent", "shown"),
    [
        (24.18, "share", "24.2%"),
        (83.82, "signed", "+83.8%"),
        (-2.01, "signed", "-2.0%"),
        (0.054, "share", "0.054%"),  # small, never 0
        (None, "signed", "—"),
    ],
)
def test_a_percent_cell(value: float | None, percent: str, shown: str) -> None:
    assert _common._fmt(value, percent=percent) == shown


@pytest.mark.parametrize(
    ("column", "is_year", "is_money", "percent"),
    [
        ("year", True, False, None),
        ("first_year", True, False, None),
        ("value_usd", False, True, None),
        ("gap (USD)", False, True, None),
        ("share_pct", False, False, "share"),
        ("supply %", False, False, "share"),
        ("growth_pct", False, False, "signed"),
        ("gdp_change_pct", False, False, "signed"),
        ("rows", False, False, None),
        ("usda_code", False, False, None),
    ],
)
def test_columns_say_what_they_hold(
    column: str, is_year: bool, is_money: bool, percent: str | None
) -> None:
    got = (_common._is_year(column), _common._is_money(column), _common._percent_kind(column))
    assert got == (is_year, is_money, percent)


def test_a_table_prints_years_as_labels_and_money_one_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [
        {"year": 2018, "value_usd": 22_699_686.0, "rows": 12_345, "share_pct": 31.24},
        {"year": 2019, "value_usd": None, "rows": 1, "share_pct": 0.5},
    ]
    print_table(rows, title="Turnover")
    out = capsys.readouterr().out
    assert "2018" in out and "2,018" not in out
    assert "$22.7M" in out and "22,699,686" not in out
    assert "12,345" in out and "31.2%" in out and "0.5%" in out
    assert "—" in out  # the missing value, never 0
    assert "$0" not in out
    # numbers stay right-aligned: in each column the figures end at the same place
    first, second = (x.split("│") for x in out.splitlines() if x.startswith("│ 201"))
    for a, b in zip(first[1:-1], second[1:-1], strict=True):
        assert len(a.rstrip()) == len(b.rstrip()), (a, b)
    assert second[3].strip() == "1" and second[2].strip() == "—"


@pytest.mark.parametrize(
    ("n", "noun", "plural", "shown"),
    [
        (1, "item", None, "1 item"),
        (3, "item", None, "3 items"),
        (0, "item", None, "0 items"),
        (1_200, "flow", None, "1,200 flows"),
        (2, "IATI activity", "IATI activities", "2 IATI activities"),
    ],
)
def test_counted_nouns(n: int, noun: str, plural: str | None, shown: str) -> None:
    assert count(n, noun, plural) == shown


def test_a_table_names_money_columns_its_names_do_not_say(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = [{"product": "640411", "potential": 1_055_360.4, "untapped": 984_791.0, "ease": 0.46}]
    print_table(rows, money=("potential", "untapped"))
    out = capsys.readouterr().out
    assert "$1.1M" in out and "$984.8K" in out
    assert "1,055,360" not in out and "0.46" in out and "$0.46" not in out
