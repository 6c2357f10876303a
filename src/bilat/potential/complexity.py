"""Economic complexity and relatedness of one year: the Atlas of Economic Complexity's measures.

:func:`complexity` builds the country × product export matrix of one year and HS level and
computes, with the conventions of the Growth Lab's ``ecomplexity`` package (the reference
the tests compare with to 1e-6; formulas in :mod:`bilat.potential.complexity_math` and
``docs/indicators.md``):

- per country (ISO3): exports, diversity, ECI, COI;
- per product (HS code and description): world exports, ubiquity, PCI;
- per country and product: exports, RCA, M, density, distance, COG (the big matrices, kept
  as arrays: :meth:`Complexity.cells` gives them as pandas, :meth:`Complexity.to_arrow` as
  Arrow; the document lists the top rows only).

From a lake (or a :class:`bilat.tradeview.TradeView`) the flows are the ones the lake
believes at the level asked (:func:`bilat.potential.panel.believed_flows`), domestic flows
and UN Comtrade's areas (``W00``, ``EUR``, "not elsewhere specified") left out, and a
country's exports are the sum over its partners of what the lake holds: with a lake of
import declarations only, those are the exports its reporters record. A pandas frame (or an
Arrow table) is read as it is: ``country`` (or ``exporter``), ``product``, ``value`` (or
``value_usd``), optional ``year`` and ``importer`` — any "country × product" matrix, for
instance importers × products.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bilat import formats
from bilat.codes.countries import COMTRADE_AREAS
from bilat.codes.hs import describe
from bilat.document import to_document
from bilat.errors import InputError, NotFoundError
from bilat.options import Presence, check_top, check_year, choice
from bilat.potential.complexity_math import Measures, measures
from bilat.potential.panel import (
    believed_flows,
    check_basis,
    drop_areas,
    read_table,
    reads_a_lake,
    view_for,
)

__all__ = ["Complexity", "complexity", "export_matrix", "read_population"]


@dataclass(frozen=True)
class Matrix:
    """Export values by country (rows) and product (columns), and what they rest on."""

    countries: np.ndarray
    products: np.ndarray
    values: sp.csr_matrix
    basis: str
    sources: dict[str, float] = field(default_factory=dict)


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = np.asarray(column.cat.categories.astype(str), dtype=object)
        return np.asarray(column.cat.codes, dtype=np.int64), cats
    codes, uniques = pd.factorize(column)
    return codes.astype(np.int64), np.asarray(pd.Index(uniques).astype(str), dtype=object)


def export_matrix(
    frame: pd.DataFrame,
    *,
    country: str = "country",
    product: str = "product",
    value: str = "value",
    year: int | None = None,
) -> tuple[np.ndarray, np.ndarray, sp.csr_matrix]:
    """Countries, products (sorted) and the summed values as a sparse matrix.

    Rows repeat freely (they are added up). With ``year``, only rows of that year (when the
    frame has a ``year`` column); rows whose country or ``importer`` is a Comtrade area,
    and domestic rows (``importer`` equal to the country), are left out. The filters work
    on the distinct codes, and the sum is one ``bincount``: a frame of millions of rows
    repeats a few hundred countries and a few thousand products.
    """
    ci, cats_c = _codes(frame[country])
    pi, cats_p = _codes(frame[product])
    vals = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=np.float64)
    keep = _rows_kept(frame, ci, cats_c, year)
    if keep is not None:
        ci, pi, vals = ci[keep], pi[keep], vals[keep]
    if (ci < 0).any() or (pi < 0).any():
        raise InputError(f"{country} and {product} must be given on every row")
    bad = ~np.isfinite(vals) | (vals < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{value} must be a finite, non-negative number; found {vals[row]!r}",
            details={"value": str(vals[row])},
        )
    n_c, n_p = len(cats_c), len(cats_p)
    flat = np.bincount(ci * n_p + pi, weights=vals, minlength=n_c * n_p).reshape(n_c, n_p)
    seen = np.asarray(np.bincount(ci * n_p + pi, minlength=n_c * n_p).reshape(n_c, n_p) > 0)
    oc = np.argsort(cats_c)
    oc = oc[np.asarray(seen.any(axis=1))[oc]]
    op = np.argsort(cats_p)
    op = op[np.asarray(seen.any(axis=0))[op]]
    return cats_c[oc], cats_p[op], sp.csr_matrix(flat[np.ix_(oc, op)])


def _rows_kept(
    frame: pd.DataFrame, ci: np.ndarray, cats_c: np.ndarray, year: int | None
) -> np.ndarray | None:
    areas = list(COMTRADE_AREAS)
    keep = ~np.isin(cats_c, areas)[ci] if np.isin(cats_c, areas).any() else None
    if year is not None and "year" in frame.columns:
        same_year = frame["year"].to_numpy() == year
        keep = same_year if keep is None else keep & same_year
    if "importer" in frame.columns:
        ii, cats_i = _codes(frame["importer"])
        other = pd.Index(cats_c).get_indexer(pd.Index(cats_i))  # -1: never a country of the rows
        ok = (other[ii] != ci) & ~np.isin(cats_i, areas)[ii]
        keep = ok if keep is None else keep & ok
    return keep


def _column(frame: pd.DataFrame, *names: str) -> str:
    for name in names:
        if name in frame.columns:
            return name
    raise InputError(
        f"the table has no {' or '.join(names)} column; found {', '.join(map(str, frame.columns))}",
        details={"expected": list(names)},
    )


def _from_frame(data: Any, year: int, level: int) -> Matrix:
    frame = (
        data.to_pandas()
        if hasattr(data, "to_pandas") and not isinstance(data, pd.DataFrame)
        else data
    )
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            "complexity reads a Lake, a TradeView, a pandas frame or an Arrow table; got "
            f"{type(data).__name__}"
        )
    c = _column(frame, "country", "exporter")
    p = _column(frame, "product")
    v = _column(frame, "value", "value_usd")
    if "year" in frame.columns and not (frame["year"] == year).any():
        raise NotFoundError(f"the table has no rows for {year}", details={"year": year})
    countries, products, x = export_matrix(frame, country=c, product=p, value=v, year=year)
    if x.shape[0] == 0:
        raise NotFoundError(f"the table has no exports for {year}", details={"year": year})
    return Matrix(countries, products, x, basis=f"the table given ({c} × {p})")


def _from_lake(data: Any, year: int, level: int, origin: Mapping[str, Any]) -> Matrix:
    view = view_for(data, **origin)
    t = drop_areas(believed_flows(view, level=level, years=[year]))
    t = t.filter(t.exporter != t.importer)
    agg = t.group_by(["exporter", "product"]).aggregate(value=t.value_usd.sum())
    frame = view.fetch(agg)
    if frame.empty:
        raise NotFoundError(
            f"the lake holds no flows at level {level} for {year}",
            details={"year": year, "level": level},
        )
    by = view.fetch(t.group_by("klass").aggregate(value=t.value_usd.sum()))
    total = float(by["value"].sum()) or 1.0
    shares = {str(k): float(v) / total for k, v in zip(by["klass"], by["value"], strict=True)}
    countries, products, x = export_matrix(frame, country="exporter")
    basis = (
        f"flows the lake believes, HS{level}, summed over partners; source classes by value: "
        + ", ".join(f"{k} {formats.share(100 * s)}" for k, s in sorted(shares.items()))
    )
    return Matrix(countries, products, x, basis=basis, sources=shares)


def read_population(
    source: str | Path | pd.DataFrame | Mapping[str, float], *, year: int | None = None
) -> dict[str, float]:
    """Population by ISO3 code, from a mapping, a frame or a file (:func:`read_table`) with
    ``country`` (or ``iso3``), ``population`` and optionally ``year`` columns."""
    if isinstance(source, Mapping):
        return {str(k).upper(): float(v) for k, v in source.items()}
    frame = (
        source if isinstance(source, pd.DataFrame) else read_table(source, what="population file")
    )
    c = _column(frame, "country", "iso3", "exporter")
    v = _column(frame, "population", "pop")
    if "year" in frame.columns and year is not None:
        frame = frame[frame["year"].astype("int64") == year]
        if frame.empty:
            raise InputError(
                f"the population file has no rows for {year}",
                details={"option": "population", "year": year},
            )
    values = pd.to_numeric(frame[v], errors="coerce")
    if values.isna().any() or (values <= 0).any():
        row = int(np.flatnonzero((values.isna() | (values <= 0)).to_numpy())[0])
        raise InputError(
            f"population must be a positive number; row {row + 1} has {frame[v].iloc[row]!r}",
            details={"option": "population", "row": row + 1},
        )
    codes = frame[c].astype(str).str.strip().str.upper()
    if codes.duplicated().any():
        raise InputError(
            f"the population file gives {codes[codes.duplicated()].iloc[0]} more than once "
            "(add a year column, or one row per country)",
            details={"option": "population"},
        )
    return dict(zip(codes, values.astype(float), strict=True))


@dataclass(frozen=True, slots=True)
class _Options:
    year: int
    level: int
    rca_threshold: float
    presence: str
    continuous: bool
    min_exports: float | None
    min_population: float | None
    min_product_exports: float | None


def _floors(
    mx: Matrix, o: _Options, population: dict[str, float] | None
) -> tuple[Matrix, np.ndarray | None, list[str]]:
    """Leave out countries and products under the floors (the Atlas restricts its ranking
    to countries above a population and an export floor), then empty rows and columns."""
    notes: list[str] = []
    x = mx.values
    keep = np.ones(x.shape[0], dtype=bool)
    if o.min_exports is not None:
        small = np.asarray(x.sum(axis=1)).ravel() < o.min_exports
        keep &= ~small
        if small.any():
            notes.append(
                f"{int(small.sum())} countries under min_exports "
                f"{formats.money(o.min_exports)} left out"
            )
    pop = None
    if population is not None:
        pop = np.array([population.get(str(c), np.nan) for c in mx.countries])
        unknown = np.isnan(pop)
        if unknown.any():
            shown = ", ".join(map(str, mx.countries[unknown][:8]))
            notes.append(f"{int(unknown.sum())} countries without a population left out ({shown})")
        keep &= ~unknown
        if o.min_population is not None:
            few = ~unknown & (np.nan_to_num(pop) < o.min_population)
            keep &= ~few
            if few.any():
                notes.append(
                    f"{int(few.sum())} countries under min_population "
                    f"{formats.integer(o.min_population)} left out"
                )
    x = x[keep]
    cols = np.ones(x.shape[1], dtype=bool)
    if o.min_product_exports is not None:
        thin = np.asarray(x.sum(axis=0)).ravel() < o.min_product_exports
        cols &= ~thin
        if thin.any():
            notes.append(f"{int(thin.sum())} products under min_product_exports left out")
    x = x[:, cols]
    rows = np.asarray(x.sum(axis=1)).ravel() > 0
    cols2 = np.asarray(x.sum(axis=0)).ravel() > 0
    kept = Matrix(mx.countries[keep][rows], mx.products[cols][cols2], x[rows][:, cols2].tocsr(),
                  mx.basis, mx.sources)  # fmt: skip
    return kept, (pop[keep][rows] if pop is not None else None), notes


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = to_document(frame)
    return rows


@dataclass(frozen=True)
class Complexity:
    """Economic complexity of one year (see the module for the measures and conventions).

    Attributes
    ----------
    year, level
        The year and HS level (2, 4, 6) of the products.
    rca_threshold, presence, continuous
        ``M = 1`` where RCA (``presence="rca"``) or RPOP (``"rpop"``) ``>= rca_threshold``;
        ``continuous`` proximity from the correlation of the RCA columns.
    min_exports_usd, min_population, min_product_exports_usd
        The floors applied before anything is computed (``None``: none).
    basis
        What the export values rest on (the lake's source classes by value, or the table).
    sources
        Share of the value by source class (from a lake).
    notes
        What was left out, and measures that are not available and why.
    countries
        ``country, exports_usd, diversity, eci, coi``, highest ECI first (pandas).
    products
        ``product, description, world_exports_usd, ubiquity, pci``, highest PCI first.
    """

    year: int
    level: int
    rca_threshold: float
    presence: str
    continuous: bool
    min_exports_usd: float | None
    min_population: float | None
    min_product_exports_usd: float | None
    n_countries: int
    n_products: int
    n_present: int
    basis: str
    sources: dict[str, float]
    notes: tuple[str, ...]
    countries: pd.DataFrame = field(repr=False, compare=False)
    products: pd.DataFrame = field(repr=False, compare=False)
    measures: Measures = field(repr=False, compare=False)
    matrix: Matrix = field(repr=False, compare=False)
    shown: int = 20
    focus: str | None = None
    synthetic: bool = False

    _document_omit_: ClassVar[tuple[str, ...]] = (
        "countries", "products", "measures", "matrix", "shown", "focus",
    )  # fmt: skip
    _document_extra_: ClassVar[dict[str, Any]] = {
        "country": dict[str, Any] | None,
        "top_countries": list[dict[str, Any]],
        "top_products": list[dict[str, Any]],
        "nearby_products": list[dict[str, Any]],
    }

    def index_of(self, country: str) -> int:
        """The row of ``country`` (``NotFoundError`` when it is not in the matrix)."""
        where = np.flatnonzero(self.matrix.countries == country.strip().upper())
        if not len(where):
            raise NotFoundError(
                f"{country} is not among the {self.n_countries} countries of the {self.year} "
                "complexity matrix (no exports at this level, or under a floor)",
                details={"country": country, "year": self.year},
            )
        return int(where[0])

    def cells(self, country: str | None = None) -> pd.DataFrame:
        """Country × product records: ``country, product, exports_usd, rca, mcp, density,
        distance, cog`` (and ``rpop``), for every cell or one country's row."""
        m = self.measures
        rows = (
            np.arange(self.n_countries) if country is None else np.array([self.index_of(country)])
        )
        n = self.n_products
        out = {
            "country": np.repeat(self.matrix.countries[rows], n),
            "product": np.tile(self.matrix.products, len(rows)),
            "exports_usd": self.matrix.values[rows].toarray().ravel(),
            "rca": m.rca[rows].ravel(),
            "mcp": m.mcp[rows].toarray().ravel().astype(np.int8),
            "density": m.density[rows].ravel(),
            "distance": m.distance[rows].ravel(),
            "cog": m.cog[rows].ravel(),
        }
        if m.rpop is not None:
            out["rpop"] = m.rpop[rows].ravel()
        return pd.DataFrame(out)

    def to_arrow(self, country: str | None = None) -> Any:
        """:meth:`cells` as an Arrow table."""
        import pyarrow as pa

        return pa.Table.from_pandas(self.cells(country), preserve_index=False)

    def nearby(self, country: str, top: int | None = None) -> pd.DataFrame:
        """The products ``country`` does not export with RCA (``M = 0``), densest first:
        ``product, description, rca, density, distance, pci, cog``."""
        cells = self.cells(country)
        cells = cells.merge(self.products[["product", "description", "pci"]], on="product")
        absent = cells[cells["mcp"] == 0].sort_values(
            ["density", "product"], ascending=[False, True], ignore_index=True
        )
        cols = ["product", "description", "exports_usd", "rca", "density", "distance", "pci", "cog"]
        return absent[cols].head(top) if top else absent[cols]

    def to_dict(self, *, top: int | None = None) -> dict[str, Any]:
        """Plain data: the options, the ``top`` countries by ECI and products by PCI, and
        with a focus country its record and its nearest products."""
        top = self.shown if top is None else top
        head = {k: getattr(self, k) for k in (
            "year", "level", "rca_threshold", "presence", "continuous", "min_exports_usd",
            "min_population", "min_product_exports_usd", "n_countries", "n_products",
            "n_present", "basis", "sources", "notes", "synthetic",
        )}  # fmt: skip
        country = None
        nearby: list[dict[str, Any]] = []
        if self.focus is not None:
            row = self.countries[self.countries["country"] == self.focus]
            country = _records(row)[0] | {"eci_rank": int(row.index[0]) + 1}
            nearby = _records(self.nearby(self.focus, top))
        return head | {
            "country": country,
            "top_countries": _records(self.countries.head(top)),
            "top_products": _records(self.products.head(top)),
            "nearby_products": nearby,
        }


def _tables(mx: Matrix, m: Measures) -> tuple[pd.DataFrame, pd.DataFrame]:
    countries = pd.DataFrame(
        {
            "country": mx.countries.astype(str),
            "exports_usd": np.asarray(mx.values.sum(axis=1)).ravel(),
            "diversity": m.diversity.astype(np.int64),
            "eci": m.eci,
            "coi": m.coi,
        }
    ).sort_values(["eci", "country"], ascending=[False, True], ignore_index=True)
    products = pd.DataFrame({
        "product": mx.products.astype(str),
        "description": [describe(str(p)) for p in mx.products],
        "world_exports_usd": np.asarray(mx.values.sum(axis=0)).ravel(),
        "ubiquity": m.ubiquity.astype(np.int64),
        "pci": m.pci,
    }).sort_values(["pci", "product"], ascending=[False, True], ignore_index=True)  # fmt: skip
    return countries, products


def _options(
    year: int, level: int, rca_threshold: float, presence: str, continuous: bool,
    floors: tuple[float | None, float | None, float | None], population: Any,
) -> _Options:  # fmt: skip
    if level not in (2, 4, 6):
        raise InputError(
            f"level must be 2, 4 or 6, got {level!r}", details={"option": "level", "value": level}
        )
    for name, v in zip(
        ("min_exports", "min_population", "min_product_exports"), floors, strict=True
    ):
        if v is not None and (not np.isfinite(v) or v < 0):
            raise InputError(
                f"{name} must be a number >= 0, got {v!r}", details={"option": name, "value": v}
            )
    how = str(choice(Presence, presence, "presence"))
    if population is None and (how == "rpop" or floors[1] is not None):
        what = "presence='rpop'" if how == "rpop" else "min_population"
        raise InputError(
            f"{what} needs population=: a file (or mapping) of population by ISO3 country",
            details={"option": "population"},
        )
    if (
        not isinstance(rca_threshold, int | float)
        or not np.isfinite(rca_threshold)
        or rca_threshold <= 0
    ):
        raise InputError(
            f"rca_threshold must be a positive number, got {rca_threshold!r}",
            details={"option": "rca_threshold", "value": rca_threshold},
        )
    return _Options(check_year(year), level, float(rca_threshold), how, bool(continuous), *floors)


def _result(
    o: _Options, mx: Matrix, m: Measures, notes: list[str], shown: int,
    country: str | None, synthetic: bool,
) -> Complexity:  # fmt: skip
    countries, products = _tables(mx, m)
    result = Complexity(
        o.year, o.level, o.rca_threshold, o.presence, o.continuous, o.min_exports,
        o.min_population, o.min_product_exports, len(mx.countries), len(mx.products),
        int(m.mcp.nnz), mx.basis, mx.sources, tuple(notes) + m.notes, countries, products,
        m, mx, shown=shown, focus=None, synthetic=synthetic,
    )  # fmt: skip
    if country is not None:
        code = country.strip().upper()
        result.index_of(code)
        object.__setattr__(result, "focus", code)
    return result


def _read(
    data: Any, o: _Options, origin: dict[str, Any], population: Any
) -> tuple[Matrix, np.ndarray | None, list[str]]:
    """The export matrix of ``data`` after the floors, the population of its rows, notes."""
    if reads_a_lake(data):
        mx = _from_lake(data, o.year, o.level, origin)
    else:
        mx = _from_frame(data, o.year, o.level)
    pops = read_population(population, year=o.year) if population is not None else None
    mx, pop, notes = _floors(mx, o, pops)
    if mx.values.shape[0] == 0 or mx.values.shape[1] == 0:
        raise NotFoundError("no country and product is left to measure after the floors")
    return mx, pop, notes


def complexity(
    data: Any,
    *,
    year: int,
    level: int = 4,
    rca_threshold: float = 1.0,
    presence: str = "rca",
    continuous: bool = False,
    min_exports: float | None = None,
    population: str | Path | pd.DataFrame | Mapping[str, float] | None = None,
    min_population: float | None = None,
    min_product_exports: float | None = None,
    country: str | None = None,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
    top: int = 20,
) -> Complexity:
    """ECI, PCI, proximity-based density, distance, COI and COG of one year.

    Parameters
    ----------
    data
        A ``Lake`` or :class:`bilat.tradeview.TradeView` (exports read through the trade
        view), or a pandas frame / Arrow table with ``country`` (or ``exporter``),
        ``product``, ``value`` (or ``value_usd``) and optional ``year``, ``importer``.
    year, level
        The year and the HS level (2, 4 or 6).
    rca_threshold
        ``M_cp = 1`` where the RCA (or RPOP) is at least this (the Atlas: 1).
    presence
        ``"rca"`` (Balassa's RCA) or ``"rpop"`` (exports per head relative to the world's).
    continuous
        Proximity as ``(1 + correlation of RCA columns) / 2`` and density weighted by RCA.
    min_exports, population, min_population, min_product_exports
        Floors: countries exporting less than ``min_exports`` USD, with fewer than
        ``min_population`` inhabitants (``population``: a file, frame or mapping by ISO3;
        countries it lacks are left out) and products traded less than
        ``min_product_exports`` USD worldwide are left out before anything is computed.
    country
        A country to focus on: its record and nearest products in the document.
    source, basis, hs_rev, order
        From a lake: which flows it believes (see :func:`bilat.potential.panel.believed_flows`).
    top
        How many countries, products and nearby products the document lists.
    """
    o = _options(year, level, rca_threshold, presence, continuous,
                 (min_exports, min_population, min_product_exports), population)  # fmt: skip
    check_basis(basis)
    shown = check_top(top) or 20
    origin = {"source": source, "basis": basis, "hs_rev": hs_rev, "order": order}
    mx, pop, notes = _read(data, o, origin, population)
    m = measures(mx.values, rca_threshold=o.rca_threshold, population=pop, presence=o.presence,
                 continuous=o.continuous)  # fmt: skip
    lake = getattr(data, "lake", data)
    synthetic = bool(getattr(lake, "is_synthetic", False))
    return _result(o, mx, m, notes, shown, country, synthetic)
