"""Read IATA SSIM Chapter 6 slot messages (SCR, SIR) and expand them to dated slots.

Coordinated airports and airlines exchange slot clearance requests and replies (``SCR``) and
schedule information requests and replies (``SIR``) as short text messages, laid out in
Chapter 6 of the IATA Standard Schedules Information Manual and used under the Worldwide
Airport Slot Guidelines. A message is a header, data lines and closing lines::

    SCR                      message type (standard message identifier)
    /B2REQ001                creator reference (optional; "/" alone when empty)
    S23                      IATA season: S (summer) or W (winter) and the year
    10JAN                    date of the message (day and month; the year is not written)
    ALA                      the coordinated airport (clearance/advice airport)
    REYT/B2REQ001            incoming message reference (optional, in replies)
    NB2735 B2736 01MAY14MAY 1030500 180320 MSQ2150 00451MSQ JJ
    SI free text             supplementary information
    GI free text             general information (ends the message)

A data line is the action code, the arrival flight (written against the code), the departure
flight, the period (``01MAY14MAY``, or one date ``04JUN``), the days of operation
(``1030500``: digit *k* = day *k* operates, Monday = 1, ``0`` = not), seats and aircraft type
(``180320``), the arrival routing (origin station, optional previous station, time
``MSQ2150``), the departure routing (time, optional overnight indicator — the number of days
the departure falls after the arrival —, optional next station, destination ``00451MSQ``),
and the service types of the arrival and the departure with an optional frequency rate
(``JJ``, ``JJ2`` fortnightly). An arrival-only line has no departure flight, routing or
service type (``NKC922 02APR28OCT 1234567 150321 LHR2205 J``); a departure-only line leaves a
space after the action code (``N KC921 02APR28OCT 1234567 150321 0710LHR J``). A line that
starts with ``/`` carries information on the data line above it (a coordinator's reasons,
``/ CA.060 /``). A change is two lines: ``C`` (the slots held) and, next, ``R`` or ``L``
(the slots wanted instead). All dates, days and times are UTC unless the parties agreed
otherwise; dates take their year from the season (``W22``: July to December 2022, January
to June 2023).

What this reader does not cover: slot requests by aircraft registration instead of flight
number, and message types other than SCR and SIR (SMA, SAQ, SAL, SHL, WIR, WCR) — those are
refused by name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pyarrow as pa

from bilat.air._slot_words import (
    ACTION_WORDS,
    SLOT_EFFECTS,
    direction_word,
    effect,
    net_requested,
    other_format_hint,
    slot_totals,
)
from bilat.errors import ParseError

__all__ = [
    "ACTION_CODES",
    "ACTION_WORDS",
    "OTHER_ACTION_CODES",
    "SLOT_EFFECTS",
    "SlotLine",
    "SlotMessage",
    "SlotReport",
    "direction_word",
    "operating_dates",
    "parse_slot_message",
    "read_slot_message",
    "season_bounds",
    "slot_lines_table",
    "slot_report",
    "slots_table",
]

#: Action codes whose meaning the reader names (from coordinators' published guides to
#: SSIM Chapter 6; see tests/fixtures/air/slots/README.md). Requests come from airlines,
#: replies (K, H, O, U, X) from coordinators.
ACTION_CODES: dict[str, str] = {
    "N": "new request",
    "C": "change: the slots held, to be replaced by the R or L line that follows",
    "R": "revised: the slots wanted instead; an offer is acceptable",
    "L": "revised: the slots wanted instead; no offer is acceptable",
    "D": "delete",
    "A": "offer accepted, no further improvement wanted",
    "P": "offer accepted, the original request kept on the waitlist",
    "Z": "offer declined",
    "B": "new entrant request",
    "K": "confirmed",
    "H": "held: slots the airline already holds",
    "O": "offer of the nearest times available",
    "U": "unable to allocate the times requested",
    "X": "cancelled",
}
#: Further action codes SSIM Chapter 6 lists; read and kept, their meaning not interpreted.
OTHER_ACTION_CODES = "EFIMTVWY"
_ACTIONS = frozenset(ACTION_CODES) | frozenset(OTHER_ACTION_CODES)
#: Chapter 6 message types this reader refuses by name (it reads SCR and SIR).
_OTHER_TYPES = ("SMA", "SAQ", "SAL", "SHL", "WIR", "WCR", "GCR")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

_FLIGHT = re.compile(r"([A-Z0-9]{2}[A-Z]?)(\d{1,4})([A-Z]?)")
_PERIOD = re.compile(r"(\d{2}[A-Z]{3})(\d{2}[A-Z]{3})?")
_DAYS = re.compile(r"[0-7]{7}")
_EQUIPMENT = re.compile(r"(\d{3})([A-Z0-9]{3})")
_ARRIVAL = re.compile(r"([A-Z]{3})([A-Z]{3})?(\d{4})")
_DEPARTURE = re.compile(r"(\d{4})(\d)?([A-Z]{3})([A-Z]{3})?")
_SERVICE_2 = re.compile(r"([A-Z])([A-Z])([12])?")
_SERVICE_1 = re.compile(r"([A-Z])([12])?")


@dataclass(frozen=True, slots=True)
class SlotLine:
    """One data line of a slot message.

    Attributes
    ----------
    line
        1-based line in the file.
    action
        The action code (``N``, ``C``, ``R``, ``K`` ...); :data:`ACTION_CODES` names them.
    meaning
        What the action code means, or ``None`` for a code whose meaning is not interpreted.
    arrival_flight, departure_flight
        Flight designators as written (``B2735``); ``None`` on a departure-only or
        arrival-only line.
    period_from, period_to
        First and last date of the period (the same date for a single date).
    days
        Days of operation, seven characters: digit *k* when day *k* operates, ``0`` when not
        (Monday = 1). For a single date written without days, that date's day.
    frequency_rate
        1 every week, 2 every other week (counted from the week, Monday to Sunday, holding
        ``period_from``).
    seats, aircraft_type
        Seats fitted and the IATA aircraft subtype (``320``).
    origin, previous
        Arrival: the origin station and the station before this airport (``None`` when the
        line names one station).
    arrival_time, departure_time
        ``HHMM`` as written (UTC unless agreed otherwise); ``None`` where the line has no
        arrival or departure.
    overnight
        Days the departure falls after the arrival date (0 when not written).
    next_station, destination
        Departure: the station after this airport (``None`` when the line names one
        station) and the destination.
    arrival_service, departure_service
        Service type codes (``J`` scheduled passenger ...).
    remarks
        Text after the service types on the same line.
    info
        The ``/ ... /`` lines that follow this data line, without their slashes.
    pair_line
        For a ``C`` line the line of its ``R``/``L`` line, and the other way round.
    text
        The line as written.
    """

    line: int
    action: str
    meaning: str | None
    arrival_flight: str | None
    departure_flight: str | None
    period_from: dt.date
    period_to: dt.date
    days: str
    frequency_rate: int
    seats: int
    aircraft_type: str
    origin: str | None
    previous: str | None
    arrival_time: str | None
    departure_time: str | None
    overnight: int
    next_station: str | None
    destination: str | None
    arrival_service: str | None
    departure_service: str | None
    remarks: str
    info: tuple[str, ...]
    pair_line: int | None
    text: str


@dataclass(frozen=True, slots=True)
class SlotMessage:
    """A parsed SCR or SIR message.

    Attributes
    ----------
    name
        The file's name (or the name given to :func:`parse_slot_message`).
    kind
        ``SCR`` (slot clearance request or reply) or ``SIR`` (schedule information).
    creator_reference
        The text after ``/`` on the creator reference line; ``None`` when absent or empty.
    season
        IATA season as written (``S23`` summer 2023, ``W22`` winter 2022/23).
    message_date
        Date of the message as written (``10JAN``): the message does not state its year.
    airports
        The clearance/advice airport(s) of the header line.
    incoming_reference
        The ``REYT/`` reference a reply carries to the message it answers.
    lines
        The data lines, in file order.
    supplementary, general
        The text of the ``SI`` and ``GI`` lines (lines after the first ``GI`` continue it).
    acknowledgements
        ``ACK`` / ``REJ`` lines as written.
    warnings
        Problems that do not stop reading (a period outside the season).
    """

    name: str
    kind: str
    creator_reference: str | None
    season: str
    message_date: str
    airports: tuple[str, ...]
    incoming_reference: str | None
    lines: tuple[SlotLine, ...]
    supplementary: tuple[str, ...]
    general: tuple[str, ...]
    acknowledgements: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SlotReport:
    """What ``bilat air slots`` answers: the message and, when asked, its dated slots.

    Attributes
    ----------
    message
        The parsed message.
    slots
        :func:`slots_table` of the message, or ``None`` when dated slots were not asked for.
    totals
        Dated slots (one arrival or one departure on one date) per ``effect``, e.g.
        ``{"requested": 446, "given up": 2}``; ``None`` without dated slots. Slots, not lines.
    net_requested
        Slots requested (``N``, ``B``, ``R``, ``L``) minus slots given up (``C``, ``D``): the
        change in slots held the message asks for if all is granted. ``None`` without dated
        slots or when no line requests or gives up a slot (a reply).
    """

    message: SlotMessage
    slots: pa.Table | None
    totals: dict[str, int] | None = None
    net_requested: int | None = None


# --------------------------------------------------------------------------- reading


def read_slot_message(path: str | Path) -> SlotMessage:
    """Read an SCR or SIR message from a text file.

    Raises
    ------
    ParseError
        For a line that breaks the layout: the message names the file, the 1-based line, the
        field and its character columns, the value found and what was expected.

    Examples
    --------
    >>> m = read_slot_message("tests/fixtures/air/slots/scr-ala-s23-request.txt")
    >>> m.kind, m.season, m.airports
    ('SCR', 'S23', ('ALA',))
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read slot message: {exc.strerror}", path=p) from exc
    return parse_slot_message(_decode(data, str(p)), path=str(p), name=p.name)


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ParseError(
            "bytes that are not UTF-8 text",
            path=path,
            line=line,
            value=data[exc.start : exc.start + 4],
            expected="a plain-text SSIM Chapter 6 message",
        ) from None


def parse_slot_message(text: str, *, path: str = "<text>", name: str | None = None) -> SlotMessage:
    """Parse the text of an SCR or SIR message; see :func:`read_slot_message`.

    ``path`` names the source in error messages, ``name`` in the result (default ``path``).
    """
    rows = [(no, raw.rstrip()) for no, raw in enumerate(text.splitlines(), start=1)]
    rows = [(no, t.replace("\t", " ")) for no, t in rows if t.strip()]
    if not rows:
        raise ParseError("the message is empty", path=path, expected="an SCR or SIR message")
    h, rest = _header(rows, path)
    body = _Body(path, h.season)
    for no, t in rest:
        body.add(no, t)
    lines = _pair(body.lines, path)
    return SlotMessage(
        name=name or path,
        kind=h.kind,
        creator_reference=h.creator,
        season=h.season,
        message_date=h.date,
        airports=h.airports,
        incoming_reference=h.incoming,
        lines=tuple(lines),
        supplementary=tuple(body.si),
        general=tuple(body.gi),
        acknowledgements=tuple(body.acks),
        warnings=tuple(_season_warnings(lines, h.season)),
    )


@dataclass(slots=True)
class _Header:
    kind: str = ""
    creator: str | None = None
    season: str = ""
    date: str = ""
    airports: tuple[str, ...] = ()
    incoming: str | None = None


def _header(rows: list[tuple[int, str]], path: str) -> tuple[_Header, list[tuple[int, str]]]:
    it = iter(rows)
    h = _Header()
    no, t = next(it)
    h.kind = t.strip()
    if h.kind not in ("SCR", "SIR"):
        other = h.kind[:3] in _OTHER_TYPES
        raise ParseError(
            f"message type {h.kind[:3]} is not read by bilat" if other else "not a slot message",
            path=path,
            line=no,
            column="message type (line 1)",
            value=h.kind,
            expected="SCR or SIR",
            hint="bilat reads SCR and SIR messages (SSIM Chapter 6)"
            if other
            else other_format_hint(t),
        )
    row = _next(it, path, no, "the creator reference or the season")
    if row[1].startswith("/"):
        h.creator = row[1][1:].strip() or None
        row = _next(it, path, row[0], "the season")
    h.season = _match_header(row, path, r"[SW]\d{2}", "season", "S or W and two digits, e.g. S23")
    row = _next(it, path, row[0], "the date of the message")
    h.date = _match_header(row, path, r"\d{2}[A-Z]{3}", "date of message", "DDMMM, e.g. 10JAN")
    _check_day_month(h.date, 2000, path, row[0], "date of message", 1)  # 2000: 29FEB exists
    row = _next(it, path, row[0], "the airport")
    airports = _match_header(
        row, path, r"[A-Z]{3}( [A-Z]{3})*", "clearance/advice airport", "an IATA airport code"
    )
    h.airports = tuple(airports.split())
    rest = list(it)
    if rest and rest[0][1].startswith("REYT/"):
        h.incoming = rest[0][1][5:].strip() or None
        rest = rest[1:]
    return h, rest


def _next(it: Iterator[tuple[int, str]], path: str, after: int, what: str) -> tuple[int, str]:
    try:
        return next(it)
    except StopIteration:
        raise ParseError(
            f"the message ends after line {after}", path=path, line=after, expected=what
        ) from None


def _match_header(row: tuple[int, str], path: str, pattern: str, name: str, expected: str) -> str:
    no, t = row
    value = t.strip()
    if not re.fullmatch(pattern, value):
        raise ParseError(
            f"bad {name} line in the header",
            path=path,
            line=no,
            column=name,
            value=value,
            expected=expected,
        )
    return value


def _check_day_month(text: str, year: int, path: str, no: int, name: str, col: int) -> dt.date:
    """``DDMMM`` in ``year`` as a date, or a ParseError at line ``no``, column ``col``."""
    month = _MONTHS.index(text[2:5]) + 1 if text[2:5] in _MONTHS else 0
    try:
        return dt.date(year, month, int(text[:2]))
    except ValueError:
        raise ParseError(
            f"bad {name}",
            path=path,
            line=no,
            column=f"{name} (characters {col}-{col + len(text) - 1})",
            value=text,
            expected="a day and month DDMMM that exist, e.g. 01MAY",
        ) from None


# --------------------------------------------------------------------------- body


class _Body:
    """The lines after the header, sorted into data lines, SI, GI and ACK/REJ lines."""

    def __init__(self, path: str, season: str) -> None:
        self.path, self.season = path, season
        self.lines: list[SlotLine] = []
        self.si: list[str] = []
        self.gi: list[str] = []
        self.acks: list[str] = []
        self.in_gi = False

    def add(self, no: int, t: str) -> None:
        s = t.lstrip()
        word = s.split(maxsplit=1)[0]
        rest = s[len(word) :].strip()
        if word in ("SI", "GI"):
            (self.si if word == "SI" else self.gi).append(rest)
            self.in_gi = self.in_gi or word == "GI"
        elif self.in_gi:
            self.gi.append(t.strip())
        elif s.startswith("/"):
            self._info(no, s)
        elif word in ("ACK", "REJ"):
            self.acks.append(t.strip())
        else:
            self.lines.append(_data_line(no, t, self.season, self.path))

    def _info(self, no: int, t: str) -> None:
        if not self.lines:
            raise ParseError(
                "an information line (/ ... /) before any data line",
                path=self.path,
                line=no,
                column="line (character 1)",
                value=t,
                expected="a data line for the information to belong to",
            )
        last = self.lines[-1]
        self.lines[-1] = dataclasses.replace(last, info=(*last.info, t.strip().strip("/").strip()))


class _Tokens:
    """The whitespace-separated tokens of one data line, read in order."""

    def __init__(self, no: int, text: str, path: str) -> None:
        self.no, self.text, self.path = no, text, path
        self.toks = [(m.start() + 1, m.group()) for m in re.finditer(r"\S+", text)]
        self.i = 0

    def peek(self) -> str:
        return self.toks[self.i][1] if self.i < len(self.toks) else ""

    def take(self, pattern: re.Pattern[str], name: str, expected: str) -> re.Match[str]:
        if self.i >= len(self.toks):
            self.fail(len(self.text) + 1, "(end of line)", name, expected)
        col, tok = self.toks[self.i]
        m = pattern.fullmatch(tok)
        if m is None:
            self.fail(col, tok, name, expected)
        self.i += 1
        return m

    def col(self) -> int:
        return self.toks[self.i - 1][0]

    def rest(self) -> str:
        if self.i >= len(self.toks):
            return ""
        return self.text[self.toks[self.i][0] - 1 :].strip()

    def fail(self, col: int, value: str, name: str, expected: str) -> NoReturn:
        end = col if value == "(end of line)" else col + max(len(value), 1) - 1
        raise ParseError(
            f"bad {name} in a data line",
            path=self.path,
            line=self.no,
            column=f"{name} (characters {col}-{end})",
            value=value,
            expected=expected,
        )


def _data_line(no: int, text: str, season: str, path: str) -> SlotLine:
    t = _Tokens(no, text, path)
    first = t.toks[0][1]
    action = first[0]
    if action not in _ACTIONS:
        t.fail(1, action, "action code", "an action code: " + "".join(sorted(_ACTIONS)))
    arrival = departure = None
    if len(first) == 1:  # "N KC921 ...": a departure-only line
        t.i = 1
        departure = t.take(_FLIGHT, "departure flight", "a flight designator, e.g. KC921")[0]
    else:
        t.toks[0] = (t.toks[0][0] + 1, first[1:])
        arrival = t.take(_FLIGHT, "arrival flight", "a flight designator, e.g. B2735")[0]
        if _FLIGHT.fullmatch(t.peek()):
            departure = t.take(_FLIGHT, "departure flight", "a flight designator")[0]
    start, end = _period(t, season)
    days = _days(t, start, end)
    days_at = t.col()  # a single date without days always has its own day
    eq = t.take(_EQUIPMENT, "seats and aircraft type", "3-digit seats and a type, e.g. 180320")
    r = _routing(t, arrival is not None, departure is not None)
    line = SlotLine(
        line=no,
        action=action,
        meaning=ACTION_CODES.get(action),
        arrival_flight=arrival,
        departure_flight=departure,
        period_from=start,
        period_to=end,
        days=days,
        frequency_rate=r.frequency_rate,
        seats=int(eq[1]),
        aircraft_type=eq[2],
        origin=r.origin,
        previous=r.previous,
        arrival_time=r.arrival_time,
        departure_time=r.departure_time,
        overnight=r.overnight,
        next_station=r.next_station,
        destination=r.destination,
        arrival_service=r.arrival_service,
        departure_service=r.departure_service,
        remarks=t.rest(),
        info=(),
        pair_line=None,
        text=text,
    )
    if not operating_dates(line):
        every = "every other week from its first week" if r.frequency_rate == 2 else "weekly"
        t.fail(days_at, days, "days of operation", f"a day that falls in the period ({every})")
    return line


def _period(t: _Tokens, season: str) -> tuple[dt.date, dt.date]:
    m = t.take(_PERIOD, "period", "DDMMMDDMMM or one date DDMMM, e.g. 01MAY14MAY")
    col = t.col()
    start = _check_day_month(m[1], _year(season, m[1]), t.path, t.no, "period (from)", col)
    if m[2] is None:
        return start, start
    end = _check_day_month(m[2], _year(season, m[2]), t.path, t.no, "period (to)", col + 5)
    if end < start:
        t.fail(col, m[0], "period", "a period whose last date is not before its first")
    return start, end


def _year(season: str, ddmmm: str) -> int:
    """The year of a ``DDMMM`` date in ``season``: a winter runs from one year into the next."""
    year = 2000 + int(season[1:])
    if season[0] == "W" and ddmmm[2:5] in _MONTHS[:6]:
        return year + 1
    return year


def _days(t: _Tokens, start: dt.date, end: dt.date) -> str:
    if start == end and not _DAYS.fullmatch(t.peek()):  # one date needs no days: its own
        k = start.isoweekday()
        return "".join(str(k) if j == k else "0" for j in range(1, 8))
    m = t.take(_DAYS, "days of operation", "seven characters, digit k or 0, e.g. 1030500")
    if any(c not in ("0", str(k)) for k, c in enumerate(m[0], start=1)):
        t.fail(t.col(), m[0], "days of operation", "digit k in position k or 0, e.g. 1030500")
    return m[0]


@dataclass(slots=True)
class _Routing:
    origin: str | None = None
    previous: str | None = None
    arrival_time: str | None = None
    departure_time: str | None = None
    overnight: int = 0
    next_station: str | None = None
    destination: str | None = None
    arrival_service: str | None = None
    departure_service: str | None = None
    frequency_rate: int = 1


def _routing(t: _Tokens, arr: bool, dep: bool) -> _Routing:
    out = _Routing()
    if arr:
        m = t.take(_ARRIVAL, "arrival routing", "origin [previous] station and time, e.g. MSQ2150")
        out.origin, out.previous, out.arrival_time = (
            m[1],
            m[2],
            _time(t, m[3], t.col() + len(m[0]) - 4),
        )
    if dep:
        m = t.take(
            _DEPARTURE,
            "departure routing",
            "time [overnight days] [next] destination station, e.g. 00451MSQ",
        )
        if m[2] and not arr:
            t.fail(t.col(), m[0], "departure routing", "no overnight indicator without an arrival")
        out.departure_time, out.overnight = _time(t, m[1], t.col()), int(m[2] or 0)
        out.next_station, out.destination = (m[3], m[4]) if m[4] else (None, m[3])
    both = arr and dep
    m = t.take(
        _SERVICE_2 if both else _SERVICE_1,
        "service type",
        "service type(s) and an optional frequency rate 2: " + ("JJ or JJ2" if both else "J or J2"),
    )
    out.arrival_service = m[1] if arr else None
    out.departure_service = (m[2] if both else m[1]) if dep else None
    out.frequency_rate = int(m[3 if both else 2] or 1)
    return out


def _time(t: _Tokens, hhmm: str, col: int) -> str:
    if int(hhmm[:2]) > 23 or int(hhmm[2:]) > 59:
        t.fail(col, hhmm, "time", "a time HHMM from 0000 to 2359")
    return hhmm


def _pair(lines: list[SlotLine], path: str) -> list[SlotLine]:
    """Link each ``C`` line to the ``R``/``L`` line right after it, or refuse the message."""
    out = list(lines)
    for i, line in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if line.action == "C":
            if nxt is None or nxt.action not in ("R", "L"):
                raise _pair_error(line, path, "has no revised line (R or L) right after it")
            out[i] = dataclasses.replace(line, pair_line=nxt.line)
            out[i + 1] = dataclasses.replace(nxt, pair_line=line.line)
        elif line.action in ("R", "L") and (i == 0 or lines[i - 1].action != "C"):
            raise _pair_error(line, path, "has no change line (C) right before it")
    return out


def _pair_error(line: SlotLine, path: str, problem: str) -> ParseError:
    kind = "change" if line.action == "C" else "revised"
    return ParseError(
        f"a {kind} line ({line.action}) {problem}",
        path=path,
        line=line.line,
        column="action code (characters 1-1)",
        value=line.action,
        expected="a change line (C) followed by its revised line (R or L)",
    )


# --------------------------------------------------------------------------- seasons, dates


def season_bounds(season: str) -> tuple[dt.date, dt.date]:
    """First and last day of an IATA season (``S23``, ``W22``).

    Summer runs from the last Sunday of March to the Saturday before the last Sunday of
    October; winter from that Sunday of October to the Saturday before the last Sunday of
    March of the next year.

    >>> season_bounds("S23")
    (datetime.date(2023, 3, 26), datetime.date(2023, 10, 28))
    """
    if not re.fullmatch(r"[SW]\d{2}", season):
        raise ParseError("bad season", value=season, expected="S or W and two digits, e.g. S23")
    year = 2000 + int(season[1:])
    if season[0] == "S":
        return _last_sunday(year, 3), _last_sunday(year, 10) - dt.timedelta(days=1)
    return _last_sunday(year, 10), _last_sunday(year + 1, 3) - dt.timedelta(days=1)


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.isoweekday() % 7)


def _season_warnings(lines: list[SlotLine], season: str) -> list[str]:
    first, last = season_bounds(season)
    return [
        f"line {x.line}: period {x.period_from}–{x.period_to} runs outside season {season} "
        f"({first}–{last})"
        for x in lines
        if x.period_from < first or x.period_to > last
    ]


def operating_dates(line: SlotLine) -> list[dt.date]:
    """The dates a data line's period, days and frequency rate give (of its arrival)."""
    week0 = line.period_from - dt.timedelta(days=line.period_from.weekday())
    out = []
    d = line.period_from
    while d <= line.period_to:
        if line.days[d.weekday()] != "0" and ((d - week0).days // 7) % line.frequency_rate == 0:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


# --------------------------------------------------------------------------- tables

_SLOT_SCHEMA = pa.schema(
    [
        ("line", pa.int32()),
        ("action", pa.string()),
        ("effect", pa.string()),
        ("airport", pa.string()),
        ("direction", pa.string()),
        ("date", pa.date32()),
        ("time", pa.string()),
        ("flight", pa.string()),
        ("station", pa.string()),
        ("via", pa.string()),
        ("seats", pa.int16()),
        ("aircraft_type", pa.string()),
        ("service_type", pa.string()),
        ("frequency_rate", pa.int8()),
        ("date_variation", pa.int8()),
    ]
)


def slots_table(message: SlotMessage) -> pa.Table:
    """One row per slot: each data line expanded to its dates, arrival and departure apart.

    Columns: ``line`` (the data line), ``action``, ``effect`` (what the line does to the
    slot: ``requested``, ``requested instead`` (an ``R``/``L`` line), ``given up if the
    change is granted`` (a ``C`` line: slots held), ``given up`` (``D``), ``held``,
    ``allocated``, ``offered``, ``not allocated``, ``cancelled`` ..., or ``not interpreted``
    for a code whose meaning bilat does not name), ``airport`` (the header's airport; null
    when the header names several), ``direction`` (``A`` arrival, ``D`` departure), ``date``
    (date32, UTC), ``time`` (``HHMM``), ``flight``, ``station`` (origin of an arrival,
    destination of a departure), ``via`` (previous or next station, null when not written),
    ``seats``, ``aircraft_type``, ``service_type``, ``frequency_rate``, ``date_variation``
    (days a departure falls after the line's date, from the overnight indicator).

    Rows keep the message's order: by line, then date, the arrival before the departure.
    """
    airport = message.airports[0] if len(message.airports) == 1 else None
    rows: list[dict[str, object]] = []
    for x in message.lines:
        common = {
            "line": x.line,
            "action": x.action,
            "effect": effect(x.action),
            "airport": airport,
            "seats": x.seats,
            "aircraft_type": x.aircraft_type,
            "frequency_rate": x.frequency_rate,
        }
        for d in operating_dates(x):
            if x.arrival_flight is not None:
                rows.append(
                    {**common, "direction": "A", "date": d, "time": x.arrival_time,
                     "flight": x.arrival_flight, "station": x.origin, "via": x.previous,
                     "service_type": x.arrival_service, "date_variation": 0}
                )  # fmt: skip
            if x.departure_flight is not None:
                rows.append(
                    {**common, "direction": "D", "date": d + dt.timedelta(days=x.overnight),
                     "time": x.departure_time, "flight": x.departure_flight,
                     "station": x.destination, "via": x.next_station,
                     "service_type": x.departure_service, "date_variation": x.overnight}
                )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=_SLOT_SCHEMA)


def slot_lines_table(message: SlotMessage) -> pa.Table:
    """The data lines as a table: one row per line, the :class:`SlotLine` fields as columns
    (``info`` joined with `` | ``)."""
    rows = []
    for x in message.lines:
        row = {f.name: getattr(x, f.name) for f in dataclasses.fields(x)}
        row["info"] = " | ".join(x.info)
        rows.append(row)
    names = [f.name for f in dataclasses.fields(SlotLine)]
    return pa.Table.from_pylist(rows) if rows else pa.table({n: pa.array([]) for n in names})


def slot_report(
    source: str | Path | bytes, *, dated: bool = False, name: str | None = None
) -> SlotReport:
    """Read a slot message (a path, or its bytes) and, with ``dated``, expand its slots.

    ``name`` labels bytes in the report and in error messages (default ``"<bytes>"``).
    """
    if isinstance(source, bytes):
        label = name or "<bytes>"
        message = parse_slot_message(_decode(source, label), path=label, name=label)
    else:
        message = read_slot_message(source)
    if not dated:
        return SlotReport(message=message, slots=None)
    slots = slots_table(message)
    totals = slot_totals(slots["effect"].to_pylist())
    return SlotReport(message, slots, totals=totals, net_requested=net_requested(totals))
