"""The case files the agenda reads and writes: ``case.yaml`` and ``agenda.yaml``.

``case.yaml`` holds the dyad, the commission, its areas of cooperation and its meetings;
``agenda.yaml`` the items agreed at those meetings with their status history. Both layouts
are documented in ``docs/agenda.md``. Reading checks every value against its node, so an
error names the file, line and field; writing gives a stable layout (items in file order,
keys in a fixed order, history by date) that a secretariat can diff in version control.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from bilat import _yaml as safe_yaml
from bilat.agenda import _checks as check
from bilat.agenda._indicators_io import EDIT_FIELDS as INDICATOR_EDITS
from bilat.agenda._indicators_io import (
    ActualDoc,
    IndicatorDoc,
    read_indicators,
    yaml_indicators,
)
from bilat.agenda._periods import due_end
from bilat.agenda._yaml import Reader, dump
from bilat.agenda.views import EDITABLE_FIELDS, Evidence
from bilat.codes.baskets import Basket, load_baskets, load_shipped_baskets
from bilat.errors import BilatError, InputError, NotFoundError, SchemaError
from bilat.options import KINDS, STATUSES

__all__ = [
    "AGENDA_FILE",
    "BASKETS_FILE",
    "CASE_FILE",
    "ITEM_OPTIONAL_FIELDS",
    "ActualDoc",
    "CaseDoc",
    "ChangeDoc",
    "CoChair",
    "EditDoc",
    "GradeDoc",
    "IndicatorDoc",
    "ItemDoc",
    "MeetingDoc",
    "RemovalDoc",
    "agenda_yaml",
    "air_clauses",
    "air_files",
    "baskets_toml",
    "case_baskets",
    "case_yaml",
    "clause_ids",
    "due_end",
    "parse_agenda",
    "read_agenda",
    "read_case",
]

CASE_FILE = "case.yaml"
AGENDA_FILE = "agenda.yaml"
BASKETS_FILE = "baskets.toml"


@dataclass(frozen=True, slots=True)
class CoChair:
    """A co-chair of a meeting: ``party`` (ISO3), ``name`` and ``title`` (``None`` if unknown)."""

    party: str
    name: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class MeetingDoc:
    """A commission session: ``id``, ``date``, ``place``, optional ``title``, ``co_chairs``."""

    id: str
    date: dt.date
    place: str | None
    title: str | None
    co_chairs: tuple[CoChair, ...]


@dataclass(frozen=True, slots=True)
class CaseDoc:
    """The content of ``case.yaml``.

    Attributes
    ----------
    case_id, title
        The case's identifier and title.
    dyad
        The two countries, ISO3, in the order written.
    commission_id, commission_name
        Identifier and full name of the commission.
    areas
        Areas of cooperation as ``(id, title)`` pairs, in file order.
    meetings
        The commission's sessions, in file order.
    description
        The case's description, as written (``None`` when absent).
    """

    case_id: str
    title: str | None
    dyad: tuple[str, str]
    commission_id: str
    commission_name: str
    areas: tuple[tuple[str, str], ...]
    meetings: tuple[MeetingDoc, ...]
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeDoc:
    """One status change: on ``date`` the item became ``status``; ``author`` is ``by:``."""

    date: dt.date
    status: str
    note: str | None = None
    source: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class GradeDoc:
    """A compliance grade as written (``grades:``): ``author`` is ``by:``; no score (derived)."""

    as_of: dt.date
    grade: str
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class EditDoc:
    """One field an edit changed (``edits:``): when (``at``, UTC), who, old and new, why."""

    at: dt.datetime
    field: str
    old: Any
    new: Any
    reason: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class RemovalDoc:
    """An item's removal (``removed:``): when (``at``, UTC), who (``by``), why (``reason``)."""

    at: dt.datetime
    reason: str
    author: str | None = None


@dataclass(frozen=True, slots=True)
class ItemDoc:
    """One agenda item as written in ``agenda.yaml`` (``line``: where it starts, 1-based)."""

    id: str
    meeting: str
    kind: str
    title: str
    description: str | None
    area: str | None
    party: str | None
    body: str | None
    due: str | None
    value: float | None
    currency: str | None
    count: int | None
    baskets: tuple[str, ...]
    hs: tuple[str, ...]
    air_clause: str | None
    history: tuple[ChangeDoc, ...]
    line: int = 0
    grades: tuple[GradeDoc, ...] = ()
    edits: tuple[EditDoc, ...] = ()
    removed: RemovalDoc | None = None
    #: The item's indicators (``indicators:``), in file order.
    indicators: tuple[IndicatorDoc, ...] = ()


def _at(r: Reader, node: yaml.Node, field: str, exc: InputError) -> NoReturn:
    """Re-raise a value check's error as a ``ValidationError`` pointing at ``node``."""
    d = exc.details
    reason, expected = check.file_parts(exc)
    r.fail(node, field, reason, value=d.get("value"), expected=expected, hint=d.get("hint"))


def _ident(r: Reader, node: yaml.Node | None, field: str, parent: yaml.Node) -> str:
    text = r.required_text(node, field, parent)
    try:
        return check.ident(text, field=field)
    except InputError as exc:
        _at(r, node or parent, field, exc)


def _country(r: Reader, node: yaml.Node | None, field: str, parent: yaml.Node) -> str:
    text = r.required_text(node, field, parent)
    try:
        return check.country(text, field=field)
    except InputError as exc:
        _at(r, node or parent, field, exc)


def read_case(case_dir: str | Path) -> CaseDoc:
    """Read and check ``CASE_DIR/case.yaml``."""
    path = Path(case_dir) / CASE_FILE
    if not path.is_file():
        raise NotFoundError(
            f"no {CASE_FILE} in {case_dir}; a case folder needs case.yaml (the dyad, the "
            "commission, its meetings) beside agenda.yaml",
            details={"path": str(path)},
        )
    r = Reader(path, safe_yaml.read(path))
    root = r.root()
    top = r.mapping(
        root,
        "",
        required=("case", "dyad", "commission", "meetings"),
        optional=("title", "description", "areas"),
    )
    dyad_nodes = r.sequence(top["dyad"], "dyad")
    if len(dyad_nodes) != 2:
        r.fail(
            top["dyad"],
            "dyad",
            "the dyad names exactly two countries",
            value=len(dyad_nodes),
            cls=SchemaError,
        )
    dyad = (
        _country(r, dyad_nodes[0], "dyad[0]", root),
        _country(r, dyad_nodes[1], "dyad[1]", root),
    )
    if dyad[0] == dyad[1]:
        r.fail(top["dyad"], "dyad", "the two countries must differ", value=dyad[0])
    com = r.mapping(top["commission"], "commission", required=("id", "name"))
    return CaseDoc(
        case_id=_ident(r, top["case"], "case", root),
        title=r.text(top.get("title"), "title"),
        dyad=dyad,
        commission_id=_ident(r, com["id"], "commission.id", top["commission"]),
        commission_name=r.required_text(com["name"], "commission.name", top["commission"]),
        areas=_read_areas(r, top.get("areas")),
        meetings=_read_meetings(r, top["meetings"], dyad),
        description=r.text(top.get("description"), "description"),
    )


def _read_areas(r: Reader, node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    if node is None or r.is_null(node):
        return ()
    if not isinstance(node, yaml.MappingNode):
        r.fail(node, "areas", "expected a mapping of area id to title", cls=SchemaError)
    keys = tuple(str(k.value) for k, _ in node.value)
    nodes = r.mapping(node, "areas", optional=keys)
    return tuple(
        (
            _ident(r, next(k for k, _ in node.value if k.value == key), f"areas.{key}", node),
            r.required_text(value, f"areas.{key}", node),
        )
        for key, value in nodes.items()
    )


def _read_meetings(r: Reader, node: yaml.Node, dyad: tuple[str, str]) -> tuple[MeetingDoc, ...]:
    out: list[MeetingDoc] = []
    seen: dict[str, int] = {}
    for i, m in enumerate(r.sequence(node, "meetings")):
        f = f"meetings[{i}]"
        keys = r.mapping(m, f, required=("id", "date"), optional=("place", "title", "co_chairs"))
        mid = _ident(r, keys["id"], f"{f}.id", m)
        if mid in seen:
            r.fail(
                keys["id"],
                f"{f}.id",
                f"duplicate meeting id (first on line {seen[mid]})",
                value=mid,
            )
        seen[mid] = m.start_mark.line + 1
        chairs = []
        for j, c in enumerate(r.sequence(keys.get("co_chairs"), f"{f}.co_chairs")):
            g = f"{f}.co_chairs[{j}]"
            ck = r.mapping(c, g, required=("party",), optional=("name", "title"))
            party = _country(r, ck["party"], f"{g}.party", c)
            if party not in dyad:
                r.fail(
                    ck["party"],
                    f"{g}.party",
                    "a co-chair's party must be one of the dyad",
                    value=party,
                    expected=" or ".join(dyad),
                )
            chairs.append(
                CoChair(
                    party,
                    r.text(ck.get("name"), f"{g}.name"),
                    r.text(ck.get("title"), f"{g}.title"),
                )
            )
        date = r.date(keys["date"], f"{f}.date")
        if date is None:  # pragma: no cover - required key
            r.fail(m, f"{f}.date", "a date is required")
        out.append(
            MeetingDoc(
                mid,
                date,
                r.text(keys.get("place"), f"{f}.place"),
                r.text(keys.get("title"), f"{f}.title"),
                tuple(chairs),
            )
        )
    if not out:
        r.fail(node, "meetings", "a case needs at least one meeting", cls=SchemaError)
    return tuple(out)


_ITEM_REQUIRED = ("id", "meeting", "kind", "title", "history")
#: An item's own optional fields: those ``Agenda.edit`` may change but kind and title (one
#: list, :data:`bilat.agenda.EDITABLE_FIELDS`, so that the file and the edits cannot drift).
ITEM_OPTIONAL_FIELDS = tuple(f for f in EDITABLE_FIELDS if f not in _ITEM_REQUIRED)
#: Records kept with an item beside its status history: grades, edits, its removal.
_ITEM_RECORDS = ("grades", "edits", "removed", "indicators")


def read_agenda(
    case_dir: str | Path,
    case: CaseDoc,
    *,
    baskets: Mapping[str, Basket] | None = None,
) -> tuple[ItemDoc, ...]:
    """Read and check ``CASE_DIR/agenda.yaml`` against its case (meetings, areas, dyad)."""
    path = Path(case_dir) / AGENDA_FILE
    if not path.is_file():
        raise NotFoundError(f"no {AGENDA_FILE} in {case_dir}", details={"path": str(path)})
    return parse_agenda(
        safe_yaml.read(path),
        case,
        path=path,
        baskets=case_baskets(case_dir) if baskets is None else baskets,
        air_clauses=air_clauses(case_dir),
    )


def case_baskets(case_dir: str | Path) -> dict[str, Basket]:
    """The baskets a case's items may name: shipped, ``$BILAT_HOME``'s, the case's own.

    A case folder's ``baskets.toml`` (same layout as the shipped file) adds baskets or
    replaces those of the same name; ``bilat agenda export`` writes it for the baskets the
    items name that the shipped list does not hold as they are.
    """
    own = Path(case_dir) / BASKETS_FILE
    return load_baskets([own] if own.is_file() else [])


def air_files(case_dir: str | Path) -> dict[str, str]:
    """The air agreement files of a case, ``{"air/NAME.yaml": text}``, as written."""
    return {
        f"air/{path.name}": path.read_text("utf-8")
        for path in sorted((Path(case_dir) / "air").glob("*.yaml"))
    }


def baskets_toml(names: Iterable[str], known: Mapping[str, Basket]) -> str | None:
    """A ``baskets.toml`` defining those of ``names`` the shipped list lacks or defines otherwise.

    ``None`` when every basket named is shipped as it is (no file is needed).
    """
    shipped = load_shipped_baskets()
    own = [known[n] for n in dict.fromkeys(names) if n in known and shipped.get(n) != known[n]]
    if not own:
        return None
    lines = [
        "# Baskets the agenda's items name that bilat does not ship (or ships otherwise).",
        "# Written by `bilat agenda export`; the layout is that of bilat/codes/baskets.toml.",
    ]
    for b in sorted(own, key=lambda b: b.name):
        key = b.name if re.fullmatch(r"[A-Za-z0-9_-]+", b.name) else json.dumps(b.name)
        codes = ", ".join(json.dumps(c) for c in b.codes)
        lines += [
            "",
            f"[{key}]",
            f"title = {json.dumps(b.title, ensure_ascii=False)}",
            f"codes = [{codes}]",
            f"rationale = {json.dumps(b.rationale, ensure_ascii=False)}",
        ]
    return "\n".join(lines) + "\n"


def air_clauses(case_dir: str | Path) -> dict[str, frozenset[str]]:
    """Clause ids of each air agreement file ``CASE_DIR/air/NAME.yaml``: every ``id`` in it."""
    out: dict[str, frozenset[str]] = {}
    for path in sorted((Path(case_dir) / "air").glob("*.yaml")):
        try:
            text = safe_yaml.read(path)
        except (BilatError, OSError, UnicodeDecodeError):
            text = ""  # the air part reports its own file's errors
        out[path.stem] = clause_ids(text, path)
    return out


def clause_ids(text: str, path: str | Path) -> frozenset[str]:
    """Every ``id`` in the text of an air agreement file (none when it does not read)."""
    try:
        _, data = safe_yaml.load(text, path=path)
    except BilatError:
        data = None  # the air part reports its own file's errors
    ids: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(ids)


def parse_agenda(
    text: str,
    case: CaseDoc,
    *,
    path: str | Path = AGENDA_FILE,
    baskets: Mapping[str, Basket] | None = None,
    air_clauses: Mapping[str, frozenset[str]] | None = None,
) -> tuple[ItemDoc, ...]:
    """Parse the text of an ``agenda.yaml``; see :func:`read_agenda`."""
    r = Reader(path, text)
    root = r.root()
    top = r.mapping(root, "", required=("items",), optional=("commission",))
    com = r.text(top.get("commission"), "commission")
    if com is not None and com != case.commission_id:
        r.fail(
            top["commission"],
            "commission",
            "this agenda belongs to another commission",
            value=com,
            expected=case.commission_id,
        )
    known = dict(baskets) if baskets is not None else load_baskets()
    out: list[ItemDoc] = []
    seen: dict[str, int] = {}
    for i, node in enumerate(r.sequence(top["items"], "items")):
        item = _read_item(r, node, f"items[{i}]", case, known, air_clauses)
        if item.id in seen:
            r.fail(
                node,
                f"items[{i}].id",
                f"duplicate item id (first defined on line {seen[item.id]})",
                value=item.id,
            )
        seen[item.id] = item.line
        out.append(item)
    return tuple(out)


def _read_item(
    r: Reader,
    node: yaml.Node,
    f: str,
    case: CaseDoc,
    baskets: Mapping[str, Basket],
    air: Mapping[str, frozenset[str]] | None,
) -> ItemDoc:
    k = r.mapping(node, f, required=_ITEM_REQUIRED, optional=ITEM_OPTIONAL_FIELDS + _ITEM_RECORDS)
    meeting = _choice(r, k["meeting"], f"{f}.meeting", [m.id for m in case.meetings], "meeting")
    kind = _choice(r, k["kind"], f"{f}.kind", list(KINDS), "kind")
    for name, value in (("meeting", meeting), ("kind", kind)):
        if value is None:  # present but blank or null: required all the same
            r.fail(k[name] or node, f"{f}.{name}", f"{name} must not be empty", cls=SchemaError)
    area = _choice(r, k.get("area"), f"{f}.area", [a for a, _ in case.areas], "area")
    party = _checked(r, k.get("party"), f"{f}.party", check.party, case.dyad)
    due = r.text(k.get("due"), f"{f}.due")
    if due is not None:
        try:
            due_end(due)
        except InputError as exc:
            r.fail(k["due"], f"{f}.due", exc.message)
    currency = _checked(r, k.get("currency"), f"{f}.currency", check.currency)
    clause = _checked(r, k.get("air_clause"), f"{f}.air_clause", check.air_clause, air)
    doc = ItemDoc(
        id=_ident(r, k["id"], f"{f}.id", node),
        meeting=meeting,
        kind=kind,
        title=r.required_text(k["title"], f"{f}.title", node),
        description=r.text(k.get("description"), f"{f}.description"),
        area=area,
        party=party,
        body=r.text(k.get("body"), f"{f}.body"),
        due=due,
        value=_checked(r, k.get("value"), f"{f}.value", check.amount),
        currency=currency,
        count=_checked(r, k.get("count"), f"{f}.count", check.count),
        baskets=_checked_list(r, k.get("baskets"), f"{f}.baskets", check.baskets, baskets),
        hs=_checked_list(r, k.get("hs"), f"{f}.hs", check.hs_codes),
        air_clause=clause,
        history=_read_history(r, k["history"], f"{f}.history"),
        line=node.start_mark.line + 1,
        indicators=read_indicators(r, k.get("indicators"), f"{f}.indicators", baskets),
    )
    return _read_records(r, k, f, doc, case)


def _choice(r: Reader, node: yaml.Node | None, f: str, allowed: Sequence[str], what: str) -> Any:
    """A value that must be one of ``allowed`` (``None`` when absent)."""
    text = r.text(node, f)
    if text is None or node is None:
        return None
    if what == "kind":
        text = text.lower().replace(" ", "_")
    where = "" if what == "kind" else " (from case.yaml)"
    try:
        return check.choice(text, allowed, field=f, what=what, where=where)
    except InputError as exc:
        _at(r, node, f, exc)


def _checked(r: Reader, node: yaml.Node | None, f: str, fn: Any, *args: Any) -> Any:
    """``fn(text, *args)`` on a scalar (``None`` when absent); its error points at ``node``."""
    text = r.text(node, f)
    if text is None or node is None:
        return None
    try:
        return fn(text, *args, field=f)
    except InputError as exc:
        _at(r, node, f, exc)


def _checked_list(r: Reader, node: yaml.Node | None, f: str, fn: Any, *args: Any) -> Any:
    """``fn(texts, *args)`` on a list of scalars; its error points at the entry at fault."""
    entries = r.texts(node, f)
    try:
        return fn([text for text, _ in entries], *args, field=f)
    except InputError as exc:
        i = exc.details.get("index")
        _at(r, entries[i][1] if isinstance(i, int) else node or entries[0][1], f, exc)


def _read_history(r: Reader, node: yaml.Node, f: str) -> tuple[ChangeDoc, ...]:
    out: list[ChangeDoc] = []
    for i, c in enumerate(r.sequence(node, f)):
        g = f"{f}[{i}]"
        k = r.mapping(c, g, required=("date", "status"), optional=("note", "source", "by"))
        date = r.date(k["date"], f"{g}.date")
        status = r.required_text(k["status"], f"{g}.status", c)
        if status not in STATUSES:
            r.fail(
                k["status"],
                f"{g}.status",
                "unknown status",
                value=status,
                expected="one of " + ", ".join(STATUSES),
            )
        if date is None:  # pragma: no cover - required key
            r.fail(c, f"{g}.date", "a date is required")
        if out and date < out[-1].date:
            r.fail(
                k["date"],
                f"{g}.date",
                "history must run oldest first",
                value=date.isoformat(),
                expected=f"on or after {out[-1].date.isoformat()}",
            )
        out.append(
            ChangeDoc(
                date,
                status,
                r.text(k.get("note"), f"{g}.note"),
                r.text(k.get("source"), f"{g}.source"),
                r.text(k.get("by"), f"{g}.by"),
            )
        )
    if not out:
        r.fail(
            node,
            f,
            "an item needs at least one status change (its status when agreed)",
            cls=SchemaError,
        )
    return tuple(out)


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def agenda_yaml(commission_id: str, items: Sequence[ItemDoc]) -> str:
    """The text of ``agenda.yaml`` for ``items``, in their order, unknown fields left out."""
    data = {
        "commission": commission_id,
        "items": [
            _drop_none(
                {
                    "id": it.id,
                    "meeting": it.meeting,
                    "kind": it.kind,
                    "title": it.title,
                    "description": it.description,
                    "area": it.area,
                    "party": it.party,
                    "body": it.body,
                    "due": it.due,
                    "value": _number(it.value),
                    "currency": it.currency,
                    "count": it.count,
                    "baskets": list(it.baskets),
                    "hs": list(it.hs),
                    "air_clause": it.air_clause,
                    "history": [
                        _drop_none(
                            {
                                "date": c.date,
                                "status": c.status,
                                "note": c.note,
                                "source": c.source,
                                "by": c.author,
                            }
                        )
                        for c in it.history
                    ],
                    "indicators": yaml_indicators(it.indicators),
                }
            )
            | _records_data(it)
            for it in items
        ],
    }
    header = (
        f"Agenda of the commission {commission_id}: what was agreed, by whom, by when.\n"
        "Written by `bilat agenda export`; the keys are described in docs/agenda.md."
    )
    return dump(data, header=header)


def case_yaml(case: CaseDoc) -> str:
    """The text of ``case.yaml`` for ``case``."""
    data = _drop_none(
        {
            "case": case.case_id,
            "title": case.title,
            "description": case.description,
            "dyad": list(case.dyad),
            "commission": {"id": case.commission_id, "name": case.commission_name},
            "areas": dict(case.areas) or None,
            "meetings": [
                _drop_none(
                    {
                        "id": m.id,
                        "date": m.date,
                        "place": m.place,
                        "title": m.title,
                        "co_chairs": [
                            _drop_none({"party": c.party, "name": c.name, "title": c.title})
                            for c in m.co_chairs
                        ],
                    }
                )
                for m in case.meetings
            ],
        }
    )
    header = (
        f"Case {case.case_id}: the dyad, the commission and its meetings.\n"
        "Keys are described in docs/agenda.md."
    )
    return dump(data, header=header)


# ---------------------------------------------------------------- issue 18: grades, edits, removal
#
# Layout (docs/agenda.md): per item, after ``history``,
#   grades:  [{as_of, grade, evidence: [{source, figure, note}], note, by}]  oldest first
#   edits:   [{at, by, field, old, new, reason}]                           oldest first
#   removed: {at, by, reason}
# ``at`` is a UTC time written ISO 8601; a removal is not repeated in ``edits``.

#: What an edit-history row may name: an editable field, or an indicator's write.
_RECORD_FIELDS = frozenset(EDITABLE_FIELDS) | frozenset(INDICATOR_EDITS)


def _read_records(
    r: Reader, k: Mapping[str, yaml.Node], f: str, doc: ItemDoc, case: CaseDoc
) -> ItemDoc:
    """``doc`` with the grades, edits and removal written under its node."""
    edits = _read_edits(r, k.get("edits"), f"{f}.edits")
    removed = _read_removal(r, k.get("removed"), f"{f}.removed")
    if removed is not None and edits and edits[-1].at > removed.at:
        r.fail(
            k["removed"],
            f"{f}.removed.at",
            "an item is not edited after its removal",
            value=removed.at.isoformat(),
            expected=f"on or after {edits[-1].at.isoformat()}",
        )
    meeting = next(m.date for m in case.meetings if m.id == doc.meeting)
    # The due date a too_early grade was given against is known only if no edit changed it.
    due_known = not any(e.field == "due" for e in edits)
    grades = _read_grades(r, k.get("grades"), f"{f}.grades", doc, meeting, due_known)
    return dataclasses.replace(doc, grades=grades, edits=edits, removed=removed)


def _read_grades(
    r: Reader, node: yaml.Node | None, f: str, doc: ItemDoc, meeting: dt.date, due_known: bool
) -> tuple[GradeDoc, ...]:
    from bilat.agenda.grades import checked_grade

    due_date = due_end(doc.due) if doc.due else None
    out: list[GradeDoc] = []
    for i, c in enumerate(r.sequence(node, f)):
        g = f"{f}[{i}]"
        k = r.mapping(c, g, required=("as_of", "grade"), optional=("evidence", "note", "by"))
        as_of = r.date(k["as_of"], f"{g}.as_of")
        if as_of is None:  # pragma: no cover - required key
            r.fail(c, f"{g}.as_of", "a date is required")
        if out and as_of < out[-1].as_of:
            r.fail(
                k["as_of"],
                f"{g}.as_of",
                "grades must run oldest first",
                value=as_of.isoformat(),
                expected=f"on or after {out[-1].as_of.isoformat()}",
            )
        evidence = _read_evidence(r, k.get("evidence"), f"{g}.evidence")
        try:
            grade = checked_grade(
                r.required_text(k["grade"], f"{g}.grade", c),
                as_of,
                evidence,
                meeting_date=meeting,
                due_date=due_date,
                due=doc.due,
                check_due=due_known,
            )
        except InputError as exc:
            field = str(exc.details.get("field") or "grade")
            _at(r, k.get(field) or c, f"{g}.{field}", exc)
        note, by = r.text(k.get("note"), f"{g}.note"), r.text(k.get("by"), f"{g}.by")
        out.append(GradeDoc(as_of, grade, evidence, note, by))
    return tuple(out)


def _read_evidence(r: Reader, node: yaml.Node | None, f: str) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for i, e in enumerate(r.sequence(node, f)):
        g = f"{f}[{i}]"
        k = r.mapping(e, g, optional=("source", "figure", "note"))
        source = r.text(k.get("source"), f"{g}.source")
        if source is None:
            r.fail(
                k.get("source") or e,
                f"{g}.source",
                "evidence needs a source (where the figure or fact is reported)",
                expected="a URL, a document, a minute",
                hint="evidence without a source is not evidence; add one or drop the entry",
            )
        out.append(
            Evidence(
                source, r.text(k.get("figure"), f"{g}.figure"), r.text(k.get("note"), f"{g}.note")
            )
        )
    return tuple(out)


def _time(r: Reader, node: yaml.Node, f: str) -> dt.datetime:
    text = r.text(node, f)
    try:
        if text is None:
            raise ValueError("empty")
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        r.fail(node, f, "bad time", value=text, expected="YYYY-MM-DDTHH:MM:SS+00:00 (ISO 8601)")
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


def _plain_value(r: Reader, node: yaml.Node | None, f: str) -> Any:
    """The old or new value of an edit: null, a scalar, a list of texts, or (an indicator's
    write) a mapping of plain values."""
    if node is None or r.is_null(node):
        return None
    if isinstance(node, yaml.SequenceNode):
        return [t for t, _ in r.texts(node, f)]
    if isinstance(node, yaml.MappingNode):
        return {
            r.required_text(k, f, node): _plain_value(r, v, f"{f}.{k.value}") for k, v in node.value
        }
    if not isinstance(node, yaml.ScalarNode):
        r.fail(node, f, "expected a value, a list of values or a mapping", cls=SchemaError)
    value = yaml.constructor.SafeConstructor().construct_object(node)  # type: ignore[no-untyped-call]
    return value.isoformat() if isinstance(value, dt.date) else value


def _read_edits(r: Reader, node: yaml.Node | None, f: str) -> tuple[EditDoc, ...]:
    out: list[EditDoc] = []
    for i, c in enumerate(r.sequence(node, f)):
        g = f"{f}[{i}]"
        k = r.mapping(c, g, required=("at", "field"), optional=("by", "old", "new", "reason"))
        at = _time(r, k["at"], f"{g}.at")
        field = r.required_text(k["field"], f"{g}.field", c)
        if field not in _RECORD_FIELDS:
            r.fail(
                k["field"],
                f"{g}.field",
                "not a field an edit changes",
                value=field,
                expected="one of " + ", ".join((*EDITABLE_FIELDS, *INDICATOR_EDITS)),
                hint="a removal is written under removed:, not in edits:",
            )
        if out and at < out[-1].at:
            r.fail(
                k["at"], f"{g}.at", "edits must run oldest first", value=at.isoformat(),
                expected=f"on or after {out[-1].at.isoformat()}",
            )  # fmt: skip
        out.append(
            EditDoc(
                at,
                field,
                _plain_value(r, k.get("old"), f"{g}.old"),
                _plain_value(r, k.get("new"), f"{g}.new"),
                r.text(k.get("reason"), f"{g}.reason"),
                r.text(k.get("by"), f"{g}.by"),
            )
        )
    return tuple(out)


def _read_removal(r: Reader, node: yaml.Node | None, f: str) -> RemovalDoc | None:
    if node is None or r.is_null(node):
        return None
    k = r.mapping(node, f, required=("at", "reason"), optional=("by",))
    return RemovalDoc(
        _time(r, k["at"], f"{f}.at"),
        r.required_text(k["reason"], f"{f}.reason", node),
        r.text(k.get("by"), f"{f}.by"),
    )


def _records_data(it: ItemDoc) -> dict[str, Any]:
    """The ``grades``, ``edits`` and ``removed`` keys of an item in ``agenda.yaml``."""
    return _drop_none(
        {
            "grades": [
                _drop_none(
                    {
                        "as_of": g.as_of,
                        "grade": g.grade,
                        "evidence": [
                            _drop_none({"source": e.source, "figure": e.figure, "note": e.note})
                            for e in g.evidence
                        ],
                        "note": g.note,
                        "by": g.author,
                    }
                )
                for g in it.grades
            ],
            "edits": [
                {
                    "at": e.at.astimezone(dt.UTC).isoformat(),
                    **_drop_none({"by": e.author, "field": e.field}),
                    "old": e.old,
                    "new": e.new,
                    **_drop_none({"reason": e.reason}),
                }
                for e in it.edits
            ],
            "removed": None
            if it.removed is None
            else _drop_none(
                {
                    "at": it.removed.at.astimezone(dt.UTC).isoformat(),
                    "by": it.removed.author,
                    "reason": it.removed.reason,
                }
            ),
        }
    )
