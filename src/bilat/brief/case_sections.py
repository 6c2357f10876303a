"""The case sections of the briefing: claims, commitments, air services, trade potential.

Each part is optional: a section whose part is not installed says so (``unavailable``), a
section whose part has nothing for this dyad says so (``no_data``), in plain words.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

from bilat.brief.model import Column, Figure, Section, Table, fmt
from bilat.brief.trade_sections import chart_spec, entry_ids
from bilat.errors import BilatError, NotFoundError

__all__ = ["agenda_section", "air_section", "claims_section", "potential_section"]

#: Example routings listed per carrier and kind (the count covers them all).
ROUTES_SHOWN = 4
#: Products listed in the potential section.
POTENTIAL_PRODUCTS = 10


def _part(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _no_case(section_id: str, title: str) -> Section:
    return Section(
        section_id,
        title,
        "no_data",
        "No case folder was given, so there is nothing to show.",
    )


# --------------------------------------------------------------------------- claims


_VERDICT_COLUMNS = (
    Column("id", "Claim", "text"),
    Column("statement", "Statement", "text"),
    Column("expected", "Stated", "text"),
    Column("measured_text", "Measured", "text"),
    Column("verdict", "Verdict", "text"),
    Column("reason", "Reason", "text"),
)
_BASIS_COLUMNS = (
    Column("id", "Claim", "text"),
    Column("said", "Said by, on, where", "text"),
    Column("assumptions", "Assumptions made to check it", "text"),
    Column("figures", "Source of the figures", "text"),
)


def claims_section(lake: Any, case: Path | None) -> Section:
    """Every claim of the case's ``claims.yaml`` with its verdict, value and sources."""
    title = "Claims checked against the data"
    if case is None:
        return _no_case("claims", title)
    from bilat.claims import CLAIMS_FILE, check_claims

    path = case / CLAIMS_FILE
    if not path.is_file():
        return Section("claims", title, "no_data", f"The case folder holds no {CLAIMS_FILE}.")
    try:
        report = check_claims(lake, path)
    except BilatError as exc:
        return Section(
            "claims", title, "unavailable", f"The claims could not be read: {exc.message}"
        )
    rows = []
    entries: list[str] = []
    for r in report.results:
        d = r.to_dict()
        said = "; ".join(x for x in (d["said_by"], d["said_on"], d["source"]) if x)
        rows.append(
            {
                **d,
                "said": said or "not given",
                "assumptions": " ".join(r.claim.assumptions) or "none",
                "figures": r.provenance.text(),
            }
        )
        entries += entry_ids(r.provenance)
    counts = report.counts()
    figures = tuple(Figure(v.capitalize(), n, "int", str(path)) for v, n in counts.items())
    verdicts = Table(
        f"Verdicts on the claims in {path.name}", _VERDICT_COLUMNS, tuple(rows), str(path)
    )
    basis = Table(
        "Who said it, what was assumed, where the figures come from",
        _BASIS_COLUMNS,
        tuple(rows),
        str(path),
    )
    notes = (
        "Supported: the data meet the stated comparison. Supported within tolerance: they "
        "miss it by no more than the claim's tolerance. Roughly: by more, but within the "
        "claim's wider 'roughly' band. Contradicted: they miss it beyond every band the "
        "claim allows. Undetermined: the data cannot decide (the reason says why). A claim "
        "whose file defines no band is supported or contradicted.",
    )
    published = _published_table(report, str(path))
    return Section(
        "claims", title, "ok", None, figures, (verdicts, basis, *published), notes,
        (str(path),), tuple(dict.fromkeys(entries)),
    )  # fmt: skip


_PUBLISHED_COLUMNS = (
    Column("id", "Figure", "text"),
    Column("what", "Published", "text"),
    Column("by", "Published by", "text"),
    Column("lake", "The data give", "text"),
    Column("gap", "Gap (published − data)", "text"),
    Column("verdict", "Verdict", "text"),
    Column("reason", "Why", "text"),
)


def _published_table(report: Any, source: str) -> tuple[Table, ...]:
    """Official figures of the case beside the lake's, the gap and its verdict (none: no
    table). A gap the lake cannot compute reads "not computed", never 0."""
    rows = []
    for p in getattr(report, "published", ()):
        d = p.to_dict()
        of = "of the published value" if d["bound"] == "value" else "of the bound"
        gap = "not computed" if d["gap_usd"] is None else fmt(d["gap_usd"], "usd")
        if d["gap_pct"] is not None:
            gap += f" ({d['gap_pct']:.1f} % {of})"
        by = "; ".join(x for x in (d["published_by"], d["source"], d["published_on"]) if x)
        rows.append({
            "id": d["id"], "what": f"{d['what']} {d['year']} {d['published']}", "by": by,
            "lake": d["lake_text"], "gap": gap, "verdict": d["verdict"], "reason": d["reason"],
        })  # fmt: skip
    if not rows:
        return ()
    return (Table("Published figures beside the data", _PUBLISHED_COLUMNS, tuple(rows), source),)


# --------------------------------------------------------------------------- agenda


_AGENDA_COLUMNS = (
    Column("id", "Item", "text"),
    Column("title", "Commitment", "text"),
    Column("kind", "Kind", "text"),
    Column("responsible", "Responsible", "text"),
    Column("due", "Due", "text"),
    Column("status", "Status", "text"),
    Column("status_date", "Since", "text"),
    Column("overdue", "Overdue", "text"),
    Column("source", "Source", "text"),
)


def _agenda_row(item: Any) -> dict[str, Any]:
    last = item.history[-1] if item.history else None
    overdue = f"yes, {item.days_overdue} days" if item.overdue else "no"
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind.replace("_", " "),
        "responsible": ", ".join(x for x in (item.party, item.body) if x) or "joint",
        "due": item.due or "—",
        "status": (item.status or "—").replace("_", " "),
        "status_date": item.status_date.isoformat() if item.status_date else "—",
        "overdue": overdue,
        "source": (last.source if last and last.source else "not given"),
    }


def agenda_section(
    case: Path | None, *, agenda: Any | None, as_of: dt.date, lake: Any | None = None
) -> Section:
    """The case's commitments with their status and overdue flag as of ``as_of``.

    Items' indicators, with their progress, are a second table; measured ones are read
    from ``lake`` (each latest value a figure with its coverage).
    """
    title = f"Commitments and their status as of {as_of.isoformat()}"
    mod = _part("bilat.agenda")
    if mod is None:
        return Section("agenda", title, "unavailable", "The agenda part is not installed.")
    if agenda is None and case is None:
        return _no_case("agenda", title)
    try:
        source_db = agenda if agenda is not None else mod.Agenda.from_case(case)
        items = source_db.items(as_of=as_of)
        indicators = source_db.indicators(None, lake)
    except NotFoundError as exc:
        return Section("agenda", title, "no_data", f"No commitments: {exc.message}")
    except BilatError as exc:
        return Section(
            "agenda", title, "unavailable", f"The agenda could not be read: {exc.message}"
        )
    finally:
        if agenda is None and "source_db" in locals():
            source_db.close()
    if not items:
        return Section("agenda", title, "no_data", f"No commitments recorded as of {as_of}.")
    where = _agenda_where(agenda, case)
    statuses: dict[str, int] = {}
    for it in items:
        statuses[it.status] = statuses.get(it.status, 0) + 1
    overdue = [it for it in items if it.overdue]
    figures = (
        Figure("Commitments", len(items), "int", where),
        *(Figure(s.replace("_", " ").capitalize(), n, "int", where) for s, n in statuses.items()),
        Figure("Overdue", len(overdue), "int", where),
    )
    table = Table("Commitments", _AGENDA_COLUMNS, tuple(_agenda_row(i) for i in items), where)
    notes = tuple(
        f"Overdue: {i.title} (due {i.due}, {i.days_overdue} days late, status {i.status})."
        for i in overdue
    )
    g_figures, g_table, g_notes = _grades_part(items, as_of, where)
    ind_figures, ind_tables, ind_notes = _indicator_parts(indicators, where)
    return Section(
        "agenda", title, "ok", None, (*figures, *g_figures, *ind_figures),
        (table, g_table, *ind_tables), (*notes, *g_notes, *ind_notes), (where,),
    )  # fmt: skip


def _agenda_where(agenda: Any, case: Path | None) -> str:
    """Where the commitments were read: the database given (its URL, password hidden), else
    the case's ``agenda.yaml`` (a briefing read from a database must not cite the file)."""
    if agenda is not None:
        url = getattr(getattr(agenda, "engine", None), "url", None)
        shown = url.render_as_string(hide_password=True) if url is not None else None
        return f"the agenda database {shown}" if shown else "the agenda database"
    return str(case / "agenda.yaml") if case is not None else "the agenda database"


# ---- issue 18: grades

_GRADE_COLUMNS = (
    Column("id", "Item", "text"),
    Column("grade", "Grade", "text"),
    Column("score", "Score", "text"),
    Column("as_of", "Assessed as of", "text"),
    Column("evidence_count", "Evidence", "int"),
    Column("evidence", "Sources (figure)", "text"),
)


def _grade_row(item: Any) -> dict[str, Any]:
    """An item's grade as of the briefing's date; "not graded" (never a score of 0)."""
    g = item.grade
    if g is None:
        return {
            "id": item.id, "grade": "not graded", "score": "not graded", "as_of": "—",
            "evidence_count": None, "evidence": "—",
        }  # fmt: skip
    return {
        "id": item.id,
        "grade": g.grade.replace("_", " "),
        "score": "no score (too early)" if g.score is None else f"{g.score:+d}".replace("+0", "0"),
        "as_of": g.as_of.isoformat(),
        "evidence_count": len(g.evidence),
        "evidence": "; ".join(e.source + (f" ({e.figure})" if e.figure else "") for e in g.evidence)
        or "— (the due date is after the date assessed)",
    }


def _grades_part(
    items: Any, as_of: dt.date, where: str
) -> tuple[tuple[Figure, ...], Table, tuple[str, ...]]:
    """The grades table, the compliance summary (G20 Research Group) and its notes."""
    from bilat.agenda.grades import summary

    s = summary(items, as_of)
    table = Table(
        f"Compliance grades as of {as_of.isoformat()}",
        _GRADE_COLUMNS,
        tuple(_grade_row(i) for i in items),
        where,
    )
    basis = (
        f"{where}: each item's latest grade on or before {as_of.isoformat()}; full +1, "
        "partial 0, none −1 (G20 Research Group scale); too early and ungraded items left out"
    )
    counts = tuple(
        Figure(f"Graded {k.replace('_', ' ')}", n, "int", where)
        for k, n in s.counts.items()
        if k != "not_graded"
    )
    figures = (*counts, Figure("Not graded", s.counts["not_graded"], "int", where))
    if s.average is None:
        note = (
            f"Compliance is undetermined as of {as_of.isoformat()}: no item has a grade of full, "
            "partial or none (a grade needs sourced evidence), so no average is given."
        )
        return figures, table, (note,)
    figures = (
        Figure("Compliance score (−1 to +1)", s.average, "index", basis),
        Figure("Compliance (percent)", s.percent, "share", basis),
        *figures,
    )
    note = (
        f"Compliance over {s.graded} scored item{'' if s.graded == 1 else 's'} of {s.items}: "
        f"average {s.average:+.2f}, {s.percent:.1f} % ((average + 1) / 2 · 100)."
    )
    return figures, table, (note,)


# issue 18: indicators — each item's indicators and progress in the agenda section.
_INDICATOR_COLUMNS = (
    Column("item", "Item", "text"),
    Column("indicator", "Indicator", "text"),
    Column("baseline", "Baseline", "text"),
    Column("target", "Target", "text"),
    Column("latest", "Latest actual", "text"),
    Column("share", "Share of the way to the target", "share"),
    Column("progress", "Progress", "text"),
    Column("coverage", "Coverage of the latest", "text"),
    Column("basis", "Rests on", "text"),
)


def _ind_value(value: float | None, unit: str, period: str | None) -> str:
    if value is None:
        return "—"
    text = fmt(value, "usd") if unit == "usd" else f"{value:,.4g} {unit}"
    return f"{text} ({period})" if period else text


def _progress_text(verdict: str, text: str) -> str:
    """The verdict, then the progress text without the verdict said again at its end."""
    if text == verdict:
        return verdict
    return f"{verdict}: {text.removesuffix(': ' + verdict)}"


def _indicator_parts(
    report: Any, where: str
) -> tuple[tuple[Figure, ...], tuple[Table, ...], tuple[str, ...]]:
    """Figures (measured latest values), the indicators table, notes on the method."""
    words = {"no_actual": "no actual recorded"}
    rows, figures = [], []
    for it in report.items:
        for i in it.indicators:
            p, latest = i.progress, i.progress.latest
            rows.append({
                "item": it.item, "indicator": i.name,
                "baseline": _ind_value(i.baseline, i.unit, i.baseline_period),
                "target": _ind_value(i.target, i.unit, i.target_period) if i.target is not None
                else "none stated",
                "latest": _ind_value(latest.value, i.unit, latest.period) if latest else "—",
                "share": None if p.share is None else 100 * p.share,
                "progress": _progress_text(words.get(p.status, p.status.replace("_", " ")), p.text),
                "coverage": (latest.coverage if latest and latest.measured else "entered")
                if latest else "—",
                "basis": (f"{latest.basis}; {latest.levels}" if latest.measured
                          else f"source: {latest.source}") if latest else i.baseline_basis,
            })  # fmt: skip
            if latest is not None and latest.measured and latest.value is not None:
                figures.append(Figure(
                    f"{i.name}, {latest.period}", latest.value, "usd",
                    f"the lake, {latest.basis}, {latest.levels}; coverage {latest.coverage}; "
                    f"{report.precedence}",
                ))  # fmt: skip
    if not rows:
        return (), (), ()
    table = Table("Indicators and progress", _INDICATOR_COLUMNS, tuple(rows), where)
    notes = (
        "Share of the way = (latest actual − baseline) / (target − baseline); on track when it "
        "is at least the share of the time from the baseline's period to the target's passed. "
        + ("Measured indicators are read from the lake; a year no source covers is not 0."
           if report.lake else "No lake was read: measured indicators are not measurable."),
    )  # fmt: skip
    return tuple(figures), (table,), notes


# --------------------------------------------------------------------------- air


def _rights_rows(agreement: Any) -> list[dict[str, Any]]:
    from bilat.air.freedoms import freedoms_words

    rows = []
    summary = agreement.summary()
    for party, info in summary.by_party.items():
        rs = info.route_schedule
        schedule = (
            "—" if rs is None else f"{rs.home} – {rs.intermediate} – {rs.destination} – {rs.beyond}"
        )
        rights = "; ".join(
            f"{freedoms_words(r.freedoms)}: {r.origin} → {r.destination} ({r.source})"
            for r in info.rights
        )
        rows.append(
            {
                "party": party,
                "designation": info.designation or "—",
                "carriers": ", ".join(info.carriers) or "—",
                "route_schedule": schedule,
                "rights": rights or "none recorded",
                "co_terminal": "; ".join(info.co_terminalisation) or "—",
            }
        )
    return rows


_RIGHTS_COLUMNS = (
    Column("party", "Carriers of", "text"),
    Column("designation", "Designation", "text"),
    Column("carriers", "Carriers", "text"),
    Column("route_schedule", "Route schedule (home – intermediate – destination – beyond)"),
    Column("rights", "Rights granted (source)", "text"),
    Column("co_terminal", "Co-terminal points", "text"),
)
_ROUTE_COLUMNS = (
    Column("carrier", "Carrier", "text"),
    Column("kind", "Kind", "text"),
    Column("freedoms", "Freedoms", "text"),
    Column("routings", "Routings", "int"),
    Column("examples", "Examples (shortest first)", "text"),
    Column("clauses", "Clauses", "text"),
)
_CAP_COLUMNS = (
    Column("id", "Cap", "text"),
    Column("scope", "Scope", "text"),
    Column("applies_to", "Applies to", "text"),
    Column("weekly", "Weekly cap", "int"),
    Column("previous", "Previous cap", "int"),
    Column("observed", "Most flights in a week", "text"),
    Column("source", "Source", "text"),
)


def _routes_table(air: Any, agreements: Any, agreement: Any) -> tuple[Table, list[str]]:
    from bilat.air.freedoms import freedoms_words

    rows: list[dict[str, Any]] = []
    notes = []
    for carrier in agreement.carriers:
        routes = air.permitted_routes(agreements, carrier.iata)
        notes.append(f"{carrier.name} ({carrier.iata}): {len(routes)} permitted routings.")
        by_kind: dict[str, list[Any]] = {}
        for r in routes:
            by_kind.setdefault(r.kind, []).append(r)
        for kind, group in by_kind.items():
            group.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0.0, r.routing))
            rows.append(
                {
                    "carrier": f"{carrier.iata} {carrier.name}",
                    "kind": kind,
                    "freedoms": freedoms_words({f for r in group for f in r.freedoms}),
                    "routings": len(group),
                    "examples": ", ".join("-".join(r.routing) for r in group[:ROUTES_SHOWN]),
                    "clauses": ", ".join(sorted({r.clause for r in group})),
                }
            )
    title = "Permitted routings by carrier and kind"
    return Table(title, _ROUTE_COLUMNS, tuple(rows), str(agreement.path)), notes


def _observed(air: Any, agreements: Any, folder: Path) -> tuple[dict[str, int], str | None]:
    files = sorted(folder.glob("*.ssim"))
    if not files:
        return {}, None
    most: dict[str, int] = {}
    for f in files:
        report = air.check_schedule(agreements, air.read_ssim(f))
        for c in report.caps:
            most[c.cap] = max(most.get(c.cap, 0), c.flights)
    return most, ", ".join(f.name for f in files)


def _caps_table(agreement: Any, most: dict[str, int], schedule: str | None) -> Table:
    rows = [
        {
            "id": c.id,
            "scope": c.scope + (f" {'-'.join(c.city_pair)}" if c.city_pair else ""),
            "applies_to": c.carrier or c.applies_to,
            "weekly": c.weekly,
            "previous": c.previous,
            "observed": (
                "no schedule in the case"
                if schedule is None
                else f"{most.get(c.id, 0)}"
                + (" (above the cap)" if most.get(c.id, 0) > c.weekly else "")
            ),
            "source": c.provenance.cite(),
        }
        for c in agreement.caps
    ]
    where = f"{agreement.path}" + (f"; schedule {schedule}" if schedule else "")
    return Table("Frequencies against caps", _CAP_COLUMNS, tuple(rows), where)


def air_section(case: Path | None, a: str, b: str) -> Section:
    """Rights summary, permitted routings, and frequencies against caps for the dyad."""
    title = "Air services"
    air = _part("bilat.air")
    if air is None:
        return Section("air", title, "unavailable", "The air services part is not installed.")
    if case is None:
        return _no_case("air", title)
    folder = case / "air"
    if not folder.is_dir():
        return Section("air", title, "no_data", "The case folder holds no air/ agreements.")
    try:
        agreements = air.load_agreements(folder)
        agreement = next((g for g in agreements if set(g.parties) == {a, b}), None)
        if agreement is None:
            return Section(
                "air",
                title,
                "no_data",
                f"No air services agreement between {a} and {b} in the case.",
            )
        routes, notes = _routes_table(air, agreements, agreement)
        most, schedule = _observed(air, agreements, folder)
    except BilatError as exc:
        return Section(
            "air", title, "unavailable", f"The agreements could not be read: {exc.message}"
        )
    rights = Table(
        agreement.title, _RIGHTS_COLUMNS, tuple(_rights_rows(agreement)), str(agreement.path)
    )
    caps = _caps_table(agreement, most, schedule)
    if schedule is None:
        notes.append("No schedule (air/*.ssim) in the case: caps are shown without flights flown.")
    if not agreement.caps:
        notes.append("The agreement records no frequency caps.")
    sources = (str(agreement.path), agreement.provenance.cite())
    return Section("air", title, "ok", None, (), (rights, routes, caps), tuple(notes), sources)


# --------------------------------------------------------------------------- potential


_POTENTIAL_COLUMNS = (
    Column("product", "HS", "text"),
    Column("description", "Product", "text"),
    Column("supply_share_pct", "Exporter's share of world exports", "share"),
    Column("market_demand_usd", "Market's imports", "usd"),
    Column("potential_usd", "Potential", "usd"),
    Column("actual_usd", "Actual", "usd"),
    Column("unrealised_usd", "Untapped", "usd"),
)


def potential_section(lake: Any, a: str, b: str, year: int) -> Section:
    """Export potential of A in B by product (supply × demand × ease of trade)."""
    title = f"Trade potential of {a} in {b}, {year}"
    mod = _part("bilat.potential.products")
    if mod is None:
        return Section("potential", title, "unavailable", "The potential part is not installed.")
    try:
        pp = mod.market_potential(lake, a, b, year=year, level=6)
    except NotFoundError as exc:
        return Section("potential", title, "no_data", f"No data: {exc.message}")
    except BilatError as exc:
        return Section("potential", title, "unavailable", f"Could not be estimated: {exc.message}")
    synthetic = "SYNTHETIC DATA, not real figures. " if getattr(lake, "is_synthetic", False) else ""
    years = pp.actual_years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "no year")
    src = (f"{synthetic}Lake flows at HS6: supply and demand of {year}, actual exports the "
           f"average of {span} (market_potential, docs/potential.md)")  # fmt: skip
    figures: tuple[Figure, ...] = (
        Figure("Untapped potential (products short of their potential)", pp.unrealised_usd,
               "usd", src),
        Figure("Sold above potential (the other products)", pp.above_potential_usd, "usd", src),
        Figure(f"Actual exports {a}→{b}, average of {span}", pp.actual_usd, "usd", src),
    )  # fmt: skip
    if pp.demand_projection != "none":  # without a projection potential = actual in total
        figures += (Figure("Potential exports (demand projected)", pp.potential_usd, "usd", src),)
    top = pp.top(POTENTIAL_PRODUCTS)
    top = top.assign(supply_share_pct=top["supply_share"] * 100)
    rows = tuple(top.astype(object).where(top.notna(), None).to_dict("records"))
    table = Table(
        f"Products with the largest untapped potential, {a}→{b}", _POTENTIAL_COLUMNS, rows, src
    )
    notes = (
        "Potential is what the exporter's supply, the market's demand and the ease of trade "
        "between them predict for each product; untapped potential adds up what actual sales "
        "fall short of it, product by product. Ease is set so that potential sums to actual "
        "exports, so the untapped total equals what the other products sell above theirs: the "
        "method says where sales could move, not that the total could grow.",
    )
    entries = tuple(e.entry_id for e in lake.manifest() if year in e.years)
    return Section(
        "potential", title, "ok", None, figures, (table,), notes, (src,), entries, chart_spec(pp),
    )  # fmt: skip
