"""The case sections of the briefing: claims, commitments, air services, trade potential.

Each part is optional: a section whose part is not installed says so (``unavailable``), a
section whose part has nothing for this dyad says so (``no_data``), in plain words.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

from bilat import formats
from bilat.brief.model import Column, Figure, Section, Table
from bilat.brief.text import Text, counted, num, plain, year_of
from bilat.brief.text import msg as _
from bilat.brief.trade_sections import (
    arrow,
    basename,
    chart_spec,
    cite,
    entry_ids,
    synthetic_prefix,
)
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


def _no_case(section_id: str, title: Text) -> Section:
    return Section(
        section_id, title, "no_data", _("No case folder was given, so there is nothing to show.")
    )


def _in_case(path: Path | str) -> Text:
    """``claims.yaml (case blr-kaz-2022)``: a case file by its name, not the machine's path
    (``air/blr-kaz.yaml`` for the case's air agreements)."""
    p = Path(path)
    name, case = (f"air/{p.name}", p.parent.parent.name) if p.parent.name == "air" else (
        p.name, p.parent.name)  # fmt: skip
    return _("%(file)s (case %(case)s)", file=name, case=case)


# --------------------------------------------------------------------------- claims


_VERDICT_COLUMNS = (
    Column("id", _("Claim"), "text"),
    Column("statement", _("Statement"), "text"),
    Column("expected", _("Stated"), "text"),
    Column("measured_text", _("Measured"), "text"),
    Column("verdict", _("Verdict"), "text"),
    Column("reason", _("Reason"), "text"),
)
_BASIS_COLUMNS = (
    Column("id", _("Claim"), "text"),
    Column("said", _("Said by, on, where"), "text"),
    Column("assumptions", _("Assumptions made to check it"), "text"),
    Column("figures", _("Source of the figures"), "text"),
)
#: A verdict's words (the JSON row keeps the verdict's id in ``verdict``).
VERDICT_WORDS = {
    "supported": _("supported"),
    "supported within tolerance": _("supported within tolerance"),
    "roughly": _("roughly"),
    "contradicted": _("contradicted"),
    "undetermined": _("undetermined"),
}


_CLAIMS_NOTE = _(
    "Supported: the data meet the stated comparison. Supported within tolerance: they "
    "miss it by no more than the claim's tolerance. Roughly: by more, but within the "
    "claim's wider 'roughly' band. Contradicted: they miss it beyond every band the "
    "claim allows. Undetermined: the data cannot decide (the reason says why). A claim "
    "whose file defines no band is supported or contradicted."
)


def claims_section(lake: Any, case: Path | None) -> Section:
    """Every claim of the case's ``claims.yaml`` with its verdict, value and sources."""
    title = _("Claims checked against the data")
    if case is None:
        return _no_case("claims", title)
    from bilat.claims import CLAIMS_FILE, check_claims

    path = case / CLAIMS_FILE
    if not path.is_file():
        return Section(
            "claims", title, "no_data", _("The case folder holds no %(file)s.", file=CLAIMS_FILE)
        )
    try:
        report = check_claims(lake, path)
    except BilatError as exc:
        why = plain(exc.message)
        return Section(
            "claims", title, "unavailable", _("The claims could not be read: %(why)s", why=why)
        )
    rows = []
    entries: list[str] = []
    for r in report.results:
        d = r.to_dict()
        said = "; ".join(x for x in (d["said_by"], d["said_on"], d["source"]) if x)
        rows.append(
            {
                **d,
                "measured_text": _measured(d["measured"], d["unit"]),
                "said": said or _("not given"),
                "assumptions": " ".join(r.claim.assumptions) or _("none"),
                "figures": cite(r.provenance),
            }
        )
        entries += entry_ids(r.provenance)
    counts = report.counts()
    where = _in_case(path)
    figures = tuple(
        Figure(_capital(VERDICT_WORDS.get(v, plain(v))), n, "int", where) for v, n in counts.items()
    )
    verdicts = Table(
        _("Verdicts on the claims in %(file)s", file=path.name), _VERDICT_COLUMNS, tuple(rows),
        where,
    )  # fmt: skip
    basis = Table(
        _("Who said it, what was assumed, where the figures come from"),
        _BASIS_COLUMNS,
        tuple(rows),
        where,
    )
    notes = (_CLAIMS_NOTE,)
    published = _published_table(report, where)
    return Section(
        "claims", title, "ok", None, figures, (verdicts, basis, *published), notes,
        (where,), tuple(dict.fromkeys(entries)),
    )  # fmt: skip


def _measured(value: float | None, unit: str) -> Text:
    """A claim's measured value through :mod:`bilat.formats` (a growth is a signed change)."""
    if value is None:
        return _("no value")
    return num(value, {"usd": "usd", "pct": "pct", "multiplier": "multiplier"}.get(unit, "index"))


def _capital(word: Text) -> Text:
    """A word with a capital first letter, in the rendered language."""
    return Text(lambda: (lambda w: w[:1].upper() + w[1:])(word.__str__()))


_PUBLISHED_COLUMNS = (
    Column("id", _("Figure"), "text"),
    Column("what", _("Published"), "text"),
    Column("by", _("Published by"), "text"),
    Column("lake", _("The data give"), "text"),
    Column("gap", _("Gap (published − data)"), "text"),
    Column("verdict", _("Verdict"), "text"),
    Column("reason", _("Why"), "text"),
)


def _published_table(report: Any, source: Text) -> tuple[Table, ...]:
    """Official figures of the case beside the lake's, the gap and its verdict (none: no
    table). A gap the lake cannot compute reads "not computed", never 0."""
    rows = []
    for p in getattr(report, "published", ()):
        d = p.to_dict()
        gap: Text = _("not computed") if d["gap_usd"] is None else num(d["gap_usd"], "usd")
        if d["gap_pct"] is not None:
            pct = num(d["gap_pct"], "share")
            gap = (_("%(gap)s (%(pct)s of the published value)", gap=gap, pct=pct)
                   if d["bound"] == "value"
                   else _("%(gap)s (%(pct)s of the bound)", gap=gap, pct=pct))  # fmt: skip
        by = "; ".join(x for x in (d["published_by"], d["source"], d["published_on"]) if x)
        rows.append({
            "id": d["id"], "what": f"{d['what']} {d['year']} {d['published']}", "by": by,
            "lake": d["lake_text"], "gap": gap, "verdict": d["verdict"], "reason": d["reason"],
        })  # fmt: skip
    if not rows:
        return ()
    title = _("Published figures beside the data")
    return (Table(title, _PUBLISHED_COLUMNS, tuple(rows), source),)


# --------------------------------------------------------------------------- agenda


_AGENDA_COLUMNS = (
    Column("id", _("Item"), "text"),
    Column("title", _("Commitment"), "text"),
    Column("kind", _("Kind"), "text"),
    Column("responsible", _("Responsible"), "text"),
    Column("due", _("Due"), "text"),
    Column("status", _("Status"), "text"),
    Column("status_date", _("Since"), "text"),
    Column("overdue", _("Overdue"), "text"),
    Column("source", _("Source"), "text"),
)
#: The words of the agenda's statuses (the status ids are the agenda's).
STATUS_WORDS = {
    "proposed": _("proposed"),
    "agreed": _("agreed"),
    "in_progress": _("in progress"),
    "done": _("done"),
    "dropped": _("dropped"),
}
KIND_WORDS = {
    "decision": _("decision"),
    "project": _("project"),
    "contract": _("contract"),
    "proposal": _("proposal"),
    "area_of_interest": _("area of interest"),
}


def _status(status: str | None) -> Text:
    if not status:
        return plain(formats.MISSING)
    return STATUS_WORDS.get(status, plain(status.replace("_", " ")))


def _agenda_row(item: Any) -> dict[str, Any]:
    last = item.history[-1] if item.history else None
    overdue = (
        counted(item.days_overdue, "yes, %(n)s day", "yes, %(n)s days") if item.overdue else _("no")
    )
    return {
        "id": item.id,
        "title": item.title,
        "kind": KIND_WORDS.get(item.kind, plain(item.kind.replace("_", " "))),
        "responsible": ", ".join(x for x in (item.party, item.body) if x) or _("joint"),
        "due": Text(lambda: formats.date(item.due)) if item.due else formats.MISSING,
        "status": _status(item.status),
        "status_date": Text(lambda: formats.date(item.status_date))
        if item.status_date
        else formats.MISSING,
        "overdue": overdue,
        "source": (last.source if last and last.source else _("not given")),
    }


def agenda_section(
    case: Path | None, *, agenda: Any | None, as_of: dt.date, lake: Any | None = None
) -> Section:
    """The case's commitments with their status and overdue flag as of ``as_of``.

    Items' indicators, with their progress, are a second table; measured ones are read
    from ``lake`` (each latest value a figure with its coverage).
    """
    title = _("Commitments and their status as of %(date)s", date=_date(as_of))
    mod = _part("bilat.agenda")
    if mod is None:
        return Section("agenda", title, "unavailable", _("The agenda part is not installed."))
    if agenda is None and case is None:
        return _no_case("agenda", title)
    try:
        source_db = agenda if agenda is not None else mod.Agenda.from_case(case)
        items = source_db.items(as_of=as_of)
        indicators = source_db.indicators(None, lake)
    except NotFoundError as exc:
        return Section("agenda", title, "no_data", _("No commitments: %(why)s", why=exc.message))
    except BilatError as exc:
        why = plain(exc.message)
        return Section(
            "agenda", title, "unavailable", _("The agenda could not be read: %(why)s", why=why)
        )
    finally:
        if agenda is None and "source_db" in locals():
            source_db.close()
    if not items:
        return Section(
            "agenda", title, "no_data",
            _("No commitments recorded as of %(date)s.", date=_date(as_of)),
        )  # fmt: skip
    where = _agenda_where(agenda, case)
    statuses: dict[str, int] = {}
    for it in items:
        statuses[it.status] = statuses.get(it.status, 0) + 1
    overdue = [it for it in items if it.overdue]
    figures = (
        Figure(_("Commitments"), len(items), "int", where),
        *(Figure(_capital(_status(s)), n, "int", where) for s, n in statuses.items()),
        Figure(_("Overdue"), len(overdue), "int", where),
    )
    table = Table(_("Commitments"), _AGENDA_COLUMNS, tuple(_agenda_row(i) for i in items), where)
    notes = tuple(
        counted(i.days_overdue, "Overdue: %(title)s (due %(due)s, %(n)s day late, status "
                "%(status)s).", "Overdue: %(title)s (due %(due)s, %(n)s days late, status "
                "%(status)s).", title=i.title, due=_date(i.due), status=_status(i.status))
        for i in overdue
    )  # fmt: skip
    g_figures, g_table, g_notes = _grades_part(items, as_of, where)
    ind_figures, ind_tables, ind_notes = _indicator_parts(indicators, where)
    return Section(
        "agenda", title, "ok", None, (*figures, *g_figures, *ind_figures),
        (table, g_table, *ind_tables), (*notes, *g_notes, *ind_notes), (where,),
    )  # fmt: skip


def _date(day: Any) -> Text:
    """A date in the rendered language (``Jan 1, 2023``; ``1 янв. 2023 г.``)."""
    return Text(lambda: formats.date(day))


def _agenda_where(agenda: Any, case: Path | None) -> Text:
    """Where the commitments were read: the database given (a SQLite file by its name,
    another by its URL with the password hidden), else the case's ``agenda.yaml`` (a
    briefing read from a database must not cite the file)."""
    if agenda is not None:
        url = getattr(getattr(agenda, "engine", None), "url", None)
        if url is not None and str(url.drivername).startswith("sqlite") and url.database:
            return _("the agenda database %(file)s (SQLite)", file=basename(url.database))
        shown = url.render_as_string(hide_password=True) if url is not None else None
        return _("the agenda database %(url)s", url=shown) if shown else _("the agenda database")
    return _in_case(case / "agenda.yaml") if case is not None else _("the agenda database")


# ---- issue 18: grades

_GRADE_COLUMNS = (
    Column("id", _("Item"), "text"),
    Column("grade", _("Grade"), "text"),
    Column("score", _("Score"), "text"),
    Column("as_of", _("Assessed as of"), "text"),
    Column("evidence_count", _("Evidence"), "int"),
    Column("evidence", _("Sources (figure)"), "text"),
)
GRADE_WORDS = {
    "full": _("full"),
    "partial": _("partial"),
    "none": _("none"),
    "too_early": _("too early"),
    "not_graded": _("not graded"),
}
_GRADED = {
    "full": _("Graded full"),
    "partial": _("Graded partial"),
    "none": _("Graded none"),
    "too_early": _("Graded too early"),
}


def _score(score: int | None) -> Text:
    if score is None:
        return _("no score (too early)")
    return plain(("+" if score > 0 else "") + formats.integer(score))


def _grade_row(item: Any) -> dict[str, Any]:
    """An item's grade as of the briefing's date; "not graded" (never a score of 0)."""
    g = item.grade
    if g is None:
        return {
            "id": item.id, "grade": GRADE_WORDS["not_graded"], "score": GRADE_WORDS["not_graded"],
            "as_of": formats.MISSING, "evidence_count": None, "evidence": formats.MISSING,
        }  # fmt: skip
    return {
        "id": item.id,
        "grade": GRADE_WORDS.get(g.grade, plain(g.grade)),
        "score": _score(g.score),
        "as_of": _date(g.as_of),
        "evidence_count": len(g.evidence),
        "evidence": "; ".join(e.source + (f" ({e.figure})" if e.figure else "") for e in g.evidence)
        or _("— (the due date is after the date assessed)"),
    }


def _grades_part(
    items: Any, as_of: dt.date, where: Text
) -> tuple[tuple[Figure, ...], Table, tuple[Text, ...]]:
    """The grades table, the compliance summary (G20 Research Group) and its notes."""
    from bilat.agenda.grades import summary

    s = summary(items, as_of)
    day = _date(as_of)
    rows = tuple(_grade_row(i) for i in items)
    table = Table(_("Compliance grades as of %(date)s", date=day), _GRADE_COLUMNS, rows, where)
    basis = _(
        "%(where)s: each item's latest grade on or before %(date)s; full +1, partial 0, none −1 "
        "(G20 Research Group scale); too early and ungraded items left out", where=where, date=day
    )  # fmt: skip
    counts = tuple(
        Figure(_GRADED.get(k, plain(k)), n, "int", where)
        for k, n in s.counts.items()
        if k != "not_graded"
    )
    figures = (*counts, Figure(_("Not graded"), s.counts["not_graded"], "int", where))
    if s.average is None:
        note = _(
            "Compliance is undetermined as of %(date)s: no item has a grade of full, partial or "
            "none (a grade needs sourced evidence), so no average is given.", date=day
        )  # fmt: skip
        return figures, table, (note,)
    figures = (
        Figure(_("Compliance score (−1 to +1)"), s.average, "index", basis),
        Figure(_("Compliance (percent)"), s.percent, "share", basis),
        *figures,
    )
    avg = float(s.average)
    average = Text(lambda: ("+" if avg > 0 else "") + formats.number(avg))
    note = counted(
        s.graded,
        "Compliance over %(n)s scored item of %(items)s: average %(average)s, %(percent)s "
        "((average + 1) / 2 · 100).",
        "Compliance over %(n)s scored items of %(items)s: average %(average)s, %(percent)s "
        "((average + 1) / 2 · 100).",
        items=s.items, average=average, percent=num(s.percent, "share"),
    )  # fmt: skip
    return figures, table, (note,)


# issue 18: indicators — each item's indicators and progress in the agenda section.
_INDICATOR_COLUMNS = (
    Column("item", _("Item"), "text"),
    Column("indicator", _("Indicator"), "text"),
    Column("baseline", _("Baseline"), "text"),
    Column("target", _("Target"), "text"),
    Column("latest", _("Latest actual"), "text"),
    Column("share", _("Share of the way to the target"), "share"),
    Column("progress", _("Progress"), "text"),
    Column("coverage", _("Coverage of the latest"), "text"),
    Column("basis", _("Rests on"), "text"),
)


def _ind_value(value: float | None, unit: str, period: str | None) -> Text:
    if value is None:
        return plain(formats.MISSING)
    text = num(value, "usd") if unit == "usd" else Text(
        lambda: formats.number(value, digits=4) + " " + unit
    )  # fmt: skip
    return _("%(value)s (%(period)s)", value=text, period=period) if period else text


def _progress_text(verdict: str, text: str) -> str:
    """The verdict, then the progress text without the verdict said again at its end."""
    if text == verdict:
        return verdict
    return f"{verdict}: {text.removesuffix(': ' + verdict)}"


def _indicator_parts(
    report: Any, where: Text
) -> tuple[tuple[Figure, ...], tuple[Table, ...], tuple[Text, ...]]:
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
                else _("none stated"),
                "latest": _ind_value(latest.value, i.unit, latest.period) if latest
                else formats.MISSING,
                "share": None if p.share is None else 100 * p.share,
                "progress": _progress_text(words.get(p.status, p.status.replace("_", " ")), p.text),
                "coverage": (latest.coverage if latest and latest.measured else _("entered"))
                if latest else formats.MISSING,
                "basis": (f"{latest.basis}; {latest.levels}" if latest.measured
                          else _("source: %(source)s", source=latest.source)) if latest
                else i.baseline_basis,
            })  # fmt: skip
            if latest is not None and latest.measured and latest.value is not None:
                figures.append(Figure(
                    plain(f"{i.name}, {latest.period}"), latest.value, "usd",
                    _("the lake, %(basis)s, %(levels)s; coverage %(coverage)s; %(precedence)s",
                      basis=latest.basis, levels=latest.levels, coverage=latest.coverage,
                      precedence=report.precedence),
                ))  # fmt: skip
    if not rows:
        return (), (), ()
    table = Table(_("Indicators and progress"), _INDICATOR_COLUMNS, tuple(rows), where)
    method = _(
        "Share of the way = (latest actual − baseline) / (target − baseline); on track when it "
        "is at least the share of the time from the baseline's period to the target's passed."
    )
    lake = (
        _("Measured indicators are read from the lake; a year no source covers is not 0.")
        if report.lake
        else _("No lake was read: measured indicators are not measurable.")
    )
    notes = (method + " " + lake,)  # fmt: skip
    return tuple(figures), (table,), notes


# --------------------------------------------------------------------------- air


def _rights_rows(agreement: Any) -> list[dict[str, Any]]:
    from bilat.air.freedoms import freedoms_words

    rows = []
    summary = agreement.summary()
    for party, info in summary.by_party.items():
        rs = info.route_schedule
        schedule = (
            formats.MISSING
            if rs is None
            else f"{rs.home} – {rs.intermediate} – {rs.destination} – {rs.beyond}"
        )
        rights = "; ".join(
            f"{freedoms_words(r.freedoms)}: {r.origin} → {r.destination} ({r.source})"
            for r in info.rights
        )
        rows.append(
            {
                "party": party,
                "designation": info.designation or formats.MISSING,
                "carriers": ", ".join(info.carriers) or formats.MISSING,
                "route_schedule": schedule,
                "rights": rights or _("none recorded"),
                "co_terminal": "; ".join(info.co_terminalisation) or formats.MISSING,
            }
        )
    return rows


_RIGHTS_COLUMNS = (
    Column("party", _("Carriers of"), "text"),
    Column("designation", _("Designation"), "text"),
    Column("carriers", _("Carriers"), "text"),
    Column("route_schedule", _("Route schedule (home – intermediate – destination – beyond)")),
    Column("rights", _("Rights granted (source)"), "text"),
    Column("co_terminal", _("Co-terminal points"), "text"),
)
_ROUTE_COLUMNS = (
    Column("carrier", _("Carrier"), "text"),
    Column("kind", _("Kind"), "text"),
    Column("freedoms", _("Freedoms"), "text"),
    Column("routings", _("Routings"), "int"),
    Column("examples", _("Examples (shortest first)"), "text"),
    Column("clauses", _("Clauses"), "text"),
)
_CAP_COLUMNS = (
    Column("id", _("Cap"), "text"),
    Column("scope", _("Scope"), "text"),
    Column("applies_to", _("Applies to"), "text"),
    Column("weekly", _("Weekly cap"), "int"),
    Column("previous", _("Previous cap"), "int"),
    Column("observed", _("Most flights in a week"), "text"),
    Column("source", _("Source"), "text"),
)


def _routes_table(air: Any, agreements: Any, agreement: Any) -> tuple[Table, list[Text]]:
    from bilat.air.freedoms import freedoms_words

    rows: list[dict[str, Any]] = []
    notes = []
    for carrier in agreement.carriers:
        routes = air.permitted_routes(agreements, carrier.iata)
        notes.append(counted(len(routes), "%(carrier)s (%(iata)s): %(n)s permitted routing.",
                             "%(carrier)s (%(iata)s): %(n)s permitted routings.",
                             carrier=carrier.name, iata=carrier.iata))  # fmt: skip
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
    title = _("Permitted routings by carrier and kind")
    return Table(title, _ROUTE_COLUMNS, tuple(rows), _in_case(agreement.path)), notes


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
                _("no schedule in the case")
                if schedule is None
                else _("%(n)s (above the cap)", n=most.get(c.id, 0))
                if most.get(c.id, 0) > c.weekly
                else plain(formats.integer(most.get(c.id, 0)))
            ),
            "source": c.provenance.cite(),
        }
        for c in agreement.caps
    ]
    where = _in_case(agreement.path)
    if schedule:
        where = _("%(where)s; schedule %(schedule)s", where=where, schedule=schedule)
    return Table(_("Frequencies against caps"), _CAP_COLUMNS, tuple(rows), where)


def air_section(case: Path | None, a: str, b: str) -> Section:
    """Rights summary, permitted routings, and frequencies against caps for the dyad."""
    title = _("Air services")
    air = _part("bilat.air")
    if air is None:
        return Section("air", title, "unavailable", _("The air services part is not installed."))
    if case is None:
        return _no_case("air", title)
    folder = case / "air"
    if not folder.is_dir():
        return Section("air", title, "no_data", _("The case folder holds no air/ agreements."))
    try:
        agreements = air.load_agreements(folder)
        agreement = next((g for g in agreements if set(g.parties) == {a, b}), None)
        if agreement is None:
            return Section(
                "air",
                title,
                "no_data",
                _("No air services agreement between %(a)s and %(b)s in the case.", a=a, b=b),
            )
        routes, notes = _routes_table(air, agreements, agreement)
        most, schedule = _observed(air, agreements, folder)
    except BilatError as exc:
        return Section(
            "air",
            title,
            "unavailable",
            _("The agreements could not be read: %(why)s", why=exc.message),
        )
    rights = Table(
        plain(agreement.title), _RIGHTS_COLUMNS, tuple(_rights_rows(agreement)),
        _in_case(agreement.path),
    )  # fmt: skip
    caps = _caps_table(agreement, most, schedule)
    if schedule is None:
        notes.append(
            _("No schedule (air/*.ssim) in the case: caps are shown without flights flown.")
        )
    if not agreement.caps:
        notes.append(_("The agreement records no frequency caps."))
    sources = (_in_case(agreement.path), plain(agreement.provenance.cite()))
    return Section("air", title, "ok", None, (), (rights, routes, caps), tuple(notes), sources)


# --------------------------------------------------------------------------- potential


_POTENTIAL_COLUMNS = (
    Column("product", _("HS"), "text"),
    Column("description", _("Product"), "text"),
    Column("supply_share_pct", _("Exporter's share of world exports"), "share"),
    Column("market_demand_usd", _("Market's imports"), "usd"),
    Column("potential_usd", _("Potential"), "usd"),
    Column("actual_usd", _("Actual"), "usd"),
    Column("unrealised_usd", _("Untapped"), "usd"),
)


def _span(years: Any) -> Text:
    if not years:
        return _("no year")
    if len(years) == 1:
        return year_of(years[0])
    return _("%(start)s–%(end)s", start=year_of(years[0]), end=year_of(years[-1]))


def potential_section(lake: Any, a: str, b: str, year: int) -> Section:
    """Export potential of A in B by product (supply × demand × ease of trade)."""
    title = _("Trade potential of %(a)s in %(b)s, %(year)s", a=a, b=b, year=year_of(year))
    mod = _part("bilat.potential.products")
    if mod is None:
        return Section("potential", title, "unavailable", _("The potential part is not installed."))
    try:
        pp = mod.market_potential(lake, a, b, year=year, level=6)
    except NotFoundError as exc:
        return Section("potential", title, "no_data", _("No data: %(why)s", why=exc.message))
    except BilatError as exc:
        why = plain(exc.message)
        return Section("potential", title, "unavailable", _("Could not be estimated: %(why)s",
                                                             why=why))  # fmt: skip
    span = _span(pp.actual_years)
    if len(pp.actual_years) > 1 or (pp.actual_years and pp.actual_years[0] != year):
        title = _("Trade potential of %(a)s in %(b)s: demand of %(year)s, sales of %(span)s",
                  a=a, b=b, year=year_of(year), span=span)  # fmt: skip
    src = synthetic_prefix(bool(getattr(lake, "is_synthetic", False))) + _(
        "Lake flows at HS6: supply and demand of %(year)s, actual exports the average of "
        "%(span)s (market_potential, docs/potential.md)", year=year_of(year), span=span
    )  # fmt: skip
    flow = arrow(a, b)
    calibrated = _("Equal by construction: ease of trade is set so that potential sums to actual "
                   "exports; the two say where sales could move between products.")  # fmt: skip
    figures: tuple[Figure, ...] = (
        Figure(_("Untapped potential (products short of their potential)"), pp.unrealised_usd,
               "usd", src, calibrated),
        Figure(_("Sold above potential (the other products)"), pp.above_potential_usd, "usd", src,
               calibrated),
        Figure(_("Actual exports %(flow)s, average of %(span)s", flow=flow, span=span),
               pp.actual_usd, "usd", src),
    )  # fmt: skip
    if pp.demand_projection != "none":
        figures += (
            Figure(_("Potential exports (demand projected)"), pp.potential_usd, "usd", src),
        )
    else:  # without a projection potential = actual in total: say why on the card
        figures += (Figure(_("Potential exports in total"), pp.potential_usd, "usd", src, _(
            "Potential = actual in total by construction (no demand projection): the method "
            "ranks products, it does not say the total could grow."
        )),)  # fmt: skip
    top = pp.top(POTENTIAL_PRODUCTS)
    top = top.assign(supply_share_pct=top["supply_share"] * 100)
    rows = tuple(top.astype(object).where(top.notna(), None).to_dict("records"))
    table = Table(_("Products with the largest untapped potential, %(flow)s", flow=flow),
                  _POTENTIAL_COLUMNS, rows, src)  # fmt: skip
    notes = (_(
        "Potential is what the exporter's supply, the market's demand and the ease of trade "
        "between them predict for each product; untapped potential adds up what actual sales "
        "fall short of it, product by product. Ease is set so that potential sums to actual "
        "exports, so the untapped total equals what the other products sell above theirs: the "
        "method says where sales could move, not that the total could grow."
    ),)  # fmt: skip
    entries = tuple(e.entry_id for e in lake.manifest() if year in e.years)
    return Section(
        "potential", title, "ok", None, figures, (table,), notes, (src,), entries, chart_spec(pp),
    )  # fmt: skip
