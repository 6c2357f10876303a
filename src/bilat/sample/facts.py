"""Public facts the synthetic world follows: coastlines, export baskets, sizes of trade.

The generator stays a random gravity model; these facts only shape it (``docs/sample.md``,
"Facts the world follows", gives every source):

- :data:`LANDLOCKED`: countries with no sea coast. They export nothing of HS 0302-0308
  (fresh, chilled, frozen, dried fish, fillets, crustaceans, molluscs, other aquatic
  invertebrates): the sample draws no re-exports, so a landlocked country has no sea-fish
  trade to pass on.
- :data:`PROFILES`: for some countries, the HS headings their exports are known for, in
  rough order of value, and their total goods exports and imports in 2021 (rounded). The
  generator gives the documented headings a fixed share of the country's exports and sets the
  country's size so its expected exports and imports are its share of world trade.
- :data:`REAL_TURNOVER`: the one real bilateral figure the demo compares itself with.

No rule names one country (every profiled country gets the same treatment) and nothing here
is taken from a claim to shape the world: :data:`REAL_TURNOVER`, the statement the founding
case's first claim checks, is read only by :mod:`bilat.sample.reality` to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANCHOR_YEAR",
    "DEMO_COUNTRIES",
    "LANDLOCKED",
    "PROFILES",
    "REAL_TURNOVER",
    "SEA_FISH_HEADINGS",
    "WORLD_EXPORTS_USD",
    "CountryProfile",
    "RealFigure",
    "expand",
    "profile_codes",
]

#: The countries with no sea coast (coastline 0 km in the CIA World Factbook; the developing
#: ones are the UN-OHRLLS list of landlocked developing countries). CEPII GeoDist's
#: ``landlocked`` column agrees except that it marks Belarus, Moldova, Andorra and San Marino
#: 0 and has no row for Serbia, South Sudan, Liechtenstein or Kosovo; every country GeoDist
#: marks 1 is here (``tests/sample/test_sample_facts.py`` checks it against the file).
_LANDLOCKED_BY_CONTINENT = {
    "Africa": "BWA BFA BDI CAF TCD ETH LSO MWI MLI NER RWA SSD SWZ UGA ZMB ZWE",
    "Asia": "AFG ARM AZE BTN KAZ KGZ LAO MNG NPL TJK TKM UZB",  # the Caspian is a lake
    "Europe": "AND AUT BLR CZE HUN LIE LUX MKD MDA SMR SRB SVK CHE VAT XKX",
    "South America": "BOL PRY",
}
LANDLOCKED: frozenset[str] = frozenset(
    code for codes in _LANDLOCKED_BY_CONTINENT.values() for code in codes.split()
)

#: HS 2022 headings of sea fish and seafood a landlocked country cannot catch: 0302 fresh
#: fish, 0303 frozen fish, 0304 fillets, 0305 dried, salted, smoked fish, 0306 crustaceans,
#: 0307 molluscs, 0308 other aquatic invertebrates (sea cucumbers, sea urchins, jellyfish).
#: Live fish (0301, mostly fish farms and ornamental fish), fish meal (0309) and prepared
#: fish (1604, 1605), which can be made from imported fish, stay possible.
SEA_FISH_HEADINGS: tuple[str, ...] = ("0302", "0303", "0304", "0305", "0306", "0307", "0308")

#: The year of the profiles' totals, and the year the generator sets countries' sizes for.
ANCHOR_YEAR = 2021

#: World merchandise exports in 2021, US dollars (WTO, World Trade Statistical Review 2022:
#: US$ 22.3 trillion). A profiled country's share of world trade is its total over this.
WORLD_EXPORTS_USD = 22.3e12


@dataclass(frozen=True, slots=True)
class CountryProfile:
    """What the generator knows of one country's real trade.

    Attributes
    ----------
    exports_bn, imports_bn
        Goods exports and imports in :data:`ANCHOR_YEAR`, billions of US dollars, rounded to
        two significant figures: an order of magnitude, not a statistic to quote.
    headings
        HS codes (4-digit headings, 2-digit chapters, or a range ``"0401-0406"``) the
        country's exports are known for, largest first.
    """

    exports_bn: float
    imports_bn: float
    headings: tuple[str, ...]


def _p(exports: float, imports: float, headings: str) -> CountryProfile:
    return CountryProfile(exports, imports, tuple(headings.split()))


#: Export profiles: totals from the WTO's and the national statistics offices' 2021 figures
#: (Belstat for Belarus, the Bureau of National Statistics for Kazakhstan), headings from the
#: OEC and Atlas of Economic Complexity country profiles (UN Comtrade data). The demo's 40
#: countries are all here; see ``docs/sample.md`` for the reading of each.
PROFILES: dict[str, CountryProfile] = {
    "BLR": _p(40, 42, "2710 3104 8704 0401-0406 8701 0201-0210 4407 9403 4011 8433 7214"),
    "KAZ": _p(60, 41, "2709 7403 2844 7202 2711 1001 7901 2710 1101 7601 2601"),
    "RUS": _p(490, 300, "2709 2710 2711 7108 2701 7207 1001 7601 4407 7502 3102 7110"),
    "CHN": _p(3400, 2700, "8517 8471 8542 8473 9403 9503 8504 6110 8528 8541"),
    "UKR": _p(68, 73, "1005 1512 1001 2601 7207 1205 8544 4407"),
    "POL": _p(340, 340, "8708 9401 8703 0207 8528 2402 9403 8471"),
    "LTU": _p(39, 45, "2710 9403 3105 3102 1001 2402 9401"),
    "LVA": _p(20, 24, "4407 4401 8517 2710 1001 2208 4412"),
    "DEU": _p(1600, 1400, "8703 8708 3004 3002 8802 9018 8411 8481"),
    "NLD": _p(840, 760, "2710 8486 3004 8471 8517 0603 2711 9018"),
    "ITA": _p(610, 570, "3004 8708 8703 2710 8481 6403 4202 2204 7113"),
    "FRA": _p(590, 710, "8802 3004 8703 2204 3304 8411 2208 3303"),
    "GBR": _p(470, 690, "7108 8703 2709 3004 8411 2208 7110"),
    "USA": _p(1800, 2900, "2710 2709 2711 8802 8703 3002 8542 1201 9018 8411"),
    "TUR": _p(230, 270, "8703 8708 7108 2710 7113 7214 6109 0802"),
    "UZB": _p(15, 25, "7108 5205 2711 7403 3102 0806 5201"),
    "KGZ": _p(2.8, 5.6, "7108 2616 0713 6204"),
    "ARM": _p(3.0, 5.4, "2603 7108 2208 7202 2402 7102"),
    "AZE": _p(22, 11, "2709 2711 2710 0802 0810"),
    "TKM": _p(9, 5, "2711 2710 5201 3102 5205"),
    "MNG": _p(9, 7, "2701 2603 7108 2601 5102"),
    "IND": _p(400, 570, "2710 7102 3004 7113 1006 0306 8703 7208"),
    "JPN": _p(760, 770, "8703 8542 8708 8486 7208 8429 9018"),
    "KOR": _p(640, 620, "8542 8703 2710 8901 8708 3901 8517"),
    "CHE": _p(380, 320, "7108 3004 3002 9102 2937 9018"),
    "BEL": _p(550, 510, "3004 3002 2710 8703 7102 2933"),
    "ESP": _p(390, 420, "8703 3004 2710 0203 0805 8708 1509 2204"),
    "CZE": _p(230, 210, "8703 8708 8471 8517 8544 8528"),
    "FIN": _p(81, 86, "4810 4703 7219 2710 4407 4802"),
    "NOR": _p(160, 100, "2711 2709 0302 0304 7601 2710 7502"),
    "BRA": _p(280, 235, "2601 1201 2709 0202 1701 2304 0207 0901 4703"),
    "AUS": _p(340, 260, "2601 2701 2711 7108 1001 0202 2606"),
    "CAN": _p(500, 500, "2709 8703 2711 7108 4407 4703 1001 7601 3104"),
    "MYS": _p(300, 240, "8542 2710 1511 2711 8471 4015 8541"),
    "VNM": _p(340, 330, "8517 8542 8471 6403 9403 6110 8541"),
    "SAU": _p(290, 150, "2709 2710 3901 2711 2905 3902"),
    "ZAF": _p(120, 95, "7110 7108 2601 2701 8703 7202 0805"),
    "EST": _p(22, 24, "2710 8517 4407 9406 4401 9403"),
    "MDA": _p(3.1, 7.2, "1512 1001 1005 8544 1205 2204 0802"),
    "SRB": _p(26, 35, "8544 4011 1005 7403 2402 7207"),
    "GEO": _p(4.2, 10, "2603 8703 7202 2204 0802 2201"),
}

#: The demo world: the founding dyad; its main trade partners in 2021 (Russia, China,
#: Ukraine, Poland, Lithuania, Germany, the Netherlands, Turkey, Uzbekistan, Italy, Korea,
#: France, Kyrgyzstan: each among the ten largest partners of Belarus or of Kazakhstan in
#: Belstat's and the Bureau of National Statistics' 2021 tables); and the neighbours of the
#: region. All are profiled. Kept to 24 so the demo stays under a minute: the large
#: economies trade in most products with each other.
DEMO_COUNTRIES: tuple[str, ...] = tuple(sorted((
    "BLR", "KAZ", "RUS", "CHN", "UKR", "POL", "LTU", "DEU", "NLD", "TUR", "UZB", "ITA",
    "KOR", "FRA", "KGZ", "ARM", "AZE", "GEO", "LVA", "EST", "FIN", "MDA", "MNG", "TKM",
)))  # fmt: skip


def expand(code: str) -> tuple[str, ...]:
    """A profile code as HS prefixes: ``"0401-0406"`` is the six headings, others themselves."""
    if "-" not in code:
        return (code,)
    lo, hi = code.split("-")
    return tuple(f"{n:0{len(lo)}d}" for n in range(int(lo), int(hi) + 1))


def profile_codes() -> tuple[str, ...]:
    """Every HS code of every profile (for presets that must hold them), sorted, unique."""
    return tuple(sorted({c for p in PROFILES.values() for h in p.headings for c in expand(h)}))


@dataclass(frozen=True, slots=True)
class RealFigure:
    """A real published bilateral figure the demo compares its synthetic one with.

    Attributes
    ----------
    a, b
        The dyad (ISO3).
    year
        The year it describes.
    value_usd
        The figure, US dollars; with ``bound="more than"`` a floor the source gives.
    bound
        ``"more than"`` when the source says "exceeded", ``""`` for a plain figure.
    source
        Who published it, where and when.
    phrase
        The source's own words for it (a test finds them in the shared copy of the source).
    """

    a: str
    b: str
    year: int
    value_usd: float
    bound: str
    source: str
    phrase: str


#: Belarus-Kazakhstan goods turnover in 2021: "exceeded one billion dollars, an increase of
#: almost one third", as the Belarusian side reported after the intergovernmental
#: commission's meeting in Nur-Sultan on 9 June 2022 (the report this project grew from).
REAL_TURNOVER = RealFigure(
    a="BLR",
    b="KAZ",
    year=2021,
    value_usd=1.0e9,
    bound="more than",
    source="report of the Belarus-Kazakhstan intergovernmental commission, 9 June 2022",
    phrase="trade turnover in 2021 exceeded one billion dollars",
)
