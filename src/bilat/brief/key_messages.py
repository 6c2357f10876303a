"""The key messages at the top of the briefing: three to six sentences from its own figures.

Each message is a function of the built sections (:data:`MESSAGES`, in order): it returns a
:class:`~bilat.brief.model.KeyMessage` when the section's figures support the sentence, and
``None`` when they do not (a figure no source covers, a section with no data): nothing is
said that the data does not support. Every sentence carries its number (formatted by
:mod:`bilat.formats` in the rendered language), the id of the section it summarises (the
HTML links to it) and, when the figure's coverage is not complete, the caveat.

A new section adds its message by appending ``(section id, function)`` to :data:`MESSAGES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bilat.brief.model import Figure, KeyMessage, Section
from bilat.brief.text import Text, counted, join, num, plain, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import ordinal

__all__ = ["MAX_MESSAGES", "MESSAGES", "key_messages"]

#: At most this many sentences are said.
MAX_MESSAGES = 6


@dataclass(frozen=True, slots=True)
class Context:
    """What a message may need besides its section: the year and the dyad."""

    year: int
    a: str
    b: str


def _figure(section: Section, label: str) -> Figure | None:
    """The figure whose (English) label is ``label``."""
    return next((f for f in section.figures if f.label == label), None)


def _with_caveat(text: Text, caveat: str | None) -> Text:
    return text if caveat is None else text + " " + _("(%(caveat)s)", caveat=caveat)


def turnover(s: Section, ctx: Context) -> KeyMessage | None:
    """Turnover and its change on the year before, exports and imports."""
    total, growth = (s.figures[0], s.figures[4]) if len(s.figures) > 4 else (None, None)
    if s.status != "ok" or total is None or total.value is None:
        return None
    exports, imports = s.figures[1], s.figures[2]
    params = {
        "year": year_of(ctx.year),
        "total": num(total.value, "usd"),
        "exports": num(exports.value, "usd"),
        "imports": num(imports.value, "usd"),
    }
    if growth is not None and growth.value is not None:
        text = _(
            "Turnover was %(total)s in %(year)s, %(growth)s on the year before (exports "
            "%(exports)s, imports %(imports)s).",
            growth=num(growth.value, "pct"),
            **params,
        )
    else:
        text = _("Turnover was %(total)s in %(year)s (exports %(exports)s, imports %(imports)s); "
                 "no change on the year before can be given.", **params)  # fmt: skip
    caveat = s.message  # the headline says when coverage is not complete
    return KeyMessage("turnover", s.id, _with_caveat(text, caveat), total.value, "usd", caveat)


def _short(description: Any) -> str:
    text = str(description or "").split(";")[0].split(",")[0].strip()
    return text if len(text) <= 48 else text[:47].rstrip() + "…"


def movers(s: Section, ctx: Context) -> KeyMessage | None:
    """The product whose value changed most on the year before, either way."""
    best: tuple[float, Mapping[str, Any]] | None = None
    for t in s.tables if s.status == "ok" else ():
        for row in t.rows:
            now, before = row.get("value_usd"), row.get("previous_usd")
            if now is None or before is None:
                continue
            change = float(now) - float(before)
            if best is None or abs(change) > abs(best[0]):
                best = (change, row)
    if best is None or best[0] == 0:
        return None
    change, row = best
    flow = plain(row.get("flow") or f"{ctx.a}↔{ctx.b}")
    params = {
        "code": row["product"],
        "name": plain(_short(row.get("description"))),
        "flow": flow,
        "change": num(abs(change), "usd"),
        "now": num(row["value_usd"], "usd"),
    }
    text = (_("The biggest mover: HS %(code)s (%(name)s), %(flow)s, up %(change)s to %(now)s.",
              **params) if change > 0 else
            _("The biggest mover: HS %(code)s (%(name)s), %(flow)s, down %(change)s to %(now)s.",
              **params))  # fmt: skip
    return KeyMessage("movers", s.id, text, change, "usd")


_VERDICTS: dict[str, Callable[[int], Text]] = {
    "Supported": lambda n: counted(n, "%(n)s supported", "%(n)s supported"),
    "Supported within tolerance": lambda n: counted(
        n, "%(n)s supported within tolerance", "%(n)s supported within tolerance"
    ),
    "Roughly": lambda n: counted(n, "%(n)s roughly right", "%(n)s roughly right"),
    "Contradicted": lambda n: counted(n, "%(n)s contradicted", "%(n)s contradicted"),
    "Undetermined": lambda n: counted(n, "%(n)s undetermined", "%(n)s undetermined"),
}


def claims(s: Section, ctx: Context) -> KeyMessage | None:
    """How many of the case's claims the data support, contradict or cannot decide."""
    counts = {v: _figure(s, v) for v in _VERDICTS}
    n = sum(int(f.value or 0) for f in counts.values() if f is not None)
    if s.status != "ok" or not n:
        return None
    parts = [_VERDICTS[v](int(f.value or 0))
             for v, f in counts.items() if f is not None and f.value]  # fmt: skip
    said = join(", ", (p for p in parts))
    text = counted(
        n,
        "Of %(n)s claim checked against the data: %(verdicts)s.",
        "Of %(n)s claims checked against the data: %(verdicts)s.",
        verdicts=said,
    )
    return KeyMessage("claims", s.id, text, float(n), "int")


def overdue(s: Section, ctx: Context) -> KeyMessage | None:
    """How many commitments are overdue."""
    total, late = _figure(s, "Commitments"), _figure(s, "Overdue")
    if s.status != "ok" or total is None or late is None or not total.value:
        return None
    n, of = int(late.value or 0), int(total.value)
    if n == 0:
        text = counted(
            of,
            "None of the %(n)s commitment is overdue.",
            "None of the %(n)s commitments is overdue.",
        )
    else:
        text = counted(
            n,
            "%(n)s of %(of)s commitments is overdue.",
            "%(n)s of %(of)s commitments are overdue.",
            of=of,
        )
    return KeyMessage("overdue", s.id, text, float(n), "int")


def potential(s: Section, ctx: Context) -> KeyMessage | None:
    """The product with the largest untapped potential, and the untapped total."""
    rows = s.tables[0].rows if s.status == "ok" and s.tables else ()
    top = next((r for r in rows if (r.get("unrealised_usd") or 0) > 0), None)
    untapped = s.figures[0] if s.figures else None
    if top is None or untapped is None or untapped.value is None:
        return None
    text = _(
        "The largest untapped potential: HS %(code)s (%(name)s), %(value)s short of what "
        "supply and demand predict; %(total)s over all products short of theirs.",
        code=top["product"],
        name=plain(_short(top.get("description"))),
        value=num(top["unrealised_usd"], "usd"),
        total=num(untapped.value, "usd"),
    )
    return KeyMessage("potential", s.id, text, float(top["unrealised_usd"]), "usd")


def world(s: Section, ctx: Context) -> KeyMessage | None:
    """The dyad partner's share of the first side's exports, and its rank."""
    if s.status != "ok" or len(s.figures) < 3:
        return None
    total, share, rank = s.figures[0], s.figures[1], s.figures[2]
    if total.value is None or share.value is None or rank.value is None:
        return None
    caveat = total.note  # said when the totals are over the partners the lake holds only
    text = _("%(share)s of %(a)s's exports (%(total)s) go to %(b)s: %(rank)s among its "
             "destinations.", share=num(share.value, "share"), total=num(total.value, "usd"),
             rank=ordinal(int(rank.value)), a=ctx.a, b=ctx.b)  # fmt: skip
    return KeyMessage("world", s.id, _with_caveat(text, caveat), share.value, "share", caveat)


#: Each message: the id of the section it reads, and the function saying it (in order).
MESSAGES: tuple[tuple[str, Callable[[Section, Context], KeyMessage | None]], ...] = (
    ("headline", turnover),
    ("products", movers),
    ("world", world),
    ("claims", claims),
    ("agenda", overdue),
    ("potential", potential),
)


def key_messages(
    sections: tuple[Section, ...], year: int, a: str, b: str
) -> tuple[KeyMessage, ...]:
    """The key messages the sections of the A–B briefing for ``year`` support, at most
    :data:`MAX_MESSAGES`."""
    by_id = {s.id: s for s in sections}
    ctx = Context(year, a, b)
    out = []
    for section_id, say in MESSAGES:
        s = by_id.get(section_id)
        got = say(s, ctx) if s is not None else None
        if got is not None:
            out.append(got)
    return tuple(out[:MAX_MESSAGES])
