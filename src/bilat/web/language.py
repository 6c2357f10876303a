"""The language of each request: ``?lang=``, the language cookie, else ``Accept-Language``.

:class:`LanguageMiddleware` wraps the whole app (error pages included) and renders every
request inside :func:`bilat.i18n.use`, so every ``_()`` and every :mod:`bilat.formats`
call of the request speaks its language. The choice, first that applies:

1. ``?lang=ru`` (or ``en``) on any URL: used, and kept in the ``bilat_lang`` cookie;
2. the ``bilat_lang`` cookie;
3. the browser's ``Accept-Language`` (:func:`bilat.i18n.negotiate`);
4. English.

An unknown ``?lang=`` or cookie value is ignored (the next rule applies), never an error:
a language switch must not be able to break a page.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bilat import i18n
from bilat.errors import BilatError

__all__ = ["COOKIE", "LanguageMiddleware", "choose"]

COOKIE = "bilat_lang"
_YEAR_S = 365 * 24 * 3600


def _known(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return i18n.language(value)
    except BilatError:
        return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def choose(scope: Scope) -> tuple[str, bool]:
    """The request's language and whether it came from ``?lang=`` (so is to be kept)."""
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    asked = _known((query.get("lang") or [""])[-1])
    if asked:
        return asked, True
    cookies = SimpleCookie()
    try:
        cookies.load(_header(scope, b"cookie") or "")
    except Exception:  # a malformed cookie header: as if there were none
        cookies = SimpleCookie()
    kept = _known(cookies[COOKIE].value if COOKIE in cookies else None)
    if kept:
        return kept, False
    return i18n.negotiate(_header(scope, b"accept-language")), False


class LanguageMiddleware:
    """Run each request in its language (module docstring); set the cookie on ``?lang=``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang, keep = choose(scope)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-language"] = lang
                headers.append("vary", "Cookie, Accept-Language")
                if keep:
                    headers.append(
                        "set-cookie", f"{COOKIE}={lang}; Path=/; Max-Age={_YEAR_S}; SameSite=Lax"
                    )
            await send(message)

        with i18n.use(lang):
            await self.app(scope, receive, send_with_cookie)
