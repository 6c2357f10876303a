"""The server-rendered pages: Jinja2 templates over the same data as the API."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bilat.agenda import EDITABLE_FIELDS, ITEM_FIELDS, KINDS, STATUSES
from bilat.i18n import gettext as _
from bilat.options import GRADES, FlowDirection, ProductSort, Role, SortOrder, Status
from bilat.web import api, api_case
from bilat.web.security import (
    check_csrf,
    csrf_token,
    current_user,
    optional_user,
    password_slot,
    require,
    sign_in,
    sign_out,
)

__all__ = ["page_context", "router"]

router = APIRouter(include_in_schema=False)

Country = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{2,16}$")]
YearQ = Annotated[int | None, Query(ge=1950, le=2100)]
#: Where the language switch of a page reached by a form (POST) leads: its GET page.
_GET_OF = {"/air/schedule": "/air", "/sources/upload": "/upload", "/upload": "/upload"}


def page_context(request: Request, *, title: str, **extra: Any) -> dict[str, Any]:
    """What every page needs: the user, the CSRF token, the banner, the navigation, the
    language switch and the pair picker (``picker``: ``a``, ``b``, ``year``, ``view``)."""
    from bilat.sample import SYNTHETIC_BANNER
    from bilat.web.words import nav, word

    st = api.app_state(request)
    try:
        user = optional_user(request)
    except Exception:  # a broken accounts database must not hide the real error page
        user = None
    return {
        "title": title,
        "user": user,
        "csrf": csrf_token(request),
        "banner": SYNTHETIC_BANNER if st.lake.is_synthetic else None,
        "nav": nav(),
        "path": request.url.path,
        "languages": _languages(request),
        "word": word,
        **extra,
        "picker": _picker(request, extra.get("picker")) if user else None,
    }


def _languages(request: Request) -> list[tuple[str, str, str, bool]]:
    """The language switch: (code, own name, link to this page in it, whether current)."""
    from bilat import i18n

    if request.method == "GET":
        path, kept = (
            request.url.path,
            [(k, v) for k, v in request.query_params.multi_items() if k != "lang"],
        )
    else:
        path, kept = _GET_OF.get(request.url.path, request.url.path), []
    links = []
    for code in i18n.LANGUAGES:
        href = path + "?" + urlencode([*kept, ("lang", code)])
        links.append((code, i18n.NAMES[code], href, code == i18n.current()))
    return links


def _picker(request: Request, chosen: dict[str, Any] | None) -> dict[str, Any] | None:
    """The header's pair and year picker: the lake's countries and years, the page's pair."""
    from bilat.codes.countries import country_name

    st = api.app_state(request)
    try:
        case_a, case_b = st.dyad()
        codes, years = st.trade.countries(), st.trade.years()
    except Exception:  # an error page must render even when the lake or case is broken
        return None
    chosen = chosen or {}
    names = []
    for code in codes:
        try:
            names.append((code, country_name(code)))
        except Exception:  # a code the country table does not know: shown as itself
            names.append((code, code))
    return {
        "a": chosen.get("a") or case_a,
        "b": chosen.get("b") or case_b,
        "year": chosen.get("year"),
        "view": chosen.get("view") or "overview",
        "countries": names,
        "years": years,
    }


def render(request: Request, template: str, *, title: str, **extra: Any) -> HTMLResponse:
    """Render a template with the page context."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, template, page_context(request, title=title, **extra)
    )
    return response


def _dyad(request: Request, a: str | None, b: str | None) -> tuple[str, str]:
    case_a, case_b = api.app_state(request).dyad()
    return (a or case_a).upper(), (b or case_b).upper()


# ------------------------------------------------------------------------------ sign-in


@router.get("/login")
def login_page(request: Request, next: Annotated[str, Query(max_length=200)] = "/") -> Response:
    """The sign-in form."""
    return render(request, "login.html", title=_("Sign in"), next=_local(next))


def _local(target: str) -> str:
    # Only paths on this site: no scheme, no host, no protocol-relative "//host".
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form(max_length=200)] = "/",
) -> Response:
    """Check the form and sign in; wrong credentials redisplay the form with the error."""
    from bilat.web.errors import NotSignedInError, TooManyAttemptsError, status_of

    check_csrf(request, csrf_token)
    try:
        sign_in(request, username, password)
    except (NotSignedInError, TooManyAttemptsError) as exc:
        code = status_of(exc)
        problem = {"status": code, "message": _login_message(exc)}
        response = render(
            request, "login.html", title=_("Sign in"), next=_local(next), username=username,
            problem=problem,
        )  # fmt: skip
        response.status_code = code
        wait = exc.details.get("retry_after_s") if exc.details else None
        if isinstance(wait, int) and wait > 0:
            response.headers["Retry-After"] = str(wait)
        return response
    return RedirectResponse(_local(next), status_code=303)


def _login_message(exc: Any) -> str:
    from bilat.web.errors import TooManyAttemptsError

    if isinstance(exc, TooManyAttemptsError):
        wait = (exc.details or {}).get("retry_after_s")
        return _("Too many failed sign-ins for this user name; wait %(s)s seconds and retry.") % {
            "s": wait if isinstance(wait, int) else "?"
        }
    return _("Wrong user name or password. Check both and sign in again.")


@router.post("/logout")
def logout_submit(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """Sign out."""
    check_csrf(request, csrf_token)
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


# ------------------------------------------------------------------------------ trade


@router.get("/")
def home(request: Request) -> Response:
    """The case's dyad overview."""
    current_user(request)
    a, b = _dyad(request, None, None)
    return RedirectResponse(f"/dyad/{a}/{b}", status_code=303)


@router.get("/dyad/{a}/{b}")
def overview_page(request: Request, a: Country, b: Country, year: YearQ = None) -> Response:
    """Headline figures, series chart, top products, baskets, events, the case's claims."""
    from bilat.document import to_document

    current_user(request)
    st = api.app_state(request)
    a, b = a.upper(), b.upper()
    y = api.year_or_latest(request, year)
    from bilat.brief.trade_sections import standing_line

    overview = st.trade.overview(a, b, y)
    data = to_document(overview)
    picker = {"a": data["a"], "b": data["b"], "year": year, "view": "overview"}
    if not st.trade.pair_held(data["a"], data["b"]):
        return render(
            request, "overview.html", title=f"{data['a']}–{data['b']}", picker=picker,
            empty=_empty_pair(request, data["a"], data["b"]),
        )  # fmt: skip
    return render(
        request,
        "overview.html",
        title=f"{data['a']}–{data['b']} {data['year']}",
        ov=data,
        # the briefing's sentence, in the page's language (the data's ``text`` is English)
        standings=[str(standing_line(x)) for x in overview.summary.standings],
        chart=st.trade.series_chart(a, b, y),
        claims=st.trade.claims(data["a"], data["b"]),
        years=st.trade.years(),
        picker=picker,
    )


def _empty_pair(request: Request, a: str, b: str) -> dict[str, Any]:
    """The empty state of a pair the lake holds nothing of: names, and the case's pair."""
    from bilat.codes.countries import country_name

    st = api.app_state(request)
    case = st.dyad()
    held = case != (a, b) and st.trade.pair_held(*case)
    return {
        "a": a,
        "b": b,
        "a_name": country_name(a),
        "b_name": country_name(b),
        "suggestions": [case] if held else [],
    }


@router.get("/pick")
def pick(
    request: Request,
    a: Annotated[str, Query(pattern=r"^\s*[A-Za-z]{3}\s*$")],
    b: Annotated[str, Query(pattern=r"^\s*[A-Za-z]{3}\s*$")],
    year: Annotated[str, Query(pattern=r"^(\d{4})?$")] = "",
    view: Annotated[Literal["overview", "products", "potential", "brief"], Query()] = "overview",
) -> Response:
    """The header's pair picker: to the chosen pair's page (same view), in the chosen year."""
    current_user(request)
    if view == "brief":
        pair = {"a": a.strip().upper(), "b": b.strip().upper()}
        query = urlencode({**pair, "year": year} if year else pair)
        return RedirectResponse("/brief?" + query, 303)
    suffix = "" if view == "overview" else f"/{view}"
    query = f"?year={year}" if year else ""
    return RedirectResponse(f"/dyad/{a.strip().upper()}/{b.strip().upper()}{suffix}{query}", 303)


@router.get("/products")
def products_default(request: Request) -> Response:
    """The products explorer for the case's dyad."""
    current_user(request)
    a, b = _dyad(request, None, None)
    return RedirectResponse(f"/dyad/{a}/{b}/products", status_code=303)


@router.get("/dyad/{a}/{b}/products")
def products_page(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ = None,
    level: Annotated[int, Query(ge=2, le=6)] = 4,
    flow: Annotated[FlowDirection, Query()] = "export",
    basket: Annotated[str | None, Query(pattern=r"^[a-z0-9_]{0,64}$")] = None,
    sort: Annotated[ProductSort, Query()] = "rank",
    order: Annotated[SortOrder, Query()] = "asc",
) -> Response:
    """Products filtered by year, level, flow and basket; sortable; CSV download."""
    from bilat.codes.baskets import load_baskets
    from bilat.document import to_document

    current_user(request)
    st = api.app_state(request)
    a, b, basket = a.upper(), b.upper(), basket or None
    y = api.year_or_latest(request, year)
    listing = st.trade.products(
        a, b, year=y, level=level, flow=flow, basket=basket, sort=sort, order=order, top=500
    )
    params: dict[str, Any] = {"year": y, "level": level, "flow": flow}
    if basket:
        params["basket"] = basket
    csv_url = "/api/trade/products.csv?" + urlencode(
        {"a": a, "b": b, **params, "sort": sort, "order": order}
    )
    return render(
        request,
        "products.html",
        title=_("Products"),
        res=to_document(listing),
        a=a,
        b=b,
        params=params,
        query=urlencode(params),
        csv_url=csv_url,
        baskets=sorted(load_baskets().items()),
        years=st.trade.years(),
        picker={"a": a, "b": b, "year": year, "view": "products"},
    )


@router.get("/dyad/{a}/{b}/product/{code}")
def product_page(
    request: Request,
    a: Country,
    b: Country,
    code: Annotated[str, Path(pattern=r"^\d{2}(\d{2}){0,2}$")],
) -> Response:
    """One HS product's trade between the pair over every year the lake holds: a chart of
    both directions and the table under it (gaps say why, never 0)."""
    from bilat.web.charts import to_svg, years_chart

    current_user(request)
    st = api.app_state(request)
    a, b = a.upper(), b.upper()
    rows = st.trade.product_years(a, b, code)
    described = [r["description"] for r in rows if r.get("description")]
    points = [{**r, "series": f"{r['exporter']}→{r['importer']}"} for r in rows]
    title = _("HS %(code)s, %(a)s–%(b)s, by year") % {"code": code, "a": a, "b": b}
    chart = to_svg(years_chart(points, title=title)) if any(r["value_usd"] for r in rows) else ""
    return render(
        request, "product.html", title=title, code=code, a=a, b=b, rows=rows, chart=chart,
        description=described[0] if described else None,
        picker={"a": a, "b": b, "view": "products"},
    )  # fmt: skip


@router.get("/potential")
def potential_default(request: Request) -> Response:
    """Export potential for the case's dyad."""
    current_user(request)
    a, b = _dyad(request, None, None)
    return RedirectResponse(f"/dyad/{a}/{b}/potential", status_code=303)


@router.get("/dyad/{a}/{b}/potential")
def potential_page(
    request: Request,
    a: Country,
    b: Country,
    year: YearQ = None,
    level: Annotated[int, Query(ge=2, le=6)] = 6,
) -> Response:
    """The gap and the top unrealised products."""
    from bilat.document import to_document
    from bilat.errors import BilatError

    current_user(request)
    st = api.app_state(request)
    try:
        y = api.year_or_latest(request, year)
        data = to_document(st.trade.potential(a.upper(), b.upper(), year=y, level=level, top=25))
        problem = None
    except BilatError as exc:
        data, problem = None, exc.message
    picker = {"a": a.upper(), "b": b.upper(), "year": year, "view": "potential"}
    return render(
        request, "potential.html", title=_("Potential"), pot=data, problem=problem, a=a, b=b,
        picker=picker,
    )  # fmt: skip


# ------------------------------------------------------------------------------ agenda


def _agenda_response(
    request: Request,
    meeting: str | None = None,
    status: Status | None = None,
    area: str | None = None,
    *,
    form: dict[str, str] | None = None,
    problem: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    data = api_case.items(request, meeting, status, area, False)
    ag = api.app_state(request).agenda()
    response = render(
        request,
        "agenda.html",
        title=_("Commitments"),
        items=data["items"],
        meetings=api_case.plain(ag.meetings()),
        commissions=api_case.plain(ag.commissions()),
        statuses=STATUSES,
        kinds=KINDS,
        chosen={"meeting": meeting, "status": status, "area": area},
        form=form or {"status": "agreed"},
        problem=problem,
    )
    response.status_code = status_code
    return response


@router.get("/agenda")
def agenda_page(
    request: Request,
    meeting: api_case.Ident = None,
    status: Annotated[Status | None, Query()] = None,
    area: api_case.Ident = None,
) -> Response:
    """The agenda by meeting, status and area; editors get the "Add item" form."""
    return _agenda_response(request, meeting, status, area)


def _split(text: str) -> list[str]:
    return [t for t in re.split(r"[,;\s]+", text) if t]


@router.post("/agenda/items")
async def item_add(request: Request) -> Response:
    """Add an item from the Commitments page's form (editor); errors shown in the page."""
    from starlette.concurrency import run_in_threadpool

    from bilat.errors import ConflictError, InputError
    from bilat.web.errors import status_of

    user = require(request, "editor")
    form = await request.form()
    token = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else "")
    values = {k: str(form.get(k) or "").strip()[:4000] for k in ITEM_FIELDS}
    fields: dict[str, Any] = {k: v or None for k, v in values.items()}
    fields["kind"], fields["title"] = values["kind"], values["title"]
    fields["status"] = values["status"] or "agreed"
    fields["baskets"], fields["hs"] = _split(values["baskets"]), _split(values["hs"])
    try:
        view = await run_in_threadpool(api_case.create_item, request, user.name, fields)
    except (InputError, ConflictError) as exc:
        code = status_of(exc)
        problem = {"status": code, "message": exc.message, "details": exc.details}
        return await run_in_threadpool(
            _agenda_response, request, form=values, problem=problem, status_code=code
        )
    return RedirectResponse(f"/agenda/{view.id}", status_code=303)


@router.get("/agenda/{item_id}")
def item_page(request: Request, item_id: api_case.ItemId) -> Response:
    """One item: its history, the linked trade series, and (editors) a status form."""
    data = api_case.item(request, item_id)
    return render(
        request,
        "item.html",
        title=data["item"]["title"],
        it=data["item"],
        progress=data["progress"],
        progress_chart=_progress_chart(data["progress"]),
        statuses=STATUSES,
        editable=EDITABLE_FIELDS,
        kinds=KINDS,
        grades=GRADES,
        indicators=item_indicators(request, item_id),
    )


def _progress_chart(progress: dict[str, Any] | None) -> str:
    """The item's linked trade over the years as inline SVG ("" when there is no value)."""
    from bilat.web.charts import to_svg, years_chart

    if not progress or not progress.get("points"):
        return ""
    points = [
        {**p, "series": f"{p['series']} {p['exporter']}→{p['importer']}"}
        for p in progress["points"]
    ]
    return to_svg(years_chart(points, title=_("Linked trade by year")))


@router.post("/agenda/{item_id}/changes")
def item_change(
    request: Request,
    item_id: api_case.ItemId,
    expected_version: Annotated[int, Form(ge=0)],
    csrf_token: Annotated[str, Form()] = "",
    status: Annotated[Status | Literal[""], Form()] = "",
    date: Annotated[str, Form(max_length=10, pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    source: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Record a status change from the item page's form (editor)."""
    user = require(request, "editor")
    check_csrf(request, csrf_token)
    api.app_state(request).agenda().update(
        item_id,
        status=status or None,
        date=date or None,
        note=note or None,
        source=source or None,
        author=user.name,
        expected_version=expected_version,
    )
    return RedirectResponse(f"/agenda/{item_id}", status_code=303)


# issue 18: agenda edits — the item page's edit and remove forms (editor).
@router.post("/agenda/{item_id}/edit")
async def item_edit(request: Request, item_id: api_case.ItemId) -> Response:
    """Edit an item from its page's form (editor): every field of ``EDITABLE_FIELDS``.

    A field sent blank is cleared; a field not sent is left as it is. Baskets and HS codes
    are written as lists separated by commas or blanks.
    """
    from starlette.concurrency import run_in_threadpool

    user = require(request, "editor")
    form = await request.form()
    text = {k: v.strip()[:4000] for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, text.get("csrf_token", ""))
    version = text.get("expected_version", "")
    if not version.isdigit():
        from bilat.errors import InputError

        raise InputError(
            _("expected_version must be the item's version (a whole number)"),
            details={"value": version, "expected": "0, 1, 2 ..."},
        )
    changes: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        if name not in text:
            continue
        value = text[name]
        changes[name] = _split(value) if name in ("baskets", "hs") else value or None
    st = api.app_state(request)
    await run_in_threadpool(
        lambda: st.agenda().edit(
            item_id,
            expected_version=int(version),
            author=user.name,
            reason=text.get("reason") or None,
            case_dir=st.settings.case(),
            **changes,
        )
    )
    return RedirectResponse(f"/agenda/{item_id}", status_code=303)


@router.post("/agenda/{item_id}/remove")
def item_remove(
    request: Request,
    item_id: api_case.ItemId,
    expected_version: Annotated[int, Form(ge=0)],
    reason: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Remove an item from its page's form (editor); the page then shows it as removed."""
    user = require(request, "editor")
    check_csrf(request, csrf_token)
    api.app_state(request).agenda().remove(
        item_id, expected_version=expected_version, reason=reason, author=user.name
    )
    return RedirectResponse(f"/agenda/{item_id}", status_code=303)


# ---- issue 18: indicators — the item page's indicators and the form to record an actual.
def item_indicators(request: Request, item_id: str) -> Any:
    """The item's indicators as plain data (``GET /api/agenda/items/{id}/indicators``)."""
    st = api.app_state(request)
    with st.trade.lock:
        report = st.agenda().indicators(item_id, st.lake)
    return api_case.plain(report)


@router.post("/agenda/{item_id}/indicators/{key}/actuals")
def item_actual(
    request: Request,
    item_id: api_case.ItemId,
    key: api_case.ItemId,
    expected_version: Annotated[int, Form(ge=0)],
    period: Annotated[str, Form(max_length=10)] = "",
    value: Annotated[str, Form(max_length=40)] = "",
    source: Annotated[str, Form(max_length=1000)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Record an entered actual from the item page's form (editor)."""
    user = require(request, "editor")
    check_csrf(request, csrf_token)
    api.app_state(request).agenda().record_actual(
        item_id, key, period=period, value=value, source=source, note=note or None,
        author=user.name, expected_version=expected_version,
    )  # fmt: skip
    return RedirectResponse(f"/agenda/{item_id}", status_code=303)


# ------------------------------------------------------------------------------ air


ROUTES_PAGE = 50


@router.get("/air")
def air_page(
    request: Request,
    q: Annotated[str, Query(max_length=80)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The SSIM check form first, then the agreements and the permitted routes (searched
    with ``q``, ``ROUTES_PAGE`` to a page)."""
    return _air_response(request, q=q, page=page)


def _air_response(
    request: Request, *, q: str = "", page: int = 1, report: Any = None, carrier_states: str = ""
) -> Response:
    ags = api_case.agreements(request)
    routes = api_case.routes(request, None)["routes"]
    return render(
        request, "air.html", title=_("Air services"), ags=ags, rp=routes_page(routes, q, page),
        report=report, carrier_states=carrier_states, **_words(),
    )  # fmt: skip


def _route_text(r: dict[str, Any]) -> str:
    from bilat.air.freedoms import freedoms_words

    parts = [r.get("carrier") or "", "-".join(r.get("routing") or ()), r.get("kind") or ""]
    parts.append(freedoms_words(r.get("freedoms") or ()))
    return " ".join(str(p) for p in parts).lower()


def routes_page(routes: list[dict[str, Any]], q: str, page: int) -> dict[str, Any]:
    """The routes matching every word of ``q`` (carrier, airports, kind, freedoms), one page
    of them, and the counts: ``total``, ``matched``, ``first``..``last``, ``pages``."""
    q = " ".join(q.split())
    words = q.lower().replace("–", "-").split()
    matched = [r for r in routes if all(w in _route_text(r) for w in words)]
    pages = max(1, -(-len(matched) // ROUTES_PAGE))
    page = min(page, pages)
    start = (page - 1) * ROUTES_PAGE
    rows = matched[start : start + ROUTES_PAGE]
    return {
        "q": q,
        "query": urlencode({"q": q}) + "&" if q else "",
        "total": len(routes),
        "matched": len(matched),
        "rows": rows,
        "page": page,
        "pages": pages,
        "first": start + 1 if rows else 0,
        "last": start + len(rows),
    }


def _words() -> dict[str, Any]:
    """The air page's helpers that put numbers and codes into words."""
    from bilat.air.freedoms import freedoms_words
    from bilat.air.groups import day_names

    return {"freedoms_words": freedoms_words, "day_names": day_names}


@router.post("/air/schedule")
async def air_schedule(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    carrier_states: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Check an uploaded SSIM schedule and show the compliance report (above the routes)."""
    report = await api_case.check_ssim(request, file, csrf_token, carrier_states)
    states = ", ".join(carrier_states or [])
    return _air_response(request, report=report, carrier_states=states)


# ------------------------------------------------------------------------------ brief, sources


@router.get("/brief")
def brief_page(
    request: Request,
    year: YearQ = None,
    a: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    b: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
) -> Response:
    """Choose a dyad (the case's, or the picker's ``a`` and ``b``) and year; view or
    download the HTML briefing."""
    current_user(request)
    st = api.app_state(request)
    a, b = _dyad(request, a, b)
    return render(
        request,
        "brief.html",
        title=_("Briefing"),
        a=a,
        b=b,
        year=year or st.latest_year(),
        years=st.trade.years(),
        problem=None,
        picker={"a": a, "b": b, "year": year, "view": "brief"},
    )


@router.get("/brief/{a}/{b}/{year}")
def brief_view(
    request: Request,
    a: api_case.CountryP,
    b: api_case.CountryP,
    year: Annotated[int, Path(ge=1950, le=2100)],
) -> Response:
    """The HTML briefing, shown in the browser (the API route downloads it)."""
    from bilat.web.guard import CONTENT_SECURITY_POLICY, style_hashes

    current_user(request)
    text = api_case.render_brief(api.app_state(request), a.upper(), b.upper(), year, "html")
    # The briefing is one self-contained file with its own <style>: allow exactly that.
    policy = CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", "style-src 'self' " + " ".join(style_hashes(text))
    )
    return HTMLResponse(text, headers={"Content-Security-Policy": policy})


@router.get("/sources")
def sources_page(request: Request) -> Response:
    """What is in the lake, with provenance; admins get the upload form."""
    from bilat.document import to_document

    current_user(request)
    data = to_document(api.contents_of(request))
    return render(
        request, "sources.html", title=_("Sources"), src=data, report=None, kinds=api.UPLOAD_KINDS
    )


@router.post("/sources/upload")
async def sources_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    kind: Annotated[api.UploadKind, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Ingest an uploaded file (admin) and show the report (the Upload page's form)."""
    return await upload_submit(request, file, kind, csrf_token)


@router.get("/upload")
def upload_page(request: Request) -> Response:
    """The upload form (admin): a data file and its kind; others get the 403 page."""
    require(request, "admin")
    return render(request, "upload.html", title=_("Upload a data file"), kinds=api.UPLOAD_KINDS)


_SAVED = re.compile(r"\S*?uploads/[0-9a-f]{12}-")


@router.post("/upload")
async def upload_submit(
    request: Request,
    file: Annotated[UploadFile, File()],
    kind: Annotated[api.UploadKind, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Ingest the upload (admin): the report (rows, years, what it holds, the reader's
    warnings), or the error with its file, line and what to do; nothing ingested then."""
    from bilat.errors import BilatError
    from bilat.web.errors import PermissionDeniedError, status_of

    require(request, "admin")
    name = file.filename or ""
    try:
        report = await api.upload_source(request, file, kind, csrf_token)
    except PermissionDeniedError:
        raise
    except BilatError as exc:
        details = {
            k: _SAVED.sub("", v) if isinstance(v, str) else v for k, v in exc.details.items()
        }
        code = status_of(exc)
        problem = {
            "status": code,
            "message": _SAVED.sub("", exc.message),
            "file": name,
            "line": details.get("line"),
            "details": {k: v for k, v in details.items() if k != "path"},
        }
        response = render(
            request, "upload.html", title=_("Upload a data file"), kinds=api.UPLOAD_KINDS,
            kind=kind, problem=problem,
        )  # fmt: skip
        response.status_code = code
        return response
    for r in report["reports"]:
        r["file"] = re.sub(r"^[0-9a-f]{12}-", "", r["path"].replace("\\", "/").rsplit("/", 1)[-1])
    return render(
        request, "upload.html", title=_("Upload a data file"), kinds=api.UPLOAD_KINDS, kind=kind,
        report=report,
    )  # fmt: skip


# ------------------------------------------------------------------------------ API docs


def _schema_kind(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    for option in schema.get("anyOf", ()):
        if option.get("type") != "null":
            return _schema_kind(option)
    return str(schema.get("type", ""))


def api_operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI schema as rows: method, path, summary, parameters, body."""
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p.get("in", ""),
                    "required": bool(p.get("required")),
                    "kind": _schema_kind(p.get("schema", {})),
                }
                for p in op.get("parameters", ())
            ]
            body = sorted(op.get("requestBody", {}).get("content", {}))
            text = (op.get("description") or "").strip().split("\n\n")
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": text[0] if text and text[0] else "",
                    "params": params,
                    "body": body,
                }
            )
    return ops


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """The API's routes, read from the OpenAPI schema (signed-in users; no script, no CDN)."""
    current_user(request)
    ops = api_operations(request.app.openapi())
    return render(request, "apidocs.html", title=_("JSON API"), ops=ops)


# ------------------------------------------------------------------------------ users


@router.get("/users")
def users_page(request: Request) -> Response:
    """Accounts and a form to add one (admin)."""
    require(request, "admin")
    users = request.app.state.accounts.list()
    return render(request, "users.html", title=_("Users"), users=users, added=None)


@router.post("/users")
def users_add(
    request: Request,
    username: Annotated[str, Form(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")],
    password: Annotated[str, Form(min_length=8, max_length=1024)],
    role: Annotated[Role, Form()] = "viewer",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Create an account from the form (admin)."""
    require(request, "admin")
    check_csrf(request, csrf_token)
    with password_slot(request):
        added = request.app.state.accounts.add(username, password, role=role)
    users = request.app.state.accounts.list()
    return render(request, "users.html", title=_("Users"), users=users, added=added)


# ---- issue 18: grades


@router.post("/agenda/{item_id}/grade")
def item_grade(
    request: Request,
    item_id: api_case.ItemId,
    expected_version: Annotated[int, Form(ge=0)],
    as_of: Annotated[str, Form(max_length=10)] = "",
    grade: Annotated[str, Form(max_length=12)] = "",
    evidence: Annotated[str, Form(max_length=8000)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Grade an item from its page's form (editor): one ``SOURCE::FIGURE`` per line."""
    user = require(request, "editor")
    check_csrf(request, csrf_token)
    api.app_state(request).agenda().grade(
        item_id,
        as_of=as_of,
        grade=grade,
        evidence=[line for line in evidence.splitlines() if line.strip()],
        note=note or None,
        author=user.name,
        expected_version=expected_version,
    )
    return RedirectResponse(f"/agenda/{item_id}", status_code=303)
