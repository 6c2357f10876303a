"""``bilat agenda ...``: the commission's commitments (import, export, list, show, add,
update, progress). Each command calls one method of :class:`bilat.agenda.Agenda`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from bilat import formats
from bilat.agenda import KINDS, STATUSES, Agenda, ItemView
from bilat.agenda.db import ENV_URL
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    open_lake,
    print_json,
    print_table,
    synthetic_banner,
)
from bilat.errors import BilatError, ValidationError

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


#: How this front names what the library asks for by its Python argument name.
_FLAG_HINTS = {
    "replace": ", or import again with --replace to overwrite it",
    "commission": "; name one with --commission",
    "url": f"; check the URL (--db or ${ENV_URL}) and that the server is running",
}


@contextmanager
def _agenda(db: str | None) -> Iterator[Agenda]:
    """The agenda database named by ``--db``; library hints re-worded with this CLI's flags."""
    try:
        with Agenda.open(db) as ag:
            yield ag
    except BilatError as exc:
        hint = _FLAG_HINTS.get(str(exc.details.get("argument")))
        if hint is None or "problem" not in exc.details or type(exc) is ValidationError:
            raise
        raise type(exc)(f"{exc.details['problem']}{hint}", details=exc.details) from None


def _short(view: ItemView) -> dict[str, object]:
    return {
        "id": view.id,
        "kind": view.kind,
        "status": view.status,
        "since": view.status_date,
        "due": view.due,
        "overdue": f"{view.days_overdue} d" if view.overdue else "",
        "party": view.party,
        "title": view.title + (" (removed)" if view.removed else ""),
    }


@agenda_app.command("import")
def import_(
    case_dir: CaseDir,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the commission if already imported.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a case folder's case.yaml and agenda.yaml (all or nothing)."""
    from bilat.cases import resolve_case

    with _agenda(db) as ag:
        report = ag.import_case(resolve_case(case_dir), replace=replace)
    if as_json:
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
    as_json: JsonOption = False,
) -> None:
    """Write agenda.yaml (and case.yaml if missing) in a stable order for version control."""
    with _agenda(db) as ag:
        report = ag.export_case(case_dir, commission=commission)
    if as_json:
        print_json(report)
        return
    console.print(
        f"exported {count(report.items, 'item')} of {report.commission} to {', '.join(report.paths)}"
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
    removed: Annotated[
        bool, typer.Option("--removed", help="Include removed items (agenda remove).")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List items with their status and overdue flag as of a date."""
    with _agenda(db) as ag:
        result = ag.list_items(
            commission=commission,
            meeting=meeting,
            status=status,
            area=area,
            kind=kind,
            as_of=as_of,
            overdue=overdue,
            removed=removed,
        )
    if as_json:
        print_json(result)
        return
    if not result.items:
        console.print(f"no agenda items match, as of {result.as_of}")
        return
    print_table(
        [_short(i) for i in result.items],
        title=f"Agenda items as of {result.as_of}",
        caption=count(result.n_items, "item"),
    )


@agenda_app.command("show")
def show(
    item_id: ItemId, as_of: AsOfOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Show one item with its full history."""
    with _agenda(db) as ag:
        view = ag.item(item_id, as_of=as_of)
    if as_json:
        print_json(view)
        return
    _print_item(view)


def _amount(value: float, currency: str | None) -> str:
    """An item's value: money in its currency (``$150M``, ``€2.5M``), a bare number without one."""
    return formats.money(value, currency=currency) if currency else formats.number(value)


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
        "value": None if v.value is None else _amount(v.value, v.currency),
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
    if v.edits:
        print_table(
            [
                {
                    "when": e.recorded_at
                    and f"{e.recorded_at:%Y-%m-%d %H:%M} UTC",  # not-a-figure: a UTC timestamp
                    "field": e.field,
                    "old": e.old,
                    "new": e.new,
                    "reason": e.reason,
                    "by": e.author,
                }
                for e in v.edits
            ],
            title="Edits" + (" (the item is removed)" if v.removed else ""),
        )


def _opt(flag: str, text: str) -> Any:
    return typer.Option(flag, help=text)


# The options of `bilat agenda add`: the item's facts, its links, and its first status.
NewId = Annotated[str, typer.Argument(help="The new item's id (lower-case, unused so far).")]
Text = str | None
Meeting = Annotated[str, _opt("--meeting", "The meeting that agreed it.")]
Kind = Annotated[str, _opt("--kind", f"One of {', '.join(KINDS)}.")]
Title = Annotated[str, _opt("--title", "What was promised, in a line.")]
Description = Annotated[Text, _opt("--description", "What was promised, at length.")]
Area = Annotated[Text, _opt("--area", "Area id from case.yaml.")]
Party = Annotated[Text, _opt("--party", "Responsible country (one of the dyad).")]
Body = Annotated[Text, _opt("--body", "Responsible body.")]
Due = Annotated[Text, _opt("--due", "Due date or period: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn.")]
Value = Annotated[Text, _opt("--value", "Value (a number ≥ 0; omit if unknown).")]
Currency = Annotated[Text, _opt("--currency", "ISO 4217 code of the value (USD).")]
Count = Annotated[Text, _opt("--count", "Number of contracts or units.")]
Baskets = Annotated[list[str] | None, _opt("--basket", "Linked basket (repeat for more).")]
Codes = Annotated[list[str] | None, _opt("--hs", "Linked HS code (repeat for more).")]
AirClause = Annotated[Text, _opt("--air-clause", "Linked air clause AGREEMENT#CLAUSE.")]
CaseOpt = Annotated[
    Path | None,
    _opt("--case", "Case folder whose air/*.yaml checks --air-clause (default: shipped)."),
]
FirstStatus = Annotated[str, _opt("--status", f"First status: {', '.join(STATUSES)}.")]
FirstDate = Annotated[
    Text, _opt("--date", "Date of the first status (default: the meeting's date).")
]
Note = Annotated[Text, _opt("--note", "What happened.")]
Source = Annotated[Text, _opt("--source", "Where it is reported.")]
By = Annotated[Text, _opt("--by", "Who records the item.")]


@agenda_app.command("add")
def add(
    item_id: NewId,
    meeting: Meeting,
    kind: Kind,
    title: Title,
    description: Description = None,
    area: Area = None,
    party: Party = None,
    body: Body = None,
    due: Due = None,
    value: Value = None,
    currency: Currency = None,
    count: Count = None,
    basket: Baskets = None,
    hs: Codes = None,
    air_clause: AirClause = None,
    case: CaseOpt = None,
    status: FirstStatus = "agreed",
    date: FirstDate = None,
    note: Note = None,
    source: Source = None,
    by: By = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a new item to the commission of a meeting (checked first; all or nothing)."""
    from bilat.cases import resolve_case

    with _agenda(db) as ag:
        view = ag.add_item(
            item_id,
            case_dir=None if case is None else resolve_case(case),
            author=by,
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
            status=status,
            date=date,
            note=note,
            source=source,
        )
    if as_json:
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
    as_json: JsonOption = False,
) -> None:
    """Record a status change or a note on an item (optimistic locking)."""
    with _agenda(db) as ag:
        view = ag.update(
            item_id,
            status=status,
            date=date,
            note=note,
            source=source,
            author=by,
            expected_version=expected_version,
        )
    if as_json:
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
    home: HomeOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The trade series linked to an item, for the dyad, around the item's dates."""
    the_lake = open_lake(lake, home=home)
    with _agenda(db) as ag:
        result = ag.progress(item_id, the_lake, before=before, after=after)
    synthetic_banner(the_lake)
    if as_json:
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
