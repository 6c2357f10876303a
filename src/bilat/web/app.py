"""The app factory: ``create_app(settings)`` builds the FastAPI app over one lake and case."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp

from bilat.web.accounts import Accounts
from bilat.web.data import TradeData
from bilat.web.errors import install_handlers
from bilat.web.guard import BodyGuard, SecurityHeaders
from bilat.web.language import LanguageMiddleware
from bilat.web.security import LoginThrottle, PasswordChecks
from bilat.web.settings import Settings

__all__ = ["AppState", "create_app"]

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "bilat_session"


class AppState:
    """Everything a request needs, opened once: lake, trade cache, case, agenda, accounts.

    The agenda database and the air agreements are opened on first use, so a page that
    does not need them still works when they are absent.
    """

    def __init__(
        self, settings: Settings, *, lake: Any = None, agenda: Any = None, accounts: Any = None
    ) -> None:
        from bilat.lake import Lake

        self.settings = settings
        self.lake = lake if lake is not None else Lake.open(settings.lake_path)
        self.trade = TradeData(self.lake, case_dir=settings.case())
        self.accounts: Accounts = (
            accounts if accounts is not None else Accounts.open(settings.users_database())
        )
        self._agenda = agenda
        self._agreements: tuple[Any, ...] | None = None
        self._case: Any = None
        self._lock = threading.Lock()

    def case(self) -> Any:
        """The case document (dyad, commission, meetings) of the served case folder."""
        if self._case is None:
            from bilat.agenda import read_case

            self._case = read_case(self.settings.case())
        return self._case

    def dyad(self) -> tuple[str, str]:
        """The case's two countries."""
        pair: tuple[str, str] = tuple(self.case().dyad)  # type: ignore[assignment]
        return pair

    def agenda(self) -> Any:
        """The agenda database, with the case imported when it holds no commission yet."""
        with self._lock:
            if self._agenda is None:
                from bilat.agenda import Agenda

                agenda = Agenda.open(self.settings.agenda_url)
                if not agenda.commissions():
                    agenda.import_case(self.settings.case())
                self._agenda = agenda
            return self._agenda

    def agreements(self) -> tuple[Any, ...]:
        """The case's air services agreements (``air/*.yaml``)."""
        with self._lock:
            if self._agreements is None:
                from bilat.air import load_agreements

                folder = self.settings.case() / "air"
                self._agreements = load_agreements(folder) if folder.is_dir() else ()
            return self._agreements

    def latest_year(self) -> int:
        """The latest year with flows (this year minus one when the lake is empty)."""
        years = self.trade.years()
        return years[-1] if years else dt.date.today().year - 1


class BilatApp(FastAPI):
    """FastAPI with the security headers and the request's language (:mod:`bilat.web.language`)
    outside everything, 500 error pages included."""

    secure_cookies: bool | None = None

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack in the request's language, wrapped in :class:`SecurityHeaders`."""
        stack = LanguageMiddleware(super().build_middleware_stack())
        return SecurityHeaders(stack, secure_cookies=self.secure_cookies)


def create_app(
    settings: Settings | None = None,
    *,
    lake: Any = None,
    agenda: Any = None,
    accounts: Any = None,
) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings
        Where things are (default: everything under ``BILAT_HOME``, the founding case).
    lake, agenda, accounts
        Already-open objects to serve instead of opening them from ``settings`` (tests).

    Examples
    --------
    >>> from fastapi.testclient import TestClient        # doctest: +SKIP
    >>> client = TestClient(create_app())                 # doctest: +SKIP
    >>> client.get("/api/health").json()["status"]         # doctest: +SKIP
    'ok'
    """
    from bilat.web import api, api_case, api_trade, pages

    settings = settings or Settings()
    # The schema and its browsable page are routes of their own, behind sign-in
    # (docs/decisions.md, issue 13): FastAPI's own are anonymous and load Swagger UI
    # from a CDN.
    app = BilatApp(
        title="bilat",
        summary="Evidence for a bilateral commission: trade, potential, commitments, air rights.",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.secure_cookies = settings.secure_cookies
    _open_state(app, settings, lake=lake, agenda=agenda, accounts=accounts)
    _install_templates(app)
    _install_middleware(app, settings)
    install_handlers(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(api_case.router)
    app.include_router(api_trade.router)
    app.include_router(pages.router)
    return app


def _open_state(app: FastAPI, settings: Settings, *, lake: Any, agenda: Any, accounts: Any) -> None:
    """What every request reads from ``app.state``: the opened objects and login limits."""
    app.state.settings = settings
    app.state.bilat = AppState(settings, lake=lake, agenda=agenda, accounts=accounts)
    app.state.accounts = app.state.bilat.accounts
    app.state.user_cache = {}
    app.state.throttle = LoginThrottle(
        attempts=settings.login_attempts, window_s=settings.login_window_s
    )
    app.state.password_checks = PasswordChecks(
        settings.login_concurrency, wait_s=settings.login_wait_s
    )


def _install_templates(app: FastAPI) -> None:
    """The page templates (:func:`bilat.templating.jinja_env`: ``_()`` and the filters of
    :mod:`bilat.formats`), and the page context the error handler renders
    error pages with (handed over here so ``web.errors`` does not import ``web.pages``)."""
    import jinja2

    from bilat import formats
    from bilat.templating import jinja_env
    from bilat.web import pages

    env = jinja_env(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    env.globals["counted"] = formats.counted
    env.filters["basename"] = _basename
    env.filters["translated"] = _translated
    app.state.templates = Jinja2Templates(env=env)
    app.state.page_context = pages.page_context


def _translated(text: object) -> str:
    """A message a lower layer wrote in English (the synthetic banner), in the page's
    language when a catalog has it, else as written."""
    from bilat import i18n

    return i18n.gettext(str(text)) if text else ""


def _basename(path: object) -> str:
    """A file's name without its folders (the pages name files, not this machine's paths)."""
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    """The upload size guard and the signed session cookie."""
    app.add_middleware(BodyGuard, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.key(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies is True,
    )
