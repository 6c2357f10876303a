"""Sign-in, roles, CSRF and login throttling for the web app.

Sessions are Starlette's signed cookie sessions (``itsdangerous``; HttpOnly, SameSite=Lax,
Secure over https or when configured). The session holds the user name, a CSRF token, the
sign-in time and the account's session epoch; the role and the epoch are read from the
accounts table on every request (reused for at most two seconds, and at once after a change
made by this process), so a changed role, a removed user or ended sessions take effect at once.

Login throttling reserves an attempt *before* the password is checked, so parallel attempts
cannot all pass a check that the first failures have not yet been counted in; password
checks (argon2, 64 MiB each) run a bounded number at a time.

CSRF: every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's
token, as the ``csrf_token`` form field (HTML forms) or the ``X-CSRF-Token`` header (API).
The one exception is signing in itself over the JSON API, which browsers cannot forge
across sites (a JSON body needs a CORS preflight we never grant).
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from bilat.web.accounts import Accounts, User
from bilat.web.errors import (
    BusyError,
    NotSignedInError,
    PermissionDeniedError,
    TooManyAttemptsError,
)

__all__ = [
    "CSRF_HEADER",
    "LoginThrottle",
    "PasswordChecks",
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
        with self._lock:
            self._refuse_when_spent((name, address), time.monotonic())

    def _refuse_when_spent(self, key: tuple[str, str], now: float) -> None:
        q = self._recent(key, now)
        if len(q) >= self.attempts:
            wait = int(self.window_s - (now - q[0])) + 1
            raise TooManyAttemptsError(
                f"too many failed sign-ins for {key[0]!r} from this address; "
                f"try again in {wait} seconds",
                details={"retry_after_s": wait},
            )

    def reserve(self, name: str, address: str) -> float:
        """Check and count an attempt in one step (as a failure until :meth:`succeeded`).

        Raises ``TooManyAttemptsError`` when the pair has used up its attempts; otherwise
        returns the attempt's stamp, for :meth:`release` when the check could not be made.
        """
        key = (name, address)
        now = time.monotonic()
        with self._lock:
            self._refuse_when_spent(key, now)
            self._record(key, now)
        return now

    def release(self, name: str, address: str, stamp: float) -> None:
        """Take back a reserved attempt whose password was never checked."""
        with self._lock:
            q = self._fails.get((name, address))
            if q is not None and stamp in q:
                q.remove(stamp)

    def failed(self, name: str, address: str) -> None:
        """Record a failure."""
        with self._lock:
            self._record((name, address), time.monotonic())

    def _record(self, key: tuple[str, str], now: float) -> None:
        q = self._fails.pop(key, None) or deque()
        q.append(now)
        self._fails[key] = q
        while len(self._fails) > self.max_keys:
            self._fails.popitem(last=False)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the pair's failures."""
        with self._lock:
            self._fails.pop((name, address), None)


class PasswordChecks:
    """At most ``limit`` argon2 computations at once; others wait up to ``wait_s`` seconds.

    Each argon2 check takes 64 MiB and a core for tens of milliseconds: without a bound,
    a burst of sign-ins is a memory attack. A caller that cannot get a slot in time gets
    ``BusyError`` (503).
    """

    def __init__(self, limit: int = 4, *, wait_s: float = 10.0) -> None:
        self.limit = limit
        self.wait_s = wait_s
        self._slots = threading.BoundedSemaphore(limit)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the slots for the duration of the ``with`` block."""
        if not self._slots.acquire(timeout=self.wait_s):
            raise BusyError(
                "the server is checking too many passwords at once; try again in a few seconds",
                details={"retry_after_s": 5, "limit": self.limit},
            )
        try:
            yield
        finally:
            self._slots.release()


def password_slot(request: Request) -> contextlib.AbstractContextManager[None]:
    """A slot of the app's :class:`PasswordChecks` (for any argon2 hash or verification)."""
    checks: PasswordChecks = request.app.state.password_checks
    return checks.slot()


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
    """Check the password (throttled, bounded) and start a fresh session for the user."""
    accounts: Accounts = request.app.state.accounts
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    stamp = throttle.reserve(name, address)
    try:
        with password_slot(request):
            found = accounts.authenticate_epoch(name, password)
    except BaseException:
        throttle.release(name, address, stamp)
        raise
    if found is None:
        raise NotSignedInError("wrong user name or password", details={"user": name})
    throttle.succeeded(name, address)
    user, epoch = found
    session = _session(request)
    session.clear()
    session.update({"user": user.name, "at": int(time.time()), "epoch": epoch})
    csrf_token(request)
    return user


def sign_out(request: Request) -> None:
    """End the session, and every other session of the same user signed in before it."""
    session = _session(request)
    name = session.get("user")
    if isinstance(name, str) and optional_user(request) is not None:
        from bilat.errors import NotFoundError

        with contextlib.suppress(NotFoundError):
            request.app.state.accounts.end_sessions(name)
    session.clear()


def optional_user(request: Request) -> User | None:
    """The signed-in user, or ``None`` (expired sessions and removed users count as none)."""
    session = _session(request)
    name = session.get("user")
    at = session.get("at")
    epoch = session.get("epoch", 0)
    if not isinstance(name, str) or not isinstance(at, int) or not isinstance(epoch, int):
        return None
    if time.time() - at > request.app.state.settings.session_hours * 3600:
        session.clear()
        return None
    found = _lookup(request, name)
    if found is None or found[1] != epoch:
        session.clear()
        return None
    return found[0]


#: Seconds a user's account row is reused between requests (a change made by another
#: process, such as ``bilat users set-role``, takes effect within this time), sparing a
#: database query on every request. Changes made by this process take effect at once.
USER_TTL_S = 2.0


def _lookup(request: Request, name: str) -> tuple[User, int] | None:
    accounts: Accounts = request.app.state.accounts
    cache: dict[str, tuple[tuple[User, int] | None, float, int]] = request.app.state.user_cache
    now = time.monotonic()
    hit = cache.get(name)
    if hit is not None and hit[1] > now and hit[2] == accounts.generation:
        return hit[0]
    generation = accounts.generation
    found = accounts.lookup(name)
    if len(cache) > 10_000:
        cache.clear()
    cache[name] = (found, now + USER_TTL_S, generation)
    return found


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
