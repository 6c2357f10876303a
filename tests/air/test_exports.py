from __future__ import annotations

import bilat.air


def test_public_surface_is_exactly_what_we_mean() -> None:
    assert set(bilat.air.__all__) == {
        "FREEDOMS", "Agreement", "AgreementSummary", "AgreementsReport", "RoutesReport", "ScheduleCheck",
        "agreements_report", "check_ssim", "routes_report", "parse_carrier_states", "Airport", "CapCheck", "Carrier", "FlightCheck",
        "FrequencyCap", "Grant", "PermittedRoute", "PointClause", "PointSet", "Provenance",
        "Right", "RouteSchedule", "Schedule", "ScheduleReport", "SegmentCheck", "SegmentKind",
        "Verdict", "Violation", "airport", "airports_of", "carrier_state",
        "case_agreements_dir", "check_flight", "check_itinerary", "check_schedule", "classify",
        "great_circle_km", "is_airport", "load_agreement", "load_agreements",
        "parse_flight", "permitted_routes", "read_ssim", "routes_table",
        # issue 17: flights and capacity
        "FlightsReport", "expand_flights", "flights_report", "AircraftConfiguration",
        "CapacityReport", "CapacityCoverage", "ScheduleComparison", "aircraft_seat_table", "capacity",
        "capacity_report", "compare_schedules", "leg_seats", "parse_aircraft_configuration",
    }  # fmt: skip
    for name in bilat.air.__all__:
        assert getattr(bilat.air, name) is not None
