"""The one formatter (bilat.formats), in both languages, and the grep that keeps it the one."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest

from bilat import formats, i18n

NBSP = "\u00a0"


def _plain(s: str) -> str:
    """Babel writes no-break spaces (U+00A0, U+202F); compare with plain ones."""
    return s.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("v", "en", "ru"),
    [
        (22_700_000, "$22.7M", "22,7 млн $"),
        (1_234_000_000, "$1.23B", "1,23 млрд $"),
        (414, "$414", "414 $"),
        (0, "$0", "0 $"),
        (None, "—", "—"),
        (math.nan, "—", "—"),
    ],
)
def test_money_one_way(v: float | None, en: str, ru: str) -> None:
    assert _plain(formats.money(v)) == en
    with i18n.use("ru"):
        assert _plain(formats.money(v)) == ru


def test_numbers_no_trailing_zeros_and_grouping() -> None:
    assert formats.number(414.0) == "414"
    assert formats.number(0.3149) == "0.31"
    assert formats.number(1492.43) == "1,492.43"
    assert formats.integer(1234.4) == "1,234"
    with i18n.use("ru"):
        assert _plain(formats.number(1492.43)) == "1 492,43"


def test_percent_signed_and_small_values_not_zero() -> None:
    assert formats.percent(31.24) == "31.2%"
    assert formats.percent(31.24, signed=True) == "+31.2%"
    assert formats.percent(-4.0, signed=True) == "-4.0%"
    assert formats.percent(-0.054, signed=True) == "-0.054%"
    assert formats.percent(0.0) == "0.0%"
    with i18n.use("ru"):
        assert _plain(formats.percent(31.24)) == "31,2 %"


def test_years_are_labels_and_dates_follow_the_language() -> None:
    assert formats.year(2018) == "2018"
    assert formats.value(2018, "year") == "2018"
    assert formats.date(dt.date(2022, 6, 2)) == "Jun 2, 2022"
    with i18n.use("ru"):
        assert _plain(formats.date("2022-06-02")) == "2 июн. 2022 г."


def test_value_dispatches_on_unit() -> None:
    assert formats.value(22_700_000, "usd") == "$22.7M"
    assert formats.value(12.5, "pct") == "+12.5%"
    assert formats.value(2.5, "multiplier") == "×2.5"
    assert formats.value(3, "rank") == "3"
    assert formats.value(3500, "km") == "3,500 km"
    assert formats.value(None, "usd") == "—"
    assert formats.value("text", "label") == "text"


def test_vega_locale_follows_the_language() -> None:
    assert formats.vega_locale()["number"]["thousands"] == ","
    with i18n.use("ru"):
        loc = formats.vega_locale()["number"]
    assert loc["decimal"] == ","
    assert _plain(loc["thousands"]) == " "


# --- the grep: no front formats a number by itself ---------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "bilat"
FRONTS = ["cli", "web", "brief"]
AD_HOC = re.compile(
    r"""(
        :[<>^]?[+ ]?,?\.\d+[fge%]     # f-string / format spec with a precision: {x:,.2f} {x:.1%}
      | :,[d}]                        # {x:,} grouping by hand
      | (?<![-/:])%\.?\d*[fd]\b(?!\w)  # printf style: "%.1f" "%d" (not strftime's "%Y-%m-%d")
      | \bround\([^)]*\)\s*\}         # {round(x, 2)} in an f-string
    )""",
    re.VERBOSE,
)


def _offenders(front: str) -> list[str]:
    found = []
    if True:
        for path in sorted((SRC / front).rglob("*")):
            if path.suffix not in {".py", ".html", ".j2"}:
                continue
            for lineno, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0] if path.suffix == ".py" else line
                if AD_HOC.search(code) and "not-a-figure:" not in line:
                    found.append(f"{path.relative_to(SRC)}:{lineno}: {line.strip()}")
    return found


def test_the_grep_catches_ad_hoc_formats() -> None:
    for sample in ['f"{x:,.2f}"', 'f"{v:.1f}%"', '"%.1f" % v', 'f"{n:,}"', "f'{round(x, 2)}'"]:
        assert AD_HOC.search(sample), sample
    assert not AD_HOC.search('f"{name}: {formats.money(v)}"')
    assert not AD_HOC.search('v.strftime("%Y-%m-%d %H:%M")')  # a timestamp, not a figure


@pytest.mark.parametrize("front", FRONTS)
def test_no_front_formats_numbers_outside_bilat_formats(front: str) -> None:
    found = _offenders(front)
    assert not found, f"{len(found)} ad-hoc number formats in the fronts:\n" + "\n".join(found)
