"""Claims as data: what a ``claims.yaml`` file holds, and how it is read and validated.

A claim is an official statement about a dyad ("turnover exceeded one billion dollars in
2021") written so a machine can check it: the statement in words, who said it and when, the
metric and its parameters, the comparison, and every assumption needed to make it
checkable. The layout is described in ``docs/claims.md``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bilat import _yaml as safe_yaml
from bilat import formats
from bilat.cases import resolve_case
from bilat.claims._values import read_date as _date
from bilat.claims._values import read_number as _number
from bilat.claims._values import read_text as _text
from bilat.claims._values import read_year as _year
from bilat.codes.baskets import load_baskets
from bilat.codes.countries import to_iso3
from bilat.errors import BilatError, NotFoundError, SchemaError, ValidationError
from bilat.options import FLOW_DIRECTIONS, METRICS, OPERATORS, Metric, Operator

if TYPE_CHECKING:
    from bilat.claims.published import PublishedFigure

__all__ = [
    "CLAIMS_FILE",
    "METRICS",
    "OPERATORS",
    "SCHEMA_TAG",
    "UNITS",
    "Band",
    "Claim",
    "ClaimSet",
    "Comparison",
    "Grade",
    "Metric",
    "Operator",
    "claims_path",
    "format_difference",
    "format_value",
    "load_claims",
    "precision_step",
    "resolve_case",
]

#: The file name of a case's claims.
CLAIMS_FILE = "claims.yaml"
#: The ``schema:`` tag a claims file carries.
SCHEMA_TAG = "bilat-claims/1"


#: The unit of each metric's measured value.
UNITS: dict[str, str] = {
    "turnover": "usd",
    "exports": "usd",
    "imports": "usd",
    "growth": "pct",
    "partner_rank": "rank",
    "basket_value": "usd",
    "basket_multiplier": "multiplier",
    "product_resumed": "usd",
}

#: Parameters each metric needs (besides ``year``, which all need).
_NEEDS: dict[str, tuple[str, ...]] = {
    "partner_rank": ("reporter",),
    "basket_value": ("basket",),
    "basket_multiplier": ("basket", "from"),
    "product_resumed": ("basket",),
}
_PARAMS = frozenset(
    {"year", "from", "basket", "direction", "measure", "reporter", "flow", "min_value_usd"}
)
_KEYS = frozenset(
    {
        "id",
        "statement",
        "said_by",
        "said_on",
        "source",
        "metric",
        "params",
        "compare",
        "assumptions",
        "accept_mirror",
        "note",
    }
)


#: The grades a comparison gives, best first (``undetermined`` is the check's, not the
#: comparison's: it is given when the data cannot decide).
Grade = Literal["supported", "supported within tolerance", "roughly", "contradicted"]


@dataclass(frozen=True, slots=True)
class Band:
    """How far a measured value may miss the stated one and still earn a grade.

    Attributes
    ----------
    amount
        The width in the metric's unit, or a percentage of the stated value when
        ``relative`` (``"5%"`` in the file).
    relative
        True for a width relative to the stated value.
    """

    amount: float
    relative: bool = False

    def width(self, stated: float) -> float:
        """The band's width in the metric's unit, for the stated value ``stated``."""
        return abs(stated) * self.amount / 100 if self.relative else self.amount

    def text(self, unit: str, stated: float) -> str:
        """``5 percentage points``, ``10% of the stated value ($100M)``."""
        width = format_difference(self.width(stated), unit)
        if self.relative:
            return f"{formats.number(self.amount)}% of the stated value ({width})"
        return width


def format_difference(diff: float, unit: str) -> str:
    """A difference in the metric's unit, through :mod:`bilat.formats`: ``5 percentage
    points``, ``0.1`` (multipliers), ``$400M``, ``2``.

    A percentage difference below 1 that one decimal would round (half a step, 0.05) keeps
    its two significant digits.
    """
    if unit == "pct":
        small = diff != 0 and abs(diff) < 1 and round(diff, 1) != diff
        digits = 1 - math.floor(math.log10(abs(diff))) if small else 1
        return f"{formats.number(diff, digits=digits)} percentage points"
    if unit == "multiplier":
        return formats.number(diff)
    return format_value(diff, unit)


def _within(miss: float, width: float | None) -> bool:
    """``miss <= width``, where a difference written as ``width`` but off in the last bit
    of a float (33.3 - 28.3 = 5.000000000000002) still counts as ``width``."""
    if width is None:
        return False
    return miss <= width or math.isclose(miss, width, rel_tol=1e-9, abs_tol=1e-12)


def precision_step(value: float) -> float:
    """The step of the last digit written in ``value``: 33.3 → 0.1, 1200000000 → 1e8, 5 → 1.

    A fractional value is precise to its last decimal (as Python writes it, the shortest
    form that reads back the same); a whole one to its last non-zero digit, so
    ``1000000000`` ("one billion") is precise to the billion.
    """
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, exp = text.lower().split("e")
        decimals = len(mantissa.split(".")[1].rstrip("0")) if "." in mantissa else 0
        return float(10.0 ** (int(exp) - decimals))
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if frac:
        return float(10.0 ** -len(frac))
    digits = whole.lstrip("-")
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return float(10.0**zeros)


@dataclass(frozen=True, slots=True)
class Comparison:
    """How the measured value is compared with the stated one, and graded.

    Attributes
    ----------
    op
        ``>``, ``>=``, ``<``, ``<=`` or ``approximately``.
    value
        The stated value, in the metric's unit (US dollars, percent, rank, multiplier).
    tolerance
        How far the measured value may miss and still read *supported within tolerance*
        (a :class:`Band`, or a number in the metric's unit). ``approximately`` needs one:
        ``value=33.3, tolerance=5`` accepts 28.3 to 38.3.
    roughly
        A wider band (at least the tolerance): a miss within it reads *roughly*.
    """

    op: Operator
    value: float
    tolerance: Band | float | None = None
    roughly: Band | float | None = None

    def _width(self, band: Band | float | None) -> float | None:
        if band is None:
            return None
        return band.width(self.value) if isinstance(band, Band) else float(band)

    def holds(self, measured: float) -> bool:
        """Whether ``measured`` satisfies the comparison (``approximately``: within tolerance)."""
        if self.op == "approximately":
            return _within(self.miss(measured), self._width(self.tolerance) or 0.0)
        return self._strict(measured)

    def _strict(self, measured: float) -> bool:
        if self.op == ">":
            return measured > self.value
        if self.op == ">=":
            return measured >= self.value
        if self.op == "<":
            return measured < self.value
        return measured <= self.value

    def miss(self, measured: float) -> float:
        """How far ``measured`` is from meeting the statement (0 when an inequality holds;
        for ``approximately`` the distance from the stated value)."""
        if self.op == "approximately":
            return abs(measured - self.value)
        if self._strict(measured):
            return 0.0
        return abs(measured - self.value)

    def exact_width(self) -> float:
        """``approximately``: how far a value may be and still *equal* the stated one: half
        the step of its last digit (:func:`precision_step`), never more than the tolerance."""
        half = precision_step(self.value) / 2
        tolerance = self._width(self.tolerance)
        return half if tolerance is None else min(half, tolerance)

    def grade(self, measured: float) -> Grade:
        """The grade of ``measured``: the best rung of the ladder it reaches.

        An inequality that holds, or an ``approximately`` equal to the stated value at the
        stated value's own precision (:meth:`exact_width`), is *supported*; a miss within
        the tolerance *supported within tolerance*; within the roughly band *roughly*; else
        *contradicted*. Without bands an inequality is supported or contradicted.
        """
        miss = self.miss(measured)
        if self.op == "approximately":
            if _within(miss, self.exact_width()):
                return "supported"
        elif self._strict(measured):
            return "supported"
        if _within(miss, self._width(self.tolerance)):
            return "supported within tolerance"
        if _within(miss, self._width(self.roughly)):
            return "roughly"
        return "contradicted"

    def band_text(self, band: Band | float | None, unit: str) -> str:
        """A band in words (``5.0 percentage points``), for reasons."""
        if band is None:
            return "none"
        b = band if isinstance(band, Band) else Band(float(band))
        return b.text(unit, self.value)

    def text(self, unit: str) -> str:
        """``"> $1B"``, ``"≈ 33.3% (± 5 percentage points)"``,
        ``">= ×2.0 (tolerance 0.1; roughly 0.3)"``."""
        value = format_value(self.value, unit)
        sign = "± " if self.op == "approximately" else ""
        bands = []
        if self.tolerance is not None:
            word = "" if sign else "tolerance "
            bands.append(f"{word}{sign}{self.band_text(self.tolerance, unit)}")
        if self.roughly is not None:
            bands.append(f"roughly {sign}{self.band_text(self.roughly, unit)}")
        head = f"≈ {value}" if sign else f"{self.op} {value}"
        return f"{head} ({'; '.join(bands)})" if bands else head


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit, for sentences, through :mod:`bilat.formats`: ``$22.7M``,
    ``31.2%``, ``×2.0``, ``5``; nothing as ``no value``."""
    if value is None or not math.isfinite(value):
        return "no value"
    if unit == "usd":
        return formats.money(value)
    if unit == "pct":
        return formats.percent(value)
    if unit == "multiplier":
        return formats.multiplier(value)
    return formats.number(value)


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement about a dyad, made checkable.

    Attributes
    ----------
    id
        Identifier, unique in its file.
    statement
        The statement in words (paraphrased, with its source).
    said_by, said_on, source
        Who made it, on which day, and where it is reported.
    metric
        What is measured (see :data:`METRICS`).
    year
        The year measured (for ``basket_multiplier``: the later year).
    base_year
        ``basket_multiplier`` only: the earlier year the multiplier compares with.
    basket
        Basket name for the basket metrics.
    direction
        ``export`` (A→B, the first side's exports) or ``import`` (A←B) for basket metrics.
    measure
        ``growth`` only: ``turnover``, ``exports`` or ``imports``.
    reporter
        ``partner_rank`` only: the side (ISO3) whose partners are ranked; the other side is
        the partner whose rank is measured.
    flow
        ``partner_rank`` only: ``export`` (destinations) or ``import`` (origins).
    min_value_usd
        ``product_resumed`` only: a value below this counts as no supply (default 0).
    comparison
        The comparison; ``None`` for ``product_resumed``, whose rule is fixed.
    accept_mirror
        Accept figures resting only on the importer's mirror declaration (default false:
        such a claim is undetermined, with the value shown).
    assumptions
        What had to be assumed to make the statement checkable, in words.
    note
        Free text.
    line
        Line of the claim in its file (for messages).
    """

    id: str
    statement: str
    said_by: str | None
    said_on: dt.date | None
    source: str | None
    metric: Metric
    year: int
    base_year: int | None = None
    basket: str | None = None
    direction: str = "export"
    measure: str = "turnover"
    reporter: str | None = None
    flow: str = "export"
    min_value_usd: float = 0.0
    comparison: Comparison | None = None
    accept_mirror: bool = False
    assumptions: tuple[str, ...] = ()
    note: str | None = None
    line: int | None = None

    @property
    def unit(self) -> str:
        """The unit of the measured value: ``usd``, ``pct``, ``rank`` or ``multiplier``."""
        return UNITS[self.metric]

    def expected(self) -> str:
        """What the claim states, as a comparison text."""
        if self.comparison is None:
            return "supplies in the year after none the year before"
        return self.comparison.text(self.unit)

    def params(self) -> dict[str, Any]:
        """The metric's parameters as plain data."""
        out: dict[str, Any] = {"year": self.year}
        if self.base_year is not None:
            out["from"] = self.base_year
        if self.metric in ("basket_value", "basket_multiplier", "product_resumed"):
            out["basket"] = self.basket
            out["direction"] = self.direction
        if self.metric == "growth":
            out["measure"] = self.measure
        if self.metric == "partner_rank":
            out["reporter"] = self.reporter
            out["flow"] = self.flow
        if self.metric == "product_resumed":
            out["min_value_usd"] = self.min_value_usd
        return out


@dataclass(frozen=True, slots=True)
class ClaimSet:
    """The claims of one file, about one dyad.

    Attributes
    ----------
    a, b
        The dyad (ISO3); exports are A→B.
    claims
        The claims, in file order.
    path
        The file read.
    published
        Official figures of the case (``published:``; see :mod:`bilat.claims.published`).
    """

    a: str
    b: str
    claims: tuple[Claim, ...]
    path: str | None = None
    published: tuple[PublishedFigure, ...] = ()


# --------------------------------------------------------------------------- reading


class _Reader:
    """Values and line numbers of a YAML document, for messages that name the line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.root, self.data = safe_yaml.load(
            text, path=path, expected="a YAML mapping with 'schema', 'dyad' and 'claims'"
        )
        _refuse_duplicate_keys(path, self.root)

    def line(self, *keys: str | int) -> int | None:
        return safe_yaml.line_of(self.root, keys)

    def fail(
        self, keys: tuple[str | int, ...], message: str, value: object, expected: str
    ) -> ValidationError:
        column = str(keys[-1]) if keys and isinstance(keys[-1], str) else None
        return ValidationError(
            message,
            path=self.path,
            line=self.line(*keys),
            column=column,
            value=value,
            expected=expected,
            hint="Fix the claims file (layout in docs/claims.md)",
        )


def _refuse_duplicate_keys(path: Path, root: Any) -> None:
    """A key written twice in one mapping is an error: YAML would keep the last silently."""
    import yaml

    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[str, int] = {}
        for key, value in node.value:
            stack.append(value)
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                raise ValidationError(
                    f"the key is written twice in one entry (first on line {seen[key.value]})",
                    path=path,
                    line=key.start_mark.line + 1,
                    column=key.value,
                    value=key.value,
                    expected="each key once per entry",
                    hint="Keep one of the two lines",
                )
            seen[key.value] = key.start_mark.line + 1


def claims_path(case: str | Path) -> Path:
    """The claims file of a case folder (or the file itself when ``case`` is a file)."""
    p = Path(case)
    return p / CLAIMS_FILE if p.is_dir() else p


def load_claims(case: str | Path, *, dyad: tuple[str, str] | None = None) -> ClaimSet:
    """Read and validate the claims of a case folder (its ``claims.yaml``) or a claims file.

    Parameters
    ----------
    case
        A case folder or a claims YAML file.
    dyad
        The dyad when the file does not name one (``dyad:``); else the case's ``case.yaml``
        ``dyad`` is used.

    Raises
    ------
    NotFoundError
        No claims file there.
    ParseError, SchemaError, ValidationError
        The file does not read or breaks a rule; the message names the file, line and key.
    """
    path = claims_path(resolve_case(case))
    if not path.is_file():
        raise NotFoundError(
            f"no claims file at {str(path)!r}: a case folder holds its claims in {CLAIMS_FILE} "
            "(see docs/claims.md)",
            details={"path": str(path)},
        )
    r = _Reader(path, safe_yaml.read(path))
    if not isinstance(r.data, Mapping):
        raise SchemaError(
            "a claims file is a YAML mapping", path=path, line=1, expected="schema, dyad, claims"
        )
    tag = r.data.get("schema", SCHEMA_TAG)
    if tag != SCHEMA_TAG:
        raise r.fail(("schema",), "unknown claims file schema", tag, repr(SCHEMA_TAG))
    a, b = _dyad(r, path, dyad)
    items = r.data.get("claims")
    if not isinstance(items, list) or not items:
        raise SchemaError(
            "the file has no claims",
            path=path,
            line=r.line("claims"),
            column="claims",
            expected="a list of claims under 'claims:'",
        )
    baskets = set(load_baskets())
    claims = tuple(_claim(r, i, item, (a, b), baskets) for i, item in enumerate(items))
    seen: dict[str, int] = {}
    for i, c in enumerate(claims):
        if c.id in seen:
            raise r.fail(("claims", i, "id"), "duplicate claim id", c.id, "ids unique in the file")
        seen[c.id] = i
    from bilat.claims.published import read_published

    published = read_published(r, r.data.get("published"), (a, b))
    return ClaimSet(a, b, claims, str(path), published)


def _dyad(r: _Reader, path: Path, given: tuple[str, str] | None) -> tuple[str, str]:
    raw: Any = r.data.get("dyad")
    keys: tuple[str | int, ...] = ("dyad",)
    if raw is None and given is not None:
        raw = list(given)
    if raw is None:
        case_file = path.parent / "case.yaml"
        if case_file.is_file():
            _, case = safe_yaml.load(safe_yaml.read(case_file), path=case_file)
            raw = case.get("dyad") if isinstance(case, Mapping) else None
    if not isinstance(raw, list) or len(raw) != 2:
        raise r.fail(keys, "the dyad is missing or not two countries", raw, "dyad: [BLR, KAZ]")
    try:
        a, b = (to_iso3(str(x)) for x in raw)
    except BilatError as exc:
        raise r.fail(keys, f"unknown country in the dyad ({exc.message})", raw, "ISO3") from None
    if a == b:
        raise r.fail(keys, "the two sides of the dyad are the same", raw, "two countries")
    return a, b


def _metric(r: _Reader, at: tuple[str | int, ...], item: Any) -> Metric:
    """The claim's metric, once its keys are known and its required texts present."""
    if not isinstance(item, Mapping):
        raise r.fail(at, "a claim is a mapping", item, "id, statement, metric, params ...")
    unknown = sorted(set(map(str, item)) - _KEYS)
    if unknown:
        raise r.fail(
            (*at, unknown[0]), "unknown key", unknown[0], "one of " + ", ".join(sorted(_KEYS))
        )
    for key in ("id", "statement", "metric"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise r.fail((*at, key), f"'{key}' is required text", item.get(key), "text")
    metric: Metric = item["metric"]
    if metric not in METRICS:
        raise r.fail((*at, "metric"), "unknown metric", metric, f"one of {', '.join(METRICS)}")
    return metric


def _params(r: _Reader, at: tuple[str | int, ...], item: Any, metric: str) -> Mapping[str, Any]:
    """The claim's ``params``: known names only, and every one ``metric`` needs."""
    params = item.get("params") or {}
    if not isinstance(params, Mapping):
        raise r.fail((*at, "params"), "'params' is a mapping", params, "year: 2021 ...")
    bad = sorted(set(map(str, params)) - _PARAMS)
    if bad:
        raise r.fail(
            (*at, "params", bad[0]),
            "unknown parameter",
            bad[0],
            "one of " + ", ".join(sorted(_PARAMS)),
        )
    for need in ("year", *_NEEDS.get(metric, ())):
        if need not in params:
            raise r.fail((*at, "params"), f"metric {metric} needs '{need}'", None, need)
    return params


def _claim(r: _Reader, i: int, item: Any, dyad: tuple[str, str], baskets: set[str]) -> Claim:
    at: tuple[str | int, ...] = ("claims", i)
    metric = _metric(r, at, item)
    params = _params(r, at, item, metric)
    year = _year(r, (*at, "params", "year"), params["year"])
    base = _year(r, (*at, "params", "from"), params["from"]) if "from" in params else None
    if base is not None and base >= year:
        raise r.fail((*at, "params", "from"), "'from' must be before 'year'", base, f"< {year}")
    basket = params.get("basket")
    if basket is not None and basket not in baskets:
        raise r.fail(
            (*at, "params", "basket"),
            "unknown basket",
            basket,
            "one of " + ", ".join(sorted(baskets)),
        )
    direction = _choice(r, (*at, "params", "direction"), params.get("direction", "export"))
    flow = _choice(r, (*at, "params", "flow"), params.get("flow", "export"))
    measure = params.get("measure", "turnover")
    if measure not in ("turnover", "exports", "imports"):
        raise r.fail(
            (*at, "params", "measure"), "unknown measure", measure, "turnover|exports|imports"
        )
    reporter = _reporter(r, (*at, "params", "reporter"), params.get("reporter"), dyad)
    comparison = _comparison(r, at, item.get("compare"), metric)
    return Claim(
        id=item["id"],
        statement=" ".join(item["statement"].split()),
        said_by=_text(r, (*at, "said_by"), item.get("said_by")),
        said_on=_date(r, (*at, "said_on"), item.get("said_on")),
        source=_text(r, (*at, "source"), item.get("source")),
        metric=metric,
        year=year,
        base_year=base,
        basket=basket,
        direction=direction,
        measure=measure,
        reporter=reporter,
        flow=flow,
        min_value_usd=_number(r, (*at, "params", "min_value_usd"), params.get("min_value_usd", 0)),
        comparison=comparison,
        accept_mirror=bool(item.get("accept_mirror", False)),
        assumptions=_assumptions(r, (*at, "assumptions"), item.get("assumptions")),
        note=_text(r, (*at, "note"), item.get("note")),
        line=r.line(*at),
    )


def _choice(r: _Reader, keys: tuple[str | int, ...], value: Any) -> str:
    if value not in FLOW_DIRECTIONS:
        raise r.fail(keys, "unknown direction", value, " or ".join(FLOW_DIRECTIONS))
    return str(value)


def _reporter(
    r: _Reader, keys: tuple[str | int, ...], value: Any, dyad: tuple[str, str]
) -> str | None:
    if value is None:
        return None
    try:
        code = to_iso3(str(value))
    except BilatError:
        code = str(value)
    if code not in dyad:
        raise r.fail(keys, "the reporter must be one side of the dyad", value, " or ".join(dyad))
    return code


def _assumptions(r: _Reader, keys: tuple[str | int, ...], value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.fail(keys, "assumptions are a list of sentences", value, "a list of text")
    return tuple(" ".join(v.split()) for v in value)


def _comparison(r: _Reader, at: tuple[str | int, ...], raw: Any, metric: str) -> Comparison | None:
    keys = (*at, "compare")
    if metric == "product_resumed":
        if raw is not None:
            raise r.fail(
                keys, "product_resumed has a fixed rule and takes no 'compare'", raw, "no compare"
            )
        return None
    if not isinstance(raw, Mapping):
        raise r.fail(keys, "'compare' is required", raw, "compare: {op: '>', value: ...}")
    op = raw.get("op")
    if op not in OPERATORS:
        raise r.fail((*keys, "op"), "unknown comparison", op, f"one of {', '.join(OPERATORS)}")
    value = _number(r, (*keys, "value"), raw.get("value"))
    extra = sorted(set(map(str, raw)) - {"op", "value", "tolerance", "roughly"})
    if extra:
        raise r.fail((*keys, extra[0]), "unknown key", extra[0], "op, value, tolerance, roughly")
    tolerance = _band(r, (*keys, "tolerance"), raw.get("tolerance"), value)
    if op == "approximately" and tolerance is None:
        raise r.fail(
            (*keys, "tolerance"),
            "'approximately' needs a tolerance",
            None,
            _BAND_EXPECTED,
        )
    roughly = _band(r, (*keys, "roughly"), raw.get("roughly"), value)
    if (
        roughly is not None
        and tolerance is not None
        and roughly.width(value) < tolerance.width(value)
    ):
        raise r.fail(
            (*keys, "roughly"),
            f"'roughly' is narrower than the tolerance ({formats.number(tolerance.width(value))})",
            raw.get("roughly"),
            "a band at least as wide as the tolerance",
        )
    return Comparison(op, value, tolerance, roughly)


_BAND_EXPECTED = (
    'a number >= 0 in the metric\'s unit, or a percentage of the stated value such as "5%"'
)
_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)%")


def _band(r: _Reader, keys: tuple[str | int, ...], raw: Any, stated: float) -> Band | None:
    """A ``tolerance`` or ``roughly``: a number in the metric's unit, or ``"5%"``."""
    if raw is None:
        return None
    if isinstance(raw, str):
        m = _RELATIVE.fullmatch(raw)
        if m is None:
            raise r.fail(keys, "not a band", raw, _BAND_EXPECTED)
        if stated == 0:
            raise r.fail(keys, "a percentage of a stated value of 0 is no band", raw, "a number")
        return Band(float(m.group(1)), relative=True)
    amount = _number(r, keys, raw)
    if amount < 0:
        raise r.fail(keys, "negative band", raw, _BAND_EXPECTED)
    return Band(amount)
