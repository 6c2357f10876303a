"""The public surface of bilat.agenda is exactly what we mean to export."""

from __future__ import annotations

import bilat.agenda


def test_all_is_the_public_surface() -> None:
    assert sorted(bilat.agenda.__all__) == sorted(
        [
            "EDITABLE_FIELDS",  # issue 18
            "ITEM_FIELDS",
            "KINDS",
            "STATUSES",
            "Agenda",
            "CaseDoc",
            "Change",
            "CommissionView",
            "Edit",  # issue 18
            "ExportReport",
            "ImportReport",
            "ItemDoc",
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
            "progress",
            "read_agenda",
            "read_case",
            # issue 18: exchange formats
            "DueDigest",
            "IATI_STATUS",
            "due_items",
            "iati_activities",
            "ics_feed",
            "parse_within",
            # issue 18: grades
            "ComplianceSummary",
            "Evidence",
            "GradeReport",
            "GradeView",
            # issue 18: indicators
            "INDICATOR_FIELDS",
            "PROGRESS_STATUSES",
            "ActualView",
            "IndicatorProgress",
            "IndicatorReport",
            "IndicatorView",
            "ItemIndicators",
        ]
    )
    for name in bilat.agenda.__all__:
        assert getattr(bilat.agenda, name) is not None
