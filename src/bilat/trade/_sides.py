"""The two sides of a dyad: a country, or a named group of countries (EU27, EAEU).

A group trades as one: its members' flows are added up. Among a group's partners its own
members count each on its own ("the EU27's suppliers" are what EU members import, from
anywhere, members included); a dyad's two sides must not overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bilat.codes.countries import COMTRADE_AREAS, country_name, to_iso3
from bilat.errors import InputError

__all__ = ["AREAS", "GROUPS", "Side", "side"]

#: Country groups a side can name. EU27: the members since 1 February 2020 (UK left).
#: EAEU: the Eurasian Economic Union since 2015.
# fmt: off
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "EU27": (
        "European Union (27)",
        (
            "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC",
            "HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU",
            "SVK", "SVN", "SWE",
        ),
    ),
    "EAEU": ("Eurasian Economic Union", ("ARM", "BLR", "KAZ", "KGZ", "RUS")),
}
# fmt: on

#: Partner codes that are not countries (World, areas not elsewhere specified ...): never
#: ranked as partners and never counted in a partner total.
AREAS: tuple[str, ...] = tuple(sorted(COMTRADE_AREAS))


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a dyad.

    Attributes
    ----------
    code
        ISO3 code of a country, or a group name (``EU27``).
    name
        English name (``Belarus``, ``European Union (27)``).
    members
        ISO3 codes whose flows make up this side (the country itself for a country).
    """

    code: str
    name: str
    members: tuple[str, ...]


def side(value: str | Sequence[str], *, label: str | None = None) -> Side:
    """A :class:`Side` from a country (any form ``to_iso3`` reads), a group name, or members.

    >>> side("blr").members, side("EU27").code, side(["DEU", "FRA"], label="DE+FR").name
    (('BLR',), 'EU27', 'DE+FR')
    """
    if isinstance(value, str):
        key = value.strip().upper()
        if key in GROUPS:
            name, members = GROUPS[key]
            return Side(key, name, members)
        iso3 = to_iso3(value)
        if iso3 in COMTRADE_AREAS:
            raise InputError(
                f"{value!r} is a reporting area ({COMTRADE_AREAS[iso3]}), not a country; "
                "give a country code such as BLR or a group such as EU27",
                details={"value": str(value), "expected": "a country or group"},
            )
        return Side(iso3, country_name(iso3), (iso3,))
    members = tuple(dict.fromkeys(m for v in value for m in side(v).members))
    if not members:
        raise InputError(
            "a group of countries needs at least one member",
            details={"value": "[]", "expected": "one or more country codes"},
        )
    if len(members) == 1:
        return side(members[0])
    code = label or "+".join(members)
    return Side(code, label or code, members)
