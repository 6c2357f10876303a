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


# ---- issue 18: rating ladder


def test_a_get_of_claims_check_compares_with_the_last_recorded_check(
    viewer: Any, demo_lake: Any
) -> None:
    from bilat.claims import NOT_ASKED, check_claims, read_history, record_check

    record_check(demo_lake, check_claims(demo_lake, "blr-kaz-2022"))
    last = read_history(demo_lake)[-1].checked_at
    r = viewer.get("/api/claims/check", params={"case": "blr-kaz-2022"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["recorded"], doc["not_recorded_because"]) == (False, NOT_ASKED)
    assert doc["previous_check"] == last
    assert doc["changes"] == []  # same lake, same claims
    assert doc["lake_change"]["text"] == "with the lake unchanged"
    assert read_history(demo_lake)[-1].checked_at == last


def test_a_get_asking_to_record_is_refused(viewer: Any) -> None:
    r = viewer.get("/api/claims/check", params={"record": "true"})
    assert r.status_code == 400
    assert "a GET records nothing" in r.text


def test_overview_marks_each_verdict_with_a_slugged_class(viewer: Any, demo_lake: Any) -> None:
    from pathlib import Path

    from bilat.claims import check_claims

    verdicts = {r.verdict for r in check_claims(demo_lake, "blr-kaz-2022").results}
    text = viewer.get("/dyad/BLR/KAZ?year=2021").text
    for v in verdicts:
        assert f'class="verdict v-{v.replace(" ", "-")}">{v}</span>' in text
    css = (Path(__file__).parents[2] / "src/bilat/web/static/style.css").read_text("utf-8")
    for v in ("supported", "supported-within-tolerance", "roughly", "contradicted"):
        assert f".v-{v} " in css or f".v-{v}," in css, v
