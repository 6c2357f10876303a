"""The JSON API over the case: agenda, air services, briefing, and user accounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bilat.agenda import ItemList, ItemView, Progress
from bilat.air import (
    AgreementDiff,
    AgreementsReport,
    FlightCheck,
    RouteListCheck,
    RoutesReport,
    ScheduleCheck,
    SlotReport,
    agreements_report,
    parse_carrier_states,
    routes_report,
)
from bilat.claims import ClaimHistory, ClaimsCheck
from bilat.options import BriefFormat, ItemKind, Role, Status
from bilat.web.api import SSIM_TYPES, app_state, save_upload
from bilat.web.models import document_response, model_for
from bilat.web.security import check_csrf, current_user, password_slot, require

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

ItemId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,120}$")]
Ident = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,120}$")]
CountryP = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
ItemQ = Annotated[str, Query(pattern=r"^[A-Za-z0-9_.:-]{1,120}$", description="The item's id.")]
Segments = Annotated[
    list[str] | None, Query(max_length=20, description="Segments such as NQZ-ALA.")
]
CarrierStates = Annotated[
    list[str] | None, Query(max_length=20, description="Carriers' states, XX=ISO3 each.")
]
SSIM_MAX_BYTES = 50 * 1024 * 1024


def plain(obj: Any) -> Any:
    """Plain JSON data from library results (dataclasses, dates, tuples)."""
    from bilat.document import to_document

    return to_document(obj)


# ------------------------------------------------------------------------------ agenda


@router.get("/agenda/meetings")
def meetings(request: Request) -> dict[str, Any]:
    """The commission's meetings, by date."""
    current_user(request)
    ag = app_state(request).agenda()
    return {"commissions": plain(ag.commissions()), "meetings": plain(ag.meetings())}


def items(
    request: Request,
    meeting: str | None = None,
    status: Status | None = None,
    area: str | None = None,
    overdue: bool = False,
) -> dict[str, Any]:
    """The document of the items that match, as of today (for the Commitments page)."""
    current_user(request)
    ag = app_state(request).agenda()
    listed: dict[str, Any] = plain(
        ag.list_items(meeting=meeting, status=status, area=area, overdue=overdue)
    )
    return listed


def item(request: Request, item_id: str) -> dict[str, Any]:
    """One item's document and, when it links trade, its progress (for the item page)."""
    current_user(request)
    st = app_state(request)
    view = st.agenda().item(item_id)
    return {"item": plain(view), "progress": item_progress(st, item_id, view)}


def item_progress(st: Any, item_id: str, view: Any) -> dict[str, Any] | None:
    """The trade series linked to an item, or ``None`` when it links none or has no data."""
    from bilat.errors import BilatError

    if not view.baskets and not view.hs:
        return None
    try:
        with st.trade.lock:
            result: dict[str, Any] = plain(st.agenda().progress(item_id, st.lake))
    except BilatError as exc:
        return {"error": exc.message}
    return result


@router.get("/agenda/list", response_model=model_for(ItemList))
def agenda_list(
    request: Request,
    commission: Ident = None,
    meeting: Ident = None,
    status: Annotated[Status | None, Query()] = None,
    area: Ident = None,
    kind: Annotated[ItemKind | None, Query()] = None,
    as_of: Annotated[dt.date | None, Query(description="Default: today.")] = None,
    overdue: bool = False,
    removed: bool = False,
) -> Response:
    """``bilat agenda list``: items with their status and overdue flag as of a date."""
    current_user(request)
    result = (
        app_state(request)
        .agenda()
        .list_items(
            commission=commission,
            meeting=meeting,
            status=status,
            area=area,
            kind=kind,
            as_of=as_of,
            overdue=overdue,
            removed=removed,
        )
    )
    return document_response(result)


@router.get("/agenda/show", response_model=model_for(ItemView))
def agenda_show(
    request: Request,
    item_id: ItemQ,
    as_of: Annotated[dt.date | None, Query(description="Default: today.")] = None,
) -> Response:
    """``bilat agenda show ITEM``: one item with its full history."""
    current_user(request)
    return document_response(app_state(request).agenda().item(item_id, as_of=as_of))


@router.get("/agenda/progress", response_model=model_for(Progress))
def agenda_progress(
    request: Request,
    item_id: ItemQ,
    before: Annotated[int, Query(ge=0, le=50, description="Years before the item's dates.")] = 3,
    after: Annotated[int, Query(ge=0, le=50, description="Years after the item's dates.")] = 3,
) -> Response:
    """``bilat agenda progress ITEM``: the trade linked to an item, around its dates."""
    current_user(request)
    st = app_state(request)
    with st.trade.lock:
        result = st.agenda().progress(item_id, st.lake, before=before, after=after)
    return document_response(result)


class ChangeBody(BaseModel):
    """A status change or a note on an agenda item."""

    status: Status | None = None
    date: dt.date | None = None
    note: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=1000)
    expected_version: int = Field(ge=0, description="The item's version you read.")


@router.post("/agenda/items/{item_id}/changes")
def add_change(request: Request, item_id: ItemId, body: ChangeBody) -> dict[str, Any]:
    """Record a status change (editor). Refused with 409 when the item changed meanwhile."""
    user = require(request, "editor")
    check_csrf(request)
    view = (
        app_state(request)
        .agenda()
        .update(
            item_id,
            status=body.status,
            date=body.date,
            note=body.note,
            source=body.source,
            author=user.name,
            expected_version=body.expected_version,
        )
    )
    return {"item": plain(view)}


class NewItemBody(BaseModel):
    """A new agenda item and its first status change (see ``Agenda.add_item``)."""

    id: str = Field(min_length=1, max_length=80, description="Lower-case id, unused so far.")
    meeting: str = Field(min_length=1, max_length=80, description="The meeting that agreed it.")
    kind: str = Field(max_length=40, description="decision, project, contract, proposal ...")
    title: str = Field(min_length=1, max_length=400)
    description: str | None = Field(default=None, max_length=4000)
    area: str | None = Field(default=None, max_length=80)
    party: str | None = Field(default=None, max_length=80, description="One of the dyad.")
    body: str | None = Field(default=None, max_length=400)
    due: str | None = Field(default=None, max_length=10, description="YYYY, YYYY-MM, YYYY-Qn ...")
    value: float | None = Field(default=None, ge=0, description="Omit when not reported.")
    currency: str | None = Field(default=None, max_length=3)
    count: int | None = Field(default=None, ge=0)
    baskets: list[str] = Field(default_factory=list, max_length=50)
    hs: list[str] = Field(default_factory=list, max_length=200)
    air_clause: str | None = Field(default=None, max_length=200)
    status: Status = "agreed"
    date: dt.date | None = Field(default=None, description="Default: the meeting's date.")
    note: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=1000)


def create_item(request: Request, author: str, fields: dict[str, Any]) -> Any:
    """Add an item through ``Agenda.add_item``; air clauses are checked against the case."""
    st = app_state(request)
    item_id = str(fields.pop("id", None) or "")
    return st.agenda().add_item(item_id, **fields, case_dir=st.settings.case(), author=author)


@router.post("/agenda/items", status_code=201)
def add_item(request: Request, body: NewItemBody) -> dict[str, Any]:
    """Add an agenda item (editor). 400 on a bad value, 409 when the id is taken."""
    user = require(request, "editor")
    check_csrf(request)
    view = create_item(request, user.name, body.model_dump())
    return {"item": plain(view)}


# ------------------------------------------------------------------------------ air


def agreements(request: Request) -> dict[str, Any]:
    """The document of the case's agreements (for the Air services page)."""
    current_user(request)
    result: dict[str, Any] = plain(agreements_report(app_state(request).agreements()))
    return result


def routes(request: Request, carrier: str | None = None) -> dict[str, Any]:
    """The document of the routings permitted (for the Air services page)."""
    current_user(request)
    result: dict[str, Any] = plain(routes_report(app_state(request).agreements(), carrier))
    return result


@router.get("/air/agreements", response_model=model_for(AgreementsReport))
def air_agreements(request: Request) -> Response:
    """``bilat air agreements``: the case's agreements, rights by party, with sources."""
    current_user(request)
    return document_response(agreements_report(app_state(request).agreements()))


@router.get("/air/check", response_model=model_for(FlightCheck))
def air_check(
    request: Request,
    flight: Annotated[str, Query(max_length=200, description='e.g. "B2 MSQ-NQZ-ALA".')],
    local_traffic: Segments = None,
    no_traffic: Segments = None,
    carrier_states: CarrierStates = None,
) -> Response:
    """``bilat air check``: each segment of a flight, which agreement grants it, or why not."""
    from bilat.air import check_flight, parse_carrier_states

    current_user(request)
    result = check_flight(
        app_state(request).agreements(),
        flight,
        local_traffic=local_traffic,
        no_traffic=no_traffic,
        carrier_states=parse_carrier_states(carrier_states),
    )
    return document_response(result)


@router.get("/air/routes", response_model=model_for(RoutesReport))
def air_routes(
    request: Request,
    carrier: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2}$")] = None,
) -> Response:
    """``bilat air routes``: routings the agreements permit a carrier (default: every one)."""
    current_user(request)
    return document_response(routes_report(app_state(request).agreements(), carrier))


async def ssim_check(
    request: Request,
    file: UploadFile,
    csrf_token: str | None,
    carriers: list[str] | None = None,
    carrier_states: list[str] | None = None,
) -> ScheduleCheck:
    """An uploaded SSIM file checked against the case's agreements; nothing is stored."""
    import tempfile
    from pathlib import Path as FsPath

    from starlette.concurrency import run_in_threadpool

    from bilat.air import check_ssim as check

    current_user(request)
    check_csrf(request, csrf_token)
    st = app_state(request)
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(file, FsPath(tmp), allowed=SSIM_TYPES, max_bytes=SSIM_MAX_BYTES)
        data = path.read_bytes()
    name = (file.filename or "upload.ssim").replace("/", "_")[-120:]
    states = parse_carrier_states(carrier_states)
    result: ScheduleCheck = await run_in_threadpool(
        lambda: check(st.agreements(), data, name=name, carriers=carriers, carrier_states=states)
    )
    return result


async def check_ssim(
    request: Request,
    file: UploadFile,
    csrf_token: str | None,
    carrier_states: list[str] | None = None,
) -> Any:
    """The document of an uploaded schedule's check (for the Air services page)."""
    return plain(await ssim_check(request, file, csrf_token, carrier_states=carrier_states))


@router.post("/air/schedule", response_model=model_for(ScheduleCheck))
async def air_schedule(
    request: Request,
    file: Annotated[UploadFile, File(description="An SSIM Chapter 7 schedule file.")],
    carriers: Annotated[list[str] | None, Form(description="Only these carriers.")] = None,
    carrier_states: Annotated[
        list[str] | None,
        Form(description="Carrier states, XX=ISO3 each (or comma-separated: XX=FRA,YY=DEU)."),
    ] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air schedule``: an uploaded SSIM schedule checked; nothing is stored."""
    return document_response(await ssim_check(request, file, csrf_token, carriers, carrier_states))


# ------------------------------------------------------------------------------ claims


@router.get("/claims/check", response_model=model_for(ClaimsCheck))
def claims_check(
    request: Request,
    case: Annotated[
        str | None,
        Query(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="A shipped case's name."),
    ] = None,
    record: Annotated[
        bool,
        Query(
            description="Always false: a GET is a read and records nothing (`bilat claims "
            "check` records); true is refused with 400."
        ),
    ] = False,
) -> Response:
    """``bilat claims check CASE --no-record``: each claim's verdict (default: the app's
    case) and what changed since the last recorded check; records nothing."""
    from bilat.claims import check_and_record
    from bilat.errors import InputError

    current_user(request)
    if record:
        raise InputError(
            "a GET records nothing: check with `bilat claims check` to record the check",
            details={"record": True},
        )
    st = app_state(request)
    folder = st.settings.case() if case is None else shipped_case(case)
    with st.trade.lock:
        result = check_and_record(st.lake, folder, record=False)
    return document_response(result)


def shipped_case(name: str) -> Any:
    """The folder of a case that ships with bilat (a name, never a path the user types)."""
    from bilat.cases import resolve_case

    return resolve_case(name)


# ------------------------------------------------------------------------------ brief


def build_doc(st: Any, a: str, b: str, year: int) -> Any:
    """The briefing of a dyad and year (call under ``st.trade.lock``)."""
    from bilat.brief import build_briefing

    return build_briefing(st.lake, a, b, year=year, case=st.settings.case(), agenda=st.agenda())


def render_brief(st: Any, a: str, b: str, year: int, fmt: BriefFormat) -> Any:
    """The briefing of a dyad and year (HTML text, or its JSON data)."""
    from bilat.brief import render_html

    with st.trade.lock:
        doc = build_doc(st, a, b, year)
        return render_html(doc) if fmt == "html" else doc.to_dict()


@router.get("/brief/{a}/{b}/{year}")
def brief_json(
    request: Request, a: CountryP, b: CountryP, year: Annotated[int, Path(ge=1950, le=2100)]
) -> dict[str, Any]:
    """The briefing's data for a dyad and year."""
    current_user(request)
    result: dict[str, Any] = render_brief(app_state(request), a.upper(), b.upper(), year, "json")
    return result


@router.get("/brief/{a}/{b}/{year}/download", response_class=Response)
def brief_download(
    request: Request,
    a: CountryP,
    b: CountryP,
    year: Annotated[int, Path(ge=1950, le=2100)],
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
) -> Response:
    """The briefing as one self-contained HTML file, or as PDF (A4), as a download, in the
    request's language."""
    from bilat.brief import render_html, render_pdf

    current_user(request)
    a, b = a.upper(), b.upper()
    st = app_state(request)
    with st.trade.lock:
        doc = build_doc(st, a, b, year)
    text = render_html(doc)
    name = f"brief-{a}-{b}-{year}"
    if format == "pdf":
        return Response(
            render_pdf(doc, html=text),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
        )
    return Response(
        text,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.html"'},
    )


# ------------------------------------------------------------------------------ users


class NewUser(BaseModel):
    """An account to create."""

    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=1024)
    role: Role = "viewer"


@router.get("/users")
def users(request: Request) -> dict[str, Any]:
    """Every account (admin)."""
    require(request, "admin")
    return {"users": plain(request.app.state.accounts.list())}


@router.post("/users", status_code=201)
def add_user(request: Request, body: NewUser) -> dict[str, Any]:
    """Create an account (admin)."""
    require(request, "admin")
    check_csrf(request)
    with password_slot(request):
        user = request.app.state.accounts.add(body.username, body.password, role=body.role)
    return {"user": plain(user)}


# --- issue 17: slots

SLOT_TYPES = (".txt", ".scr", ".sir")
SLOT_MAX_BYTES = 5 * 1024 * 1024


@router.post("/air/slots", response_model=model_for(SlotReport))
async def air_slots(
    request: Request,
    file: Annotated[UploadFile, File(description="An SSIM Chapter 6 slot message (SCR, SIR).")],
    dated: Annotated[bool, Form(description="Expand the lines to dated slots.")] = False,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air slots``: an uploaded SCR/SIR message read (and dated); nothing is stored."""
    import tempfile
    from pathlib import Path as FsPath

    from starlette.concurrency import run_in_threadpool

    from bilat.air import slot_report

    current_user(request)
    check_csrf(request, csrf_token)
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(file, FsPath(tmp), allowed=SLOT_TYPES, max_bytes=SLOT_MAX_BYTES)
        data = path.read_bytes()
    name = (file.filename or "upload.txt").replace("/", "_")[-120:]
    result = await run_in_threadpool(lambda: slot_report(data, dated=dated, name=name))
    return document_response(result)


# --- issue 17: agreements

AGREEMENT_TYPES = (".yaml", ".yml")
AGREEMENT_MAX_BYTES = 4 * 1024 * 1024  # bilat._yaml.MAX_BYTES: the most any YAML file may be


@router.post("/air/diff", response_model=model_for(AgreementDiff))
async def air_diff(
    request: Request,
    before: Annotated[UploadFile, File(description="The agreement YAML before the amendment.")],
    after: Annotated[UploadFile, File(description="The agreement YAML after it.")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air diff``: what changed between two uploaded versions of one agreement."""
    import tempfile
    from pathlib import Path as FsPath

    from starlette.concurrency import run_in_threadpool

    from bilat.air import diff_agreements, load_agreement

    current_user(request)
    check_csrf(request, csrf_token)
    sides = (("before", before), ("after", after))
    with tempfile.TemporaryDirectory() as tmp:
        paths = [
            await save_upload(
                f, FsPath(tmp) / side, allowed=AGREEMENT_TYPES, max_bytes=AGREEMENT_MAX_BYTES
            )
            for side, f in sides
        ]
        # Messages name the upload as the user sent it, never the server's temporary path.
        names = [(f.filename or f"{side}.yaml").replace("/", "_")[-120:] for side, f in sides]
        result = await run_in_threadpool(
            lambda: diff_agreements(
                load_agreement(paths[0], name=names[0], argument="before"),
                load_agreement(paths[1], name=names[1], argument="after"),
            )
        )
    return document_response(result)


# --- issue 17: openflights

ROUTE_LIST_TYPES = (".ssim", ".txt", ".dat", ".csv")


async def _upload_bytes(upload: UploadFile, fallback: str) -> tuple[bytes, str]:
    """An upload's bytes and its safe name (the file is kept in a temporary folder only)."""
    import tempfile
    from pathlib import Path as FsPath

    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(
            upload, FsPath(tmp), allowed=ROUTE_LIST_TYPES, max_bytes=SSIM_MAX_BYTES
        )
        data = path.read_bytes()
    return data, (upload.filename or fallback).replace("/", "_")[-120:]


@router.post("/air/routes", response_model=model_for(RouteListCheck))
async def air_routes_flown(
    request: Request,
    schedule: Annotated[
        UploadFile, File(description="An SSIM schedule or an OpenFlights routes file.")
    ],
    airlines: Annotated[UploadFile | None, File(description="OpenFlights airlines.dat.")] = None,
    airports: Annotated[UploadFile | None, File(description="OpenFlights airports.dat.")] = None,
    carrier: Annotated[str | None, Form(pattern=r"^[A-Za-z0-9]{2}$")] = None,
    carrier_states: Annotated[list[str] | None, Form(description="XX=ISO3 each.")] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air routes --schedule FILE``: the routings flown and each route's verdict."""
    from starlette.concurrency import run_in_threadpool

    from bilat.air import check_route_file, read_openflights_airlines, read_openflights_airports

    current_user(request)
    check_csrf(request, csrf_token)
    st = app_state(request)
    data, name = await _upload_bytes(schedule, "routes.dat")
    extra: dict[str, tuple[bytes, str]] = {}
    for key, upload in (("airlines", airlines), ("airports", airports)):
        if upload is not None:
            extra[key] = await _upload_bytes(upload, f"{key}.dat")
    states = parse_carrier_states(carrier_states)

    def run() -> RouteListCheck:
        al = extra.get("airlines")
        ap = extra.get("airports")
        return check_route_file(
            st.agreements(),
            data,
            name=name,
            airlines=read_openflights_airlines(al[0], name=al[1]) if al else None,
            airports=read_openflights_airports(ap[0], name=ap[1]) if ap else None,
            carrier=carrier,
            carrier_states=states,
        )

    return document_response(await run_in_threadpool(run))


# --- issue 17: SSIM legs

from bilat.air.legs import LegsReport  # noqa: E402


@router.post("/air/legs", response_model=model_for(LegsReport))
async def air_legs(
    request: Request,
    file: Annotated[UploadFile, File(description="An SSIM Chapter 7 schedule file.")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air legs``: every flight leg of an uploaded SSIM file; nothing is stored."""
    import tempfile
    from pathlib import Path as FsPath

    from starlette.concurrency import run_in_threadpool

    from bilat.air.legs import legs_report

    current_user(request)
    check_csrf(request, csrf_token)
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(file, FsPath(tmp), allowed=SSIM_TYPES, max_bytes=SSIM_MAX_BYTES)
        data = path.read_bytes()
    name = (file.filename or "upload.ssim").replace("/", "_")[-120:]
    result: LegsReport = await run_in_threadpool(lambda: legs_report(data, name=name))
    return document_response(result)


# --- issue 17: flights and capacity

from bilat.air import CapacityReport, FlightsReport, ScheduleComparison  # noqa: E402


async def ssim_upload(
    request: Request, file: UploadFile, csrf_token: str | None
) -> tuple[bytes, str]:
    """An uploaded SSIM file's bytes and name, for the read routes below; nothing is stored."""
    import tempfile
    from pathlib import Path as FsPath

    current_user(request)
    check_csrf(request, csrf_token)
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(file, FsPath(tmp), allowed=SSIM_TYPES, max_bytes=SSIM_MAX_BYTES)
        data = path.read_bytes()
    return data, (file.filename or "upload.ssim").replace("/", "_")[-120:]


DateForm = Annotated[str | None, Form(max_length=10, description="YYYY-MM-DD.")]
SsimFile = Annotated[UploadFile, File(description="An SSIM Chapter 7 schedule file.")]
CarriersForm = Annotated[list[str] | None, Form(description="Only these carriers.")]


@router.post("/air/flights", response_model=model_for(FlightsReport))
async def air_flights(
    request: Request,
    file: SsimFile,
    start: DateForm = None,
    end: DateForm = None,
    carriers: CarriersForm = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air flights``: every dated flight of an uploaded SSIM file."""
    from starlette.concurrency import run_in_threadpool

    from bilat.air import flights_report

    data, name = await ssim_upload(request, file, csrf_token)
    result = await run_in_threadpool(
        lambda: flights_report(data, start, end, name=name, carriers=carriers)
    )
    return document_response(result)


@router.post("/air/capacity", response_model=model_for(CapacityReport))
async def air_capacity(
    request: Request,
    file: SsimFile,
    start: DateForm = None,
    end: DateForm = None,
    carriers: CarriersForm = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air capacity``: weekly flights, seats and ASK of an uploaded SSIM file."""
    from starlette.concurrency import run_in_threadpool

    from bilat.air import capacity_report

    data, name = await ssim_upload(request, file, csrf_token)
    result = await run_in_threadpool(
        lambda: capacity_report(data, start, end, name=name, carriers=carriers)
    )
    return document_response(result)


@router.post("/air/compare", response_model=model_for(ScheduleComparison))
async def air_compare(
    request: Request,
    season_a: Annotated[UploadFile, File(description="The base SSIM file.")],
    season_b: Annotated[UploadFile, File(description="The SSIM file compared with it.")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """``bilat air compare``: two uploaded SSIM schedules compared per carrier and pair."""
    from starlette.concurrency import run_in_threadpool

    from bilat.air import compare_schedules
    from bilat.air.ssim import parse_ssim

    a, name_a = await ssim_upload(request, season_a, csrf_token)
    b, name_b = await ssim_upload(request, season_b, csrf_token)
    result = await run_in_threadpool(
        lambda: compare_schedules(parse_ssim(a, path=name_a), parse_ssim(b, path=name_b))
    )
    return document_response(result)


# --- issue 18: exchange formats
from bilat.agenda.formats import DueDigest, due_items, parse_within  # noqa: E402


@router.get("/agenda/due", response_model=model_for(DueDigest))
def agenda_due(
    request: Request,
    within: Annotated[
        str, Query(max_length=12, description="Window from the as-of date: 30d or 2w.")
    ] = "30d",
    commission: Ident = None,
    as_of: Annotated[dt.date | None, Query(description="Default: today.")] = None,
) -> Response:
    """``bilat agenda due``: open items due within a window, and those already overdue."""
    current_user(request)
    days = parse_within(within)
    day = as_of or dt.date.today()
    items = app_state(request).agenda().items(commission=commission, as_of=day)
    return document_response(due_items(items, as_of=day, within_days=days))


# --- issue 18: claims history


@router.get("/claims/history", response_model=model_for(ClaimHistory))
def claims_history(
    request: Request,
    claim: Annotated[
        str, Query(min_length=1, max_length=200, description="The claim's id (claims.yaml).")
    ],
) -> Response:
    """``bilat claims history CLAIM``: every recorded verdict on a claim in the app's lake."""
    from bilat.claims import claim_history

    current_user(request)
    st = app_state(request)
    with st.trade.lock:
        result = claim_history(st.lake, claim)
    return document_response(result)


# --- issue 18: agenda edits


class EditBody(BaseModel):
    """New values of an agenda item's fields (``Agenda.edit``); ``clear`` empties fields."""

    expected_version: int = Field(ge=0, description="The item's version you read.")
    kind: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, min_length=1, max_length=400)
    description: str | None = Field(default=None, max_length=4000)
    area: str | None = Field(default=None, max_length=80)
    party: str | None = Field(default=None, max_length=80)
    body: str | None = Field(default=None, max_length=400)
    due: str | None = Field(default=None, max_length=10)
    value: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, max_length=3)
    count: int | None = Field(default=None, ge=0)
    baskets: list[str] | None = Field(default=None, max_length=50)
    hs: list[str] | None = Field(default=None, max_length=200)
    air_clause: str | None = Field(default=None, max_length=200)
    clear: list[str] = Field(default_factory=list, max_length=20)
    reason: str | None = Field(default=None, max_length=1000)


@router.post("/agenda/items/{item_id}/edit")
def edit_item(request: Request, item_id: ItemId, body: EditBody) -> dict[str, Any]:
    """Edit an item's fields (editor). 400 on a bad value, 409 when it changed meanwhile."""
    user = require(request, "editor")
    check_csrf(request)
    given = body.model_dump(exclude={"expected_version", "clear", "reason"}, exclude_none=True)
    for name in body.clear:
        given[name] = [] if name in ("baskets", "hs") else None
    st = app_state(request)
    view = st.agenda().edit(
        item_id,
        expected_version=body.expected_version,
        author=user.name,
        reason=body.reason,
        case_dir=st.settings.case(),
        **given,
    )
    return {"item": plain(view)}


class RemoveBody(BaseModel):
    """The removal of an agenda item (``Agenda.remove``)."""

    expected_version: int = Field(ge=0, description="The item's version you read.")
    reason: str = Field(min_length=1, max_length=1000, description="Why it is removed.")


@router.post("/agenda/items/{item_id}/remove")
def remove_item(request: Request, item_id: ItemId, body: RemoveBody) -> dict[str, Any]:
    """Remove an item, keeping its history (editor). 409 when it changed meanwhile."""
    user = require(request, "editor")
    check_csrf(request)
    view = (
        app_state(request)
        .agenda()
        .remove(
            item_id, expected_version=body.expected_version, reason=body.reason, author=user.name
        )
    )
    return {"item": plain(view)}


# ---- issue 18: grades
from bilat.agenda import GradeReport  # noqa: E402


@router.get("/agenda/grades", response_model=model_for(GradeReport))
def agenda_grades(
    request: Request,
    item_id: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z0-9_.:-]{1,120}$", description="One item: its grade history."),
    ] = None,
    as_of: Annotated[dt.date | None, Query(description="Default: today.")] = None,
    commission: Ident = None,
) -> Response:
    """``bilat agenda grades [ITEM]``: grades as of a date with evidence, and the summary."""
    current_user(request)
    report = app_state(request).agenda().grades(item_id, commission=commission, as_of=as_of)
    return document_response(report)


class EvidenceBody(BaseModel):
    """One piece of evidence: where it is reported, and the figure it reports."""

    source: str = Field(min_length=1, max_length=1000)
    figure: str | None = Field(default=None, max_length=400)
    note: str | None = Field(default=None, max_length=1000)


class GradeBody(BaseModel):
    """A compliance grade of an item as of a date (``Agenda.grade``)."""

    as_of: dt.date = Field(description="The date assessed at.")
    grade: str = Field(max_length=12, description="full, partial, none or too_early.")
    evidence: list[EvidenceBody] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=4000)
    expected_version: int | None = Field(default=None, ge=0, description="The version read.")


@router.post("/agenda/items/{item_id}/grade")
def grade_item(request: Request, item_id: ItemId, body: GradeBody) -> dict[str, Any]:
    """Grade an item (editor). 400 on a bad value or rule, 409 when it changed meanwhile."""
    user = require(request, "editor")
    check_csrf(request)
    view = (
        app_state(request)
        .agenda()
        .grade(
            item_id,
            as_of=body.as_of,
            grade=body.grade,
            evidence=[e.model_dump() for e in body.evidence],
            note=body.note,
            author=user.name,
            expected_version=body.expected_version,
        )
    )
    return {"item": plain(view)}


# ---- issue 18: indicators
from bilat.agenda.indicators import IndicatorReport  # noqa: E402


@router.get("/agenda/indicators", response_model=model_for(IndicatorReport))
def agenda_indicators(request: Request, item_id: Ident = None) -> Response:
    """``bilat agenda indicators [ITEM]``: indicators with actuals and progress."""
    current_user(request)
    st = app_state(request)
    with st.trade.lock:
        result = st.agenda().indicators(item_id, st.lake)
    return document_response(result)


@router.get("/agenda/items/{item_id}/indicators", response_model=model_for(IndicatorReport))
def item_indicators(request: Request, item_id: ItemId) -> Response:
    """One item's indicators (``bilat agenda indicators ITEM``); 404 for an unknown item."""
    return agenda_indicators(request, item_id)


class ActualBody(BaseModel):
    """An entered actual of an indicator (``Agenda.record_actual``)."""

    expected_version: int = Field(ge=0, description="The item's version you read.")
    period: str = Field(min_length=4, max_length=10, description="YYYY, YYYY-MM, YYYY-Qn ...")
    value: float = Field(allow_inf_nan=False, description="In the indicator's unit.")
    source: str = Field(min_length=1, max_length=1000, description="Where it is reported.")
    note: str | None = Field(default=None, max_length=4000)


@router.post("/agenda/items/{item_id}/indicators/{key}/actuals")
def record_actual(
    request: Request, item_id: ItemId, key: ItemId, body: ActualBody
) -> dict[str, Any]:
    """Record an actual (editor). 400 on a bad value, 409 when the item changed meanwhile."""
    user = require(request, "editor")
    check_csrf(request)
    ag = app_state(request).agenda()
    view = ag.record_actual(
        item_id, key, period=body.period, value=body.value, source=body.source,
        note=body.note, author=user.name, expected_version=body.expected_version,
    )  # fmt: skip
    return {"item": plain(view), "indicators": plain(ag.indicators(item_id))}
