"""The library's results for the pages and the API, cached per lake version.

Nothing here decides what a figure is: each method makes one library call
(:func:`bilat.trade.overview`, :func:`bilat.trade.listing_of`, ...) and keeps its result
(and, for the overview, its JSON bytes) per (arguments, lake version), so a new ingest
invalidates them without any bookkeeping. The lake's DuckDB connection is shared, so
queries run one at a time under a lock; cached answers do not wait for it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bilat.errors import BilatError, InputError

__all__ = ["ResultCache", "TradeData", "safe_filename"]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, *, allowed: tuple[str, ...]) -> str:
    """A file name without any folder part or odd characters, with an allowed suffix."""
    base = Path(name.replace("\\", "/")).name
    clean = _SAFE.sub("_", base).lstrip(".")[:120]
    if not clean or not any(clean.lower().endswith(s) for s in allowed):
        raise InputError(
            f"file {name!r} is not of an accepted type; expected a name ending in "
            f"{', '.join(allowed)}",
            details={"value": name, "expected": list(allowed)},
        )
    return clean


class ResultCache:
    """A bounded least-recently-used cache of computed results, safe across threads."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached value for ``key``, or ``None`` (never computes)."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
                self.hits += 1
            return value

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computing (once per key at a time) when absent."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
        value = compute()
        with self._lock:
            self.misses += 1
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._data.clear()


class TradeData:
    """The library's trade results over one lake, cached for the pages and the API."""

    def __init__(self, lake: Any, *, case_dir: Path | None = None, cache_size: int = 256) -> None:
        self.lake = lake
        self.case_dir = case_dir
        self.cache = ResultCache(cache_size)
        self.lock = threading.RLock()

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` (run under the lake's lock) cached per ``key`` and lake version."""

        def locked() -> Any:
            with self.lock:
                return compute()

        return self.cache.get_or_compute((*key, self.lake.version), locked)

    def years(self) -> list[int]:
        """Years the lake holds trade for (flows or declarations), through the trade view."""
        from bilat.tradeview import TradeView

        return self.cached(("years",), lambda: TradeView(self.lake).years())  # type: ignore[no-any-return]

    def countries(self) -> list[str]:
        """The ISO3 codes the lake holds any flow or declaration of (the pair picker's list)."""

        def compute() -> list[str]:
            found: set[str] = set()
            for table, cols in (
                (self.lake.flows(), ("exporter", "importer")),
                (self.lake.declarations(), ("reporter", "partner")),
            ):
                for col in cols:
                    found.update(table.select(col).distinct().to_pyarrow().column(0).to_pylist())
            return sorted(c for c in found if isinstance(c, str) and len(c) == 3 and c.isalpha())

        return self.cached(("countries",), compute)  # type: ignore[no-any-return]

    def pair_held(self, a: str, b: str) -> bool:
        """Whether the lake holds any flow or declaration between ``a`` and ``b`` (any year)."""

        def compute() -> bool:
            f, d = self.lake.flows(), self.lake.declarations()
            flows = ((f.exporter == a) & (f.importer == b)) | (
                (f.exporter == b) & (f.importer == a)
            )
            decl = ((d.reporter == a) & (d.partner == b)) | ((d.reporter == b) & (d.partner == a))
            return bool(f.filter(flows).count().execute() or d.filter(decl).count().execute())

        return self.cached(("pair-held", a, b), compute)  # type: ignore[no-any-return]

    def held_year(self, year: int | None) -> int:
        """:func:`bilat.trade.held_year`: ``year`` if held (else 404), or the latest."""
        from bilat.trade import held_year
        from bilat.tradeview import TradeView

        return self.cached(("held", year), lambda: held_year(TradeView(self.lake), year))  # type: ignore[no-any-return]

    def overview(self, a: str, b: str, year: int) -> Any:
        """:func:`bilat.trade.overview` of the dyad in ``year``."""
        from bilat.trade import overview

        return self.cached(("overview", a, b, year), lambda: overview(self.lake, a, b, year=year))

    def overview_json(self, a: str, b: str, year: int) -> bytes:
        """:meth:`overview`'s document as JSON bytes, encoded once per lake version."""
        from bilat.document import dumps

        def encode() -> bytes:
            return dumps(self.overview(a, b, year), indent=None).encode()

        return self.cached(("overview-json", a, b, year), encode)  # type: ignore[no-any-return]

    def cached_overview_json(self, a: str, b: str, year: int) -> bytes | None:
        """The encoded overview when it is in the cache (no query, no waiting), else ``None``."""
        value: bytes | None = self.cache.peek(("overview-json", a, b, year, self.lake.version))
        return value

    def products(self, a: str, b: str, *, year: int, level: int, flow: str, **listing: Any) -> Any:
        """:func:`bilat.trade.listing_of` (``basket``, ``sort``, ``order``, ``top``) over every
        product of the direction, which is read from the lake once per lake version."""
        from bilat.trade import Dyad, listing_of

        every = self.cached(
            ("products", a, b, year, level, flow),
            lambda: Dyad(self.lake, a, b).products(year, level=level, top=None, flow=flow),
        )
        return listing_of(every, **listing)

    def series_chart(self, a: str, b: str, year: int) -> str:
        """The overview's series as inline SVG (cached)."""
        from bilat import i18n
        from bilat.web.charts import to_svg

        return self.cached(  # type: ignore[no-any-return]
            ("series-svg", a, b, year, i18n.current()),
            lambda: to_svg(_series_chart(self.overview(a, b, year).series)),
        )

    def product_years(self, a: str, b: str, code: str) -> list[dict[str, Any]]:
        """One HS product's trade between ``a`` and ``b``, each direction, every year held.

        Rows: ``year``, ``exporter``, ``importer``, ``value_usd`` (``None`` when the year is
        not covered, or the product is absent from what covers it), ``status``
        (``value``, ``absent`` or ``not covered``), ``reason``, ``description``.
        """
        rows = []
        for year in self.years():
            for exporter, importer, flow in ((a, b, "export"), (b, a, "import")):
                listing = self.products(a, b, year=year, level=len(code), flow=flow, top=None)
                rows.append(_product_row(listing, code, year, exporter, importer))
        return rows

    def potential(self, a: str, b: str, *, year: int, level: int, top: int) -> Any:
        """:func:`bilat.potential.market_potential` of ``a`` in ``b``."""
        from bilat.potential import market_potential

        return self.cached(
            ("potential", a, b, year, level, top),
            lambda: market_potential(self.lake, a, b, year=year, level=level, top=top),
        )

    def claims(self, a: str, b: str) -> dict[str, Any] | None:
        """Verdicts on the case's claims when the dyad is the case's (``None`` otherwise)."""
        case_dir = self.case_dir
        if case_dir is None:
            return None
        from bilat.agenda import read_case
        from bilat.claims.check import safe_check

        try:
            if tuple(read_case(case_dir).dyad) != (a, b):
                return None
        except BilatError:
            return None
        outcome = self.cached(("claims", a, b), lambda: safe_check(self.lake, case_dir))
        if isinstance(outcome, BilatError):
            return {"error": outcome.message, "results": [], "counts": {}, "published": []}
        return {
            "error": None,
            "results": [r.to_dict() for r in outcome.results],
            "counts": outcome.counts(),
            "published": [p.to_dict() for p in outcome.published],
        }


def _product_row(
    listing: Any, code: str, year: int, exporter: str, importer: str
) -> dict[str, Any]:
    """The row of ``code`` in one year's listing, or why there is none."""
    row: dict[str, Any] = {"year": year, "exporter": exporter, "importer": importer}
    coverage = listing.coverage
    if coverage is not None and coverage.status == "none":
        return {**row, "value_usd": None, "status": "not covered", "reason": coverage.reason}
    found = [r for r in listing.rows.to_pylist() if r["product"] == code]
    if not found:
        return {**row, "value_usd": None, "status": "absent", "reason": None}
    partial = coverage.reason if coverage is not None and coverage.status == "partial" else None
    return {
        **row,
        "value_usd": found[0]["value_usd"],
        "status": "value",
        "reason": partial,
        "description": found[0].get("description"),
    }


def _series_chart(series: Any) -> Any:
    """The overview's exports, imports and turnover by year, in the page's language (the
    axis in the unit the values need, as every chart of the app)."""
    from bilat import i18n
    from bilat.web.charts import years_chart

    names = {
        "exports_usd": i18n.gettext("exports"),
        "imports_usd": i18n.gettext("imports"),
        "turnover_usd": i18n.gettext("turnover"),
    }
    points = [
        {"year": row["year"], "series": name, "value_usd": row[key]}
        for row in series.rows.to_pylist()
        for key, name in names.items()
    ]
    title = i18n.gettext("%(a)s–%(b)s trade, %(start)s–%(end)s") % {
        "a": series.a, "b": series.b, "start": series.start, "end": series.end,
    }  # fmt: skip
    return years_chart(points, title=title)
