"""The briefing's scenario section: what a case's GE scenarios do to the dyad.

For each scenario the case names (``scenarios.yaml``, :mod:`bilat.potential.ge_case`), the
section solves the general-equilibrium model (:func:`bilat.potential.run_scenario`) and
shows the change in A→B and B→A trade and in each side's real GDP and welfare, with the
method, σ and the caveats in plain words. The baseline data (every pair of one year,
domestic flows included) is, in order: the one given to :func:`scenario_section`, the file
named by ``BILAT_GE_BASELINE``, the file the case names; for a lake of generated sample data
with none of these, a SYNTHETIC baseline completed from the lake's flows
(:func:`bilat.sample.ge.synthetic_ge_baseline`). A real lake without a baseline gets no
number: the section says what to supply.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from bilat.brief.model import Column, Figure, Section, Table
from bilat.brief.text import Text, num, plain, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import arrow, basename, synthetic_prefix
from bilat.errors import BilatError, InputError

__all__ = ["BASELINE_ENV", "scenario_section"]

#: The environment variable naming a GE baseline file (the web app's, or a shell's default).
BASELINE_ENV = "BILAT_GE_BASELINE"

_SAY = {
    "full": _("full-endowment general equilibrium (prices, incomes and trade all adjust)"),
    "gegravity": _("general equilibrium in gegravity's formulation"),
}


def scenario_section(
    lake: Any, case: Path | None, a: str, b: str, year: int, *, baseline: str | Path | None = None
) -> Section:
    """The scenario section for dyad ``a``–``b`` (see the module docstring)."""
    title = _("What if: general-equilibrium scenarios for %(a)s and %(b)s", a=a, b=b)
    if case is None:
        return Section(
            "scenario", title, "no_data",
            _("No case folder was given, so there is nothing to show."),
        )  # fmt: skip
    from bilat.potential.ge_case import SCENARIOS_FILE, load_scenarios

    if not (case / SCENARIOS_FILE).is_file():
        return Section(
            "scenario",
            title,
            "no_data",
            _("The case names no GE scenario (%(file)s).", file=SCENARIOS_FILE),
        )
    _given(baseline)  # a path typed by the user that is not there is their error, not "no data"
    try:
        spec = load_scenarios(case)
        data, where, synthetic = _baseline(lake, spec, year, baseline)
    except BilatError as exc:
        return Section(
            "scenario",
            title,
            "unavailable",
            _("The scenarios could not be read: %(why)s", why=exc.message),
        )
    if data is None:
        return Section("scenario", title, "no_data", where)
    lacking = _missing(data, a, b)
    if lacking:
        return Section("scenario", title, "no_data", _(
            "Undetermined: the GE baseline (%(where)s) holds no %(lacking)s; a scenario for the "
            "dyad needs both in it, with every partner and domestic flows.", where=where,
            lacking=" and no ".join(lacking),
        ))  # fmt: skip
    try:
        results = [_run(lake, spec, s, data, a, b, year) for s in spec.scenarios]
    except BilatError as exc:
        return Section("scenario", title, "no_data" if _absent(exc, a, b) else "unavailable",
                       _("Not computed: %(why)s", why=exc.message))  # fmt: skip
    return _section(title, spec, results, a, b, where, synthetic)


def _absent(exc: BilatError, a: str, b: str) -> bool:
    return "not in the baseline" in exc.message and (a in exc.message or b in exc.message)


def _missing(data: Any, a: str, b: str) -> list[str]:
    """Which of the dyad's countries the baseline lacks."""
    import pandas as pd

    from bilat.potential import read_table

    frame = data if isinstance(data, pd.DataFrame) else read_table(data, what="GE baseline")
    held = set(frame.get("exporter", pd.Series(dtype=str)).astype(str).str.upper())
    return [c for c in (a, b) if c not in held]


def _given(given: str | Path | None) -> Path | None:
    """The baseline named by the caller or ``BILAT_GE_BASELINE``; ``InputError`` when the
    file it names is not there."""
    env = os.environ.get(BASELINE_ENV) or None
    for path, named in ((given, "ge_baseline"), (env, BASELINE_ENV)):
        if path is not None:
            if not Path(path).is_file():
                raise InputError(
                    f"the GE baseline {str(path)!r} ({named}) does not exist; give the path of "
                    "a table of every pair of one year with domestic flows",
                    details={"option": named, "value": str(path)},
                )
            return Path(path)
    return None


def _baseline(lake: Any, spec: Any, year: int, given: str | Path | None) -> tuple[Any, Text, bool]:
    """The baseline table, where it comes from, and whether it is synthetic."""
    path = _given(given)
    if path is not None:
        return path, plain(basename(path)), False
    if spec.baseline is not None and spec.baseline.is_file():
        return spec.baseline, plain(basename(spec.baseline)), False
    if getattr(lake, "is_synthetic", False):
        from bilat.potential import panel_from_flows
        from bilat.sample.ge import synthetic_ge_baseline

        flows = panel_from_flows(lake, years=[year], level=2)
        frame = synthetic_ge_baseline(flows, year=year)
        where = _(
            "the sample lake's %(year)s flows completed with generated domestic flows, centroid "
            "distances and EAEU/EU membership (bilat.sample.ge)",
            year=year_of(year),
        )
        return frame, where, True
    what = _(
        "a scenario needs every pair of one year with domestic flows and the cost variables "
        "(e.g. from USITC's ITPD-E); give one with --ge-baseline FILE or %(env)s. No number is "
        "shown that the data cannot support.",
        env=BASELINE_ENV,
    )
    if spec.baseline:
        msg = _(
            "No GE baseline (the case names %(file)s, which is not there): %(what)s",
            file=basename(spec.baseline),
            what=what,
        )
        return None, msg, False
    return None, _("No GE baseline: %(what)s", what=what), False


def _share(lake: Any, a: str, b: str, year: int, products: tuple[str, ...]) -> float | None:
    """The share of ``products`` (HS codes of one level) in A's exports to B, or ``None``
    when the lake does not cover that flow."""
    from bilat.trade import Dyad

    level = max(len(p) for p in products)
    got = Dyad(lake, a, b).products(year, level=level, top=None, flow="export")
    if not got.total_usd:
        return None
    rows = got.to_pandas()
    part = float(rows[rows["product"].astype(str).str.startswith(products)]["value_usd"].sum())
    return part / float(got.total_usd)


def _year(data: Any, year: int) -> int | None:
    """The baseline's year: its only one when it holds one (a GE baseline may lag the
    briefing's year), else the briefing's."""
    import pandas as pd

    from bilat.potential import read_table

    frame = data if isinstance(data, pd.DataFrame) else read_table(data, what="GE baseline")
    if "year" not in frame.columns:
        return None
    held = frame["year"].dropna().unique()
    return int(held[0]) if len(held) == 1 else year


def _run(lake: Any, spec: Any, s: Any, data: Any, a: str, b: str, year: int) -> dict[str, Any]:
    from bilat.potential import run_scenario
    from bilat.potential.ge_inputs import parse_change

    sigma = s.sigma or spec.sigma
    changes = [parse_change(c) for c in s.changes]
    note = s.note
    if s.products:
        share = _share(lake, a, b, year, s.products)
        if share is None:
            return {"spec": s, "result": None, "sigma": sigma,
                    "note": _("Undetermined: no %(flow)s exports of %(year)s to weigh HS "
                              "%(products)s by.", flow=arrow(a, b), year=year_of(year),
                              products=", ".join(s.products))}  # fmt: skip
        changes = [replace(c, share=share) if c.var == "ad_valorem" else c for c in changes]
        note = (plain(note) + " " if note else plain("")) + _(
            "The cost applies to HS %(products)s: %(share)s of %(flow)s exports in %(year)s "
            "(one-sector model: the flow's cost rises by that share).",
            products=", ".join(s.products), share=num(100 * share, "share"), flow=arrow(a, b),
            year=year_of(year),
        )  # fmt: skip
    result = run_scenario(data, coefficients=spec.coefficients, changes=changes, sigma=sigma,
                          reference_importer=spec.reference_importer,
                          year=spec.year or _year(data, year), model=spec.model)  # fmt: skip
    return {"spec": s, "result": result, "sigma": sigma, "note": note}


#: What every scenario's reader is told after the results.
_CAVEATS = (
    _("Welfare is real expenditure; real GDP is output over the consumer price index."),
    _(
        "What the model leaves out: tariff revenue, intermediate inputs, investment and "
        "time; output quantities are fixed. Read the size as an order of magnitude."
    ),
)


def _method(first: dict[str, Any]) -> Text:
    """The method in one paragraph: model, σ, countries, the yardstick."""
    res = first["result"]
    return _(
        "Method: %(model)s, one sector, σ = %(sigma)s (the elasticity of substitution; every "
        "effect grows with it), %(n)s countries, trade and prices in terms of %(ref)s's "
        "consumer prices (the yardstick; real GDP and welfare do not depend on it). Changes "
        "are from the model's baseline to the scenario, not a forecast of observed trade.",
        model=_SAY[res.model],
        sigma=num(first["sigma"], "index"),
        n=len(res.countries),
        ref=res.reference_importer,
    )


def _section(title: Text, spec: Any, results: list[dict[str, Any]], a: str, b: str, where: Text,
             synthetic: bool) -> Section:  # fmt: skip
    src = synthetic_prefix(synthetic) + _(
        "GE baseline: %(where)s; coefficients: %(coefficients)s; bilat.potential.run_scenario "
        "(%(file)s, docs/potential.md)", where=where, coefficients=spec.coefficients_source,
        file=spec.path.name,
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    figures: list[Figure] = []
    notes: list[Text] = []
    for r in results:
        s, res = r["spec"], r["result"]
        if res is None:
            rows.append({"scenario": s.title, **dict.fromkeys(("ab", "ba", "gdp_a", "gdp_b",
                                                                  "welfare_a", "welfare_b"))})  # fmt: skip
            notes.append(_("%(scenario)s: %(note)s", scenario=s.title, note=r["note"]))
            continue
        ab, ba, ca, cb = res.pair(a, b), res.pair(b, a), res.country(a), res.country(b)
        rows.append({"scenario": s.title, "ab": ab.change_pct, "ba": ba.change_pct,
                     "gdp_a": ca.gdp_change_pct, "gdp_b": cb.gdp_change_pct,
                     "welfare_a": ca.welfare_change_pct, "welfare_b": cb.welfare_change_pct})  # fmt: skip
        if not figures:
            figures = [
                Figure(_("%(scenario)s: %(flow)s trade", scenario=s.title, flow=arrow(a, b)),
                       ab.change_pct, "pct", src),
                Figure(_("%(scenario)s: %(flow)s trade", scenario=s.title, flow=arrow(b, a)),
                       ba.change_pct, "pct", src),
                Figure(_("%(scenario)s: %(x)s welfare", scenario=s.title, x=a),
                       ca.welfare_change_pct, "pct", src),
                Figure(_("%(scenario)s: %(x)s welfare", scenario=s.title, x=b),
                       cb.welfare_change_pct, "pct", src),
            ]  # fmt: skip
        if r["note"]:
            notes.append(_("%(scenario)s: %(note)s", scenario=s.title, note=r["note"]))
    first = next((r for r in results if r["result"] is not None), None)
    if first is not None:
        notes = [_method(first), *notes, *_CAVEATS]
    columns = (
        Column("scenario", _("Scenario"), "text"),
        Column("ab", _("%(flow)s trade", flow=arrow(a, b)), "pct"),
        Column("ba", _("%(flow)s trade", flow=arrow(b, a)), "pct"),
        Column("gdp_a", _("%(x)s real GDP", x=a), "pct"),
        Column("gdp_b", _("%(x)s real GDP", x=b), "pct"),
        Column("welfare_a", _("%(x)s welfare", x=a), "pct"),
        Column("welfare_b", _("%(x)s welfare", x=b), "pct"),
    )
    table = Table(_("Scenarios for %(a)s and %(b)s: changes in percent", a=a, b=b), columns,
                  tuple(rows), src)  # fmt: skip
    return Section("scenario", title, "ok", None, tuple(figures), (table,), tuple(notes), (src,))
