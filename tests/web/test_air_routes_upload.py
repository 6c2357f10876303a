"""POST /api/air/routes (issue 17: openflights): a route list as an upload, nothing stored.

The files are the synthetic OpenFlights fixtures (tests/fixtures/air/README.md).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
ROUTES = FIXTURES / "openflights-routes-synthetic.dat"
AIRLINES = FIXTURES / "openflights-airlines-synthetic.dat"


def _files(schedule: Path, airlines: Path | None = None) -> dict[str, tuple[str, bytes]]:
    out = {"schedule": (schedule.name, schedule.read_bytes())}
    if airlines is not None:
        out["airlines"] = (airlines.name, airlines.read_bytes())
    return out


def test_upload_gives_each_route_its_verdict(viewer: TestClient) -> None:
    r = viewer.post(
        "/api/air/routes", files=_files(ROUTES, AIRLINES), data={"carrier_states": ["IQ=KAZ"]}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["file"] == ROUTES.name
    # 8 rows: 4 permitted, IQ (undesignated) and B2 MSQ-SCO refused, KC ALA-NQZ domestic,
    # the AY codeshare not checked (see the fixture's README)
    assert body["counts"] == {
        "permitted": 4,
        "refused": 2,
        "not-regulated": 1,
        "outside-agreements": 0,
        "not-checked": 1,
    }
    assert [(x["carrier"], x["off"]) for x in body["not_permitted"]] == [
        ("IQ", "MSQ"),
        ("B2", "SCO"),
    ]


def test_an_airlines_file_as_schedule_is_422_naming_the_option(viewer: TestClient) -> None:
    r = viewer.post("/api/air/routes", files=_files(AIRLINES))
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "ParseError"
    assert "this is an OpenFlights airlines file, not a route list" in r.json()["message"]


def test_a_bad_row_names_the_upload_and_line(viewer: TestClient) -> None:
    data = ROUTES.read_bytes().replace(b",,0,320\n", b",,zero,320\n", 1)
    r = viewer.post("/api/air/routes", files={"schedule": ("mine.dat", data)})
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith(
        "mine.dat, line 3, column 'stops (field 8)': invalid stops"
    )
    assert r.json()["details"]["value"] == "zero"


def test_anonymous_upload_is_refused(anon: TestClient) -> None:
    r = anon.post("/api/air/routes", files=_files(ROUTES))
    assert r.status_code == 401
