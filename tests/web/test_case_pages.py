"""Agenda, air services and the HTML pages, on the founding case and a real agenda database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import FIXTURES

SSIM = FIXTURES / "air" / "blr-kaz-2022-07.ssim"
BANNER = 'id="synthetic-banner"'


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_agenda_items_filter_by_status_and_area(viewer: TestClient) -> None:
    every = viewer.get("/api/agenda/list").json()["items"]
    assert len(every) > 5
    status = every[0]["status"]
    some = viewer.get("/api/agenda/list", params={"status": status}).json()["items"]
    assert some and all(i["status"] == status for i in some)
    area = next(i["area"] for i in every if i["area"])
    by_area = viewer.get("/api/agenda/list", params={"area": area}).json()["items"]
    assert [i["id"] for i in by_area] == [i["id"] for i in every if i["area"] == area]


def test_editor_records_a_change_and_stale_version_conflicts(editor: TestClient) -> None:
    item = editor.get("/api/agenda/list").json()["items"][0]
    url = f"/api/agenda/items/{item['id']}/changes"
    r = editor.post(
        url,
        json={"status": "in_progress", "note": "site visit", "expected_version": item["version"]},
    )
    assert r.status_code == 200, r.text
    after = r.json()["item"]
    assert after["version"] == item["version"] + 1
    assert (
        after["history"][-1]["author"] == "eddie" and after["history"][-1]["note"] == "site visit"
    )
    stale = editor.post(url, json={"status": "done", "expected_version": item["version"]})
    assert stale.status_code == 409 and set(stale.json()) == {
        "error",
        "status",
        "exit_code",
        "message",
        "details",
    }


def test_bad_status_is_refused(editor: TestClient) -> None:
    item = editor.get("/api/agenda/list").json()["items"][0]
    r = editor.post(
        f"/api/agenda/items/{item['id']}/changes",
        json={"status": "finished", "expected_version": item["version"]},
    )
    assert r.status_code == 422 and "status" in r.json()["message"]


def test_item_with_linked_trade_shows_the_series(viewer: TestClient) -> None:
    items = viewer.get("/api/agenda/list").json()["items"]
    linked = next(i for i in items if i["baskets"] or i["hs"])
    shown = viewer.get("/api/agenda/show", params={"item_id": linked["id"]}).json()
    assert shown["id"] == linked["id"]
    prog = viewer.get("/api/agenda/progress", params={"item_id": linked["id"]}).json()
    assert prog["item"] == linked["id"]
    # the demo lake holds 2019-2021: the other years of the window are gaps, never 0 points
    assert {p["year"] for p in prog["points"]} <= {2019, 2020, 2021}
    gap_years = {g["year"] for g in prog["gaps"]}
    assert gap_years and not gap_years & {2019, 2020, 2021}
    assert {g["coverage"]["status"] for g in prog["gaps"]} == {"none"}
    page = viewer.get(f"/agenda/{linked['id']}").text
    table = page[page.index('id="progress"') : page.index("</table>", page.index('id="progress"'))]
    assert table.count("not available") == len(prog["gaps"])


def test_item_form_as_editor_adds_a_status_change(editor: TestClient) -> None:
    item = editor.get("/api/agenda/list").json()["items"][1]
    page = editor.get(f"/agenda/{item['id']}")
    assert 'id="change-form"' in page.text
    r = editor.post(
        f"/agenda/{item['id']}/changes",
        data={
            "csrf_token": _csrf(page.text),
            "expected_version": str(item["version"]),
            "status": "done",
            "date": "2023-01-15",
            "note": "commissioned",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    history = editor.get("/api/agenda/show", params={"item_id": item["id"]}).json()["history"]
    assert history[-1]["status"] == "done" and history[-1]["date"] == "2023-01-15"


def test_viewer_sees_no_form_and_is_refused_on_post(viewer: TestClient) -> None:
    item = viewer.get("/api/agenda/list").json()["items"][0]
    page = viewer.get(f"/agenda/{item['id']}")
    assert page.status_code == 200 and 'id="change-form"' not in page.text
    r = viewer.post(
        f"/agenda/{item['id']}/changes",
        data={"csrf_token": _csrf(page.text), "expected_version": "1", "status": "done"},
    )
    assert r.status_code == 403 and "needs the editor role" in r.text


def test_air_agreements_and_routes(viewer: TestClient) -> None:
    ags = viewer.get("/api/air/agreements").json()["agreements"]
    assert [a["parties"] for a in ags] == [["BLR", "KAZ"]]
    routes = viewer.get("/api/air/routes", params={"carrier": "KC"}).json()
    assert routes["carriers"] == ["KC"]
    assert ["NQZ", "MSQ"] in [r["routing"] for r in routes["routes"]]


def test_ssim_upload_gives_the_compliance_report(viewer: TestClient) -> None:
    from bilat.air import case_agreements_dir, check_schedule, load_agreements, read_ssim

    r = viewer.post("/api/air/schedule", files={"file": (SSIM.name, SSIM.read_bytes())})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = check_schedule(load_agreements(case_agreements_dir()), read_ssim(SSIM))
    n = expected.violations
    assert len(body["violations"]) == (n.num_rows if hasattr(n, "num_rows") else len(n)) > 0
    assert body["compliant"] is False
    assert body["by_carrier"] == expected.by_carrier()


def test_bad_ssim_upload_is_422_naming_the_line(viewer: TestClient, tmp_path: Path) -> None:
    lines = SSIM.read_bytes().split(b"\n")
    lines[2] = b"9" + lines[2][1:]
    r = viewer.post("/api/air/schedule", files={"file": ("bad.ssim", b"\n".join(lines))})
    assert r.status_code == 422, r.text
    assert "line 3" in r.json()["message"]


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("/dyad/BLR/KAZ?year=2021", 'id="series-chart"'),
        ("/dyad/BLR/KAZ/products?year=2021&level=2&sort=value_usd&order=desc", 'id="products"'),
        ("/dyad/BLR/KAZ/potential?year=2021", 'id="potential"'),
        ("/agenda", 'id="agenda"'),
        ("/air", 'id="ssim-form"'),
        ("/brief", "/api/brief/BLR/KAZ/2021/download"),
        ("/sources", 'id="manifest"'),
    ],
)
def test_pages_render_with_the_banner(viewer: TestClient, path: str, marker: str) -> None:
    r = viewer.get(path)
    assert r.status_code == 200, r.text[:500]
    assert marker in r.text and BANNER in r.text


def test_overview_page_has_an_inline_svg_chart(viewer: TestClient) -> None:
    text = viewer.get("/dyad/BLR/KAZ?year=2021").text
    chart = text.split('id="series-chart">')[1]
    assert chart.lstrip().startswith("<svg") and "<script" not in text


def test_page_errors_render_the_same_fields(viewer: TestClient) -> None:
    r = viewer.get("/dyad/BLR/XXX")
    assert r.status_code == 400 and 'data-status="400"' in r.text and "unknown country" in r.text


def test_admin_sees_the_upload_form_viewer_does_not(admin: TestClient, viewer: TestClient) -> None:
    assert 'id="upload-form"' in admin.get("/upload").text
    assert 'href="/upload"' in admin.get("/sources").text
    assert 'href="/upload"' not in viewer.get("/sources").text
    refused = viewer.get("/upload")
    assert refused.status_code == 403 and 'id="upload-form"' not in refused.text


def test_admin_upload_through_the_form_ingests(admin: TestClient, app: Any, tmp_path: Path) -> None:
    from bilat.lake import Lake

    # a fresh lake, so the session's demo lake stays as it is
    from bilat.web import Settings, create_app

    lake = Lake.open(tmp_path / "lake", create=True)
    fresh = create_app(
        Settings(agenda_url=f"sqlite:///{tmp_path / 'a.db'}", secret_key="k" * 20),
        lake=lake,
        accounts=app.state.accounts,
    )
    good = b"t,i,j,k,v,q\n2023,112,398,170490,12.5,1.000\n2023,398,112,100199,3.25,NA\n"
    with TestClient(fresh) as client:
        client.post("/api/login", json={"username": "ada", "password": "correct horse battery"})
        page = client.get("/sources")
        r = client.post(
            "/sources/upload",
            data={"csrf_token": _csrf(page.text), "kind": "baci"},
            files={"file": ("BACI_HS22_Y2023_V202401.csv", good, "text/csv")},
        )
        assert r.status_code == 200, r.text
        assert 'id="ingest-report"' in r.text
    assert [e.rows for e in lake.manifest()] == [2]
    t = lake.flows()
    assert float(t.value_usd.sum().execute()) == pytest.approx(15750.0)


def test_admin_adds_a_user_through_the_users_page(admin: TestClient, app: Any) -> None:
    page = admin.get("/users")
    assert page.status_code == 200 and 'id="user-form"' in page.text
    r = admin.post(
        "/users",
        data={
            "csrf_token": _csrf(page.text),
            "username": "formuser",
            "password": "form-password",
            "role": "editor",
        },
    )
    try:
        assert r.status_code == 200 and 'id="user-added"' in r.text
        assert app.state.accounts.get("formuser").role == "editor"
    finally:
        app.state.accounts.remove("formuser")


def test_users_page_is_refused_to_editors(editor: TestClient) -> None:
    r = editor.get("/users")
    assert r.status_code == 403 and "needs the admin role" in r.text


def test_docs_cover_every_web_command() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text()
    for command in (
        "bilat serve",
        "bilat users add",
        "bilat users list",
        "bilat users set-role",
        "bilat users remove",
    ):
        assert command in text
