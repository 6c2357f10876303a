"""Fixtures of the web tests: a real demo lake (built once), a real agenda database, users."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
USERS = {"ada": "admin", "eddie": "editor", "vera": "viewer"}


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo world for 2019-2021 (synthetic), ingested once for the whole session."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    lake = Lake.open(tmp_path_factory.mktemp("web-lake") / "lake", create=True)
    build_sample_lake(lake, preset("demo").with_(years=(2019, 2020, 2021)))
    return lake


@pytest.fixture(scope="session")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A real SQLite accounts database with an admin, an editor and a viewer."""
    from bilat.web import Accounts

    acc = Accounts.open(f"sqlite:///{tmp_path_factory.mktemp('web-users') / 'web.db'}")
    for name, role in USERS.items():
        acc.add(name, PASSWORD, role=role)
    return acc


@pytest.fixture
def agenda_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'agenda.db'}"


@pytest.fixture
def app(demo_lake: Any, accounts: Any, agenda_url: str) -> Any:
    from bilat.web import Settings, create_app

    settings = Settings(agenda_url=agenda_url, secret_key="test-secret-key-0123456789")
    return create_app(settings, lake=demo_lake, accounts=accounts)


@pytest.fixture
def anon(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def login(client: TestClient, name: str) -> str:
    """Sign ``name`` in; return the CSRF token."""
    r = client.post("/api/login", json={"username": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    token: str = r.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


@pytest.fixture
def admin(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        login(client, "ada")
        yield client


@pytest.fixture
def editor(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        login(client, "eddie")
        yield client


@pytest.fixture
def viewer(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        login(client, "vera")
        yield client


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn on 127.0.0.1 (a free port) until the block ends."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(400):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
