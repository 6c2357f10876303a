"""Territories and dependencies: the sovereign state that holds their traffic rights.

airportsdata places each airport in an ISO 3166-1 entry, and many entries are not states:
Réunion (``REU``), Mayotte (``MYT``), Greenland (``GRL``), Puerto Rico (``PRI``) ... Traffic
rights belong to the state whose territory the airport is in (Chicago Convention, Article
2), so a flight Réunion → Mayotte is inside France: domestic for a French carrier, cabotage
for any other. The packaged table ``territories.toml`` maps each such entry to its
sovereign, with the source of each line (ISO 3166-1/-2, the UN list of Non-Self-Governing
Territories, the CIA World Factbook's dependency status) and the cases kept apart on
purpose: Hong Kong and Macao conclude their own air services agreements and stay ``HKG``
and ``MAC``; Taiwan, the Cook Islands and Niue stay themselves; disputed entries are not
mapped. See docs/air.md, "Territories".
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

__all__ = ["Territory", "sovereign_state", "territories", "territory"]


@dataclass(frozen=True, slots=True)
class Territory:
    """One ISO 3166-1 entry that is not a state for traffic rights.

    Attributes
    ----------
    iso2, iso3
        Its ISO 3166-1 alpha-2 and alpha-3 codes (``"RE"``, ``"REU"``).
    name
        Its English short name (``"Réunion"``).
    sovereign
        ISO3 of the state whose territory it is for traffic rights (``"FRA"``).
    status
        Its constitutional status in words (``"overseas department and region"``).
    source
        Where the mapping comes from (``ISO 3166-1 (not independent); ISO 3166-2:FR``;
        ``un-nsgt`` is the UN list of Non-Self-Governing Territories, ``factbook`` the CIA
        World Factbook's dependency status).
    """

    iso2: str
    iso3: str
    name: str
    sovereign: str
    status: str
    source: str


@functools.cache
def territories() -> dict[str, Territory]:
    """Every mapped territory by its ISO3 code (the packaged ``territories.toml``)."""
    text = resources.files("bilat.air").joinpath("territories.toml").read_text("utf-8")
    rows = tomllib.loads(text)["territory"]
    return {r["iso3"]: Territory(**r) for r in rows}


def territory(iso3: str) -> Territory | None:
    """The :class:`Territory` of an ISO3 code, or ``None`` for a state (or an unmapped code)."""
    return territories().get(iso3.strip().upper())


def sovereign_state(iso3: str) -> str:
    """The state (ISO3) that holds the traffic rights of ``iso3``: itself unless a territory.

    Examples
    --------
    >>> sovereign_state("REU"), sovereign_state("GRL"), sovereign_state("HKG")
    ('FRA', 'DNK', 'HKG')
    """
    t = territory(iso3)
    return t.sovereign if t is not None else iso3.strip().upper()
