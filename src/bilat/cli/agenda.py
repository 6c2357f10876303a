"""``bilat agenda ...``: the commission's commitments (import, export, list, show, add,
update, progress). Each command calls one method of :class:`bilat.agenda.Agenda`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from bilat.agenda import KINDS, STATUSES, Agenda, ItemView
from bilat.cli._common import (
    JsonOption,
    LakeOption,
    console,
    count,
    open_lake,
    print_json,
    print_table,
    synthetic_banner,
)

agenda_app = typer.Typer(
    help="The commission's commitments: what was promised, by whom, by when, and what "
    "happened since.",
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="BILAT_AGENDA_URL",
        help="Database URL (default: sqlite:///$BILAT_HOME/agenda.db; PostgreSQL: "
        "postgresql+psycopg://user@host/db).",
        show_default=False,
    ),
]
CaseDir = Annotated[
    Path,
    typer.Argument(
        help="The case folder (case.yaml and agenda.yaml), or a shipped case's name (blr-kaz-2022)."
    ),
]
ItemId = Annotated[str, typer.Argument(help="The item's id, as in agenda.yaml.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Evaluate status and overdue at this date (YYYY-MM-DD; default today)."
    ),
]


def _short(view: ItemView) -> dict[str, object]:
    return {
        "id": view.id,
        "kind": view.kind,
        "status": view.status,
        "since": view.status_date,
        "due": view.due,
        "overdue": f"{view.days_overdue} d" if view.overdue else "",
        "party": view.party,
        "title": view.title,
    }


@agenda_app.command("import")
def import_(
    case_dir: CaseDir,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the commission if already imported.")
    ] = False,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Import a case folder's case.yaml and agenda.yaml (all or nothing)."""
    from bilat.cases import resolve_case

    with Agenda.open(db) as ag:
        report = ag.import_case(resolve_case(case_dir), replace=replace)
    if json_:
        print_json(report)
        return
    verb = "replaced" if report.replaced else "imported"
    console.print(
        f"{verb} commission {report.commission}: {count(report.meetings, 'meeting')}, "
        f"{count(report.items, 'item')}, {count(report.changes, 'status change')}"
    )


@agenda_app.command("export")
def export(
    case_dir: CaseDir,
    commission: Annotated[
        str | None, typer.Option("--commission", help="Commission id (default: from case.yaml).")
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Write agenda.yaml (and case.yaml if missing) in a stable order for version control."""
    with Agenda.open(db) as ag:
        report = ag.export_case(case_dir, commission=commission)
    if json_:
        print_json(report)
        return
    console.print(
        f"exported {count(report.items, 'item')} of {report.commission} "
        f"to {', '.join(report.paths)}"
    )


@agenda_app.command("list")
def list_(
    meeting: Annotated[str | None, typer.Option("--meeting", help="Meeting id.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help=f"One of {', '.join(STATUSES)}.")
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="Area id from case.yaml.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of {', '.join(KINDS)}.")] = None,
    commission: Annotated[str | None, typer.Option("--commission", help="Commission id.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue items.")] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """List items with their status and overdue flag as of a date."""
    with Agenda.open(db) as ag:
        items = ag.items(
            commission=commission,
            meeting=meeting,
            status=status,
            area=area,
            kind=kind,
            as_of=as_of,
            overdue=overdue,
        )
    if json_:
        print_json(items)
        return
    day = items[0].as_of if items else (as_of or dt.date.today().isoformat())
    if not items:
        console.print(f"no agenda items match, as of {day}")
        return
    print_table(
        [_short(i) for i in items],
        title=f"Agenda items as of {day}",
        caption=count(len(items), "item"),
    )


@agenda_app.command("show")
def show(
    item_id: ItemId, as_of: AsOfOption = None, db: DbOption = None, json_: JsonOption = False
) -> None:
    """Show one item with its full history."""
    with Agenda.open(db) as ag:
        view = ag.item(item_id, as_of=as_of)
    if json_:
        print_json(view)
        return
    _print_item(view)


def _print_item(v: ItemView) -> None:
    flag = f" — OVERDUE by {v.days_overdue} days" if v.overdue else ""
    console.print(f"[bold]{v.title}[/] ({v.id}, {v.kind}, version {v.version})")
    console.print(f"status {v.status} since {v.status_date} as of {v.as_of}{flag}")
    facts = {
        "meeting": f"{v.meeting} ({v.meeting_date})",
        "area": v.area,
        "party": v.party,
        "body": v.body,
        "due": v.due and f"{v.due} (last day {v.due_date})",
        "value": v.value if v.value is None else f"{v.value:,.0f} {v.currency or ''}".strip(),
        "count": v.count,
        "baskets": ", ".join(v.baskets) or None,
        "hs": ", ".join(v.hs) or None,
        "air clause": v.air_clause,
    }
    for key, value in facts.items():
        console.print(f"  {key}: {'not reported' if value is None else value}")
    if v.description:
        console.print(f"  {v.description}")
    print_table(
        [
            {"date": c.date, "status": c.status, "note": c.note, "source": c.source, "by": c.author}
            for c in v.history
        ],
        title="History",
    )


@agenda_app.command("add")
def add(
    item_id: Annotated[str, typer.Argument(help="The new item's id (lower-case, unused so far).")],
    meeting: Annotated[str, typer.Option("--meeting", help="The meeting that agreed it.")],
    kind: Annotated[str, typer.Option("--kind", help=f"One of {', '.join(KINDS)}.")],
    title: Annotated[str, typer.Option("--title", help="What was promised, in a line.")],
    description: Annotated[
        str | None, typer.Option("--description", help="What was promised, at length.")
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="Area id from case.yaml.")] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="Responsible country (one of the dyad).")
    ] = None,
    body: Annotated[str | None, typer.Option("--body", help="Responsible body.")] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="Due date or period: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn."),
    ] = None,
    value: Annotated[
        str | None, typer.Option("--value", help="Value (a number ≥ 0; omit if unknown).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="ISO 4217 code of the value (USD).")
    ] = None,
    count: Annotated[
        str | None, typer.Option("--count", help="Number of contracts or units.")
    ] = None,
    basket: Annotated[
        list[str] | None, typer.Option("--basket", help="Linked basket (repeat for more).")
    ] = None,
    hs: Annotated[
        list[str] | None, typer.Option("--hs", help="Linked HS code (repeat for more).")
    ] = None,
    air_clause: Annotated[
        str | None, typer.Option("--air-clause", help="Linked air clause AGREEMENT#CLAUSE.")
    ] = None,
    case: Annotated[
        Path | None,
        typer.Option(
            "--case", help="Case folder whose air/*.yaml checks --air-clause (default: shipped)."
        ),
    ] = None,
    status: Annotated[
        str, typer.Option("--status", help=f"First status: {', '.join(STATUSES)}.")
    ] = "agreed",
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date of the first status (default: the meeting's date)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it is reported.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who records the item.")] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Add a new item to the commission of a meeting (checked first; all or nothing)."""
    from bilat.cases import resolve_case

    with Agenda.open(db) as ag:
        view = ag.add_item(
            item_id,
            meeting=meeting,
            kind=kind,
            title=title,
            description=description,
            area=area,
            party=party,
            body=body,
            due=due,
            value=value,
            currency=currency,
            count=count,
            baskets=basket or (),
            hs=hs or (),
            air_clause=air_clause,
            case_dir=None if case is None else resolve_case(case),
            status=status,
            date=date,
            note=note,
            source=source,
            author=by,
        )
    if json_:
        print_json(view)
        return
    console.print(
        f"added {view.id} to {view.commission} (meeting {view.meeting}): status "
        f"{view.status} since {view.status_date} (version {view.version})"
    )


@agenda_app.command("update")
def update(
    item_id: ItemId,
    status: Annotated[
        str | None, typer.Option("--status", help=f"New status: {', '.join(STATUSES)}.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When it happened (YYYY-MM-DD; default today).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where it is reported.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who records the change.")] = None,
    expected_version: Annotated[
        int | None,
        typer.Option("--expected-version", help="The version you read; refused if it changed."),
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Record a status change or a note on an item (optimistic locking)."""
    with Agenda.open(db) as ag:
        view = ag.update(
            item_id,
            status=status,
            date=date,
            note=note,
            source=source,
            author=by,
            expected_version=expected_version,
        )
    if json_:
        print_json(view)
        return
    console.print(
        f"{view.id}: status {view.status} since {view.status_date} (version {view.version})"
    )


@agenda_app.command("progress")
def progress(
    item_id: ItemId,
    before: Annotated[int, typer.Option("--before", help="Years before the item's dates.")] = 3,
    after: Annotated[int, typer.Option("--after", help="Years after the item's dates.")] = 3,
    lake: LakeOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """The trade series linked to an item, for the dyad, around the item's dates."""
    the_lake = open_lake(lake)
    with Agenda.open(db) as ag:
        result = ag.progress(item_id, the_lake, before=before, after=after)
    synthetic_banner(the_lake)
    if json_:
        print_json(result)
        return
    anchors = "; ".join(f"{label}" for _, label in result.anchors)
    rows = []
    for name, _title, _codes in result.series:
        for exp, imp in (result.dyad, result.dyad[::-1]):
            row: dict[str, object] = {"series": name, "flow": f"{exp}→{imp}"}
            for year in range(result.first_year, result.last_year + 1):
                row[str(year)] = result.value(name, year, exp)
            rows.append(row)
    print_table(
        rows,
        title=f"{result.title} ({result.item}): trade in US dollars",
        caption=(
            f"item dates: {anchors}; each code read at its own HS level, none counted twice; "
            f"'—' = not available (no source the lake holds covers it), not 0; "
            f"{result.precedence}"
        ),
    )


def register(app: typer.Typer) -> None:
    """Add ``bilat agenda`` to the root command."""
    app.add_typer(agenda_app, name="agenda")
