"""The option sets of the agenda, named once: item kinds and statuses."""

from __future__ import annotations

from typing import Literal, get_args

from bilat.errors import InputError

__all__ = [
    "CLOSED",
    "KINDS",
    "STATUSES",
    "ItemKind",
    "Status",
    "validate_kind",
    "validate_status",
]

ItemKind = Literal["decision", "project", "contract", "proposal", "area_of_interest"]
#: Kinds of agenda item, in the order a secretariat lists them.
KINDS: tuple[str, ...] = get_args(ItemKind)

Status = Literal["proposed", "agreed", "in_progress", "done", "dropped"]
#: Statuses of an item, from first to last in a commitment's life.
STATUSES: tuple[str, ...] = get_args(Status)

#: Statuses after which an item can no longer be overdue.
CLOSED: frozenset[str] = frozenset({"done", "dropped"})


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    text = value.strip().lower().replace(" ", "_").replace("-", "_")
    if text in allowed:
        return text
    raise InputError(
        f"unknown {what} {value!r}; expected one of {', '.join(allowed)}",
        details={"value": value, "expected": list(allowed)},
    )


def validate_status(value: str) -> Status:
    """Normalise a status (``"In progress"`` → ``"in_progress"``) or raise ``InputError``."""
    return _check(value, STATUSES, "status")  # type: ignore[return-value]


def validate_kind(value: str) -> ItemKind:
    """Normalise an item kind (``"area of interest"`` → ``"area_of_interest"``)."""
    return _check(value, KINDS, "item kind")  # type: ignore[return-value]
