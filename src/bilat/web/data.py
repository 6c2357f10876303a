"""What the pages and the API show, read from the other parts and cached.

The web app has no logic of its own: each function here calls one library API and turns
its result into plain data. Trade results are cached per (dyad, year, options, lake
version), so a new ingest invalidates them without any bookkeeping. The lake's DuckDB
connection is shared, so queries run one at a time under a lock; cached answers do not
wait for it.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args

from bilat.errors import BilatError, InputError, NotFoundError
from bilat.trade import Dyad
from bilat.web.errors import UnavailableError

__all__ = [
    "SORT_KEYS",
    "ResultCache",
    "TradeData",
    "manifest_rows",
    "optional_module",
    "safe_filename",
]

#: Columns the products explorer sorts by.
SortKey = Literal["rank", "product", "value_usd", "share_pct", "growth_pct"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def optional_module(name: str, what: str) -> Any:
    """Import a part of bilat that may not be built yet; ``UnavailableError`` when absent."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            raise UnavailableError(
                f"{what} is not available in this installation yet ({name} is missing)",
                details={"module": name},
            ) from None
        raise


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


def manifest_rows(lake: Any) -> list[dict[str, Any]]:
    """The lake's manifest as plain rows (what is in the lake, with provenance)."""
    rows = []
    for e in lake.manifest():
        rows.append(
            {
                "entry_id": e.entry_id,
                "kind": e.kind,
                "source": e.source,
                "release": e.release,
                "path": e.path,
                "sha256": e.sha256,
                "rows": e.rows,
                "years": list(e.years),
                "hs_rev": e.hs_rev,
                "ingested_at": e.ingested_at.isoformat(),
                "synthetic": e.synthetic,
            }
        )
    return rows


def lake_years(lake: Any) -> list[int]:
    """Years the trade view reads any flow for (flows or declarations), ascending."""
    from bilat.tradeview import TradeView

    return TradeView(lake).years()


class TradeData:
    """Cached trade views of one lake for the pages and the API."""

    def __init__(self, lake: Any, *, case_dir: Path | None = None, cache_size: int = 256) -> None:
        self.lake = lake
        self.case_dir = case_dir
        self.cache = ResultCache(cache_size)
        self.lock = threading.RLock()

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        def locked() -> Any:
            with self.lock:
                return compute()

        return self.cache.get_or_compute((*key, self.lake.version), locked)

    def years(self) -> list[int]:
        """Years the lake holds trade for (flows or declarations), through the trade view."""
        return self._cached(("years",), lambda: lake_years(self.lake))  # type: ignore[no-any-return]

    def overview(self, a: str, b: str, year: int) -> dict[str, Any]:
        """Headline figures, series, top products, baskets, events and claims of a dyad."""
        return self._cached(("overview", a, b, year), lambda: self._overview(a, b, year))  # type: ignore[no-any-return]

    def overview_json(self, a: str, b: str, year: int) -> bytes:
        """:meth:`overview` as JSON bytes, encoded once per (dyad, year, lake version)."""
        return self._cached(  # type: ignore[no-any-return]
            ("overview-json", a, b, year), lambda: _json_bytes(self.overview(a, b, year))
        )

    def cached_overview_json(self, a: str, b: str, year: int) -> bytes | None:
        """The encoded overview when it is in the cache (no query, no waiting), else ``None``."""
        value: bytes | None = self.cache.peek(("overview-json", a, b, year, self.lake.version))
        return value

    def _overview(self, a: str, b: str, year: int) -> dict[str, Any]:
        dyad = Dyad(self.lake, a, b)
        summary = dyad.summary(year)
        years = [y for y in self.years() if y <= year]
        start = max(min(years, default=year), year - 9)
        series = dyad.series(start, year)
        top_x = dyad.products(year, level=4, top=10, flow="export")
        top_m = dyad.products(year, level=4, top=10, flow="import")
        baskets = dyad.baskets(year - 1, year) if year - 1 in years else None
        events = dyad.events(year, level=6) if year - 1 in years else None
        ev = events.to_dict() if events is not None else None
        if ev is not None:
            ev["counts"] = events.counts() if events is not None else {}
            ev["rows"] = ev["rows"][:20]
        return {
            "a": summary.a,
            "b": summary.b,
            "year": year,
            "synthetic": bool(self.lake.is_synthetic),
            "lake_version": self.lake.version,
            "headline": headline(summary),
            "summary": summary.to_dict(),
            "series": series.to_dict(),
            "top_exports": top_x.to_dict(),
            "top_imports": top_m.to_dict(),
            "baskets": baskets.to_dict() if baskets is not None else None,
            "events": ev,
            "claims": self._claims(summary.a, summary.b),
        }

    def _claims(self, a: str, b: str) -> dict[str, Any] | None:
        """Verdicts on the case's claims when the dyad is the case's (``None`` otherwise)."""
        if self.case_dir is None:
            return None
        try:
            claims = importlib.import_module("bilat.claims")
            from bilat.agenda import read_case

            if tuple(read_case(self.case_dir).dyad) != (a, b):
                return None
        except (ModuleNotFoundError, BilatError):
            return None
        outcome = claims.check.safe_check(self.lake, self.case_dir)
        if isinstance(outcome, BilatError):
            return {"error": outcome.message, "results": [], "counts": {}}
        return {
            "error": None,
            "results": [r.to_dict() for r in outcome.results],
            "counts": outcome.counts(),
        }

    def products(
        self,
        a: str,
        b: str,
        *,
        year: int,
        level: int,
        flow: str,
        basket: str | None,
        sort: str,
        descending: bool,
        limit: int | None,
    ) -> dict[str, Any]:
        """Every product of one direction, filtered by basket, sorted, optionally cut."""
        key = ("products", a, b, year, level, flow)
        base: dict[str, Any] = self._cached(
            key,
            lambda: (
                Dyad(self.lake, a, b).products(year, level=level, top=None, flow=flow).to_dict()
            ),
        )
        rows = list(base["rows"])
        if basket:
            from bilat.codes.baskets import basket as find_basket

            chosen = find_basket(basket)
            rows = [r for r in rows if chosen.matches(r["product"])]
        if sort not in SORT_KEYS:
            raise InputError(
                f"sort must be one of {', '.join(SORT_KEYS)} but got {sort!r}",
                details={"value": sort, "expected": list(SORT_KEYS)},
            )
        present = [r for r in rows if r.get(sort) is not None]
        missing = [r for r in rows if r.get(sort) is None]
        present.sort(key=lambda r: r[sort], reverse=descending)
        rows = present + missing
        out = {k: v for k, v in base.items() if k != "rows"}
        out.update(
            basket=basket,
            sort=sort,
            order="desc" if descending else "asc",
            n_rows=len(rows),
            rows=rows[:limit] if limit is not None else rows,
        )
        return out

    def series_chart(self, a: str, b: str, year: int) -> str:
        """The overview's series as inline SVG (cached)."""
        from bilat.web.charts import to_svg

        def make() -> str:
            ov = self.overview(a, b, year)
            dyad = Dyad(self.lake, a, b)
            return to_svg(dyad.series(ov["series"]["start"], year).chart())

        return self._cached(("series-svg", a, b, year), make)  # type: ignore[no-any-return]

    def potential(self, a: str, b: str, *, year: int, level: int, top: int) -> dict[str, Any]:
        """Unrealised export potential of ``a`` in ``b``: the gap and the top products."""
        mod = optional_module("bilat.potential.products", "export potential")

        def compute() -> dict[str, Any]:
            pp = mod.market_potential(self.lake, a, b, year=year, level=level)
            table = pp.table.head(top)
            rows = [
                {k: (None if _nan(v) else v) for k, v in r.items()}
                for r in table.to_dict(orient="records")
            ]
            return {
                "exporter": pp.exporter,
                "market": pp.market,
                "year": pp.year,
                "level": pp.level,
                "ease": pp.ease,
                "actual_usd": pp.actual_usd,
                "potential_usd": pp.potential_usd,
                "unrealised_usd": pp.unrealised_usd,
                "synthetic": bool(self.lake.is_synthetic),
                "rows": rows,
            }

        return self._cached(("potential", a, b, year, level, top), compute)  # type: ignore[no-any-return]


def headline(summary: Any) -> list[dict[str, Any]]:
    """The overview's four headline figures as plain data, each saying what it rests on.

    ``value_usd`` is ``None`` when no source covers the figure (turnover and balance need both
    directions): ``note`` then says why, and the page shows "not available", never 0.
    ``coverage`` is the coverage text when a figure is built from part of the products only.
    """
    figs = summary.figures
    both = {"exports": figs["exports"], "imports": figs["imports"]}

    def item(key: str, label: str, value: float | None, growth: float | None) -> dict[str, Any]:
        used = both if key in ("turnover", "balance") else {key: both[key]}
        gaps = [(n, f.coverage.reason) for n, f in used.items() if not f.available]
        note = "; ".join(r if len(used) == 1 else f"{n}: {r}" for n, r in gaps)
        partial = [f.coverage.text() for f in used.values() if f.available and not f.coverage.full]
        return {
            "key": key,
            "label": label,
            "value_usd": value,
            "available": value is not None,
            "growth_pct": growth,
            "note": note if value is None else "",
            "basis": used[key].basis_text() if key in used and value is not None else "",
            "coverage": "; ".join(dict.fromkeys(partial)),
            "status": "none" if value is None else ("partial" if partial else "full"),
        }

    a, b = summary.a, summary.b
    return [
        item("turnover", "Turnover", summary.turnover_usd, summary.turnover_growth_pct),
        item("exports", f"Exports {a}→{b}", summary.exports_usd, summary.exports_growth_pct),
        item("imports", f"Imports {a}←{b}", summary.imports_usd, summary.imports_growth_pct),
        item("balance", "Balance", summary.balance_usd, None),
    ]


def _json_bytes(data: Any) -> bytes:
    from bilat.document import dumps

    return dumps(data, indent=None).encode()


def _nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def require_year(years: list[int], year: int) -> None:
    """``NotFoundError`` naming the years there are when ``year`` has no flows."""
    if year not in years:
        have = f"{years[0]}-{years[-1]}" if years else "none (ingest data first)"
        raise NotFoundError(
            f"no flows for {year} in the lake; years present: {have}",
            details={"value": year, "years": years},
        )
