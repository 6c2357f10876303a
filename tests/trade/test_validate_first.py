"""Bad arguments fail before any lake query (issue 12).

The lake here has an unreadable manifest: any read of it raises the manifest error. So a call
that raises ``InputError`` about its argument instead has provably not read the lake, and the
control calls (good arguments, same lake) show that a read would have failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bilat.errors import BilatError, InputError
from bilat.lake import Lake
from bilat.trade import Dyad

BROKEN = "cannot be read"


@pytest.fixture
def broken_lake(tmp_path: Path) -> Lake:
    lake = Lake.open(tmp_path / "lake", create=True)
    (lake.root / "manifest.json").write_text("{ not json", "utf-8")
    return lake


DYAD_BAD: dict[str, tuple[Callable[[Dyad], Any], str]] = {
    "summary-year": (lambda d: d.summary(1800), "year must be"),
    "series-range": (lambda d: d.series(2021, 2019), "empty range"),
    "series-year": (lambda d: d.series(1800, 2021), "start must be"),
    "products-year": (lambda d: d.products(1800), "year must be"),
    "products-level": (lambda d: d.products(2021, level=5), "level must be one of 2, 4, 6"),
    "products-top": (lambda d: d.products(2021, top=0), "top must be"),
    "products-flow": (lambda d: d.products(2021, flow="sideways"), "flow must be"),
    "baskets-year": (lambda d: d.baskets(1800, 2021), "start must be"),
    "baskets-flow": (lambda d: d.baskets(2019, 2021, flow="x"), "flow must be"),
    "baskets-name": (lambda d: d.baskets(2019, 2021, names=["no-such"]), "unknown basket"),
    "events-year": (lambda d: d.events(1800), "year must be"),
    "events-level": (lambda d: d.events(2021, level=3), "level must be one of 2, 4, 6"),
    "events-flow": (lambda d: d.events(2021, flow="x"), "flow must be"),
    "events-min": (lambda d: d.events(2021, min_value_usd=-1), "min_value_usd"),
    "partners-side": (lambda d: d.partners(2021, side="c"), "side must be"),
    "partners-flow": (lambda d: d.partners(2021, flow="x"), "flow must be"),
    "partners-year": (lambda d: d.partners(1800), "year must be"),
    "partners-top": (lambda d: d.partners(2021, top=0), "top must be"),
    "concentration-level": (
        lambda d: d.concentration(2021, level=1),
        "level must be one of 2, 4, 6",
    ),
    "concentration-flow": (lambda d: d.concentration(2021, flow="x"), "flow must be"),
    "rca-year": (lambda d: d.rca(1800), "year must be"),
    "rca-level": (lambda d: d.rca(2021, level=5), "level must be one of 2, 4, 6"),
    "complementarity-level": (
        lambda d: d.complementarity(2021, level=5),
        "level must be one of 2, 4, 6",
    ),
    "intensity-year": (lambda d: d.intensity(1800), "year must be"),
    "mirror-range": (lambda d: d.mirror(2021, 2019), "empty range"),
    "mirror-level": (lambda d: d.mirror(2019, 2021, level=3), "level must be"),
}

DYAD_GOOD: dict[str, Callable[[Dyad], Any]] = {
    "summary": lambda d: d.summary(2021),
    "series": lambda d: d.series(2019, 2021),
    "products": lambda d: d.products(2021),
    "baskets": lambda d: d.baskets(2019, 2021),
    "events": lambda d: d.events(2021),
    "partners": lambda d: d.partners(2021),
    "concentration": lambda d: d.concentration(2021),
    "rca": lambda d: d.rca(2021),
    "complementarity": lambda d: d.complementarity(2021),
    "intensity": lambda d: d.intensity(2021),
    "mirror": lambda d: d.mirror(2019, 2021),
}


@pytest.mark.parametrize("name", sorted(DYAD_BAD))
def test_dyad_bad_argument_fails_before_reading(broken_lake: Lake, name: str) -> None:
    call, message = DYAD_BAD[name]
    with pytest.raises(InputError, match=message) as caught:
        call(Dyad(broken_lake, "BLR", "KAZ"))
    assert BROKEN not in caught.value.message


@pytest.mark.parametrize("name", sorted(DYAD_GOOD))
def test_dyad_good_arguments_do_read_the_lake(broken_lake: Lake, name: str) -> None:
    with pytest.raises(BilatError, match=BROKEN):
        DYAD_GOOD[name](Dyad(broken_lake, "BLR", "KAZ"))


def _potential(**kw: Any) -> Callable[[Lake], Any]:
    from bilat.potential import export_potential, market_potential

    args = {"year": 2021, **kw}
    if args.pop("market", True):
        return lambda lake: market_potential(lake, "BLR", "KAZ", **args)
    return lambda lake: export_potential(lake, "BLR", **args)


def _brief(**kw: Any) -> Callable[[Lake], Any]:
    from bilat.brief import build_briefing

    args = {"a": "BLR", "b": "KAZ", "year": 2021, **kw}
    return lambda lake: build_briefing(lake, args.pop("a"), args.pop("b"), **args)


def _claims(case: Any) -> Callable[[Lake], Any]:
    from bilat.claims import check_claims

    return lambda lake: check_claims(lake, case)


ENTRY_BAD: dict[str, tuple[Callable[[], Callable[[Lake], Any]], str]] = {
    "market-year": (lambda: _potential(year=1800), "year must be"),
    "market-level": (lambda: _potential(level=5), "level must be"),
    "market-horizon": (lambda: _potential(horizon=-1), "horizon"),
    "market-basis": (lambda: _potential(basis="guessed"), "basis must be"),
    "market-same": (lambda: _same_market(), "both BLR"),
    "export-year": (lambda: _potential(market=False, year="soon"), "year must be"),
    "export-growth": (lambda: _potential(market=False, demand_growth=-2.0), "growth"),
    "brief-year": (lambda: _brief(year=1800), "year must be"),
    "brief-country": (lambda: _brief(a="XXQ"), "XXQ"),
    "brief-as-of": (lambda: _brief(as_of="someday"), "someday"),
    "brief-case": (lambda: _brief(case="no-such-case"), "no-such-case"),
    "claims-case": (lambda: _claims("no-such-case"), "no-such-case"),
}


def _same_market() -> Callable[[Lake], Any]:
    from bilat.potential import market_potential

    return lambda lake: market_potential(lake, "BLR", "BLR", year=2021)


@pytest.mark.parametrize("name", sorted(ENTRY_BAD))
def test_entry_point_bad_argument_fails_before_reading(broken_lake: Lake, name: str) -> None:
    make, message = ENTRY_BAD[name]
    with pytest.raises(InputError, match=message) as caught:
        make()(broken_lake)
    assert BROKEN not in caught.value.message


@pytest.mark.parametrize(
    "call",
    [_potential(), _potential(market=False), _brief(), _claims("blr-kaz-2022")],
    ids=["market", "export", "brief", "claims"],
)
def test_entry_point_good_arguments_do_read_the_lake(
    broken_lake: Lake, call: Callable[[Lake], Any]
) -> None:
    with pytest.raises(BilatError, match=BROKEN):
        call(broken_lake)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trade", "summary", "BLR", "KAZ", "--year", "1800"], "year must be"),
        (
            ["trade", "products", "BLR", "KAZ", "--year", "2021", "--level", "5"],
            "'5' is not one of '2', '4', '6'",
        ),
        (["potential", "markets", "BLR", "--year", "2021", "--level", "5"], "level"),
        (["brief", "BLR", "KAZ", "--year", "1800"], "year must be"),
    ],
    ids=["summary", "products", "potential", "brief"],
)
def test_cli_bad_option_exits_2_before_reading(
    cli: Any, broken_lake: Lake, tmp_path: Path, args: list[str], message: str
) -> None:
    out = ["-o", str(tmp_path / "out")] if args[0] == "brief" else []
    r = cli(*args, "--lake", str(broken_lake.root), *out)
    assert r.exit_code == 2, r.stderr
    assert message in r.stderr and BROKEN not in r.stderr
