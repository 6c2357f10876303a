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

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bilat.errors import shorten

__all__ = [
    "AGREEMENT_SCHEMA",
    "CAPACITY_REGIMES",
    "SCHEMA_ID",
    "SCHEMA_IDS",
    "TARIFF_REGIMES",
    "V2_KEYS",
    "WITHHOLDING_CRITERIA",
    "SchemaProblem",
    "schema_problem",
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


# --------------------------------------------------------------------------- error words

#: What the object at a path is, for a message: the key holding it (its list's key for an
#: item of a list).
_WHAT = {
    "": "an agreement file (top level)",
    "rights": "a right",
    "caps": "a cap",
    "co_terminalisation": "a co-terminalisation clause",
    "stopover": "a stopover clause",
    "change_of_gauge": "a change-of-gauge clause",
    "route_schedules": "a route schedule",
    "designation": "a designation",
    "carriers": "a carrier",
    "provenance": "a provenance",
    "home": "a point set",
    "intermediate": "a point set",
    "destination": "a point set",
    "beyond": "a point set",
    "from": "a point set",
    "to": "a point set",
    "points": "a point set",
}
_TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema error in words (what :func:`schema_problem` returns).

    Attributes
    ----------
    message
        What is wrong, in a sentence that never quotes more than a short excerpt.
    where
        Keys and indexes from the top of the file to the object or value at fault.
    key
        A key written inside that object which should not be there (its line is the one to
        show), or ``None``.
    value, expected
        What was found (shortened) and what is allowed there: the keys, the values or the type.
    """

    message: str
    where: tuple[Any, ...]
    key: str | None
    value: object
    expected: str


def _what(where: Sequence[Any]) -> str:
    parts = [str(p) for p in where if not isinstance(p, int)]
    if len(where) >= 2 and where[-2] in ("designation", "route_schedules"):
        return _WHAT[str(where[-2])] + f" ({where[-1]})"
    return _WHAT.get(parts[-1] if parts else "", f"the value of {'/'.join(parts)}")


def _types(t: Any) -> str:
    names = t if isinstance(t, list) else [t]
    return " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)


def _found(instance: Any) -> str:
    kinds = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer"}
    name = "null" if instance is None else kinds.get(type(instance), type(instance).__name__)
    return _TYPE_WORDS.get(name, name)


def _keys_problem(errors: Sequence[Any], where: tuple[Any, ...]) -> SchemaProblem | None:
    """Missing and unexpected keys of one object, said together (a typo is usually both)."""
    here = [e for e in errors if tuple(e.absolute_path) == where]
    missing = sorted(
        {k for e in here if e.validator == "required" for k in e.validator_value}
        - set(here[0].instance if here and isinstance(here[0].instance, dict) else {})
    )
    extra_errors = [e for e in here if e.validator == "additionalProperties"]
    if not missing and not extra_errors:
        return None
    schema = (extra_errors or [e for e in here if e.validator == "required"])[0].schema
    allowed = list(schema.get("properties", {}))
    instance = here[0].instance if isinstance(here[0].instance, dict) else {}
    extra = sorted(k for k in instance if k not in allowed) if allowed else []
    what = _what(where)
    bits = []
    if extra:
        guesses = [difflib.get_close_matches(str(k), allowed, n=1) for k in extra]
        bits.append(
            ", ".join(
                f"{k!r} is not a key of {what}" + (f" (did you mean {g[0]!r}?)" if g else "")
                for k, g in zip(extra, guesses, strict=True)
            )
        )
    if missing:
        bits.append(f"{what} needs {', '.join(repr(k) for k in missing)}")
    need = schema.get("required", [])
    expected = "the keys " + ", ".join(allowed)
    if need:
        expected += "; required: " + ", ".join(need)
    return SchemaProblem("; ".join(bits), where, str(extra[0]) if extra else None, None, expected)


def schema_problem(errors: Sequence[Any]) -> SchemaProblem:
    """The first error of an agreement file against :data:`AGREEMENT_SCHEMA`, in words.

    ``errors`` are ``jsonschema`` validation errors (at least one). The object nearest the
    top of the file comes first; a missing key and an unexpected one in the same object (a
    typo: ``freedom`` for ``freedoms``) are said together, with the key it resembles.
    """
    import jsonschema

    for path in sorted({tuple(e.absolute_path) for e in errors}, key=lambda p: (len(p), str(p))):
        keys = _keys_problem(errors, path)
        if keys is not None:
            return keys
    err = jsonschema.exceptions.best_match(errors)
    where = tuple(err.absolute_path)
    inst, v, vv = err.instance, err.validator, err.validator_value
    if v == "enum":
        return SchemaProblem(
            "not one of the allowed values", where, None, inst, "one of " + ", ".join(map(str, vv))
        )
    if v == "type":
        return SchemaProblem(f"found {_found(inst)}", where, None, inst, _types(vv))
    if v == "pattern":
        return SchemaProblem("not written as expected", where, None, inst, f"text matching {vv}")
    if v == "oneOf" and not isinstance(inst, dict):
        return SchemaProblem(
            f"found {_found(inst)}", where, None, inst, "a point set (any, state, states, airports)"
        )
    bounds = {
        "minimum": "at least {}",
        "maximum": "at most {}",
        "minItems": "at least {} items",
        "maxItems": "at most {} items",
    }
    if v in bounds:
        return SchemaProblem("out of bounds", where, None, inst, bounds[v].format(vv))
    return SchemaProblem(
        shorten(err.message, 160), where, None, None, "see the bilat-air/2 schema in docs/air.md"
    )
