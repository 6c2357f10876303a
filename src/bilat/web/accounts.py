"""Accounts of the web app: users, roles, argon2 password hashes, in a small SQL table.

The table lives in its own database, ``$BILAT_HOME/web.db`` by default (SQLite), or at
``$BILAT_WEB_DB_URL`` (any SQLAlchemy URL, PostgreSQL included). It is created on first
open. Passwords are stored only as argon2id hashes (``argon2-cffi`` defaults); a hash made
with older parameters is upgraded at the next successful sign-in.

Each account has a *session epoch*, a counter stamped into every session cookie at sign-in:
signing out, a new password or a lower role raises it, which ends every session signed
before. A table made before the column existed gets it added on open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bilat.errors import ConflictError, InputError, NotFoundError
from bilat.options import ROLES, Role, choice

__all__ = ["ROLES", "Accounts", "Role", "User", "has_role", "validate_role"]

_RANK = {name: i for i, name in enumerate(ROLES)}
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD = 8


def validate_role(value: str) -> Role:
    """Normalise a role name or raise ``InputError`` listing the roles."""
    role: Role = choice(Role, value, "role")
    return role


def has_role(role: str, needed: str) -> bool:
    """Whether ``role`` includes ``needed`` (admin ⊃ editor ⊃ viewer)."""
    return _RANK.get(role, -1) >= _RANK[needed]


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(
            f"user name {name!r} is not allowed; use 2-64 letters, digits or . _ @ -",
            details={"value": name, "expected": "2-64 of A-Z a-z 0-9 . _ @ -"},
        )
    return name


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"password too short: at least {MIN_PASSWORD} characters are required",
            details={"expected": f">= {MIN_PASSWORD} characters"},
        )
    return password


def _private(engine: Engine) -> None:
    # The file holds password hashes: readable by its owner only (SQLite files only).
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        with contextlib.suppress(OSError):
            os.chmod(database, 0o600)


class _Base(DeclarativeBase):
    pass


class _UserRow(_Base):
    __tablename__ = "bilat_web_users"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    session_epoch: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")


def _add_missing_columns(engine: Engine) -> None:
    """Add the session epoch to a table created before it existed (``create_all`` will not)."""
    table = _UserRow.__tablename__
    columns = {c["name"] for c in sa.inspect(engine).get_columns(table)}
    if "session_epoch" in columns:
        return
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(f"ALTER TABLE {table} ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0")
            )
    except sa.exc.DBAPIError:
        # another process added it first
        columns = {c["name"] for c in sa.inspect(engine).get_columns(table)}
        if "session_epoch" not in columns:
            raise


@dataclass(frozen=True, slots=True)
class User:
    """A user account (never its password).

    Attributes
    ----------
    name
        Sign-in name.
    role
        ``viewer``, ``editor`` or ``admin``.
    created_at
        When the account was created (UTC).
    """

    name: str
    role: str
    created_at: dt.datetime | None

    def can(self, needed: str) -> bool:
        """Whether this user's role includes ``needed``."""
        return has_role(self.role, needed)


def _user(row: _UserRow) -> User:
    return User(row.name, row.role, row.created_at)


class Accounts:
    """The accounts table. ``Accounts.open(url)`` creates it when missing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: Raised on every change made through this object, so caches of it know to refresh.
        self.generation = 0
        self.hasher = PasswordHasher()
        # Verifying against a dummy hash for unknown names keeps sign-in time the same
        # whether or not the name exists.
        self._dummy = self.hasher.hash("not-a-password-of-anyone")

    @classmethod
    def open(cls, url: str) -> Accounts:
        """Open (creating the table if needed) the accounts database at ``url``."""
        try:
            engine = sa.create_engine(url)
        except sa.exc.ArgumentError:
            raise InputError(
                f"not a database URL: {url!r}; expected e.g. sqlite:///path/web.db",
                details={"value": url},
            ) from None
        _Base.metadata.create_all(engine)
        _add_missing_columns(engine)
        _private(engine)
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def add(self, name: str, password: str, *, role: str = "viewer") -> User:
        """Create a user; ``ConflictError`` when the name is taken."""
        row = _UserRow(
            name=_check_name(name),
            role=validate_role(role),
            password_hash=self.hasher.hash(_check_password(password)),
            created_at=dt.datetime.now(dt.UTC),
        )
        with Session(self.engine) as s:
            if s.get(_UserRow, name) is not None:
                raise ConflictError(
                    f"user {name!r} already exists; choose another name or change its role",
                    details={"value": name},
                )
            s.add(row)
            s.commit()
            self.generation += 1
            return _user(row)

    def get(self, name: str) -> User | None:
        """The user called ``name``, or ``None``."""
        found = self.lookup(name)
        return None if found is None else found[0]

    def lookup(self, name: str) -> tuple[User, int] | None:
        """The user called ``name`` and their session epoch, or ``None``."""
        with Session(self.engine) as s:
            row = s.get(_UserRow, name)
            return None if row is None else (_user(row), int(row.session_epoch or 0))

    def end_sessions(self, name: str) -> None:
        """End every session of ``name`` signed in so far (raise the session epoch)."""
        with Session(self.engine) as s:
            self._end_sessions(self._row(s, name))
            s.commit()
        self.generation += 1

    @staticmethod
    def _end_sessions(row: _UserRow) -> None:
        row.session_epoch = int(row.session_epoch or 0) + 1

    def list(self) -> list[User]:
        """Every user, by name."""
        with Session(self.engine) as s:
            return [_user(r) for r in s.scalars(sa.select(_UserRow).order_by(_UserRow.name))]

    def set_role(self, name: str, role: str) -> User:
        """Change a user's role; a lower role ends the user's sessions."""
        new = validate_role(role)
        with Session(self.engine) as s:
            row = self._row(s, name)
            if _RANK[new] < _RANK.get(row.role, len(ROLES)):
                self._end_sessions(row)
            row.role = new
            s.commit()
            self.generation += 1
            return _user(row)

    def set_password(self, name: str, password: str) -> None:
        """Replace a user's password; this ends the user's sessions."""
        digest = self.hasher.hash(_check_password(password))
        with Session(self.engine) as s:
            row = self._row(s, name)
            row.password_hash = digest
            self._end_sessions(row)
            s.commit()
        self.generation += 1

    def remove(self, name: str) -> None:
        """Delete a user."""
        with Session(self.engine) as s:
            s.delete(self._row(s, name))
            s.commit()
        self.generation += 1

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``password`` is right, else ``None`` (same cost either way)."""
        found = self.authenticate_epoch(name, password)
        return None if found is None else found[0]

    def authenticate_epoch(self, name: str, password: str) -> tuple[User, int] | None:
        """:meth:`authenticate`, with the user's session epoch to stamp into the session."""
        with Session(self.engine) as s:
            row = s.get(_UserRow, name) if _NAME.match(name) else None
            stored = row.password_hash if row is not None else self._dummy
            try:
                self.hasher.verify(stored, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if row is None:
                return None
            if self.hasher.check_needs_rehash(stored):
                row.password_hash = self.hasher.hash(password)
                s.commit()
            return _user(row), int(row.session_epoch or 0)

    def _row(self, s: Session, name: str) -> _UserRow:
        row = s.get(_UserRow, name)
        if row is None:
            raise NotFoundError(
                f"no user {name!r}; list users with `bilat users list`", details={"value": name}
            )
        return row
