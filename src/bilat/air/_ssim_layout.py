"""The byte layout of SSIM Chapter 7 records 1-5, shared by the reader and the writer.

Columns are 1-based and inclusive, as the standard prints them. The layout was checked
against three independent readers: Schiphol-Hub/ssim (``ssim/regexes.py``), wcagreen/
rusty-ssim (``rusty-ssim-core/src/utils/ssim_parser.rs``) and sthonnard/ssimparser
(``R/ssimparser.R``); they agree on every field listed here.

Kinds
-----
``code``  text whose bytes are checked: ``allowed`` names classes (``A`` upper-case letter,
          ``D`` digit, ``B`` blank), ``chars`` lists further characters; read right-trimmed
``text``  free text (any printable ASCII), read right-trimmed
``int``   right-justified digits (blanks allowed on the left); ``pad`` is how the writer fills on the left (``"0"`` or
          ``" "``); ``null`` when an all-blank field reads as null
``time``  ``HHMM`` → minutes after midnight (int16); ``null`` when blank allowed
``offset``  ``±HHMM`` → minutes (int16)
``date``  ``DDMMMYY`` → date32; ``open``: ``00XXX00`` reads as null; ``null``: blank as null
``days``, ``rate``, ``datevar``  the days of operation, the frequency rate and the two date
          variation bytes of record 3, read by their own rules
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = ["CARRIER", "HEADER", "LEG", "RECORDS", "SEGMENT", "TRAILER", "Field"]


_STR = pa.string()


@dataclass(frozen=True)
class Field:
    """One field of a record: its column name, byte columns and how it is read and written.

    ``mode`` is ``"data set"`` for a time or date in the data set's time mode (UTC or local,
    as its type-2 record says), ``""`` otherwise (not a schedule time, or not stated).
    """

    name: str
    start: int
    end: int
    kind: str
    label: str
    allowed: str = ""
    chars: str = ""
    pad: str = " "
    null: bool = False
    open: bool = False
    arrow: pa.DataType = _STR
    mode: str = ""

    @property
    def width(self) -> int:
        return self.end - self.start + 1


_I16, _I32, _I8 = pa.int16(), pa.int32(), pa.int8()
_DS = "data set"


def _code(name: str, a: int, b: int, label: str, allowed: str) -> Field:
    return Field(name, a, b, "code", label, allowed=allowed)


def _text(name: str, a: int, b: int, label: str) -> Field:
    return Field(name, a, b, "text", label)


# Record 1: header.
HEADER: tuple[Field, ...] = (
    _text("title", 2, 35, "title of contents"),
    Field("number_of_seasons", 41, 41, "int", "number of seasons", null=True, arrow=_I8),
    Field("dataset_serial", 192, 194, "int", "data set serial", pad="0", null=True, arrow=_I16),
    Field("serial", 195, 200, "int", "record serial number", pad="0", null=True, arrow=_I32),
)

# Record 2: carrier (one per data set).
CARRIER: tuple[Field, ...] = (
    Field("time_mode", 2, 2, "code", "time mode", chars="UL"),
    _code("airline", 3, 5, "airline designator", "ADB"),
    _code("season", 11, 13, "season", "ADB"),
    Field("validity_from", 15, 21, "date", "period of schedule validity (from)", mode=_DS),
    Field("validity_to", 22, 28, "date", "period of schedule validity (to)", open=True, mode=_DS),
    Field("creation_date", 29, 35, "date", "creation date", null=True),
    _text("title", 36, 64, "title of data"),
    Field("release_date", 65, 71, "date", "release date", null=True),
    _code("schedule_status", 72, 72, "schedule status", "AB"),
    _text("creator_reference", 73, 107, "creator reference"),
    _text("duplicate_designator_marker", 108, 108, "duplicate airline designator marker"),
    _text("general_information", 109, 169, "general information"),
    _text("in_flight_service_information", 170, 188, "in-flight service information"),
    _code("electronic_ticketing", 189, 190, "electronic ticketing information", "AB"),
    Field("creation_time", 191, 194, "time", "creation time", null=True),
    Field("serial", 195, 200, "int", "record serial number", pad="0", null=True, arrow=_I32),
)

# Record 3: flight leg.
LEG: tuple[Field, ...] = (
    _code("airline", 3, 5, "airline designator", "ADB"),
    _code("suffix", 2, 2, "operational suffix", "AB"),
    Field("flight_number", 6, 9, "int", "flight number", arrow=_I32),
    Field("ivi", 10, 11, "int", "itinerary variation identifier", pad="0", arrow=_I16),
    Field("leg_seq", 12, 13, "int", "leg sequence number", pad="0", arrow=_I16),
    _code("service_type", 14, 14, "service type", "A"),
    Field("period_from", 15, 21, "date", "period of operation (from)", mode=_DS),
    Field("period_to", 22, 28, "date", "period of operation (to)", open=True, mode=_DS),
    Field("days", 29, 35, "days", "days of operation", mode=_DS),
    Field("frequency_rate", 36, 36, "rate", "frequency rate", arrow=_I8),
    _code("dep", 37, 39, "departure station", "A"),
    Field("std", 40, 43, "time", "passenger STD", mode=_DS),
    Field("aircraft_std", 44, 47, "time", "aircraft STD", mode=_DS),
    Field("dep_utc_offset", 48, 52, "offset", "departure UTC/local time variation"),
    _code("dep_terminal", 53, 54, "departure passenger terminal", "ADB"),
    _code("arr", 55, 57, "arrival station", "A"),
    Field("aircraft_sta", 58, 61, "time", "aircraft STA", mode=_DS),
    Field("sta", 62, 65, "time", "passenger STA", mode=_DS),
    Field("arr_utc_offset", 66, 70, "offset", "arrival UTC/local time variation"),
    _code("arr_terminal", 71, 72, "arrival passenger terminal", "ADB"),
    _code("aircraft_type", 73, 75, "aircraft type", "ADB"),
    _text("prbd", 76, 95, "passenger reservations booking designator"),
    _text("prbm", 96, 100, "passenger reservations booking modifier"),
    _text("meal_service", 101, 110, "meal service note"),
    _code("joint_operation", 111, 119, "joint operation airline designators", "ADB"),
    _code("mct_status_dep", 120, 120, "minimum connecting time status (departure)", "AB"),
    _code("mct_status_arr", 121, 121, "minimum connecting time status (arrival)", "AB"),
    _code("secure_flight", 122, 122, "secure flight indicator", "AB"),
    _code("ivi_overflow", 128, 128, "itinerary variation identifier overflow", "ADB"),
    _code("aircraft_owner", 129, 131, "aircraft owner", "ADB"),
    _code("cockpit_crew_employer", 132, 134, "cockpit crew employer", "ADB"),
    _code("cabin_crew_employer", 135, 137, "cabin crew employer", "ADB"),
    _code("onward_airline", 138, 140, "onward airline designator", "ADB"),
    Field("onward_flight_number", 141, 144, "int", "onward flight number", null=True, arrow=_I32),
    _code("aircraft_rotation_layover", 145, 145, "aircraft rotation layover", "ADB"),
    _code("onward_suffix", 146, 146, "onward operational suffix", "AB"),
    _code("flight_transit_layover", 148, 148, "flight transit layover", "ADB"),
    _code("operating_disclosure", 149, 149, "operating airline disclosure", "AB"),
    _code("trc", 150, 160, "traffic restriction code", "AB"),
    _code("trc_overflow", 161, 161, "traffic restriction code leg overflow indicator", "AB"),
    _text("aircraft_config", 173, 192, "aircraft configuration/version"),
    Field("date_variation", 193, 194, "datevar", "date variation", mode=_DS),
    Field("serial", 195, 200, "int", "record serial number", pad="0", arrow=_I32),
)

# Record 4: segment data.
SEGMENT: tuple[Field, ...] = (
    _code("airline", 3, 5, "airline designator", "ADB"),
    _code("suffix", 2, 2, "operational suffix", "AB"),
    Field("flight_number", 6, 9, "int", "flight number", arrow=_I32),
    Field("ivi", 10, 11, "int", "itinerary variation identifier", pad="0", arrow=_I16),
    Field("leg_seq", 12, 13, "int", "leg sequence number", pad="0", arrow=_I16),
    _code("service_type", 14, 14, "service type", "A"),
    _code("ivi_overflow", 28, 28, "itinerary variation identifier overflow", "ADB"),
    _code("board_indicator", 29, 29, "board point indicator", "A"),
    _code("off_indicator", 30, 30, "off point indicator", "A"),
    Field("dei", 31, 33, "int", "data element identifier", pad="0", arrow=_I16),
    _code("board", 34, 36, "board point", "A"),
    _code("off", 37, 39, "off point", "A"),
    _text("data", 40, 194, "data"),
    Field("serial", 195, 200, "int", "record serial number", pad="0", null=True, arrow=_I32),
)

# Record 5: trailer.
TRAILER: tuple[Field, ...] = (
    _code("airline", 3, 5, "airline designator", "ADB"),
    Field("release_date", 6, 12, "date", "release date", null=True),
    Field("serial_check", 188, 193, "int", "serial number check reference", pad="0", arrow=_I32),
    Field("continuation", 194, 194, "code", "continuation/end code", "B", "CE"),
    Field("serial", 195, 200, "int", "record serial number", pad="0", null=True, arrow=_I32),
)

RECORDS: dict[str, tuple[Field, ...]] = {
    "1": HEADER,
    "2": CARRIER,
    "3": LEG,
    "4": SEGMENT,
    "5": TRAILER,
}
