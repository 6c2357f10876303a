"""``bilat agenda edit|remove ITEM``: change an item's fields, or remove it (issue 18).

Both name the version the editor read (``--expect-version``): a stale one is refused, as
``agenda update`` refuses it, and nothing is written.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bilat.agenda import EDITABLE_FIELDS, ItemView
from bilat.cli import agenda as base
from bilat.cli._common import JsonOption, console, print_json

Version = Annotated[
    int,
    typer.Option(
        "--expect-version",
        "--expected-version",
        help="The item's version you read (agenda show); refused if it changed since.",
    ),
]
Clear = Annotated[
    list[str] | None,
    base._opt("--clear", f"Clear an optional field (repeat): {', '.join(EDITABLE_FIELDS)}."),
]
Reason = Annotated[str | None, base._opt("--reason", "Why (kept with the history).")]
EditBy = Annotated[str | None, base._opt("--by", "Who edits.")]


def edit(
    item_id: base.ItemId,
    expect_version: Version,
    kind: Annotated[str | None, base._opt("--kind", "New kind.")] = None,
    title: Annotated[str | None, base._opt("--title", "New title.")] = None,
    description: base.Description = None,
    area: base.Area = None,
    party: base.Party = None,
    body: base.Body = None,
    due: base.Due = None,
    value: base.Value = None,
    currency: base.Currency = None,
    count: base.Count = None,
    basket: Annotated[
        list[str] | None, base._opt("--basket", "Linked baskets, all of them (repeat).")
    ] = None,
    hs: Annotated[
        list[str] | None, base._opt("--hs", "Linked HS codes, all of them (repeat).")
    ] = None,
    air_clause: base.AirClause = None,
    clear: Clear = None,
    case: base.CaseOpt = None,
    reason: Reason = None,
    by: EditBy = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change fields of an item; each change is kept with its old and new value."""
    from bilat.cases import resolve_case

    given = {
        "kind": kind,
        "title": title,
        "description": description,
        "area": area,
        "party": party,
        "body": body,
        "due": due,
        "value": value,
        "currency": currency,
        "count": count,
        "baskets": basket,
        "hs": hs,
        "air_clause": air_clause,
    }
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    changes.update({n: [] if n in ("baskets", "hs") else None for n in clear or ()})
    with base._agenda(db) as ag:
        view = ag.edit(
            item_id,
            expected_version=expect_version,
            author=by,
            reason=reason,
            case_dir=None if case is None else resolve_case(case),
            **changes,
        )
    _say_edited(view, as_json=as_json)


def _say_edited(view: ItemView, *, as_json: bool) -> None:
    if as_json:
        print_json(view)
        return
    fresh = [e.field for e in view.edits if e.recorded_at == view.updated_at]
    what = ", ".join(fresh) if fresh else "nothing (every value as it was)"
    console.print(f"{view.id}: edited {what} (version {view.version})")


def remove(
    item_id: base.ItemId,
    expect_version: Version,
    reason: Annotated[str, base._opt("--reason", "Why it is removed (required).")],
    by: EditBy = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove an item: kept with its history, left out of lists (see --removed) and exports."""
    with base._agenda(db) as ag:
        view = ag.remove(item_id, expected_version=expect_version, reason=reason, author=by)
    if as_json:
        print_json(view)
        return
    console.print(
        f"{view.id}: removed (version {view.version}); `bilat agenda list --removed` shows it"
    )


def register(app: typer.Typer) -> None:
    """Add ``bilat agenda edit`` and ``bilat agenda remove`` (to the group ``agenda`` holds)."""
    del app  # the commands join `bilat agenda`, which bilat.cli.agenda added to the root
    base.agenda_app.command("edit")(edit)
    base.agenda_app.command("remove")(remove)
