"""Source classes and the order in which a flow's sources are preferred."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bilat.errors import InputError
from bilat.options import CLASSES, SourceClass

__all__ = [
    "CLASSES",
    "DEFAULT_PRECEDENCE",
    "PARTIAL_RECONCILED",
    "Precedence",
    "SourceClass",
    "class_label",
    "precedence",
]


#: Reconciled first; then the reporter's own national statistics (the most detailed and most
#: recent); then the exporter's declaration; the importer's mirror declaration last.
DEFAULT_PRECEDENCE: tuple[str, ...] = ("reconciled", "national", "exporter", "importer")

#: Reconciled sources that do NOT hold the whole world: ``bilat mirror reconcile`` output
#: (source ``mirror``) reconciles only the declarations the lake held. Every other
#: reconciled source (BACI, the synthetic sample world) is *complete*: for each year it
#: holds, a flow it does not list is a zero, not a gap.
PARTIAL_RECONCILED: frozenset[str] = frozenset({"mirror"})

_LABELS = {
    "reconciled": "reconciled",
    "national": "national file",
    "exporter": "exporter declarations",
    "importer": "importer declarations",
}


def class_label(klass: str, source: str) -> str:
    """Words for one source of a figure: ``"importer declarations (comtrade)"``."""
    if klass == "national":
        return f"national file {source.removeprefix('csv:')}"
    if klass == "reconciled":
        return "reconciled (BACI)" if source == "baci" else f"reconciled ({source})"
    return f"{_LABELS.get(klass, klass)} ({source})"


@dataclass(frozen=True, slots=True)
class Precedence:
    """Which source classes a view reads, best first.

    Attributes
    ----------
    order
        The classes in order of preference; classes left out are not read at all.
    pinned
        True when the caller pinned one basis (``basis="importer"``): only that class is read.
    """

    order: tuple[str, ...]
    pinned: bool = False

    def rank(self, klass: str) -> int | None:
        """0 for the preferred class, ``None`` for a class this view does not read."""
        return self.order.index(klass) if klass in self.order else None

    def key(self) -> str:
        """A short key for caches and reports: ``"reconciled>national>exporter>importer"``."""
        return (">".join(self.order)) + ("!" if self.pinned else "")

    def text(self) -> str:
        """One line: ``"precedence: reconciled, national, exporter, importer"``."""
        if self.pinned:
            return f"basis pinned to {self.order[0]}"
        return "precedence: " + ", ".join(self.order)


def _parse(value: str | Iterable[str], what: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    order = tuple(str(i).strip().lower() for i in items if str(i).strip())
    bad = [i for i in order if i not in CLASSES]
    if bad or not order or len(set(order)) != len(order):
        shown = ",".join(order) if order else "(empty)"
        raise InputError(
            f"{what} must list distinct source classes among {', '.join(CLASSES)}, "
            f"but got {shown!r}",
            details={"value": shown, "expected": list(CLASSES)},
        )
    return order


def precedence(order: str | Sequence[str] | None = None, *, basis: str | None = None) -> Precedence:
    """The precedence a view reads with.

    ``basis`` pins one class; else ``order`` (a list or ``"a,b,c"``); else the environment
    variable ``BILAT_PRECEDENCE``; else :data:`DEFAULT_PRECEDENCE`.

    >>> precedence().order
    ('reconciled', 'national', 'exporter', 'importer')
    >>> precedence(basis="importer").text()
    'basis pinned to importer'
    """
    if basis is not None:
        return Precedence(_parse([basis], "basis"), pinned=True)
    if order is not None:
        return Precedence(_parse(order, "precedence"))
    env = os.environ.get("BILAT_PRECEDENCE", "").strip()
    if env:
        return Precedence(_parse(env, "BILAT_PRECEDENCE"))
    return Precedence(DEFAULT_PRECEDENCE)
