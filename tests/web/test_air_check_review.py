"""Issue 17 review: the web's flight check says the same as ``bilat air check``."""

from __future__ import annotations

from typing import Any


def test_check_route_gives_the_verdict_and_refuses_a_one_point_flight(admin: Any) -> None:
    ok = admin.get("/api/air/check", params={"flight": "B2 MSQ-NQZ-IST"})
    assert ok.status_code == 200
    body = ok.json()
    assert (body["verdict"], body["permitted"]) == ("undetermined", False)
    assert {s["verdict"] for s in body["segments"]} == {"permitted", "outside-agreements"}
    bad = admin.get("/api/air/check", params={"flight": "B2 MSQ-MSQ"})
    assert bad.status_code == 400 and "two different points" in bad.text
    stray = admin.get("/api/air/check", params={"flight": "B2 MSQ-NQZ", "no_traffic": "ALA-KSN"})
    assert stray.status_code == 400 and "not a segment" in stray.text
