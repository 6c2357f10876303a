"""OpenFlights' 2014 routes between Belarus and Kazakhstan, classified against the case."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bilat.air import (
    Agreement,
    airport,
    check_flight,
    check_route_file,
    is_airport,
    read_openflights_airlines,
    read_openflights_routes,
    read_route_list,
)
from bilat.codes.countries import to_iso3

pytestmark = pytest.mark.shared


def _routes(shared: Path) -> list[dict[str, str]]:
    with (shared / "air" / "openflights-routes-by-kz.csv").open() as fh:
        cols = [
            "airline",
            "airline_id",
            "src",
            "src_id",
            "dst",
            "dst_id",
            "codeshare",
            "stops",
            "eq",
        ]
        return [dict(zip(cols, row, strict=True)) for row in csv.reader(fh)]


def _airline_states(shared: Path) -> dict[str, str]:
    with (shared / "air" / "openflights-airlines-by-kz.csv").open() as fh:
        return {r[3]: to_iso3(r[6]) for r in csv.reader(fh) if len(r[3]) == 2}


def test_belarus_kazakhstan_routes_are_classified(
    shared_data: Path, case: tuple[Agreement, ...]
) -> None:
    states = _airline_states(shared_data)
    pairs = []
    for r in _routes(shared_data):
        if not (is_airport(r["src"]) and is_airport(r["dst"])):
            continue
        ends = {airport(r["src"]).state, airport(r["dst"]).state}
        if ends == {"BLR", "KAZ"}:
            pairs.append(r)
    assert {(r["airline"], r["src"], r["dst"]) for r in pairs} == {
        ("B2", "MSQ", "TSE"),
        ("B2", "TSE", "MSQ"),
    }
    for r in pairs:
        out = check_flight(case, f"{r['airline']} {r['src']}-{r['dst']}", carrier_states=states)
        (seg,) = out.segments
        assert seg.freedom == (3 if r["src"] == "MSQ" else 4)
        assert seg.verdict == "permitted"


def test_every_route_touching_either_state_gets_a_freedom(
    shared_data: Path, case: tuple[Agreement, ...]
) -> None:
    states = _airline_states(shared_data)
    freedoms: dict[int | None, int] = {}
    for r in _routes(shared_data):
        if r["airline"] not in states or r["stops"] != "0":
            continue
        if not (is_airport(r["src"]) and is_airport(r["dst"])):
            continue
        out = check_flight(case, f"{r['airline']} {r['src']}-{r['dst']}", carrier_states=states)
        f = out.segments[0].freedom
        freedoms[f] = freedoms.get(f, 0) + 1
    assert set(freedoms) <= {None, 3, 4, 5, 7}
    assert freedoms[3] > 0 and freedoms[4] > 0


# --------------------------------------------------------------------------- issue 17
# bilat.air.openflights on the real files, against Python's csv module read by hand.

ROUTES = "openflights-routes-by-kz.csv"
AIRLINES = "openflights-airlines-by-kz.csv"


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [(i, row) for i, row in enumerate(csv.reader(fh), start=1) if row]


def _null(v: str) -> str | None:
    return None if v in ("\\N", "") else v


def _int(v: str) -> int | None:
    return None if v == "\\N" else int(v)


def test_routes_reader_equals_the_csv_module(shared_data: Path) -> None:
    path = shared_data / "air" / ROUTES
    expected = [
        {
            "line": i,
            "airline": r[0],
            "airline_id": _int(r[1]),
            "source_airport": r[2],
            "source_airport_id": _int(r[3]),
            "destination_airport": r[4],
            "destination_airport_id": _int(r[5]),
            "codeshare": r[6] == "Y",
            "stops": int(r[7]),
            "equipment": r[8].split(),
        }
        for i, r in _csv_rows(path)
    ]
    table = read_openflights_routes(path)
    assert table.num_rows == len(expected) == 416
    assert table.to_pylist() == expected
    assert table.schema.field("stops").type == pa.int16()
    assert table.schema.field("airline_id").type == pa.int32()
    # the two rows whose source airport has no OpenFlights ID (\N) read as null
    assert table.filter(pc.is_null(table["source_airport_id"]))["line"].to_pylist() == [176, 177]


def test_airlines_reader_equals_the_csv_module(shared_data: Path) -> None:
    path = shared_data / "air" / AIRLINES
    expected = [
        {
            "line": i,
            "airline_id": int(r[0]),
            "name": r[1],
            "alias": _null(r[2]),
            "iata": _null(r[3]),
            "icao": _null(r[4]),
            "callsign": _null(r[5]),
            "country": _null(r[6]),
            "active": r[7] == "Y",
        }
        for i, r in _csv_rows(path)
    ]
    table = read_openflights_airlines(path)
    assert table.to_pylist() == expected
    assert table.num_rows == 88


def test_route_list_resolves_carriers_and_todays_astana_code(shared_data: Path) -> None:
    air = shared_data / "air"
    rl = read_route_list(air / ROUTES, airlines=read_openflights_airlines(air / AIRLINES))
    assert rl.format == "openflights"
    assert rl.file == ROUTES
    # by hand: the carriers of the routes file that the airlines file names by airline ID
    ids = {r[1] for _, r in _csv_rows(air / ROUTES)}
    named = {r[3]: to_iso3(r[6]) for _, r in _csv_rows(air / AIRLINES) if r[0] in ids}
    assert rl.carrier_states == named == {"B2": "BLR", "DV": "KAZ", "KC": "KAZ"}
    written = {(r["board_written"], r["board"]) for r in rl.routes.to_pylist()}
    assert ("TSE", "NQZ") in written
    assert not {b for w, b in written if w == "TSE"} - {"NQZ"}
    row = rl.routes.filter(pc.equal(rl.routes["line"], 71)).to_pylist()[0]
    assert (row["carrier"], row["board"], row["off"], row["source"]) == (
        "B2",
        "MSQ",
        "NQZ",
        f"{ROUTES}:71",
    )


def test_routes_from_openflights_match_the_hand_classification(
    shared_data: Path, case: tuple[Agreement, ...]
) -> None:
    air = shared_data / "air"
    airlines = read_openflights_airlines(air / AIRLINES)
    report = check_route_file(case, air / ROUTES, airlines=airlines)
    flown = report.flown.to_pylist()
    governed = [r for r in flown if r["agreements"]]
    # the hand-written reader above finds B2 MSQ-TSE both ways as the only BLR-KAZ routes
    assert [(r["carrier"], r["board"], r["off"], r["freedom"], r["verdict"]) for r in governed] == [
        ("B2", "MSQ", "NQZ", 3, "permitted"),
        ("B2", "NQZ", "MSQ", 4, "permitted"),
    ]
    assert report.not_permitted.num_rows == 0
    assert report.route_count == 416 == sum(report.counts.values())
    # by hand: not checked are the routes of carriers with no designation or airlines-file
    # country, codeshares, and routes to airports airportsdata does not know (SXF, FRU, SZI)
    rows = _routes(shared_data)
    known = {"B2": "BLR", "DV": "KAZ", "KC": "KAZ"}
    ours = [r for r in rows if r["airline"] in known]
    unchecked = [
        r
        for r in ours
        if r["codeshare"] == "Y" or not (is_airport(r["src"]) and is_airport(r["dst"]))
    ]
    assert report.counts["not-checked"] == len(rows) - len(ours) + len(unchecked) == 152
    checked = [r for r in ours if r not in unchecked]
    domestic = [
        r
        for r in checked
        if airport(r["src"]).state == airport(r["dst"]).state == known[r["airline"]]
    ]
    assert report.counts["not-regulated"] == len(domestic)
    assert report.counts["outside-agreements"] == len(checked) - len(domestic) - 2
    # the permitted routings it flies: B2's trunk to Astana, written TSE in 2014
    assert {r.routing for r in report.routes if r.flown} == {("MSQ", "NQZ")}
    assert all(r.flown is False for r in report.routes if r.carrier == "KC")


def test_cli_routes_with_the_openflights_files(shared_data: Path, case_dir: Path, cli: Any) -> None:
    air = shared_data / "air"
    out = cli(
        "air", "routes", str(case_dir), "--schedule", str(air / ROUTES),
        "--airlines", str(air / AIRLINES), "--carrier", "B2", "--json",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["carriers"] == ["B2"]
    assert doc["format"] == "openflights"
    assert {r["carrier"] for r in doc["flown"]} == {"B2"}
    assert [r["routing"] for r in doc["routes"] if r["flown"]] == [["MSQ", "NQZ"]]
    text = cli(
        "air", "routes", str(case_dir), "--schedule", str(air / ROUTES),
        "--airlines", str(air / AIRLINES),
    ).stdout  # fmt: skip
    assert "Flown but not permitted (0)" in text
    assert "416 routes read (openflights), 416 listed: 2 permitted, 0 refused" in text


def test_an_airlines_file_given_as_schedule_is_refused(
    shared_data: Path, case_dir: Path, cli: Any
) -> None:
    out = cli("air", "routes", str(case_dir), "--schedule", str(shared_data / "air" / AIRLINES))
    assert out.exit_code == 2
    assert "this is an OpenFlights airlines file, not a route list" in out.stderr
    assert "Pass it with --airlines" in out.stderr
