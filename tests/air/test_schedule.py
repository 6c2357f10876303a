from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from bilat.air import Agreement, ScheduleReport, check_schedule, read_ssim


@pytest.fixture(scope="module")
def report(july_ssim: Path, case: tuple[Agreement, ...]) -> ScheduleReport:
    return check_schedule(case, read_ssim(july_ssim), carrier_states={"IQ": "KAZ"})


def test_every_violation_kind(report: ScheduleReport) -> None:
    got = Counter((v.kind, v.segment) for v in report.violation_list())
    assert got == {
        ("no-right", "NQZ-KSN"): 1,  # B2 783 sells NQZ-KSN: cabotage
        ("not-in-route-schedule", "MSQ-SCO"): 1,
        ("undesignated-carrier", "NQZ-MSQ"): 1,  # IQ is Kazakh but not designated
        ("cap-exceeded", "MSQ-ALA"): 4,  # 5 a week against 4, in each of 4 weeks
    }


def test_trc_a_makes_a_co_terminal_segment(report: ScheduleReport) -> None:
    rows = [r for r in report.segments.to_pylist() if r["flight_number"] in (781, 783)]
    kinds = {(r["flight_number"], r["board"], r["off"]): (r["kind"], r["verdict"]) for r in rows}
    assert kinds[(781, "NQZ", "KSN")] == ("co-terminal", "permitted")
    assert kinds[(783, "NQZ", "KSN")] == ("traffic", "refused")


def _weekly(start: dt.date, end: dt.date, days: str) -> Counter[str]:
    """Independent count: walk every date, keep the operating ones, bucket by ISO week."""
    out: Counter[str] = Counter()
    d = start
    while d <= end:
        if str(d.isoweekday()) in days:
            y, w, _ = d.isocalendar()
            out[f"{y}-W{w:02d}"] += 1
        d += dt.timedelta(days=1)
    return out


def test_weekly_frequencies_against_an_independent_count(report: ScheduleReport) -> None:
    start, end = dt.date(2022, 7, 4), dt.date(2022, 7, 31)
    expected = _weekly(start, end, "12457") + _weekly(start, end, "3") + _weekly(start, end, "6")
    caps = {
        c.week: c.flights for c in report.caps if c.cap == "MSQ-NQZ" and c.subject.endswith("BLR")
    }
    assert caps == dict(expected)
    assert set(caps.values()) == {7}
    assert not any(c.exceeded for c in report.caps if c.cap == "MSQ-NQZ")
    ala = [c for c in report.caps if c.cap == "MSQ-ALA" and c.subject.endswith("BLR")]
    assert [c.flights for c in ala] == [5, 5, 5, 5] and all(c.exceeded for c in ala)


def test_frequencies_table(report: ScheduleReport) -> None:
    f = report.frequencies
    assert f.column_names == ["carrier", "carrier_state", "board", "off", "week", "flights"]
    kc = [r for r in f.to_pylist() if r["carrier"] == "KC" and r["board"] == "NQZ"]
    assert sorted(r["flights"] for r in kc) == [3, 3, 3, 3]


def test_by_carrier(report: ScheduleReport) -> None:
    bc = report.by_carrier()
    assert bc["KC"] == {"segments": 2, "permitted": 2}
    assert bc["B2"]["refused"] == 2


@pytest.mark.shared
def test_real_schedule_of_an_unknown_carrier_is_not_checked(
    shared_data: Path, case: tuple[Agreement, ...]
) -> None:
    r = check_schedule(case, read_ssim(shared_data / "air" / "gna-sample.ssim"))
    assert r.segments.num_rows == 0
    assert r.warnings == ("carrier XX: designated in no agreement, state unknown; not checked",)


@pytest.mark.shared
def test_real_schedule_checked_as_a_foreign_carrier(
    shared_data: Path, case: tuple[Agreement, ...]
) -> None:
    s = read_ssim(shared_data / "air" / "gna-XX_S05.ssim")
    r = check_schedule(case, s, carrier_states={"XX": "FRA"})
    assert r.segments.num_rows >= s.legs.num_rows / 2
    verdicts = set(r.segments["verdict"].to_pylist())
    assert verdicts <= {"outside-agreements", "not-regulated", "permitted"}
    assert "outside-agreements" in verdicts
    # issue 17: a segment no agreement in the folder covers is no violation
    assert r.violations.num_rows == 0
    assert r.undetermined is not None
    assert set(r.undetermined["kind"].to_pylist()) == {"outside-agreements"}


def test_legs_out_of_order_are_chained_into_flights(case: tuple[Agreement, ...]) -> None:
    from bilat.air.ssim import parse_ssim

    from .ssim_builder import blr_kaz_schedule

    lines = blr_kaz_schedule().split("\n")
    i = next(k for k, t in enumerate(lines) if t.startswith("3 B2  781") and t[11:13] == "01")
    lines[i], lines[i + 1] = lines[i + 1], lines[i]  # leg 2 of B2 781 before leg 1
    r = check_schedule(case, parse_ssim("\n".join(lines).encode()), carrier_states={"IQ": "KAZ"})
    rows = [x for x in r.segments.to_pylist() if x["flight_number"] == 781]
    assert {(x["board"], x["off"], x["kind"]) for x in rows} == {
        ("MSQ", "NQZ", "traffic"),
        ("MSQ", "KSN", "traffic"),
        ("NQZ", "KSN", "co-terminal"),
    }
