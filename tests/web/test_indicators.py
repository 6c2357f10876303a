"""Indicators on the web (issue 18 part 2): the JSON routes, the item page, recording an actual."""

from __future__ import annotations

from fastapi.testclient import TestClient

CAB = "mtz-tractor-cab-plant"
KEY = "cab-production-started"


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_item_route_is_the_query_route(viewer: TestClient) -> None:
    one = viewer.get(f"/api/agenda/items/{CAB}/indicators")
    assert one.status_code == 200, one.text
    assert one.json() == viewer.get("/api/agenda/indicators", params={"item_id": CAB}).json()
    (ind,) = one.json()["items"][0]["indicators"]
    assert (ind["key"], ind["progress"]["status"]) == (KEY, "no_actual")
    every = viewer.get("/api/agenda/indicators").json()
    assert [i["item"] for i in every["items"]] == [
        "area-agro-industry", CAB, "sugar-supplies-resume"
    ]  # fmt: skip
    assert viewer.get("/api/agenda/items/nope/indicators").status_code == 404


def test_editor_records_an_actual_then_stale_is_409(editor: TestClient) -> None:
    version = editor.get("/api/agenda/show", params={"item_id": CAB}).json()["version"]
    url = f"/api/agenda/items/{CAB}/indicators/{KEY}/actuals"
    body = {"expected_version": version, "period": "2022-12", "value": 1, "source": "synthetic"}
    r = editor.post(url, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["item"]["version"] == version + 1
    (ind,) = r.json()["indicators"]["items"][0]["indicators"]
    assert ind["actuals"][0]["author"] == "eddie"
    assert ind["progress"]["status"] == "target_met"
    assert editor.post(url, json=body).status_code == 409
    bad = editor.post(url, json=body | {"expected_version": version + 1, "period": "2022-13"})
    assert bad.status_code == 400 and "bad period" in bad.text
    measured = "/api/agenda/items/sugar-supplies-resume/indicators/sugar-exports/actuals"
    assert editor.post(measured, json=body | {"expected_version": 1}).status_code == 400


def test_viewer_cannot_record(viewer: TestClient) -> None:
    url = f"/api/agenda/items/{CAB}/indicators/{KEY}/actuals"
    body = {"expected_version": 1, "period": "2022", "value": 1, "source": "x"}
    assert viewer.post(url, json=body).status_code == 403


def test_item_page_shows_indicators_and_records(editor: TestClient, viewer: TestClient) -> None:
    page = viewer.get("/agenda/sugar-supplies-resume").text
    assert 'id="indicators"' in page and "sugar-exports" in page
    assert "not measurable" in page  # the web demo lake ends in 2021, the baseline year
    assert "actual-form" not in page
    page = editor.get(f"/agenda/{CAB}").text
    assert f'id="actual-form-{KEY}"' in page and "no actual recorded" in page
    version = editor.get("/api/agenda/show", params={"item_id": CAB}).json()["version"]
    form = {"csrf_token": _csrf(page), "expected_version": str(version), "period": "2022-11",
            "value": "1", "source": "synthetic letter"}  # fmt: skip
    r = editor.post(f"/agenda/{CAB}/indicators/{KEY}/actuals", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = editor.get(f"/agenda/{CAB}").text
    assert "synthetic letter" in page and "target met" in page
