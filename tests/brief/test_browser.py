"""The briefing in a real headless Chromium: no console error, no request, charts drawn.

Uses Debian's ``chromium`` (``BILAT_CHROMIUM`` or ``chromium`` on PATH) driven by Playwright.
Skips when it is absent, except on CI (``BILAT_REQUIRE_SERVICES=1``), where it fails.
Screenshots go to ``artifacts/`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilat.brief import SECTION_IDS, BriefingFiles

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Draws an inline SVG onto a canvas and counts pixels that are not white: a chart that
#: renders as a blank box counts (almost) none.
_INK = """
async (el) => {
  const svg = el.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
  await img.decode();
  const c = document.createElement('canvas');
  c.width = Math.ceil(box.width); c.height = Math.ceil(box.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0, c.width, c.height);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && (d[i] < 230 || d[i + 1] < 230 || d[i + 2] < 230)) ink++;
  }
  return {width: box.width, height: box.height, ink: ink, total: c.width * c.height};
}
"""


def _chromium() -> str:
    path = os.environ.get("BILAT_CHROMIUM") or shutil.which("chromium")
    if path and Path(path).exists():
        return path
    reason = "Debian's chromium is not installed (set BILAT_CHROMIUM to its path)"
    if os.environ.get("BILAT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required on CI but absent: {reason}")
    pytest.skip(reason)


class Opened:
    """A page opened on the briefing, with what the browser reported while loading it."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.route("**/*", self._route)
        page.goto(url, wait_until="load")

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture(scope="module")
def opened(written: BriefingFiles) -> Iterator[Opened]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            yield Opened(page, written.html.resolve().as_uri())
        finally:
            browser.close()


def test_no_console_error_and_no_external_request(opened: Opened) -> None:
    assert opened.console_errors == []
    assert opened.page_errors == []
    assert opened.blocked == []
    assert opened.requests and all(u.startswith("file:") for u in opened.requests)


def test_every_section_is_shown(opened: Opened) -> None:
    for sid in SECTION_IDS:
        heading = opened.page.locator(f"section#{sid} > h2")
        assert heading.is_visible(), sid
    banner = opened.page.locator("#synthetic-banner")
    assert banner.is_visible()
    assert banner.inner_text().startswith("Synthetic sample data")


def test_charts_render(opened: Opened) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / "briefing-top.png"))
    opened.page.screenshot(path=str(ARTIFACTS / "briefing-full.png"), full_page=True)
    charts = opened.page.locator("figure.chart")
    ids = [charts.nth(i).get_attribute("data-chart") for i in range(charts.count())]
    assert ids == ["series", "products", "baskets", "potential"]
    for i, sid in enumerate(ids):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        png = chart.screenshot(path=str(ARTIFACTS / f"chart-{sid}.png"))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        ink = chart.evaluate(_INK)
        assert ink["width"] > 200 and ink["height"] > 100, (sid, ink)
        assert ink["ink"] > 0.01 * ink["total"], (sid, ink)  # lines, bars, axes, labels drawn


def test_prints_with_the_banner(opened: Opened) -> None:
    page = opened.page
    page.emulate_media(media="print")
    try:
        assert page.locator("#synthetic-banner").is_visible()
        assert not page.locator("nav.toc").is_visible()
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.emulate_media(media="screen")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "briefing.pdf").write_bytes(pdf)
    assert pdf[:5] == b"%PDF-"
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3


def test_absent_chromium_skips_or_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAT_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("BILAT_REQUIRE_SERVICES", "0")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        _chromium()
    monkeypatch.setenv("BILAT_REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="required on CI but absent"):
        _chromium()
