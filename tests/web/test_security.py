"""Accounts, roles, sessions, CSRF, throttling, uploads and the one error shape."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.web.conftest import PASSWORD, login

SHAPE = {"error", "status", "exit_code", "message", "details"}


def _is_error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert set(body) == SHAPE and body["status"] == status and body["message"]
    return body


def test_every_api_read_needs_sign_in(anon: TestClient) -> None:
    for path in (
        "/api/sources",
        "/api/trade/overview?a=BLR&b=KAZ",
        "/api/agenda/list",
        "/api/agenda/show?item_id=x",
        "/api/air/routes",
        "/api/air/check?flight=KC+NQZ-MSQ",
        "/api/claims/check",
        "/api/users",
    ):
        _is_error(anon.get(path), 401)


def test_pages_redirect_to_login(anon: TestClient) -> None:
    r = anon.get("/agenda", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/agenda"


def test_wrong_password_is_401_and_throttled_after_five(anon: TestClient) -> None:
    for _ in range(5):
        _is_error(anon.post("/api/login", json={"username": "vera", "password": "nope-nope"}), 401)
    body = _is_error(anon.post("/api/login", json={"username": "vera", "password": PASSWORD}), 429)
    assert body["details"]["retry_after_s"] > 0
    # another user from the same address is not locked out
    assert (
        anon.post("/api/login", json={"username": "eddie", "password": PASSWORD}).status_code == 200
    )


def test_session_cookie_is_signed_httponly_samesite(anon: TestClient) -> None:
    r = anon.post("/api/login", json={"username": "vera", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    forged = anon.cookies.get("bilat_session")
    anon.cookies.clear()
    anon.cookies.set("bilat_session", forged[:-3] + "AAA")
    _is_error(anon.get("/api/me"), 401)


def test_csrf_missing_is_403_on_api_writes(editor: TestClient) -> None:
    del editor.headers["X-CSRF-Token"]
    item = editor.get("/api/agenda/list").json()["items"][0]
    r = editor.post(
        f"/api/agenda/items/{item['id']}/changes",
        json={"status": "in_progress", "expected_version": item["version"]},
    )
    _is_error(r, 403)
    assert (
        editor.get("/api/agenda/show", params={"item_id": item["id"]}).json()["version"]
        == item["version"]
    )


def test_csrf_missing_is_403_on_forms(editor: TestClient) -> None:
    del editor.headers["X-CSRF-Token"]
    item = editor.get("/api/agenda/list").json()["items"][0]
    r = editor.post(
        f"/agenda/{item['id']}/changes",
        data={"status": "done", "expected_version": item["version"]},
        follow_redirects=False,
    )
    assert r.status_code == 403 and "CSRF" in r.text


def test_login_form_needs_csrf(anon: TestClient) -> None:
    r = anon.post("/login", data={"username": "vera", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_login_form_signs_in_and_redirects_locally(anon: TestClient) -> None:
    page = anon.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = anon.post(
        "/login",
        data={
            "username": "vera",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert anon.get("/api/me").json()["user"] == "vera"


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        (
            "post",
            "/api/agenda/items/tractor-cab-plant/changes",
            {"json": {"status": "done", "expected_version": 1}},
        ),
        ("get", "/api/users", {}),
        (
            "post",
            "/api/users",
            {"json": {"username": "mallory", "password": "12345678", "role": "admin"}},
        ),
        (
            "post",
            "/api/sources/upload",
            {"data": {"kind": "baci"}, "files": {"file": ("a.csv", b"t,i,j,k,v,q\n")}},
        ),
    ],
)
def test_viewer_cannot_reach_editor_or_admin_routes(
    viewer: TestClient, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    body = _is_error(getattr(viewer, method)(path, **kwargs), 403)
    assert body["details"]["role"] == "viewer"


def test_editor_cannot_manage_users(editor: TestClient) -> None:
    _is_error(editor.get("/api/users"), 403)


def test_admin_adds_a_user_who_can_then_sign_in(admin: TestClient, app: Any) -> None:
    r = admin.post(
        "/api/users", json={"username": "newbie", "password": "longenough1", "role": "editor"}
    )
    assert r.status_code == 201, r.text
    try:
        with TestClient(app) as other:
            ok = other.post("/api/login", json={"username": "newbie", "password": "longenough1"})
            assert ok.json()["role"] == "editor"
        _is_error(
            admin.post("/api/users", json={"username": "newbie", "password": "longenough1"}), 409
        )
    finally:
        app.state.accounts.remove("newbie")


def test_passwords_are_stored_as_argon2(accounts: Any) -> None:
    import sqlalchemy as sa

    with accounts.engine.connect() as c:
        hashes = c.execute(sa.text("SELECT password_hash FROM bilat_web_users")).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_secret_key_file_is_private(_isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bilat.web.settings import load_secret_key

    monkeypatch.delenv("BILAT_SECRET_KEY", raising=False)
    key = load_secret_key()
    path = _isolated_home / "web-secret.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret_key() == key and len(key) >= 32


def test_error_shape_for_404_405_409(viewer: TestClient) -> None:
    _is_error(viewer.get("/api/nothing-here"), 404)
    _is_error(viewer.delete("/api/sources"), 405)
    _is_error(viewer.get("/api/agenda/show", params={"item_id": "no-such-item"}), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/api/brief/..%2f..%2fetc/KAZ/2021/download",
        "/api/brief/BLR/..%2F/2021/download",
        "/api/trade/products.csv?a=..%2F..%2Fetc&b=KAZ&year=2021",
    ],
)
def test_path_traversal_in_downloads_is_refused(viewer: TestClient, path: str) -> None:
    r = viewer.get(path)
    assert r.status_code in (400, 404, 422)
    assert "root:" not in r.text


def test_upload_names_are_stripped_of_folders() -> None:
    from bilat.errors import InputError
    from bilat.web.data import safe_filename

    assert safe_filename("../../etc/BACI_x.csv", allowed=(".csv",)) == "BACI_x.csv"
    assert safe_filename("..\\..\\win\\a b.csv", allowed=(".csv",)) == "a_b.csv"
    with pytest.raises(InputError, match="not of an accepted type"):
        safe_filename("payload.exe", allowed=(".csv",))


def test_bad_baci_upload_is_refused_and_nothing_ingested(admin: TestClient, demo_lake: Any) -> None:
    before = demo_lake.version
    bad = b"t,i,j,k,v,q\n2021,112,398,abc,12.5,1.0\n"
    r = admin.post(
        "/api/sources/upload",
        data={"kind": "baci"},
        files={"file": ("BACI_HS22_Y2021_V202401.csv", bad, "text/csv")},
    )
    body = _is_error(r, 422)
    assert "line 2" in body["message"] and body["details"]["column"] == "k"
    assert demo_lake.version == before


def test_upload_of_wrong_type_is_400(admin: TestClient) -> None:
    r = admin.post(
        "/api/sources/upload", data={"kind": "baci"}, files={"file": ("evil.exe", b"MZ")}
    )
    _is_error(r, 400)


def test_upload_over_the_limit_is_413(demo_lake: Any, accounts: Any, agenda_url: str) -> None:
    from bilat.web import Settings, create_app

    app = create_app(
        Settings(agenda_url=agenda_url, secret_key="k" * 20, max_upload_bytes=100),
        lake=demo_lake,
        accounts=accounts,
    )
    with TestClient(app) as client:
        login(client, "ada")
        r = client.post(
            "/api/sources/upload", data={"kind": "baci"}, files={"file": ("big.csv", b"x" * 1000)}
        )
    _is_error(r, 413)


def test_non_ascii_csrf_token_is_403_not_500(editor: TestClient) -> None:
    # found by schemathesis: hmac.compare_digest refuses non-ASCII str
    item = editor.get("/api/agenda/list").json()["items"][0]
    r = editor.post(
        f"/agenda/{item['id']}/changes",
        data={"csrf_token": "jeton-é", "expected_version": item["version"], "status": "done"},
    )
    assert r.status_code == 403


def test_login_throttle_forgets_the_oldest_pairs() -> None:
    from bilat.web.security import LoginThrottle

    t = LoginThrottle(attempts=1, window_s=60, max_keys=2)
    t.failed("a", "1.1.1.1")
    t.failed("b", "1.1.1.1")
    t.failed("c", "1.1.1.1")
    t.check("a", "1.1.1.1")  # forgotten: no error
    with pytest.raises(Exception, match="too many failed sign-ins"):
        t.check("c", "1.1.1.1")


def test_accounts_file_is_private(tmp_path: Path) -> None:
    from bilat.web import Accounts

    Accounts.open(f"sqlite:///{tmp_path / 'web.db'}")
    assert stat.S_IMODE(os.stat(tmp_path / "web.db").st_mode) == 0o600


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_safe_filename_never_leaves_the_folder(name: str) -> None:
    from bilat.errors import InputError
    from bilat.web.data import safe_filename

    try:
        clean = safe_filename(name, allowed=(".csv", ".zip"))
    except InputError:
        return
    assert "/" not in clean and "\\" not in clean and not clean.startswith(".")
    assert clean.endswith((".csv", ".zip")) and len(clean) <= 120
    assert Path(clean).name == clean


def test_reflected_values_are_escaped(anon: TestClient) -> None:
    r = anon.get("/login", params={"next": '/"><script>alert(1)</script>'})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
