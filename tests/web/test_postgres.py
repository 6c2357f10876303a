"""The app on PostgreSQL: accounts and agenda in one real database (a fresh schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.conftest import skip_or_fail
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.postgres
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("BILAT_TEST_POSTGRES_URL") or DEFAULT_PG
    try:
        admin = sa.create_engine(base, connect_args={"connect_timeout": 3})
        with admin.connect() as c:
            c.exec_driver_sql("select 1")
    except Exception as exc:  # any failure to connect means: no server here
        skip_or_fail(f"no PostgreSQL at {base} ({type(exc).__name__})")
    schema = f"bilat_web_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as c:
        c.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def test_accounts_and_agenda_share_a_postgresql_database(demo_lake: Any, pg_url: str) -> None:
    from bilat.web import Accounts, Settings, create_app

    accounts = Accounts.open(pg_url)
    accounts.add("pg-editor", PASSWORD, role="editor")
    app = create_app(
        Settings(agenda_url=pg_url, users_url=pg_url, secret_key="p" * 24), lake=demo_lake
    )
    try:
        with TestClient(app) as client:
            token = client.post(
                "/api/login", json={"username": "pg-editor", "password": PASSWORD}
            ).json()["csrf_token"]
            item = client.get("/api/agenda/list").json()["items"][0]
            r = client.post(
                f"/api/agenda/items/{item['id']}/changes",
                json={"status": "in_progress", "expected_version": item["version"]},
                headers={"X-CSRF-Token": token},
            )
            assert r.status_code == 200, r.text
            assert r.json()["item"]["history"][-1]["author"] == "pg-editor"
            stale = client.post(
                f"/api/agenda/items/{item['id']}/changes",
                json={"status": "done", "expected_version": item["version"]},
                headers={"X-CSRF-Token": token},
            )
            assert stale.status_code == 409
    finally:
        app.state.bilat.agenda().close()
        app.state.accounts.close()
        accounts.close()
