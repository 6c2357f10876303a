"""Error paths of POST /api/air/flights|capacity|compare (issue 17): one error shape."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
JULY = FIXTURES / "blr-kaz-2022-07.ssim"
AUGUST = FIXTURES / "blr-kaz-2022-08.ssim"


def test_bad_date_names_the_field(viewer: TestClient) -> None:
    r = viewer.post(
        "/api/air/flights",
        data={"start": "04JUL22"},
        files={"file": (JULY.name, JULY.read_bytes())},
    )
    assert r.status_code == 400, r.text
    assert "start '04JUL22' is not a date: expected YYYY-MM-DD" in r.json()["message"]


def test_compare_with_a_broken_second_file_names_its_line(viewer: TestClient) -> None:
    lines = AUGUST.read_bytes().split(b"\n")
    lines[3] = b"9" + lines[3][1:]
    r = viewer.post(
        "/api/air/compare",
        files={
            "season_a": (JULY.name, JULY.read_bytes()),
            "season_b": ("bad.ssim", b"\n".join(lines)),
        },
    )
    assert r.status_code == 422, r.text
    assert "bad.ssim" in r.json()["message"] and "line 4" in r.json()["message"]


def test_capacity_counts_the_uploaded_fortnight(viewer: TestClient) -> None:
    r = viewer.post(
        "/api/air/capacity",
        data={"start": "2022-07-04", "end": "2022-07-17", "carriers": ["KC"]},
        files={"file": (JULY.name, JULY.read_bytes())},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    # KC 911 NQZ-GME on days 2, 5, 7 and KC 913 ALA-MSQ on day 5: 8 flights in 14 days
    assert body["coverage"]["flights"] == 8
    assert {(p["dep"], p["arr"]): p["flights"] for p in body["pairs"]} == {
        ("NQZ", "GME"): 6,
        ("ALA", "MSQ"): 2,
    }


def test_a_carrier_not_in_the_upload_is_400_naming_its_carriers(viewer: TestClient) -> None:
    for route in ("/api/air/flights", "/api/air/capacity"):
        r = viewer.post(
            route, data={"carriers": "ZZ"}, files={"file": (JULY.name, JULY.read_bytes())}
        )
        assert r.status_code == 400, r.text
        # the fixture's type-3 records are of B2 (8), IQ (1) and KC (2)
        assert (
            "carrier ZZ: no flight leg in blr-kaz-2022-07.ssim; its carriers are B2, IQ, KC"
            in r.json()["message"]
        )
