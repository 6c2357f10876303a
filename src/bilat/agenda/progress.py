"""Progress of a commitment against the trade it was meant to move.

For an item linked to baskets or HS codes, :func:`progress` reads the dyad's flows in both
directions from a lake, for a window of years around the item's dates (meeting, status
changes, due date), summed per year and series.

Method. A series is a basket (or a linked HS code). A flow belongs to it when its product is
a level-6 code (never codes of other lengths, which would double count) that starts with one
of the series' codes. Values are summed per year, direction and (basis, source); where a
year has values on several bases, one is kept in the order ``reconciled`` (BACI),
``importer`` (the mirror report, the only one for Belarus from 2022), ``exporter``.

The function takes the lake as a parameter and speaks only Ibis on ``lake.flows()``, so the
agenda does not import the lake or the trade indicators (it sits beside them in the
dependency table, depending on codes only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bilat.agenda.views import ItemView
from bilat.codes.baskets import Basket, load_baskets
from bilat.errors import InputError, UnknownCodeError

__all__ = ["BASIS_PREFERENCE", "FlowSource", "Progress", "ProgressPoint", "progress"]

#: Whose declaration to keep when a year has several, first wins.
BASIS_PREFERENCE: tuple[str, ...] = ("reconciled", "importer", "exporter")


class FlowSource(Protocol):
    """Anything with ``flows()`` returning an Ibis table in the lake's flow schema."""

    def flows(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One year of one series in one direction.

    Attributes
    ----------
    series
        Basket name, or ``hs:CODE`` for a linked HS code.
    year
        Calendar year of the flows.
    exporter, importer
        ISO3 codes of the direction.
    value_usd
        Sum of the series' level-6 flows, US dollars.
    products
        Number of level-6 products with a value.
    basis, source
        Whose declaration the value rests on (``reconciled``, ``importer``, ``exporter``) and
        the lake source (``baci``, ``comtrade`` ...).
    """

    series: str
    year: int
    exporter: str
    importer: str
    value_usd: float
    products: int
    basis: str
    source: str


@dataclass(frozen=True, slots=True)
class Progress:
    """The trade series linked to an item, around its dates.

    Attributes
    ----------
    item, title
        The item's id and title.
    dyad
        The commission's two parties (ISO3).
    first_year, last_year
        The window read (inclusive).
    anchors
        ``(year, label)`` of the item's dates: meeting, status changes, due date.
    series
        ``(name, title, codes)`` of each linked series (codes at level 6 or coarser).
    points
        Values per series, year and direction; a year without flows has no point.
    synthetic
        True when the lake holds generated sample data (show the banner).
    """

    item: str
    title: str
    dyad: tuple[str, str]
    first_year: int
    last_year: int
    anchors: tuple[tuple[int, str], ...]
    series: tuple[tuple[str, str, tuple[str, ...]], ...]
    points: tuple[ProgressPoint, ...]
    synthetic: bool

    def value(self, series: str, year: int, exporter: str) -> float | None:
        """The value of ``series`` in ``year`` exported by ``exporter`` (``None``: no flows)."""
        for p in self.points:
            if p.series == series and p.year == year and p.exporter == exporter:
                return p.value_usd
        return None


def _anchors(item: ItemView) -> list[tuple[int, str]]:
    out = [(item.meeting_date.year, f"meeting {item.meeting_date.isoformat()}")]
    out += [(c.date.year, f"{c.status} {c.date.isoformat()}") for c in item.history]
    if item.due_date is not None:
        out.append((item.due_date.year, f"due {item.due}"))
    return sorted(set(out))


def _series(
    item: ItemView, baskets: Mapping[str, Basket], level: int
) -> list[tuple[str, str, tuple[str, ...]]]:
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for name in item.baskets:
        if name not in baskets:
            raise UnknownCodeError(
                f"item {item.id!r} links basket {name!r}, which is not defined any more; "
                f"known baskets: {', '.join(sorted(baskets))}",
                details={"value": name},
            )
        b = baskets[name]
        out.append((name, b.title, b.codes_at(level)))
    out += [(f"hs:{code}", f"HS {code}", (code,)) for code in item.hs if len(code) <= level]
    return out


def progress(
    item: ItemView,
    lake: FlowSource,
    *,
    dyad: tuple[str, str],
    before: int = 3,
    after: int = 3,
    baskets: Mapping[str, Basket] | None = None,
) -> Progress:
    """The linked trade series of ``item`` for the dyad, ``before``/``after`` years around it.

    Parameters
    ----------
    item
        The item (from :meth:`Agenda.item`); it must link at least one basket or HS code.
    lake
        A lake (:class:`bilat.lake.Lake`) or anything with ``flows()`` as an Ibis table.
    dyad
        The commission's two parties, ISO3; flows are read in both directions.
    before, after
        Years read before the item's first date and after its last (0 to 30).
    baskets
        Basket definitions (default: :func:`bilat.codes.load_baskets`).
    """
    for name, n in (("before", before), ("after", after)):
        if not 0 <= n <= 30:
            raise InputError(f"{name} must be between 0 and 30 years, got {n}")
    series = _series(item, baskets if baskets is not None else load_baskets(), 6)
    if not series:
        raise InputError(
            f"item {item.id!r} is linked to no basket or HS code, so there is no trade to "
            "follow; add `baskets:` or `hs:` to it in agenda.yaml and import again",
            details={"item": item.id},
        )
    anchors = _anchors(item)
    first = min(y for y, _ in anchors) - before
    last = max(y for y, _ in anchors) + after
    rows = _read(lake, dyad, [c for _, _, codes in series for c in codes], first, last)
    return Progress(
        item=item.id,
        title=item.title,
        dyad=dyad,
        first_year=first,
        last_year=last,
        anchors=tuple(anchors),
        series=tuple(series),
        points=tuple(_points(rows, series)),
        synthetic=bool(getattr(lake, "is_synthetic", False)),
    )


def _read(
    lake: FlowSource, dyad: tuple[str, str], codes: Sequence[str], first: int, last: int
) -> list[dict[str, Any]]:
    import ibis

    t = lake.flows()
    a, b = dyad
    in_codes = ibis.or_(*[t.product.startswith(c) for c in sorted(set(codes))])
    expr = (
        t.filter(
            t.year.between(first, last),
            t.product.length() == 6,
            ((t.exporter == a) & (t.importer == b)) | ((t.exporter == b) & (t.importer == a)),
            in_codes,
        )
        .group_by("year", "exporter", "importer", "product", "basis", "source")
        .aggregate(value_usd=lambda x: x.value_usd.sum())
    )
    table = expr.to_pyarrow()
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _points(
    rows: Sequence[Mapping[str, Any]], series: Sequence[tuple[str, str, tuple[str, ...]]]
) -> list[ProgressPoint]:
    sums: dict[tuple[str, int, str, str, str, str], list[float]] = defaultdict(list)
    for r in rows:
        for name, _, codes in series:
            if any(str(r["product"]).startswith(c) for c in codes):
                key = (name, int(r["year"]), r["exporter"], r["importer"], r["basis"], r["source"])
                sums[key].append(float(r["value_usd"]))
    best: dict[tuple[str, int, str, str], ProgressPoint] = {}
    rank = {b: i for i, b in enumerate(BASIS_PREFERENCE)}
    for (name, year, exp, imp, basis, source), values in sorted(sums.items()):
        point = ProgressPoint(name, year, exp, imp, sum(values), len(values), basis, source)
        held = best.get((name, year, exp, imp))
        if held is None or rank.get(basis, 99) < rank.get(held.basis, 99):
            best[(name, year, exp, imp)] = point
    order = {name: i for i, (name, _, _) in enumerate(series)}
    return sorted(best.values(), key=lambda p: (order[p.series], p.exporter, p.year))
