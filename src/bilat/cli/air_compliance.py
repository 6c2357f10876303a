"""``bilat air schedule`` in text: a summary a person reads first, then the violations grouped.

The library's :class:`bilat.air.ScheduleCheck` holds everything; this module only lays it
out. ``--detail`` adds the raw rows (one per segment of each period record) that ``--json``
always carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bilat import formats
from bilat.cli._common import console, count, print_table

if TYPE_CHECKING:
    from bilat.air import ScheduleCheck, ViolationGroup

__all__ = ["print_schedule", "schedule_summary"]

#: How each verdict is shown: only ``compliant`` is green.
VERDICT_STYLE = {
    "compliant": "green",
    "violations": "red",
    "undetermined": "yellow",
    "not checked": "yellow",
}

#: Periods listed in a group's row before "and N more".
PERIODS_SHOWN = 2


def _n(x: int) -> str:
    return formats.integer(x)


def _count(x: int, noun: str) -> str:
    return count(x, noun)


def _reasons(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{reason} {_n(n)}" for reason, n in counts.items())


def _verdict_line(result: ScheduleCheck) -> str:
    verdict = result.verdict
    if verdict == "violations":
        groups = sum(k["groups"] for k in result.by_kind.values())
        return f"verdict: violations in {_count(groups, 'group')} (carrier, city pair, flight)"
    if verdict == "compliant":
        return "verdict: compliant (every leg checked against an agreement held, no violation)"
    if verdict == "undetermined":
        return f"verdict: undetermined: no violation found, but {'; '.join(result.undetermined_because)}"
    if result.legs_checked:
        return (
            "verdict: not checked (no segment falls under an agreement: each is domestic or "
            "carries no traffic, so nothing is claimed)"
        )
    return "verdict: not checked (no leg could be checked, so nothing is claimed)"


def _kind_lines(result: ScheduleCheck) -> list[str]:
    out = []
    for kind, k in result.by_kind.items():
        if kind == "cap-exceeded":
            out.append(
                f"  {kind}: {_count(k['groups'], 'cap')}, {_count(k['violations'], 'week')} "
                "above the cap"
            )
            continue
        legs = sum(g.legs or 0 for g in result.groups if g.kind == kind)
        out.append(
            f"  {kind}: {_count(k['groups'], 'group')}, {_count(k['flights'], 'flight')}, "
            f"{_count(legs, 'leg record')}"
        )
    for kind, k in result.undetermined_by_kind.items():
        out.append(
            f"  {kind} (not a violation): {_count(k['groups'], 'group')}, "
            f"{_count(k['flights'], 'flight')}"
        )
    return out


def schedule_summary(result: ScheduleCheck) -> list[str]:
    """The summary lines, without markup: legs, verdict, violations by kind."""
    out = [
        f"{result.file}: {_n(result.legs)} legs read, {_n(result.legs_checked)} checked, "
        f"{_n(sum(result.legs_not_checked.values()))} not checked"
        + (f" ({_reasons(result.legs_not_checked)})" if result.legs_not_checked else ""),
        _verdict_line(result),
    ]
    if result.segments_by_verdict:
        out.append(
            "segments by verdict: "
            + ", ".join(f"{v} {_n(n)}" for v, n in result.segments_by_verdict.items())
            + " (only permitted and refused rest on an agreement held)"
        )
    out += _kind_lines(result)
    if result.caps:
        over = sum(c.exceeded for c in result.caps)
        out.append(
            f"weekly caps: {_count(len(result.caps), 'cap-week')} compared, {_n(over)} above "
            "the cap"
        )
    return out


def _periods(g: ViolationGroup) -> str:
    same_days = all(p.days == g.days for p in g.periods)
    shown = [p.text(days=not same_days) for p in g.periods[:PERIODS_SHOWN]]
    if len(g.periods) > PERIODS_SHOWN:
        first, last = g.periods[0].first, max((p.last for p in g.periods if p.last), default=None)
        shown = [f"{first}..{last or 'open'}, {len(g.periods)} periods"]
    return "; ".join(shown)


def _cap_row(g: ViolationGroup) -> dict[str, Any]:
    """A cap breach: the cap, whose carriers it counts, the city pair and its weeks."""
    return {
        "cap": g.flight.replace(" cap ", " "),
        "carriers of": g.carrier,
        "city pair": g.segment,
        "weeks above": g.weeks,
        "in": _periods(g),
        "flights in those weeks": g.flights,
        "detail": g.detail,
    }


def _group_row(g: ViolationGroup) -> dict[str, Any]:
    from bilat.air.groups import day_names

    return {
        "carrier": g.carrier,
        "city pair": g.segment,
        "flight": g.flight,
        "kind": g.kind,
        "periods": _periods(g),
        "days": day_names(g.days) if g.days else "",
        "flights": g.flights,
        "weeks": g.weeks,
        "legs": g.legs,
        "line": g.line,
        "detail": g.detail,
    }


def print_schedule(result: ScheduleCheck, *, detail: bool = False) -> None:
    """Print the summary, the grouped violations, the caps and (``detail``) the raw rows."""
    lines = schedule_summary(result)
    style = VERDICT_STYLE[result.verdict]
    console.print(lines[0], markup=False, highlight=False)
    console.print(f"[{style}]{lines[1]}[/]", highlight=False)
    for line in lines[2:]:
        console.print(line, markup=False, highlight=False)
    if "carrier's state unknown" in result.legs_not_checked:
        console.print(
            "[yellow]hint:[/] name each carrier's state with --carrier-state XX=ISO3 "
            "(repeatable, or comma-separated)"
        )
    for w in (*result.ssim_warnings, *result.warnings):
        console.print(f"[yellow]warning:[/] {w}", markup=True, highlight=False)
    flights = [_group_row(g) for g in result.groups if g.kind != "cap-exceeded"]
    caps = [_cap_row(g) for g in result.groups if g.kind == "cap-exceeded"]
    if flights:
        title = f"Violations by carrier, city pair and flight ({len(flights)} groups)"
        print_table(flights, title=title)
    if caps:
        print_table(caps, title=f"Weekly caps exceeded ({len(caps)})")
    if result.undetermined_groups and detail:
        rows = [_group_row(g) for g in result.undetermined_groups]
        title = f"Neither permitted nor refused, not violations ({len(rows)} groups)"
        print_table(rows, title=title)
    elif result.undetermined_groups:
        console.print(
            f"{_count(len(result.undetermined_groups), 'group')} neither permitted nor refused: "
            "--detail lists them",
            markup=False,
            highlight=False,
        )
    if detail and result.caps:
        caps = [
            {
                "agreement": c.agreement,
                "cap": c.cap,
                "subject": c.subject,
                "week": c.week,
                "flights": c.flights,
                "weekly cap": c.weekly,
                "exceeded": "yes" if c.exceeded else "no",
            }
            for c in result.caps
        ]
        print_table(caps, title="Weekly frequencies against caps")
    if detail:
        _print_detail(result)
    elif result.segments.num_rows:
        console.print(
            f"{_n(result.segments.num_rows)} segment rows and {_n(result.violations.num_rows)} "
            "violation rows: --detail lists them, --json carries them",
            markup=False,
            highlight=False,
        )


def _print_detail(result: ScheduleCheck) -> None:
    from bilat.air.freedoms import segment_words
    from bilat.air.groups import day_names

    seg = [
        {
            "flight": r["flight"],
            "period": f"{r['period_from']}..{r['period_to'] or 'open'}",
            "days": day_names(r["days"].replace(" ", "")),
            "segment": f"{r['board']}-{r['off']}",
            "via": r["via"],
            "freedom": segment_words(r["kind"], r["freedom"]),
            "verdict": r["verdict"],
            "reason": r["reason"],
        }
        for r in result.segments.to_pylist()
    ]
    print_table(seg, title=f"Segments ({len(seg)})")
    columns = ["kind", "flight", "segment", "week", "line", "detail"]
    viol = result.violations.select(columns).to_pylist()
    print_table(viol, title=f"Violations ({len(viol)})", columns=columns)
