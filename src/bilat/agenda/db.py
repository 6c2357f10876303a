"""Where the agenda lives and how its schema is brought up to date.

The database URL is, in order: the ``url`` given, ``$BILAT_AGENDA_URL``, or
``sqlite:///$BILAT_HOME/agenda.db``. PostgreSQL works by URL
(``postgresql+psycopg://user@host/db``). The schema is created and upgraded by the Alembic
migrations shipped in ``bilat/agenda/migrations``, run in code on every open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from bilat._config import home
from bilat.errors import BilatError, InputError

__all__ = ["ENV_URL", "VERSION_TABLE", "create_engine", "resolve_url", "schema_diff", "upgrade"]

#: Environment variable naming the agenda database.
ENV_URL = "BILAT_AGENDA_URL"
#: Alembic's version table, named for the agenda so other parts can share a database.
VERSION_TABLE = "bilat_agenda_version"
#: Key of the PostgreSQL advisory lock held while migrating ("bilat" "agenda" in ASCII).
_LOCK_KEY = 0x62696C6167656E
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$BILAT_AGENDA_URL``, else SQLite in BILAT_HOME."""
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'agenda.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout."""
    try:
        parsed = sa.make_url(url)
    except ArgumentError:
        raise InputError(
            f"not a database URL: {url!r}; expected e.g. sqlite:///path/agenda.db or "
            "postgresql+psycopg://user@host:5432/db",
            details={"value": url},
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise InputError(
            f"no database driver for {parsed.drivername!r}; use sqlite:/// or "
            "postgresql+psycopg://",
            details={"value": url},
        ) from None
    except ImportError as exc:
        raise InputError(
            f"the driver for {parsed.drivername!r} is not installed ({exc.name}); for "
            "PostgreSQL install bilat's 'postgres' extra (psycopg)",
            details={"value": parsed.render_as_string()},
        ) from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _config(connection: sa.Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the agenda schema of ``engine`` up to ``revision`` (Alembic, in one transaction)."""
    from alembic import command

    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Two processes opening a fresh database must not both create the tables.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            command.upgrade(_config(connection), revision)
    except OperationalError as exc:
        problem = (
            f"cannot open the agenda database {engine.url.render_as_string()}: "
            f"{str(exc.orig).strip()}"
        )
        raise BilatError(
            f"{problem}; check the URL (the one given, or ${ENV_URL}) and that the server is "
            "running",
            details={"url": engine.url.render_as_string(), "problem": problem, "argument": "url"},
        ) from None


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the database schema and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bilat.agenda.models import Base

    with engine.connect() as connection:
        ctx = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        diff: list[Any] = compare_metadata(ctx, Base.metadata)
    return [d for d in diff if not (isinstance(d, tuple) and _is_version_table(d))]


def _is_version_table(entry: tuple[Any, ...]) -> bool:
    obj = entry[1] if len(entry) > 1 else None
    return getattr(obj, "name", None) == VERSION_TABLE
