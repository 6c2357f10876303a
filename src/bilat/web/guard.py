"""Two ASGI middlewares: security headers on every response, and a guard before any body.

:class:`SecurityHeaders` wraps the whole app (error pages and 500s included): a strict
Content-Security-Policy (the pages load nothing from elsewhere, run no script and carry
no inline style), no framing, no MIME sniffing, a same-origin referrer, and the ``Secure``
flag on cookies when the request came over https (or always, when configured).

:class:`BodyGuard` runs before a route reads a request body: a request that needs a
signed-in user is refused (401, 403 for an upload by a non-admin) before a byte of its
body is read, and a body larger than the limit is refused (413) from its
``Content-Length``, or as soon as the bytes received pass the limit.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bilat import formats
from bilat.errors import BilatError
from bilat.i18n import gettext as _

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "FORM_MAX_BYTES",
    "BodyGuard",
    "SecurityHeaders",
    "style_hashes",
]

#: The pages need their own stylesheet and nothing else: charts are inline SVG drawn with
#: presentation attributes (no ``style``), and no page runs a script.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
#: Largest body of a request that is not a file upload (JSON, a form): 1 MiB.
FORM_MAX_BYTES = 1024 * 1024
#: Room for the form fields and multipart framing around an uploaded file.
MULTIPART_SLACK_BYTES = 1024 * 1024
#: Requests whose body may come from someone not signed in.
ANONYMOUS_BODIES = frozenset({"/api/login", "/login", "/api/logout", "/logout"})
#: Bodies only a role may send (the data uploads); every other body needs a signed-in user.
BODY_ROLES = {"/api/sources/upload": "admin", "/sources/upload": "admin", "/upload": "admin"}
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SecurityHeaders:
    """Add the security headers to every response; mark cookies ``Secure`` over https.

    Parameters
    ----------
    secure_cookies
        ``True``: always ``Secure``; ``False``: never; ``None``: when the request's scheme
        is https (uvicorn sets it from ``X-Forwarded-Proto`` sent by a trusted proxy).
    """

    def __init__(self, app: ASGIApp, *, secure_cookies: bool | None = None) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        secure = https if self.secure_cookies is None else self.secure_cookies

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if https and "strict-transport-security" not in headers:
                    headers["strict-transport-security"] = "max-age=31536000"
                if secure:
                    message["headers"] = [_secure_cookie(k, v) for k, v in message["headers"]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def style_hashes(html: str) -> list[str]:
    """CSP sources (``'sha256-...'``) allowing exactly the ``<style>`` blocks of ``html``."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _STYLE.findall(html)
    ]


def _secure_cookie(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return name, value + b"; secure"
    return name, value


class BodyGuard:
    """Refuse a request before its body is read: not signed in, wrong role, or too large.

    Runs inside the session middleware (it reads the session) and outside the routes.
    """

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        multipart = request.headers.get("content-type", "").lower().startswith("multipart/")
        limit = self.max_upload_bytes + MULTIPART_SLACK_BYTES if multipart else FORM_MAX_BYTES
        problem = None
        if scope["path"] not in ANONYMOUS_BODIES:
            problem = await run_in_threadpool(_who_may_send, request)
        if problem is None:
            problem = _too_large(_content_length(request), limit)
        if problem is not None:
            from bilat.web.errors import error_response

            response = error_response(request, problem)
            await response(scope, receive, send)
            return
        await self.app(scope, _limited(receive, limit), send)


def _who_may_send(request: Request) -> BilatError | None:
    from bilat.web.errors import NotSignedInError, PermissionDeniedError
    from bilat.web.security import optional_user

    user = optional_user(request)
    if user is None:
        return NotSignedInError("sign in first: POST /api/login or open /login")
    role = BODY_ROLES.get(request.url.path)
    if role is not None and not user.can(role):
        return PermissionDeniedError(
            f"this needs the {role} role; {user.name} is {user.role}. Ask an admin.",
            details={"needed": role, "role": user.role},
        )
    return None


def _content_length(request: Request) -> int | None:
    try:
        return int(request.headers.get("content-length", ""))
    except ValueError:
        return None


def _too_large(size: int | None, limit: int) -> BilatError | None:
    from bilat.web.errors import PayloadTooLargeError

    if size is None or size <= limit:
        return None
    return PayloadTooLargeError(_too_large_message(limit), details={"limit_bytes": limit})


def _too_large_message(limit: int) -> str:
    return _(
        "request body larger than the limit of %(n)s bytes; ingest big files with "
        "`bilat ingest` on the server, or raise BILAT_WEB_MAX_UPLOAD_MB"
    ) % {"n": formats.integer(limit)}


def _limited(receive: Receive, limit: int) -> Any:
    seen = 0

    async def receive_at_most() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # An HTTPException passes through FastAPI's body parsing to the handlers.
                raise HTTPException(413, detail=_too_large_message(limit))
        return message

    return receive_at_most
