"""Indicators as written in ``agenda.yaml`` (an item's ``indicators:`` list): read and write.

An indicator is *measured* (``measure: {basket: NAME, direction: export}`` or
``{hs: CODE, direction: import}``: its actuals are read from the lake, never written here)
or *entered* (``actuals: [{period, value, source, note, by}]``, each with its source).
The checks are shared with ``Agenda.add_indicator`` and ``Agenda.record_actual``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from bilat.agenda import _checks as check
from bilat.agenda._periods import due_end
from bilat.errors import InputError

if TYPE_CHECKING:
    import yaml

    from bilat.agenda._yaml import Reader
    from bilat.codes.baskets import Basket

__all__ = [
    "DIRECTIONS",
    "EDIT_FIELDS",
    "ActualDoc",
    "IndicatorDoc",
    "check_measure",
    "number",
    "period",
    "read_indicators",
    "yaml_indicators",
]

#: The ``field`` of the edit-history rows an indicator's writes leave (added, edited or removed
#: indicator; an entered actual): records, not fields ``Agenda.edit`` changes.
EDIT_FIELDS = ("indicator", "indicator_actual")

#: ``export``: the dyad's first party to its second (A→B); ``import``: B→A.
DIRECTIONS = ("export", "import")
MEASURED_UNIT = "usd"

_REQUIRED = ("key", "name")
_OPTIONAL = (
    "unit",
    "measure",
    "actuals",
    "baseline",
    "baseline_period",
    "target",
    "target_period",
    "source",
    "note",
)


@dataclass(frozen=True, slots=True)
class ActualDoc:
    """An entered actual: ``value`` for ``period``, where it is reported, who entered it."""

    period: str
    value: float
    source: str
    note: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorDoc:
    """An indicator as written in ``agenda.yaml`` (see :mod:`bilat.agenda.indicators`)."""

    key: str
    name: str
    unit: str
    measure: Mapping[str, str] | None = None
    baseline: float | None = None
    baseline_period: str | None = None
    target: float | None = None
    target_period: str | None = None
    source: str | None = None
    note: str | None = None
    actuals: tuple[ActualDoc, ...] = ()


def number(value: object, *, field: str) -> float:
    """A finite number (negative allowed), from a number or its text."""
    try:
        text = str(value).strip().replace("_", "")
        out = float(text) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise check.bad(
            field, "not a number", value=value, expected="a number such as 1500"
        ) from None
    if not math.isfinite(out):
        raise check.bad(field, "must be a finite number", value=value)
    return out


def period(text: str, *, field: str) -> str:
    """A period as written: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` or ``YYYY-Hn``."""
    try:
        due_end(text)
    except InputError:
        raise check.bad(
            field,
            "bad period",
            value=text,
            expected="YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn",
        ) from None
    return text.strip()


def check_measure(
    measure: Mapping[str, Any], baskets: Mapping[str, Basket], *, field: str = "measure"
) -> dict[str, str]:
    """``{"basket": NAME}`` or ``{"hs": CODE}`` (normalised) with a ``direction``."""
    keys = set(measure)
    what = keys & {"basket", "hs"}
    extra = sorted(keys - {"basket", "hs", "direction"})
    if extra:
        raise check.bad(f"{field}.{extra[0]}", "unknown key", value=extra[0],
                        expected="basket or hs, and direction")  # fmt: skip
    if len(what) != 1:
        raise check.bad(
            field,
            "a measure names one basket or one HS code",
            expected="basket: NAME or hs: CODE",
            hint="an indicator without a measure is entered: give its actuals instead",
        )
    direction = check.text(measure.get("direction"))
    if direction not in DIRECTIONS:
        raise check.bad(
            f"{field}.direction",
            "the direction of the dyad's trade is required"
            if direction is None
            else "unknown direction of the dyad's trade",
            value=direction,
            expected="export (first party to second) or import (second to first)",
        )
    if "basket" in what:
        name = check.required(measure["basket"], f"{field}.basket")
        return {"basket": check.baskets([name], baskets, field=f"{field}.basket")[0],
                "direction": direction}  # fmt: skip
    code = check.required(measure["hs"], f"{field}.hs")
    return {"hs": check.hs_codes([code], field=f"{field}.hs")[0], "direction": direction}


# ---------------------------------------------------------------------------- agenda.yaml


def _at(r: Reader, node: yaml.Node, field: str, exc: InputError) -> NoReturn:
    d = exc.details
    r.fail(
        node,
        str(d.get("field") or field),
        check.file_parts(exc)[0],
        value=d.get("value"),
        expected=check.file_parts(exc)[1],
        hint=d.get("hint"),
    )


def _scalar(r: Reader, node: yaml.Node | None, f: str, fn: Callable[..., Any]) -> Any:
    text = r.text(node, f)
    if text is None or node is None:
        return None
    try:
        return fn(text, field=f)
    except InputError as exc:
        _at(r, node, f, exc)


def read_indicators(
    r: Reader, node: yaml.Node | None, f: str, baskets: Mapping[str, Basket]
) -> tuple[IndicatorDoc, ...]:
    """The ``indicators:`` list of an item (``f`` is its field, ``items[3].indicators``)."""
    out: list[IndicatorDoc] = []
    seen: dict[str, int] = {}
    for i, child in enumerate(r.sequence(node, f)):
        doc = _read_indicator(r, child, f"{f}[{i}]", baskets)
        if doc.key in seen:
            r.fail(child, f"{f}[{i}].key",
                   f"duplicate indicator key (first on line {seen[doc.key]})", value=doc.key)  # fmt: skip
        seen[doc.key] = child.start_mark.line + 1
        out.append(doc)
    return tuple(out)


def _read_indicator(
    r: Reader, node: yaml.Node, f: str, baskets: Mapping[str, Basket]
) -> IndicatorDoc:
    k = r.mapping(node, f, required=_REQUIRED, optional=_OPTIONAL)
    key = _scalar(r, k["key"], f"{f}.key", check.ident)
    measure = _read_measure(r, k.get("measure"), f"{f}.measure", baskets)
    unit = r.text(k.get("unit"), f"{f}.unit")
    if measure is not None:
        if unit not in (None, MEASURED_UNIT):
            r.fail(k["unit"], f"{f}.unit", "a measured indicator is in US dollars",
                   value=unit, expected=MEASURED_UNIT)  # fmt: skip
        if k.get("actuals") is not None and not r.is_null(k["actuals"]):
            r.fail(k["actuals"], f"{f}.actuals",
                   "a measured indicator's actuals are read from the lake, not written",
                   hint="remove `actuals:`, or remove `measure:` to enter the values")  # fmt: skip
        unit = MEASURED_UNIT
    elif unit is None:
        r.fail(node, f"{f}.unit", "an entered indicator needs a unit",
               expected="tonnes, units, usd, percent ...")  # fmt: skip
    return IndicatorDoc(
        key=key,
        name=r.required_text(k["name"], f"{f}.name", node),
        unit=unit,
        measure=measure,
        baseline=_scalar(r, k.get("baseline"), f"{f}.baseline", number),
        baseline_period=_scalar(r, k.get("baseline_period"), f"{f}.baseline_period", period),
        target=_scalar(r, k.get("target"), f"{f}.target", number),
        target_period=_scalar(r, k.get("target_period"), f"{f}.target_period", period),
        source=r.text(k.get("source"), f"{f}.source"),
        note=r.text(k.get("note"), f"{f}.note"),
        actuals=_read_actuals(r, k.get("actuals"), f"{f}.actuals"),
    )


def _read_measure(
    r: Reader, node: yaml.Node | None, f: str, baskets: Mapping[str, Basket]
) -> dict[str, str] | None:
    if node is None or r.is_null(node):
        return None
    k = r.mapping(node, f, optional=("basket", "hs", "direction"))
    values = {name: r.text(v, f"{f}.{name}") for name, v in k.items()}
    try:
        return check_measure(values, baskets, field=f)
    except InputError as exc:
        name = str(exc.details.get("field") or f).rsplit(".", 1)[-1]
        _at(r, k.get(name, node), f, exc)


def _read_actuals(r: Reader, node: yaml.Node | None, f: str) -> tuple[ActualDoc, ...]:
    out: list[ActualDoc] = []
    for i, child in enumerate(r.sequence(node, f)):
        g = f"{f}[{i}]"
        k = r.mapping(child, g, required=("period", "value", "source"), optional=("note", "by"))
        out.append(
            ActualDoc(
                period=_scalar(r, k["period"], f"{g}.period", period),
                value=_scalar(r, k["value"], f"{g}.value", number),
                source=r.required_text(k["source"], f"{g}.source", child),
                note=r.text(k.get("note"), f"{g}.note"),
                author=r.text(k.get("by"), f"{g}.by"),
            )
        )
    return tuple(out)


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def yaml_indicators(docs: tuple[IndicatorDoc, ...]) -> list[dict[str, Any]]:
    """The ``indicators:`` value of an item for ``agenda.yaml`` (keys in a fixed order)."""
    return [
        _drop_none(
            {
                "key": d.key,
                "name": d.name,
                "unit": d.unit,
                "measure": dict(d.measure) if d.measure is not None else None,
                "baseline": _num(d.baseline),
                "baseline_period": d.baseline_period,
                "target": _num(d.target),
                "target_period": d.target_period,
                "source": d.source,
                "note": d.note,
                "actuals": [
                    _drop_none(
                        {
                            "period": a.period,
                            "value": _num(a.value),
                            "source": a.source,
                            "note": a.note,
                            "by": a.author,
                        }
                    )
                    for a in d.actuals
                ],
            }
        )
        for d in docs
    ]
