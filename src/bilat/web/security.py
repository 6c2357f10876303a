"""Sign-in, roles, CSRF and login throttling for the web app.

Sessions are Starlette's signed cookie sessions (``itsdangerous``; HttpOnly, SameSite=Lax,
Secure when configured). The session holds the user name, a CSRF token and the sign-in
time; the role is read from the accounts table on every request, so a changed role or a
removed user takes effect at once.

CSRF: every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's
token, as the ``csrf_token`` form field (HTML forms) or the ``X-CSRF-Token`` header (API).
The one exception is signing in itself over the JSON API, which browsers cannot forge
across sites (a JSON body needs a CORS preflight we never grant).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from typing import Any

from fastapi import Request

from bilat.web.accounts import Accounts, User
from bilat.web.errors import NotSignedInError, PermissionDeniedError, TooManyAttemptsError

__all__ = [
    "CSRF_HEADER",
    "LoginThrottle",
    "check_csrf",
    "csrf_token",
    "current_user",
    "optional_user",
    "require",
    "sign_in",
    "sign_out",
]

CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginThrottle:
    """Failed sign-ins per (username, client address) in a sliding window, bounded in memory.

    Parameters
    ----------
    attempts
        Failures allowed within ``window_s`` seconds; the next attempt is refused (429).
    window_s
        Window length, seconds.
    max_keys
        Most (username, address) pairs remembered; the oldest are forgotten first.
    """

    def __init__(self, *, attempts: int = 5, window_s: float = 300.0, max_keys: int = 10_000):
        self.attempts = attempts
        self.window_s = window_s
        self.max_keys = max_keys
        self._fails: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.window_s:
            q.popleft()
        return q

    def check(self, name: str, address: str) -> None:
        """Raise ``TooManyAttemptsError`` when the pair has used up its attempts."""
        now = time.monotonic()
        with self._lock:
            q = self._recent((name, address), now)
            if len(q) >= self.attempts:
                wait = int(self.window_s - (now - q[0])) + 1
                raise TooManyAttemptsError(
                    f"too many failed sign-ins for {name!r} from this address; "
                    f"try again in {wait} seconds",
                    details={"retry_after_s": wait},
                )

    def failed(self, name: str, address: str) -> None:
        """Record a failure."""
        key = (name, address)
        with self._lock:
            q = self._fails.pop(key, None) or deque()
            q.append(time.monotonic())
            self._fails[key] = q
            while len(self._fails) > self.max_keys:
                self._fails.popitem(last=False)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the pair's failures."""
        with self._lock:
            self._fails.pop((name, address), None)


def _session(request: Request) -> dict[str, Any]:
    session: dict[str, Any] = request.session
    return session


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    session = _session(request)
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 16:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None = None) -> None:
    """Refuse (403) an unsafe request without the session's CSRF token."""
    if request.method not in UNSAFE:
        return
    given = submitted or request.headers.get(CSRF_HEADER) or ""
    expected = _session(request).get("csrf")
    if not isinstance(expected, str) or not hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), expected.encode()
    ):
        raise PermissionDeniedError(
            "CSRF token missing or wrong: reload the page and submit again "
            f"(API clients: send the {CSRF_HEADER} header from GET /api/me)",
            details={"expected": f"form field {CSRF_FIELD} or header {CSRF_HEADER}"},
        )


def client_address(request: Request) -> str:
    """The client's address as the server sees it."""
    return request.client.host if request.client else "unknown"


def sign_in(request: Request, name: str, password: str) -> User:
    """Check the password (throttled) and start a fresh session for the user."""
    accounts: Accounts = request.app.state.accounts
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    throttle.check(name, address)
    user = accounts.authenticate(name, password)
    if user is None:
        throttle.failed(name, address)
        raise NotSignedInError("wrong user name or password", details={"user": name})
    throttle.succeeded(name, address)
    session = _session(request)
    session.clear()
    session.update({"user": user.name, "at": int(time.time())})
    csrf_token(request)
    return user


def sign_out(request: Request) -> None:
    """End the session."""
    _session(request).clear()


def optional_user(request: Request) -> User | None:
    """The signed-in user, or ``None`` (expired sessions and removed users count as none)."""
    session = _session(request)
    name = session.get("user")
    at = session.get("at")
    if not isinstance(name, str) or not isinstance(at, int):
        return None
    if time.time() - at > request.app.state.settings.session_hours * 3600:
        session.clear()
        return None
    return _lookup(request, name)


#: Seconds a user's account row is reused between requests (a changed role or a removed
#: user takes effect within this time), sparing a database query on every request.
USER_TTL_S = 2.0


def _lookup(request: Request, name: str) -> User | None:
    cache: dict[str, tuple[User | None, float]] = request.app.state.user_cache
    now = time.monotonic()
    hit = cache.get(name)
    if hit is not None and hit[1] > now:
        return hit[0]
    accounts: Accounts = request.app.state.accounts
    user = accounts.get(name)
    if len(cache) > 10_000:
        cache.clear()
    cache[name] = (user, now + USER_TTL_S)
    return user


def current_user(request: Request) -> User:
    """The signed-in user; 401 when nobody is."""
    user = optional_user(request)
    if user is None:
        raise NotSignedInError("sign in first: POST /api/login or open /login")
    return user


def require(request: Request, role: str) -> User:
    """The signed-in user when their role includes ``role``; 401 or 403 otherwise."""
    user = current_user(request)
    if not user.can(role):
        raise PermissionDeniedError(
            f"this needs the {role} role; {user.name} is {user.role}. Ask an admin.",
            details={"needed": role, "role": user.role},
        )
    return user
