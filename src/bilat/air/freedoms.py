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

from collections.abc import Sequence
from typing import Literal

__all__ = ["FREEDOMS", "SegmentKind", "classify"]

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
