"""The briefing's "World context" section: the dyad's trade against each side's whole trade.

For each side, through :meth:`bilat.trade.Dyad.partners` (the trade view, never the lake's
files directly): its exports and imports summed over every partner the lake holds, the
other side's share of them and its rank among the partners, and the largest partners.
Every figure says what it rests on: a ranking the view marks as thin (the lake does not
hold the side's own declaration of every product) says so, and a lake that holds no trade
of a side with the world says "not available" with the reason, never 0. Who else supplies
each market with the dyad's top products is in the promising-areas section (one call per
product, :func:`bilat.trade.market.market`), which this section points to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bilat.brief.model import Column, Figure, Section, Table
from bilat.brief.text import Text, counted, country, join, num, plain, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import cite, entry_ids, ordinal
from bilat.errors import BilatError, NotFoundError
from bilat.trade import Dyad

__all__ = ["TOP_PARTNERS", "WorldSide", "world_section"]

#: Partners listed per side and direction.
TOP_PARTNERS = 5

_PARTNER_COLUMNS = (
    Column("rank", _("#"), "rank"),
    Column("name", _("Partner"), "text"),
    Column("value_usd", _("Value"), "usd"),
    Column("share_pct", _("Share"), "share"),
    Column("growth_pct", _("Growth on the year before"), "pct"),
)


@dataclass(frozen=True, slots=True)
class WorldSide:
    """One side's trade in one direction with every partner the lake holds.

    Attributes
    ----------
    side, other, flow
        The reporter, its partner in the dyad, and ``export`` or ``import``.
    total_usd
        The sum over every partner the lake holds (``None``: not available).
    other_share_pct, other_rank, n_partners
        The dyad partner's share of it (percent), its rank (1 = largest) among the
        ``n_partners`` partners, ``None`` when they did not trade.
    complete
        Whether the lake holds the side's whole trade that year (else the totals and the
        rank are over the partners it holds).
    why
        Why the figure is not available or not complete, in the data's words.
    """

    side: str
    other: str
    flow: str
    total_usd: float | None
    other_share_pct: float | None
    other_rank: int | None
    n_partners: int
    complete: bool
    why: str
    table: Table | None
    source: Text | None
    entries: tuple[str, ...]


def _side(dyad: Dyad, which: str, flow: str, year: int) -> WorldSide:
    me, other = (dyad.a.code, dyad.b.code) if which == "a" else (dyad.b.code, dyad.a.code)
    try:
        r = dyad.partners(year, flow=flow, top=None, side=which)
    except (NotFoundError, BilatError) as exc:
        return WorldSide(me, other, flow, None, None, None, 0, False, exc.message, None, None, ())
    if not r.n_partners or not r.total_usd:
        why = "the lake holds no trade of this side with any partner in the year"
        return WorldSide(me, other, flow, None, None, None, 0, False, why, None, None, ())
    rows = r.rows.to_pylist()
    mine = next((row for row in rows if row["partner"] == other), None)
    cov = r.coverage
    complete = cov is None or cov.complete
    shown = tuple({**row, "name": country(str(row["partner"]))} for row in rows[:TOP_PARTNERS])
    title = (
        _("Largest destinations of %(x)s's exports, %(year)s", x=me, year=year_of(year))
        if flow == "export"
        else _("Largest origins of %(x)s's imports, %(year)s", x=me, year=year_of(year))
    )
    src = cite(r.provenance)
    return WorldSide(
        me, other, flow, float(r.total_usd),
        None if mine is None else mine["share_pct"], None if mine is None else int(mine["rank"]),
        int(r.n_partners), complete, "" if complete else (cov.reason if cov else ""),
        Table(title, _PARTNER_COLUMNS, shown, src), src, entry_ids(r.provenance),
    )  # fmt: skip


def world_sides(dyad: Dyad, year: int) -> tuple[WorldSide, ...]:
    """A's exports, A's imports, B's exports, B's imports with the world (in that order)."""
    return tuple(_side(dyad, w, f, year) for w in ("a", "b") for f in ("export", "import"))


def _figures(s: WorldSide) -> tuple[Figure, ...]:
    src = s.source or _("not available")
    note = None if s.complete else _(
        "Over the %(n)s partners the lake holds, not the whole world.", n=s.n_partners
    )  # fmt: skip
    if s.flow == "export":
        labels = (
            _("Exports of %(x)s to every partner", x=s.side),
            _("%(y)s's share of %(x)s's exports", x=s.side, y=s.other),
            _("%(y)s's rank among %(x)s's destinations", x=s.side, y=s.other),
        )
    else:
        labels = (_("Imports of %(x)s from every partner", x=s.side),
                  _("%(y)s's share of %(x)s's imports", x=s.side, y=s.other),
                  _("%(y)s's rank among %(x)s's origins", x=s.side, y=s.other))  # fmt: skip
    if s.total_usd is None:
        why = _("not available: %(why)s", why=s.why)
        return (Figure(labels[0], None, "usd", why),)
    return (
        Figure(labels[0], s.total_usd, "usd", src, note),
        Figure(labels[1], s.other_share_pct, "share", src),
        Figure(labels[2], s.other_rank, "rank", src,
               counted(s.n_partners, "among %(n)s partner", "among %(n)s partners")),
    )  # fmt: skip


def _line(s: WorldSide) -> Text:
    """One sentence per side and direction: the total and where the dyad partner stands."""
    if s.total_usd is None:
        return _(
            "%(x)s's trade with the world (%(flow)s): not available: %(why)s",
            x=s.side,
            flow=_("exports") if s.flow == "export" else _("imports"),
            why=s.why,
        )
    params: dict[str, Any] = {"x": country(s.side), "y": country(s.other),
                              "total": num(s.total_usd, "usd"),
                              "share": num(s.other_share_pct, "share"),
                              "rank": ordinal(s.other_rank) if s.other_rank else num(None, "rank")}  # fmt: skip
    if s.other_rank is None:
        text = (
            _("%(x)s exports %(total)s in all; none of it goes to %(y)s.", **params)
            if s.flow == "export"
            else _("%(x)s imports %(total)s in all; none of it comes from %(y)s.", **params)
        )
    elif s.flow == "export":
        text = counted(
            s.n_partners,
            "%(x)s exports %(total)s in all; %(y)s takes %(share)s of "
            "it, %(rank)s of %(n)s partner.",
            "%(x)s exports %(total)s in all; "
            "%(y)s takes %(share)s of it, %(rank)s of %(n)s partners.",
            **params,
        )
    else:
        text = counted(s.n_partners, "%(x)s imports %(total)s in all; %(y)s supplies %(share)s "
                       "of it, %(rank)s of %(n)s partner.", "%(x)s imports %(total)s in "
                       "all; %(y)s supplies %(share)s of it, %(rank)s of %(n)s partners.",
                       **params)  # fmt: skip
    if not s.complete:
        text = text + " " + _("Thin coverage: %(why)s.", why=s.why)
    return text


def world_section(dyad: Dyad, year: int) -> Section:
    """The world-context section for ``dyad`` in ``year`` (see the module docstring)."""
    title = _("World context: each side's trade with all its partners, %(year)s",
              year=year_of(year))  # fmt: skip
    sides = world_sides(dyad, year)
    if all(s.total_usd is None for s in sides):
        why = join(" ", dict.fromkeys(plain(s.why) for s in sides))
        return Section("world", title, "no_data",
                       _("Not available: %(why)s.", why=why))  # fmt: skip
    figures = tuple(f for s in sides for f in _figures(s))
    tables = tuple(s.table for s in sides if s.table is not None)
    notes = (
        *(_line(s) for s in sides),
        _("Totals add up every partner the lake holds (countries only; World and unspecified "
          "areas left out); a lake holding some countries only gives their sum, not world "
          "trade. Who else supplies each market with the dyad's largest products: see the "
          "competitor tables under Promising areas."),
    )  # fmt: skip
    sources = tuple(dict.fromkeys(s.source for s in sides if s.source is not None))
    entries = tuple(dict.fromkeys(e for s in sides for e in s.entries))
    return Section("world", title, "ok", None, figures, tables, notes, sources, entries)
