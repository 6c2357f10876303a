"""Read OpenFlights route, airline and airport files, and one route list for them and SSIM.

OpenFlights (https://openflights.org/data.php, ODbL) publishes three comma-separated files
without a header; ``\\N`` is its null:

- ``routes.dat``: airline (2-letter IATA or 3-letter ICAO), airline ID, source airport
  (3-letter IATA or 4-letter ICAO), source airport ID, destination airport, destination
  airport ID, codeshare (``Y``: marketed by the airline, operated by another), stops,
  equipment (3-character aircraft codes separated by spaces). Routes are directional.
- ``airlines.dat``: airline ID, name, alias, IATA, ICAO, callsign, country, active (Y/N).
- ``airports.dat``: airport ID, name, city, country, IATA, ICAO, latitude, longitude,
  altitude (ft), timezone (hours from UTC), DST, tz database name, type, source (the last
  two are missing from snapshots before 2017, which have 12 fields; both are read).

Each reader gives an Arrow table with typed columns, ``line`` (int32, 1-based) first; empty
text and ``\\N`` are null. Blank lines are skipped; any other row that breaks the layout
raises :class:`~bilat.errors.ParseError` naming the file, line, field, value and what was
expected. Files are read as UTF-8, or as Latin-1 (the encoding OpenFlights documented for
its older files) when they are not valid UTF-8.

A :class:`RouteList` is what ``bilat air routes --schedule`` reads: one row per route a
carrier flies (carrier, board, off, stops, codeshare, equipment, source), from an OpenFlights
routes file or an SSIM schedule, told apart by content (:func:`detect_format`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from bilat.air.airports import canonical_code, is_airport
from bilat.air.ssim import Schedule, parse_ssim
from bilat.codes.countries import to_iso3
from bilat.errors import ParseError, UnknownCodeError

__all__ = [
    "FileFormat",
    "RouteList",
    "detect_format",
    "read_openflights_airlines",
    "read_openflights_airports",
    "read_openflights_routes",
    "read_route_list",
    "route_list_from_schedule",
]

#: What :func:`detect_format` recognises in a file.
FileFormat = Literal["ssim", "openflights-routes", "openflights-airlines", "openflights-airports"]

_CODE_NULLS = ("", "-", "N/A")


@dataclass(frozen=True, slots=True)
class _Field:
    """One field of an OpenFlights file: name, type, the pattern its text must match."""

    name: str
    kind: Literal["text", "int", "float", "flag", "equipment"]
    pattern: str | None = None
    expected: str = ""
    required: bool = False
    nulls: tuple[str, ...] = ("",)
    bounds: tuple[float, float] | None = None


# at most 9 digits: every such number fits the int32 column
_INT = r"^\d{1,9}$"
_SIGNED = r"^-?\d{1,9}$"
_FLOAT = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"

ROUTE_FIELDS = (
    _Field(
        "airline", "text", r"^[A-Z0-9]{2,3}$", "a 2-letter IATA or 3-letter ICAO airline code", True
    ),
    _Field("airline_id", "int", _INT, "an OpenFlights airline ID (digits) or \\N"),
    _Field(
        "source_airport",
        "text",
        r"^[A-Z0-9]{3,4}$",
        "a 3-letter IATA or 4-letter ICAO airport code",
        True,
    ),
    _Field("source_airport_id", "int", _INT, "an OpenFlights airport ID (digits) or \\N"),
    _Field(
        "destination_airport",
        "text",
        r"^[A-Z0-9]{3,4}$",
        "a 3-letter IATA or 4-letter ICAO airport code",
        True,
    ),
    _Field("destination_airport_id", "int", _INT, "an OpenFlights airport ID (digits) or \\N"),
    _Field("codeshare", "flag", r"^[YN]$", "Y (codeshare) or empty", nulls=("",)),
    _Field("stops", "int", r"^\d{1,4}$", "the number of stops (0 for nonstop)", True),
    _Field(
        "equipment",
        "equipment",
        r"^[A-Z0-9]{3}( [A-Z0-9]{3})*$",
        "3-character aircraft codes separated by spaces",
    ),
)

AIRLINE_FIELDS = (
    _Field("airline_id", "int", _INT, "an OpenFlights airline ID (digits)", True),
    _Field("name", "text", None, "the airline's name", True),
    _Field("alias", "text"),
    _Field(
        "iata",
        "text",
        r"^[A-Z0-9]{2}$",
        "a 2-character IATA airline code or empty",
        nulls=_CODE_NULLS,
    ),
    _Field(
        "icao", "text", r"^[A-Z0-9]{3}$", "a 3-letter ICAO airline code or empty", nulls=_CODE_NULLS
    ),
    _Field("callsign", "text"),
    _Field("country", "text"),
    _Field("active", "flag", r"^[YNyn]$", "Y or N", True),
)

AIRPORT_FIELDS = (
    _Field("airport_id", "int", _INT, "an OpenFlights airport ID (digits)", True),
    _Field("name", "text"),
    _Field("city", "text"),
    _Field("country", "text"),
    _Field(
        "iata", "text", r"^[A-Z0-9]{3}$", "a 3-letter IATA airport code or empty", nulls=_CODE_NULLS
    ),
    _Field(
        "icao", "text", r"^[A-Z0-9]{4}$", "a 4-letter ICAO airport code or empty", nulls=_CODE_NULLS
    ),
    _Field(
        "latitude", "float", _FLOAT, "decimal degrees between -90 and 90", True, bounds=(-90, 90)
    ),
    _Field(
        "longitude",
        "float",
        _FLOAT,
        "decimal degrees between -180 and 180",
        True,
        bounds=(-180, 180),
    ),
    _Field("altitude_ft", "int", _SIGNED, "the altitude in whole feet"),
    _Field("timezone_hours", "float", _FLOAT, "hours from UTC, e.g. 5.5", bounds=(-14, 14)),
    _Field("dst", "text", r"^[EASOZNU]$", "one of E, A, S, O, Z, N, U"),
    _Field("tz", "text"),
    _Field("type", "text"),
    _Field("source", "text"),
)

_LAYOUT = {
    "routes": "routes.dat (airline, airline ID, source airport, source airport ID, destination "
    "airport, destination airport ID, codeshare, stops, equipment)",
    "airlines": "airlines.dat (airline ID, name, alias, IATA, ICAO, callsign, country, active)",
    "airports": "airports.dat (airport ID, name, city, country, IATA, ICAO, latitude, "
    "longitude, altitude, timezone, DST, tz database, type, source)",
}

Source = str | Path | bytes


def _load(source: Source, name: str | None) -> tuple[str, str]:
    """The file's text and the label errors name it by."""
    if isinstance(source, bytes):
        data, label = source, name or "upload.csv"
    else:
        label = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ParseError(f"cannot read the file: {exc.strerror}", path=label) from exc
    try:
        return data.decode("utf-8-sig"), label
    except UnicodeDecodeError:
        return data.decode("latin-1"), label


def _csv(text: str, names: list[str], invalid: Callable[[pcsv.InvalidRow], str]) -> pa.Table:
    return pcsv.read_csv(
        pa.py_buffer(text.encode("utf-8")),
        read_options=pcsv.ReadOptions(column_names=names, use_threads=False),
        parse_options=pcsv.ParseOptions(
            invalid_row_handler=invalid, ignore_empty_lines=False, newlines_in_values=False
        ),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=["\\N"],
            strings_can_be_null=True,
        ),
    )


def _raw(text: str, fields: Sequence[_Field], label: str, what: str) -> pa.Table:
    """Every field as text (``\\N`` null), one row per line, ``line`` first; layout checked."""
    bad: list[pcsv.InvalidRow] = []

    def invalid(row: pcsv.InvalidRow) -> str:
        bad.append(row)
        return "skip"

    names = [f.name for f in fields]
    if not text.strip():
        raise ParseError(
            "the file holds no rows (it is empty or only blank lines)",
            path=label,
            expected=f"rows of OpenFlights {_LAYOUT[what]}",
        )
    try:
        table = _csv(text, names, invalid)
    except pa.ArrowInvalid as exc:
        raise ParseError(
            f"not readable as comma-separated text ({exc})",
            path=label,
            expected=f"rows of OpenFlights {_LAYOUT[what]}",
        ) from exc
    if bad:
        row = bad[0]
        raise ParseError(
            f"{row.actual_columns} comma-separated fields, expected {len(fields)}",
            path=label,
            line=row.number,
            value=row.text,
            expected=f"the layout of OpenFlights {_LAYOUT[what]}",
            hint="Check that the file is the OpenFlights file this option takes",
        )
    # rows are lines (no field spans lines); a blank line reads as a row of empty fields
    table = table.add_column(0, "line", pa.array(range(1, table.num_rows + 1), pa.int32()))
    joined = pc.binary_join_element_wise(*[pc.fill_null(table[n], "-") for n in names], "")
    return table.filter(pc.not_equal(joined, ""))


def _fail(f: _Field, k: int, table: pa.Table, i: int, label: str, what: str) -> ParseError:
    raw = table[f.name][i].as_py()
    message = (
        f"{f.name.replace('_', ' ')} is missing"
        if raw is None
        else f"invalid {f.name.replace('_', ' ')}"
    )
    return ParseError(
        message,
        path=label,
        line=int(table["line"][i].as_py()),
        column=f"{f.name} (field {k})",
        value="\\N" if raw is None else raw,
        expected=f.expected,
        hint=f"OpenFlights {what} files are laid out as {_LAYOUT[what]}",
    )


def _first(mask: pa.Array | pa.ChunkedArray) -> int:
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _convert(raw: pa.Table, fields: Sequence[_Field], label: str, what: str) -> pa.Table:
    """Typed columns from the text ones; the first value that breaks its field is an error."""
    out: dict[str, pa.Array | pa.ChunkedArray] = {"line": raw["line"]}
    for k, f in enumerate(fields, start=1):
        col = pc.utf8_trim_whitespace(raw[f.name]) if f.kind == "text" else raw[f.name]
        if f.nulls:
            col = pc.if_else(pc.is_in(col, pa.array(f.nulls)), pa.scalar(None, pa.string()), col)
        if f.required and (i := _first(pc.is_null(col))) >= 0:
            raise _fail(f, k, raw, i, label, what)
        if f.pattern and (i := _first(pc.invert(pc.match_substring_regex(col, f.pattern)))) >= 0:
            raise _fail(f, k, raw, i, label, what)
        out[f.name] = _typed(f, col)
        if f.bounds is not None:
            lo, hi = f.bounds
            outside = pc.or_(pc.less(out[f.name], lo), pc.greater(out[f.name], hi))
            if (i := _first(outside)) >= 0:
                raise _fail(f, k, raw, i, label, what)
    return pa.table(out)


def _typed(f: _Field, col: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    if f.kind == "int":
        return pc.cast(col, pa.int16() if f.name == "stops" else pa.int32())
    if f.kind == "float":
        return pc.cast(col, pa.float64())
    if f.kind == "flag":
        return pc.fill_null(pc.equal(pc.utf8_upper(col), "Y"), False)
    if f.kind == "equipment":
        return pc.if_else(
            pc.is_null(col), pa.scalar([], pa.list_(pa.string())), pc.split_pattern(col, " ")
        )
    return col


def _read(source: Source, name: str | None, fields: Sequence[_Field], what: str) -> pa.Table:
    text, label = _load(source, name)
    return _convert(_raw(text, fields, label, what), fields, label, what)


def read_openflights_routes(source: Source, *, name: str | None = None) -> pa.Table:
    """Read an OpenFlights ``routes.dat`` file (a path, or its bytes).

    Returns
    -------
    pyarrow.Table
        ``line`` (int32), ``airline`` (string), ``airline_id`` (int32), ``source_airport``,
        ``source_airport_id``, ``destination_airport``, ``destination_airport_id``,
        ``codeshare`` (bool: ``Y`` true, empty false), ``stops`` (int16), ``equipment``
        (list of string, empty when none is given). IDs are null where the file has ``\\N``.

    Raises
    ------
    ParseError
        For a row with the wrong number of fields or a field that breaks the layout.

    Examples
    --------
    >>> t = read_openflights_routes(b"B2,1478,MSQ,2954,TSE,2910,,0,CRJ 735\\n")
    >>> t.select(["airline", "source_airport", "destination_airport", "stops"]).to_pylist()
    [{'airline': 'B2', 'source_airport': 'MSQ', 'destination_airport': 'TSE', 'stops': 0}]
    """
    return _read(source, name, ROUTE_FIELDS, "routes")


def read_openflights_airlines(source: Source, *, name: str | None = None) -> pa.Table:
    """Read an OpenFlights ``airlines.dat`` file (a path, or its bytes).

    Returns
    -------
    pyarrow.Table
        ``line``, ``airline_id`` (int32), ``name``, ``alias``, ``iata``, ``icao``,
        ``callsign``, ``country`` (strings; empty, ``\\N``, and for codes ``-`` and ``N/A``
        are null), ``active`` (bool).
    """
    return _read(source, name, AIRLINE_FIELDS, "airlines")


def read_openflights_airports(source: Source, *, name: str | None = None) -> pa.Table:
    """Read an OpenFlights ``airports.dat`` file (14 fields, or the 12 of older snapshots).

    Returns
    -------
    pyarrow.Table
        ``line``, ``airport_id`` (int32), ``name``, ``city``, ``country``, ``iata``, ``icao``,
        ``latitude``, ``longitude`` (float64, degrees), ``altitude_ft`` (int32),
        ``timezone_hours`` (float64), ``dst``, ``tz``, ``type``, ``source`` (strings; ``type``
        and ``source`` null in a 12-field file).
    """
    text, label = _load(source, name)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if _field_count(first) == 12:
        table = _convert(
            _raw(text, AIRPORT_FIELDS[:12], label, "airports"),
            AIRPORT_FIELDS[:12],
            label,
            "airports",
        )
        for f in AIRPORT_FIELDS[12:]:
            table = table.append_column(f.name, pa.nulls(table.num_rows, pa.string()))
        return table
    return _convert(
        _raw(text, AIRPORT_FIELDS, label, "airports"), AIRPORT_FIELDS, label, "airports"
    )


def _split(line: str) -> list[str]:
    """One line's comma-separated fields (quotes as OpenFlights writes them)."""
    import csv

    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def _field_count(line: str) -> int:
    return len(_split(line))


# --------------------------------------------------------------------------- formats


def detect_format(data: bytes) -> FileFormat | None:
    """Which kind of file ``data`` is, by its content (the file name is not consulted).

    SSIM: the first non-blank line is a 200-character record starting with a record type
    (``0``-``5``), or the header ``1AIRLINE STANDARD SCHEDULE``, or the file is 200-character
    records without line ends. OpenFlights: the first non-blank line splits into 9 (routes), 8 (airlines), 12 or 14
    (airports) comma-separated fields of the documented kinds. ``None`` when neither.
    """
    text = data[:4096].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if first[:1] in tuple("012345") and (
        len(first) == 200 or (len(text) >= 200 and "\n" not in text)
    ):
        return "ssim"
    if first.startswith("1AIRLINE STANDARD SCHEDULE"):
        return "ssim"
    parts = [p.strip() for p in _split(first)]
    number = functools.partial(_is_number, signed=False)
    if len(parts) == 9 and number(parts[7]) and (number(parts[1]) or parts[1] == "\\N"):
        return "openflights-routes"
    if len(parts) == 8 and number(parts[0]) and parts[7].upper() in ("Y", "N"):
        return "openflights-airlines"
    if (
        len(parts) in (12, 14)
        and number(parts[0])
        and _is_number(parts[6])
        and _is_number(parts[7])
    ):
        return "openflights-airports"
    return None


def _is_number(text: str, *, signed: bool = True) -> bool:
    body = text.lstrip("+-") if signed else text
    return body.replace(".", "", 1).isdigit()


# --------------------------------------------------------------------------- route list

ROUTE_LIST_SCHEMA = pa.schema(
    [
        ("carrier", pa.string()),
        ("airline", pa.string()),
        ("board", pa.string()),
        ("off", pa.string()),
        ("board_written", pa.string()),
        ("off_written", pa.string()),
        ("stops", pa.int16()),
        ("codeshare", pa.bool_()),
        ("equipment", pa.list_(pa.string())),
        ("line", pa.int32()),
        ("source", pa.string()),
    ]
)


@dataclass(frozen=True)
class RouteList:
    """Routes carriers fly, from an OpenFlights routes file or an SSIM schedule.

    Attributes
    ----------
    file
        The file's name (no folder).
    format
        ``"openflights"`` or ``"ssim"``.
    routes
        One row per route (SSIM: per distinct carrier, board and off point of its legs):
        ``carrier`` (IATA code where the airlines file gives one, else as written),
        ``airline`` (as written), ``board``, ``off`` (IATA codes in use today: ``TSE`` is
        ``NQZ``; ICAO codes and airport IDs resolved where possible), ``board_written``,
        ``off_written`` (as in the file), ``stops`` (int16), ``codeshare`` (bool: marketed by
        the carrier, operated by another), ``equipment`` (aircraft codes), ``line`` (first
        line in the file) and ``source`` (``file:line``).
    carrier_states
        Carrier → ISO3 of the country the airlines file gives it (empty without one).
    warnings
        What could not be resolved: airline IDs the airlines file lacks, countries unknown,
        carriers the file gives two countries.
    """

    file: str
    format: Literal["openflights", "ssim"]
    routes: pa.Table
    carrier_states: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def flown_pairs(self, carrier: str) -> set[tuple[str, str]]:
        """(board, off) of the nonstop routes ``carrier`` operates itself (no codeshares)."""
        t = self.routes
        mask = pc.and_(
            pc.and_(pc.equal(t["carrier"], carrier), pc.invert(t["codeshare"])),
            pc.equal(t["stops"], 0),
        )
        sel = t.filter(mask)
        return set(zip(sel["board"].to_pylist(), sel["off"].to_pylist(), strict=True))


def route_list_from_schedule(schedule: Schedule) -> RouteList:
    """The distinct (carrier, board, off) of an SSIM schedule's legs, as a :class:`RouteList`."""
    legs = schedule.legs
    grouped = legs.group_by(["airline", "dep", "arr"], use_threads=False).aggregate(
        [("line", "min"), ("aircraft_type", "distinct")]
    )
    grouped = grouped.sort_by("line_min")
    name = Path(schedule.path).name
    lines = grouped["line_min"].to_pylist()
    dep, arr = grouped["dep"].to_pylist(), grouped["arr"].to_pylist()
    n = grouped.num_rows
    table = pa.table(
        {
            "carrier": grouped["airline"],
            "airline": grouped["airline"],
            "board": [canonical_code(c) for c in dep],
            "off": [canonical_code(c) for c in arr],
            "board_written": dep,
            "off_written": arr,
            "stops": pa.array([0] * n, pa.int16()),
            "codeshare": pa.array([False] * n),
            "equipment": [sorted(e) for e in grouped["aircraft_type_distinct"].to_pylist()],
            "line": pa.array(lines, pa.int32()),
            "source": [f"{name}:{ln}" for ln in lines],
        },
        schema=ROUTE_LIST_SCHEMA,
    )
    return RouteList(name, "ssim", table)


def read_route_list(
    file: Source,
    *,
    name: str | None = None,
    airlines: pa.Table | None = None,
    airports: pa.Table | None = None,
) -> RouteList:
    """Read a route list: an OpenFlights routes file or an SSIM schedule, told by content.

    Parameters
    ----------
    file
        A path, or the file's bytes (an upload).
    name
        The file's name in the result and in errors (default: the path's name).
    airlines
        :func:`read_openflights_airlines`: resolves the routes' airline IDs and ICAO codes
        to IATA codes and gives each carrier its country's state (``carrier_states``).
    airports
        :func:`read_openflights_airports`: resolves airport IDs and ICAO codes to IATA codes
        (without it, ICAO codes are resolved through airportsdata).

    Raises
    ------
    ParseError
        When the file is neither format (or another OpenFlights file than routes), or when a
        row breaks its format.
    """
    if isinstance(file, bytes):
        data, label = file, name or "upload"
    else:
        label = name or str(file)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise ParseError(f"cannot read the file: {exc.strerror}", path=label) from exc
    kind = detect_format(data)
    if kind == "ssim":
        return route_list_from_schedule(parse_ssim(data, path=label))
    if kind == "openflights-routes":
        routes = read_openflights_routes(data, name=label)
        return _route_list(label, routes, airlines, airports)
    raise _not_a_route_list(kind, data, label)


def _not_a_route_list(kind: FileFormat | None, data: bytes, label: str) -> ParseError:
    first = next((ln for ln in data[:4096].decode("latin-1").splitlines() if ln.strip()), "")
    if kind is not None:
        option = kind.removeprefix("openflights-")
        return ParseError(
            f"this is an OpenFlights {option} file, not a route list",
            path=label,
            line=1,
            value=first,
            expected="an SSIM schedule or an OpenFlights routes file",
            hint=f"Pass it with --{option} and the routes file as the schedule",
        )
    return ParseError(
        "neither an SSIM schedule nor an OpenFlights routes file",
        path=label,
        line=1,
        value=first,
        expected="200-character SSIM records (the first 1AIRLINE STANDARD SCHEDULE DATA SET) or "
        "9 comma-separated OpenFlights route fields (airline, airline ID, source airport, ...)",
    )


@dataclass(frozen=True, slots=True)
class _Airline:
    iata: str | None
    icao: str | None
    country: str | None
    active: bool


def _airlines_index(
    airlines: pa.Table,
) -> tuple[dict[int, _Airline], dict[str, list[_Airline]]]:
    by_id: dict[int, _Airline] = {}
    by_code: dict[str, list[_Airline]] = {}
    for r in airlines.select(["airline_id", "iata", "icao", "country", "active"]).to_pylist():
        a = _Airline(r["iata"], r["icao"], r["country"], bool(r["active"]))
        by_id[int(r["airline_id"])] = a
        for code in {a.iata, a.icao} - {None}:
            by_code.setdefault(str(code), []).append(a)
    return by_id, by_code


def _airline_of(
    code: str, airline_id: int | None, index: tuple[dict[int, _Airline], dict[str, list[_Airline]]]
) -> _Airline | None:
    """The airlines file's row for a route's airline: by ID, else by an unambiguous code."""
    by_id, by_code = index
    if airline_id is not None and airline_id in by_id:
        return by_id[airline_id]
    found = by_code.get(code, [])
    active = [a for a in found if a.active] or found
    return active[0] if len({(a.iata, a.country) for a in active}) == 1 else None


@functools.cache
def _iso3(country: str) -> str | None:
    try:
        return to_iso3(country)
    except UnknownCodeError:
        return None


def _carriers(
    routes: pa.Table, airlines: pa.Table | None
) -> tuple[list[str], dict[str, str], list[str]]:
    """Each route's carrier code, the carriers' states from the airlines file, warnings."""
    codes = routes["airline"].to_pylist()
    if airlines is None:
        return codes, {}, []
    index = _airlines_index(airlines)
    carriers, states, warnings = [], {}, []
    seen: dict[str, set[str]] = {}
    unknown: set[str] = set()
    for code, aid in zip(codes, routes["airline_id"].to_pylist(), strict=True):
        a = _airline_of(code, aid, index)
        carrier = (a.iata if a and a.iata else None) or code
        carriers.append(carrier)
        if a is None or a.country is None:
            continue
        state = _iso3(a.country)
        if state is None:
            unknown.add(a.country)
            continue
        seen.setdefault(carrier, set()).add(state)
    for carrier, found in sorted(seen.items()):
        if len(found) == 1:
            states[carrier] = next(iter(found))
        else:
            warnings.append(
                f"the airlines file gives carrier {carrier} more than one country "
                f"({', '.join(sorted(found))}); its state is not taken from the file"
            )
    if unknown:
        warnings.append(f"countries of the airlines file not known: {', '.join(sorted(unknown))}")
    return carriers, states, warnings


@functools.cache
def _icao_airports() -> dict[str, str]:
    import airportsdata

    return {k: str(v["iata"]) for k, v in airportsdata.load("ICAO").items() if v.get("iata")}


def _airport_codes(codes: list[str], ids: list[int | None], airports: pa.Table | None) -> list[str]:
    """IATA codes in use today for a column of route end points.

    The airports file's row (by ID) gives the IATA and ICAO codes; a code airportsdata does
    not know (a retired one, such as Bishkek's ``FRU``) is then looked up by its ICAO code,
    which outlives IATA recodings. Without the file, a 4-letter code is taken as ICAO.
    """
    by_id: dict[int, tuple[str | None, str | None]] = {}
    if airports is not None:
        for r in airports.select(["airport_id", "iata", "icao"]).to_pylist():
            by_id[int(r["airport_id"])] = (r["iata"], r["icao"])
    icao_table = _icao_airports()
    out = []
    for code, aid in zip(codes, ids, strict=True):
        iata, icao = by_id.get(aid, (None, None)) if aid is not None else (None, None)
        if len(code) == 4:
            icao, code = icao or code, iata or code
        elif iata:
            code = iata
        if not is_airport(code) and icao in icao_table:
            code = icao_table[icao]
        out.append(canonical_code(code))
    return out


def _route_list(
    label: str, routes: pa.Table, airlines: pa.Table | None, airports: pa.Table | None
) -> RouteList:
    carriers, states, warnings = _carriers(routes, airlines)
    src, dst = routes["source_airport"].to_pylist(), routes["destination_airport"].to_pylist()
    board = _airport_codes(src, routes["source_airport_id"].to_pylist(), airports)
    off = _airport_codes(dst, routes["destination_airport_id"].to_pylist(), airports)
    name = Path(label).name
    table = pa.table(
        {
            "carrier": carriers,
            "airline": routes["airline"],
            "board": board,
            "off": off,
            "board_written": src,
            "off_written": dst,
            "stops": routes["stops"],
            "codeshare": routes["codeshare"],
            "equipment": routes["equipment"],
            "line": routes["line"],
            "source": [f"{name}:{ln}" for ln in routes["line"].to_pylist()],
        },
        schema=ROUTE_LIST_SCHEMA,
    )
    return RouteList(name, "openflights", table, states, tuple(warnings))
