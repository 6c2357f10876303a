"""Airports: IATA code → ICAO code, name, city, state (ISO3) and coordinates.

The table is ``airportsdata`` (IATA-keyed). Codes that were retired or renamed are kept as
aliases so that old schedules and route files still resolve (Astana was ``TSE`` until its
airport took the code ``NQZ`` in 2020; OpenFlights' 2014 snapshot still writes ``TSE``).

An airport's ``state`` is the state that holds its traffic rights: airportsdata's country
is kept as ``territory`` and mapped to its sovereign by :mod:`bilat.air.territories`
(Réunion's ``RUN`` is in territory ``REU``, state ``FRA``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from bilat.air.territories import sovereign_state, territory
from bilat.codes.countries import country_name, to_iso3
from bilat.errors import UnknownCodeError

__all__ = [
    "ALIASES",
    "Airport",
    "airport",
    "airport_label",
    "airports_of",
    "canonical_code",
    "great_circle_km",
    "is_airport",
    "territory_text",
]

#: Historic or alternative IATA codes → the code in use today.
ALIASES: dict[str, str] = {
    "TSE": "NQZ",  # Astana (Akmola/Tselinograd); NQZ since 2020
}

#: Mean Earth radius in km (IUGG), used for great-circle distances.
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Airport:
    """One airport.

    Attributes
    ----------
    iata
        IATA location code in use today (aliases resolved).
    icao
        ICAO location indicator (four letters), empty when airportsdata has none.
    name, city
        English names as airportsdata writes them.
    state
        ISO 3166 alpha-3 code of the state that holds the airport's traffic rights: the
        sovereign of a territory or dependency (``FRA`` for Réunion), see
        :mod:`bilat.air.territories`.
    lat, lon
        Coordinates in decimal degrees (WGS 84).
    territory
        ISO 3166-1 alpha-3 code of the entry airportsdata places the airport in (``REU``);
        equal to ``state`` for an airport of a state's own ISO entry.
    """

    iata: str
    icao: str
    name: str
    city: str
    state: str
    lat: float
    lon: float
    territory: str = ""

    @property
    def in_territory(self) -> bool:
        """Whether the airport is in a territory or dependency of its state."""
        return bool(self.territory) and self.territory != self.state


@functools.cache
def _table() -> dict[str, Airport]:
    import airportsdata

    raw = airportsdata.load("IATA")
    iso3: dict[str, str] = {}
    out: dict[str, Airport] = {}
    for code, rec in raw.items():
        iso2 = str(rec["country"])
        if iso2 not in iso3:
            try:
                iso3[iso2] = to_iso3(iso2)
            except UnknownCodeError:
                iso3[iso2] = ""
        if not iso3[iso2]:
            continue
        out[code] = Airport(
            iata=code,
            icao=str(rec.get("icao") or ""),
            name=str(rec["name"]),
            city=str(rec.get("city") or ""),
            state=sovereign_state(iso3[iso2]),
            lat=float(rec["lat"]),
            lon=float(rec["lon"]),
            territory=iso3[iso2],
        )
    return out


def canonical_code(code: str) -> str:
    """The IATA code in use today for ``code`` (upper-cased, aliases resolved)."""
    text = code.strip().upper()
    return ALIASES.get(text, text)


def is_airport(code: str) -> bool:
    """Whether ``code`` (or its alias) is a known IATA airport code."""
    return canonical_code(code) in _table()


def airport(code: str) -> Airport:
    """The :class:`Airport` for an IATA code or alias (``"TSE"`` gives Astana, ``NQZ``).

    Raises
    ------
    UnknownCodeError
        When the code is not in airportsdata; the message names the closest codes.
    """
    table = _table()
    canon = canonical_code(code)
    if canon in table:
        return table[canon]
    import difflib

    near = difflib.get_close_matches(canon, list(table), n=3)
    raise UnknownCodeError(
        f"Unknown airport code {code!r}: expected a three-letter IATA code"
        + (f"; closest known: {', '.join(near)}" if near else "")
        + ". Check the spelling or add an alias in bilat.air.airports.ALIASES.",
        details={"value": code, "expected": "IATA airport code", "closest": near},
    )


def airport_label(code: str) -> str:
    """``"RUN (Réunion, France)"`` for an airport in a territory, else the code alone.

    Unknown codes come back as given (the label is for text, never for a decision).
    """
    where = territory_text(code)
    return f"{canonical_code(code)} ({where})" if where else code


def territory_text(code: str) -> str:
    """``"Réunion, France"``: the territory and state of an airport in a territory, else ``""``."""
    if not is_airport(code):
        return ""
    a = airport(code)
    if not a.in_territory:
        return ""
    t = territory(a.territory)
    return f"{t.name if t is not None else a.territory}, {country_name(a.state)}"


@functools.cache
def airports_of(state: str) -> tuple[str, ...]:
    """Every IATA airport code of a state (ISO3), its territories' included, sorted."""
    return tuple(sorted(a.iata for a in _table().values() if a.state == state))


def great_circle_km(a: str, b: str) -> float:
    """Great-circle (haversine) distance in km between two airports given by IATA code."""
    x, y = airport(a), airport(b)
    p1, p2 = math.radians(x.lat), math.radians(y.lat)
    dp, dl = p2 - p1, math.radians(y.lon - x.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
