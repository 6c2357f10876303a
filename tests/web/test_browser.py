"""Browser tests: headless Chromium (Debian's) driven by Playwright against a real server.

Screenshots go to ``artifacts/`` at the repository root (kept by CI).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import FIXTURES, ROOT, skip_or_fail
from tests.web.conftest import PASSWORD, live_server

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    path = os.environ.get("BILAT_CHROMIUM") or shutil.which("chromium")
    if not path:
        skip_or_fail("chromium is not installed (apt install chromium, or set BILAT_CHROMIUM)")
    return str(path)


@pytest.fixture(scope="module")
def server(
    demo_lake: Any, accounts: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    from bilat.web import Settings, create_app

    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        Settings(agenda_url=f"sqlite:///{folder / 'agenda.db'}", secret_key="b" * 24),
        lake=demo_lake,
        accounts=accounts,
    )
    with live_server(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    exe = _chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        yield b
        b.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def _login(browser: Any, base: str, name: str) -> Any:
    page = browser.new_context(base_url=base).new_page()
    # Every console message, to find Content-Security-Policy violations.
    page.console_lines = []
    page.on("console", lambda msg: page.console_lines.append(msg.text))
    page.goto("/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/dyad/**")
    return page


def test_editor_logs_in_sees_overview_filters_products_and_records_a_change(
    browser: Any, server: str
) -> None:
    page = _login(browser, server, "eddie")
    assert page.locator("#synthetic-banner").is_visible()
    assert page.locator("#series-chart svg").count() == 1
    assert "Turnover" in page.locator("#headline").inner_text()
    csp = page.request.get(page.url).headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp
    # The chart and the page render under the strict policy: nothing refused.
    assert not [t for t in page.console_lines if "Content Security Policy" in t]
    assert page.locator("#series-chart svg path").count() > 0
    _shot(page, "overview")

    page.goto("/products")
    page.select_option("select[name=level]", "2")
    page.select_option("select[name=flow]", "import")
    page.click("#apply-filters")
    page.wait_for_url("**level=2**")
    codes = page.locator("#products tbody tr td:nth-child(2) code").all_inner_texts()
    assert codes and all(len(c) == 2 for c in codes)
    _shot(page, "products")

    page.goto("/agenda")
    page.locator("#agenda tbody a").first.click()
    page.select_option("#change-form select[name=status]", "in_progress")
    page.fill("#change-form input[name=note]", "checked by browser test")
    page.click("#change-form button[type=submit]")
    page.wait_for_load_state()
    assert "checked by browser test" in page.locator("#history").inner_text()
    _shot(page, "item-change")


def test_viewer_is_refused_editor_and_admin_routes(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    page.goto("/agenda")
    page.locator("#agenda tbody a").first.click()
    assert page.locator("#change-form").count() == 0
    response = page.goto("/api/users")
    assert response is not None and response.status == 403
    assert "needs the admin role" in page.content()
    _shot(page, "viewer-refused")


def test_bad_ssim_upload_shows_the_error(browser: Any, server: str, tmp_path: Path) -> None:
    lines = (FIXTURES / "air" / "blr-kaz-2022-07.ssim").read_bytes().split(b"\n")
    lines[2] = b"9" + lines[2][1:]
    bad = tmp_path / "bad.ssim"
    bad.write_bytes(b"\n".join(lines))
    page = _login(browser, server, "vera")
    page.goto("/air")
    page.set_input_files("#ssim-form input[type=file]", str(bad))
    page.click("#ssim-form button[type=submit]")
    page.wait_for_selector("#error")
    text = page.locator("#error .message").inner_text()
    assert "line 3" in text and "bad.ssim" in text
    _shot(page, "ssim-error")


def test_editor_adds_an_item_through_the_form(browser: Any, server: str) -> None:
    page = _login(browser, server, "eddie")
    page.goto("/agenda")
    form = "#add-item-form"
    page.fill(f"{form} input[name=id]", "browser-item")
    page.select_option(f"{form} select[name=kind]", "contract")
    page.fill(f"{form} input[name=title]", "Cabs for Kostanay, added in a browser")
    page.fill(f"{form} input[name=baskets]", "tractor_cab")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#add-item-error")
    assert "did you mean tractor_cabs" in page.locator("#add-item-error").inner_text()
    assert page.input_value(f"{form} input[name=title]") == "Cabs for Kostanay, added in a browser"
    _shot(page, "add-item-error")
    page.fill(f"{form} input[name=baskets]", "tractor_cabs")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/agenda/browser-item")
    assert "tractor_cabs" in page.locator("dl.facts").inner_text()
    assert "eddie" in page.locator("#history").inner_text()
    _shot(page, "add-item")


# issue 17: compliance — the SSIM form takes carrier states and never shows "not checked" green
OK_GREEN = "rgb(29, 122, 58)"  # --ok in style.css


def _upload(page: Any, path: Path, states: str = "") -> None:
    page.goto("/air")
    page.set_input_files("#ssim-form input[type=file]", str(path))
    page.fill("#ssim-form input[name=carrier_states]", states)
    page.click("#ssim-form button[type=submit]")
    page.wait_for_selector("#ssim-report")


def test_schedule_nothing_checked_is_a_warning_not_green(
    browser: Any, server: str, shared_data: Path
) -> None:
    page = _login(browser, server, "vera")
    _upload(page, shared_data / "air" / "gna-sample.ssim")
    verdict = page.locator("#ssim-verdict")
    assert verdict.get_attribute("data-verdict") == "not checked"
    assert "compliant" not in page.locator("#ssim-report h3").inner_text()
    assert verdict.evaluate("e => getComputedStyle(e).color") != OK_GREEN
    assert "warn" in (verdict.get_attribute("class") or "")
    legs = page.locator("#ssim-legs").inner_text()
    assert "514" in legs and "carrier's state unknown 514" in legs  # 514 type-3 records
    assert page.locator("#ssim-groups").count() == 0
    _shot(page, "ssim-not-checked")

    _upload(page, shared_data / "air" / "gna-sample.ssim", "XX=FRA")
    # issue 17 review: every FRA-x agreement is missing from the folder: outside it, no breach
    assert page.locator("#ssim-verdict").get_attribute("data-verdict") == "undetermined"
    assert "FRA and MUS" in page.locator("#ssim-verdict").inner_text()
    assert page.input_value("#ssim-form input[name=carrier_states]") == "XX=FRA"
    assert page.locator("#ssim-groups").count() == 0
    rows = page.locator("#ssim-undetermined-groups tbody tr")
    texts = rows.all_inner_texts()
    # XX 945 v01 RUN-DZA-HAH-MRS flies the 20 Tuesdays of 14 Jun-25 Oct 2005: 3 leg records
    row = next(t for t in texts if "XX 945" in t and "DZA-HAH" in t)
    cells = row.split("\t")
    assert cells[3] == "outside-agreements" and cells[5:9] == ["Tue", "20", "20", "3"]
    assert "Mayotte, France" in row
    assert not [t for t in texts if "RUN-DZA" in t]  # inside France: domestic for XX
    assert not [t for t in page.console_lines if "Content Security Policy" in t]
    _shot(page, "ssim-grouped")


def test_schedule_form_takes_a_comma_list_of_carrier_states(browser: Any, server: str) -> None:
    page = _login(browser, server, "vera")
    july = FIXTURES / "air" / "blr-kaz-2022-07.ssim"
    _upload(page, july, "IQ=KAZ, ZZ=FRA")
    assert page.locator("#ssim-verdict").get_attribute("data-verdict") == "violations"
    assert "Legs not checked\n0" in page.locator("#ssim-legs").inner_text()
    row = next(t for t in page.locator("#ssim-groups tbody tr").all_inner_texts() if "B2 783" in t)
    assert row.split("\t")[1:6] == ["NQZ-KSN", "B2 783", "no-right", "2022-07-04–2022-07-31", "Sat"]
    page.goto("/air")
    page.set_input_files("#ssim-form input[type=file]", str(july))
    page.fill("#ssim-form input[name=carrier_states]", "IQ=KAZ; B2")
    page.click("#ssim-form button[type=submit]")
    # the browser refuses the text before it is sent: still on the form, no report
    assert page.evaluate("document.querySelector('#ssim-form input[name=carrier_states]')"
                         ".validity.patternMismatch")  # fmt: skip
    assert page.locator("#ssim-report").count() == 0
