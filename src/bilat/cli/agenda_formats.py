"""``bilat agenda iati|ics|due``: the agenda in exchange formats, and its deadline digest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from bilat.agenda import Agenda, ExportReport
from bilat.agenda.formats import (
    DueDigest,
    due_items,
    iati_activities,
    ics_feed,
    parse_within,
    party_codes,
    results_hook,
)
from bilat.agenda.service import as_date
from bilat.agenda.views import CommissionView
from bilat.cli import agenda as base
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    open_lake,
    print_json,
    print_table,
)
from bilat.errors import InputError, LakeNotFoundError

CommissionOption = Annotated[
    str | None,
    typer.Option("--commission", help="Commission id (default: the only one in the database)."),
]
OutFile = Annotated[
    Path, typer.Option("--out", "-o", help="File to write (replaced atomically).", dir_okay=False)
]


def pick_commission(ag: Agenda, commission: str | None) -> CommissionView:
    """The commission named, or the only one in the database."""
    if commission is not None:
        return ag.commission(commission)
    found = ag.commissions()
    if len(found) != 1:
        ids = ", ".join(c.id for c in found) or "none"
        raise InputError(
            f"the agenda database holds {count(len(found), 'commission')} ({ids}); "
            "name one with --commission",
            details={"argument": "commission"},
        )
    return found[0]


def lake_or_none(lake: Path | None, home: Path | None) -> Any:
    """The lake named, or the default one when it exists (else none: measured ones unread)."""
    try:
        return open_lake(lake, home=home)
    except LakeNotFoundError:
        if lake is not None or home is not None:
            raise
        return None


def _write(path: Path, data: bytes) -> None:
    from bilat._files import write_atomic

    write_atomic(path, data)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iati(
    out: OutFile,
    commission: CommissionOption = None,
    as_of: base.AsOfOption = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the commission's items as IATI 2.03 activity XML (local identifiers).

    Items' indicators are IATI results: baseline, target, and each actual, measured ones
    read from the lake (--lake; without a lake, no measured actual is written).
    """
    the_lake = lake_or_none(lake, home)
    with base._agenda(db) as ag:
        com = pick_commission(ag, commission)
        items = ag.items(commission=com.id, as_of=as_of)
        hook = results_hook(ag.indicators(None, the_lake, commission=com.id))
    iso2, names = party_codes(com.parties)
    data = iati_activities(com, items, iso2=iso2, names=names, generated=_now(), results=hook)
    _write(out, data)
    report = ExportReport(com.id, len(items), (str(out),))
    if as_json:
        print_json(report)
        return
    console.print(
        f"wrote {count(len(items), 'IATI activity', 'IATI activities')} of {com.id} to {out}"
    )


def ics(
    out: OutFile,
    commission: CommissionOption = None,
    as_of: base.AsOfOption = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write an iCalendar feed of the commission's meetings and every item's deadline."""
    with base._agenda(db) as ag:
        com = pick_commission(ag, commission)
        meetings = ag.meetings(commission=com.id)
        items = ag.items(commission=com.id, as_of=as_of)
    _write(out, ics_feed(com, meetings, items, generated=_now()))
    n_due = sum(1 for i in items if i.due_date is not None)
    report = ExportReport(com.id, n_due, (str(out),))
    if as_json:
        print_json(report)
        return
    console.print(
        f"wrote {count(len(meetings), 'meeting')} and {count(n_due, 'deadline')} of {com.id} "
        f"to {out}"
    )


def due(
    within: Annotated[
        str, typer.Option("--within", help="Window from the as-of date: 30d (days) or 2w (weeks).")
    ] = "30d",
    commission: CommissionOption = None,
    as_of: base.AsOfOption = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open items due within a window, and open items already overdue."""
    days = parse_within(within)
    day = as_date(as_of, field="as-of date") or dt.date.today()
    with base._agenda(db) as ag:
        digest = due_items(ag.items(commission=commission, as_of=day), as_of=day, within_days=days)
    if as_json:
        print_json(digest)
        return
    print_digest(digest)


def print_digest(d: DueDigest) -> None:
    """The digest as two tables (due in the window, overdue) and a line on the rest."""
    rows = [
        {"id": i.id, "due": i.due, "last day": i.due_date, "status": i.status, "title": i.title}
        for i in d.due
    ]
    if rows:
        print_table(
            rows, title=f"Due from {d.as_of} to {d.until}", caption=count(len(rows), "item")
        )
    else:
        console.print(f"no open item is due from {d.as_of} to {d.until}")
    late = [
        {"id": i.id, "due": i.due, "overdue": f"{i.days_overdue} d", "status": i.status,
         "title": i.title}
        for i in d.overdue
    ]  # fmt: skip
    if late:
        print_table(late, title=f"Overdue as of {d.as_of}", caption=count(len(late), "item"))
    console.print(f"{count(d.without_deadline, 'open item')} without a deadline (not listed)")


def register(app: typer.Typer) -> None:
    """Add ``iati``, ``ics`` and ``due`` to ``bilat agenda`` (issue 18: exchange formats)."""
    base.agenda_app.command("iati")(iati)
    base.agenda_app.command("ics")(ics)
    base.agenda_app.command("due")(due)
