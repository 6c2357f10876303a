"""``bilat agenda indicators|actual|indicator``: items' indicators and progress (issue 18).

A measured indicator's actuals are read from the lake (``--lake``); an entered one's are
recorded with ``bilat agenda actual``, each with its source.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from bilat import formats
from bilat.agenda.indicators import PROGRESS_STATUSES, IndicatorReport, format_amount
from bilat.cli import agenda as base
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    print_json,
    print_table,
    synthetic_banner,
    synthetic_line,
)
from bilat.cli.agenda_formats import lake_or_none
from bilat.errors import InputError

indicator_app = typer.Typer(
    help="Add or remove an item's indicators (baseline, target, measure).", no_args_is_help=True
)

Version = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        "--expected-version",
        help="The item's version you read (agenda show); refused if it changed since.",
    ),
]
NeedVersion = Annotated[
    int,
    typer.Option(
        "--expect-version",
        "--expected-version",
        help="The item's version you read (agenda show); refused if it changed since.",
    ),
]
Indicator = Annotated[str, typer.Argument(help="The indicator's key, as in agenda.yaml.")]
By = Annotated[str | None, base._opt("--by", "Who records it.")]


def _num(value: float | None, unit: str) -> str:
    return format_amount(value, unit)


def print_report(report: IndicatorReport) -> None:
    """The indicators and their actuals as tables (``—``: not available, never 0)."""
    for it in report.items:
        rows = []
        actuals = []
        for i in it.indicators:
            p = i.progress
            rows.append({
                "indicator": i.key,
                "baseline": f"{_num(i.baseline, i.unit)} ({i.baseline_period or '—'})",
                "target": f"{_num(i.target, i.unit)} ({i.target_period or '—'})",
                "latest": "—" if p.latest is None
                else f"{_num(p.latest.value, i.unit)} ({p.latest.period})",
                "share": "—" if p.share is None else formats.percent(100 * p.share, digits=0),
                "progress": PROGRESS_STATUSES[p.status],
            })  # fmt: skip
            for a in i.actuals:
                where = (
                    f"{a.basis}; {a.levels}; source {a.source or '—'}"
                    if a.measured and a.value is not None
                    else (a.gap or "") if a.measured
                    else f"{a.source}" + (f" ({a.note})" if a.note else "")
                )  # fmt: skip
                actuals.append({"indicator": i.key, "period": a.period,
                                "value": _num(a.value, i.unit), "coverage": a.coverage or "entered",
                                "basis or source": where})  # fmt: skip
        print_table(rows, title=f"{it.title} ({it.item}), version {it.version}: indicators")
        for i in it.indicators:
            console.print(f"  {i.key}: {i.progress.text}; baseline {i.baseline_basis}")
        if actuals:
            print_table(actuals, title=f"{it.item}: actuals ('—' = not available, not 0)")
    what = report.precedence or "no lake read: measured indicators are not measurable"
    console.print(f"{count(report.n_indicators, 'indicator')}; {what}")


def indicators(
    item_id: Annotated[
        str | None, typer.Argument(help="An item's id (default: every item with indicators).")
    ] = None,
    lake: LakeOption = None,
    home: HomeOption = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Items' indicators with their actuals (measured from the lake or entered) and progress."""
    the_lake = lake_or_none(lake, home)
    with base._agenda(db) as ag:
        report = ag.indicators(item_id, the_lake)
    synthetic_banner(report.synthetic)
    if as_json:
        print_json(report)
        return
    synthetic_line(report.synthetic)
    print_report(report)


def actual(
    item_id: base.ItemId,
    indicator: Indicator,
    period: Annotated[str, base._opt("--period", "The period: YYYY, YYYY-MM, YYYY-Qn ...")],
    value: Annotated[str, base._opt("--value", "The value, in the indicator's unit.")],
    source: Annotated[str, base._opt("--source", "Where the value is reported (required).")],
    note: Annotated[str | None, base._opt("--note", "A note.")] = None,
    expect_version: Version = None,
    by: By = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an entered actual of an item's indicator, with its source."""
    with base._agenda(db) as ag:
        ag.record_actual(
            item_id, indicator, period=period, value=value, source=source, note=note,
            author=by, expected_version=expect_version,
        )  # fmt: skip
        report = ag.indicators(item_id)
    if as_json:
        print_json(report)
        return
    (ind,) = [i for i in report.items[0].indicators if i.key == indicator]
    console.print(
        f"{item_id}: {indicator} {period} = {value} recorded (version "
        f"{report.items[0].version}); {ind.progress.text}"
    )


def _measure(text: str | None, direction: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    kind, sep, code = text.partition(":")
    if not sep or kind not in ("basket", "hs"):
        raise InputError(
            f"--measure {text!r}: expected basket:NAME or hs:CODE (with --direction)",
            details={"value": text, "expected": "basket:NAME or hs:CODE"},
        )
    return {kind: code, "direction": direction or ""}


def add_indicator(
    item_id: base.ItemId,
    key: Indicator,
    expect_version: NeedVersion,
    name: Annotated[str, base._opt("--name", "What it measures (required).")],
    unit: Annotated[str | None, base._opt("--unit", "Unit (entered: required).")] = None,
    measure: Annotated[str | None, base._opt("--measure", "basket:NAME or hs:CODE.")] = None,
    direction: Annotated[str | None, base._opt("--direction", "export or import.")] = None,
    baseline: Annotated[str | None, base._opt("--baseline", "Baseline value.")] = None,
    baseline_period: Annotated[str | None, base._opt("--baseline-period", "Its period.")] = None,
    target: Annotated[str | None, base._opt("--target", "Target value.")] = None,
    target_period: Annotated[str | None, base._opt("--target-period", "Its period.")] = None,
    source: Annotated[str | None, base._opt("--source", "Where they are stated.")] = None,
    note: Annotated[str | None, base._opt("--note", "A note.")] = None,
    by: By = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an indicator to an item: measured (--measure) or entered (--unit)."""
    fields: dict[str, Any] = {"name": name, "unit": unit, "measure": _measure(measure, direction),
              "baseline": baseline, "baseline_period": baseline_period, "target": target,
              "target_period": target_period, "source": source, "note": note}  # fmt: skip
    with base._agenda(db) as ag:
        view = ag.add_indicator(item_id, key, expected_version=expect_version, author=by,
                                **{k: v for k, v in fields.items() if v is not None})  # fmt: skip
    if as_json:
        print_json(view)
        return
    console.print(f"{item_id}: indicator {key} added (version {view.version})")


def remove_indicator(
    item_id: base.ItemId,
    key: Indicator,
    expect_version: NeedVersion,
    reason: Annotated[str, base._opt("--reason", "Why it is removed (required).")],
    by: By = None,
    db: base.DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove an item's indicator and its actuals (the item's edits keep what it was)."""
    with base._agenda(db) as ag:
        view = ag.remove_indicator(item_id, key, expected_version=expect_version,
                                   reason=reason, author=by)  # fmt: skip
    if as_json:
        print_json(view)
        return
    old = next(e.old for e in reversed(view.edits) if e.field == "indicator")
    console.print(f"{item_id}: indicator {key} removed (version {view.version}); it was "
                  f"{json.dumps(old, ensure_ascii=False)}")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add ``bilat agenda indicators``, ``actual`` and ``indicator add|remove``."""
    del app  # the commands join `bilat agenda`, which bilat.cli.agenda added to the root
    base.agenda_app.command("indicators")(indicators)
    base.agenda_app.command("actual")(actual)
    indicator_app.command("add")(add_indicator)
    indicator_app.command("remove")(remove_indicator)
    base.agenda_app.add_typer(indicator_app, name="indicator")
