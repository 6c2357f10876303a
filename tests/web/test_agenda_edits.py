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


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_item_page_forms_edit_then_remove(editor: TestClient, viewer: TestClient) -> None:
    item = _item(editor)
    page = editor.get(f"/agenda/{item['id']}").text
    assert 'id="edit-form"' in page and 'id="remove-form"' in page
    assert 'id="edit-form"' not in viewer.get(f"/agenda/{item['id']}").text
    form = {
        "csrf_token": _csrf(page),
        "expected_version": str(item["version"]),
        "title": str(item["title"]),
        "description": "",
        "area": str(item["area"] or ""),
        "party": str(item["party"] or ""),
        "body": "",
        "due": "2031-H1",
        "reason": "from the page",
    }
    r = editor.post(f"/agenda/{item['id']}/edit", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = editor.get("/api/agenda/show", params={"item_id": item["id"]}).json()
    assert shown["due"] == "2031-H1" and shown["due_date"] == "2031-06-30"
    assert "due" in [e["field"] for e in shown["edits"]]
    stale = editor.post(f"/agenda/{item['id']}/edit", data=form, follow_redirects=False)
    assert stale.status_code == 409
    page = editor.get(f"/agenda/{item['id']}").text
    r = editor.post(
        f"/agenda/{item['id']}/remove",
        data={
            "csrf_token": _csrf(page),
            "expected_version": str(shown["version"]),
            "reason": "dup",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = editor.get(f"/agenda/{item['id']}").text
    assert 'id="item-removed"' in page and 'id="edit-form"' not in page and 'id="edits"' in page
