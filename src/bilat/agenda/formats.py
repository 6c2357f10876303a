"""Exchange formats of the agenda: IATI activity XML, an iCalendar feed, a deadline digest.

- :func:`iati_activities` writes a commission's items as IATI 2.03 activities (standard
  library ``xml.etree``; validated against the IATI schema in the tests). The identifiers
  are *local*: the reporting organisation is the case, ``BILAT-LOCAL-<case>``, not an
  identifier registered with the IATI organisation registry.
- :func:`ics_feed` writes the commission's meetings and every item's deadline as all-day
  events, with UIDs that stay the same from one export to the next.
- :func:`due_items` lists the open items whose deadline falls within a window of days, and
  those already past it (``bilat agenda due --within 30d``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bilat.agenda.caseio import due_end
from bilat.agenda.indicators import ActualView, IndicatorReport, IndicatorView, ItemIndicators
from bilat.agenda.views import CommissionView, ItemView, MeetingView
from bilat.errors import InputError

__all__ = [
    "IATI_STATUS",
    "IATI_VERSION",
    "DueDigest",
    "ResultsHook",
    "deadline_uid",
    "due_items",
    "iati_activities",
    "iati_identifier",
    "iati_results",
    "ics_feed",
    "meeting_uid",
    "parse_within",
    "party_codes",
    "period_start",
    "results_hook",
]

#: The IATI standard version the export follows (``version`` of ``iati-activities``).
IATI_VERSION = "2.03"

#: bilat status → IATI ActivityStatus code (1 Pipeline/identification, 2 Implementation,
#: 4 Closed, 5 Cancelled). ``proposed`` and ``agreed`` both say "not yet started".
IATI_STATUS: Mapping[str, str] = {
    "proposed": "1",
    "agreed": "1",
    "in_progress": "2",
    "done": "4",
    "dropped": "5",
}

#: IATI OrganisationType 10 (Government) and 90 (Other: a bilateral commission fits no code).
_GOVERNMENT, _OTHER = "10", "90"
#: IATI OrganisationRole 2: Accountable (the government answerable for the commitment).
_ACCOUNTABLE = "2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI ActivityDateType codes.
_PLANNED_START, _ACTUAL_START, _PLANNED_END, _ACTUAL_END = "1", "2", "3", "4"

#: Extension point for results and indicators: given an item, the ``<result>`` elements to
#: add to its activity (:func:`results_hook` gives those of the items' indicators).
ResultsHook = Callable[[ItemView], Iterable[ET.Element]]


def iati_identifier(case_id: str, item_id: str) -> str:
    """The local IATI identifier of an item: ``BILAT-LOCAL-<case>-<item>``.

    The prefix names bilat and the case, not a registered organisation: a publisher must
    replace it with its own registered organisation identifier before publishing to IATI.
    """
    return f"{_reporting_ref(case_id)}-{item_id}"


def _reporting_ref(case_id: str) -> str:
    return f"BILAT-LOCAL-{case_id}"


def _narrative(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    ET.SubElement(el, "narrative").text = text
    return el


def iati_activities(
    commission: CommissionView,
    items: Sequence[ItemView],
    *,
    iso2: Mapping[str, str],
    names: Mapping[str, str],
    generated: dt.datetime,
    results: ResultsHook | None = None,
) -> bytes:
    """The items of a commission as an IATI 2.03 ``iati-activities`` document (UTF-8 bytes).

    Parameters
    ----------
    commission
        The commission; its case id makes the local reporting-org identifier.
    items
        The items to write, one ``iati-activity`` each.
    iso2, names
        ISO 3166-1 alpha-2 code and English name of each party (by ISO3).
    generated
        The file's ``generated-datetime`` (timezone-aware).
    results
        Optional hook giving each item's ``<result>`` elements (indicators); none by default.
    """
    root = ET.Element(
        "iati-activities", {"version": IATI_VERSION, "generated-datetime": generated.isoformat()}
    )
    case_id = commission.case_id or commission.id
    for item in items:
        act = ET.SubElement(root, "iati-activity", _activity_attrs(item))
        ET.SubElement(act, "iati-identifier").text = iati_identifier(case_id, item.id)
        _narrative(
            act,
            "reporting-org",
            f"{commission.name} (bilat case {case_id}; local identifier, not registered)",
            ref=_reporting_ref(case_id),
            type=_OTHER,
        )
        _narrative(act, "title", item.title)
        _narrative(act, "description", _description(item), type="1")
        for party in commission.parties:
            org = _narrative(
                act, "participating-org", f"Government of {names[party]} ({party})",
                role=_ACCOUNTABLE, type=_GOVERNMENT,
            )  # fmt: skip
            if party == item.party:
                org.find("narrative").text += ", responsible party"  # type: ignore[operator,union-attr]
        ET.SubElement(act, "activity-status", {"code": _status_code(item)})
        _dates(act, item)
        for party in commission.parties:
            ET.SubElement(act, "recipient-country", {"code": iso2[party]})
        for el in results(item) if results else ():
            act.append(el)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _activity_attrs(item: ItemView) -> dict[str, str]:
    """Narratives in English; last updated when the item's row was last written."""
    attrs = {_XML_LANG: "en"}
    if item.updated_at is not None:
        attrs["last-updated-datetime"] = item.updated_at.replace(microsecond=0).isoformat()
    if item.currency is not None:
        attrs["default-currency"] = item.currency
    return attrs


def _status_code(item: ItemView) -> str:
    if item.status is None:
        raise InputError(f"item {item.id} has no status as of {item.as_of}; export a later date")
    return IATI_STATUS[item.status]


def _description(item: ItemView) -> str:
    base = item.description or item.title
    return f"{base} (Agreed at meeting {item.meeting} on {item.meeting_date}.)"


def _dates(act: ET.Element, item: ItemView) -> None:
    """Activity dates: agreement (as planned start), actual start and end, planned end = due."""
    _narrative(
        act, "activity-date",
        f"Date the commission agreed the item ({item.meeting}); no start date is reported.",
        type=_PLANNED_START, **{"iso-date": item.meeting_date.isoformat()},
    )  # fmt: skip
    for change in item.history:
        if change.date > item.as_of:
            continue
        if change.status == "in_progress":
            ET.SubElement(
                act, "activity-date", {"type": _ACTUAL_START, "iso-date": change.date.isoformat()}
            )
        elif change.status == "done":
            ET.SubElement(
                act, "activity-date", {"type": _ACTUAL_END, "iso-date": change.date.isoformat()}
            )
    if item.due_date is not None:
        _narrative(
            act, "activity-date", f"Due {item.due} (last day of the period as written).",
            type=_PLANNED_END, **{"iso-date": item.due_date.isoformat()},
        )  # fmt: skip


# ------------------------------------------------------------------------------- iCalendar


def deadline_uid(commission: str, item_id: str) -> str:
    """UID of an item's deadline event; depends only on the ids, so it is stable."""
    return f"due.{item_id}.{commission}@bilat.agenda"


def meeting_uid(commission: str, meeting_id: str) -> str:
    """UID of a meeting's event; depends only on the ids, so it is stable."""
    return f"meeting.{meeting_id}.{commission}@bilat.agenda"


def ics_feed(
    commission: CommissionView,
    meetings: Sequence[MeetingView],
    items: Sequence[ItemView],
    *,
    generated: dt.datetime,
) -> bytes:
    """An iCalendar (RFC 5545) feed: one all-day event per meeting and per item's deadline.

    Items without a deadline have no event. ``generated`` is every event's ``DTSTAMP``.
    """
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//bilat//agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{commission.name}: meetings and deadlines")
    for m in meetings:
        ev = icalendar.Event()
        ev.add("uid", meeting_uid(commission.id, m.id))
        ev.add("dtstamp", generated)
        ev.add("dtstart", m.date)
        ev.add("dtend", m.date + dt.timedelta(days=1))
        ev.add("summary", m.title or f"Meeting {m.id}")
        if m.place:
            ev.add("location", m.place)
        ev.add("categories", ["meeting"])
        cal.add_component(ev)
    for item in items:
        if item.due_date is None:
            continue
        ev = icalendar.Event()
        ev.add("uid", deadline_uid(commission.id, item.id))
        ev.add("dtstamp", generated)
        ev.add("dtstart", item.due_date)
        ev.add("dtend", item.due_date + dt.timedelta(days=1))
        ev.add("summary", f"Due: {item.title}")
        ev.add(
            "description",
            f"Item {item.id} ({item.kind}), due {item.due} as written; status {item.status} "
            f"as of {item.as_of}; agreed at {item.meeting} on {item.meeting_date}.",
        )
        ev.add("categories", ["deadline", item.kind])
        cal.add_component(ev)
    return bytes(cal.to_ical())


# ------------------------------------------------------------------------------ due digest

_WITHIN = re.compile(r"^\s*(\d{1,4})\s*([dw])\s*$", re.IGNORECASE)


def parse_within(text: str) -> int:
    """Days in a window written ``30d`` or ``2w`` (days or weeks, 0 to 9999 of them).

    >>> parse_within("30d"), parse_within("2w")
    (30, 14)
    """
    m = _WITHIN.match(text)
    if not m:
        raise InputError(
            f"bad window {text!r}; expected a number of days or weeks such as 30d or 2w",
            details={"value": text, "expected": "<n>d or <n>w", "argument": "within"},
        )
    n = int(m.group(1))
    return n * 7 if m.group(2).lower() == "w" else n


@dataclass(frozen=True, slots=True)
class DueDigest:
    """Open items due within a window, and open items already past their deadline.

    Attributes
    ----------
    as_of, until
        The window: deadlines from ``as_of`` to ``until``, both included.
    within_days
        Length of the window in days (``until - as_of``).
    due
        Items not ``done`` or ``dropped`` as of ``as_of`` whose deadline is in the window,
        earliest first.
    overdue
        Items not ``done`` or ``dropped`` whose deadline passed before ``as_of``.
    without_deadline
        How many open items have no deadline (not in either list: nothing to be due).
    """

    as_of: dt.date
    until: dt.date
    within_days: int
    due: tuple[ItemView, ...]
    overdue: tuple[ItemView, ...]
    without_deadline: int


def due_items(items: Iterable[ItemView], *, as_of: dt.date, within_days: int) -> DueDigest:
    """The digest of ``items`` (as of ``as_of``) for a window of ``within_days`` days."""
    until = as_of + dt.timedelta(days=within_days)
    open_ = [i for i in items if i.status not in (None, "done", "dropped")]
    dated = sorted((i for i in open_ if i.due_date is not None), key=lambda i: i.due_date)  # type: ignore[arg-type,return-value]
    return DueDigest(
        as_of,
        until,
        within_days,
        tuple(i for i in dated if as_of <= i.due_date <= until),  # type: ignore[operator]
        tuple(i for i in dated if i.due_date < as_of),  # type: ignore[operator]
        sum(1 for i in open_ if i.due_date is None),
    )


def party_codes(parties: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """ISO 3166-1 alpha-2 codes (the IATI Country codelist) and English names, by ISO3."""
    import country_converter as coco

    from bilat.codes import country_name

    data = coco.CountryConverter().data
    codes = {str(a): str(b) for a, b in zip(data["ISO3"], data["ISO2"], strict=True)}
    return {p: codes[p] for p in parties}, {p: country_name(p) for p in parties}


# ---------------------------------------------------------------- IATI results (issue 18)

#: IATI ResultType 1 Output (an entered indicator: what the item delivers) and 2 Outcome (a
#: measured one: the trade it was meant to move); IndicatorMeasure 1 Unit, 2 Percentage.
_OUTPUT, _OUTCOME = "1", "2"
_UNIT, _PERCENT = "1", "2"


def period_start(period: str) -> dt.date:
    """The first day of a period as written (``2022-Q3`` → 2022-07-01); see ``due_end``."""
    end = due_end(period)
    text = period.strip()
    if len(text) == 10:
        return end
    if len(text) == 4:
        return dt.date(end.year, 1, 1)
    if text[5] in "QH":
        months = 3 if text[5] == "Q" else 6
        return dt.date(end.year, end.month - months + 1, 1)
    return end.replace(day=1)


def iati_results(indicators: ItemIndicators) -> list[ET.Element]:
    """An item's indicators as IATI ``<result>`` elements: baseline, target, actual per period.

    One result per indicator. Each actual is a ``<period>`` (its first and last day) with an
    ``<actual>`` whose comment says its source (entered) or its basis and coverage
    (measured); a year no source covers has an ``<actual>`` without a value, saying why. The
    target is in the period of ``target_period``.
    """
    out = []
    for ind in indicators.indicators:
        result = ET.Element("result", {"type": _OUTCOME if ind.measure else _OUTPUT})
        _narrative(result, "title", f"{ind.name} ({indicators.title})")
        attrs = {"measure": _PERCENT if ind.unit == "percent" else _UNIT}
        if ind.baseline is not None and ind.target is not None:
            attrs["ascending"] = "1" if ind.target >= ind.baseline else "0"
        el = ET.SubElement(result, "indicator", attrs)
        _narrative(el, "title", f"{ind.name} ({ind.unit})")
        _narrative(el, "description", _indicator_text(ind))
        if ind.baseline_period is not None:
            base = ET.SubElement(el, "baseline", _value_attrs(ind.baseline_period, ind.baseline))
            _narrative(base, "comment", f"Baseline: {ind.baseline_basis}.")
        _periods(el, ind)
        out.append(result)
    return out


def _value_attrs(period: str, value: float | None) -> dict[str, str]:
    attrs = {"year": str(due_end(period).year), "iso-date": due_end(period).isoformat()}
    if value is not None:
        attrs["value"] = _iati_number(value)
    return attrs


def _iati_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _indicator_text(ind: IndicatorView) -> str:
    how = (
        f"Measured from the trade lake: {', '.join(f'{k} {v}' for k, v in ind.measure.items())} "
        "of the commission's dyad, US dollars"
        if ind.measure
        else "Entered, each actual with its source"
    )
    parts = [how, f"progress: {ind.progress.text}"]
    parts += [f"stated in: {ind.source}"] if ind.source else []
    parts += [ind.note.rstrip(".")] if ind.note else []
    return "; ".join(parts) + "."


def _periods(el: ET.Element, ind: IndicatorView) -> None:
    periods: dict[str, list[ActualView]] = {}
    for a in ind.actuals:
        periods.setdefault(a.period, []).append(a)
    if ind.target is not None and ind.target_period is not None:
        periods.setdefault(ind.target_period, [])
    for text in sorted(periods, key=lambda p: (period_start(p), p)):
        p = ET.SubElement(el, "period")
        ET.SubElement(p, "period-start", {"iso-date": period_start(text).isoformat()})
        ET.SubElement(p, "period-end", {"iso-date": due_end(text).isoformat()})
        if text == ind.target_period and ind.target is not None:
            target = ET.SubElement(p, "target", {"value": _iati_number(ind.target)})
            _narrative(target, "comment", f"Target for {text}" +
                       (f", stated in: {ind.source}." if ind.source else "."))  # fmt: skip
        for a in periods[text]:
            actual = ET.SubElement(
                p, "actual", {} if a.value is None else {"value": _iati_number(a.value)}
            )
            _narrative(actual, "comment", _actual_text(a))


def _actual_text(a: ActualView) -> str:
    if not a.measured:
        return f"Source: {a.source}" + (f"; {a.note}" if a.note else "") + "."
    if a.value is None:
        return f"Not available (not 0): {a.gap}; coverage {a.coverage}."
    return (
        f"Measured: basis {a.basis}, {a.levels}, lake source {a.source or 'none'}; "
        f"coverage {a.coverage}."
    )


def results_hook(report: IndicatorReport) -> ResultsHook:
    """The ``results=`` hook of :func:`iati_activities` for the items of ``report``."""
    by_item = {i.item: i for i in report.items}
    return lambda item: iati_results(by_item[item.id]) if item.id in by_item else []
