"""Seats, ASK and schedule comparison: hand-computed cases on records built from the SSIM
layout (synthetic), and the shared Gna files (real layout) against their own version codes."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.air import (
    capacity,
    compare_schedules,
    leg_seats,
    parse_aircraft_configuration,
    read_ssim,
)
from bilat.air.ssim import parse_ssim

from . import ssim_patch as p


@pytest.mark.parametrize(
    ("text", "seats", "classes", "version"),
    [
        ("C12Y150", 162, (("C", 12), ("Y", 150)), None),
        ("J8W24Y120", 152, (("J", 8), ("W", 24), ("Y", 120)), None),
        ("F8", 8, (("F", 8),), None),
        ("Y180", 180, (("Y", 180),), None),
        ("J14W34Y316VV364", 364, (("J", 14), ("W", 34), ("Y", 316)), "364"),
        ("VV738H", None, (), "738H"),
        ("  y64vv064 ", 64, (("Y", 64),), "064"),
    ],
)
def test_configuration_grammar(text, seats, classes, version) -> None:  # type: ignore[no-untyped-def]
    c = parse_aircraft_configuration(text)
    assert c is not None
    assert (c.seats, c.classes, c.version) == (seats, classes, version)


@pytest.mark.parametrize("text", ["", "   ", "12Y", "Y1234", "Y12-C4", "VV"[:1]])
def test_strings_off_the_grammar_are_not_guessed(text: str) -> None:
    assert parse_aircraft_configuration(text) is None


def test_every_configuration_of_the_shared_files_is_read(shared_data: Path) -> None:
    # the seven distinct strings of the Gna files, summed by hand; the version after VV is a
    # name, not a seat count (W18Y112VV112 has 130 seats)
    by_hand = {
        "W18Y112VV112": 130,
        "W18Y112VVCGO": 130,
        "J14W34Y316VV364": 364,
        "Y118VV118": 118,
        "Y133VV133": 133,
        "Y64VV064": 64,
        "W18Y97VV097": 115,
    }
    for name in ("gna-sample.ssim", "gna-XX_S05.ssim"):
        s = read_ssim(shared_data / "air" / name)
        seats = leg_seats(s.legs)
        assert set(seats["seats_source"].to_pylist()) == {"configuration"}
        want = [by_hand[c] for c in s.legs["aircraft_config"].to_pylist()]
        assert seats["seats"].to_pylist() == want


def _legs(*recs: str):  # type: ignore[no-untyped-def]
    return parse_ssim(p.file(list(recs)))


def test_seat_sources_configuration_type_table_unknown() -> None:
    s = _legs(
        p.leg("B2", 1, "MSQ", "NQZ", 3, config="C12Y150"),
        p.leg("B2", 2, "MSQ", "NQZ", 4, config="VV320A"),  # version only: A320 type row, 150
        p.leg("B2", 3, "MSQ", "NQZ", 5, aircraft="ZZZ"),  # no configuration, type not known
        p.leg("B2", 4, "MSQ", "NQZ", 6, config="12Y", aircraft="735"),  # off grammar: 737-500
    )
    t = leg_seats(s.legs).to_pylist()
    assert [r["seats"] for r in t] == [162, 150, None, 108]
    assert [r["seats_source"] for r in t] == [
        "configuration",
        "type-table",
        "unknown",
        "type-table",
    ]
    assert [r["configuration_read"] for r in t] == [True, True, True, False]


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _km(a: str, b: str) -> float:
    import airportsdata

    t = airportsdata.load("IATA")
    return _haversine((t[a]["lat"], t[a]["lon"]), (t[b]["lat"], t[b]["lon"]))


def test_capacity_weekly_seats_and_ask_hand_computed() -> None:
    s = _legs(
        # daily 4-17 Jul, 162 seats: over 4-17 Jul (14 days) 14 flights, 7 a week
        p.leg("B2", 1, "MSQ", "NQZ", 3, start="04JUL22", end="17JUL22", config="C12Y150"),
        # Mondays only, type unknown: 2 flights, seats unknown
        p.leg("B2", 2, "MSQ", "NQZ", 4, start="04JUL22", end="17JUL22", days="1", aircraft="ZZZ"),
        # daily, A320 from the type table (150): 14 flights
        p.leg("B2", 3, "NQZ", "MSQ", 5, start="04JUL22", end="17JUL22"),
    )
    r = capacity(s, "2022-07-04", "2022-07-17")
    assert r.days == 14
    rows = {(x["dep"], x["arr"]): x for x in r.pairs.to_pylist()}
    out, back = rows[("MSQ", "NQZ")], rows[("NQZ", "MSQ")]
    km = _km("MSQ", "NQZ")
    assert out["flights"] == 16 and out["weekly_flights"] == 8.0
    assert out["seats"] == 14 * 162 and out["weekly_seats"] == 7 * 162
    assert out["flights_seats_unknown"] == 2 and out["seats_source"] == "mixed"
    assert out["ask"] == pytest.approx(14 * 162 * km, abs=1)
    assert out["weekly_ask"] == pytest.approx(7 * 162 * km, abs=1)
    assert out["distance_km"] == pytest.approx(km, abs=0.05)
    assert back["seats"] == 14 * 150 and back["seats_source"] == "type-table"
    c = r.coverage
    assert (c.flights, c.seats_from_configuration, c.seats_from_type_table, c.seats_unknown) == (
        30, 14, 14, 2,
    )  # fmt: skip


def test_a_pair_with_no_seat_data_has_unknown_seats_not_zero() -> None:
    s = _legs(p.leg("B2", 2, "MSQ", "NQZ", 4, start="04JUL22", end="10JUL22", aircraft="ZZZ"))
    (row,) = capacity(s, "2022-07-04", "2022-07-10").pairs.to_pylist()
    assert row["flights"] == 7
    assert row["seats"] is None and row["weekly_seats"] is None and row["ask"] is None
    assert row["seats_source"] == "unknown"


def test_unknown_airport_leaves_ask_out_and_counts_it() -> None:
    s = _legs(p.leg("B2", 2, "MSQ", "QQQ", 4, start="04JUL22", end="10JUL22", config="Y100"))
    r = capacity(s, "2022-07-04", "2022-07-10")
    (row,) = r.pairs.to_pylist()
    assert row["seats"] == 700 and row["ask"] is None and row["distance_km"] is None
    assert r.coverage.distance_unknown == 7


def test_compare_marks_new_and_dropped_and_takes_deltas() -> None:
    a = _legs(
        p.leg("B2", 1, "MSQ", "NQZ", 3, start="04JUL22", end="31JUL22", config="Y100"),
        p.leg("B2", 2, "MSQ", "ALA", 4, start="04JUL22", end="31JUL22", days="1", config="Y100"),
    )
    b = _legs(
        p.leg("B2", 1, "MSQ", "NQZ", 3, start="01AUG22", end="28AUG22", days="135", config="Y120"),
        p.leg("B2", 3, "MSQ", "TSE", 4, start="01AUG22", end="28AUG22", days="7", config="Y80"),
    )
    c = compare_schedules(a, b)
    rows = {(x["dep"], x["arr"]): x for x in c.pairs.to_pylist()}
    assert {k: v["status"] for k, v in rows.items()} == {
        ("MSQ", "NQZ"): "both",
        ("MSQ", "ALA"): "dropped",
        ("MSQ", "TSE"): "new",
    }
    both = rows[("MSQ", "NQZ")]  # 7 -> 3 a week, 700 -> 360 seats a week
    assert (both["weekly_flights_a"], both["weekly_flights_b"]) == (7.0, 3.0)
    assert both["weekly_flights_delta"] == -4.0
    assert both["weekly_seats_delta"] == 360 - 700
    dropped = rows[("MSQ", "ALA")]
    assert (dropped["weekly_flights_b"], dropped["weekly_seats_delta"]) == (0.0, -100.0)
    assert rows[("MSQ", "TSE")]["weekly_seats_b"] == 80.0
    assert c.span_a[0].isoformat() == "2022-07-04" and c.span_b[1].isoformat() == "2022-08-28"


def test_the_same_schedule_in_utc_and_local_compares_equal(shared_data: Path) -> None:
    a = read_ssim(shared_data / "air" / "gna-XX_S05.ssim")
    b = read_ssim(shared_data / "air" / "gna-sample.ssim")
    c = compare_schedules(a, b)
    assert set(c.pairs["status"].to_pylist()) == {"both"}
    for col in ("weekly_flights_delta", "weekly_seats_delta", "weekly_ask_delta"):
        assert pc.max(pc.abs(c.pairs[col])).as_py() == 0
    assert c.coverage_a.flights == c.coverage_b.flights
    assert c.coverage_a.seats_unknown == 0
    assert not math.isnan(pc.sum(c.pairs["weekly_ask_a"]).as_py())


_letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUWXYZ")  # V left out: VV starts a version


@given(
    st.lists(st.tuples(_letters, st.integers(0, 999)), max_size=6),
    st.none() | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=8),
)
def test_configuration_written_then_read_is_the_same(classes, version) -> None:  # type: ignore[no-untyped-def]
    text = "".join(f"{c}{n}" for c, n in classes) + ("" if version is None else "VV" + version)
    c = parse_aircraft_configuration(text)
    if not text:
        assert c is None
        return
    assert c is not None
    assert c.classes == tuple(classes)
    assert c.version == version
    assert c.seats == (sum(n for _, n in classes) if classes else None)


@given(st.text(max_size=25))
def test_any_text_gives_a_configuration_or_none(text: str) -> None:
    c = parse_aircraft_configuration(text)
    assert c is None or c.text == text.strip().upper()
