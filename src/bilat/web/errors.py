"""The one error shape of the web app, and the one handler that applies it.

Every error, from the API or a page, is the document of :func:`bilat.document.error_document`
(``error``, ``status``, ``exit_code``, ``message``, ``details``), the same one ``--json`` prints.
The API answers with that JSON; pages render the same three fields as HTML. Library errors
(:class:`bilat.errors.BilatError`) map to a status by class; the web adds its own few
(sign-in, permission, throttling, size) as subclasses carrying their status.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bilat.document import error_document, http_status, to_document
from bilat.errors import (
    BilatError,
)
from bilat.i18n import gettext as _

__all__ = [
    "BusyError",
    "NotSignedInError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "TooManyAttemptsError",
    "UnavailableError",
    "WebError",
    "error_body",
    "error_response",
    "install_handlers",
    "status_of",
]

log = logging.getLogger("bilat.web")


class WebError(BilatError):
    """An error of the web layer itself; ``status`` is its HTTP status."""

    status = 400


class NotSignedInError(WebError):
    """The request needs a signed-in user (or the credentials were wrong)."""

    status = 401


class PermissionDeniedError(WebError):
    """The user's role does not allow this, or the CSRF token is missing or wrong."""

    status = 403


class PayloadTooLargeError(WebError):
    """An upload larger than the configured limit."""

    status = 413


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins for this username from this address; wait and retry."""

    status = 429


class BusyError(WebError):
    """The server is at its bound for costly work (password checks); retry shortly."""

    status = 503


class UnavailableError(WebError):
    """A part of bilat this page shows is not installed or not built yet."""

    status = 501


def status_of(exc: BilatError) -> int:
    """The HTTP status for a library or web error (:func:`bilat.document.http_status`)."""
    return http_status(exc)


def error_body(status: int, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error shape (:func:`bilat.document.error_document`) for an HTTP-layer error."""
    return error_document(status=status, message=message, details=details)


def _validation_details(exc: RequestValidationError) -> dict[str, Any]:
    problems = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        problems.append(
            {
                "where": ".".join(loc),
                "problem": str(err.get("msg", "")),
                "value": to_document(err.get("input")) if loc and loc[0] != "body" else None,
            }
        )
    return {"errors": problems}


def _validation_message(details: dict[str, Any]) -> str:
    parts = [f"{p['where']}: {p['problem']}" for p in details["errors"][:5]]
    return "invalid request: " + "; ".join(parts) + ". Check the parameters against /api/docs."


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api") and not path.startswith("/static")


def _respond(request: Request, body: dict[str, Any]) -> Response:
    status, details = int(body["status"]), body["details"]
    if _wants_html(request):
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        templates = getattr(request.app.state, "templates", None)
        page_context = getattr(request.app.state, "page_context", None)
        if templates is not None and page_context is not None:
            ctx = page_context(
                request, title=_("Error %(status)s") % {"status": status}, error=body
            )
            page: Response = templates.TemplateResponse(
                request, "error.html", ctx, status_code=status
            )
            _retry_after(page, details)
            return page
    response = JSONResponse(body, status_code=status)
    _retry_after(response, details)
    return response


def _retry_after(response: Response, details: dict[str, Any]) -> None:
    wait = details.get("retry_after_s")
    if isinstance(wait, int) and wait > 0:
        response.headers["Retry-After"] = str(wait)


def error_response(request: Request, exc: BilatError) -> Response:
    """The error shape for ``exc``, as JSON (API) or a page, for code outside the handlers."""
    return _respond(request, error_document(exc))


def install_handlers(app: Any) -> None:
    """Register the one handler for every kind of error on ``app``."""

    async def on_bilat(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, BilatError)  # registered for BilatError only
        return _respond(request, error_document(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page or API route at {request.url.path}; see /api/docs"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed at {request.url.path}"
        return _respond(request, error_body(exc.status_code, message))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        return _respond(request, error_body(422, _validation_message(details), details))

    async def on_other(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        message = "internal error; the server log has the details. Please report it."
        return _respond(request, error_body(500, message, {"error": type(exc).__name__}))

    app.add_exception_handler(BilatError, on_bilat)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_other)
