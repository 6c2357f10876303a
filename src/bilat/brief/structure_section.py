"""The briefing's "Structure of the trade" section: how the two sides' trade fits together.

Each figure is one indicator of :class:`bilat.trade.Dyad` for the briefing's year, both
ways where it has a direction: the complementarity of one side's export mix with the
other's import mix (0..100), the intensity of one side's exports to the other (1 = the
partner's weight in world imports), the concentration of each direction (the number of
equally sized products giving the same Herfindahl index), intra-industry trade (Grubel–
Lloyd, HS4), and the mirror gap (what the importer declared over what the exporter
declared), which needs both sides' own declarations. An indicator the lake cannot compute
reads "not available" with the reason, never 0 (see ``docs/indicators.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bilat.brief.model import Figure, Section
from bilat.brief.text import Text, plain, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import cite, entry_ids
from bilat.errors import BilatError
from bilat.trade import Dyad

__all__ = ["structure_section"]


def _try(make: Callable[[], Any]) -> tuple[Any, str | None]:
    try:
        return make(), None
    except BilatError as exc:
        return None, exc.message


def _directed(dyad: Dyad, year: int) -> list[tuple[Figure, Any]]:
    """Complementarity, intensity and concentration, A→B then B→A."""
    out: list[tuple[Figure, Any]] = []
    back = Dyad(dyad.lake, dyad.b.code, dyad.a.code, view=dyad.view)
    for d, x, y in ((dyad, dyad.a.code, dyad.b.code), (back, dyad.b.code, dyad.a.code)):
        for label, make, attr, unit in (
            (_("Complementarity of %(x)s's exports with %(y)s's imports (0–100)", x=x, y=y),
             lambda d=d: d.complementarity(year), "index", "index"),
            (_("Intensity of %(x)s's exports to %(y)s (1 = %(y)s's weight in world imports)",
               x=x, y=y), lambda d=d: d.intensity(year), "index", "index"),
            (_("Concentration of %(x)s→%(y)s: equivalent number of HS6 products", x=x, y=y),
             lambda d=d: d.concentration(year), "equivalent_products", "index"),
        ):  # fmt: skip
            result, why = _try(make)
            value = None if result is None else getattr(result, attr)
            source: Text = (
                cite(result.provenance) if result is not None
                else _("not available: %(why)s", why=plain(why or ""))
            )  # fmt: skip
            if result is not None and value is None:
                source = _("not available: no trade in %(year)s to compute it from",
                           year=year_of(year))  # fmt: skip
            out.append((Figure(label, value, unit, source), result))
    return out


def _iit(dyad: Dyad, year: int) -> tuple[Figure, Any]:
    result, why = _try(lambda: dyad.iit(year, level=4))
    label = _("Intra-industry trade %(a)s↔%(b)s (Grubel–Lloyd, HS4; 0 = one-way, 100 = two-way)",
              a=dyad.a.code, b=dyad.b.code)  # fmt: skip
    if result is None:
        return Figure(label, None, "index", _("not available: %(why)s", why=plain(why or ""))), None
    gl = result.gl.get(str(year))  # keyed by the year as text
    value = None if gl is None else 100 * float(gl)  # grubel_lloyd is 0..1
    return Figure(label, value, "index", cite(result.provenance)), result


def _mirror(dyad: Dyad, year: int) -> tuple[Figure, Any]:
    label = _("Mirror gap %(a)s→%(b)s, %(year)s: %(b)s's import declaration over %(a)s's export "
              "declaration", a=dyad.a.code, b=dyad.b.code, year=year_of(year))  # fmt: skip
    result, why = _try(lambda: dyad.mirror(year, year))
    rows = [] if result is None else result.rows.to_pylist()
    if result is None or not rows:
        reason = why or "the lake holds no declaration of both sides for the year"
        return Figure(
            label, None, "multiplier", _("not available: %(why)s", why=plain(reason))
        ), result
    return Figure(label, rows[0]["ratio"], "multiplier", cite(result.provenance)), result


def structure_section(dyad: Dyad, year: int) -> Section:
    """The structure section for ``dyad`` in ``year`` (see the module docstring)."""
    title = _("Structure of the trade, %(year)s", year=year_of(year))
    pairs = [*_directed(dyad, year), _iit(dyad, year), _mirror(dyad, year)]
    figures = tuple(f for f, _r in pairs)
    if all(f.value is None for f in figures):
        return Section("structure", title, "no_data",
                       _("Not available: the lake holds no trade of the pair in %(year)s.",
                         year=year_of(year)))  # fmt: skip
    notes = (
        _("Complementarity above 50 and intensity above 1 mean the pair trades more, or could, "
          "than the sizes of its markets alone suggest; a small equivalent number of products "
          "means a direction rests on few goods. The mirror gap is about 1.05–1.10 when only "
          "the CIF/FOB valuation differs."),
    )  # fmt: skip
    results = [r for _f, r in pairs if r is not None and hasattr(r, "provenance")]
    sources = tuple(dict.fromkeys(cite(r.provenance) for r in results))[:1]
    entries = tuple(dict.fromkeys(e for r in results for e in entry_ids(r.provenance)))
    return Section("structure", title, "ok", None, figures, (), notes, sources, entries)
