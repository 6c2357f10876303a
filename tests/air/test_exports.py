from __future__ import annotations

import bilat.air

#: issue 17: openflights (route lists from OpenFlights or SSIM, checked against the case)
OPENFLIGHTS = {
    "RouteList", "RouteListCheck", "RouteVerdict", "check_route_file", "check_route_list",
    "detect_format", "read_openflights_airlines", "read_openflights_airports",
    "read_openflights_routes", "read_route_list", "route_list_from_schedule",
}  # fmt: skip

#: issue 17: compliance
COMPLIANCE = {
    "Period", "ScheduleVerdict", "Territory", "ViolationGroup", "airport_label", "freedom_name",
    "freedoms_words", "segment_words", "sovereign_state", "territories",
}  # fmt: skip


def test_public_surface_is_exactly_what_we_mean() -> None:
    assert OPENFLIGHTS <= set(bilat.air.__all__)
    assert COMPLIANCE <= set(bilat.air.__all__)
    assert set(bilat.air.__all__) - OPENFLIGHTS - COMPLIANCE == {
        "FREEDOMS", "Agreement", "AgreementSummary", "AgreementsReport", "RoutesReport", "ScheduleCheck",
        "agreements_report", "check_ssim", "routes_report", "parse_carrier_states", "Airport", "CapCheck", "Carrier", "FlightCheck",
        "FrequencyCap", "Grant", "PermittedRoute", "PointClause", "PointSet", "Provenance",
        "Right", "RouteSchedule", "Schedule", "ScheduleReport", "SegmentCheck", "SegmentKind",
        "Verdict", "Violation", "airport", "airports_of", "carrier_state",
        "case_agreements_dir", "check_flight", "check_itinerary", "check_schedule", "classify",
        "great_circle_km", "is_airport", "load_agreement", "load_agreements",
        "parse_flight", "permitted_routes", "read_ssim", "routes_table",
        # issue 17: slots
        "SlotLine", "SlotMessage", "SlotReport", "parse_slot_message", "read_slot_message",
        "slot_report", "slots_table",
        # issue 17: agreements
        "AgreementsNotFoundError", "PointClauseSummary",
        "ALI_WEIGHTS", "AgreementDiff", "ClauseChange", "FeatureScore", "LiberalizationIndex",
        "RegimeClause", "diff_agreements", "liberalization_index",
        # issue 17: SSIM read completely, written back, printed
        "LegsReport", "legs_report", "parse_ssim", "write_legs", "write_ssim",
        # issue 17: flights and capacity
        "FlightsReport", "expand_flights", "flights_report", "AircraftConfiguration",
        "CapacityReport", "CapacityCoverage", "ScheduleComparison", "aircraft_seat_table", "capacity",
        "capacity_report", "compare_schedules", "leg_seats", "parse_aircraft_configuration",
        # issue 17: schedule review fixes
        "FlightVerdict", "overridden_carrier_states",
    }  # fmt: skip
    assert COMPLIANCE <= set(bilat.air.__all__)
    for name in bilat.air.__all__:
        assert getattr(bilat.air, name) is not None
