"""Editors add agenda items through the API and the Commitments page's form."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

NEW: dict[str, Any] = {
    "id": "cab-supply-2023",
    "kind": "contract",
    "title": "Supply of tractor cabs to Kostanay",
    "party": "KAZ",
    "due": "2023-H1",
    "value": 1500000,
    "currency": "USD",
    "baskets": ["tractor_cabs"],
    "hs": ["870710"],
    "air_clause": "blr-kaz#KAZ-3-4",
    "note": "signed in Minsk",
}


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _meeting(client: TestClient) -> str:
    meeting: str = client.get("/api/agenda/meetings").json()["meetings"][0]["id"]
    return meeting


def _ids(client: TestClient) -> list[str]:
    return [i["id"] for i in client.get("/api/agenda/items").json()["items"]]


def test_editor_adds_an_item_and_sees_it(editor: TestClient) -> None:
    before = _ids(editor)
    r = editor.post("/api/agenda/items", json={**NEW, "meeting": _meeting(editor)})
    assert r.status_code == 201, r.text
    item = r.json()["item"]
    assert (item["id"], item["party"], item["value"], item["hs"]) == (
        "cab-supply-2023",
        "KAZ",
        1500000.0,
        ["870710"],
    )
    assert item["history"] == [
        {
            "date": "2022-06-09",
            "status": "agreed",
            "note": "signed in Minsk",
            "source": None,
            "author": "eddie",
            "recorded_at": item["history"][0]["recorded_at"],
        }
    ]
    assert _ids(editor) == [*before, "cab-supply-2023"]
    page = editor.get("/agenda/cab-supply-2023")
    assert page.status_code == 200 and "Supply of tractor cabs to Kostanay" in page.text
    again = editor.post("/api/agenda/items", json={**NEW, "meeting": _meeting(editor)})
    assert again.status_code == 409 and "already used" in again.json()["message"]


def test_viewer_is_refused(viewer: TestClient) -> None:
    before = _ids(viewer)
    r = viewer.post("/api/agenda/items", json={**NEW, "meeting": _meeting(viewer)})
    assert r.status_code == 403 and "needs the editor role" in r.json()["message"]
    assert _ids(viewer) == before
    page = viewer.get("/agenda")
    assert page.status_code == 200 and 'id="add-item-form"' not in page.text


def test_missing_csrf_header_is_refused(editor: TestClient) -> None:
    meeting = _meeting(editor)
    del editor.headers["X-CSRF-Token"]
    r = editor.post("/api/agenda/items", json={**NEW, "meeting": meeting})
    assert r.status_code == 403 and "CSRF" in r.json()["message"]
    assert "cab-supply-2023" not in _ids(editor)


def test_bad_basket_is_400_in_the_error_shape(editor: TestClient) -> None:
    before = _ids(editor)
    r = editor.post(
        "/api/agenda/items",
        json={**NEW, "meeting": _meeting(editor), "baskets": ["tractor_cab"]},
    )
    assert r.status_code == 400, r.text
    body = r.json()
    assert (
        set(body) == {"error", "status", "exit_code", "message", "details"}
        and body["status"] == 400
    )
    assert "unknown basket" in body["message"]
    assert body["details"]["closest"][0] == "tractor_cabs"
    assert _ids(editor) == before


def test_bad_value_and_unknown_meeting(editor: TestClient) -> None:
    r = editor.post("/api/agenda/items", json={**NEW, "meeting": _meeting(editor), "value": -1})
    assert r.status_code == 422 and set(r.json()) == {
        "error",
        "status",
        "exit_code",
        "message",
        "details",
    }
    r = editor.post("/api/agenda/items", json={**NEW, "meeting": "no-such-meeting"})
    assert r.status_code == 400 and "unknown meeting" in r.json()["message"]
    r = editor.post("/api/agenda/items", json={**NEW, "meeting": _meeting(editor), "id": "Bad Id"})
    assert r.status_code == 400 and "bad identifier" in r.json()["message"]


def test_form_adds_an_item(editor: TestClient) -> None:
    page = editor.get("/agenda")
    assert 'id="add-item-form"' in page.text
    data = {
        "csrf_token": _csrf(page.text),
        "id": "form-item",
        "meeting": _meeting(editor),
        "kind": "decision",
        "title": "Open a trade house in Almaty",
        "party": "BLR",
        "baskets": "tractors, tractor_cabs",
        "hs": "8701",
        "value": "",
        "status": "agreed",
        "date": "2022-07-01",
    }
    r = editor.post("/agenda/items", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/agenda/form-item"
    item = editor.get("/api/agenda/items/form-item").json()["item"]
    assert (item["baskets"], item["hs"], item["value"], item["status_date"]) == (
        ["tractors", "tractor_cabs"],
        ["8701"],
        None,
        "2022-07-01",
    )
    assert "Open a trade house in Almaty" in editor.get("/agenda").text


def test_form_errors_are_shown_in_the_page(editor: TestClient) -> None:
    page = editor.get("/agenda")
    data = {
        "csrf_token": _csrf(page.text),
        "id": "form-bad",
        "meeting": _meeting(editor),
        "kind": "decision",
        "title": "Keep what I typed",
        "baskets": "sugr",
    }
    r = editor.post("/agenda/items", data=data)
    assert r.status_code == 400
    assert 'id="add-item-error"' in r.text and "did you mean sugar?" in r.text
    assert 'value="Keep what I typed"' in r.text  # the form keeps the input
    assert "form-bad" not in _ids(editor)


def test_form_without_csrf_or_as_viewer_is_refused(editor: TestClient, viewer: TestClient) -> None:
    data = {"id": "nope", "meeting": _meeting(editor), "kind": "decision", "title": "t"}
    del editor.headers["X-CSRF-Token"]  # a browser form carries no header
    r = editor.post("/agenda/items", data=data)
    assert r.status_code == 403 and "CSRF" in r.text
    page = viewer.get("/agenda")
    r = viewer.post("/agenda/items", data={**data, "csrf_token": _csrf(page.text)})
    assert r.status_code == 403 and "needs the editor role" in r.text
    assert "nope" not in _ids(editor)
