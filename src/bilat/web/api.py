"""The JSON API: every page's data at ``/api/...``; the schema at ``/api/openapi.json``.

Reads, the schema included, need a signed-in user (any role); agenda writes need ``editor``; uploads to the lake
and user management need ``admin``. Every write needs the CSRF token (``X-CSRF-Token``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bilat import formats
from bilat.i18n import gettext as _
from bilat.options import FlowDirection, ProductSort, SortOrder
from bilat.sources.registry import READERS, upload_kinds
from bilat.tradeview import LakeContents
from bilat.web.errors import PayloadTooLargeError
from bilat.web.models import document_response, model_for
from bilat.web.security import check_csrf, csrf_token, current_user, require, sign_in, sign_out

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

UPLOAD_TYPES = (".csv", ".zip", ".json", ".tsv", ".txt")
#: Source kinds an upload may be ingested as: the registry's kinds that need no option.
UPLOAD_KINDS: dict[str, str] = {k: f"{READERS[k].files}" for k in upload_kinds()}
if TYPE_CHECKING:
    UploadKind = str
else:
    UploadKind = Literal[tuple(UPLOAD_KINDS)]
SSIM_TYPES = (".ssim", ".txt", ".dat")


def app_state(request: Request) -> Any:
    """The app's :class:`bilat.web.app.AppState`."""
    return request.app.state.bilat


def year_or_latest(request: Request, year: int | None) -> int:
    """``year`` when the lake has trade for it (else 404), or the latest year."""
    return int(app_state(request).trade.held_year(year))


# ------------------------------------------------------------------------------ session


class LoginBody(BaseModel):
    """Credentials."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness, the lake version and whether the lake holds synthetic data (no sign-in)."""
    st = app_state(request)
    return {"status": "ok", "lake_version": st.lake.version, "synthetic": st.lake.is_synthetic}


@router.post("/login")
def login(request: Request, body: LoginBody) -> dict[str, Any]:
    """Sign in; the answer carries the CSRF token for later writes."""
    user = sign_in(request, body.username, body.password)
    return {"user": user.name, "role": user.role, "csrf_token": csrf_token(request)}


@router.post("/logout")
def logout(request: Request) -> dict[str, Any]:
    """Sign out."""
    check_csrf(request)
    sign_out(request)
    return {"signed_out": True}


@router.get("/me")
def me(request: Request) -> dict[str, Any]:
    """The signed-in user, role and CSRF token."""
    user = current_user(request)
    return {"user": user.name, "role": user.role, "csrf_token": csrf_token(request)}


@router.get("/openapi.json", include_in_schema=False)
def openapi_schema(request: Request) -> Response:
    """The OpenAPI schema of this API (signed-in users; browsable at ``/api/docs``)."""
    current_user(request)
    return JSONResponse(request.app.openapi())


# ------------------------------------------------------------------------------ sources


@router.get("/sources", response_model=model_for(LakeContents))
def sources(request: Request, include_replaced: bool = False) -> Response:
    """What is in the lake, with provenance: ``bilat sources`` (``--all``: include_replaced)."""
    current_user(request)
    return document_response(contents_of(request, include_replaced=include_replaced))


def contents_of(request: Request, *, include_replaced: bool = False) -> LakeContents:
    """:func:`bilat.tradeview.contents` of the served lake (cached per lake version)."""
    from bilat.tradeview import contents

    trade = app_state(request).trade
    return trade.cached(  # type: ignore[no-any-return]
        ("contents", include_replaced),
        lambda: contents(trade.lake, include_replaced=include_replaced),
    )


async def save_upload(
    upload: UploadFile, folder: Path, *, allowed: tuple[str, ...], max_bytes: int
) -> Path:
    """Write an upload to ``folder`` under a safe name, refusing it past ``max_bytes``."""
    from bilat.web.data import safe_filename

    name = safe_filename(upload.filename or "", allowed=allowed)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".part") as tmp:
        size, digest = 0, hashlib.sha256()
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                tmp.close()
                Path(tmp.name).unlink(missing_ok=True)
                raise PayloadTooLargeError(
                    _(
                        "upload larger than the limit of %(n)s bytes; ingest big files "
                        "with `bilat ingest` on the server"
                    )
                    % {"n": formats.integer(max_bytes)},
                    details={"limit_bytes": max_bytes},
                )
            digest.update(chunk)
            tmp.write(chunk)
    target = folder / f"{digest.hexdigest()[:12]}-{name}"
    Path(tmp.name).replace(target)
    return target


def ingest_file(lake: Any, path: Path, kind: str) -> list[dict[str, Any]]:
    """Ingest an uploaded file with the same readers as ``bilat ingest``; nothing on error."""
    try:
        reports = lake.ingest(kind, path)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return [r.to_dict() for r in reports]


def locked_ingest(st: Any, path: Path, kind: str) -> list[dict[str, Any]]:
    """:func:`ingest_file` while no trade query runs on the lake's connection."""
    with st.trade.lock:
        return ingest_file(st.lake, path, kind)


@router.post("/sources/upload")
async def upload_source(
    request: Request,
    file: Annotated[UploadFile, File(description="A BACI CSV/zip or a Comtrade JSON/CSV.")],
    kind: Annotated[UploadKind, Form()],
    csrf_token: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Upload a data file and ingest it (admin). A bad file is refused, nothing ingested."""
    from starlette.concurrency import run_in_threadpool

    from bilat._config import home

    require(request, "admin")
    check_csrf(request, csrf_token)
    st = app_state(request)
    path = await save_upload(
        file, home() / "uploads", allowed=UPLOAD_TYPES, max_bytes=st.settings.max_upload_bytes
    )
    reports = await run_in_threadpool(locked_ingest, st, path, kind)
    return {"reports": reports, "lake_version": st.lake.version}


# ------------------------------------------------------------------------------ trade


@router.get("/years")
def years(request: Request) -> dict[str, Any]:
    """Years the lake holds trade for (flows or declarations: read through the trade view)."""
    current_user(request)
    return {"years": app_state(request).trade.years()}


PRODUCT_COLUMNS = (
    "rank",
    "product",
    "description",
    "value_usd",
    "share_pct",
    "previous_usd",
    "growth_pct",
)


def products_csv_text(rows: list[dict[str, Any]]) -> str:
    """Product rows as CSV text (cells starting with = + - @ are quoted as text)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(PRODUCT_COLUMNS)
    for r in rows:
        cells = []
        for c in PRODUCT_COLUMNS:
            v = r.get(c)
            text = "" if v is None else str(v)
            if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)):
                text = "'" + text
            cells.append(text)
        w.writerow(cells)
    return buf.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@router.get("/trade/products.csv", response_class=Response)
def products_csv(
    request: Request,
    a: Annotated[str, Query(pattern=r"^[A-Za-z0-9_]{2,16}$")],
    b: Annotated[str, Query(pattern=r"^[A-Za-z0-9_]{2,16}$")],
    year: Annotated[int, Query(ge=1950, le=2100)],
    level: int = 4,
    flow: Annotated[FlowDirection, Query()] = "export",
    basket: Annotated[str | None, Query(pattern=r"^[a-z0-9_]{0,64}$")] = None,
    sort: Annotated[ProductSort, Query()] = "rank",
    order: Annotated[SortOrder, Query()] = "asc",
) -> Response:
    """``GET /api/trade/products`` as a CSV download (every row)."""
    current_user(request)
    result = app_state(request).trade.products(
        a.upper(), b.upper(), year=year, level=level, flow=flow, basket=basket or None,
        sort=sort, order=order, top=None,
    )  # fmt: skip
    name = f"{a.upper()}-{b.upper()}-{result.year}-hs{result.level}-{flow}.csv"
    return Response(
        products_csv_text(result.rows.to_pylist()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
