"""Issue 13, web: throttle under concurrency, bodies before sign-in, revocable sessions,
security headers, and the API schema behind sign-in.

The concurrency and body tests run a real uvicorn on 127.0.0.1 (loopback only, bounded
request counts, servers stop at the end of each test).
"""

from __future__ import annotations

import concurrent.futures
import socket
import threading
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, live_server, login

SHAPE = {"error", "status", "exit_code", "message", "details"}


def _app(demo_lake: Any, accounts: Any, tmp_path: Path, **settings: Any) -> Any:
    from bilat.web import Settings, create_app

    base = {"agenda_url": f"sqlite:///{tmp_path / 'agenda.db'}", "secret_key": "h" * 24}
    return create_app(Settings(**{**base, **settings}), lake=demo_lake, accounts=accounts)


def _fresh_accounts(tmp_path: Path, *names: tuple[str, str]) -> Any:
    from bilat.web import Accounts

    acc = Accounts.open(f"sqlite:///{tmp_path / 'web.db'}")
    for name, role in names:
        acc.add(name, PASSWORD, role=role)
    return acc


def _parallel(n: int, call: Any) -> list[Any]:
    """Run ``call(i)`` for i in range(n) from n threads released together."""
    start = threading.Barrier(n)

    def run(i: int) -> Any:
        start.wait()
        return call(i)

    with concurrent.futures.ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


# ------------------------------------------------------------------------------ 1 throttle


def test_throttle_reserve_counts_before_the_password_is_checked() -> None:
    from bilat.web.errors import TooManyAttemptsError
    from bilat.web.security import LoginThrottle

    throttle = LoginThrottle(attempts=5, window_s=300)

    def attempt(_: int) -> str:
        try:
            throttle.reserve("vera", "127.0.0.1")
        except TooManyAttemptsError:
            return "refused"
        return "reserved"

    tally = Counter(_parallel(50, attempt))
    assert tally == {"reserved": 5, "refused": 45}


def test_released_attempt_is_given_back_and_success_forgets() -> None:
    from bilat.web.errors import TooManyAttemptsError
    from bilat.web.security import LoginThrottle

    throttle = LoginThrottle(attempts=1, window_s=300)
    stamp = throttle.reserve("a", "x")
    throttle.release("a", "x", stamp)  # the check never ran: not a failure
    throttle.reserve("a", "x")
    with pytest.raises(TooManyAttemptsError):
        throttle.reserve("a", "x")
    throttle.succeeded("a", "x")
    throttle.reserve("a", "x")


def test_fifty_parallel_wrong_logins_get_five_401_and_the_rest_429(
    demo_lake: Any, tmp_path: Path
) -> None:
    accounts = _fresh_accounts(tmp_path, ("target", "viewer"))
    app = _app(demo_lake, accounts, tmp_path)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        responses = _parallel(
            50,
            lambda _: client.post(
                "/api/login", json={"username": "target", "password": "wrong-password"}
            ),
        )
        codes = Counter(r.status_code for r in responses)
        print(f"\n50 parallel wrong logins for one user: {dict(sorted(codes.items()))}")
        # 0 bypasses: exactly the allowed attempts reached the password check
        assert codes == {401: 5, 429: 45}
        assert all(set(r.json()) == SHAPE for r in responses)
        assert all(int(r.headers["retry-after"]) > 0 for r in responses if r.status_code == 429)
        # the right password is refused too while the pair is locked out
        r = client.post("/api/login", json={"username": "target", "password": PASSWORD})
        assert r.status_code == 429


class _CountingHasher(PasswordHasher):
    """The real argon2 hasher, counting how many verifications run at the same time."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.calls = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self.lock:
            self.running += 1
            self.calls += 1
            self.most = max(self.most, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


def test_concurrent_password_checks_never_exceed_the_bound(demo_lake: Any, tmp_path: Path) -> None:
    accounts = _fresh_accounts(tmp_path)
    hasher = _CountingHasher()
    accounts.hasher = hasher
    app = _app(demo_lake, accounts, tmp_path, login_concurrency=2, login_wait_s=60.0)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        # distinct names: the throttle (per name and address) lets every one through
        responses = _parallel(
            16,
            lambda i: client.post(
                "/api/login", json={"username": f"nobody{i}", "password": "wrong-password"}
            ),
        )
    assert [r.status_code for r in responses] == [401] * 16
    assert hasher.calls == 16
    assert 1 <= hasher.most <= 2


def test_password_checks_past_the_wait_get_503() -> None:
    from bilat.web.errors import BusyError
    from bilat.web.security import PasswordChecks

    checks = PasswordChecks(1, wait_s=0)
    with checks.slot(), pytest.raises(BusyError) as info, checks.slot():
        pass
    assert info.value.status == 503 and info.value.details["limit"] == 1
    with checks.slot():  # the slot was given back
        pass


# ------------------------------------------------------------------------------ 2 bodies


def _send_head_and_some(base: str, head: str, some: bytes) -> tuple[int, int, bytes]:
    """Send request headers and the first bytes of a body; return (status, bytes sent, answer).

    The rest of the body is never sent: an answer proves the server did not wait for it.
    """
    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(head.encode())
        sock.sendall(some)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, len(some), answer


def _multipart_head(path: str, length: int, *, cookie: str = "", boundary: str = "b0") -> str:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Type: multipart/form-data; boundary={boundary}",
        f"Content-Length: {length}",
    ]
    if cookie:
        lines.append(f"Cookie: bilat_session={cookie}")
    return "\r\n".join(lines) + "\r\n\r\n"


def _part(boundary: str = "b0") -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + b"x" * 65536


@pytest.mark.parametrize("path", ["/api/sources/upload", "/sources/upload", "/api/air/schedule"])
def test_anonymous_315_mb_upload_is_refused_before_the_body_is_read(
    demo_lake: Any, accounts: Any, tmp_path: Path, path: str
) -> None:
    app = _app(demo_lake, accounts, tmp_path, max_upload_bytes=400 * 1024 * 1024)
    with live_server(app) as base:
        status, sent, answer = _send_head_and_some(
            base, _multipart_head(path, 315 * 1024 * 1024), _part()
        )
    assert status == 401, answer[:300]
    assert sent < 100_000  # of 330,301,440 announced


@pytest.mark.parametrize(
    ("user", "announced_mb", "status"),
    [("vera", 100, 403), ("ada", 50, 413)],  # a viewer's upload; an admin's over the 1 MB cap
)
def test_signed_in_upload_refused_before_the_body(
    demo_lake: Any, accounts: Any, tmp_path: Path, user: str, announced_mb: int, status: int
) -> None:
    app = _app(demo_lake, accounts, tmp_path, max_upload_bytes=1024 * 1024)
    with TestClient(app) as client:
        login(client, user)
        cookie = client.cookies["bilat_session"]
    head = _multipart_head("/api/sources/upload", announced_mb * 1024 * 1024, cookie=cookie)
    with live_server(app) as base:
        got, _, answer = _send_head_and_some(base, head, _part())
    assert got == status, answer[:300]


def test_streamed_body_past_the_cap_is_413(demo_lake: Any, accounts: Any, tmp_path: Path) -> None:
    app = _app(demo_lake, accounts, tmp_path, max_upload_bytes=1024 * 1024)
    sent = 0

    def chunks() -> Any:
        nonlocal sent
        yield _part()
        for _ in range(64):  # up to 4 MiB, without a Content-Length
            sent += 65536
            yield b"y" * 65536

    with TestClient(app) as client:
        login(client, "ada")
        r = client.post(
            "/api/sources/upload",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=b0"},
        )
    assert r.status_code == 413, r.text
    assert set(r.json()) == SHAPE and "limit" in r.json()["message"]


def test_json_body_over_one_mib_is_413(anon: TestClient) -> None:
    big = b'{"username": "vera", "password": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = anon.post("/api/login", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["status"] == 413


def test_max_upload_is_configurable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bilat.errors import InputError
    from bilat.web import Settings

    monkeypatch.setenv("BILAT_WEB_MAX_UPLOAD_MB", "7")
    assert Settings().max_upload_bytes == 7 * 1024 * 1024
    monkeypatch.setenv("BILAT_WEB_MAX_UPLOAD_MB", "lots")
    with pytest.raises(InputError, match="BILAT_WEB_MAX_UPLOAD_MB='lots'"):
        Settings()
    monkeypatch.delenv("BILAT_WEB_MAX_UPLOAD_MB")
    assert Settings().max_upload_bytes == 200 * 1024 * 1024


# ------------------------------------------------------------------------------ 3 sessions


def _captured(app: Any, name: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    login(client, name)
    return client, client.cookies["bilat_session"]


def _with_cookie(app: Any, cookie: str) -> TestClient:
    client = TestClient(app)
    client.cookies.set("bilat_session", cookie)
    return client


def test_a_cookie_captured_before_logout_no_longer_works(demo_lake: Any, tmp_path: Path) -> None:
    accounts = _fresh_accounts(tmp_path, ("leaver", "editor"))
    app = _app(demo_lake, accounts, tmp_path)
    client, cookie = _captured(app, "leaver")
    _, other = _captured(app, "leaver")  # the same user in another browser
    assert _with_cookie(app, cookie).get("/api/me").status_code == 200
    assert client.post("/api/logout").json() == {"signed_out": True}
    assert _with_cookie(app, cookie).get("/api/me").status_code == 401
    assert _with_cookie(app, other).get("/api/me").status_code == 401
    # the form's sign-out does the same; signing in again works
    client, cookie = _captured(app, "leaver")
    token = client.get("/api/me").json()["csrf_token"]
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert _with_cookie(app, cookie).get("/agenda", follow_redirects=False).status_code == 303
    assert _captured(app, "leaver")[0].get("/api/me").json()["user"] == "leaver"


def test_a_password_change_ends_existing_sessions(demo_lake: Any, tmp_path: Path) -> None:
    accounts = _fresh_accounts(tmp_path, ("changer", "viewer"))
    app = _app(demo_lake, accounts, tmp_path)
    _, cookie = _captured(app, "changer")
    assert _with_cookie(app, cookie).get("/api/years").status_code == 200
    accounts.set_password("changer", "a brand new password")
    assert _with_cookie(app, cookie).get("/api/years").status_code == 401


def test_a_demotion_ends_existing_sessions_a_promotion_does_not(
    demo_lake: Any, tmp_path: Path
) -> None:
    accounts = _fresh_accounts(tmp_path, ("boss", "admin"), ("rising", "viewer"))
    app = _app(demo_lake, accounts, tmp_path)
    _, boss = _captured(app, "boss")
    _, rising = _captured(app, "rising")
    assert _with_cookie(app, boss).get("/api/users").status_code == 200
    accounts.set_role("boss", "editor")
    accounts.set_role("rising", "editor")
    assert _with_cookie(app, boss).get("/api/me").status_code == 401
    assert _with_cookie(app, rising).get("/api/me").json()["role"] == "editor"


def test_an_accounts_table_from_before_the_session_epoch_keeps_working(
    demo_lake: Any, tmp_path: Path
) -> None:
    from bilat.web import Accounts

    url = f"sqlite:///{tmp_path / 'old-web.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the table as main created it, with one user
        conn.execute(
            sa.text(
                "CREATE TABLE bilat_web_users (name VARCHAR(64) PRIMARY KEY, role VARCHAR(16) "
                "NOT NULL, password_hash VARCHAR(256) NOT NULL, created_at DATETIME NOT NULL)"
            )
        )
        conn.execute(
            sa.text("INSERT INTO bilat_web_users VALUES ('oldie', 'editor', :h, :t)"),
            {"h": PasswordHasher().hash(PASSWORD), "t": "2024-01-02 03:04:05"},
        )
    engine.dispose()
    accounts = Accounts.open(url)
    assert "session_epoch" in {
        c["name"] for c in sa.inspect(accounts.engine).get_columns("bilat_web_users")
    }
    app = _app(demo_lake, accounts, tmp_path)
    client, cookie = _captured(app, "oldie")
    assert client.get("/api/me").json()["role"] == "editor"
    client.post("/api/logout")
    assert _with_cookie(app, cookie).get("/api/me").status_code == 401
    assert Accounts.open(url).get("oldie") is not None  # a second open adds nothing


# ------------------------------------------------------------------------------ 4 headers


def _has_security_headers(r: Any) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_security_headers_on_pages_api_static_and_errors(
    demo_lake: Any, accounts: Any, tmp_path: Path
) -> None:
    app = _app(demo_lake, accounts, tmp_path)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/boom-for-test", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        responses = [
            client.get("/login"),
            client.get("/api/health"),
            client.get("/static/style.css"),
            client.get("/api/years"),  # 401
            client.get("/agenda", follow_redirects=False),  # 303
            client.get("/no/such/page"),  # 404 page
            client.get("/api/no-such-route"),  # 404 JSON
            client.get("/api/trade/products?a=BLR&b=KAZ&year=2021&sort=nope"),  # 422 before sign-in
            client.get("/api/boom-for-test"),  # 500
        ]
        login(client, "vera")
        responses += [
            client.get("/dyad/BLR/KAZ"),
            client.get("/api/trade/overview?a=BLR&b=KAZ"),
            client.get("/api/trade/products?a=BLR&b=KAZ&year=2021&sort=nope"),  # 422
        ]
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 401, 303, 404, 404, 422, 500, 200, 200, 422]
    for r in responses:
        _has_security_headers(r)
        assert "strict-transport-security" not in r.headers  # plain http


def test_session_cookie_is_secure_over_https_only_in_auto_mode(
    demo_lake: Any, accounts: Any, tmp_path: Path
) -> None:
    app = _app(demo_lake, accounts, tmp_path)
    with TestClient(app) as client:
        r = client.post("/api/login", json={"username": "vera", "password": PASSWORD})
        assert "secure" not in r.headers["set-cookie"].lower()
    with TestClient(app, base_url="https://testserver") as client:
        r = client.post("/api/login", json={"username": "vera", "password": PASSWORD})
        assert "; secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")
    always = _app(demo_lake, accounts, tmp_path, secure_cookies=True)
    with TestClient(always) as client:
        r = client.post("/api/login", json={"username": "vera", "password": PASSWORD})
        assert r.headers["set-cookie"].lower().count("secure") == 1


def test_behind_a_local_tls_proxy_the_cookie_is_secure(
    demo_lake: Any, accounts: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bilat.web import Settings

    monkeypatch.setenv("BILAT_WEB_SECURE_COOKIES", "auto")
    assert Settings().secure_cookies is None
    monkeypatch.setenv("BILAT_WEB_SECURE_COOKIES", "never")
    assert Settings().secure_cookies is False
    app = _app(demo_lake, accounts, tmp_path, secure_cookies=None)
    body = {"username": "vera", "password": PASSWORD}
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        plain = client.post("/api/login", json=body)
        proxied = client.post("/api/login", json=body, headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in plain.headers["set-cookie"].lower()
    assert "; secure" in proxied.headers["set-cookie"].lower()


def test_style_hashes_allow_exactly_the_inline_styles() -> None:
    import base64
    import hashlib

    from bilat.web.guard import style_hashes

    html = "<html><head><style>\nbody { color: red }\n</style></head><body></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"\nbody { color: red }\n").digest()).decode()
    assert style_hashes(html) == [f"'sha256-{digest}'"]
    assert style_hashes("<p>no style</p>") == []


# ------------------------------------------------------------------------------ 5 schema


def test_schema_and_api_docs_need_sign_in(anon: TestClient) -> None:
    for path in ("/api/openapi.json", "/api/docs"):
        r = anon.get(path)
        assert r.status_code == 401, path
        assert set(r.json()) == SHAPE


def test_signed_in_users_get_the_schema_and_a_docs_page_without_cdn(viewer: TestClient) -> None:
    schema = viewer.get("/api/openapi.json").json()
    assert "/api/trade/overview" in schema["paths"]
    assert "/api/openapi.json" not in schema["paths"]
    page = viewer.get("/api/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    text = page.text
    for path in schema["paths"]:
        assert path in text
    assert "<script" not in text and "cdn" not in text.lower()
    _has_security_headers(page)


def test_the_briefing_page_allows_exactly_its_own_style(viewer: TestClient) -> None:
    from bilat.web.guard import style_hashes

    r = viewer.get("/brief/BLR/KAZ/2021")
    if r.status_code == 501:
        pytest.skip("the briefing is not installed")
    assert r.status_code == 200, r.text[:300]
    hashes = style_hashes(r.text)
    csp = r.headers["content-security-policy"]
    assert hashes and all(h in csp for h in hashes)
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
