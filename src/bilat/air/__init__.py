"""Air services agreements: traffic rights, itinerary checks, SSIM schedule compliance.

>>> from bilat import air
>>> agreements = air.load_agreements(air.case_agreements_dir())
>>> air.check_flight(agreements, "KC MVQ-ALA").permitted
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bilat.air.airports import Airport, airport, airports_of, great_circle_km, is_airport
from bilat.air.capacity import (
    AircraftConfiguration,
    CapacityCoverage,
    CapacityReport,
    ScheduleComparison,
    aircraft_seat_table,
    capacity,
    capacity_report,
    compare_schedules,
    leg_seats,
    parse_aircraft_configuration,
)
from bilat.air.check import (
    FlightCheck,
    Grant,
    SegmentCheck,
    Verdict,
    carrier_state,
    check_flight,
    check_itinerary,
    parse_flight,
)
from bilat.air.flights import FlightsReport, expand_flights, flights_report
from bilat.air.freedoms import FREEDOMS, SegmentKind, classify
from bilat.air.model import (
    Agreement,
    AgreementSummary,
    Carrier,
    FrequencyCap,
    PointClause,
    PointSet,
    Provenance,
    Right,
    RouteSchedule,
    load_agreement,
    load_agreements,
)
from bilat.air.reports import (
    AgreementsReport,
    RoutesReport,
    ScheduleCheck,
    agreements_report,
    check_ssim,
    parse_carrier_states,
    routes_report,
)
from bilat.air.routes import PermittedRoute, permitted_routes, routes_table
from bilat.air.schedule import (
    CapCheck,
    ScheduleReport,
    Violation,
    check_schedule,
)
from bilat.air.ssim import Schedule, read_ssim

__all__ = [
    "FREEDOMS",
    "Agreement",
    "AgreementSummary",
    "AgreementsReport",
    "AircraftConfiguration",
    "Airport",
    "CapCheck",
    "CapacityCoverage",
    "CapacityReport",
    "Carrier",
    "FlightCheck",
    "FlightsReport",
    "FrequencyCap",
    "Grant",
    "PermittedRoute",
    "PointClause",
    "PointSet",
    "Provenance",
    "Right",
    "RouteSchedule",
    "RoutesReport",
    "Schedule",
    "ScheduleCheck",
    "ScheduleComparison",
    "ScheduleReport",
    "SegmentCheck",
    "SegmentKind",
    "Verdict",
    "Violation",
    "agreements_report",
    "aircraft_seat_table",
    "airport",
    "airports_of",
    "capacity",
    "capacity_report",
    "carrier_state",
    "case_agreements_dir",
    "check_flight",
    "check_itinerary",
    "check_schedule",
    "check_ssim",
    "classify",
    "compare_schedules",
    "expand_flights",
    "flights_report",
    "great_circle_km",
    "is_airport",
    "leg_seats",
    "load_agreement",
    "load_agreements",
    "parse_aircraft_configuration",
    "parse_carrier_states",
    "parse_flight",
    "permitted_routes",
    "read_ssim",
    "routes_report",
    "routes_table",
]


def case_agreements_dir(case: str = "blr-kaz-2022") -> Path:
    """The folder of agreement files that ships with a case (default: the founding case)."""
    return Path(str(resources.files("bilat") / "cases" / case / "air"))
