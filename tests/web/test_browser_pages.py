"""Browser tests of issue 19's web pages (headless Chromium, Playwright, a real server):
the pair picker, an empty pair, the login error, the upload page, the air page's search and
paging, and both languages (``?lang=ru`` and the browser's own ``Accept-Language``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web import test_browser
from tests.web.conftest import PASSWORD, live_server
from tests.web.test_browser import _login, _shot

# the same live server and browser fixtures as test_browser.py (one of each per module)
server = test_browser.server
browser = test_browser.browser

pytestmark = pytest.mark.browser


def test_pair_picker_navigates_and_keeps_the_view(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    page.fill("#pick-a", "KAZ")
    page.fill("#pick-b", "BLR")
    page.select_option("#pick-year", "2020")
    page.click("#pick-go")
    page.wait_for_url("**/dyad/KAZ/BLR?year=2020")
    assert page.locator("h1").inner_text() == "KAZ–BLR 2020"
    assert page.locator("#headline").is_visible()
    assert page.input_value("#pick-a") == "KAZ"
    options = page.locator("#lake-countries option").evaluate_all("os => os.map(o => o.value)")
    assert "BLR" in options and "KAZ" in options
    page.goto("/dyad/BLR/KAZ/products?year=2021")
    page.select_option("#pick-year", "2019")
    page.click("#pick-go")
    page.wait_for_url("**/dyad/BLR/KAZ/products?year=2019")
    assert "2019" in page.locator("#product-count").inner_text()
    assert not [t for t in page.console_lines if "Content Security Policy" in t]
    _shot(page, "pair-picker")


def test_a_pair_the_lake_does_not_hold_shows_what_to_do(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    page.fill("#pick-a", "bra")
    page.fill("#pick-b", "arg")
    page.click("#pick-go")
    page.wait_for_url("**/dyad/BRA/ARG")
    state = page.locator("#empty-pair")
    assert state.is_visible()
    text = state.inner_text()
    assert "No source in this lake covers BRA–ARG" in text and "ingest" in text
    assert "$0" not in page.locator("main").inner_text()
    state.locator("a", has_text="BLR–KAZ").click()
    page.wait_for_url("**/dyad/BLR/KAZ")
    assert page.locator("#headline").is_visible()
    _shot(page, "empty-pair")


def test_a_wrong_password_redisplays_the_login_form(browser: Any, server: str) -> None:
    page = browser.new_context(base_url=server).new_page()
    page.goto("/login")
    page.fill("input[name=username]", "vera")
    page.fill("input[name=password]", "not the password")
    with page.expect_response(
        lambda r: r.url.endswith("/login") and r.request.method == "POST"
    ) as info:
        page.click("#login-form button[type=submit]")
    assert info.value.status == 401
    assert page.locator("#login-error").is_visible()
    assert "Wrong user name or password" in page.locator("#login-error").inner_text()
    assert "Error 401" not in page.content()
    assert page.input_value("input[name=username]") == "vera"
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dyad/**")
    _shot(page, "login-retried")


def test_admin_uploads_a_file_and_sees_the_ingest_report(
    browser: Any, accounts: Any, tmp_path: Path
) -> None:
    from bilat.lake import Lake
    from bilat.web import Settings, create_app

    lake = Lake.open(tmp_path / "lake", create=True)
    app = create_app(
        Settings(agenda_url=f"sqlite:///{tmp_path / 'a.db'}", secret_key="u" * 24),
        lake=lake,
        accounts=accounts,
    )
    bad = tmp_path / "bad" / "BACI_HS22_Y2023_V202401.csv"
    bad.parent.mkdir()
    bad.write_text("t,i,j,k,v,q\n2023,112,398,170490,12.5,1.000\n2023,398,112,100199,lots,NA\n")
    good = tmp_path / "BACI_HS22_Y2023_V202401.csv"
    good.write_text("t,i,j,k,v,q\n2023,112,398,170490,12.5,1.000\n2023,398,112,100199,3.25,NA\n")
    with live_server(app) as base:
        page = browser.new_context(base_url=base).new_page()
        page.goto("/login")
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_load_state()
        page.click("header nav a[href='/upload']")
        page.wait_for_url("**/upload")
        page.select_option("#upload-kind", "baci")
        page.set_input_files("#upload-form input[type=file]", str(bad))
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#upload-error")
        error = page.locator("#upload-error").inner_text()
        assert (
            "line 3" in error and "BACI_HS22_Y2023_V202401.csv" in error and "What to do" in error
        )
        _shot(page, "upload-error")
        page.set_input_files("#upload-form input[type=file]", str(good))
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#ingest-report")
        assert page.locator(".ingest-rows").inner_text() == "2"
        assert page.locator(".ingest-years").inner_text() == "2023"
        _shot(page, "upload-report")
    assert [e.rows for e in lake.manifest()] == [2]


def test_non_admins_get_the_403_page_for_upload(browser: Any, server: str) -> None:
    page = _login(browser, server, "eddie")
    assert page.locator("header nav a[href='/upload']").count() == 0
    response = page.goto("/upload")
    assert response is not None and response.status == 403
    assert page.locator("#error").is_visible() and page.locator("#upload-form").count() == 0


def test_air_page_form_first_search_and_paging(browser: Any, server: str) -> None:
    from bilat.web.pages import ROUTES_PAGE

    page = _login(browser, server, "vera")
    page.goto("/air")
    form_y = page.locator("#ssim-form").bounding_box()["y"]
    routes_y = page.locator("#routes-title").bounding_box()["y"]
    assert form_y < routes_y
    count = page.locator("#routes-count").inner_text()
    total = int(count.split()[0].replace(",", ""))
    rows = page.locator("#routes tbody tr")
    assert rows.count() == min(total, ROUTES_PAGE)
    if total > ROUTES_PAGE:
        page.click("#routes-next")
        page.wait_for_url("**page=2**")
        assert "page 2 of" in page.locator("#routes-count").inner_text()
    carrier = rows.first.locator("td").first.inner_text()
    page.fill("#routes-search input[name=q]", carrier)
    page.click("#routes-search button[type=submit]")
    page.wait_for_url("**q=**")
    found = page.locator("#routes tbody tr").all_inner_texts()
    assert found and all(carrier.lower() in t.lower() for t in found)
    assert "routes match" in page.locator("#routes-count").inner_text()
    page.fill("#routes-search input[name=q]", "zzz-no-such-route")
    page.click("#routes-search button[type=submit]")
    page.wait_for_selector("#routes-none")
    assert page.locator("#routes").count() == 0
    _shot(page, "air-search")


def test_russian_through_lang_and_the_cookie(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    page.click("#lang-ru")
    page.wait_for_url("**lang=ru**")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Обзор" in page.locator("header nav").inner_text()
    assert "Основные статьи экспорта" in page.locator("#top_exports h2").inner_text()
    assert "млн" in page.locator("#headline").inner_text()
    page.goto("/agenda")  # no ?lang: the cookie keeps Russian
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Обязательства"
    _shot(page, "russian-agenda")
    page.click("#lang-en")
    page.wait_for_url("**lang=en**")
    assert page.locator("h1").inner_text() == "Commitments"


def test_russian_from_the_browsers_own_language(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, locale="ru-RU")
    page = context.new_page()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Вход"
    page.fill("input[name=username]", "vera")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dyad/**")
    assert "Основные статьи импорта" in page.locator("#top_imports h2").inner_text()
    page.goto("/air")
    assert page.locator("#ssim-title").inner_text() == "Проверка расписания (SSIM)"
    _shot(page, "russian-accept-language")
    context.close()


def test_product_and_item_time_series_charts(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    page.locator("#top_exports tbody a").first.click()
    page.wait_for_url("**/product/**")
    assert page.locator("#product-chart svg path").count() > 0
    assert page.locator("#product-years tbody tr").count() == 6  # 2019-2021, both directions
    _shot(page, "product-chart")
    page.goto(page.url + "?lang=ru")
    axis = page.locator("#product-chart svg").text_content() or ""
    assert "долл. США" in axis and "$M" not in axis  # the unit in the axis title
    page.goto("/agenda/sugar-supplies-resume?lang=en")
    assert page.locator("#linked-chart svg path").count() > 0
    _shot(page, "item-linked-chart")
    page.goto("/agenda/food-hub-china")
    assert "links no trade" in page.locator("#linked-empty").inner_text()
    assert not [t for t in page.console_lines if "Content Security Policy" in t]
