"""The web app's settings: where the lake, the case, the agenda and the accounts live."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bilat._config import home
from bilat.errors import InputError

__all__ = [
    "ENV_LOGIN_CONCURRENCY",
    "ENV_MAX_UPLOAD_MB",
    "ENV_SECRET",
    "ENV_SECURE_COOKIES",
    "ENV_USERS_URL",
    "Settings",
    "load_secret_key",
]

#: Environment variable holding the session-signing key.
ENV_SECRET = "BILAT_SECRET_KEY"
#: Environment variable naming the accounts database (default: ``$BILAT_HOME/web.db``).
ENV_USERS_URL = "BILAT_WEB_DB_URL"
#: Environment variable: the largest upload accepted, in MB (default 200).
ENV_MAX_UPLOAD_MB = "BILAT_WEB_MAX_UPLOAD_MB"
#: Environment variable: ``auto`` (default), ``always`` or ``never`` mark the cookie ``Secure``.
ENV_SECURE_COOKIES = "BILAT_WEB_SECURE_COOKIES"
#: Environment variable: how many password checks (argon2, 64 MiB each) may run at once.
ENV_LOGIN_CONCURRENCY = "BILAT_WEB_LOGIN_CONCURRENCY"
_SECRET_FILE = "web-secret.key"
_MB = 1024 * 1024


def _env_int(name: str, default: int, *, low: int, high: int, unit: str) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise InputError(
            f"{name}={text!r} is not allowed; expected a whole number of {unit} "
            f"from {low} to {high}, or unset it for the default ({default})",
            details={"value": text, "expected": f"{low}-{high} {unit}"},
        )
    return value


def _env_max_upload() -> int:
    return _env_int(ENV_MAX_UPLOAD_MB, 200, low=1, high=100_000, unit="MB") * _MB


def _env_login_concurrency() -> int:
    return _env_int(ENV_LOGIN_CONCURRENCY, 4, low=1, high=64, unit="checks")


def _env_secure_cookies() -> bool | None:
    text = os.environ.get(ENV_SECURE_COOKIES, "").strip().lower()
    choices: dict[str, bool | None] = {
        "": None,
        "auto": None,
        "always": True,
        "1": True,
        "true": True,
        "never": False,
        "0": False,
        "false": False,
    }
    if text not in choices:
        raise InputError(
            f"{ENV_SECURE_COOKIES}={text!r} is not allowed; expected auto (Secure when the "
            "request came over https), always or never",
            details={"value": text, "expected": ["auto", "always", "never"]},
        )
    return choices[text]


def _default_case() -> Path:
    return Path(str(resources.files("bilat") / "cases" / "blr-kaz-2022"))


def load_secret_key() -> str:
    """The session key: ``$BILAT_SECRET_KEY``, else a random key kept in BILAT_HOME (mode 0600).

    The file is created on first use with ``os.open(..., 0o600)`` so the key is never
    readable by other users, not even for a moment.
    """
    env = os.environ.get(ENV_SECRET)
    if env:
        if len(env) < 16:
            raise InputError(
                f"{ENV_SECRET} must be at least 16 characters long; generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return env
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass(frozen=True, slots=True)
class Settings:
    """What the app serves and how.

    Attributes
    ----------
    lake_path
        The lake folder (``None``: ``$BILAT_HOME/lake``).
    case_dir
        The case folder (dyad, meetings, agenda, air agreements); default: the founding case.
    agenda_url
        Agenda database URL (``None``: ``$BILAT_AGENDA_URL`` or ``$BILAT_HOME/agenda.db``).
    users_url
        Accounts database URL (``None``: ``$BILAT_WEB_DB_URL`` or ``$BILAT_HOME/web.db``).
    secret_key
        Key signing session cookies (``None``: :func:`load_secret_key`).
    max_upload_bytes
        Largest upload accepted, bytes (default ``$BILAT_WEB_MAX_UPLOAD_MB``, else 200 MB: a
        BACI yearly CSV zipped). A request body larger than this (plus 1 MiB for the form
        around the file) is refused with 413 before it is read.
    session_hours
        Hours a login lasts.
    secure_cookies
        Mark the session cookie ``Secure``: ``True`` always, ``False`` never, ``None`` (the
        default, or ``$BILAT_WEB_SECURE_COOKIES``) when the request came over https, as the
        server sees it (uvicorn takes ``X-Forwarded-Proto`` from trusted proxies).
    login_attempts, login_window_s
        Failed logins allowed per username and client address within the window (seconds).
    login_concurrency
        Password checks (argon2, 64 MiB each) that may run at once (default
        ``$BILAT_WEB_LOGIN_CONCURRENCY``, else 4); more wait up to ``login_wait_s`` seconds,
        then get 503.
    """

    lake_path: Path | None = None
    case_dir: Path | None = None
    agenda_url: str | None = None
    users_url: str | None = None
    secret_key: str | None = None
    max_upload_bytes: int = field(default_factory=_env_max_upload)
    session_hours: int = 8
    secure_cookies: bool | None = field(default_factory=_env_secure_cookies)
    login_attempts: int = 5
    login_window_s: float = 300.0
    login_concurrency: int = field(default_factory=_env_login_concurrency)
    login_wait_s: float = 10.0

    def case(self) -> Path:
        """The case folder to serve."""
        return self.case_dir if self.case_dir is not None else _default_case()

    def users_database(self) -> str:
        """The accounts database URL."""
        if self.users_url:
            return self.users_url
        env = os.environ.get(ENV_USERS_URL)
        if env:
            return env
        folder = home()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'web.db'}"

    def key(self) -> str:
        """The session-signing key."""
        return self.secret_key if self.secret_key else load_secret_key()
