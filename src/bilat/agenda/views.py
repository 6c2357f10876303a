"""What the agenda returns: small frozen records, plain data for ``--json`` and the web."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Required, TypedDict

__all__ = [
    "EDITABLE_FIELDS",
    "ITEM_FIELDS",
    "Change",
    "CommissionView",
    "ComplianceSummary",
    "Edit",
    "Evidence",
    "ExportReport",
    "GradeReport",
    "GradeView",
    "ImportReport",
    "ItemList",
    "ItemView",
    "MeetingView",
    "NewItemFields",
]


#: The fields ``Agenda.edit`` may change (an item's id and meeting stay).
EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "area",
    "party",
    "body",
    "due",
    "value",
    "currency",
    "count",
    "baskets",
    "hs",
    "air_clause",
)


@dataclass(frozen=True, slots=True)
class Edit:
    """One field an edit changed, or the item's removal (``field="removed"``).

    Attributes
    ----------
    field
        The field (one of :data:`EDITABLE_FIELDS`) or ``removed``.
    old, new
        The value before and after (``None``: not set; lists for baskets and HS codes).
    reason
        Why, as the editor gave it (required for a removal).
    author
        Who made the change.
    recorded_at
        When it was written (UTC).
    """

    field: str
    old: object
    new: object
    reason: str | None
    author: str | None
    recorded_at: dt.datetime | None


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
    removed
        Whether the item was removed (``Agenda.remove``; kept with its history).
    edits
        The fields edits changed and the removal, oldest first (see :class:`Edit`).
    grade
        The compliance grade as of ``as_of`` (the latest assessed on or before it); ``None``
        when the item is not graded as of then (never a score of 0).
    grades
        Every grade, by date assessed (the grade history, including those after ``as_of``).
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
    removed: bool = False
    edits: tuple[Edit, ...] = ()
    grade: GradeView | None = None
    grades: tuple[GradeView, ...] = ()


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


@dataclass(frozen=True, slots=True)
class ItemList:
    """The items that match a filter, with their status as of a date (``bilat agenda list``).

    Attributes
    ----------
    as_of
        The date the statuses and overdue flags are evaluated at.
    n_items
        How many items match.
    items
        The items, in case-file order.
    """

    as_of: dt.date
    n_items: int
    items: tuple[ItemView, ...]


class NewItemFields(TypedDict, total=False):
    """The values of a new agenda item and its first status change (``Agenda.add_item``).

    ``meeting``
        The meeting that agreed it (an id in the database); sets the commission.
    ``kind``, ``title``, ``description``
        One of :data:`bilat.options.KINDS`; what was promised, in a line and at length.
    ``area``, ``party``, ``body``
        Area of cooperation (an id of the commission), responsible country (one of the dyad,
        any spelling ``to_iso3`` knows) and body; ``None`` when not reported.
    ``due``
        Due date or period: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn``, ``YYYY-Hn``.
    ``value``, ``currency``, ``count``
        Value (a number ≥ 0, or its text) in ``currency`` (ISO 4217), and number of
        contracts or units; ``None`` when unknown.
    ``baskets``, ``hs``
        Linked basket names and HS codes (normalised to 2, 4 or 6 digits).
    ``air_clause``
        Linked air clause ``AGREEMENT#CLAUSE``.
    ``status``, ``date``, ``note``, ``source``
        The first status change: status (default ``agreed``), the day (default: the
        meeting's date), what happened, where it is reported.
    """

    meeting: Required[str]
    kind: Required[str]
    title: Required[str]
    description: str | None
    area: str | None
    party: str | None
    body: str | None
    due: str | None
    value: float | str | None
    currency: str | None
    count: int | str | None
    baskets: Iterable[str]
    hs: Iterable[str]
    air_clause: str | None
    status: str
    date: dt.date | str | None
    note: str | None
    source: str | None


#: The fields of a new item, in order: its id, then :class:`NewItemFields` (for forms).
ITEM_FIELDS: tuple[str, ...] = ("id", *NewItemFields.__annotations__)


# ---------------------------------------------------------------- issue 18: grades


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a grade rests on: a ``source`` (a URL, a document, a minute), and optionally the
    ``figure`` it reports and a ``note``."""

    source: str
    figure: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GradeView:
    """A compliance grade of an item as of a date (G20 Research Group scale).

    Attributes
    ----------
    as_of
        The date the item is assessed at.
    grade
        ``full``, ``partial``, ``none`` or ``too_early`` (the deadline is after ``as_of``).
    score
        +1, 0, −1; ``None`` for ``too_early`` (left out of averages).
    evidence
        What the grade rests on (at least one source unless ``too_early``).
    note, author, recorded_at
        Why, who assessed it, and when it was written (UTC).
    """

    as_of: dt.date
    grade: str
    score: int | None
    evidence: tuple[Evidence, ...]
    note: str | None
    author: str | None
    recorded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ComplianceSummary:
    """A commission's compliance as of a date, as the G20 Research Group reports it.

    Attributes
    ----------
    as_of
        The date the items' grades are taken at (each item's latest grade on or before it).
    items
        Items counted (not removed, agreed on or before ``as_of``).
    graded
        Items with a score (``full``, ``partial`` or ``none``); ``too_early`` is not scored.
    counts
        Items per grade, and ``not_graded`` for items with no grade as of ``as_of``.
    average
        Mean score over the scored items (−1 to +1); ``None`` when none is scored.
    percent
        The same on 0–100: ``(average + 1) / 2 · 100``; ``None`` when none is scored.
    """

    as_of: dt.date
    items: int
    graded: int
    counts: dict[str, int]
    average: float | None
    percent: float | None


@dataclass(frozen=True, slots=True)
class GradeReport:
    """``bilat agenda grades``: each item's grade as of a date, and the summary.

    Attributes
    ----------
    as_of
        The date grades are taken at.
    items
        The items with ``grade`` set as of ``as_of`` (``None``: not graded).
    summary
        The commission-level compliance over ``items``.
    history
        With one item asked for: its every grade, oldest first; else empty.
    """

    as_of: dt.date
    items: tuple[ItemView, ...]
    summary: ComplianceSummary
    history: tuple[GradeView, ...] = ()
