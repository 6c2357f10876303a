"""Dated flights (:func:`bilat.air.expand_flights`): hand-computed cases built from the SSIM
layout (synthetic), and the shared Gna files against a plain datetime loop written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.air import expand_flights, read_ssim
from bilat.air.flights import flights_report, operating_dates
from bilat.air.ssim import parse_ssim
from bilat.errors import InputError

from . import ssim_patch as p

D = dt.date
UTC = dt.UTC


def schedule(legs: list[str], **kw: str):  # type: ignore[no-untyped-def]
    return parse_ssim(p.file(legs, **kw))


def dates(table) -> list[dt.date]:  # type: ignore[no-untyped-def]
    return table["date"].to_pylist()


def test_fortnightly_counts_two_week_blocks_from_period_start() -> None:
    # period starts Wednesday 6 Jul 2022; days Mon + Wed, every other week:
    # block 0 = 6-12 Jul (Wed 6, Mon 11), block 1 = 13-19 skipped, block 2 = 20-26 (Wed 20,
    # Mon 25), block 3 = 27 Jul-2 Aug skipped.
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="06JUL22", end="31JUL22", days="13", rate="2")
    f = expand_flights(schedule([leg]), "2022-07-01", "2022-08-31")
    assert dates(f) == [D(2022, 7, 6), D(2022, 7, 11), D(2022, 7, 20), D(2022, 7, 25)]


def test_weekly_is_every_week_and_blank_rate_is_weekly() -> None:
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="06JUL22", end="31JUL22", days="13")
    f = expand_flights(schedule([leg]), "2022-07-01", "2022-08-31")
    # Wednesdays 6, 13, 20, 27 and Mondays 11, 18, 25: 7 flights, in date order
    assert dates(f) == [D(2022, 7, d) for d in (6, 11, 13, 18, 20, 25, 27)]


def test_period_boundaries_are_inclusive() -> None:
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="10JUL22")
    s = schedule([leg])
    assert dates(expand_flights(s, "2022-07-04", "2022-07-10")) == [
        D(2022, 7, d) for d in range(4, 11)
    ]
    assert dates(expand_flights(s, "2022-07-05", "2022-07-09")) == [
        D(2022, 7, d) for d in range(5, 10)
    ]
    assert dates(expand_flights(s, "2022-07-10", "2022-07-10")) == [D(2022, 7, 10)]
    assert expand_flights(s, "2022-07-11", "2022-07-31").num_rows == 0


def test_leg_across_midnight_utc() -> None:
    # UTC data set: 23:00 UTC on Monday 4 Jul, arrival 01:30 UTC with date variation 1.
    # Local: +0300 at departure -> 02:00 on 5 Jul; +0600 at arrival -> 07:30 on 5 Jul.
    leg = p.leg(
        "B2", 735, "MSQ", "NQZ", 3, days="1", std="2300", sta="0130", arr_var="1",
        start="04JUL22", end="04JUL22",
    )  # fmt: skip
    (row,) = expand_flights(schedule([leg], mode="U")).to_pylist()
    assert row["date"] == D(2022, 7, 4)
    assert row["departure_utc"] == dt.datetime(2022, 7, 4, 23, 0, tzinfo=UTC)
    assert row["arrival_utc"] == dt.datetime(2022, 7, 5, 1, 30, tzinfo=UTC)
    assert row["departure_local"] == dt.datetime(2022, 7, 5, 2, 0)
    assert row["arrival_local"] == dt.datetime(2022, 7, 5, 7, 30)
    assert row["arrival_adjusted"] is False


def test_utc_and_local_files_give_the_same_instants() -> None:
    # The flight above written in local time: it leaves MSQ at 02:00 local on Tuesday 5 Jul
    # (+0300) and lands at NQZ at 07:30 local (+0600) the same local day.
    utc = p.leg("B2", 735, "MSQ", "NQZ", 3, days="1", std="2300", sta="0130", arr_var="1",
                start="04JUL22", end="31JUL22")  # fmt: skip
    local = p.leg("B2", 735, "MSQ", "NQZ", 3, days="2", std="0200", sta="0730",
                  start="05JUL22", end="01AUG22")  # fmt: skip
    fu = expand_flights(schedule([utc], mode="U"))
    fl = expand_flights(schedule([local], mode="L"))
    assert fu["departure_utc"].to_pylist() == fl["departure_utc"].to_pylist()
    assert fu["arrival_utc"].to_pylist() == fl["arrival_utc"].to_pylist()
    assert fu["arrival_local"].to_pylist() == fl["arrival_local"].to_pylist()
    # the date is the time mode's: Mondays in the UTC file, Tuesdays in the local one
    assert dates(fu) == [D(2022, 7, d) for d in (4, 11, 18, 25)]
    assert dates(fl) == [D(2022, 7, 5), D(2022, 7, 12), D(2022, 7, 19), D(2022, 7, 26)]
    assert fl["time_mode"].to_pylist() == ["L"] * 4


def test_date_variation_a_departs_the_day_before() -> None:
    # Local data set, flight date Tuesday 5 Jul: the aircraft leaves at 23:30 local the day
    # before (A = -1) and lands 02:00 local on the 5th; both stations +0300.
    leg = p.leg(
        "B2", 735, "MSQ", "NQZ", 3, days="2", std="2330", sta="0200", dep_var="A",
        start="05JUL22", end="05JUL22", arr_offset="+0300",
    )  # fmt: skip
    (row,) = expand_flights(schedule([leg], mode="L")).to_pylist()
    assert row["date"] == D(2022, 7, 5)
    assert row["departure_local"] == dt.datetime(2022, 7, 4, 23, 30)
    assert row["departure_utc"] == dt.datetime(2022, 7, 4, 20, 30, tzinfo=UTC)
    assert row["arrival_utc"] == dt.datetime(2022, 7, 4, 23, 0, tzinfo=UTC)
    assert row["arrival_local"] == dt.datetime(2022, 7, 5, 2, 0)


def test_missing_date_variation_moves_the_arrival_and_says_so() -> None:
    # 17:45 -> 04:40 UTC with a blank arrival date variation (as in the Gna files)
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, days="1", std="1745", sta="0440",
                start="04JUL22", end="04JUL22")  # fmt: skip
    (row,) = expand_flights(schedule([leg])).to_pylist()
    assert row["arrival_utc"] == dt.datetime(2022, 7, 5, 4, 40, tzinfo=UTC)
    assert row["arrival_adjusted"] is True
    r = flights_report(p.file([leg]))
    assert any("arrival was taken a day later" in w for w in r.warnings)


def test_open_end_runs_to_end_then_season_end_then_validity() -> None:
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="00XXX00")
    s = schedule([leg], end="29OCT22")
    assert expand_flights(s, "2022-07-01", "2022-07-10").num_rows == 7  # 4-10 Jul
    assert expand_flights(s, season_end="2022-07-31").num_rows == 28  # 4-31 Jul
    # the type-2 validity ends 29 Oct: 4 Jul .. 29 Oct is 118 days
    assert expand_flights(s).num_rows == 118
    assert flights_report(p.file([leg], end="29OCT22")).end == D(2022, 10, 29)


def test_open_end_without_any_end_is_an_input_error() -> None:
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="00XXX00")
    s = schedule([leg], end="00XXX00")
    with pytest.raises(InputError, match=r"line 4 has an open period \(00XXX00\)"):
        expand_flights(s)
    assert expand_flights(s, "2022-07-04", "2022-07-05").num_rows == 2


def test_bad_dates_are_input_errors() -> None:
    s = schedule([p.leg("B2", 735, "MSQ", "NQZ", 3)])
    with pytest.raises(InputError, match="after the end date"):
        expand_flights(s, "2022-07-10", "2022-07-01")
    with pytest.raises(InputError, match="expected YYYY-MM-DD"):
        expand_flights(s, "10JUL22")


def test_carrier_filter_and_leg_index() -> None:
    legs = [p.leg("B2", 735, "MSQ", "NQZ", 3, days="1"), p.leg("KC", 911, "NQZ", "GME", 4)]
    s = schedule(legs)
    f = expand_flights(s, "2022-07-04", "2022-07-10", carriers=["kc"])
    assert set(f["airline"].to_pylist()) == {"KC"}
    assert set(f["leg"].to_pylist()) == {1}
    assert f.num_rows == 7


# --------------------------------------------------------------------------- reference


def _reference(pf: int, pt: int, mask: int, rate: int, lo: int, hi: int) -> list[int]:
    out = []
    for d in range(max(pf, lo), min(pt, hi) + 1):
        weekday = (dt.date(1970, 1, 1) + dt.timedelta(d)).weekday()
        if mask >> weekday & 1 and (rate == 1 or (d - pf) // 7 % 2 == 0):
            out.append(d)
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(19000, 19100),
            st.integers(0, 80),
            st.integers(0, 127),
            st.sampled_from([1, 2]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(18990, 19150),
    st.integers(0, 120),
)
def test_operating_dates_match_a_day_by_day_loop(legs, lo, width) -> None:  # type: ignore[no-untyped-def]
    pf = np.array([x[0] for x in legs], np.int64)
    pt = pf + np.array([x[1] for x in legs], np.int64)
    mask = np.array([x[2] for x in legs], np.int64)
    rate = np.array([x[3] for x in legs], np.int64)
    row, day = operating_dates(pf, pt, mask, rate, lo, lo + width)
    got = list(zip(row.tolist(), day.tolist(), strict=True))
    want = [
        (i, d)
        for i in range(len(legs))
        for d in _reference(int(pf[i]), int(pt[i]), int(mask[i]), int(rate[i]), lo, lo + width)
    ]
    assert got == want


# --------------------------------------------------------------------------- real files


def _plain_week(path: Path, lo: dt.date, hi: dt.date) -> set[tuple[int, dt.date, dt.datetime]]:
    """(line, date, departure UTC) of every flight in [lo, hi], read with datetime alone."""
    mode = "U"
    out = set()
    for no, raw in enumerate(path.read_bytes().decode("ascii").splitlines(), start=1):
        if raw.startswith("2"):
            mode = raw[1]
        if not raw.startswith("3"):
            continue
        first = dt.datetime.strptime(raw[14:21], "%d%b%y").date()
        last = dt.datetime.strptime(raw[21:28], "%d%b%y").date()
        std = dt.timedelta(hours=int(raw[39:41]), minutes=int(raw[41:43]))
        sign = -1 if raw[47] == "-" else 1
        offset = sign * dt.timedelta(hours=int(raw[48:50]), minutes=int(raw[50:52]))
        day = max(first, lo)
        while day <= min(last, hi):
            if str(day.isoweekday()) in raw[28:35]:
                t = dt.datetime.combine(day, dt.time()) + std
                if mode == "L":
                    t -= offset
                out.add((no, day, t.replace(tzinfo=UTC)))
            day += dt.timedelta(days=1)
    return out


@pytest.mark.parametrize("name", ["gna-sample.ssim", "gna-XX_S05.ssim"])
def test_a_week_of_the_shared_files_matches_a_plain_loop(shared_data: Path, name: str) -> None:
    path = shared_data / "air" / name
    lo, hi = D(2005, 7, 4), D(2005, 7, 10)
    want = _plain_week(path, lo, hi)
    f = flights_report(path, lo, hi).flights
    got = set(
        zip(
            f["line"].to_pylist(), f["date"].to_pylist(), f["departure_utc"].to_pylist(),
            strict=True,
        )
    )  # fmt: skip
    assert f.num_rows == len(want) == 125
    assert got == want


def test_schedule_frequencies_count_fortnightly_weeks(case) -> None:  # type: ignore[no-untyped-def]
    from bilat.air import check_schedule

    # every other Monday from 4 Jul 2022: 4 Jul (ISO week 27) and 18 Jul (week 29)
    leg = p.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="31JUL22", days="1", rate="2")
    freq = check_schedule(case, schedule([leg])).frequencies.to_pylist()
    weeks = {r["week"]: r["flights"] for r in freq if (r["board"], r["off"]) == ("MSQ", "NQZ")}
    assert weeks == {"2022-W27": 1, "2022-W29": 1}


def test_the_utc_and_local_gna_files_give_the_same_instants(shared_data: Path) -> None:
    # one schedule written in UTC (S05) and in local time (sample): every flight of the
    # season must leave and land at the same UTC instants (leg numbers differ between them)
    from collections import Counter

    def instants(name: str) -> Counter[tuple[object, ...]]:
        t = expand_flights(read_ssim(shared_data / "air" / name))
        cols = ("flight_number", "dep", "arr", "departure_utc", "arrival_utc")
        return Counter(zip(*(t[c].to_pylist() for c in cols), strict=True))

    a, b = instants("gna-XX_S05.ssim"), instants("gna-sample.ssim")
    assert a == b
    assert sum(a.values()) == 3070
