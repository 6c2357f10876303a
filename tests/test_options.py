"""The one vocabulary check and the one way to type years and dyads (bilat.options)."""

from __future__ import annotations

import pytest

from bilat.errors import InputError
from bilat.options import (
    FlowDirection,
    Level,
    Status,
    choice,
    parse_dyad,
    parse_year_list,
    parse_years,
)


def test_choice_normalises_text_and_digits():
    assert choice(FlowDirection, " Export ", "flow") == "export"
    assert choice(Status, "In progress", "status") == "in_progress"
    assert choice(Status, "in-progress", "status") == "in_progress"
    assert choice(Level, "4", "level") == 4
    assert choice(Level, 6, "level") == 6


@pytest.mark.parametrize(
    ("alias", "value", "message"),
    [
        (Level, 5, "level must be one of 2, 4, 6, not 5"),
        (Level, True, "level must be one of 2, 4, 6, not True"),
        (FlowDirection, "both", "flow must be one of export, import, not 'both'"),
    ],
)
def test_choice_lists_the_allowed_values(alias, value, message):
    with pytest.raises(InputError) as info:
        choice(alias, value, message.split()[0])
    assert info.value.message == message
    assert info.value.details["expected"] == list(alias.__args__)


def test_years_one_way():
    assert parse_years("2017-2023") == (2017, 2023)
    assert parse_years("2021") == (2021, 2021)
    assert parse_year_list("2019, 2017-2018") == (2017, 2018, 2019)
    with pytest.raises(InputError, match="empty range"):
        parse_years("2023-2017")
    with pytest.raises(InputError, match="not 'last year'"):
        parse_year_list("last year")
    with pytest.raises(InputError, match="a year or a range"):
        parse_years("2017-2019-2021")


def test_dyads_one_way():
    assert parse_dyad("deu,fra") == ("DEU", "FRA")
    assert parse_dyad("BLR-KAZ") == ("BLR", "KAZ")
    with pytest.raises(InputError, match="two country codes"):
        parse_dyad("DEU")
