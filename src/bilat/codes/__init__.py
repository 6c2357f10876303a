"""Codes: countries (ISO3 inside), the HS nomenclature and its revisions, and baskets."""

from __future__ import annotations

from bilat.codes.baskets import Basket, basket, load_baskets
from bilat.codes.concordance import (
    Concordance,
    ConversionReport,
    convert_flows,
    load_concordance,
)
from bilat.codes.countries import country, country_name, iso3_from_numeric, to_iso3
from bilat.codes.hs import describe, level, normalise

__all__ = [
    "Basket",
    "Concordance",
    "ConversionReport",
    "basket",
    "convert_flows",
    "country",
    "country_name",
    "describe",
    "iso3_from_numeric",
    "level",
    "load_baskets",
    "load_concordance",
    "normalise",
    "to_iso3",
]
