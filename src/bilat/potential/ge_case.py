"""The GE scenarios a case names (``scenarios.yaml`` in the case folder), read and checked.

The file says which scenarios the briefing computes for the dyad, with which cost
coefficients, σ and baseline data::

    baseline: ge-baseline.csv     # optional: relative to the case folder
    year: 2021                    # optional: the baseline's year
    sigma: 5
    model: full                   # or gegravity
    coefficients:
      source: Yotov et al. (2016) ...
      values:
      - {var: ln_dist, beta: -0.7912879, stderr: 0.0501494}
    scenarios:
    - id: eaeu-removed
      title: The EAEU customs union between Belarus and Kazakhstan removed
      changes: ["rta=0@BLR~KAZ"]
    - id: machinery-tariff
      title: A 10 % tariff equivalent on Belarus's machinery exports to Kazakhstan
      changes: ["ad_valorem=0.1@BLR-KAZ"]
      products: ["84", "85"]      # the cost applies to these chapters' share of the flow

Every key is checked; a bad value is a ``ValidationError`` naming the file and line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilat import _yaml as safe_yaml
from bilat.errors import BilatError, ValidationError
from bilat.options import GeModel, choice
from bilat.potential.ge_inputs import CostCoefficient, parse_change, read_coefficients

__all__ = ["SCENARIOS_FILE", "ScenarioSet", "ScenarioSpec", "load_scenarios"]

#: The file of a case folder that names its GE scenarios.
SCENARIOS_FILE = "scenarios.yaml"

_TOP = {"baseline", "year", "sigma", "model", "reference_importer", "coefficients", "scenarios"}
_ITEM = {"id", "title", "changes", "products", "sigma", "note"}


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """One scenario: ``id``, ``title``, the ``changes`` (text), optional HS ``products`` whose
    share of the flow an ``ad_valorem`` change applies to, its own ``sigma`` (or ``None``),
    and a ``note`` shown with it."""

    id: str
    title: str
    changes: tuple[str, ...]
    products: tuple[str, ...] = ()
    sigma: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class ScenarioSet:
    """A case's scenarios and what they are computed with.

    ``baseline`` is the data file named by the case (resolved against its folder; ``None``
    when it names none), ``coefficients_source`` says where the coefficients come from.
    """

    path: Path
    baseline: Path | None
    year: int | None
    sigma: float
    model: str
    reference_importer: str | None
    coefficients: tuple[CostCoefficient, ...]
    coefficients_source: str
    scenarios: tuple[ScenarioSpec, ...]


def load_scenarios(path: str | Path) -> ScenarioSet:
    """Read a ``scenarios.yaml`` (or the one in a case folder)."""
    p = Path(path)
    p = p / SCENARIOS_FILE if p.is_dir() else p
    expected = "a mapping with coefficients and scenarios (layout in docs/potential.md)"
    root, data = safe_yaml.load(safe_yaml.read(p), path=p, expected=expected)

    def fail(
        keys: tuple[str | int, ...], message: str, value: object, want: str
    ) -> ValidationError:
        return ValidationError(message, path=p, line=safe_yaml.line_of(root, keys),
                               column=next((str(k) for k in reversed(keys) if isinstance(k, str)), None),
                               value=value, expected=want,
                               hint="Fix the scenarios file (layout in docs/potential.md)")  # fmt: skip

    if not isinstance(data, dict):
        raise fail((), "a scenarios file is a YAML mapping", type(data).__name__, expected)
    for key in data:
        if key not in _TOP:
            raise fail((key,), f"unknown key {key!r}", key, ", ".join(sorted(_TOP)))
    sigma = _sigma(data.get("sigma"), ("sigma",), fail)
    if sigma is None:
        raise fail(("sigma",), "sigma is required", None, "a number above 1, such as 5")
    try:
        model = choice(GeModel, data.get("model", "full"), "model")
    except BilatError as exc:
        raise fail(("model",), exc.message, data.get("model"), "full or gegravity") from None
    coefs, source = _coefficients(data.get("coefficients"), fail)
    items = data.get("scenarios")
    if not isinstance(items, list) or not items:
        raise fail(
            ("scenarios",), "scenarios must be a non-empty list", items, "a list of scenarios"
        )
    specs = tuple(_scenario(k, item, fail) for k, item in enumerate(items))
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise fail(("scenarios",), f"scenario id {dup!r} is used twice", dup, "unique ids")
    baseline = data.get("baseline")
    year = data.get("year")
    if year is not None and not isinstance(year, int):
        raise fail(("year",), "year must be a whole number", year, "a year such as 2021")
    ref = data.get("reference_importer")
    return ScenarioSet(
        path=p,
        baseline=None if baseline is None else (p.parent / str(baseline)),
        year=year,
        sigma=sigma,
        model=model,
        reference_importer=None if ref is None else str(ref).upper(),
        coefficients=coefs,
        coefficients_source=source,
        scenarios=specs,
    )


def _sigma(value: Any, keys: tuple[str | int, ...], fail: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 1:
        raise fail(keys, "sigma must be a number above 1", value, "a number such as 5")
    if not math.isfinite(float(value)):
        raise fail(keys, "sigma must be finite", value, "a number such as 5")
    return float(value)


def _coefficients(block: Any, fail: Any) -> tuple[tuple[CostCoefficient, ...], str]:
    want = "coefficients: {source: TEXT, values: [{var, beta, stderr}, ...]}"
    if not isinstance(block, dict) or not isinstance(block.get("values"), list):
        raise fail(
            ("coefficients",), "coefficients must name a source and list values", block, want
        )
    rows = []
    for k, row in enumerate(block["values"]):
        if not isinstance(row, dict) or not {"var", "beta"} <= set(row):
            raise fail(
                ("coefficients", "values", k), "each coefficient needs var and beta", row, want
            )
        beta, se = row["beta"], row.get("stderr")
        if isinstance(beta, bool) or not isinstance(beta, int | float):
            raise fail(("coefficients", "values", k, "beta"), "beta must be a number", beta, want)
        rows.append((str(row["var"]), float(beta), None if se is None else float(se)))
    try:
        coefs = read_coefficients(rows)
    except BilatError as exc:
        raise fail(("coefficients",), exc.message, None, want) from None
    source = str(block.get("source") or "")
    if not source:
        raise fail(("coefficients", "source"), "say where the coefficients come from", None,
                   "source: the estimation or publication")  # fmt: skip
    return coefs, source


def _scenario(k: int, item: Any, fail: Any) -> ScenarioSpec:
    at: tuple[str | int, ...] = ("scenarios", k)
    if not isinstance(item, dict):
        raise fail(at, "a scenario is a mapping", item, "id, title, changes")
    for key in item:
        if key not in _ITEM:
            raise fail((*at, key), f"unknown key {key!r}", key, ", ".join(sorted(_ITEM)))
    for key in ("id", "title", "changes"):
        if key not in item:
            raise fail(at, f"a scenario needs {key}", None, "id, title, changes")
    changes = item["changes"]
    if isinstance(changes, str):
        changes = [changes]
    if not isinstance(changes, list) or not changes:
        raise fail((*at, "changes"), "changes must be a list", changes, "such as [rta=0@BLR~KAZ]")
    for c in changes:
        try:
            parse_change(str(c))
        except BilatError as exc:
            raise fail((*at, "changes"), exc.message, c, "VAR=VALUE@PAIRS") from None
    products = item.get("products") or []
    if (
        not isinstance(products, list)
        or not all(str(x).isdigit() and len(str(x)) in (2, 4, 6) for x in products)
        or len({len(str(x)) for x in products}) > 1
    ):
        raise fail((*at, "products"), "products must be HS codes of one level", products,
                   'chapters such as ["84", "85"]')  # fmt: skip
    return ScenarioSpec(
        id=str(item["id"]),
        title=str(item["title"]),
        changes=tuple(str(c) for c in changes),
        products=tuple(str(x) for x in products),
        sigma=_sigma(item.get("sigma"), (*at, "sigma"), fail),
        note=None if item.get("note") is None else str(item["note"]),
    )
