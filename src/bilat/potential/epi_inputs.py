"""The user's files of the export-potential method: market growth and applied tariffs.

Market growth (``market_growth=``, CLI ``--market-growth``), a CSV with a header::

    market,gdp_growth,population_growth
    KAZ,0.045,0.013

``market`` a country (ISO3 or a name :func:`bilat.codes.to_iso3` reads), ``gdp_growth`` and
``population_growth`` average annual rates over the projection horizon (0.045 = 4.5 %, real
GDP), each finite and above -1. One row per market; other columns are ignored.

Applied tariffs (``tariffs=``, CLI ``--tariffs``), a CSV with a header::

    market,product,partner,tariff
    KAZ,870190,BLR,0
    KAZ,870190,DEU,5

``tariff`` the ad valorem applied tariff in percent (5 = 5 %), finite and >= 0, that
``market`` applies to ``product`` (HS code of the level of the analysis) from ``partner``.
One row per (market, product, partner).

Errors name the file, the line (1-based, header = line 1), the column, the value found and
what was expected (:class:`bilat.errors.ParseError`; CLI exit 2).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bilat.codes.countries import to_iso3
from bilat.errors import InputError, ParseError

__all__ = [
    "DEFAULT_INCOME_ELASTICITY",
    "DEFAULT_POPULATION_ELASTICITY",
    "DEFAULT_TARIFF_ELASTICITY",
    "GROWTH_COLUMNS",
    "TARIFF_COLUMNS",
    "MarketGrowth",
    "country_code",
    "demand_factor",
    "read_market_growth",
    "read_tariffs",
]

#: Elasticity of import demand to income per head. 1: the structural gravity model's unit
#: expenditure elasticity (Anderson & van Wincoop 2003; Yotov et al. 2016, ch. 1), i.e.
#: a market's imports grow with its spending. ITC estimates product-specific values; pass
#: ``income_elasticity=`` to use one of your own.
DEFAULT_INCOME_ELASTICITY = 1.0
#: Elasticity of import demand to population, 1 for the same reason (GDP = income per head
#: × population, so with both at 1 demand grows with GDP).
DEFAULT_POPULATION_ELASTICITY = 1.0
#: Elasticity of trade to the tariff factor ``(1 + t)``: 5, about the median of the
#: tariff-based estimates in gravity equations surveyed by Head & Mayer (2014, Handbook of
#: International Economics vol. 4, table 5). ITC uses GTAP's product elasticities.
DEFAULT_TARIFF_ELASTICITY = 5.0

GROWTH_COLUMNS = ("market", "gdp_growth", "population_growth")
TARIFF_COLUMNS = ("market", "product", "partner", "tariff")
_CODE = re.compile(r"[A-Z_][A-Z0-9_]{2}")


@dataclass(frozen=True, slots=True)
class MarketGrowth:
    """Average annual growth rates of one market over the horizon."""

    gdp: float
    population: float


def demand_factor(
    g: MarketGrowth, horizon: int, income_elasticity: float, population_elasticity: float
) -> float:
    """Projected demand over base-year demand after ``horizon`` years::

    ((1 + g_gdp) / (1 + g_pop)) ** (e_y · H) · (1 + g_pop) ** (e_n · H)

    income per head grows at ``(1 + g_gdp) / (1 + g_pop) − 1`` a year.
    """
    per_head = (1.0 + g.gdp) / (1.0 + g.population)
    return float(
        per_head ** (income_elasticity * horizon)
        * (1.0 + g.population) ** (population_elasticity * horizon)
    )


def country_code(value: str) -> str:
    """A country as the data writes it: a 3-character code passes as it is (upper-cased;
    Comtrade areas such as ``W00`` included); a name is converted with
    :func:`bilat.codes.to_iso3`."""
    text = value.strip().upper()
    if _CODE.fullmatch(text):
        return text
    return to_iso3(value)


def _rows(path: Path, columns: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise ParseError(
                    f"the {what} has no column {missing[0]!r}",
                    path=path,
                    line=1,
                    column=missing[0],
                    value=",".join(header) or "(empty)",
                    expected="a header with " + ", ".join(columns),
                )
            return [(i, dict(r)) for i, r in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"cannot read the {what}: {exc}", path=path) from None


def _number(
    path: Path, line: int, column: str, text: str | None, ok: Callable[[float], bool], expected: str
) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not ok(value):
        raise ParseError(
            "not a valid number",
            path=path,
            line=line,
            column=column,
            value=text or "(empty)",
            expected=expected,
        )
    return value


def _country(path: Path, line: int, column: str, text: str | None) -> str:
    try:
        return country_code(text or "")
    except InputError:
        raise ParseError(
            "not a country",
            path=path,
            line=line,
            column=column,
            value=text or "(empty)",
            expected="an ISO3 code or a country name",
        ) from None


def _plausible(rate: float) -> bool:
    """An annual growth rate a projection can use: a rate written as a percent (4.5 for
    4.5 %) would multiply demand by 166 over three years, so |rate| > 0.5 is refused."""
    return -0.5 <= rate <= 0.5


def read_market_growth(path: str | Path) -> dict[str, MarketGrowth]:
    """The market-growth CSV (module docstring) as ``{ISO3: MarketGrowth}``."""
    p = Path(path)
    out: dict[str, MarketGrowth] = {}
    rate = "an annual rate between -0.5 and 0.5 (0.03 = 3 %; 4.5 would be 450 % a year)"
    for line, r in _rows(p, GROWTH_COLUMNS, "market-growth file"):
        market = _country(p, line, "market", r.get("market"))
        if market in out:
            raise ParseError(
                "the market appears twice",
                path=p,
                line=line,
                column="market",
                value=market,
                expected="one row per market",
            )
        gdp = _number(p, line, "gdp_growth", r.get("gdp_growth"), _plausible, rate)
        pop = _number(p, line, "population_growth", r.get("population_growth"), _plausible, rate)
        out[market] = MarketGrowth(gdp, pop)
    if not out:
        raise ParseError("the market-growth file has no rows", path=p, line=2)
    return out


def read_tariffs(path: str | Path, *, level: int) -> pd.DataFrame:
    """The tariff CSV (module docstring): ``market, product, partner, tariff`` (percent)."""
    p = Path(path)
    rows: dict[tuple[str, str, str], float] = {}
    for line, r in _rows(p, TARIFF_COLUMNS, "tariff file"):
        market = _country(p, line, "market", r.get("market"))
        partner = _country(p, line, "partner", r.get("partner"))
        product = (r.get("product") or "").strip()
        if len(product) != level or not product.isdigit():
            raise ParseError(
                "not a product code of the level asked",
                path=p,
                line=line,
                column="product",
                value=product or "(empty)",
                expected=f"an HS code of {level} digits",
            )
        key = (market, product, partner)
        if key in rows:
            raise ParseError(
                "the (market, product, partner) appears twice",
                path=p,
                line=line,
                column="partner",
                value=partner,
                expected="one row per triple",
            )
        rows[key] = _number(
            p,
            line,
            "tariff",
            r.get("tariff"),
            lambda v: v >= 0,
            "a tariff in percent, >= 0 (5 = 5 %)",
        )
    if not rows:
        raise ParseError("the tariff file has no rows", path=p, line=2)
    keys = list(rows)
    return pd.DataFrame(
        {
            "t_market": [k[0] for k in keys],
            "t_product": [k[1] for k in keys],
            "t_partner": [k[2] for k in keys],
            "tariff": list(rows.values()),
        }
    )
