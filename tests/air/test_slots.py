"""SSIM Chapter 6 slot messages (SCR, SIR): header, data lines, errors, dated slots.

The fixtures in tests/fixtures/air/slots are synthetic messages built from the layout of the
standard's published examples (their README says where each layout comes from). Every
expected value below is worked out by hand from the message text and a calendar.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.air import parse_slot_message, read_slot_message, read_ssim, slots_table
from bilat.air.slots import (
    ACTION_CODES,
    OTHER_ACTION_CODES,
    operating_dates,
    season_bounds,
    slot_lines_table,
    slot_report,
)
from bilat.errors import BilatError, ParseError

SLOTS = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "slots"
REQUEST = SLOTS / "scr-ala-s23-request.txt"
REPLY = SLOTS / "scr-ala-s23-reply.txt"
SIR = SLOTS / "sir-nqz-w22.txt"
D = dt.date


def msg(*lines: str, season: str = "S23") -> str:
    return "\n".join(["SCR", "/", season, "10JAN", "ALA", *lines, "GI BRGDS"]) + "\n"


# --------------------------------------------------------------------------- header, lines


def test_request_header() -> None:
    m = read_slot_message(REQUEST)
    assert (m.name, m.kind, m.creator_reference) == (REQUEST.name, "SCR", "B2REQ001")
    assert (m.season, m.message_date, m.airports, m.incoming_reference) == (
        "S23", "10JAN", ("ALA",), None,
    )  # fmt: skip
    assert m.supplementary == ("SYNTHETIC MESSAGE BUILT FROM THE SSIM CHAPTER 6 LAYOUT",)
    assert m.general == ("BRGDS",)
    assert m.warnings == () and m.acknowledgements == ()
    assert [x.line for x in m.lines] == [6, 7, 8, 9, 10, 11, 12]
    assert [x.action for x in m.lines] == ["N", "N", "N", "N", "C", "R", "D"]


def test_turnaround_line_with_overnight_departure() -> None:
    x = read_slot_message(REQUEST).lines[
        0
    ]  # NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 00451MSQ JJ
    assert (x.arrival_flight, x.departure_flight) == ("B2735", "B2736")
    assert (x.period_from, x.period_to, x.days, x.frequency_rate) == (
        D(2023, 5, 1), D(2023, 5, 14), "1030500", 1,
    )  # fmt: skip
    assert (x.seats, x.aircraft_type) == (180, "320")
    assert (x.origin, x.previous, x.arrival_time) == ("MSQ", None, "2150")
    assert (x.departure_time, x.overnight, x.next_station, x.destination) == (
        "0045",
        1,
        None,
        "MSQ",
    )
    assert (x.arrival_service, x.departure_service, x.meaning) == ("J", "J", "new request")


def test_two_station_routings_and_fortnightly_rate() -> None:
    x = read_slot_message(REQUEST).lines[1]  # ... MSQNQZ0630 0800NQZMSQ JJ2
    assert (x.origin, x.previous, x.arrival_time) == ("MSQ", "NQZ", "0630")
    assert (x.departure_time, x.next_station, x.destination) == ("0800", "NQZ", "MSQ")
    assert x.frequency_rate == 2 and x.overnight == 0


def test_arrival_only_and_departure_only_lines() -> None:
    arr, dep = read_slot_message(REQUEST).lines[2:4]
    assert (arr.arrival_flight, arr.departure_flight, arr.origin, arr.arrival_time) == (
        "KC922", None, "LHR", "2205",
    )  # fmt: skip
    assert (arr.departure_time, arr.destination, arr.arrival_service, arr.departure_service) == (
        None, None, "J", None,
    )  # fmt: skip
    assert (dep.arrival_flight, dep.departure_flight, dep.departure_time, dep.destination) == (
        None, "KC921", "0710", "LHR",
    )  # fmt: skip
    assert (dep.origin, dep.arrival_time, dep.arrival_service, dep.departure_service) == (
        None, None, None, "J",
    )  # fmt: skip


def test_change_lines_are_paired_and_single_date_takes_its_day() -> None:
    lines = read_slot_message(REQUEST).lines
    c, r, d = lines[4], lines[5], lines[6]
    assert (c.pair_line, r.pair_line) == (11, 10)
    assert (c.arrival_time, r.arrival_time, r.departure_time) == ("2150", "2250", "0145")
    assert [x.pair_line for x in lines if x.action not in "CR"] == [None] * 5
    assert (d.period_from, d.period_to) == (D(2023, 6, 4), D(2023, 6, 4))
    assert d.days == "0000007"  # 4 June 2023 is a Sunday


def test_reply_codes_reference_and_information_lines() -> None:
    m = read_slot_message(REPLY)
    assert (m.creator_reference, m.incoming_reference) == (None, "B2REQ001")
    assert [x.action for x in m.lines] == ["H", "U", "O", "K", "K", "X"]
    assert [x.meaning for x in m.lines][:3] == [
        ACTION_CODES["H"],
        ACTION_CODES["U"],
        ACTION_CODES["O"],
    ]
    assert m.lines[1].info == ("CA.060",) and m.lines[2].info == ()
    assert (m.lines[2].arrival_time, m.lines[2].departure_time) == ("0700", "0830")
    assert m.general == (
        "SYNTHETIC REPLY BUILT FROM THE SSIM CHAPTER 6 LAYOUT",
        "NOT A REAL COORDINATOR MESSAGE",
    )


def test_winter_dates_take_the_next_year_after_june() -> None:
    m = read_slot_message(SIR)
    assert (m.kind, m.season, m.airports, m.creator_reference) == ("SIR", "W22", ("NQZ",), "KC0042")
    a, b = m.lines
    assert (a.period_from, a.period_to) == (D(2022, 10, 30), D(2023, 3, 25))
    assert (b.period_from, b.period_to) == (D(2022, 12, 26), D(2023, 1, 8))


def test_other_codes_are_read_without_a_meaning() -> None:
    assert not set(OTHER_ACTION_CODES) & set(ACTION_CODES)
    m = parse_slot_message(msg("EB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ JJ"))
    assert (m.lines[0].action, m.lines[0].meaning) == ("E", None)


def test_remarks_ack_and_several_airports() -> None:
    text = "\n".join(
        ["SIR", "W22", "15SEP", "NQZ ALA", "NKC975 30OCT30OCT 0000007 160320 ALA0700 J /X1/", "ACK"]
    )
    m = parse_slot_message(text, name="m.txt")
    assert m.airports == ("NQZ", "ALA") and m.creator_reference is None
    assert m.lines[0].remarks == "/X1/" and m.acknowledgements == ("ACK",)
    assert slots_table(m)["airport"].to_pylist() == [None]  # which of the two is not stated


def test_indented_lines_keep_their_columns() -> None:
    m = parse_slot_message(
        msg("  NB2735 B2736 01MAY01MAY 1000000 180320 MSQ2150 2300MSQ JJ", "  SI X")
    )
    assert m.lines[0].arrival_flight == "B2735" and m.supplementary == ("X",)
    with pytest.raises(ParseError) as err:
        parse_slot_message(msg("  NB2735 B2736 01MAY01MAY 1000000 180320 MSQ2160 2300MSQ JJ"))
    assert err.value.column == "time (characters 45-48)"


def test_period_outside_the_season_is_a_warning() -> None:
    m = parse_slot_message(msg("NB2735 B2736 20MAR14MAY 1030500 180320 MSQ2150 2300MSQ JJ"))
    assert m.warnings == (
        "line 6: period 2023-03-20–2023-05-14 runs outside season S23 (2023-03-26–2023-10-28)",
    )


@pytest.mark.parametrize(
    ("season", "first", "last"),
    [
        ("S23", D(2023, 3, 26), D(2023, 10, 28)),
        ("W22", D(2022, 10, 30), D(2023, 3, 25)),
        ("S24", D(2024, 3, 31), D(2024, 10, 26)),  # 31 March 2024 is itself the last Sunday
        ("W24", D(2024, 10, 27), D(2025, 3, 29)),
    ],
)
def test_season_bounds(season: str, first: dt.date, last: dt.date) -> None:
    assert season_bounds(season) == (first, last)


# --------------------------------------------------------------------------- dated slots


def test_dated_slots_of_a_turnaround_with_overnight_departure() -> None:
    t = slots_table(read_slot_message(REQUEST))
    rows = [r for r in t.to_pylist() if r["line"] == 6]
    # Mon, Wed, Fri from Mon 1 May to Sun 14 May 2023: 1, 3, 5, 8, 10, 12 May; each departure
    # the day after (overnight indicator 1) at 0045.
    arrivals = [D(2023, 5, d) for d in (1, 3, 5, 8, 10, 12)]
    assert [r["date"] for r in rows if r["direction"] == "A"] == arrivals
    assert [r["date"] for r in rows if r["direction"] == "D"] == [
        d + dt.timedelta(days=1) for d in arrivals
    ]
    assert {(r["direction"], r["time"], r["flight"], r["station"]) for r in rows} == {
        ("A", "2150", "B2735", "MSQ"),
        ("D", "0045", "B2736", "MSQ"),
    }
    assert {r["airport"] for r in rows} == {"ALA"}
    assert [r["date_variation"] for r in rows[:2]] == [0, 1]


def test_fortnightly_line_operates_every_other_week() -> None:
    t = slots_table(read_slot_message(REQUEST))
    rows = [r for r in t.to_pylist() if r["line"] == 7 and r["direction"] == "A"]
    # Wednesdays of May 2023 are 3, 10, 17, 24, 31; every other week from the week of 1 May.
    assert [r["date"] for r in rows] == [D(2023, 5, 3), D(2023, 5, 17), D(2023, 5, 31)]
    assert {r["via"] for r in rows} == {"NQZ"}


def test_row_counts_by_hand() -> None:
    t = slots_table(read_slot_message(REQUEST))
    # line 6: 6 dates x 2; line 7: 3 x 2; lines 8 and 9: daily 2 Apr-28 Oct 2023 =
    # 29+31+30+31+31+30+28 = 210 each, one direction; lines 10, 11: 8, 10, 12 May x 2;
    # line 12: one date x 2.
    counts = dict.fromkeys(range(6, 13), 0)
    for line in t["line"].to_pylist():
        counts[line] += 1
    assert counts == {6: 12, 7: 6, 8: 210, 9: 210, 10: 6, 11: 6, 12: 2}
    assert t.num_rows == 452
    assert t.schema.field("date").type == "date32[day]"


def test_winter_slots_cross_the_year() -> None:
    t = slots_table(read_slot_message(SIR))
    # 30 Oct 2022-25 Mar 2023 daily: 2+30+31+31+28+25 = 147 dates, x 2 directions.
    assert sum(1 for x in t["line"].to_pylist() if x == 6) == 294
    rows = [r for r in t.to_pylist() if r["line"] == 7]
    # Saturdays and Sundays from Mon 26 Dec 2022 to Sun 8 Jan 2023; departures at 0010 next day.
    assert [r["date"] for r in rows if r["direction"] == "A"] == [
        D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 7), D(2023, 1, 8),
    ]  # fmt: skip
    assert [r["date"] for r in rows if r["direction"] == "D"] == [
        D(2023, 1, 1), D(2023, 1, 2), D(2023, 1, 8), D(2023, 1, 9),
    ]  # fmt: skip


def test_lines_table_and_report() -> None:
    m = read_slot_message(REPLY)
    lines = slot_lines_table(m)
    assert lines.num_rows == 6 and lines["info"].to_pylist()[1] == "CA.060"
    report = slot_report(REPLY.read_bytes(), dated=True, name="reply.txt")
    assert report.message.name == "reply.txt" and report.slots is not None
    assert slot_report(REPLY).slots is None


# --------------------------------------------------------------------------- errors

BAD_LINES = [
    ("QB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ JJ", "action code (characters 1-1)", "Q"),
    ("NB2735 B2736 31APR14MAY 1030500 180320 MSQ2150 2300MSQ JJ", "period (from) (characters 14-18)", "31APR"),
    ("NB2735 B2736 14MAY01MAY 1030500 180320 MSQ2150 2300MSQ JJ", "period (characters 14-23)", "14MAY01MAY"),
    ("NB2735 B2736 01MAY14MAY 2030500 180320 MSQ2150 2300MSQ JJ", "days of operation (characters 25-31)", "2030500"),
    ("NB2735 B2736 01MAY14MAY 1030500 18032 MSQ2150 2300MSQ JJ", "seats and aircraft type (characters 33-37)", "18032"),
    ("NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2460 2300MSQ JJ", "time (characters 43-46)", "2460"),
    ("NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ", "service type (characters 55-55)", "(end of line)"),
    ("NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ J", "service type (characters 56-56)", "J"),
    ("NB2735 B2736 01MAY02MAY 0000500 180320 MSQ2150 2300MSQ JJ", "days of operation (characters 25-31)", "0000500"),
    ("NB2735 B2736 01MAY02MAY 0000050 180320 MSQ2150 2300MSQ JJ", "days of operation (characters 25-31)", "0000050"),
    ("N B2736 01MAY14MAY 1030500 180320 23001MSQ J", "departure routing (characters 35-42)", "23001MSQ"),
    ("NB2735 B2736 01MAY14MAY 1030500 180320 2150MSQ 2300MSQ JJ", "arrival routing (characters 40-46)", "2150MSQ"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "column", "value"), BAD_LINES)
def test_bad_data_line_names_line_column_value(line: str, column: str, value: str | None) -> None:
    with pytest.raises(ParseError) as err:
        parse_slot_message(msg(line), path="bad.txt")
    e = err.value
    assert (e.path, e.line, e.column) == ("bad.txt", 6, column)
    assert e.expected
    if value is not None:
        assert e.value == value
    assert str(e).startswith("bad.txt, line 6, column ")


def test_change_without_its_revised_line_is_refused() -> None:
    with pytest.raises(ParseError, match=r"a change line \(C\) has no revised line") as err:
        parse_slot_message(msg("CB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ JJ"))
    assert err.value.line == 6 and "R or L" in str(err.value.expected)
    with pytest.raises(ParseError, match=r"a revised line \(L\) has no change line") as err:
        parse_slot_message(msg("LB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 2300MSQ JJ"))
    assert (err.value.line, err.value.value) == (6, "L")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "the message is empty"),
        ("SMA\n/\nS23\n10JAN\nALA\n", 1, "message type SMA is not read by bilat"),
        ("HELLO\n", 1, "not a slot message"),
        ("SCR\n/\nX23\n10JAN\nALA\n", 3, "bad season line in the header"),
        ("SCR\nS23\n30FEB\nALA\n", 3, "bad date of message"),
        ("SCR\nS23\n10JAN\nALA1\n", 4, "bad clearance/advice airport line"),
        ("SCR\n/\nS23\n", 3, "the message ends after line 3"),
        ("SCR\nS23\n10JAN\nALA\n/ CA.060 /\n", 5, "an information line"),
    ],
)
def test_bad_header_or_order(text: str, line: int | None, message: str) -> None:
    with pytest.raises(ParseError, match=message) as err:
        parse_slot_message(text, path="m.txt")
    assert err.value.line == line


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "m.txt"
    p.write_bytes(b"SCR\nS23\n10JAN\nALA\n\xff\xfe\n")
    with pytest.raises(ParseError, match="not UTF-8") as err:
        read_slot_message(p)
    assert err.value.line == 5


def test_read_ssim_points_a_slot_message_to_bilat_air_slots() -> None:
    with pytest.raises(ParseError, match="unknown record type") as err:
        read_ssim(REQUEST)
    assert "SSIM Chapter 6 slot message" in str(err.value)
    assert "bilat air slots" in str(err.value)


# --------------------------------------------------------------------------- properties

_flight = st.builds(
    lambda a, n: f"{a}{n}",
    st.sampled_from(["B2", "KC", "U2", "9W", "DLH"]),
    st.integers(min_value=1, max_value=9999),
)
_time = st.builds(lambda h, m: f"{h:02d}{m:02d}", st.integers(0, 23), st.integers(0, 59))
_station = st.sampled_from(["MSQ", "NQZ", "ALA", "LHR"])


@st.composite
def _line(draw: Any) -> dict[str, Any]:
    start = draw(st.dates(D(2023, 3, 26), D(2023, 10, 28)))
    end = draw(st.dates(start, D(2023, 10, 28)))
    mask = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    days = "".join(str(k) if on else "0" for k, on in enumerate(mask, start=1))
    kind = draw(st.sampled_from(["AD", "A", "D"]))
    return {
        "action": draw(st.sampled_from(sorted(ACTION_CODES.keys() - {"C", "R", "L"}))),
        "arr": draw(_flight) if "A" in kind else None,
        "dep": draw(_flight) if "D" in kind else None,
        "start": start, "end": end, "days": days,
        "rate": draw(st.sampled_from([1, 2])),
        "seats": draw(st.integers(0, 999)),
        "type": draw(st.sampled_from(["320", "73H", "E90"])),
        "origin": draw(_station), "previous": draw(st.none() | _station),
        "ta": draw(_time), "td": draw(_time),
        "overnight": draw(st.integers(0, 2)) if kind == "AD" else 0,
        "next": draw(st.none() | _station), "dest": draw(_station),
        "sa": draw(st.sampled_from("JCF")), "sd": draw(st.sampled_from("JCF")),
    }  # fmt: skip


def _write(f: dict[str, Any]) -> str:
    """An independent writer of the data line layout (not bilat's code)."""
    period = f"{f['start']:%d%b}{f['end']:%d%b}".upper()
    parts = [f["action"] + (f["arr"] or "")] if f["arr"] else [f["action"]]
    if f["dep"]:
        parts.append(f["dep"])
    parts += [period, f["days"], f"{f['seats']:03d}{f['type']}"]
    if f["arr"]:
        parts.append(f["origin"] + (f["previous"] or "") + f["ta"])
    if f["dep"]:
        over = str(f["overnight"]) if f["overnight"] else ""
        parts.append(f["td"] + over + (f["next"] or "") + f["dest"])
    services = (f["sa"] if f["arr"] else "") + (f["sd"] if f["dep"] else "")
    parts.append(services + ("2" if f["rate"] == 2 else ""))
    return " ".join(parts)


def _has_a_date(f: dict[str, Any]) -> bool:
    week0 = f["start"] - dt.timedelta(days=f["start"].weekday())
    d = f["start"]
    while d <= f["end"]:
        if f["days"][d.weekday()] != "0" and ((d - week0).days // 7) % f["rate"] == 0:
            return True
        d += dt.timedelta(days=1)
    return False


@settings(max_examples=150, deadline=None)
@given(_line())
def test_written_line_reads_back(f: dict[str, Any]) -> None:
    text = msg(_write(f))
    if not _has_a_date(f):
        with pytest.raises(ParseError, match="bad days of operation"):
            parse_slot_message(text)
        return
    x = parse_slot_message(text).lines[0]
    assert (x.action, x.arrival_flight, x.departure_flight) == (f["action"], f["arr"], f["dep"])
    assert (x.period_from, x.period_to, x.days, x.frequency_rate) == (
        f["start"], f["end"], f["days"], f["rate"],
    )  # fmt: skip
    assert (x.seats, x.aircraft_type) == (f["seats"], f["type"])
    if f["arr"]:
        assert (x.origin, x.previous, x.arrival_time, x.arrival_service) == (
            f["origin"], f["previous"], f["ta"], f["sa"],
        )  # fmt: skip
    if f["dep"]:
        assert (x.departure_time, x.next_station, x.destination, x.departure_service) == (
            f["td"], f["next"], f["dest"], f["sd"],
        )  # fmt: skip
        assert x.overnight == f["overnight"]
    dates = operating_dates(x)
    assert dates and all(f["days"][d.weekday()] != "0" for d in dates)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="NCRKDX BA0123456789MAYJUN/ \n", max_size=80))
def test_garbage_gives_a_parse_error_never_a_crash(body: str) -> None:
    try:
        parse_slot_message(msg(*body.splitlines()))
    except BilatError as exc:
        assert isinstance(exc, ParseError)


# --------------------------------------------------------------------------- command line


def test_cli_json_dated(cli: Any) -> None:
    r = cli("air", "slots", str(REQUEST), "--dated", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["message"]["kind"] == "SCR" and len(doc["message"]["lines"]) == 7
    assert len(doc["slots"]) == 452
    assert doc["slots"][0] == {
        "line": 6, "action": "N", "effect": "requested", "airport": "ALA", "direction": "A",
        "date": "2023-05-01",
        "time": "2150", "flight": "B2735", "station": "MSQ", "via": None, "seats": 180,
        "aircraft_type": "320", "service_type": "J", "frequency_rate": 1, "date_variation": 0,
    }  # fmt: skip


def test_cli_text_and_csv(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "lines.csv"
    r = cli("air", "slots", str(REPLY), "--csv", str(out))
    assert r.exit_code == 0, r.stderr
    assert "in reply to B2REQ001" in r.stdout and f"wrote 6 rows (data lines) to {out}" in r.stdout
    assert out.read_text().splitlines()[0].startswith('"line","action","meaning"')
    dated = tmp_path / "slots.csv"
    assert cli("air", "slots", str(REQUEST), "--dated", "--csv", str(dated)).exit_code == 0
    assert len(dated.read_text().splitlines()) == 453  # header + 452 slots


def test_cli_bad_message_exits_2(cli: Any, tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_text(msg("NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2460 2300MSQ JJ"))
    r = cli("air", "slots", str(p))
    assert r.exit_code == 2
    assert "line 6, column 'time (characters 43-46)'" in r.stderr
    assert "2460" in r.stderr and "0000 to 2359" in r.stderr
