"""What the agenda returns: small frozen records, plain data for ``--json`` and the web."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Change", "CommissionView", "ExportReport", "ImportReport", "ItemView", "MeetingView"]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of an item's history.

    Attributes
    ----------
    date
        The day the item took ``status`` (as reported, not when it was typed in).
    status
        One of ``proposed``, ``agreed``, ``in_progress``, ``done``, ``dropped``.
    note, source
        What happened and where that is reported (a URL, a letter, a minute).
    author
        Who recorded the change (``by:`` in agenda.yaml).
    recorded_at
        When the change was written to the database (UTC).
    """

    date: dt.date
    status: str
    note: str | None
    source: str | None
    author: str | None
    recorded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ItemView:
    """An agenda item with its status and overdue flag as of a date.

    Attributes
    ----------
    id, commission, meeting, meeting_date
        The item, its commission, and the meeting (and its date) that agreed it.
    kind
        ``decision``, ``project``, ``contract``, ``proposal`` or ``area_of_interest``.
    title, description
        What was promised, in a line and at length.
    area
        Area of cooperation (an id from case.yaml) or ``None``.
    party, body
        Responsible party (ISO3) and body (a ministry, a company); ``None`` when joint or
        not reported.
    due, due_date
        Due date or period as written (``2022``, ``2022-09``), and its last day.
    value, currency, count
        Value and currency, and number of contracts or units; ``None`` when not reported.
    baskets, hs
        Linked baskets (names) and HS codes (normalised) the item is meant to move.
    air_clause
        Linked clause of an air services agreement (``AGREEMENT#CLAUSE``) or ``None``.
    status, status_date
        Status as of ``as_of`` and the date it was taken; ``None`` before the item existed.
    as_of
        The date the status and ``overdue`` are evaluated at.
    overdue
        Due date passed before ``as_of`` and status not ``done`` or ``dropped``.
    days_overdue
        Days from ``due_date`` to ``as_of`` when overdue, else ``None``.
    version, updated_by, updated_at
        Optimistic-locking version (pass it back as ``expected_version``), last writer, time.
    history
        Every status change, oldest first (including those after ``as_of``).
    """

    id: str
    commission: str
    meeting: str
    meeting_date: dt.date
    kind: str
    title: str
    description: str | None
    area: str | None
    party: str | None
    body: str | None
    due: str | None
    due_date: dt.date | None
    value: float | None
    currency: str | None
    count: int | None
    baskets: tuple[str, ...]
    hs: tuple[str, ...]
    air_clause: str | None
    status: str | None
    status_date: dt.date | None
    as_of: dt.date
    overdue: bool
    days_overdue: int | None
    version: int
    updated_by: str | None
    updated_at: dt.datetime | None
    history: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class MeetingView:
    """A commission session: id, commission, date, place, title, co-chairs (dicts)."""

    id: str
    commission: str
    date: dt.date
    place: str | None
    title: str | None
    co_chairs: tuple[dict[str, str | None], ...]


@dataclass(frozen=True, slots=True)
class CommissionView:
    """A commission: id, name, its two parties (ISO3), case id, areas ``(id, title)``."""

    id: str
    name: str
    parties: tuple[str, str]
    case_id: str | None
    areas: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Outcome of an import: the commission, counts written, and whether it replaced one."""

    commission: str
    meetings: int
    items: int
    changes: int
    replaced: bool


@dataclass(frozen=True, slots=True)
class ExportReport:
    """Outcome of an export: the commission, items written, and the files written."""

    commission: str
    items: int
    paths: tuple[str, ...]
