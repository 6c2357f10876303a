"""POST /api/agenda/items/{id}/edit and /remove (issue 18): editor role, CSRF, 409."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _item(client: TestClient) -> dict[str, object]:
    items: list[dict[str, object]] = client.get("/api/agenda/list").json()["items"]
    return next(i for i in items if i["due"])


def test_editor_edits_then_stale_is_409(editor: TestClient) -> None:
    item = _item(editor)
    url = f"/api/agenda/items/{item['id']}/edit"
    r = editor.post(
        url,
        json={
            "expected_version": item["version"],
            "due": "2031",
            "reason": "new plan",
            "clear": ["body"],
        },
    )
    assert r.status_code == 200, r.text
    after = r.json()["item"]
    assert after["version"] == item["version"] + 1 and after["due"] == "2031"
    edits = after["edits"]
    assert (
        edits[0]["field"] == "due" and edits[0]["old"] == item["due"] and edits[0]["new"] == "2031"
    )
    assert {e["author"] for e in edits} == {"eddie"}
    stale = editor.post(url, json={"expected_version": item["version"], "title": "x"})
    assert stale.status_code == 409
    bad = editor.post(url, json={"expected_version": after["version"], "due": "2031-13"})
    assert bad.status_code in (400, 422)


def test_editor_removes_and_list_hides(editor: TestClient) -> None:
    item = _item(editor)
    r = editor.post(
        f"/api/agenda/items/{item['id']}/remove",
        json={"expected_version": item["version"], "reason": "duplicate"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["item"]["removed"] is True
    ids = [i["id"] for i in editor.get("/api/agenda/list").json()["items"]]
    assert item["id"] not in ids
    ids = [
        i["id"] for i in editor.get("/api/agenda/list", params={"removed": True}).json()["items"]
    ]
    assert item["id"] in ids
    no_reason = editor.post(
        f"/api/agenda/items/{item['id']}/remove", json={"expected_version": item["version"] + 1}
    )
    assert no_reason.status_code == 422


def test_viewer_and_missing_csrf_are_refused(viewer: TestClient, editor: TestClient) -> None:
    item = _item(viewer)
    for path, body in (
        ("edit", {"expected_version": item["version"], "title": "x"}),
        ("remove", {"expected_version": item["version"], "reason": "x"}),
    ):
        assert viewer.post(f"/api/agenda/items/{item['id']}/{path}", json=body).status_code == 403
    del editor.headers["X-CSRF-Token"]
    r = editor.post(
        f"/api/agenda/items/{item['id']}/remove",
        json={"expected_version": item["version"], "reason": "x"},
    )
    assert r.status_code == 403
    assert (
        editor.get("/api/agenda/show", params={"item_id": item["id"]}).json()["version"]
        == item["version"]
    )
