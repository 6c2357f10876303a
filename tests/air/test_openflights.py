"""OpenFlights' 2014 routes between Belarus and Kazakhstan, classified against the case."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bilat.air import Agreement, airport, check_flight, is_airport
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
