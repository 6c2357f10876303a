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
from bilat.air.diff import AgreementDiff, ClauseChange, diff_agreements
from bilat.air.flights import FlightsReport, expand_flights, flights_report
from bilat.air.flown import RouteListCheck, RouteVerdict, check_route_file, check_route_list
from bilat.air.freedoms import FREEDOMS, SegmentKind, classify
from bilat.air.legs import LegsReport, legs_report, write_legs
from bilat.air.liberalization import (
    ALI_WEIGHTS,
    FeatureScore,
    LiberalizationIndex,
    liberalization_index,
)
from bilat.air.loading import AgreementsNotFoundError, load_agreement, load_agreements
from bilat.air.model import (
    Agreement,
    AgreementSummary,
    Carrier,
    FrequencyCap,
    PointClause,
    PointClauseSummary,
    PointSet,
    Provenance,
    RegimeClause,
    Right,
    RouteSchedule,
)
from bilat.air.openflights import (
    RouteList,
    detect_format,
    read_openflights_airlines,
    read_openflights_airports,
    read_openflights_routes,
    read_route_list,
    route_list_from_schedule,
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
from bilat.air.slots import (
    SlotLine,
    SlotMessage,
    SlotReport,
    parse_slot_message,
    read_slot_message,
    slot_report,
    slots_table,
)
from bilat.air.ssim import Schedule, parse_ssim, read_ssim
from bilat.air.ssim_write import write_ssim

__all__ = [
    "ALI_WEIGHTS",
    "FREEDOMS",
    "Agreement",
    "AgreementDiff",
    "AgreementSummary",
    "AgreementsNotFoundError",
    "AgreementsReport",
    "AircraftConfiguration",
    "Airport",
    "CapCheck",
    "CapacityCoverage",
    "CapacityReport",
    "Carrier",
    "ClauseChange",
    "FeatureScore",
    "FlightCheck",
    "FlightsReport",
    "FrequencyCap",
    "Grant",
    "LegsReport",
    "LiberalizationIndex",
    "PermittedRoute",
    "PointClause",
    "PointClauseSummary",
    "PointSet",
    "Provenance",
    "RegimeClause",
    "Right",
    "RouteList",
    "RouteListCheck",
    "RouteSchedule",
    "RouteVerdict",
    "RoutesReport",
    "Schedule",
    "ScheduleCheck",
    "ScheduleComparison",
    "ScheduleReport",
    "SegmentCheck",
    "SegmentKind",
    "SlotLine",
    "SlotMessage",
    "SlotReport",
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
    "check_route_file",
    "check_route_list",
    "check_schedule",
    "check_ssim",
    "classify",
    "compare_schedules",
    "detect_format",
    "diff_agreements",
    "expand_flights",
    "flights_report",
    "great_circle_km",
    "is_airport",
    "leg_seats",
    "legs_report",
    "liberalization_index",
    "load_agreement",
    "load_agreements",
    "parse_aircraft_configuration",
    "parse_carrier_states",
    "parse_flight",
    "parse_slot_message",
    "parse_ssim",
    "permitted_routes",
    "read_openflights_airlines",
    "read_openflights_airports",
    "read_openflights_routes",
    "read_route_list",
    "read_slot_message",
    "read_ssim",
    "route_list_from_schedule",
    "routes_report",
    "routes_table",
    "slot_report",
    "slots_table",
    "write_legs",
    "write_ssim",
]

# issue 17: compliance (schedule report groups, verdict; territories; freedoms in words)
from bilat.air.airports import airport_label
from bilat.air.freedoms import freedom_name, freedoms_words, segment_words
from bilat.air.groups import Period, ViolationGroup
from bilat.air.reports import ScheduleVerdict
from bilat.air.territories import Territory, sovereign_state, territories

__all__ += [
    "Period",
    "ScheduleVerdict",
    "Territory",
    "ViolationGroup",
    "airport_label",
    "freedom_name",
    "freedoms_words",
    "segment_words",
    "sovereign_state",
    "territories",
]

# issue 17: schedule fixes (flight verdicts, designation over a carrier state)
from bilat.air.check import FlightVerdict, overridden_carrier_states  # noqa: E402

__all__ += ["FlightVerdict", "overridden_carrier_states"]


def case_agreements_dir(case: str = "blr-kaz-2022") -> Path:
    """The folder of agreement files that ships with a case (default: the founding case)."""
    return Path(str(resources.files("bilat") / "cases" / case / "air"))
