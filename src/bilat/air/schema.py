"""The JSON Schema of an air services agreement file (YAML), versions ``bilat-air/1`` and ``/2``.

``bilat-air/2`` adds the clause families ICAO's WASA and the WTO's QUASAR code beyond rights,
points, designation and caps: ``tariffs``, ``capacity``, ``withholding`` (ownership and
control), ``statistics``, ``cooperative_arrangements`` and ``charter``. Each is optional
(absent: *not coded*) and carries its provenance. A ``bilat-air/1`` file reads unchanged; a
``/1`` file that uses a ``/2`` key is refused, naming the key (see
:data:`V2_KEYS`), so that a file never claims a version that does not describe it.

Written as a Python dict so that it is importable, testable and shown by ``docs/air.md``.
A *point set* is one of ``{any: true}``, ``{state: ISO3}``, ``{states: [...]}`` or
``{airports: [IATA, ...]}`` (airports and states may be combined).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AGREEMENT_SCHEMA",
    "CAPACITY_REGIMES",
    "SCHEMA_ID",
    "SCHEMA_IDS",
    "TARIFF_REGIMES",
    "V2_KEYS",
    "WITHHOLDING_CRITERIA",
]

#: The newest version, written by new files.
SCHEMA_ID = "bilat-air/2"
#: Every version bilat reads.
SCHEMA_IDS = ("bilat-air/1", "bilat-air/2")

#: Tariff (pricing) regimes as WASA/QUASAR code them, from most to least restrictive.
TARIFF_REGIMES = (
    "double_approval",
    "country_of_origin",
    "double_disapproval",
    "zone_pricing",
    "free_pricing",
)
#: Capacity regimes, from most to least restrictive.
CAPACITY_REGIMES = ("predetermination", "other_restrictive", "bermuda_i", "free_determination")
#: Withholding criteria (which airlines a party may designate), most to least restrictive.
WITHHOLDING_CRITERIA = (
    "substantial_ownership_effective_control",
    "community_of_interest",
    "principal_place_of_business",
)

_ISO3 = {"type": "string", "pattern": "^[A-Z]{3}$"}
_IATA_AIRPORT = {"type": "string", "pattern": "^[A-Za-z]{3}$"}
_DATE = {"type": ["string", "null"], "format": "date"}

_PROVENANCE: dict[str, Any] = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": ["treaty", "public-report", "assumption", "hypothetical"]},
        "article": {"type": "string"},
        "source": {"type": "string"},
        "date": {"type": ["string", "null"]},
        "note": {"type": "string"},
    },
}

_POINTS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "any": {"type": "boolean"},
        "state": _ISO3,
        "states": {"type": "array", "items": _ISO3},
        "airports": {"type": "array", "items": _IATA_AIRPORT, "minItems": 1},
    },
}

_ROUTE_SCHEDULE: dict[str, Any] = {
    "type": "object",
    "required": ["home", "destination", "provenance"],
    "additionalProperties": False,
    "properties": {
        "home": _POINTS,
        "intermediate": {"oneOf": [_POINTS, {"type": "null"}]},
        "destination": _POINTS,
        "beyond": {"oneOf": [_POINTS, {"type": "null"}]},
        "provenance": _PROVENANCE,
    },
}

_RIGHT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "party", "freedoms", "provenance"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "party": _ISO3,
        "freedoms": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 9},
            "minItems": 1,
        },
        "from": _POINTS,
        "to": _POINTS,
        "note": {"type": "string"},
        "provenance": _PROVENANCE,
    },
}

_POINT_CLAUSE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "party", "points", "provenance"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "party": _ISO3,
        "points": _POINTS,
        "local_traffic": {"type": "boolean"},
        "provenance": _PROVENANCE,
    },
}

_CAP: dict[str, Any] = {
    "type": "object",
    "required": ["id", "scope", "weekly", "provenance"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string"},
        "scope": {"enum": ["city_pair", "country_pair", "party", "carrier"]},
        "applies_to": {"type": "string", "pattern": "^([A-Z]{3}|each|combined)$"},
        "carrier": {"type": "string", "pattern": "^[A-Z0-9]{2}$"},
        "city_pair": {"type": "array", "items": _IATA_AIRPORT, "minItems": 2, "maxItems": 2},
        "weekly": {"type": "integer", "minimum": 0},
        "previous": {"type": ["integer", "null"], "minimum": 0},
        "valid_from": _DATE,
        "valid_to": _DATE,
        "provenance": _PROVENANCE,
    },
}


def _regime(key: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key, "provenance"],
        "additionalProperties": False,
        "properties": {key: values, "note": {"type": "string"}, "provenance": _PROVENANCE},
    }


_BOOL = {"type": "boolean"}
_COOPERATION = _regime("allowed", _BOOL)
_COOPERATION["properties"]["kinds"] = {
    "type": "array",
    "items": {"enum": ["code_share", "blocked_space", "wet_lease", "joint_venture"]},
    "uniqueItems": True,
}

#: The clause families of ``bilat-air/2``: the key in the file, and its schema.
V2_CLAUSES: dict[str, dict[str, Any]] = {
    "tariffs": _regime("regime", {"enum": list(TARIFF_REGIMES)}),
    "capacity": _regime("regime", {"enum": list(CAPACITY_REGIMES)}),
    "withholding": _regime("criterion", {"enum": list(WITHHOLDING_CRITERIA)}),
    "statistics": _regime("exchange", _BOOL),
    "cooperative_arrangements": _COOPERATION,
    "charter": _regime("allowed", _BOOL),
}
#: Keys a ``bilat-air/1`` file may not use.
V2_KEYS = tuple(V2_CLAUSES)

AGREEMENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "bilat air services agreement",
    "type": "object",
    "required": [
        "schema",
        "id",
        "parties",
        "designation",
        "route_schedules",
        "rights",
        "provenance",
    ],
    "additionalProperties": False,
    "properties": {
        "schema": {"enum": list(SCHEMA_IDS)},
        "id": {"type": "string"},
        "title": {"type": "string"},
        "parties": {"type": "array", "items": _ISO3, "minItems": 2, "maxItems": 2},
        "signed": _DATE,
        "effective": _DATE,
        "provenance": _PROVENANCE,
        "designation": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["mode", "carriers"],
                "additionalProperties": False,
                "properties": {
                    "mode": {"enum": ["single", "multiple"]},
                    "carriers": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["iata", "name"],
                            "additionalProperties": False,
                            "properties": {
                                "iata": {"type": "string", "pattern": "^[A-Z0-9]{2}$"},
                                "name": {"type": "string"},
                                "provenance": _PROVENANCE,
                            },
                        },
                    },
                    "provenance": _PROVENANCE,
                },
            },
        },
        "route_schedules": {"type": "object", "additionalProperties": _ROUTE_SCHEDULE},
        "rights": {"type": "array", "items": _RIGHT},
        "co_terminalisation": {"type": "array", "items": _POINT_CLAUSE},
        "stopover": {"type": "array", "items": _POINT_CLAUSE},
        "change_of_gauge": {"type": "array", "items": _POINT_CLAUSE},
        "caps": {"type": "array", "items": _CAP},
        **V2_CLAUSES,
    },
}
