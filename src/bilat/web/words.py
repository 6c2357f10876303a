"""The pages' words for codes (statuses, kinds, roles, verdicts, fields), in the current language.

A code the table does not know is shown as itself: a new status is never hidden, only
untranslated until it is added here (and to ``locale/ru/LC_MESSAGES/web.po``).
"""

from __future__ import annotations

from bilat.i18n import gettext as _

__all__ = ["nav", "word"]


def _table() -> dict[str, str]:
    return {
        # agenda statuses and kinds
        "proposed": _("proposed"),
        "agreed": _("agreed"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "dropped": _("dropped"),
        "decision": _("decision"),
        "project": _("project"),
        "contract": _("contract"),
        "proposal": _("proposal"),
        "area_of_interest": _("area of interest"),
        # grades
        "full": _("full"),
        "partial": _("partial"),
        "none": _("none"),
        "too_early": _("too early"),
        # roles
        "viewer": _("viewer"),
        "editor": _("editor"),
        "admin": _("admin"),
        # indicator progress
        "target_met": _("target met"),
        "on_track": _("on track"),
        "behind": _("behind"),
        "no_target": _("no target"),
        "no_actual": _("no actual recorded"),
        "not_measurable": _("not measurable"),
        # claims' verdicts
        "supported": _("supported"),
        "supported within tolerance": _("supported within tolerance"),
        "roughly": _("roughly"),
        "contradicted": _("contradicted"),
        "undetermined": _("undetermined"),
        "consistent": _("consistent"),
        "inconsistent": _("inconsistent"),
        # product events
        "appeared": _("appeared"),
        "resumed": _("resumed"),
        "ceased": _("ceased"),
        # item fields (the edit form)
        "kind": _("Kind"),
        "title": _("Title"),
        "description": _("Description"),
        "area": _("Area"),
        "party": _("Responsible party"),
        "body": _("Body"),
        "due": _("Due"),
        "value": _("Value"),
        "currency": _("Currency"),
        "count": _("Count"),
        "baskets": _("Baskets"),
        "hs": _("HS codes"),
        "air_clause": _("Air clause"),
        "status": _("Status"),
    }


def word(code: object) -> str:
    """``code`` in words of the current language (itself when unknown)."""
    text = str(code)
    return _table().get(text, text)


def nav() -> tuple[tuple[str, str], ...]:
    """The header's links, in the current language."""
    return (
        ("/", _("Overview")),
        ("/products", _("Products")),
        ("/potential", _("Potential")),
        ("/agenda", _("Commitments")),
        ("/air", _("Air services")),
        ("/brief", _("Briefing")),
        ("/sources", _("Sources")),
    )
