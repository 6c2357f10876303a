"""The inputs of a general-equilibrium scenario: cost coefficients, changes, the baseline world.

:func:`read_coefficients` reads the cost coefficients (a table, a gravity result, plain
data); :func:`parse_change` reads a change such as ``pta=1@CAN-JPN,JPN-CAN``;
:func:`ge_world` turns a table of every exporter–importer pair of one year (domestic flows
included) into the square arrays the solver (:mod:`bilat.potential.ge`) works on, refusing
a missing or repeated pair with the line it is on.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bilat.errors import InputError, SchemaError, ValidationError
from bilat.potential.panel import read_table
from bilat.sources.problems import numeric_column

__all__ = [
    "AD_VALOREM",
    "CONSTANT_NAMES",
    "CostChange",
    "CostCoefficient",
    "GeWorld",
    "ge_world",
    "parse_change",
    "parse_columns",
    "read_coefficients",
    "variable_column",
]

#: Coefficient names read as the regression constant (a column of ones) when the data has
#: no column of that name.
CONSTANT_NAMES = frozenset({"constant", "const", "_cons", "(intercept)", "intercept"})

#: The pseudo-variable of an ad valorem trade-cost equivalent: ``ad_valorem=0.1@BLR-KAZ``
#: raises the iceberg cost by 10 %, so ``t^(1-σ)`` is multiplied by ``1.1^(1-σ)``.
AD_VALOREM = "ad_valorem"

_OUTPUT = ("output", "Y", "y")
_EXPENDITURE = ("expenditure", "E", "e")
_ROLES = ("exporter", "importer", "year", "trade", "output", "expenditure")


# --------------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class CostCoefficient:
    """One cost coefficient: ``var`` (a data column, or the constant), ``beta``, ``stderr``."""

    var: str
    beta: float
    stderr: float | None = None


def read_coefficients(source: Any) -> tuple[CostCoefficient, ...]:
    """Cost coefficients from a table file, a gravity result, or plain data.

    ``source`` may be a path to a table (CSV, TSV, Parquet ...: columns ``var, beta`` and
    optionally ``stderr``; ``term, estimate, std_error`` as ``bilat potential gravity``
    names them are accepted), a JSON file written by ``bilat potential gravity --json``, a
    fitted :class:`~bilat.potential.GravityFit` (or anything with ``coefficients``), a
    mapping ``{var: beta}`` or a sequence of ``(var, beta[, stderr])``.
    """
    if isinstance(source, str | Path):
        return _coefficients_file(Path(source))
    if hasattr(source, "coefficients"):
        return tuple(
            CostCoefficient(str(c.term), float(c.estimate), _maybe(c.std_error))
            for c in source.coefficients
        )
    if isinstance(source, Mapping):
        return _checked(CostCoefficient(str(k), float(v)) for k, v in source.items())
    rows = []
    for item in source:
        if isinstance(item, CostCoefficient):
            rows.append(item)
            continue
        var, beta, *rest = item
        rows.append(CostCoefficient(str(var), float(beta), _maybe(rest[0]) if rest else None))
    return _checked(rows)


def _maybe(value: Any) -> float | None:
    if value is None:
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def _checked(
    items: Iterable[CostCoefficient], where: str | None = None
) -> tuple[CostCoefficient, ...]:
    out = tuple(items)
    at = f" in {where}" if where else ""
    if not out:
        raise InputError(f"no cost coefficients given{at}", details={"option": "coefficients"})
    names = [c.var for c in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(
            f"coefficient(s) {', '.join(dup)} given twice{at}; give each variable once",
            details={"option": "coefficients"},
        )
    for c in out:
        if not math.isfinite(c.beta):
            raise InputError(
                f"coefficient {c.var!r} is not a finite number ({c.beta})",
                details={"option": "coefficients", "value": c.var},
            )
    return out


def _coefficients_file(path: Path) -> tuple[CostCoefficient, ...]:
    where = str(path)
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            rows = doc["coefficients"] if isinstance(doc, dict) else doc
            return _checked(
                (
                    CostCoefficient(
                        str(r.get("term", r.get("var"))),
                        float(r.get("estimate", r.get("beta"))),
                        _maybe(r.get("std_error", r.get("stderr"))),
                    )
                    for r in rows
                ),
                where,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SchemaError(
                f"cannot read coefficients from JSON: {exc}",
                path=where,
                expected='{"coefficients": [{"term", "estimate", "std_error"}]} as '
                "bilat potential gravity --json writes it",
            ) from None
    frame = read_table(path, what="coefficients file")
    names = {c.lower(): c for c in map(str, frame.columns)}
    var = names.get("var") or names.get("term") or names.get("variable")
    beta = names.get("beta") or names.get("estimate") or names.get("coefficient")
    se = names.get("stderr") or names.get("std_error") or names.get("se")
    if var is None or beta is None:
        raise SchemaError(
            f"no var and beta columns; found {', '.join(map(str, frame.columns))}",
            path=where,
            column="var" if var is None else "beta",
            expected="columns var, beta[, stderr] (or term, estimate[, std_error])",
        )
    betas = numeric_column(frame, beta, path=where)
    ses = numeric_column(frame, se, path=where) if se else None
    for i, b in enumerate(betas):
        if not math.isfinite(b):
            raise ValidationError(
                "beta must be a finite number",
                path=where,
                line=i + 2,
                column=beta,
                value=frame[beta].iloc[i],
                expected="a number such as -0.39",
            )
    return _checked(
        (
            CostCoefficient(
                str(frame[var].iloc[i]).strip(),
                float(betas.iloc[i]),
                None if ses is None else _maybe(ses.iloc[i]),
            )
            for i in range(len(frame))
        ),
        where,
    )


@dataclass(frozen=True, slots=True)
class CostChange:
    """A change to one cost variable for some pairs.

    Attributes
    ----------
    var
        The cost variable (a data column), or ``ad_valorem`` (an ad valorem trade-cost
        equivalent, applied on top of the others).
    operator
        ``"="`` (set), ``"+="`` (add) or ``"*="`` (multiply).
    value
        The number.
    pairs
        ``(exporter, importer)`` patterns; ``"*"`` matches every country (international
        pairs only: a wildcard never changes a domestic flow).
    text
        The change as written.
    share
        For ``ad_valorem`` only: the share of each pair's trade the cost applies to (a
        product-level cost in a one-sector model: ``t^(1-σ)`` times
        ``(1 - share) + share · (1+τ)^(1-σ)``); 1 is the whole flow.
    """

    var: str
    operator: str
    value: float
    pairs: tuple[tuple[str, str], ...]
    text: str
    share: float = 1.0


_CHANGE = re.compile(
    r"^\s*(?P<var>[A-Za-z_][A-Za-z0-9_.]*)\s*(?P<op>\+=|\*=|=)\s*(?P<value>[^@\s]+)\s*"
    r"@\s*(?P<pairs>.+?)\s*$"
)
_PAIR = re.compile(r"^(?P<a>[A-Za-z0-9_.]+|\*)\s*(?P<sep>-|~)\s*(?P<b>[A-Za-z0-9_.]+|\*)$")


def parse_change(text: str) -> CostChange:
    """Parse ``VAR=VALUE@PAIRS`` (also ``+=`` and ``*=``).

    ``PAIRS`` is a comma-separated list of ``EXP-IMP`` (one direction), ``A~B`` (both
    directions), with ``*`` for any country: ``pta=1@CAN-JPN,JPN-CAN``,
    ``rta=0@BLR~KAZ``, ``international=0@*-*``, ``ad_valorem=0.1@BLR-KAZ``.
    """
    m = _CHANGE.match(text or "")
    expected = (
        "VAR=VALUE@EXP-IMP[,EXP-IMP...] such as pta=1@CAN-JPN,JPN-CAN (A~B for both "
        "directions, * for any country, += to add, *= to multiply)"
    )
    if not m:
        raise InputError(
            f"cannot read the change {text!r}; expected {expected}",
            details={"option": "changes", "value": text, "expected": expected},
        )
    try:
        value = float(m["value"])
    except ValueError:
        raise InputError(
            f"the value {m['value']!r} in {text!r} is not a number; expected {expected}",
            details={"option": "changes", "value": text},
        ) from None
    pairs: list[tuple[str, str]] = []
    for part in m["pairs"].split(","):
        p = _PAIR.match(part.strip())
        if not p:
            raise InputError(
                f"cannot read the pair {part.strip()!r} in {text!r}; expected EXP-IMP "
                "(ISO3 codes, e.g. CAN-JPN), A~B for both directions or * for any",
                details={"option": "changes", "value": part.strip()},
            )
        a, b = p["a"].upper(), p["b"].upper()
        pairs.append((a, b))
        if p["sep"] == "~" and a != b:
            pairs.append((b, a))
    if m["var"] == AD_VALOREM and (m["op"] != "=" or value <= -1):
        raise InputError(
            f"{AD_VALOREM} takes '=' and a rate above -1 (0.1 for 10 %), not {text!r}",
            details={"option": "changes", "value": text},
        )
    return CostChange(m["var"], m["op"], value, tuple(dict.fromkeys(pairs)), text.strip())


@dataclass(frozen=True)
class GeWorld:
    """The baseline world of a scenario, as square arrays over ``countries`` (sorted).

    Attributes
    ----------
    countries
        ISO3 codes (or the data's country labels), sorted.
    year
        The year of the data (``None`` when it has no year column).
    trade
        Observed trade, exporters × importers (domestic flows on the diagonal).
    output, expenditure
        ``Y_i`` and ``E_j`` (the data's unit).
    output_source
        Where ``output`` and ``expenditure`` come from: the columns named, or ``"sums of
        trade"`` (``Y_i = Σ_j X_ij``, ``E_j = Σ_i X_ij``).
    variables
        Each cost variable as an exporters × importers array.
    """

    countries: tuple[str, ...]
    year: int | None
    trade: np.ndarray[Any, Any] = field(repr=False)
    output: np.ndarray[Any, Any] = field(repr=False)
    expenditure: np.ndarray[Any, Any] = field(repr=False)
    output_source: str
    variables: dict[str, np.ndarray[Any, Any]] = field(repr=False)
    where: str = "<data>"

    def index(self, code: str, *, option: str = "country") -> int:
        """Position of a country; ``InputError`` (naming ``option``) listing the countries
        when the data has no such country."""
        try:
            return self.countries.index(code.strip().upper())
        except ValueError:
            raise InputError(
                f"{option} names {code.strip().upper()}, which is not in the baseline data "
                f"({self.where}); countries: {', '.join(self.countries)}",
                details={"option": option, "value": code, "countries": list(self.countries)},
            ) from None


def _mapped(frame: pd.DataFrame, columns: Mapping[str, str] | None, where: str) -> pd.DataFrame:
    if not columns:
        return frame
    out = frame.copy()
    for role, col in columns.items():
        if role not in _ROLES:
            raise InputError(
                f"unknown column role {role!r}; roles are {', '.join(_ROLES)}",
                details={"option": "columns", "value": role},
            )
        if col not in frame.columns:
            raise SchemaError(
                f"no column {col!r} for {role}; found {', '.join(map(str, frame.columns))}",
                path=where,
                column=col,
                expected=f"a column to read as {role}",
            )
        out[role] = frame[col]
    return out


def _role(frame: pd.DataFrame, names: Sequence[str]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def ge_world(
    data: pd.DataFrame | str | Path,
    *,
    variables: Sequence[str],
    year: int | None = None,
    columns: Mapping[str, str] | None = None,
    where: str | None = None,
) -> GeWorld:
    """Build the square baseline from a table (see :func:`run_scenario` for the columns);
    ``where`` names a frame's file in messages.

    Raises ``SchemaError`` for a missing column, ``ValidationError`` for a bad value (with
    its line), ``InputError`` when pairs are missing or repeated, or the year is ambiguous.
    """
    where = str(data) if isinstance(data, str | Path) else (where or "<data>")
    raw = read_table(data, what="baseline data") if isinstance(data, str | Path) else data
    frame = _mapped(raw, columns, where)
    need = ["exporter", "importer", "trade", *(_column(frame, v) for v in variables)]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            path=where,
            column=missing[0],
            expected="exporter, importer, trade, the cost variables of the coefficients "
            "[, year, output (Y), expenditure (E)]; map other names with columns=",
        )
    frame, chosen = _one_year(frame, year, where)
    exp = frame["exporter"].astype(str).str.strip().str.upper().to_numpy()
    imp = frame["importer"].astype(str).str.strip().str.upper().to_numpy()
    countries = tuple(sorted(set(exp) | set(imp)))
    n = len(countries)
    if n < 2:
        raise InputError("the baseline needs at least two countries", details={"rows": len(frame)})
    pos = {c: k for k, c in enumerate(countries)}
    i = np.fromiter((pos[c] for c in exp), dtype="int64", count=len(exp))
    j = np.fromiter((pos[c] for c in imp), dtype="int64", count=len(imp))
    flat = i * n + j
    _square(flat, n, countries, frame, where)
    trade = _matrix(frame, "trade", i, j, n, where, nonnegative=True)
    mats = {v: _matrix(frame, _column(frame, v), i, j, n, where, log=v not in frame.columns)
            for v in variables}  # fmt: skip
    out_col, exp_col = _role(frame, _OUTPUT), _role(frame, _EXPENDITURE)
    if out_col and exp_col:
        output = _by_country(frame, out_col, i, n, countries, where)
        expenditure = _by_country(frame, exp_col, j, n, countries, where)
        source = f"columns {out_col} and {exp_col}"
    else:
        output, expenditure = trade.sum(axis=1), trade.sum(axis=0)
        source = "sums of trade (output = Σ exports incl. domestic; expenditure = Σ imports)"
        if not np.any(np.diag(trade) > 0):
            raise InputError(
                "the baseline has no output or expenditure columns and no domestic flows to "
                "sum them from; GE needs domestic trade (exporter == importer) or columns "
                "output (Y) and expenditure (E)",
                details={"path": where},
            )
    bad = [countries[k] for k in np.flatnonzero(~(output > 0) | ~(expenditure > 0))]
    if bad:
        raise InputError(
            f"output and expenditure must be positive; not so for {', '.join(bad[:5])}",
            details={"countries": bad},
        )
    return GeWorld(countries, chosen, trade, output, expenditure, source, mats, where)


def _one_year(frame: pd.DataFrame, year: int | None, where: str) -> tuple[pd.DataFrame, int | None]:
    if "year" not in frame.columns:
        return frame, year
    years = numeric_column(frame, "year", path=where)
    held = sorted({int(y) for y in years.dropna()})
    if year is None:
        if len(held) != 1:
            raise InputError(
                f"{where} holds several years ({', '.join(map(str, held))}); choose one with year=",
                details={"option": "year", "years": held},
            )
        year = held[0]
    if int(year) not in held:
        raise InputError(
            f"no rows of {year} in {where}; it holds {', '.join(map(str, held))}: choose one "
            "of those with year=",
            details={"year": year, "years": held},
        )
    return frame[(years == int(year)).to_numpy()].reset_index(drop=True), int(year)


def _square(
    flat: np.ndarray[Any, Any], n: int, countries: tuple[str, ...], frame: pd.DataFrame, where: str
) -> None:
    counts = np.bincount(flat, minlength=n * n)
    if (counts > 1).any():
        k = int(np.flatnonzero(counts > 1)[0])
        row = int(np.flatnonzero(flat == k)[1])
        raise ValidationError(
            f"{countries[k // n]} → {countries[k % n]} appears {int(counts[k])} times",
            path=where,
            line=row + 2,
            column="exporter,importer",
            value=f"{countries[k // n]},{countries[k % n]}",
            expected="one row per exporter–importer pair (aggregate products first)",
        )
    absent = np.flatnonzero(counts == 0)
    if absent.size:
        k = int(absent[0])
        raise InputError(
            f"{absent.size:,} of the {n * n:,} exporter–importer pairs of {n} countries are "
            f"missing in {where} (first: {countries[k // n]} → {countries[k % n]}); a GE "
            "baseline needs "
            "every pair, domestic flows (exporter == importer) included, with its cost "
            "variables (trade may be 0)",
            details={"missing": int(absent.size), "pairs": n * n},
        )


_LOG = re.compile(r"^(?:ln_(?P<a>.+)|log\((?P<b>[^()]+)\))$")


def variable_column(columns: Iterable[str], var: str) -> str | None:
    """The data column behind a cost variable: itself, or ``X`` for ``ln_X`` / ``log(X)``
    when the data has ``X`` but no column of the variable's own name; ``None`` when the
    data has neither."""
    names = set(map(str, columns))
    if var in names:
        return var
    m = _LOG.match(var)
    base = (m["a"] or m["b"]).strip() if m else None
    return base if base and base in names else None


def _column(frame: pd.DataFrame, var: str) -> str:
    return variable_column(frame.columns, var) or var


def _matrix(
    frame: pd.DataFrame,
    col: str,
    i: np.ndarray[Any, Any],
    j: np.ndarray[Any, Any],
    n: int,
    where: str,
    *,
    nonnegative: bool = False,
    log: bool = False,
) -> np.ndarray[Any, Any]:
    values = numeric_column(frame, col, path=where)
    arr = values.to_numpy(dtype="float64")
    bad = ~np.isfinite(arr) | ((arr < 0) if nonnegative else False) | ((arr <= 0) if log else False)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        what = "positive (its log is a cost variable)" if log else (
            "non-negative" if nonnegative else "finite")  # fmt: skip
        raise ValidationError(
            f"{col} must be a {what} number",
            path=where,
            line=row + 2,
            column=col,
            value=frame[col].iloc[row],
            expected="a number" + (" > 0" if log else " >= 0" if nonnegative else ""),
        )
    out = np.empty((n, n))
    out[i, j] = np.log(arr) if log else arr
    return out


def _by_country(
    frame: pd.DataFrame,
    col: str,
    k: np.ndarray[Any, Any],
    n: int,
    countries: tuple[str, ...],
    where: str,
) -> np.ndarray[Any, Any]:
    values = numeric_column(frame, col, path=where).to_numpy(dtype="float64")
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    np.minimum.at(lo, k, values)
    np.maximum.at(hi, k, values)
    varies = np.flatnonzero(~np.isclose(lo, hi, rtol=1e-9, atol=0.0))
    if varies.size:
        c = countries[int(varies[0])]
        raise ValidationError(
            f"{col} differs across the rows of {c} ({lo[varies[0]]:g} to {hi[varies[0]]:g})",
            path=where,
            column=col,
            value=c,
            expected=f"one {col} per country, repeated on each of its rows",
        )
    return lo


def parse_columns(text: str | None) -> dict[str, str] | None:
    """``"exporter=iso_o,importer=iso_d"`` → ``{"exporter": "iso_o", "importer": "iso_d"}``."""
    if not text:
        return None
    out: dict[str, str] = {}
    for part in text.split(","):
        role, sep, col = part.partition("=")
        if not sep or not role.strip() or not col.strip():
            raise InputError(
                f"cannot read {part.strip()!r} in the column map {text!r}; expected "
                "ROLE=COLUMN[,ROLE=COLUMN...] such as exporter=iso_o,importer=iso_d",
                details={"option": "columns", "value": text},
            )
        out[role.strip()] = col.strip()
    return out
