"""Issue 19, web: the request's language, the pair picker, empty states, login error, air
paging and the upload page, through the real app (TestClient) over the demo lake."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, login


def _lang(html: str) -> str:
    found = re.search(r'<html lang="(\w+)">', html)
    assert found is not None
    return found.group(1)


def test_lang_query_sets_the_cookie_and_every_page_follows(viewer: TestClient) -> None:
    en = viewer.get("/agenda")
    assert _lang(en.text) == "en" and "Commitments" in en.text
    ru = viewer.get("/agenda", params={"lang": "ru"})
    assert _lang(ru.text) == "ru" and "Обязательства" in ru.text and "Commitments" not in ru.text
    assert "bilat_lang=ru" in ru.headers["set-cookie"]
    assert ru.headers["content-language"] == "ru"
    # the cookie keeps it for the next page, without ?lang=
    page = viewer.get("/air")
    assert _lang(page.text) == "ru" and "Проверка расписания (SSIM)" in page.text
    back = viewer.get("/air", params={"lang": "en"})
    assert _lang(back.text) == "en" and "Check a schedule (SSIM)" in back.text


def test_accept_language_chooses_when_nothing_else_does(viewer: TestClient) -> None:
    r = viewer.get(
        "/dyad/BLR/KAZ", params={"year": 2021}, headers={"Accept-Language": "ru-RU,ru;q=0.9"}
    )
    assert _lang(r.text) == "ru" and "Основные статьи экспорта" in r.text
    # money through bilat.formats in Russian: "млн $" and a decimal comma
    assert re.search(r"\d+,\d\s?млн\s?\$", r.text.replace("\u00a0", " ")), r.text[:2000]
    assert _lang(viewer.get("/agenda", headers={"Accept-Language": "de, en;q=0.5"}).text) == "en"


def test_an_unknown_lang_is_ignored_not_an_error(viewer: TestClient) -> None:
    r = viewer.get("/agenda", params={"lang": "xx"})
    assert r.status_code == 200 and _lang(r.text) == "en" and "set-cookie" not in r.headers


def test_the_language_switch_keeps_the_page_and_its_query(viewer: TestClient) -> None:
    text = viewer.get("/dyad/BLR/KAZ/products", params={"year": 2020, "level": 2}).text
    switch = text[text.index('id="language-switch"') :][:600]
    assert 'href="/dyad/BLR/KAZ/products?year=2020&amp;level=2&amp;lang=ru"' in switch


def test_every_page_has_the_pair_picker_with_the_lakes_countries_and_years(
    viewer: TestClient,
) -> None:
    for path in ("/agenda", "/air", "/sources", "/brief", "/dyad/BLR/KAZ"):
        text = viewer.get(path).text
        assert 'id="pair-picker"' in text, path
        assert '<option value="BLR" label="Belarus">' in text
        assert '<option value="2021"' in text[text.index('id="pick-year"') :]


def test_the_picker_goes_to_the_chosen_pair_view_and_year(viewer: TestClient) -> None:
    r = viewer.get(
        "/pick", params={"a": "kaz", "b": "BLR", "year": "2020", "view": "products"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/dyad/KAZ/BLR/products?year=2020"
    r = viewer.get("/pick", params={"a": "BLR", "b": "KAZ", "year": ""}, follow_redirects=False)
    assert r.headers["location"] == "/dyad/BLR/KAZ"
    assert viewer.get("/pick", params={"a": "B1R", "b": "KAZ"}).status_code == 422
    r = viewer.get(
        "/pick", params={"a": "kaz", "b": "blr", "view": "brief"}, follow_redirects=False
    )
    assert r.headers["location"] == "/brief?a=KAZ&b=BLR"
    brief = viewer.get(r.headers["location"]).text
    assert 'href="/brief/KAZ/BLR/2021' in brief and 'name="view" value="brief"' in brief


def test_a_pair_the_lake_does_not_hold_is_an_empty_state_never_zero(viewer: TestClient) -> None:
    r = viewer.get("/dyad/BRA/ARG")
    assert r.status_code == 200
    state = r.text[r.text.index('id="empty-pair"') :]
    assert "No source in this lake covers BRA–ARG" in state and "ingest" in state
    assert 'href="/dyad/BLR/KAZ"' in state  # a pair it does cover
    assert "$0" not in r.text and 'id="headline"' not in r.text
    ru = viewer.get("/dyad/BRA/ARG", params={"lang": "ru"}).text
    assert "Ни один источник в этом хранилище не охватывает пару BRA–ARG" in ru
    assert "Бразилия" in ru and "Аргентина" in ru


def test_a_wrong_password_redisplays_the_form_with_the_error(anon: TestClient) -> None:
    page = anon.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = anon.post(
        "/login",
        data={
            "username": "vera",
            "password": "wrong",
            "csrf_token": token.group(1),
            "next": "/air",
        },
    )
    assert r.status_code == 401
    assert 'id="login-form"' in r.text and 'id="login-error"' in r.text
    assert "Wrong user name or password" in r.text and "Error 401" not in r.text
    assert 'value="vera"' in r.text and 'name="next" value="/air"' in r.text
    good = anon.post(
        "/login",
        data={
            "username": "vera",
            "password": PASSWORD,
            "csrf_token": token.group(1),
            "next": "/air",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/air"


def _routes(app: Any) -> list[dict[str, Any]]:
    from bilat.air import routes_report
    from bilat.web.api_case import plain

    return plain(routes_report(app.state.bilat.agreements(), None))["routes"]  # type: ignore[no-any-return]


def test_air_page_form_first_then_routes_searched_and_paged(viewer: TestClient, app: Any) -> None:
    from bilat.web.pages import ROUTES_PAGE

    every = _routes(app)
    text = viewer.get("/air").text
    assert text.index('id="ssim-form"') < text.index('id="routes"')
    assert text.count("<tr><td>", text.index('id="routes"')) == min(ROUTES_PAGE, len(every))
    assert f"{len(every):,} permitted route" in text
    carrier = every[0]["carrier"]
    hits = [
        r
        for r in every
        if carrier.lower() in " ".join([r["carrier"], "-".join(r["routing"]), r["kind"]]).lower()
    ]
    found = viewer.get("/air", params={"q": carrier}).text
    assert f"{len(hits):,} of {len(every):,} routes match" in found
    if len(every) > ROUTES_PAGE:
        two = viewer.get("/air", params={"page": 2}).text
        assert "page 2 of" in two and 'id="routes-prev"' in two
    none = viewer.get("/air", params={"q": "no-such-route-zzz"}).text
    assert 'id="routes-none"' in none and 'id="routes"' not in none


def test_upload_page_is_for_admins_and_reports_the_ingest(app: Any, tmp_path: Path) -> None:
    from bilat.lake import Lake
    from bilat.web import Settings, create_app

    lake = Lake.open(tmp_path / "lake", create=True)
    fresh = create_app(
        Settings(agenda_url=f"sqlite:///{tmp_path / 'a.db'}", secret_key="k" * 20),
        lake=lake,
        accounts=app.state.accounts,
    )
    good = b"t,i,j,k,v,q\n2023,112,398,170490,12.5,1.000\n2023,398,112,100199,3.25,NA\n"
    bad = b"t,i,j,k,v,q\n2023,112,398,170490,12.5,1.000\n2023,398,112,100199,lots,NA\n"
    with TestClient(fresh) as client:
        login(client, "vera")
        assert client.get("/upload").status_code == 403
        login(client, "ada")
        page = client.get("/upload")
        assert page.status_code == 200 and 'id="upload-form"' in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        form = {"csrf_token": token.group(1), "kind": "baci"}
        r = client.post("/upload", data=form, files={"file": ("BACI_HS22_Y2023_V202401.csv", bad)})
        assert r.status_code == 422 and 'id="upload-error"' in r.text
        error = r.text[r.text.index('id="upload-error"') :]
        assert "BACI_HS22_Y2023_V202401.csv" in error and "line 3" in error
        assert "What to do" in error and "/uploads/" not in error
        assert lake.manifest() == []
        r = client.post("/upload", data=form, files={"file": ("BACI_HS22_Y2023_V202401.csv", good)})
        assert r.status_code == 200
        report = r.text[r.text.index('id="ingest-report"') :]
        assert 'class="ingest-rows">2<' in report and 'class="ingest-years">2023<' in report
        assert "BACI_HS22_Y2023_V202401.csv" in report and "bilateral flows" in report
    assert [e.rows for e in lake.manifest()] == [2]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_page_shows_a_dangling_separator(viewer: TestClient, lang: str) -> None:
    text = viewer.get("/air", params={"lang": lang}).text
    assert "— ·" not in text and "· —" not in text


def _top_export(viewer: TestClient) -> str:
    found = viewer.get(
        "/api/trade/products", params={"a": "BLR", "b": "KAZ", "year": 2021, "level": 4}
    )
    assert found.status_code == 200, found.text
    return str(found.json()["rows"][0]["product"])


def test_product_page_charts_both_directions_over_the_years(viewer: TestClient) -> None:
    code = _top_export(viewer)
    r = viewer.get(f"/dyad/BLR/KAZ/product/{code}")
    assert r.status_code == 200
    chart = r.text[r.text.index('id="product-chart"') :]
    assert chart.split(">", 1)[1].lstrip().startswith("<svg") and "<path" in chart
    table = r.text[r.text.index('id="product-years"') :]
    assert table.count("<tr") - 1 == 2 * 3  # two directions, 2019-2021
    assert "BLR→KAZ" in table and "KAZ→BLR" in table
    listed = viewer.get("/dyad/BLR/KAZ/products", params={"year": 2021, "level": 4}).text
    assert f'href="/dyad/BLR/KAZ/product/{code}"' in listed
    ru = viewer.get(f"/dyad/BLR/KAZ/product/{code}", params={"lang": "ru"}).text
    assert "млн" in ru[ru.index('id="product-chart"') : ru.index('id="product-years"')]


def test_product_the_lake_never_records_is_an_empty_state(viewer: TestClient) -> None:
    r = viewer.get("/dyad/BLR/KAZ/product/999999")
    assert (
        r.status_code == 200
        and 'id="product-empty"' in r.text
        and 'id="product-chart"' not in r.text
    )
    assert "$0" not in r.text
    assert viewer.get("/dyad/BLR/KAZ/product/12x").status_code == 422


def test_an_items_linked_trade_has_a_chart_and_an_item_without_says_what_to_do(
    viewer: TestClient,
) -> None:
    linked = viewer.get("/agenda/sugar-supplies-resume").text
    assert 'id="progress"' in linked
    chart = linked[linked.index('id="linked-chart"') :]
    assert chart.split(">", 1)[1].lstrip().startswith("<svg") and "<path" in chart
    bare = viewer.get("/agenda/food-hub-china").text
    empty = bare[bare.index('id="linked-empty"') :]
    assert "links no trade" in empty and "baskets or HS codes" in empty


def test_the_overview_in_russian_has_no_english_cards_standings_or_banner(
    viewer: TestClient,
) -> None:
    from bilat.sample import SYNTHETIC_BANNER

    r = viewer.get("/dyad/BLR/KAZ", params={"year": 2021, "lang": "ru"})
    text = r.text
    cards = text[
        text.index('id="fig-turnover"') : text.index("</div>", text.index('id="fig-balance"'))
    ]
    assert "Товарооборот" in cards and "Экспорт BLR→KAZ" in cards and "Сальдо" in cards
    assert "Turnover" not in cards and "Balance" not in cards
    standings = text[text.index('class="standings"') :][:2000]
    assert "Беларусь, экспорт: Казахстан" in standings, standings
    assert "destination" not in standings and "origin" not in standings
    assert SYNTHETIC_BANNER not in text and "Синтетические" in text
    chart = text.split('id="series-chart">')[1].split("</svg>")[0]
    assert "товарооборот" in chart and "млн долл. США" in chart and "turnover" not in chart
    english = viewer.get("/dyad/BLR/KAZ", params={"year": 2021, "lang": "en"}).text
    assert SYNTHETIC_BANNER in english and "Belarus, exports: Kazakhstan is" in english
