"""GET /api/claims/history: the recorded verdicts on a claim, and the one error shape."""

from __future__ import annotations

from typing import Any


def test_unrecorded_claim_is_404_in_the_error_shape(viewer: Any) -> None:
    r = viewer.get("/api/claims/history", params={"claim": "never-checked-claim"})
    assert r.status_code == 404
    assert "no recorded check of claim 'never-checked-claim'" in r.text


def test_route_needs_a_claim(viewer: Any) -> None:
    assert viewer.get("/api/claims/history").status_code == 422


def test_a_get_of_claims_check_records_nothing(viewer: Any, demo_lake: Any) -> None:
    from bilat.claims import read_history

    before = len(read_history(demo_lake))
    assert viewer.get("/api/claims/check").status_code == 200
    assert len(read_history(demo_lake)) == before
