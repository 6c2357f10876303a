"""Grades on the web (issue 18 part 3): POST /api/agenda/items/{id}/grade, the item page.

The grades posted here are SYNTHETIC (made-up sources); they say nothing about the real
commission.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from bilat.agenda import EDITABLE_FIELDS

SUGAR = "sugar-supplies-resume"  # meeting 2022-06-09, due 2022-09
SRC = {"source": "SYNTHETIC test source", "figure": "10 kt"}


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_editor_grades_then_stale_is_409(editor: TestClient, viewer: TestClient) -> None:
    item = editor.get("/api/agenda/show", params={"item_id": SUGAR}).json()
    url = f"/api/agenda/items/{SUGAR}/grade"
    body = {"as_of": "2022-12-31", "grade": "partial", "evidence": [SRC], "note": "synthetic"}
    assert viewer.post(url, json=body).status_code == 403
    r = editor.post(url, json=body | {"expected_version": item["version"]})
    assert r.status_code == 200, r.text
    after = r.json()["item"]
    assert after["version"] == item["version"] + 1
    assert after["grade"]["grade"] == "partial" and after["grade"]["score"] == 0
    assert after["grade"]["evidence"] == [SRC | {"note": None}]
    stale = editor.post(url, json=body | {"expected_version": item["version"]})
    assert stale.status_code == 409 and "graded it partial" in stale.text
    no_evidence = editor.post(url, json={"as_of": "2022-12-31", "grade": "full"})
    assert no_evidence.status_code == 400 and "evidence" in no_evidence.text
    late = editor.post(url, json={"as_of": "2022-12-31", "grade": "too_early"})
    assert late.status_code == 400 and "deadline has passed" in late.text
    report = viewer.get("/api/agenda/grades", params={"as_of": "2023-01-01"}).json()
    assert report["summary"]["graded"] == 1 and report["summary"]["percent"] == 50.0
    one = viewer.get("/api/agenda/grades", params={"item_id": SUGAR}).json()
    assert [g["grade"] for g in one["history"]] == ["too_early", "partial"]  # shipped, then ours


def test_item_page_shows_grades_and_forms(editor: TestClient, viewer: TestClient) -> None:
    page = viewer.get(f"/agenda/{SUGAR}").text
    assert "Not graded as of" in page and 'id="grade-form"' not in page
    page = editor.get(f"/agenda/{SUGAR}").text
    edit_form = page.split('id="edit-form"')[1].split("</form>")[0]
    for name in EDITABLE_FIELDS:  # the edit form covers every editable field
        assert f'name="{name}"' in edit_form, name
    item = editor.get("/api/agenda/show", params={"item_id": SUGAR}).json()
    form = {
        "csrf_token": _csrf(page),
        "expected_version": str(item["version"]),
        "as_of": "2022-10-15",
        "grade": "none",
        "evidence": "SYNTHETIC customs note::0 t shipped\n\nSYNTHETIC second",
        "note": "from the page",
    }
    r = editor.post(f"/agenda/{SUGAR}/grade", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = viewer.get(f"/agenda/{SUGAR}").text
    assert 'id="grades"' in page and "score -1" in page
    assert "SYNTHETIC customs note: 0 t shipped" in page and "SYNTHETIC second" in page


def test_edit_form_sets_value_kind_and_lists(editor: TestClient) -> None:
    page = editor.get(f"/agenda/{SUGAR}").text
    item = editor.get("/api/agenda/show", params={"item_id": SUGAR}).json()
    form = {
        "csrf_token": _csrf(page),
        "expected_version": str(item["version"]),
        "kind": "project",
        "value": "2500000",
        "currency": "USD",
        "count": "3",
        "baskets": "sugar",
        "hs": "1701, 170199",
        "body": "",
    }
    r = editor.post(f"/agenda/{SUGAR}/edit", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = editor.get("/api/agenda/show", params={"item_id": SUGAR}).json()
    assert (shown["kind"], shown["value"], shown["currency"], shown["count"]) == (
        "project", 2500000.0, "USD", 3,
    )  # fmt: skip
    assert shown["hs"] == ["1701", "170199"] and shown["title"] == item["title"]
