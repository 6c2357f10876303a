"""The server-rendered pages: Jinja2 templates over the same data as the API."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bilat.agenda import EDITABLE_FIELDS, ITEM_FIELDS, KINDS, STATUSES
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
NAV = (
    ("/", "Overview"),
    ("/products", "Products"),
    ("/potential", "Potential"),
    ("/agenda", "Commitments"),
    ("/air", "Air services"),
    ("/brief", "Briefing"),
    ("/sources", "Sources"),
)


def page_context(request: Request, *, title: str, **extra: Any) -> dict[str, Any]:
    """What every page needs: the user, the CSRF token, the banner, the navigation."""
    from bilat.sample import SYNTHETIC_BANNER

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
        "nav": NAV,
        "path": request.url.path,
        **extra,
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
    return render(request, "login.html", title="Sign in", next=_local(next))


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
    """Check the form and sign in."""
    check_csrf(request, csrf_token)
    sign_in(request, username, password)
    return RedirectResponse(_local(next), status_code=303)


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
    data = to_document(st.trade.overview(a, b, y))
    return render(
        request,
        "overview.html",
        title=f"{data['a']}–{data['b']} {data['year']}",
        ov=data,
        chart=st.trade.series_chart(a, b, y),
        claims=st.trade.claims(data["a"], data["b"]),
        years=st.trade.years(),
    )


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
        title="Products",
        res=to_document(listing),
        a=a,
        b=b,
        params=params,
        query=urlencode(params),
        csv_url=csv_url,
        baskets=sorted(load_baskets().items()),
        years=st.trade.years(),
    )


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
    return render(request, "potential.html", title="Potential", pot=data, problem=problem, a=a, b=b)


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
        title="Commitments",
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
        statuses=STATUSES,
        editable=EDITABLE_FIELDS,
        kinds=KINDS,
        grades=GRADES,
        indicators=item_indicators(request, item_id),
    )


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
            "expected_version must be the item's version (a whole number)",
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


@router.get("/air")
def air_page(request: Request) -> Response:
    """The agreements, the permitted routes, and the SSIM upload form."""
    ags = api_case.agreements(request)
    routes = api_case.routes(request, None)
    return render(
        request, "air.html", title="Air services", ags=ags, routes=routes, report=None, **_words()
    )


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
    """Check an uploaded SSIM schedule and show the compliance report."""
    report = await api_case.check_ssim(request, file, csrf_token, carrier_states)
    ags = api_case.agreements(request)
    routes = api_case.routes(request, None)
    return render(
        request,
        "air.html",
        title="Air services",
        ags=ags,
        routes=routes,
        report=report,
        carrier_states=", ".join(carrier_states or []),
        **_words(),
    )


# ------------------------------------------------------------------------------ brief, sources


@router.get("/brief")
def brief_page(request: Request, year: YearQ = None) -> Response:
    """Choose a dyad and year; download the HTML briefing."""
    current_user(request)
    st = api.app_state(request)
    a, b = _dyad(request, None, None)
    problem = None
    return render(
        request,
        "brief.html",
        title="Briefing",
        a=a,
        b=b,
        year=year or st.latest_year(),
        years=st.trade.years(),
        problem=problem,
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
        request, "sources.html", title="Sources", src=data, report=None, kinds=api.UPLOAD_KINDS
    )


@router.post("/sources/upload")
async def sources_upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    kind: Annotated[api.UploadKind, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Ingest an uploaded file (admin) and show the report."""
    from bilat.document import to_document

    report = await api.upload_source(request, file, kind, csrf_token)
    data = to_document(api.contents_of(request))
    return render(
        request, "sources.html", title="Sources", src=data, report=report, kinds=api.UPLOAD_KINDS
    )


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
    return render(request, "apidocs.html", title="JSON API", ops=ops)


# ------------------------------------------------------------------------------ users


@router.get("/users")
def users_page(request: Request) -> Response:
    """Accounts and a form to add one (admin)."""
    require(request, "admin")
    users = request.app.state.accounts.list()
    return render(request, "users.html", title="Users", users=users, added=None)


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
    return render(request, "users.html", title="Users", users=users, added=added)


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
