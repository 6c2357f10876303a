"""The nine freedoms of the air, as ICAO's Doc 9626 names them, and segment classification.

A *segment* is a board point → off point pair of one flight (possibly over several legs).
Its freedom is judged relative to the state of the operating carrier (``home``):

=====  ==============================================================================
1st    fly over a foreign state without landing (not a segment; listed for completeness)
2nd    land in a foreign state for non-traffic purposes (a technical stop)
3rd    carry traffic from the home state to a foreign state
4th    carry traffic from a foreign state to the home state
5th    carry traffic between two foreign states on a service that starts or ends at home
6th    carry traffic between two foreign states via a point in the home state
7th    carry traffic between two foreign states on a service that does not touch home
8th    carry traffic inside a foreign state on a service that starts or ends at home
       (consecutive cabotage)
9th    carry traffic inside a foreign state on a service that does not touch home
       (stand-alone cabotage)
=====  ==============================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

__all__ = ["FREEDOMS", "SegmentKind", "classify", "freedom_name", "freedoms_words", "segment_words"]

#: Short English description of each freedom (1-9).
FREEDOMS: dict[int, str] = {
    1: "overflight without landing",
    2: "technical stop without traffic",
    3: "home → foreign state",
    4: "foreign state → home",
    5: "between two foreign states, service touches home",
    6: "between two foreign states via home",
    7: "between two foreign states, service away from home",
    8: "consecutive cabotage (inside a foreign state, service touches home)",
    9: "stand-alone cabotage (inside a foreign state, service away from home)",
}

#: Ordinal words, for text (a freedom is never printed as a bare number or "None").
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def freedom_name(freedom: int) -> str:
    """``5`` → ``"fifth freedom"``; 8 and 9 say they are cabotage.

    Raises
    ------
    ValueError
        When ``freedom`` is not 1-9.
    """
    if not 1 <= freedom <= 9:
        raise ValueError(f"a freedom of the air is 1-9, got {freedom!r}")
    name = f"{_ORDINALS[freedom - 1]} freedom"
    if freedom == 8:
        return f"{name} (cabotage)"
    if freedom == 9:
        return f"{name} (stand-alone cabotage)"
    return name


def freedoms_words(freedoms: Iterable[int]) -> str:
    """``(3, 4, 5)`` → ``"third, fourth and fifth freedoms"``; ``(8,)`` → ``"cabotage ..."``.

    Examples
    --------
    >>> freedoms_words([4, 3])
    'third and fourth freedoms'
    """
    fs = sorted(set(freedoms))
    if not fs:
        return "no freedom"
    if len(fs) == 1:
        return freedom_name(fs[0])
    words = [_ORDINALS[f - 1] for f in fs]
    return f"{', '.join(words[:-1])} and {words[-1]} freedoms"


def segment_words(kind: str, freedom: int | None) -> str:
    """What a segment is, in words: ``"fifth freedom"``, ``"domestic"``, ``"co-terminal"``.

    Examples
    --------
    >>> segment_words("traffic", 8), segment_words("co-terminal", None)
    ('eighth freedom (cabotage)', 'co-terminal, no local traffic')
    """
    if kind == "domestic":
        return "domestic"
    if kind == "co-terminal":
        return "co-terminal, no local traffic"
    if kind == "no-traffic":
        return "second freedom (technical stop, no traffic)"
    return freedom_name(freedom) if freedom is not None else kind


#: What a segment is, besides its freedom: ``traffic`` (a freedom 3-9 applies),
#: ``domestic`` (inside the home state), ``co-terminal`` (inside one foreign state, no local
#: traffic), ``no-traffic`` (between states, no traffic carried: a 2nd-freedom stop at most).
SegmentKind = Literal["traffic", "domestic", "co-terminal", "no-traffic"]


def classify(
    home: str,
    board_state: str,
    off_state: str,
    *,
    via_states: Sequence[str] = (),
    service_states: Sequence[str] = (),
    traffic: bool = True,
) -> tuple[SegmentKind, int | None]:
    """Classify one segment relative to the carrier's home state.

    Parameters
    ----------
    home
        ISO3 of the carrier's state.
    board_state, off_state
        ISO3 of the segment's board and off points.
    via_states
        States of the points the segment passes through on the same flight.
    service_states
        States of every point of the flight (decides 5th vs 7th and 8th vs 9th).
    traffic
        Whether the segment carries traffic of its own (board → off).

    Returns
    -------
    (kind, freedom)
        ``freedom`` is 3-9 for ``traffic`` segments, 2 for a ``no-traffic`` stop abroad and
        ``None`` otherwise.

    Examples
    --------
    >>> classify("BLR", "KAZ", "KAZ", service_states=["BLR", "KAZ", "KAZ"])
    ('traffic', 8)
    >>> classify("BLR", "KAZ", "KAZ", service_states=["BLR", "KAZ"], traffic=False)
    ('co-terminal', None)
    """
    if board_state == home and off_state == home:
        return "domestic", None
    if not traffic:
        if board_state == off_state:
            return "co-terminal", None
        return "no-traffic", 2
    touches_home = home in service_states
    if board_state == off_state:
        return "traffic", 8 if touches_home else 9
    if board_state == home:
        return "traffic", 3
    if off_state == home:
        return "traffic", 4
    if home in via_states:
        return "traffic", 6
    return "traffic", 5 if touches_home else 7
