"""The commission's commitments: meetings, decisions, projects, contracts, their status.

A case folder's ``case.yaml`` (dyad, commission, meetings) and ``agenda.yaml`` (items and
their status history) are imported into a SQL database (SQLite in BILAT_HOME by default,
PostgreSQL by URL), followed there (status changes with optimistic locking), and exported
back in a stable layout. :func:`progress` sets an item against the trade it was meant to move.

>>> from bilat.agenda import Agenda                                # doctest: +SKIP
>>> ag = Agenda.from_case("src/bilat/cases/blr-kaz-2022")           # doctest: +SKIP
>>> [i.id for i in ag.items(overdue_as_of="2022-12-31")]            # doctest: +SKIP
"""

from __future__ import annotations

from bilat.agenda.caseio import CaseDoc, ItemDoc, due_end, read_agenda, read_case
from bilat.agenda.formats import (
    IATI_STATUS,
    DueDigest,
    due_items,
    iati_activities,
    ics_feed,
    parse_within,
)
from bilat.agenda.indicators import (
    INDICATOR_FIELDS,
    PROGRESS_STATUSES,
    ActualView,
    IndicatorProgress,
    IndicatorReport,
    IndicatorView,
    ItemIndicators,
)
from bilat.agenda.progress import Progress, ProgressPoint, progress
from bilat.agenda.service import Agenda, case_items
from bilat.agenda.views import (
    EDITABLE_FIELDS,
    ITEM_FIELDS,
    Change,
    CommissionView,
    ComplianceSummary,
    Edit,
    Evidence,
    ExportReport,
    GradeReport,
    GradeView,
    ImportReport,
    ItemList,
    ItemView,
    MeetingView,
    NewItemFields,
)
from bilat.options import KINDS, STATUSES, ItemKind, Status

__all__ = [
    "EDITABLE_FIELDS",
    "IATI_STATUS",
    "INDICATOR_FIELDS",
    "ITEM_FIELDS",
    "KINDS",
    "PROGRESS_STATUSES",
    "STATUSES",
    "ActualView",
    "Agenda",
    "CaseDoc",
    "Change",
    "CommissionView",
    "ComplianceSummary",
    "DueDigest",
    "Edit",
    "Evidence",
    "ExportReport",
    "GradeReport",
    "GradeView",
    "ImportReport",
    "IndicatorProgress",
    "IndicatorReport",
    "IndicatorView",
    "ItemDoc",
    "ItemIndicators",
    "ItemKind",
    "ItemList",
    "ItemView",
    "MeetingView",
    "NewItemFields",
    "Progress",
    "ProgressPoint",
    "Status",
    "case_items",
    "due_end",
    "due_items",
    "iati_activities",
    "ics_feed",
    "parse_within",
    "progress",
    "read_agenda",
    "read_case",
]
