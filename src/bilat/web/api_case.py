"""The JSON API over the case: agenda, air services, briefing, and user accounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bilat.web.api import SSIM_TYPES, app_state, save_upload
from bilat.web.security import check_csrf, current_user, password_slot, require

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

ItemId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,120}$")]
Status = Literal["proposed", "agreed", "in_progress", "done", "dropped"]
Ident = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,120}$")]
CountryP = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
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


@router.get("/agenda/items")
def items(
    request: Request,
    meeting: Ident = None,
    status: Annotated[Status | None, Query()] = None,
    area: Ident = None,
    overdue: bool = False,
) -> dict[str, Any]:
    """Agenda items with their status as of today, filtered by meeting, status and area."""
    current_user(request)
    ag = app_state(request).agenda()
    rows = ag.items(meeting=meeting, status=status, area=area, overdue=overdue)
    return {"n_items": len(rows), "items": plain(rows)}


@router.get("/agenda/items/{item_id}")
def item(request: Request, item_id: ItemId) -> dict[str, Any]:
    """One item with its history and, when it links trade, the linked series."""
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


@router.get("/air/agreements")
def agreements(request: Request) -> dict[str, Any]:
    """The case's air services agreements: rights by party, with sources."""
    current_user(request)
    return {"agreements": [a.summary() for a in app_state(request).agreements()]}


@router.get("/air/routes")
def routes(
    request: Request, carrier: Annotated[str | None, Query(pattern=r"^[A-Z0-9]{2}$")] = None
) -> dict[str, Any]:
    """Routings the agreements permit each designated carrier (or one carrier)."""
    from bilat.air import permitted_routes

    current_user(request)
    ags = app_state(request).agreements()
    carriers = sorted({c.iata for a in ags for c in a.carriers})
    if carrier is not None:
        carriers = [c for c in carriers if c == carrier]
    rows = [plain(r) for c in carriers for r in permitted_routes(ags, c)]
    return {"carriers": carriers, "routes": rows}


def schedule_report(agreements: Any, data: bytes, name: str) -> dict[str, Any]:
    """Parse SSIM bytes with the CLI's reader and check them against the agreements."""
    from bilat.air import check_schedule
    from bilat.air.ssim import parse_ssim

    schedule = parse_ssim(data, path=name)
    report = check_schedule(agreements, schedule)
    violations = _rows(report.violations)
    return {
        "file": name,
        "legs": schedule.legs.num_rows,
        "by_carrier": report.by_carrier(),
        "violations": violations,
        "caps_exceeded": [plain(c) for c in report.caps if c.exceeded],
        "warnings": list(report.warnings) + list(schedule.warnings),
        "compliant": not violations,
    }


def _rows(table_or_records: Any) -> list[dict[str, Any]]:
    # bilat.air returns violations as an Arrow table (older versions: a tuple of records)
    if hasattr(table_or_records, "to_pylist"):
        rows: list[dict[str, Any]] = plain(table_or_records.to_pylist())
        return rows
    records: list[dict[str, Any]] = plain(table_or_records)
    return records


@router.post("/air/schedule")
async def check_ssim(
    request: Request,
    file: Annotated[UploadFile, File(description="An SSIM Chapter 7 schedule file.")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Check an uploaded SSIM schedule against the agreements; nothing is stored."""
    import tempfile
    from pathlib import Path as FsPath

    from starlette.concurrency import run_in_threadpool

    current_user(request)
    check_csrf(request, csrf_token)
    st = app_state(request)
    with tempfile.TemporaryDirectory() as tmp:
        path = await save_upload(file, FsPath(tmp), allowed=SSIM_TYPES, max_bytes=SSIM_MAX_BYTES)
        data = path.read_bytes()
    name = (file.filename or "upload.ssim").replace("/", "_")[-120:]
    result: dict[str, Any] = await run_in_threadpool(schedule_report, st.agreements(), data, name)
    return result


# ------------------------------------------------------------------------------ brief


def briefing_module() -> Any:
    """``bilat.brief`` when it offers ``build_briefing``; else ``UnavailableError``."""
    import bilat.brief as brief
    from bilat.web.errors import UnavailableError

    if not (hasattr(brief, "build_briefing") and hasattr(brief, "render_html")):
        raise UnavailableError(
            "the briefing (bilat.brief) is not available in this installation yet",
            details={"module": "bilat.brief"},
        )
    return brief


def render_brief(st: Any, a: str, b: str, year: int, fmt: Literal["html", "json"]) -> Any:
    """The briefing of a dyad and year through ``bilat.brief`` (HTML text or JSON data)."""
    brief = briefing_module()
    with st.trade.lock:
        doc = brief.build_briefing(
            st.lake, a, b, year=year, case=st.settings.case(), agenda=st.agenda()
        )
        return brief.render_html(doc) if fmt == "html" else doc.to_dict()


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
    request: Request, a: CountryP, b: CountryP, year: Annotated[int, Path(ge=1950, le=2100)]
) -> Response:
    """The briefing as one self-contained HTML file, as a download."""
    current_user(request)
    a, b = a.upper(), b.upper()
    text = render_brief(app_state(request), a, b, year, "html")
    return Response(
        text,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="brief-{a}-{b}-{year}.html"'},
    )


# ------------------------------------------------------------------------------ users


class NewUser(BaseModel):
    """An account to create."""

    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=1024)
    role: Literal["viewer", "editor", "admin"] = "viewer"


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
