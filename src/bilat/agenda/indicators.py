"""Indicators of agenda items: baseline, target, actuals per period, and progress.

An indicator (IATI's result indicator) is *measured* or *entered*:

* measured (``measure = {"basket": NAME}`` or ``{"hs": CODE}`` with ``"direction":
  "export"`` (the dyad's first party to its second) or ``"import"``): its actuals are the
  yearly values of that series read from the lake through :func:`bilat.agenda.progress`
  (source precedence, each code at its own HS level, coverage per year). A year no source
  covers is a gap with its reason, never 0. When the baseline is not written but its period
  is a year, the baseline is that year's measured value.
* entered: its actuals are rows written with their source (``Agenda.record_actual``).

Progress is the share of the way from baseline to target,
``(actual − baseline) / (target − baseline)``, of the latest actual; the verdict compares it
with the share of the time from the baseline's period to the target's that has passed by
the latest actual's period (linear path): ``target_met`` (share ≥ 1), ``on_track`` (share ≥
the time's share), ``behind``, ``no_target`` (none stated), ``no_actual`` (nothing recorded
yet) or ``not_measurable`` (no covered year, no baseline, no periods: the reason says).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bilat import formats
from bilat.agenda import _checks as check
from bilat.agenda._indicators_io import (
    EDIT_FIELDS,
    ActualDoc,
    IndicatorDoc,
    check_measure,
    number,
    period,
    yaml_indicators,
)
from bilat.agenda._periods import due_end
from bilat.agenda.models import Indicator, IndicatorActual, Item, ItemEdit
from bilat.agenda.views import ItemView
from bilat.errors import BilatError, InputError, NotFoundError

__all__ = [
    "INDICATOR_FIELDS",
    "PROGRESS_STATUSES",
    "ActualView",
    "IndicatorProgress",
    "IndicatorReport",
    "IndicatorView",
    "ItemIndicators",
    "format_amount",
    "judge",
]

#: The verdicts of :func:`judge`, in words.
PROGRESS_STATUSES: Mapping[str, str] = {
    "target_met": "target met",
    "on_track": "on track",
    "behind": "behind",
    "no_target": "no target",
    "no_actual": "no actual recorded",
    "not_measurable": "not measurable",
}

#: The fields of an indicator ``Agenda.add_indicator`` takes (and ``edit_indicator`` changes).
INDICATOR_FIELDS = (
    "name",
    "unit",
    "measure",
    "baseline",
    "baseline_period",
    "target",
    "target_period",
    "source",
    "note",
)


@dataclass(frozen=True, slots=True)
class ActualView:
    """One actual of an indicator for a period: entered with its source, or measured.

    Attributes
    ----------
    period
        The period as written (a year for a measured indicator).
    value
        The value; ``None`` for a measured year no source covers (a gap, not 0).
    source
        Entered: where the value is reported. Measured: the lake sources it rests on.
    note, author, recorded_at
        Entered actuals only: a note, who entered it, when (UTC).
    measured
        Whether the value was read from the lake.
    basis, levels
        Measured: the source classes the value rests on (source precedence) and the HS
        levels it was built from.
    coverage
        Measured: which sources cover the year (``full``, ``partial: ...``, ``none: ...``).
    gap
        Why no value: the reason no source covers the year.
    """

    period: str
    value: float | None
    source: str | None
    note: str | None = None
    author: str | None = None
    recorded_at: dt.datetime | None = None
    measured: bool = False
    basis: str | None = None
    levels: str | None = None
    coverage: str | None = None
    gap: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorProgress:
    """Where an indicator stands: verdict, share of the way, latest actual, why.

    ``share`` is ``(latest − baseline) / (target − baseline)``; ``expected`` the share of
    the time from the baseline's period to the target's passed by the latest actual's period.
    """

    status: str
    share: float | None
    expected: float | None
    latest: ActualView | None
    text: str


@dataclass(frozen=True, slots=True)
class IndicatorView:
    """An indicator with its actuals and progress (see the module's documentation).

    ``baseline_basis`` says where the baseline comes from: ``as written`` (with
    ``source``), ``measured`` (the lake, with its coverage) or why there is none.
    """

    item: str
    key: str
    name: str
    unit: str
    measure: dict[str, str] | None
    baseline: float | None
    baseline_period: str | None
    baseline_basis: str
    target: float | None
    target_period: str | None
    source: str | None
    note: str | None
    actuals: tuple[ActualView, ...]
    progress: IndicatorProgress


@dataclass(frozen=True, slots=True)
class ItemIndicators:
    """An item's indicators; ``version`` is the item's (pass it back to record an actual)."""

    item: str
    title: str
    version: int
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True, slots=True)
class IndicatorReport:
    """Indicators of one item or all items (``bilat agenda indicators``).

    ``lake`` says whether measured indicators were read (none given: not measurable);
    ``synthetic`` that the lake holds generated sample data; ``precedence`` the source
    precedence measured values were read with.
    """

    items: tuple[ItemIndicators, ...]
    lake: bool
    synthetic: bool
    precedence: str

    @property
    def n_indicators(self) -> int:
        return sum(len(i.indicators) for i in self.items)


# ------------------------------------------------------------------------------ progress


def _end(p: str) -> dt.date:
    return due_end(p)


def format_amount(value: float | None, unit: str) -> str:
    """An indicator's value in its unit, through :mod:`bilat.formats`: US dollars as money
    (``$22.7M``), anything else as the number and the unit (``1,234 t``, ``0.3149 index``;
    from 100 up whole, below it four significant digits, so a small value never reads 0)."""
    f = None if value is None else float(value)
    if f is None or f != f:
        return formats.MISSING
    if unit == "usd":
        return formats.money(f)
    digits = 0 if f == 0 or abs(f) >= 100 else max(0, 3 - math.floor(math.log10(abs(f))))
    return f"{formats.number(f, digits=digits)} {unit}".rstrip()


def _share(v: float) -> str:
    """A share of the way or of the time (``0.45`` → ``45%``)."""
    return formats.percent(100 * v, digits=0)


def judge(
    *,
    unit: str,
    baseline: float | None,
    baseline_period: str | None,
    target: float | None,
    target_period: str | None,
    actuals: Sequence[ActualView],
    measured: bool,
    unmeasured: str = "",
) -> IndicatorProgress:
    """The verdict on an indicator's latest actual (see the module's documentation)."""
    covered = [(i, a) for i, a in enumerate(actuals) if a.value is not None]
    if not covered:
        if not measured:
            return IndicatorProgress("no_actual", None, None, None, "no actual recorded")
        gaps = "; ".join(dict.fromkeys(a.gap for a in actuals if a.gap)) or unmeasured
        return IndicatorProgress(
            "not_measurable", None, None, None, f"not measurable: {gaps or 'no year read'}"
        )
    latest = max(covered, key=lambda ia: (_end(ia[1].period), ia[0]))[1]
    assert latest.value is not None
    now = f"latest {format_amount(latest.value, unit)} ({latest.period})"
    if target is None:
        return IndicatorProgress("no_target", None, None, latest, f"{now}; no target stated")
    if baseline is None or baseline == target:
        why = "no baseline" if baseline is None else "the target equals the baseline"
        return IndicatorProgress(
            "not_measurable", None, None, latest,
            f"{now}; not measurable: {why}, so no share of the way to the target",
        )  # fmt: skip
    share = (latest.value - baseline) / (target - baseline)
    frm, to = format_amount(baseline, unit), format_amount(target, unit)
    way = f"{now}; {_share(share)} of the way from {frm} to {to}"
    if share >= 1:
        return IndicatorProgress("target_met", share, None, latest, f"{way}: target met")
    if baseline_period is None or target_period is None:
        return IndicatorProgress(
            "not_measurable", share, None, latest,
            f"{way}; no baseline or target period, so on track or behind is undetermined",
        )  # fmt: skip
    start, stop = _end(baseline_period), _end(target_period)
    span = (stop - start).days
    passed = (_end(latest.period) - start).days
    expected = 1.0 if span <= 0 else min(1.0, max(0.0, passed / span))
    status = "on_track" if share >= expected - 1e-9 else "behind"
    return IndicatorProgress(
        status, share, expected, latest,
        f"{way} by {target_period}, {_share(expected)} of the time passed: "
        f"{PROGRESS_STATUSES[status]}",
    )  # fmt: skip


# --------------------------------------------------------------------- measured actuals


def _series_item(item: ItemView, measure: Mapping[str, str]) -> tuple[ItemView, str]:
    if "basket" in measure:
        return dataclasses.replace(item, baskets=(measure["basket"],), hs=()), measure["basket"]
    return dataclasses.replace(item, baskets=(), hs=(measure["hs"],)), f"hs:{measure['hs']}"


def measured_actuals(
    item: ItemView,
    measure: Mapping[str, str],
    baseline_period: str | None,
    *,
    dyad: tuple[str, str],
    view: Any,
) -> tuple[list[ActualView], ActualView | None]:
    """The yearly values of a measured indicator, and its baseline year's value (if a year).

    Years run from the baseline's year (else the meeting's) to the last year the lake
    holds; each says its coverage, and a year no source covers is a gap (value ``None``).
    """
    from bilat.agenda.progress import progress

    base_year = int(baseline_period) if baseline_period and baseline_period.isdigit() else None
    first = min(base_year or item.meeting_date.year, item.meeting_date.year)
    held = list(view.years())
    last = max(held) if held else first - 1
    if last < first:
        return [], None
    one, name = _series_item(item, measure)
    anchors = [item.meeting_date.year, *(c.date.year for c in item.history)]
    anchors += [item.due_date.year] if item.due_date else []
    before = min(30, max(0, min(anchors) - first))
    after = min(30, max(0, last - max(anchors)))
    got = progress(one, view, dyad=dyad, before=before, after=after)
    exporter = dyad[0] if measure["direction"] == "export" else dyad[1]
    out: dict[int, ActualView] = {}
    for p in got.points:
        if p.series == name and p.exporter == exporter and first <= p.year <= last:
            out[p.year] = ActualView(
                period=str(p.year), value=p.value_usd, source=p.source or None, measured=True,
                basis=p.basis or "no rows: the covering sources list nothing",
                levels=p.levels or None, coverage=p.coverage.text() if p.coverage else None,
            )  # fmt: skip
    for g in got.gaps:
        if g.series == name and g.exporter == exporter and first <= g.year <= last:
            out[g.year] = ActualView(
                period=str(g.year), value=None, source=None, measured=True,
                coverage=g.coverage.text(), gap=f"{g.year}: {g.reason}",
            )  # fmt: skip
    base = out.get(base_year) if base_year is not None else None
    start = base_year + 1 if base_year is not None else first
    return [out[y] for y in sorted(out) if y >= start], base


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    # SQLite keeps no time zone; every time written here is UTC.
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def _entered(row: Indicator) -> list[ActualView]:
    return [
        ActualView(a.period, a.value, a.source, a.note, a.author, _utc(a.recorded_at))
        for a in row.actuals
    ]


def indicator_view(
    row: Indicator, item: ItemView, *, dyad: tuple[str, str], view: Any | None
) -> IndicatorView:
    """An indicator row with its actuals (read from ``view``, a trade view, when measured)."""
    measure = dict(row.measure) if row.measure else None
    baseline, basis = row.baseline, "as written" + (f" ({row.source})" if row.source else "")
    unmeasured = ""
    if measure is None:
        actuals = _entered(row)
    elif view is None:
        actuals, unmeasured = [], "no lake given to read it from"
    else:
        try:
            actuals, base = measured_actuals(item, measure, row.baseline_period, dyad=dyad,
                                             view=view)  # fmt: skip
        except BilatError as exc:
            actuals, base, unmeasured = [], None, exc.message
        if not actuals and not unmeasured:
            unmeasured = "the lake holds no year after the baseline"
        if row.baseline is None and base is not None:
            baseline = base.value
            basis = f"measured {base.period}, coverage {base.coverage}, {base.basis}"
            if base.value is None:
                basis = f"not measurable: {base.gap}"
    if baseline is None and row.baseline is None and measure is None:
        basis = "not stated"
    elif baseline is None and measure is not None and not row.baseline_period:
        basis = "not stated (no baseline period to measure)"
    elif baseline is None and measure is not None and not basis.startswith("not measurable"):
        # Not written and not read (no lake, or the lake does not reach the period): never
        # "as written", which would claim a stated baseline.
        why = unmeasured or f"the lake holds no value for {row.baseline_period}"
        basis = f"not measurable: {why}"
    verdict = judge(
        unit=row.unit, baseline=baseline, baseline_period=row.baseline_period,
        target=row.target, target_period=row.target_period, actuals=actuals,
        measured=measure is not None, unmeasured=unmeasured,
    )  # fmt: skip
    return IndicatorView(
        item=row.item_id, key=row.key, name=row.name, unit=row.unit, measure=measure,
        baseline=baseline, baseline_period=row.baseline_period, baseline_basis=basis,
        target=row.target, target_period=row.target_period, source=row.source,
        note=row.note, actuals=tuple(actuals), progress=verdict,
    )  # fmt: skip


# ------------------------------------------------------------------- rows and documents


def indicator_rows(docs: Sequence[IndicatorDoc]) -> list[Indicator]:
    """The rows of an item's indicators (import); entered actuals with their author."""
    now = dt.datetime.now(dt.UTC)
    return [_row(d, i, now) for i, d in enumerate(docs)]


def _row(d: IndicatorDoc, position: int, now: dt.datetime) -> Indicator:
    return Indicator(
        key=d.key, position=position, name=d.name, unit=d.unit,
        measure=dict(d.measure) if d.measure is not None else None,
        baseline=d.baseline, baseline_period=d.baseline_period, target=d.target,
        target_period=d.target_period, source=d.source, note=d.note,
        actuals=[
            IndicatorActual(period=a.period, value=a.value, source=a.source, note=a.note,
                            author=a.author, recorded_at=now)
            for a in d.actuals
        ],
    )  # fmt: skip


def indicator_docs(row: Item) -> tuple[IndicatorDoc, ...]:
    """An item's indicators as ``agenda.yaml`` writes them (export)."""
    return tuple(_doc(i) for i in row.indicators)


def _doc(i: Indicator) -> IndicatorDoc:
    return IndicatorDoc(
        key=i.key, name=i.name, unit=i.unit,
        measure=dict(i.measure) if i.measure else None,
        baseline=i.baseline, baseline_period=i.baseline_period, target=i.target,
        target_period=i.target_period, source=i.source, note=i.note,
        actuals=tuple(ActualDoc(a.period, a.value, a.source, a.note, a.author)
                      for a in i.actuals),
    )  # fmt: skip


# ------------------------------------------------------------------------------- writes


def checked_indicator(
    key: str, fields: Mapping[str, Any], baskets: Mapping[str, Any]
) -> IndicatorDoc:
    """A new indicator's values, checked as ``agenda.yaml`` is (no actuals)."""
    unknown = sorted(set(fields) - set(INDICATOR_FIELDS))
    if unknown:
        raise check.bad(unknown[0], "not a field of an indicator", value=unknown[0],
                        expected="one of " + ", ".join(INDICATOR_FIELDS))  # fmt: skip
    measure = fields.get("measure")
    m = None if not measure else check_measure(measure, baskets)
    unit = check.text(fields.get("unit"))
    if m is not None and unit not in (None, "usd"):
        raise check.bad("unit", "a measured indicator is in US dollars", value=unit,
                        expected="usd")  # fmt: skip
    if m is None and unit is None:
        raise check.bad("unit", "an entered indicator needs a unit",
                        expected="tonnes, units, usd, percent ...")  # fmt: skip
    return IndicatorDoc(
        key=check.ident(check.required(key, "key"), field="key"),
        name=check.required(fields.get("name"), "name"),
        unit="usd" if m is not None else str(unit),
        measure=m,
        baseline=_opt_number(fields.get("baseline"), "baseline"),
        baseline_period=check.optional(fields.get("baseline_period"),
                                       lambda t: period(t, field="baseline_period")),
        target=_opt_number(fields.get("target"), "target"),
        target_period=check.optional(fields.get("target_period"),
                                     lambda t: period(t, field="target_period")),
        source=check.text(fields.get("source")),
        note=check.text(fields.get("note")),
    )  # fmt: skip


def _opt_number(value: object, field: str) -> float | None:
    if value is None or check.text(value) is None:
        return None
    return number(value, field=field)


def find(row: Item, key: str) -> Indicator:
    """The indicator ``key`` of an item (``NotFoundError`` naming those it has)."""
    for i in row.indicators:
        if i.key == key:
            return i
    have = ", ".join(i.key for i in row.indicators) or "none"
    raise NotFoundError(
        f"item {row.id!r} has no indicator {key!r} (it has: {have})",
        details={"value": key, "item": row.id, "known": [i.key for i in row.indicators]},
    )


def _history(row: Item, old: Any, new: Any, author: str | None, reason: str | None) -> None:
    now = dt.datetime.now(dt.UTC)
    row.edits.append(
        ItemEdit(field=EDIT_FIELDS[0], old=old, new=new, reason=reason, author=author,
                 recorded_at=now)
    )  # fmt: skip
    row.updated_by, row.updated_at = author, now


def apply_add(row: Item, doc: IndicatorDoc, *, author: str | None, reason: str | None) -> None:
    """Add ``doc`` to ``row``'s indicators (after the others), with a history row."""
    if any(i.key == doc.key for i in row.indicators):
        raise check.bad("key", f"item {row.id!r} already has this indicator", value=doc.key,
                        hint="choose another key, or edit the indicator")  # fmt: skip
    last = max((i.position for i in row.indicators), default=-1)
    row.indicators.append(_row(doc, last + 1, dt.datetime.now(dt.UTC)))
    _history(row, None, yaml_indicators((doc,))[0], author, reason)


def apply_edit(
    row: Item, key: str, changes: Mapping[str, Any], baskets: Mapping[str, Any],
    *, author: str | None, reason: str | None,
) -> bool:  # fmt: skip
    """Change fields of indicator ``key``, checked; whether anything changed."""
    ind = find(row, key)
    old = _doc(ind)
    fields = {f: getattr(old, f) for f in INDICATOR_FIELDS} | dict(changes)
    if old.measure is not None and fields.get("measure") is None and "unit" not in changes:
        fields["unit"] = None
    new = dataclasses.replace(checked_indicator(key, fields, baskets), actuals=old.actuals)
    if new.measure is not None and old.actuals:
        raise InputError(f"indicator {key!r} has entered actuals; remove them before measuring it")
    if new == old:
        return False
    for f in INDICATOR_FIELDS:
        setattr(ind, f, dict(v) if isinstance(v := getattr(new, f), Mapping) else v)
    _history(row, yaml_indicators((old,))[0], yaml_indicators((new,))[0], author, reason)
    return True


def apply_remove(row: Item, key: str, *, author: str | None, reason: str) -> None:
    """Remove indicator ``key`` and its actuals; the history row keeps what it was."""
    ind = find(row, key)
    old = yaml_indicators((_doc(ind),))[0]
    row.indicators.remove(ind)
    _history(row, old, None, author, reason)


def apply_actual(
    row: Item, key: str, *, period_text: str, value: object, source: str,
    note: str | None, author: str | None,
) -> None:  # fmt: skip
    """Record an entered actual of indicator ``key`` (refused for a measured one)."""
    ind = find(row, key)
    if ind.measure:
        raise InputError(
            f"indicator {key!r} of {row.id!r} is measured from the lake "
            f"({', '.join(f'{k} {v}' for k, v in ind.measure.items())}); its actuals are read, "
            "not entered",
            details={"value": key, "item": row.id},
        )
    actual = IndicatorActual(
        period=period(check.required(period_text, "period"), field="period"),
        value=number(check.required(value, "value"), field="value"),
        source=check.required(source, "source"),
        note=check.text(note), author=check.text(author), recorded_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    ind.actuals.append(actual)
    new = {"indicator": key, "period": actual.period, "value": actual.value,
           "source": actual.source}  # fmt: skip
    row.edits.append(
        ItemEdit(field=EDIT_FIELDS[1], old=None, new=new, reason=actual.note,
                 author=actual.author, recorded_at=actual.recorded_at)
    )  # fmt: skip
    row.updated_by, row.updated_at = actual.author, actual.recorded_at
