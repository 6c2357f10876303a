"""Agenda test fixtures: a fresh database per test on SQLite (a file) and PostgreSQL.

PostgreSQL: ``$BILAT_TEST_POSTGRES_URL``, else the local server CI starts
(``postgresql+psycopg://postgres@127.0.0.1:5432/test``) when it answers; otherwise those tests
skip with the reason. Each test gets its own schema with a unique name (other people may use
the same server at the same time), dropped afterwards. When ``$BILAT_TEST_POSTGRES_URL`` is
set and the server does not answer, the tests fail instead of skipping.
"""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
FIXTURES = ROOT / "tests" / "fixtures" / "agenda"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@functools.cache
def _postgres() -> tuple[str | None, str]:
    url = os.environ.get("BILAT_TEST_POSTGRES_URL") or DEFAULT_PG
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as c:
            c.exec_driver_sql("select 1")
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server here
        return None, f"no PostgreSQL at {url} ({type(exc).__name__}); set BILAT_TEST_POSTGRES_URL"
    return url, ""


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL into a fresh, uniquely named PostgreSQL schema (dropped after the test)."""
    base, reason = _postgres()
    if base is None:
        if os.environ.get("BILAT_TEST_POSTGRES_URL"):
            pytest.fail(f"BILAT_TEST_POSTGRES_URL is set but {reason}")  # CI must not skip
        pytest.skip(reason)
    schema = f"bilat_agenda_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as c:
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh agenda database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'agenda.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A writable copy of the founding case."""
    dest = tmp_path / "case"
    shutil.copytree(CASE, dest)
    return dest


@pytest.fixture
def agenda(db_url: str) -> Iterator[object]:
    """An open, empty agenda on each backend."""
    from bilat.agenda import Agenda

    ag = Agenda.open(db_url)
    yield ag
    ag.close()
