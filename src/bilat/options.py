"""The vocabulary of options: every set of allowed values, named once, and one validator.

The command line (``typer`` reads the ``Literal`` aliases as choices), the web API (FastAPI
reads them as query types), the YAML readers and the library functions all take their
allowed values from here, and check a value with :func:`choice`, whose message lists them.

>>> choice(FlowDirection, "Export", "flow")
'export'
>>> choice(Level, "4", "level")
4
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from bilat.errors import InputError

__all__ = [
    "CLASSES",
    "CLOSED",
    "CLUSTERS",
    "DISTANCES",
    "EVENTS",
    "FLOW_DIRECTIONS",
    "GE_MODELS",
    "GRADES",
    "GRADE_SCORES",
    "KINDS",
    "LEVELS",
    "MARGIN_SPECS",
    "METHODS",
    "METRICS",
    "OPERATORS",
    "ORDERS",
    "PRESENCES",
    "PRODUCT_SORTS",
    "PROMISING_SORTS",
    "ROLES",
    "SEPARATIONS",
    "SMALL_SAMPLES",
    "STATUSES",
    "VCOVS",
    "BriefFormat",
    "Cluster",
    "ComplianceGrade",
    "Distance",
    "EventKind",
    "FlowDirection",
    "GeModel",
    "ItemKind",
    "Level",
    "MarginSpec",
    "Method",
    "Metric",
    "Operator",
    "Presence",
    "Preset",
    "ProductSort",
    "PromisingSort",
    "Role",
    "Separation",
    "SmallSample",
    "SortOrder",
    "SourceClass",
    "Status",
    "VcovKind",
    "allowed",
    "check_top",
    "check_year",
    "check_years",
    "choice",
    "parse_dyad",
    "parse_year_list",
    "parse_years",
]

# ------------------------------------------------------------------------------ trade

#: Which way goods move, seen from the first country: ``export`` A→B, ``import`` A←B.
FlowDirection = Literal["export", "import"]
FLOW_DIRECTIONS: tuple[str, ...] = get_args(FlowDirection)

#: HS aggregation levels a product table can be read at: chapter, heading, subheading.
Level = Literal[2, 4, 6]
LEVELS: tuple[int, ...] = get_args(Level)

#: What happened to a product between years: new, stopped, or back after a year's absence.
EventKind = Literal["appeared", "ceased", "resumed"]
EVENTS: tuple[str, ...] = get_args(EventKind)

#: Whose numbers a row is. ``reconciled``: a reconciled data set (BACI); ``national``: a
#: national-statistics file of flows; ``exporter``: the exporter's own declaration to UN
#: Comtrade; ``importer``: the importer's declaration (the mirror).
SourceClass = Literal["reconciled", "national", "exporter", "importer"]
CLASSES: tuple[str, ...] = get_args(SourceClass)

#: What a product listing can be sorted by.
ProductSort = Literal["rank", "product", "value_usd", "share_pct", "growth_pct"]
PRODUCT_SORTS: tuple[str, ...] = get_args(ProductSort)

#: Sort order: ascending or descending.
SortOrder = Literal["asc", "desc"]
ORDERS: tuple[str, ...] = get_args(SortOrder)

# ------------------------------------------------------------------------------ gravity

#: GeoDist distance measures: population-weighted, between main cities, between capitals,
#: population-weighted with a CES aggregation (theta = -1).
Distance = Literal["distw", "dist", "distcap", "distwces"]
DISTANCES: tuple[str, ...] = get_args(Distance)

#: CIF/FOB margin regressors (mirror reconciliation): BACI's (log distance and its square,
#: contiguity, landlocked exporter and importer, the product's world median unit value, year
#: effects; those the data allow), or the distance model (log distance and contiguity).
MarginSpec = Literal["baci", "distance"]
MARGIN_SPECS: tuple[str, ...] = get_args(MarginSpec)

#: Small-sample correction of clustered standard errors: fixest's default, or Stata's.
SmallSample = Literal["fixest", "stata"]
SMALL_SAMPLES: tuple[str, ...] = get_args(SmallSample)

#: Clusters of the standard errors: the unordered country pair, or the ordered pair (i, j).
Cluster = Literal["pair", "directed_pair"]
CLUSTERS: tuple[str, ...] = get_args(Cluster)

#: General-equilibrium model of a scenario: full endowment (the textbook's) or gegravity's.
GeModel = Literal["full", "gegravity"]
GE_MODELS: tuple[str, ...] = get_args(GeModel)

#: Estimator of a gravity equation: Poisson pseudo-maximum likelihood on trade in levels
#: (``pyfixest.fepois``), or least squares on log trade (``pyfixest.feols``).
Method = Literal["ppml", "ols"]
METHODS: tuple[str, ...] = get_args(Method)

#: Kinds of variance of the estimates (written ``hetero``, ``iid``, ``cluster:COL``,
#: ``twoway:COL1+COL2``, ``pair``, ``directed_pair``; see ``bilat.potential.spec``).
VcovKind = Literal["hetero", "iid", "cluster", "twoway", "pair", "directed_pair"]
VCOVS: tuple[str, ...] = get_args(VcovKind)

#: Separation checks before PPML: rows in fixed effects whose flows are all zero (``fe``),
#: the iterative rectifier of Correia, Guimarães & Zylkin (2021) for regressors (``ir``),
#: both (the default), or none.
Separation = Literal["both", "fe", "ir", "none"]
SEPARATIONS: tuple[str, ...] = get_args(Separation)

# ------------------------------------------------------------------------------ agenda

#: Kinds of agenda item, in the order a secretariat lists them.
ItemKind = Literal["decision", "project", "contract", "proposal", "area_of_interest"]
KINDS: tuple[str, ...] = get_args(ItemKind)

#: Statuses of an item, from first to last in a commitment's life.
Status = Literal["proposed", "agreed", "in_progress", "done", "dropped"]
STATUSES: tuple[str, ...] = get_args(Status)

#: Statuses after which an item can no longer be overdue.
CLOSED: frozenset[str] = frozenset({"done", "dropped"})

#: Compliance grades of an item as of a date, on the G20 Research Group's scale.
ComplianceGrade = Literal["full", "partial", "none", "too_early"]
GRADES: tuple[str, ...] = get_args(ComplianceGrade)

#: The score of each grade: +1, 0, −1; ``too_early`` has none (left out of averages).
GRADE_SCORES: dict[str, int | None] = {"full": 1, "partial": 0, "none": -1, "too_early": None}

# ------------------------------------------------------------------------------ claims

#: What a claim measures.
Metric = Literal[
    "turnover",
    "exports",
    "imports",
    "growth",
    "partner_rank",
    "basket_value",
    "basket_multiplier",
    "product_resumed",
]
METRICS: tuple[str, ...] = get_args(Metric)

#: How a claim compares its measured value with the stated one.
Operator = Literal[">", ">=", "<", "<=", "approximately"]
OPERATORS: tuple[str, ...] = get_args(Operator)

#: How economic complexity tells that a country exports a product (``M = 1``): Balassa's
#: RCA, or RPOP (exports per head relative to the world's), at or above the threshold.
Presence = Literal["rca", "rpop"]
PRESENCES: tuple[str, ...] = get_args(Presence)

#: How promising products are ranked: the market's imports, their growth, the exporter's
#: density, the complexity outlook gain, or the product's complexity.
PromisingSort = Literal["imports", "growth", "density", "cog", "pci"]
PROMISING_SORTS: tuple[str, ...] = get_args(PromisingSort)

# ------------------------------------------------------------------------------ fronts

#: What a web user may do: ``viewer`` reads, ``editor`` also changes the agenda, ``admin``
#: also manages users and uploads data to ingest.
Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

#: The briefing's two renderings.
BriefFormat = Literal["html", "json"]

#: The sample world's sizes: the demo, or the benchmark world.
Preset = Literal["demo", "benchmark"]

# ------------------------------------------------------------------------------ checks


def allowed(alias: Any) -> tuple[Any, ...]:
    """The values a ``Literal`` alias allows, in their order (a tuple passes through)."""
    return tuple(alias) if isinstance(alias, tuple | list) else get_args(alias)


def _norm(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def choice(alias: Any, value: object, name: str) -> Any:
    """``value`` as one of the values ``alias`` allows, or an :class:`InputError` listing them.

    Text is matched without regard to case, surrounding blanks, or blanks and hyphens written
    for underscores (``"In progress"`` is ``in_progress``); integer choices accept their digits
    (``"4"`` is ``4``). ``name`` is the option's name as the caller knows it.
    """
    values = allowed(alias)
    if value in values and not isinstance(value, bool):
        return value
    if all(isinstance(v, int) for v in values):
        text = str(value).strip()
        if text.lstrip("-").isdigit() and int(text) in values:
            return int(text)
    elif isinstance(value, str):
        wanted = _norm(value)
        for v in values:
            if _norm(str(v)) == wanted:
                return v
    listed = ", ".join(str(v) for v in values)
    raise InputError(
        f"{name} must be one of {listed}, not {value!r}",
        details={"option": name, "value": str(value), "expected": list(values)},
    )


#: Years an option may name.
FIRST_YEAR, LAST_YEAR = 1950, 2100


def check_year(year: int | str, *, name: str = "year") -> int:
    """Validate a year (an integer between 1950 and 2100)."""
    text = str(year).strip()
    value = int(text) if text.isdigit() and not isinstance(year, bool) else -1
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise InputError(
            f"{name} must be a year between {FIRST_YEAR} and {LAST_YEAR}, not {year!r}",
            details={"option": name, "value": str(year), "expected": "a year such as 2021"},
        )
    return value


def check_years(start: int | str, end: int | str) -> tuple[int, int]:
    """Validate a year range; ``start`` must not come after ``end``."""
    first, last = check_year(start, name="start"), check_year(end, name="end")
    if first > last:
        raise InputError(
            f"the years {first}-{last} are an empty range: the first must not come after the last",
            details={"value": f"{first}-{last}", "expected": "first <= last"},
        )
    return first, last


def parse_years(text: str, *, name: str = "years") -> tuple[int, int]:
    """``"2017-2023"`` → ``(2017, 2023)``; ``"2021"`` → ``(2021, 2021)``."""
    raw = str(text).strip()
    parts = [p.strip() for p in re.split(r"\s*(?:-|–|\.\.|:)\s*", raw)] if raw else []
    if len(parts) == 1:
        year = check_year(parts[0], name=name)
        return year, year
    if len(parts) != 2:
        raise InputError(
            f"{name} must be a year or a range such as 2017-2023, not {text!r}",
            details={"option": name, "value": raw, "expected": "YEAR or FIRST-LAST"},
        )
    return check_years(*parts)


def parse_year_list(text: str, *, name: str = "years") -> tuple[int, ...]:
    """``"2017-2023"`` → 2017 … 2023; ``"2017,2019"`` → (2017, 2019); ranges and years mixed."""
    years: set[int] = set()
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        first, last = parse_years(part, name=name)
        years.update(range(first, last + 1))
    if not years:
        raise InputError(
            f"{name} must be years such as 2017-2023 or 2017,2019, not {text!r}",
            details={"option": name, "value": str(text), "expected": "FIRST-LAST or Y1,Y2"},
        )
    return tuple(sorted(years))


def parse_dyad(text: str, *, name: str = "dyad") -> tuple[str, str]:
    """``"DEU,FRA"`` (or ``DEU-FRA``, ``DEU FRA``) → ``("DEU", "FRA")``."""
    parts = [p for p in re.split(r"[\s,;/-]+", str(text).strip()) if p]
    if len(parts) != 2:
        raise InputError(
            f"{name} must be two country codes such as DEU,FRA, not {text!r}",
            details={"option": name, "value": str(text), "expected": "A,B"},
        )
    return parts[0].upper(), parts[1].upper()


def check_top(top: int | None, *, name: str = "top") -> int | None:
    """Validate a row limit (a positive integer, or ``None`` for all rows)."""
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputError(
            f"{name} must be a positive integer, not {top!r}",
            details={"option": name, "value": str(top), "expected": "an integer >= 1"},
        )
    return top
