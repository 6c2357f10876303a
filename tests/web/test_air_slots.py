"""``POST /api/air/slots``: an uploaded SSIM Chapter 6 message, read and dated (issue 17)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import FIXTURES

REQUEST = FIXTURES / "air" / "slots" / "scr-ala-s23-request.txt"


def test_upload_gives_the_message_and_its_dated_slots(viewer: TestClient) -> None:
    files = {"file": (REQUEST.name, REQUEST.read_bytes())}
    r = viewer.post("/api/air/slots", files=files, data={"dated": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["message"]["name"] == REQUEST.name
    assert [x["action"] for x in body["message"]["lines"]] == ["N", "N", "N", "N", "C", "R", "D"]
    assert len(body["slots"]) == 452  # worked out by hand in tests/air/test_slots.py
    undated = viewer.post("/api/air/slots", files=files).json()
    assert undated["slots"] is None


def test_bad_message_is_422_naming_line_and_field(viewer: TestClient) -> None:
    text = b"SCR\n/\nS23\n10JAN\nALA\nNB2735 B2736 01MAY14MAY 1030500 180320 MSQ2460 2300MSQ JJ\n"
    r = viewer.post("/api/air/slots", files={"file": ("bad.txt", text)})
    assert r.status_code == 422, r.text
    doc = r.json()
    assert doc["error"] == "ParseError"
    assert "bad.txt, line 6, column 'time (characters 43-46)'" in doc["message"]
    assert doc["details"]["value"] == "2460"


def test_other_file_types_and_anonymous_uploads_are_refused(
    viewer: TestClient, anon: TestClient
) -> None:
    r = viewer.post("/api/air/slots", files={"file": ("m.exe", REQUEST.read_bytes())})
    assert r.status_code in (400, 422) and ".txt" in r.json()["message"]
    assert anon.post("/api/air/slots", files={"file": (REQUEST.name, b"SCR")}).status_code == 401


def test_upload_dated_totals_count_slots_per_effect(viewer: TestClient) -> None:
    files = {"file": (REQUEST.name, REQUEST.read_bytes())}
    body = viewer.post("/api/air/slots", files=files, data={"dated": "true"}).json()
    # by hand in tests/air/test_review_slots_legs.py: 438 + 6 - 6 - 2 = 436
    assert body["totals"] == {
        "requested": 438,
        "requested instead": 6,
        "given up if the change is granted": 6,
        "given up": 2,
    }
    assert body["net_requested"] == 436
    assert {x["effect"] for x in body["slots"] if x["line"] == 10} == {
        "given up if the change is granted"
    }
