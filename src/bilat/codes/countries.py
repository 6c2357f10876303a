"""Countries: ISO 3166 alpha-3 inside, every other scheme converted here, once.

``country_converter`` supplies ISO numeric codes, names and name patterns. On top of it this
module knows CEPII BACI's own numeric codes (BACI groups some territories, e.g. 251 is France
with Monaco) and UN Comtrade's area codes (``W00`` world, ``_X`` areas not elsewhere
specified ...), which are kept as they are: they are partners in the data, not countries.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bilat.errors import UnknownCodeError

__all__ = [
    "BACI_QUIRKS",
    "COMTRADE_AREAS",
    "HISTORIC",
    "Country",
    "baci_table",
    "country",
    "country_name",
    "is_known",
    "iso3_codes",
    "iso3_from_numeric",
    "numeric_codes",
    "to_iso3",
]

#: BACI numeric codes that are not plain ISO 3166 numeric, with the ISO3 BACI itself gives
#: them (release tables V202301) or, where BACI writes ``N/A``, a user-assigned ``X..`` code.
BACI_QUIRKS: dict[int, str] = {
    58: "BEL",  # Belgium-Luxembourg (before 1999)
    200: "CSK",  # Czechoslovakia
    251: "FRA",  # France, Monaco
    278: "DDR",  # former German Democratic Republic
    280: "DEU",  # former Federal Republic of Germany
    490: "TWN",  # "Other Asia, nes" in UN statistics: Taiwan
    530: "ANT",  # Netherlands Antilles
    579: "NOR",  # Norway, Svalbard and Jan Mayen
    697: "XEN",  # Europe EFTA, not elsewhere specified (BACI: N/A)
    699: "IND",  # India
    711: "ZAF",  # Southern African Customs Union (BACI reports it as ZAF)
    736: "SDN",  # former Sudan
    757: "CHE",  # Switzerland, Liechtenstein
    810: "SUN",  # former USSR
    842: "USA",  # USA, Puerto Rico and US Virgin Islands
    849: "XUP",  # US Miscellaneous Pacific Islands (BACI: N/A)
    891: "SCG",  # Serbia and Montenegro
}

#: ISO3 codes of states that no longer exist but appear in historical trade data.
HISTORIC: dict[str, str] = {
    "ANT": "Netherlands Antilles",
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "SCG": "Serbia and Montenegro",
    "SUN": "USSR",
    "YUG": "Yugoslavia",
    "XEN": "Europe EFTA, not elsewhere specified",
    "XUP": "US Miscellaneous Pacific Islands",
}

#: UN Comtrade partner areas that are not countries (codes as the API writes them, stripped).
COMTRADE_AREAS: dict[str, str] = {
    "W00": "World",
    "_X": "Areas, not elsewhere specified",
    "X1": "Special categories",
    "XX": "Unspecified",
    "E19": "Europe, not elsewhere specified",
    "F19": "Africa, not elsewhere specified",
    "S19": "Asia, not elsewhere specified",
    "R4": "Caribbean, not elsewhere specified",
    "R91": "Northern Africa, not elsewhere specified",
    "Q18": "Oceania, not elsewhere specified",
    "Z19": "Rest of America, not elsewhere specified",
    "EUR": "European Union",
    "XZ": "Free zones",
    "XB": "Bunkers",
    "XH": "Neutral zone",
}


@dataclass(frozen=True, slots=True)
class Country:
    """One country as bilat knows it.

    Attributes
    ----------
    iso3
        ISO 3166-1 alpha-3 code, the only code used inside bilat.
    name
        Short English name (``country_converter``'s ``name_short``).
    iso_numeric
        ISO 3166-1 numeric code, or ``None`` for areas and historic groupings.
    """

    iso3: str
    name: str
    iso_numeric: int | None


@functools.cache
def _table() -> dict[str, Country]:
    import country_converter as coco

    data = coco.CountryConverter().data
    out: dict[str, Country] = {}
    for iso3, name, num in zip(data["ISO3"], data["name_short"], data["ISOnumeric"], strict=True):
        if not isinstance(iso3, str) or len(iso3) != 3:
            continue
        try:
            numeric = int(num)
        except (TypeError, ValueError):
            numeric = None
        out[iso3] = Country(iso3, str(name), numeric)
    for code, name in HISTORIC.items():
        out.setdefault(code, Country(code, name, None))
    return out


@functools.cache
def _numeric() -> dict[int, str]:
    return {c.iso_numeric: c.iso3 for c in _table().values() if c.iso_numeric is not None}


@functools.cache
def iso3_codes() -> frozenset[str]:
    """Every ISO3 code bilat knows: current countries and historic ones (``SUN``, ``YUG`` ...).

    Comtrade's areas (:data:`COMTRADE_AREAS`) are not among them.
    """
    return frozenset(_table())


def numeric_codes() -> dict[int, str]:
    """ISO 3166 numeric code → ISO3 (``112`` → ``"BLR"``); BACI's own codes are in :func:`baci_table`."""
    return dict(_numeric())


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    import country_converter as coco

    data = coco.CountryConverter().data
    return [
        (re.compile(str(rx), re.IGNORECASE), str(iso3))
        for rx, iso3 in zip(data["regex"], data["ISO3"], strict=True)
        if isinstance(rx, str) and isinstance(iso3, str)
    ]


def is_known(code: str) -> bool:
    """Whether ``code`` is a known ISO3 country, historic state or Comtrade area code."""
    return code in _table() or code in COMTRADE_AREAS


def _closest(value: str) -> list[str]:
    names = {c.name: c.iso3 for c in _table().values()}
    by_name = difflib.get_close_matches(value, list(names), n=3, cutoff=0.6)
    by_code = difflib.get_close_matches(value.upper(), list(_table()), n=3, cutoff=0.6)
    hits = [f"{names[n]} ({n})" for n in by_name] + [f"{c} ({_table()[c].name})" for c in by_code]
    return list(dict.fromkeys(hits))[:5]


def _unknown(value: object, scheme: str) -> UnknownCodeError:
    close = _closest(str(value))
    hint = f"; closest: {', '.join(close)}" if close else ""
    return UnknownCodeError(
        f"unknown country {value!r} ({scheme}){hint}. Use an ISO 3166 alpha-3 code such as BLR.",
        details={"value": str(value), "scheme": scheme, "closest": close},
    )


def iso3_from_numeric(code: int | str, *, baci: bool = False) -> str:
    """ISO3 for an ISO 3166 numeric code (M49 for countries is the same number).

    With ``baci=True`` BACI's own groupings (``BACI_QUIRKS``) are applied first.

    >>> iso3_from_numeric(112), iso3_from_numeric("398"), iso3_from_numeric(251, baci=True)
    ('BLR', 'KAZ', 'FRA')
    """
    try:
        num = int(code)
    except (TypeError, ValueError):
        raise _unknown(code, "ISO numeric") from None
    if baci and num in BACI_QUIRKS:
        return BACI_QUIRKS[num]
    iso3 = _numeric().get(num)
    if iso3 is None:
        raise _unknown(code, "BACI numeric" if baci else "ISO numeric")
    return iso3


def to_iso3(value: str | int) -> str:
    """Convert a country given as ISO3, ISO2, ISO numeric or English name to ISO3.

    Raises :class:`~bilat.errors.UnknownCodeError` naming the value and the closest matches.

    >>> to_iso3("blr"), to_iso3("Kazakhstan"), to_iso3(112)
    ('BLR', 'KAZ', 'BLR')
    """
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return iso3_from_numeric(value)
    text = value.strip()
    if text.upper() in _table() or text.upper() in COMTRADE_AREAS:
        return text.upper()
    if len(text) == 2:
        for c in _table().values():
            if _iso2().get(c.iso3) == text.upper():
                return c.iso3
    for rx, iso3 in _patterns():
        if rx.search(text):
            return iso3
    raise _unknown(value, "name or code")


@functools.cache
def _iso2() -> dict[str, str]:
    import country_converter as coco

    data = coco.CountryConverter().data
    return {
        str(i3): str(i2)
        for i3, i2 in zip(data["ISO3"], data["ISO2"], strict=True)
        if isinstance(i3, str) and isinstance(i2, str)
    }


def country(iso3: str) -> Country:
    """The :class:`Country` for an ISO3 code; unknown codes raise ``UnknownCodeError``."""
    code = iso3.strip().upper()
    if code in _table():
        return _table()[code]
    if code in COMTRADE_AREAS:
        return Country(code, COMTRADE_AREAS[code], None)
    raise _unknown(iso3, "ISO3")


def country_name(iso3: str) -> str:
    """Short name of a country or area code in the current language (:mod:`bilat.i18n`).

    English (the default) is ``country_converter``'s short name (``"BLR"`` → ``"Belarus"``);
    another language takes CLDR's territory name through Babel (``"Беларусь"``), falling back
    to the English name for areas CLDR does not name.
    """
    from bilat import i18n

    name = country(iso3).name
    lang = i18n.current()
    if lang == i18n.DEFAULT:
        return name
    return _cldr_name(lang, country(iso3).iso3) or name


@functools.cache
def _cldr_name(lang: str, iso3: str) -> str | None:
    from babel import Locale

    iso2 = _iso2().get(iso3)
    if iso2 is None:
        return None
    found: str | None = Locale.parse(lang).territories.get(iso2)
    return found


def baci_table(rows: Iterable[tuple[int, str]] | None = None) -> dict[int, str]:
    """BACI numeric code → ISO3.

    Without ``rows`` the mapping is built from ISO numeric codes plus :data:`BACI_QUIRKS`.
    With ``rows`` (``(country_code, iso_3digit_alpha)`` pairs from a release's own
    ``country_codes_*.csv``) the release's table wins, and its ``N/A`` entries fall back to
    the built-in quirks.
    """
    table = dict(_numeric())
    table.update(BACI_QUIRKS)
    if rows is not None:
        for num, iso3 in rows:
            code = iso3.strip().upper()
            if len(code) == 3 and code.isalpha():
                table[int(num)] = code
    return table
