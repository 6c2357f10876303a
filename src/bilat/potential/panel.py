"""The bilateral panel for gravity: from a user's file or from the lake, plus covariates.

A *panel* is a pandas frame with one row per (exporter, importer, year[, product]) and the
columns

``exporter``, ``importer`` (str, ISO3), ``year`` (int), ``trade`` (float, US dollars or the
unit of the user's file, non-negative) and any covariates (float).

A user's file may name these *roles* otherwise (``Origin``, ``Euros``): :func:`with_roles`
adds each role under its own name from the column ``columns`` names for it, keeping the
file's columns. Files are read by :func:`read_table` (CSV, TSV, ``.dlm``, ``.txt``, any of
them gzipped, Parquet, Stata ``.dta``); :func:`check_keys` refuses rows that repeat an
observation key.

Covariates come from a CEPII GeoDist file (read by :func:`bilat.sources.geodist.read_geodist`,
joined by :func:`join_geodist`) and from an optional user file (:func:`join_covariates`), for example
membership of a trade agreement. GeoDist's names are mapped to the short names the gravity
literature uses (Yotov et al. 2016): ``dist`` (km), ``cntg`` (contiguity), ``lang`` (common
official language), ``clny`` (colonial link).

From a lake, flows are read through the trade view (:class:`bilat.tradeview.TradeView`): the
rows the lake believes, one source per flow and product by the view's precedence (a lake of
Comtrade declarations only, a BACI lake, or both with national files), at the HS level asked
built from the finest codes held without counting anything twice. A raw Ibis table (or
pandas via ``ibis.memtable``) is read as it is: codes of the level asked only, and one
(source, basis, HS revision) or an error (:func:`one_origin`).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from bilat.codes.countries import COMTRADE_AREAS
from bilat.errors import InputError, NotFoundError, ParseError, SchemaError, ValidationError
from bilat.options import SourceClass, choice
from bilat.potential.spec import ROLES, parse_columns
from bilat.sources.geodist import (
    DISTANCES,
    GEODIST_ALIASES,
    Distance,
    distance_column,
    read_geodist,
)
from bilat.sources.problems import numeric_column

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from bilat.tradeview import TradeView

__all__ = [
    "DISTANCES",
    "GEODIST_ALIASES",
    "PANEL_COLUMNS",
    "TABLE_FORMATS",
    "Distance",
    "HasFlows",
    "believed_flows",
    "check_basis",
    "check_keys",
    "drop_areas",
    "flows_table",
    "join_covariates",
    "join_geodist",
    "one_origin",
    "panel_from_flows",
    "parse_years",
    "read_geodist",
    "read_panel",
    "read_table",
    "reads_a_lake",
    "validate_panel",
    "view_for",
    "with_roles",
]

#: Columns every panel has.
PANEL_COLUMNS: tuple[str, ...] = ("exporter", "importer", "year", "trade")


class HasFlows(Protocol):
    """Anything with a ``flows()`` method returning the lake's flows table (a ``Lake``)."""

    def flows(self) -> ir.Table: ...


#: The file formats :func:`read_table` reads, as a message lists them.
TABLE_FORMATS = (
    ".csv, .tsv, .dlm or .txt (comma, tab, semicolon or pipe separated, optionally .gz), "
    ".parquet or Stata .dta"
)
_TEXT = (".csv", ".tsv", ".dlm", ".txt")
_DELIMITERS = (",", "\t", ";", "|")


def read_table(
    path: str | Path, *, what: str = "file", na_values: Sequence[str] = ()
) -> pd.DataFrame:
    """Read a table into pandas, with errors that name the file (and the line, where known).

    Text files (``.csv``, ``.tsv``, ``.dlm``, ``.txt``, each optionally gzipped) have their
    delimiter guessed from the header line: comma, tab, semicolon or pipe, whichever occurs
    most (a ``.tsv`` is tab-separated). ``.parquet``/``.pq`` and Stata ``.dta`` (optionally
    gzipped) are read by pandas. ``na_values`` are extra markers of a missing value in text
    (GeoDist writes Stata's ``.``). The frame's ``attrs["path"]`` names the file.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(
            f"{what} {str(p)!r} does not exist; give the path of a {TABLE_FORMATS} file",
            details={"path": str(p)},
        )
    name = p.name.lower()
    base = name[:-3] if name.endswith(".gz") else name
    try:
        if base.endswith((".parquet", ".pq")):
            frame = pd.read_parquet(p)
        elif base.endswith(".dta"):
            frame = pd.read_stata(p)
        elif base.endswith(_TEXT):
            sep = "\t" if base.endswith(".tsv") else _delimiter(p)
            frame = pd.read_csv(p, sep=sep, low_memory=False, na_values=list(na_values) or None)
        else:
            raise ParseError(
                f"unknown {what} format", path=p, value=p.suffix, expected=TABLE_FORMATS
            )
    except pd.errors.EmptyDataError:
        raise ParseError(f"the {what} is empty", path=p, line=1) from None
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"cannot read {what}: not UTF-8 text ({exc.reason} at byte {exc.start:,})",
            path=p,
            hint="save the file as UTF-8",
        ) from None
    except (ValueError, OSError, EOFError, zlib.error, pd.errors.ParserError) as exc:
        raise _unreadable(exc, p, what) from None
    frame.attrs["path"] = str(p)
    return frame


def _delimiter(p: Path) -> str:
    """The delimiter of a text table: the candidate most frequent in its first line."""
    opener: Any = gzip.open if p.name.lower().endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        first = next((line for line in handle if line.strip()), "")
    counts = [first.count(d) for d in _DELIMITERS]
    return _DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _unreadable(exc: BaseException, p: Path, what: str) -> ParseError:
    text = str(exc).strip().splitlines()
    message = text[-1] if text else type(exc).__name__
    found = re.search(r"\bline (\d+)", str(exc))
    line = int(found.group(1)) if found else None
    if found:
        message = re.sub(r"^Error tokenizing data\. C error: ", "", message)
    return ParseError(f"cannot read {what}: {message}", path=p, line=line)


def _require(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    path: str,
    expected: str,
    hint: str | None = None,
) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            path=path,
            column=missing[0],
            expected=expected,
            hint=hint,
        )


_ROLE_HINT = (
    "Name the file's columns for the roles with columns=, e.g. {'exporter': 'Origin', "
    "'importer': 'Destination', 'year': 'Year', 'trade': 'Value'}"
)


def with_roles(
    frame: pd.DataFrame,
    columns: str | Mapping[str, str] | None = None,
    *,
    path: str | None = None,
    require: Sequence[str] = (),
    negative_trade: bool = False,
) -> pd.DataFrame:
    """The panel with each role (``exporter``, ``importer``, ``year``, ``trade``,
    ``product``) as a checked column of its own name, the file's columns kept.

    ``columns`` names the file's column for a role (``{"exporter": "Origin"}``, or the text
    ``exporter=Origin,...``); a column already named after a role plays it. Role columns are
    checked and normalised: ``exporter``/``importer`` upper-case text, ``year`` whole
    numbers (int), ``trade`` finite and non-negative (negative allowed with
    ``negative_trade``, for OLS, which drops what it cannot log), ``product`` text; none
    may be missing. ``require`` lists the roles the caller needs (``SchemaError`` when
    absent). Applying the same roles twice gives the same frame.
    """
    where = path or str(frame.attrs.get("path", "<panel>"))
    mapping = parse_columns(columns)
    found = ", ".join(map(str, frame.columns))
    for role, col in mapping.items():
        if col not in frame.columns:
            error = SchemaError(
                f"columns maps {role} to {col!r}, which the panel does not have; found {found}",
                path=where,
                column=col,
                expected="a column of the panel (names are case-sensitive)",
            )
            error.details["option"] = "columns"
            raise error
    out = frame.copy()
    for role in ROLES:
        source = mapping.get(role, role)
        if source not in out.columns:
            continue
        values = _role_values(role, out[source], where, source, negative_trade)
        if source != role and role in frame.columns:
            mine = _role_values(role, out[role], where, role, negative_trade)
            if not mine.equals(values):
                raise InputError(
                    f"the panel has a column {role!r} and columns maps {role} to {source!r}, "
                    "and the two differ; rename one of them or leave the role out of columns",
                    details={"option": "columns", "value": f"{role}={source}"},
                )
        out[role] = values
    try:
        _require(out, require, path=where, expected=", ".join(require), hint=_ROLE_HINT)
    except SchemaError as exc:
        exc.details["option"] = "columns"
        raise
    out.attrs["path"] = where
    return out


def _role_values(
    role: str, values: pd.Series, path: str, column: str, negative_trade: bool
) -> pd.Series:
    if role in ("exporter", "importer", "product"):
        # clean each distinct code once (a panel repeats a few hundred codes on every row);
        # factorize marks a missing value with -1
        codes, uniques = pd.factorize(values)
        if (codes < 0).any():
            row = int(np.flatnonzero(codes < 0)[0])
            raise ValidationError(
                f"{role} is missing", path=path, line=row + 2, column=column,
                expected="a code on every row",
            )  # fmt: skip
        clean = pd.Index(uniques).astype(str).str.strip()
        if role != "product":
            clean = clean.str.upper()
        return pd.Series(
            np.asarray(clean, dtype=object)[codes], index=values.index, name=values.name
        )
    numbers = numeric_column(values.to_frame(column), column, path=path)
    if role == "year":
        bad = numbers.isna() | (numbers % 1 != 0)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise ValidationError(
                "year must be a whole number", path=path, line=row + 2, column=column,
                value=values.iloc[row], expected="a year such as 2021",
            )  # fmt: skip
        years: pd.Series = numbers.astype("int64")
        return years
    bad = ~np.isfinite(numbers.to_numpy(dtype="float64")) | ((numbers < 0) & (not negative_trade))
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        sign = "a finite number" if negative_trade else "a finite, non-negative number"
        raise ValidationError(
            f"trade must be {sign}", path=path, line=row + 2, column=column,
            value=values.iloc[row], expected="a finite number" if negative_trade else "a value >= 0",
        )  # fmt: skip
    trade: pd.Series = numbers
    return trade


def check_keys(frame: pd.DataFrame, *, path: str | None = None) -> None:
    """Refuse a panel whose rows repeat an observation key: (exporter, importer[, year]
    [, product]) of the roles it has. Rows that repeat a key are products or another
    dimension of one flow, which an estimation would take for separate observations."""
    if not {"exporter", "importer"} <= set(frame.columns):
        return
    key = [c for c in ("exporter", "importer", "year", "product") if c in frame.columns]
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return
    rows = frame.loc[repeated, key]
    n_keys = len(rows.drop_duplicates())
    first = rows.iloc[0]
    lines = (np.flatnonzero((frame[key] == first).all(axis=1).to_numpy()) + 2)[:2]
    shown = " ".join(str(first[c]) for c in key)
    absent = [r for r in ("year", "product") if r not in key]
    if absent:
        what = " or ".join(f"the {r}s" for r in absent) + " of one flow"
        maps = ", ".join(f"'{r}': COLUMN" for r in absent)
        todo = (
            f"map the {' and '.join(absent)} column (columns={{{maps}}}) to estimate on "
            "them, or add the rows up to one per key"
        )
    else:
        what, todo = (
            "another dimension of one flow",
            "add the rows up to one per key, or drop the repeats",
        )
    error = ValidationError(
        f"{n_keys:,} observation key(s) ({', '.join(key)}) appear on more than one row, e.g. "
        f"{shown} on lines {' and '.join(map(str, lines))}; the rows look like {what}, "
        f"which an estimation would count as separate observations. {todo[0].upper()}{todo[1:]}",
        path=path or str(frame.attrs.get("path", "<panel>")),
        line=int(lines[0]),
        column=",".join(key),
        value=shown,
        expected="one row per key",
    )
    error.details.update(option="columns", repeated_keys=n_keys)
    raise error


def validate_panel(frame: pd.DataFrame, *, path: str = "<panel>") -> pd.DataFrame:
    """Check and normalise a panel: required columns, types, non-negative finite trade.

    Returns a copy with ``exporter``/``importer`` as upper-case strings, ``year`` as int and
    ``trade`` as float64 (:func:`with_roles` with the four roles required). Raises
    ``SchemaError`` or ``ValidationError`` naming the file, line and column of the first
    bad value.
    """
    return with_roles(frame, None, path=path, require=PANEL_COLUMNS)


def read_panel(path: str | Path, *, columns: str | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read a user's panel file (any format of :func:`read_table`) with ``exporter,
    importer, year, trade`` (or the file's columns for them, named by ``columns``) and
    optional covariate columns, and validate it (see :func:`with_roles`)."""
    where = str(path)
    frame = read_table(path, what="panel file")
    return with_roles(frame, columns, path=where, require=PANEL_COLUMNS)


def join_geodist(
    panel: pd.DataFrame, geodist: pd.DataFrame, *, distance: Distance = "distw"
) -> pd.DataFrame:
    """Left-join GeoDist covariates onto a panel by (exporter, importer).

    The chosen ``distance`` becomes column ``dist``; ``cntg``, ``lang`` and ``clny`` replace
    columns of those names already in the panel. Pairs absent from GeoDist get missing
    covariates, and the estimator drops them (it reports how many).
    """
    cov = geodist[["exporter", "importer", "cntg", "lang", "clny"]].assign(
        dist=distance_column(geodist, distance)
    )
    base = panel.drop(columns=[c for c in ("dist", "cntg", "lang", "clny") if c in panel])
    return base.merge(cov, on=["exporter", "importer"], how="left", validate="many_to_one")


def join_covariates(panel: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """Left-join a user's covariate file by (exporter, importer[, year]).

    The file has ``exporter`` and ``importer`` columns, optionally ``year``, and one or more
    numeric columns (for example ``eaeu``: 1 when both countries are members of the Eurasian
    Economic Union that year). Pairs not in the file get 0: the file lists where a dummy is
    on. Columns already in the panel with the same names are replaced.
    """
    where = str(path)
    extra = read_table(path, what="covariates file")
    _require(extra, ("exporter", "importer"), path=where, expected="exporter, importer[, year]")
    keys = ["exporter", "importer"] + (["year"] if "year" in extra.columns else [])
    values = [c for c in extra.columns if c not in keys]
    if not values:
        raise SchemaError(
            "no covariate columns besides the keys",
            path=where,
            expected="at least one numeric column such as 'eaeu'",
        )
    extra = extra.copy()
    for col in ("exporter", "importer"):
        extra[col] = extra[col].astype(str).str.strip().str.upper()
    if "year" in keys:
        extra["year"] = numeric_column(extra, "year", path=where).astype("int64")
    for col in values:
        extra[col] = numeric_column(extra, col, path=where)
    dup = extra.duplicated(keys)
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0])
        raise ValidationError(
            "duplicate key",
            path=where,
            line=row + 2,
            column=",".join(keys),
            value=tuple(extra.loc[extra.index[row], keys]),
            expected="one row per key",
        )
    base = panel.drop(columns=[c for c in values if c in panel.columns])
    out = base.merge(extra, on=keys, how="left", validate="many_to_one")
    out[values] = out[values].fillna(0.0)
    return out


def parse_years(text: str | Sequence[int] | None) -> tuple[int, ...] | None:
    """Years from ``"1986,1990,1994"``, ranges ``"1986-2006"``, stepped ranges
    ``"1986-2006/4"``, or a sequence of ints; ``None`` means all years."""
    if text is None:
        return None
    if not isinstance(text, str):
        return tuple(sorted({int(y) for y in text}))
    years: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            span, _, step = part.partition("/")
            lo, _, hi = span.partition("-")
            first, last = int(lo), int(hi or lo)
            years.update(range(first, last + 1, int(step or 1)))
        except ValueError:
            raise InputError(
                f"cannot read years {part!r}; expected a list such as 1986,1990 or a range "
                "such as 1986-2006 or 1986-2006/4",
                details={"value": part},
            ) from None
    if not years:
        raise InputError("no years given", details={"value": text})
    return tuple(sorted(years))


def panel_from_flows(
    flows: ir.Table | HasFlows | TradeView,
    *,
    level: int = 6,
    years: Sequence[int] | None = None,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Aggregate product-level flows into a bilateral panel (exporter, importer, year, trade).

    Parameters
    ----------
    flows
        A ``Lake`` or a :class:`bilat.tradeview.TradeView` (read through the trade view: see
        :func:`believed_flows`), or a raw flows table (Ibis) read as it is.
    level
        The product level (2, 4 or 6). From a lake, codes finer than it are summed up to it
        and none is counted twice; from a raw table, only codes of that length are summed.
    years
        Years to keep; all by default.
    source, basis, hs_rev, order
        From a lake: read only one source (``comtrade``, ``baci``), one source class
        (``basis``: ``reconciled``, ``national``, ``exporter``, ``importer``) or one HS
        revision, or change the precedence (``order``, classes best first); asking for one
        the lake does not hold is an error. From a raw table: restrict to one (source,
        basis, HS revision), required when it holds several (see :func:`one_origin`).

    Domestic flows (exporter == importer) are kept when the data has them; UN Comtrade's
    areas (``W00`` world, ``EUR``, "not elsewhere specified" codes) are left out.
    """
    if level not in (2, 4, 6):
        raise InputError(f"level must be 2, 4 or 6, got {level!r}", details={"value": level})
    check_basis(basis)
    if reads_a_lake(flows):
        t = believed_flows(
            flows, level=level, years=years, source=source, basis=basis, hs_rev=hs_rev, order=order
        )
        t = drop_areas(t)
    else:
        table = flows_table(flows)
        t = drop_areas(table.filter(table.product.length() == level))
        if years is not None:
            t = t.filter(t.year.isin([int(y) for y in years]))
        t = one_origin(t, source=source, basis=basis, hs_rev=hs_rev)
    agg = t.group_by(["exporter", "importer", "year"]).aggregate(trade=t.value_usd.sum())
    frame: pd.DataFrame = agg.to_pandas()
    if frame.empty:
        raise NotFoundError(
            f"no flows at level {level} for the years asked; ingest flows into the lake "
            "first, or estimate on a panel file",
            details={"level": level, "years": list(years) if years else None},
        )
    frame["year"] = frame["year"].astype("int64")
    return frame.sort_values(["year", "exporter", "importer"], ignore_index=True)


def reads_a_lake(flows: Any) -> bool:
    """Whether ``flows`` is a lake (or a trade view) rather than a raw table."""
    from bilat.tradeview import TradeView

    if isinstance(flows, TradeView):
        return True
    return callable(getattr(flows, "declarations", None)) and hasattr(flows, "version")


class _Restricted:
    """A lake read for one source and/or one HS revision only (``--source``, ``--hs-rev``).

    It offers what the trade view reads (``flows``, ``declarations``, ``version``) and
    forwards everything else to the lake, like :class:`bilat.trade.convert.ConvertedLake`.
    """

    def __init__(self, lake: Any, *, source: str | None, hs_rev: str | None) -> None:
        self._lake = lake
        self._source = source
        self._hs_rev = hs_rev

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lake, name)

    @property
    def version(self) -> str:
        return f"{self._lake.version}-{self._source}-{self._hs_rev}"

    def _only(self, t: ir.Table) -> ir.Table:
        if self._source is not None:
            t = t.filter(t.source.lower() == self._source.lower())
        if self._hs_rev is not None:
            t = t.filter(t.hs_rev.upper() == self._hs_rev.upper())
        return t

    def flows(self) -> ir.Table:
        return self._only(self._lake.flows())

    def declarations(self) -> ir.Table:
        return self._only(self._lake.declarations())


def _held(lake: Any, column: str) -> list[str]:
    """The sources (read from the trade view's candidates) or HS revisions (from the
    manifest) a lake holds, to say what there is when the one asked for is absent."""
    from bilat.tradeview import TradeView

    if column == "hs_rev":
        return sorted({str(e.hs_rev) for e in lake.manifest()})
    c = TradeView(lake).candidates()
    return sorted(str(v) for v in c.select(c.source).distinct().to_pandas()["source"])


def view_for(
    flows: Any,
    *,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> TradeView:
    """The trade view that :func:`believed_flows` reads ``flows`` (a lake or a view) with."""
    from bilat.tradeview import TradeView

    lake = flows.lake if isinstance(flows, TradeView) else flows
    asks = (source, basis, hs_rev, order)
    if isinstance(flows, TradeView) and all(v is None for v in asks):
        return flows
    if isinstance(flows, TradeView) and basis is None and order is None:
        prec = flows.precedence
        basis, order = (prec.order[0], None) if prec.pinned else (None, prec.order)
    for column, value in (("source", source), ("hs_rev", hs_rev)):
        if value is None:
            continue
        held = _held(lake, column)
        if value.lower() not in {h.lower() for h in held}:
            option = column.replace("_", "-")
            raise NotFoundError(
                f"the lake holds no flows with {column} {value!r}; it holds "
                f"{', '.join(held) or 'nothing'} (choose one with --{option}, or leave "
                f"--{option} out to read every {column} by source precedence)",
                details={"value": value, "held": held},
            )
    if source is not None or hs_rev is not None:
        lake = _Restricted(lake, source=source, hs_rev=hs_rev)
    return TradeView(lake, order=order, basis=basis)


def believed_flows(
    flows: Any,
    *,
    level: int,
    years: Sequence[int] | None = None,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
    order: str | Sequence[str] | None = None,
) -> ir.Table:
    """The flows a lake believes at HS ``level``: ``year, exporter, importer, product,
    value_usd, klass, source`` (Ibis, lazy).

    Read through :class:`bilat.tradeview.TradeView`: one source per flow and product by the
    view's precedence (``order``, or one class pinned with ``basis``), optionally among one
    ``source`` or ``hs_rev`` only; codes finer than ``level`` are summed up to it, coarser
    ones left out, none counted twice. ``flows`` is a ``Lake`` or a ``TradeView``.

    Raises ``NotFoundError`` when the lake holds nothing for the years asked, or does not hold
    the source, class or HS revision asked for.
    """
    view = view_for(flows, source=source, basis=basis, hs_rev=hs_rev, order=order)
    held = view.years()
    wanted = held if years is None else [int(y) for y in years if int(y) in held]
    if not wanted:
        asked = "every year" if years is None else ", ".join(str(y) for y in years)
        have = f"it holds {held[0]}-{held[-1]}" if held else "it holds none"
        what = view.precedence.text()
        if view.precedence.pinned:
            c = view.candidates()
            classes = sorted(str(k) for k in c.select(c.klass).distinct().to_pandas()["klass"])
            have += f"; the source classes it holds are {', '.join(classes) or 'none'}"
        raise NotFoundError(
            f"no flows for {asked} in the lake read with {what} ({have}); ingest that year "
            "first, or choose another year, basis or source",
            details={"years": list(years) if years is not None else None, "held": held},
        )
    rows = view.at_level(view.rows(wanted), level, wanted)
    return rows.select("year", "exporter", "importer", "product", "value_usd", "klass", "source")


def flows_table(flows: Any) -> ir.Table:
    """The flows table of a ``Lake`` (anything with ``flows()``), or ``flows`` itself."""
    if hasattr(flows, "flows") and callable(flows.flows):
        return flows.flows()  # type: ignore[no-any-return]
    return flows  # type: ignore[no-any-return]


def drop_areas(t: ir.Table) -> ir.Table:
    """Leave out rows whose exporter or importer is a UN Comtrade area (``W00`` world,
    ``EUR``, "not elsewhere specified" codes: :data:`bilat.codes.countries.COMTRADE_AREAS`).

    One filter fused into the query that reads ``t`` (no separate look-up of the codes
    present: on a large lake that look-up was a scan of its own, dearer than the filter).
    A missing code is kept, as before.
    """
    areas = sorted(COMTRADE_AREAS)
    exp = t.exporter.isin(areas).fill_null(False)
    imp = t.importer.isin(areas).fill_null(False)
    return t.filter(~exp & ~imp)


def check_basis(basis: str | None) -> str | None:
    """Validate a basis (a source class of the trade view: ``reconciled``, ``national``,
    ``exporter``, ``importer``) or ``None``, before anything is read."""
    return None if basis is None else str(choice(SourceClass, basis, "basis"))


def one_origin(
    t: ir.Table,
    *,
    source: str | None = None,
    basis: str | None = None,
    hs_rev: str | None = None,
) -> ir.Table:
    """Restrict flows to one (source, basis, HS revision), or check there is only one.

    Two sources, two bases (exporter- and importer-declared) or two HS revisions of the same
    flows would double-count when added. Raises ``InputError`` listing what was found when
    the flows hold several and none was chosen.
    """
    chosen = {"source": source, "basis": basis, "hs_rev": hs_rev}
    for col, value in chosen.items():
        if value is not None:
            t = t.filter(t[col] == value)
    free = [c for c, v in chosen.items() if v is None]
    if not free:
        return t
    found = t.select(*free).distinct().to_pandas()
    if len(found) > 1:
        combos = sorted(" / ".join(str(v) for v in row) for row in found.itertuples(index=False))
        options = ", ".join(f"{c}=... (--{c.replace('_', '-')})" for c in free)
        raise InputError(
            f"the flows hold several {' / '.join(free)} combinations ({'; '.join(combos)}); "
            f"adding them would double-count trade. Choose one with {options}",
            details={"found": combos, "columns": free},
        )
    return t
