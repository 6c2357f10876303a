from __future__ import annotations

import math
from pathlib import Path

from bilat.air import Agreement, airport, airports_of, permitted_routes, read_ssim, routes_table


def _haversine(a: str, b: str) -> float:
    x, y = airport(a), airport(b)
    la1, la2 = math.radians(x.lat), math.radians(y.lat)
    dl = math.radians(y.lon - x.lon)
    c = math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(dl)
    return 6371.0088 * math.acos(c)  # spherical law of cosines: an independent formula


def test_kazakh_carrier_routes_reach_every_belarusian_airport(case: tuple[Agreement, ...]) -> None:
    routes = permitted_routes(case, "KC")
    served = {r.routing[1] for r in routes if r.kind == "trunk"}
    assert served == set(airports_of("BLR"))
    assert len(routes) == len(airports_of("KAZ")) * len(airports_of("BLR"))


def test_belarusian_routes_include_combined_and_fifth_freedom(case: tuple[Agreement, ...]) -> None:
    routes = permitted_routes(case, "B2")
    kinds = {r.routing: r.kind for r in routes}
    assert kinds[("MSQ", "NQZ")] == "trunk"
    assert kinds[("MSQ", "NQZ", "ALA")] == "co-terminal"
    assert kinds[("MSQ", "NQZ", "*")] == "fifth-freedom"


def test_distances_and_flown(case: tuple[Agreement, ...], july_ssim: Path) -> None:
    routes = permitted_routes(case, "B2", schedule=read_ssim(july_ssim))
    by = {r.routing: r for r in routes}
    assert (
        by[("MSQ", "NQZ")].distance_km == round(_haversine("MSQ", "NQZ"), 1)
        or abs(
            by[("MSQ", "NQZ")].distance_km - _haversine("MSQ", "NQZ")  # type: ignore[operator]
        )
        < 0.5
    )
    assert by[("MSQ", "NQZ")].flown is True
    assert by[("MSQ", "KSN")].flown is False  # only flown via NQZ
    assert by[("MSQ", "NQZ", "KSN")].flown is True
    table = routes_table(routes)
    assert table.num_rows == len(routes)
    assert table.schema.field("distance_km").type == "double"


def test_no_routes_for_an_undesignated_carrier(case: tuple[Agreement, ...]) -> None:
    assert permitted_routes(case, "IQ") == []
