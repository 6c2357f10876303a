"""Progress of a commitment against the trade it was meant to move.

For an item linked to baskets or HS codes, :func:`progress` reads the dyad's flows in both
directions through the trade view (:class:`bilat.tradeview.TradeView`), for a window of years
around the item's dates (meeting, status changes, due date), summed per year and series.

Method. A series is a basket (or a linked HS code). Each of its codes is read at its own
level from the rows the lake believes (source precedence per flow: each product of each
flow rests on the best source that holds it), built from the finest codes held without
counting anything twice (:meth:`TradeView.at_level`): a 4-digit code adds up the 6-digit
rows under it, or its own 4-digit row when the lake holds that instead. A code that is an
extension of another code of the same series is left out (it is already counted).

Each year and direction says its coverage. A year no source covers is not a point (it is a
gap, with the reason: never 0); a covered year whose sources list nothing is a point of 0.

The agenda reads trade through :mod:`bilat.tradeview` only (not the trade indicators).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bilat.agenda.views import ItemView
from bilat.codes.baskets import Basket, load_baskets
from bilat.errors import InputError, UnknownCodeError
from bilat.tradeview import Coverage, Part, TradeView, levels_text, parts_of

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["FlowSource", "Progress", "ProgressGap", "ProgressPoint", "progress"]


class FlowSource(Protocol):
    """Anything with ``flows()`` returning an Ibis table in the lake's flow schema."""

    def flows(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One year of one series in one direction, where some source covers it.

    Attributes
    ----------
    series
        Basket name, or ``hs:CODE`` for a linked HS code.
    year
        Calendar year of the flows.
    exporter, importer
        ISO3 codes of the direction.
    value_usd
        Sum of the series' codes, US dollars (0 when the covering sources list nothing).
    products
        Number of HS codes held (at any level) that the value adds up.
    basis, source
        Whose numbers the value rests on: the source classes (``reconciled``, ``national``,
        ``exporter``, ``importer``) and the lake sources (``baci``, ``comtrade`` ...),
        comma-joined when the products of the series rest on several.
    coverage
        Which sources cover the series' chapters for that year and direction.
    parts
        The share of each source in the value.
    levels
        The HS levels the value was built from (``"HS6 summed to HS4"``).
    """

    series: str
    year: int
    exporter: str
    importer: str
    value_usd: float
    products: int
    basis: str
    source: str
    coverage: Coverage | None = None
    parts: tuple[Part, ...] = ()
    levels: str = ""


@dataclass(frozen=True, slots=True)
class ProgressGap:
    """A year and direction of a series that no source the lake holds covers (not 0)."""

    series: str
    year: int
    exporter: str
    importer: str
    coverage: Coverage

    @property
    def reason(self) -> str:
        return self.coverage.reason


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
        Values per series, year and direction, where a source covers them.
    synthetic
        True when the lake holds generated sample data (show the banner).
    gaps
        The series, years and directions no source covers: not available, never 0.
    precedence
        The source precedence the values were read with (``"precedence: reconciled, ..."``).
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
    gaps: tuple[ProgressGap, ...] = ()
    precedence: str = ""

    def value(self, series: str, year: int, exporter: str) -> float | None:
        """The value of ``series`` in ``year`` exported by ``exporter`` (``None``: not covered)."""
        for p in self.points:
            if p.series == series and p.year == year and p.exporter == exporter:
                return p.value_usd
        return None

    def coverage(self, series: str, year: int, exporter: str) -> Coverage | None:
        """The coverage of ``series`` in ``year`` exported by ``exporter`` (``None``: not read)."""
        for p in self.points:
            if p.series == series and p.year == year and p.exporter == exporter:
                return p.coverage
        for g in self.gaps:
            if g.series == series and g.year == year and g.exporter == exporter:
                return g.coverage
        return None


def _anchors(item: ItemView) -> list[tuple[int, str]]:
    out = [(item.meeting_date.year, f"meeting {item.meeting_date.isoformat()}")]
    out += [(c.date.year, f"{c.status} {c.date.isoformat()}") for c in item.history]
    if item.due_date is not None:
        out.append((item.due_date.year, f"due {item.due}"))
    return sorted(set(out))


def _outermost(codes: Sequence[str]) -> tuple[str, ...]:
    """``codes`` without those that extend another of them (already counted by it)."""
    return tuple(
        c for c in dict.fromkeys(codes) if not any(c != k and c.startswith(k) for k in codes)
    )


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
        out.append((name, b.title, _outermost(b.codes_at(level))))
    out += [(f"hs:{code}", f"HS {code}", (code,)) for code in item.hs if len(code) <= level]
    return out


def progress(
    item: ItemView,
    lake: FlowSource | TradeView,
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
        A lake (:class:`bilat.lake.Lake`), a :class:`bilat.tradeview.TradeView` (to read
        with another source precedence), or anything with ``flows()`` as an Ibis table.
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
    view = view_of(lake)
    years = list(range(first, last + 1))
    rows = _read(view, dyad, [c for _, _, codes in series for c in codes], years)
    points, gaps = _points(view, rows, series, dyad, years)
    return Progress(
        item=item.id,
        title=item.title,
        dyad=dyad,
        first_year=first,
        last_year=last,
        anchors=tuple(anchors),
        series=tuple(series),
        points=tuple(points),
        synthetic=bool(getattr(view.lake, "is_synthetic", False)),
        gaps=tuple(gaps),
        precedence=view.precedence.text(),
    )


class _FlowsOnly:
    """Anything with ``flows()`` read as a lake without declarations (for the trade view)."""

    def __init__(self, source: FlowSource) -> None:
        self._source = source
        self.is_synthetic = bool(getattr(source, "is_synthetic", False))
        self.version = f"flows-only-{id(self)}"

    def flows(self) -> ir.Table:
        import ibis

        t = self._source.flows()
        if "entry_id" not in t.columns:
            t = t.mutate(entry_id=ibis.literal("flows"))
        return t  # type: ignore[no-any-return]

    def declarations(self) -> ir.Table:
        import ibis

        from bilat.sources.schema import stored_schema

        return ibis.memtable(stored_schema("declarations").empty_table())


def view_of(lake: Any) -> TradeView:
    """The trade view of a lake, a view itself, or a flows-only source (no declarations)."""
    if isinstance(lake, TradeView):
        return lake
    if callable(getattr(lake, "declarations", None)) and hasattr(lake, "version"):
        return TradeView(lake)
    return TradeView(_FlowsOnly(lake))  # type: ignore[arg-type]


_KEYS = ["year", "exporter", "importer", "product", "klass", "source", "src_lvl"]


def _read(
    view: TradeView, dyad: tuple[str, str], codes: Sequence[str], years: Sequence[int]
) -> list[dict[str, Any]]:
    """Believed rows of the dyad for ``codes``, each code read at its own level."""
    import ibis

    present = set(view.years())
    held = [y for y in years if y in present]
    if not held:
        return []
    a, b = dyad
    t = view.rows(held, members=dyad)
    t = t.filter(((t.exporter == a) & (t.importer == b)) | ((t.exporter == b) & (t.importer == a)))
    out: list[dict[str, Any]] = []
    by_level: dict[int, list[str]] = defaultdict(list)
    for c in sorted(set(codes)):
        by_level[len(c)].append(c)
    for level, wanted in sorted(by_level.items()):
        rows = t.filter(ibis.or_(*[t.product.startswith(c) for c in wanted]))
        rows = view.at_level(rows, level, held)
        rows = rows.filter(rows.product.isin(wanted))
        agg = rows.group_by(_KEYS).aggregate(value_usd=rows.value_usd.sum(), n=rows.count())
        out += agg.to_pyarrow().to_pylist()
    return out


def _points(
    view: TradeView,
    rows: Sequence[Mapping[str, Any]],
    series: Sequence[tuple[str, str, tuple[str, ...]]],
    dyad: tuple[str, str],
    years: Sequence[int],
) -> tuple[list[ProgressPoint], list[ProgressGap]]:
    # (series, year, exporter) -> {(class, source): value}; products and source levels
    values: dict[tuple[str, int, str], dict[tuple[str, str], float]] = defaultdict(dict)
    counts: dict[tuple[str, int, str], int] = defaultdict(int)
    levels: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    for r in rows:
        for name, _, codes in series:
            if str(r["product"]) in codes:
                key = (name, int(r["year"]), str(r["exporter"]))
                part = (str(r["klass"]), str(r["source"]))
                values[key][part] = values[key].get(part, 0.0) + float(r["value_usd"])
                counts[key] += int(r["n"])
                levels[key].add(int(r["src_lvl"]))
    order = view.precedence.order
    points: list[ProgressPoint] = []
    gaps: list[ProgressGap] = []
    for name, _, codes in series:
        chapters = sorted({c[:2] for c in codes})
        for exp, imp in (dyad, dyad[::-1]):
            for year in years:
                cov = view.coverage(year, [exp], [imp], chapters=chapters)
                if not cov.covered:
                    gaps.append(ProgressGap(name, year, exp, imp, cov))
                    continue
                key = (name, year, exp)
                got = values.get(key, {})
                parts = parts_of(got)
                classes = sorted({k for k, _ in got}, key=lambda k: order.index(k))
                points.append(
                    ProgressPoint(
                        series=name,
                        year=year,
                        exporter=exp,
                        importer=imp,
                        value_usd=sum(got.values()),
                        products=counts.get(key, 0),
                        basis=",".join(classes),
                        source=",".join(sorted({s for _, s in got})),
                        coverage=cov,
                        parts=parts,
                        levels=levels_text(levels.get(key, set()), min(len(c) for c in codes)),
                    )
                )
    rank = {name: i for i, (name, _, _) in enumerate(series)}
    points.sort(key=lambda p: (rank[p.series], p.exporter, p.year))
    return points, gaps
