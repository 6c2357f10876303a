"""Editing and removing agenda items: checked values, one history row per changed field.

The checks are those of ``agenda.yaml`` and ``Agenda.add_item``; :class:`~bilat.agenda.Agenda`
wraps them in a transaction with optimistic locking (see ``Agenda.edit`` and
``Agenda.remove``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from bilat.agenda import _checks as check
from bilat.agenda import caseio
from bilat.agenda.models import Commission, Item, ItemEdit, ItemLink
from bilat.agenda.views import EDITABLE_FIELDS
from bilat.codes.baskets import load_baskets
from bilat.errors import InputError
from bilat.options import ItemKind, choice

__all__ = ["apply_edit", "apply_removal", "checked_changes"]

_LINKS = ("baskets", "hs")


def _opt(fn: Callable[[str], Any]) -> Callable[[Any], Any]:
    return lambda v: None if check.text(v) is None else fn(str(v).strip())


def _due(text: str) -> str:
    caseio.due_end(text)
    return text


_PLAIN: dict[str, Callable[[Any], Any]] = {
    "kind": lambda v: choice(ItemKind, v, "kind"),
    "title": lambda v: check.required(v, "title"),
    "description": check.text,
    "body": check.text,
    "due": _opt(_due),
    "value": _opt(check.amount),
    "currency": _opt(check.currency),
    "count": _opt(check.count),
}


def checked_changes(
    changes: Mapping[str, Any],
    com: Commission,
    air: Callable[[], Mapping[str, frozenset[str]]],
) -> dict[str, Any]:
    """The new values of an edit, each checked; ``None`` clears an optional field.

    Raises ``InputError`` naming the field for an unknown field or a bad value, and when
    ``changes`` is empty.
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise check.bad(
            unknown[0],
            "this field cannot be edited",
            value=unknown[0],
            expected="one of " + ", ".join(EDITABLE_FIELDS),
        )
    if not changes:
        raise InputError(
            "nothing to edit: give at least one field's new value",
            details={"expected": "one of " + ", ".join(EDITABLE_FIELDS)},
        )
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name in _PLAIN:
            out[name] = _PLAIN[name](value)
        elif name == "area":
            text = check.text(value)
            areas = [str(a) for a, _ in com.areas]
            out[name] = (
                None
                if text is None
                else check.choice(text, areas, field="area", what="area", where=f" (of {com.id})")
            )
        elif name == "party":
            text = check.text(value)
            out[name] = None if text is None else check.party(text, (com.party_a, com.party_b))
        elif name == "air_clause":
            text = check.text(value)
            out[name] = None if text is None else check.air_clause(text, air())
        elif name == "baskets":
            out[name] = list(check.baskets(check.texts(value or ()), load_baskets()))
        else:
            out[name] = list(check.hs_codes(check.texts(value or ())))
    return out


def _current(row: Item, name: str) -> Any:
    if name in _LINKS:
        kind = "basket" if name == "baskets" else "hs"
        return [lk.code for lk in row.links if lk.kind == kind]
    return getattr(row, name)


def apply_edit(
    row: Item, values: Mapping[str, Any], *, author: str | None, reason: str | None
) -> list[str]:
    """Set ``values`` on ``row`` with a history row per changed field; the fields changed."""
    now = dt.datetime.now(dt.UTC)
    changed: list[str] = []
    for name, new in values.items():
        old = _current(row, name)
        if old == new:
            continue
        changed.append(name)
        row.edits.append(
            ItemEdit(field=name, old=old, new=new, reason=reason, author=author, recorded_at=now)
        )
        if name in _LINKS:
            kind = "basket" if name == "baskets" else "hs"
            keep = [lk for lk in row.links if lk.kind != kind]
            row.links = keep + [ItemLink(kind=kind, code=c, position=i) for i, c in enumerate(new)]
        else:
            setattr(row, name, new)
            if name == "due":
                row.due_date = caseio.due_end(new) if new else None
    if changed:
        row.updated_by, row.updated_at = author, now
    return changed


def apply_removal(row: Item, *, author: str | None, reason: str) -> None:
    """Mark ``row`` removed (its history stays) with a history row saying who and why."""
    now = dt.datetime.now(dt.UTC)
    row.edits.append(
        ItemEdit(
            field="removed", old=False, new=True, reason=reason, author=author, recorded_at=now
        )
    )
    row.removed_at, row.removed_by, row.removed_reason = now, author, reason
    row.updated_by, row.updated_at = author, now
