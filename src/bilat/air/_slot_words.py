"""What each slot action code does to a slot, in words, and the totals of dated slots.

A slot message's data lines are not all slots held or wanted: a ``C`` line names slots the
airline holds and would give up if its change (the ``R``/``L`` line after it) is granted,
and a ``D`` line gives slots up. The dated table therefore carries an ``effect`` per row,
and totals count slots (one arrival or one departure on one date) per effect, never lines.
It also says, in words, what a file given as a slot message looks like when it is not one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

__all__ = [
    "ACTION_WORDS",
    "GIVEN_UP",
    "REQUESTED",
    "SLOT_EFFECTS",
    "direction_word",
    "effect",
    "net_requested",
    "other_format_hint",
    "slot_totals",
]

#: Short words for the text tables (:data:`bilat.air.slots.ACTION_CODES` has the meanings).
ACTION_WORDS: dict[str, str] = {
    "N": "new",
    "B": "new entrant",
    "C": "change from",
    "R": "change to",
    "L": "change to (no offer)",
    "D": "delete",
    "A": "accept offer",
    "P": "accept offer, waitlist",
    "Z": "decline offer",
    "K": "confirmed",
    "H": "held",
    "O": "offer",
    "U": "unable",
    "X": "cancelled",
}
#: What a line with this action code does to each of its slots.
SLOT_EFFECTS: dict[str, str] = {
    "N": "requested",
    "B": "requested",
    "R": "requested instead",
    "L": "requested instead",
    "C": "given up if the change is granted",
    "D": "given up",
    "A": "held (offer accepted)",
    "P": "held (offer accepted)",
    "Z": "offer declined",
    "K": "allocated",
    "H": "held",
    "O": "offered",
    "U": "not allocated",
    "X": "cancelled",
}
#: Effects of an airline's request that add slots, and those that give slots up.
REQUESTED = ("requested", "requested instead")
GIVEN_UP = ("given up if the change is granted", "given up")
NOT_INTERPRETED = "not interpreted"


def effect(action: str) -> str:
    """The effect of an action code on its slots (``"not interpreted"`` for the others)."""
    return SLOT_EFFECTS.get(action, NOT_INTERPRETED)


def direction_word(code: str) -> str:
    """``A`` → ``arrival``, ``D`` → ``departure``."""
    return {"A": "arrival", "D": "departure"}.get(code, code)


def slot_totals(effects: Iterable[str]) -> dict[str, int]:
    """Slots per effect (one arrival or departure on one date each), in the order of
    :data:`SLOT_EFFECTS`, effects with no slot left out."""
    n = Counter(effects)
    order = [*dict.fromkeys(SLOT_EFFECTS.values()), NOT_INTERPRETED]
    return {e: n[e] for e in order if n[e]}


def net_requested(totals: dict[str, int]) -> int | None:
    """Slots requested (new and changed-to) minus slots given up (changed-from and deleted):
    the change in slots held the message asks for if all is granted; ``None`` when the
    message requests and gives up nothing (a coordinator's reply)."""
    if not any(e in totals for e in (*REQUESTED, *GIVEN_UP)):
        return None
    return sum(totals.get(e, 0) for e in REQUESTED) - sum(totals.get(e, 0) for e in GIVEN_UP)


def other_format_hint(first: str) -> str | None:
    """A hint for a file of another format given as a slot message."""
    if first.startswith("1AIRLINE STANDARD SCHEDULE") or (len(first) == 200 and first[0] in "12"):
        return (
            "It looks like an SSIM Chapter 7 schedule (200-byte records), not a Chapter 6 slot "
            "message: read it with `bilat air legs FILE`, `bilat air flights FILE` or "
            "`bilat air schedule FOLDER FILE`"
        )
    if first.count(",") in (7, 8):
        return (
            "It looks like an OpenFlights CSV file, not a slot message: read it with "
            "`bilat air routes FOLDER --schedule FILE` (routes) or `--airlines FILE` (airlines)"
        )
    return None
