"""``GET /api/agenda/due`` (issue 18): the window's text is checked as on the command line."""

from __future__ import annotations

from typing import Any


def test_due_route_lists_the_window(viewer: Any) -> None:
    r = viewer.get("/api/agenda/due", params={"within": "2w", "as_of": "2022-09-16"})
    assert r.status_code == 200, r.text
    body = r.json()
    # 2022-09-16 + 14 days = 2022-09-30, the last day of the sugar deadline (due 2022-09)
    assert body["until"] == "2022-09-30"
    assert [i["id"] for i in body["due"]] == ["sugar-supplies-resume"]


def test_due_route_refuses_a_bad_window(viewer: Any) -> None:
    r = viewer.get("/api/agenda/due", params={"within": "3m"})
    assert r.status_code == 400, r.text
    assert "bad window '3m'" in r.text
