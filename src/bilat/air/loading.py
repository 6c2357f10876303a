"""Reading agreement files: YAML validated against the schema, then checked for meaning.

:func:`load_agreements` reads a folder (one file per pair of states), :func:`load_agreement`
one file. A file is refused, as an :class:`~bilat.errors.InputError` naming the file, the
line and the key, when it is not an agreement at all (an SSIM schedule, a slot message, a
CSV, an empty file: named for what it looks like, quoting the start of its first line only),
breaks the schema (:func:`bilat.air.schema.schema_problem` says how, in words), or breaks a
rule the schema cannot say: parties are known states, airports known IATA codes, each
right's party a party, caps name what their scope needs, one id names one clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bilat import _yaml as safe_yaml
from bilat.air.airports import airport
from bilat.air.model import (
    CLAUSE_FAMILIES,
    NO_POINTS,
    Agreement,
    Carrier,
    FrequencyCap,
    PointClause,
    PointSet,
    Provenance,
    RegimeClause,
    Right,
    RouteSchedule,
)
from bilat.air.schema import AGREEMENT_SCHEMA, SCHEMA_IDS, V2_KEYS, schema_problem
from bilat.codes.countries import country
from bilat.document import to_document
from bilat.errors import InputError, NotFoundError, SchemaError, ValidationError, shorten

__all__ = ["AgreementsNotFoundError", "load_agreement", "load_agreements"]

#: The key holding each family's value in the file, and the words for a yes/no family.
_CLAUSE_KEYS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "tariffs": ("regime", None),
    "capacity": ("regime", None),
    "withholding": ("criterion", None),
    "statistics": ("exchange", ("exchange", "no_exchange")),
    "cooperative_arrangements": ("allowed", ("allowed", "not_allowed")),
    "charter": ("allowed", ("allowed", "not_allowed")),
}


class AgreementsNotFoundError(InputError, NotFoundError):
    """No agreement where one was named: a folder that does not exist or holds no ``*.yaml``.

    Bad input (exit code 2): the path is the user's to correct. ``details["path"]`` names it.
    """


#: What an agreement file is, for messages about a file that is not one.
_AGREEMENT_FILE = (
    "an agreement YAML file: a mapping with schema, id, parties, designation, "
    "route_schedules, rights and provenance (see docs/air.md)"
)


def load_agreements(folder: str | Path, *, argument: str = "FOLDER") -> tuple[Agreement, ...]:
    """Load every ``*.yaml``/``*.yml`` agreement in ``folder`` (sorted by file name).

    ``argument`` names the argument that gave ``folder`` in messages (``FOLDER`` on the
    command line).

    Raises
    ------
    AgreementsNotFoundError
        When the folder does not exist or holds no agreement file.
    ParseError, SchemaError, ValidationError
        When a file does not read, is not an agreement (an SSIM schedule, say), misses keys,
        or breaks a rule; the message names the file and line.
    ValidationError
        When two files describe the same pair of states.
    """
    path = Path(folder)
    if path.is_file():
        return (load_agreement(path, argument=argument),)
    example = "e.g. src/bilat/cases/blr-kaz-2022/air"
    if not path.is_dir():
        raise AgreementsNotFoundError(
            f"{argument} {str(path)!r} does not exist: {argument} is a folder of agreement "
            f"YAML files (one per pair of states), {example}",
            details={"path": str(path), "argument": argument},
        )
    files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    if not files:
        others = sorted(p.name for p in path.iterdir())
        held = f"it holds {shorten(', '.join(others), 120)}" if others else "it is empty"
        raise AgreementsNotFoundError(
            f"{argument} {str(path)!r} holds no agreement file (*.yaml, *.yml); {held}. "
            f"{argument} is a folder of agreement YAML files, {example}",
            details={"path": str(path), "argument": argument, "files": len(others)},
        )
    out = [load_agreement(f, argument=argument) for f in files]
    seen: dict[frozenset[str], str] = {}
    for a in out:
        key = frozenset(a.parties)
        if key in seen:
            raise ValidationError(
                f"two agreements for the same pair of states {'-'.join(sorted(key))}",
                path=a.path,
                value=a.id,
                expected="one file per pair of states",
                hint=f"merge it with {seen[key]}",
            )
        seen[key] = str(a.path)
    return tuple(out)


def load_agreement(
    path: str | Path, *, name: str | None = None, argument: str | None = None
) -> Agreement:
    """Load and validate one agreement YAML file. See :func:`load_agreements`.

    ``name`` is the file's name in messages and in :attr:`Agreement.path` (an upload's own
    name rather than the server's temporary path); ``argument`` the argument that gave it.
    """
    p = Path(path)
    label = name or str(p)
    text = safe_yaml.read(p, name=label)
    _not_an_agreement(text, ..., label, argument)
    node, data = safe_yaml.load(text, path=label, expected="an agreement YAML mapping")
    _not_an_agreement(text, data, label, argument)
    _validate_schema(data, node, label)
    return _build(data, node, Path(label))


def _sniff(text: str) -> str | None:
    """What a file that is not an agreement looks like, from its first line."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if first.startswith("1AIRLINE STANDARD SCHEDULE DATA SET"):
        return "an SSIM schedule (record type 1, 'AIRLINE STANDARD SCHEDULE DATA SET')"
    if first.strip().upper() in ("SCR", "SIR", "SAL", "SAQ", "SMA", "WCR", "WIR"):
        return f"an SSIM Chapter 6 slot message ({first.strip().upper()})"
    if first.count(",") >= 5 and ": " not in first:
        return "a CSV file (an OpenFlights routes or airlines file?)"
    return None


def _not_an_agreement(text: str, data: Any, label: str, argument: str | None) -> None:
    """Refuse a file that is not an agreement, quoting at most its first line's start.

    Called before the YAML is read (``data`` is ``...``: the first line alone tells an SSIM
    schedule, whose 100 KB would otherwise be quoted back as one YAML string) and after.
    """
    kind = _sniff(text)
    if kind is None and data is not ...:
        if data is None:
            kind = "an empty file (no YAML document)" if not _has_content(text) else None
            kind = kind or "a YAML file with no value"
        elif not isinstance(data, dict):
            kind = f"YAML that is {_yaml_kind(data)}, not a mapping of keys"
    if kind is None:
        return
    first = text.lstrip("\ufeff").strip().split("\n", 1)[0]
    who = f"{argument} expects" if argument else "expected"
    hint = None
    if kind.startswith("an SSIM schedule"):
        hint = "An SSIM schedule is checked with bilat air schedule FOLDER FILE (agreements first)"
    raise SchemaError(
        f"not an agreement: this looks like {kind}; {who} {_AGREEMENT_FILE}",
        path=label,
        line=1 if first else None,
        value=shorten(first, 60) if first else None,
        hint=hint,
    )


def _has_content(text: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines())


def _yaml_kind(data: Any) -> str:
    if isinstance(data, list):
        return f"a list of {len(data)} items"
    if isinstance(data, str):
        return "one block of text"
    return f"a single value ({type(data).__name__})"


def _validate_schema(data: Any, node: yaml.Node | None, path: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        AGREEMENT_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    errors = list(validator.iter_errors(to_document(data)))
    if errors:
        problem = schema_problem(errors)
        where = list(problem.where)
        line = (
            safe_yaml.key_line(node, where, problem.key)
            if problem.key
            else safe_yaml.line_of(node, where)
        )
        column = "/".join(str(k) for k in [*where, *([problem.key] if problem.key else [])])
        raise SchemaError(
            problem.message,
            path=path,
            line=line,
            column=column or "(top level)",
            value=problem.value,
            expected=problem.expected,
        )
    if data.get("schema") == SCHEMA_IDS[0]:
        for key in V2_KEYS:
            if key in data:
                raise SchemaError(
                    f"{key!r} is a bilat-air/2 clause, but the file says schema: bilat-air/1",
                    path=path,
                    line=safe_yaml.key_line(node, [], key),
                    column=key,
                    value=key,
                    expected="schema: bilat-air/2 in a file that codes it",
                    hint="write schema: bilat-air/2 at the top of the file",
                )


class _Ctx:
    """Where we are in a file, to name the line of a bad value."""

    def __init__(self, path: Path, node: yaml.Node | None) -> None:
        self.path, self.node = path, node

    def fail(self, keys: list[Any], message: str, value: object, expected: str) -> ValidationError:
        return ValidationError(
            message,
            path=self.path,
            line=safe_yaml.line_of(self.node, keys),
            column="/".join(str(k) for k in keys),
            value=value,
            expected=expected,
        )


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _prov(raw: Mapping[str, Any]) -> Provenance:
    return Provenance(
        kind=raw["kind"],
        article=raw.get("article"),
        source=raw.get("source"),
        date=None if raw.get("date") is None else str(raw.get("date")),
        note=raw.get("note"),
    )


def _points(raw: Mapping[str, Any] | None, ctx: _Ctx, keys: list[Any]) -> PointSet:
    if raw is None:
        return NO_POINTS
    states = set(raw.get("states", []))
    if "state" in raw:
        states.add(raw["state"])
    for s in states:
        try:
            country(s)
        except InputError:
            raise ctx.fail(keys, "unknown state", s, "an ISO 3166 alpha-3 code") from None
    codes = set()
    for code in raw.get("airports", []):
        try:
            codes.add(airport(code).iata)
        except InputError:
            raise ctx.fail(keys, "unknown airport", code, "an IATA airport code") from None
    return PointSet(frozenset(codes), frozenset(states), bool(raw.get("any", False)))


def _build(data: Mapping[str, Any], node: yaml.Node | None, path: Path) -> Agreement:
    ctx = _Ctx(path, node)
    parties = (str(data["parties"][0]), str(data["parties"][1]))
    for i, s in enumerate(parties):
        try:
            country(s)
        except InputError:
            raise ctx.fail(["parties", i], "unknown state", s, "an ISO3 code") from None
    if parties[0] == parties[1]:
        raise ctx.fail(["parties"], "both parties are the same", parties[0], "two states")

    def party(keys: list[Any], value: str) -> str:
        if value not in parties:
            raise ctx.fail(keys, "not a party of this agreement", value, " or ".join(parties))
        return value

    _unique_ids(data, ctx)
    carriers, modes, designation_provs = _designation(data, ctx, party)
    schedules = {
        party(["route_schedules", k], k): RouteSchedule(
            party=k,
            home=_points(v["home"], ctx, ["route_schedules", k, "home"]),
            intermediate=_points(v.get("intermediate"), ctx, ["route_schedules", k]),
            destination=_points(v["destination"], ctx, ["route_schedules", k, "destination"]),
            beyond=_points(v.get("beyond"), ctx, ["route_schedules", k, "beyond"]),
            provenance=_prov(v["provenance"]),
        )
        for k, v in data["route_schedules"].items()
    }
    rights = tuple(
        Right(
            id=r["id"],
            party=party(["rights", i, "party"], r["party"]),
            freedoms=frozenset(r["freedoms"]),
            origin=_points(r["from"], ctx, ["rights", i, "from"]) if "from" in r else None,
            destination=_points(r["to"], ctx, ["rights", i, "to"]) if "to" in r else None,
            provenance=_prov(r["provenance"]),
            note=r.get("note"),
        )
        for i, r in enumerate(data["rights"])
    )
    return Agreement(
        id=data["id"],
        title=data.get("title", data["id"]),
        parties=parties,
        signed=_date(data.get("signed")),
        effective=_date(data.get("effective")),
        provenance=_prov(data["provenance"]),
        designation_mode=modes,
        carriers=carriers,
        route_schedules=schedules,
        rights=rights,
        co_terminalisation=_clauses(data, "co_terminalisation", ctx, party),
        stopover=_clauses(data, "stopover", ctx, party),
        change_of_gauge=_clauses(data, "change_of_gauge", ctx, party),
        caps=_caps(data, ctx, parties),
        clauses=_regime_clauses(data),
        designation_provenance=designation_provs,
        path=str(path),
    )


#: The lists whose items carry an ``id``: one id names one clause in the whole file, since
#: the diff, the schedule's cap labels and agenda references find a clause by it.
_ID_LISTS = ("rights", "co_terminalisation", "stopover", "change_of_gauge", "caps")


def _unique_ids(data: Mapping[str, Any], ctx: _Ctx) -> None:
    seen: dict[str, list[Any]] = {}
    for family in _ID_LISTS:
        for i, item in enumerate(data.get(family, [])):
            keys = [family, i, "id"]
            first = seen.setdefault(str(item["id"]), keys)
            if first is not keys:
                line = safe_yaml.line_of(ctx.node, first)
                raise ctx.fail(
                    keys,
                    f"duplicate id: {'/'.join(map(str, first[:2]))} (line {line}) already has "
                    f"the id {item['id']!r}",
                    item["id"],
                    "an id no other right, cap or point clause of the file has",
                )


def _regime_clauses(data: Mapping[str, Any]) -> dict[str, RegimeClause]:
    out = {}
    for family in CLAUSE_FAMILIES:
        raw = data.get(family)
        if raw is None:
            continue
        key, words = _CLAUSE_KEYS[family]
        value = raw[key] if words is None else words[0 if raw[key] else 1]
        out[family] = RegimeClause(
            family=family,  # type: ignore[arg-type]
            value=str(value),
            provenance=_prov(raw["provenance"]),
            kinds=tuple(raw.get("kinds", ())),
            note=raw.get("note"),
        )
    return out


def _designation(
    data: Mapping[str, Any], ctx: _Ctx, party: Any
) -> tuple[tuple[Carrier, ...], dict[str, str], dict[str, Provenance]]:
    carriers: list[Carrier] = []
    modes: dict[str, str] = {}
    provs: dict[str, Provenance] = {}
    for state, d in data["designation"].items():
        party(["designation", state], state)
        modes[state] = d["mode"]
        if "provenance" in d:
            provs[state] = _prov(d["provenance"])
        if d["mode"] == "single" and len(d["carriers"]) > 1:
            raise ctx.fail(
                ["designation", state, "carriers"],
                "single designation names more than one carrier",
                [c["iata"] for c in d["carriers"]],
                "one carrier, or mode: multiple",
            )
        carriers += [Carrier(c["iata"], c["name"], state) for c in d["carriers"]]
    return tuple(carriers), modes, provs


def _clauses(data: Mapping[str, Any], key: str, ctx: _Ctx, party: Any) -> tuple[PointClause, ...]:
    return tuple(
        PointClause(
            id=c["id"],
            party=party([key, i, "party"], c["party"]),
            points=_points(c["points"], ctx, [key, i, "points"]),
            local_traffic=bool(c.get("local_traffic", False)),
            provenance=_prov(c["provenance"]),
        )
        for i, c in enumerate(data.get(key, []))
    )


def _caps(data: Mapping[str, Any], ctx: _Ctx, parties: tuple[str, str]) -> tuple[FrequencyCap, ...]:
    out = []
    for i, c in enumerate(data.get("caps", [])):
        keys: list[Any] = ["caps", i]
        applies = c.get("applies_to", "each")
        if applies not in ("each", "combined", *parties):
            raise ctx.fail(
                keys, "bad applies_to", applies, f"each, combined, {parties[0]} or {parties[1]}"
            )
        if c["scope"] == "city_pair" and "city_pair" not in c:
            raise ctx.fail(keys, "a city_pair cap needs city_pair", None, "[AAA, BBB]")
        if c["scope"] == "carrier" and "carrier" not in c:
            raise ctx.fail(keys, "a carrier cap needs carrier", None, "an IATA airline code")
        pair = None
        if "city_pair" in c:
            try:
                a, b = (airport(x).iata for x in c["city_pair"])
            except InputError:
                raise ctx.fail(keys, "unknown airport", c["city_pair"], "IATA codes") from None
            pair = (a, b)
        out.append(
            FrequencyCap(
                id=c["id"],
                scope=c["scope"],
                weekly=int(c["weekly"]),
                applies_to=applies,
                provenance=_prov(c["provenance"]),
                carrier=c.get("carrier"),
                city_pair=pair,
                previous=c.get("previous"),
                valid_from=_date(c.get("valid_from")),
                valid_to=_date(c.get("valid_to")),
            )
        )
    return tuple(out)
