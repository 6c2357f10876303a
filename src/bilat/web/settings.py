"""The web app's settings: where the lake, the case, the agenda and the accounts live."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bilat._config import home
from bilat.errors import InputError

__all__ = ["ENV_SECRET", "ENV_USERS_URL", "Settings", "load_secret_key"]

#: Environment variable holding the session-signing key.
ENV_SECRET = "BILAT_SECRET_KEY"
#: Environment variable naming the accounts database (default: ``$BILAT_HOME/web.db``).
ENV_USERS_URL = "BILAT_WEB_DB_URL"
_SECRET_FILE = "web-secret.key"


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
        Largest upload accepted, bytes (default 200 MB: a BACI yearly CSV zipped).
    session_hours
        Hours a login lasts.
    secure_cookies
        Send the session cookie over HTTPS only (turn on behind a TLS proxy).
    login_attempts, login_window_s
        Failed logins allowed per username and client address within the window (seconds).
    """

    lake_path: Path | None = None
    case_dir: Path | None = None
    agenda_url: str | None = None
    users_url: str | None = None
    secret_key: str | None = None
    max_upload_bytes: int = 200 * 1024 * 1024
    session_hours: int = 8
    secure_cookies: bool = False
    login_attempts: int = 5
    login_window_s: float = 300.0

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
