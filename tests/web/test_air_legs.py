"""``POST /api/air/legs`` (issue 17): every leg of an uploaded SSIM file, or the error."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import FIXTURES

SSIM = FIXTURES / "air" / "blr-kaz-2022-07.ssim"


def test_upload_gives_every_leg(viewer: TestClient) -> None:
    r = viewer.post("/api/air/legs", files={"file": (SSIM.name, SSIM.read_bytes())})
    assert r.status_code == 200, r.text
    body = r.json()
    raw = [x for x in SSIM.read_text().splitlines() if x.startswith("3")]
    assert body["file"] == SSIM.name and body["count"] == len(raw) == len(body["legs"])
    assert [leg["dep"] for leg in body["legs"]] == [x[36:39] for x in raw]
    assert {m["time_mode"] for m in body["time_modes"]} == {"U"}


def test_bad_upload_is_422_naming_line_and_field(viewer: TestClient) -> None:
    lines = SSIM.read_bytes().split(b"\n")
    n = next(i for i, x in enumerate(lines) if x.startswith(b"3"))
    lines[n] = lines[n][:57] + b"2599" + lines[n][61:]  # aircraft STA, bytes 58-61
    r = viewer.post("/api/air/legs", files={"file": ("bad.ssim", b"\n".join(lines))})
    assert r.status_code == 422, r.text
    assert f"line {n + 1}" in r.json()["message"]
    assert "aircraft STA (bytes 58-61)" in r.json()["message"]
