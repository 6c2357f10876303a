"""The briefing as PDF: typeset by the real engine (WeasyPrint), read back with pypdfium2.

The pages are checked as a reader meets them: A4, numbered "Page X of N", a running header
from page 2 on with the dyad and the data date, and rendered to images that are not blank
and show the chart in Vega's colours.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from bilat import formats, i18n
from bilat.brief import Briefing, build_briefing, render_pdf, write_pdf
from bilat.brief.pdf import running_header
from bilat.codes.countries import country_name
from bilat.errors import InputError
from bilat.lake import Lake

from .conftest import CASE

A4 = (595.28, 841.89)  # points
#: Vega's first three category colours (exports, imports, turnover in the series chart).
VEGA = {"blue": (0x4C, 0x78, 0xA8), "orange": (0xF5, 0x85, 0x18), "red": (0xE4, 0x57, 0x56)}


@pytest.fixture(scope="module")
def pdf_path(briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pdf(briefing, tmp_path_factory.mktemp("pdf") / "briefing.pdf")


@pytest.fixture(scope="module")
def doc(pdf_path: Path) -> Any:
    return pdfium.PdfDocument(pdf_path)


def page_text(doc: Any, index: int) -> str:
    text: str = doc[index].get_textpage().get_text_range()
    return text


def non_white(image: Any) -> float:
    """The fraction of pixels that are not (nearly) white."""
    grey = image.convert("L")
    hist = grey.histogram()
    return 1 - sum(hist[245:]) / (grey.width * grey.height)


def near(image: Any, rgb: tuple[int, int, int], tolerance: int = 30) -> Any:
    """A mask of the pixels within ``tolerance`` of ``rgb`` on every channel."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return (np.abs(pixels - np.array(rgb, dtype=np.int16)) <= tolerance).all(axis=2)


def test_pages_are_a4_and_plausibly_many(doc: Any, briefing: Briefing) -> None:
    assert 3 <= len(doc) <= 60
    for i in range(len(doc)):
        width, height = doc[i].get_size()
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (i, width, height)


def test_page_one_has_the_title_and_no_running_header(doc: Any, briefing: Briefing) -> None:
    first = page_text(doc, 0)
    assert briefing.a_name in first and briefing.b_name in first
    assert f"Page 1 of {len(doc)}" in first
    assert running_header(briefing)[1] not in first  # the title block stands in for it


def test_later_pages_carry_header_page_number_and_warning(doc: Any, briefing: Briefing) -> None:
    left, right = running_header(briefing)
    assert left == f"{briefing.a_name} – {briefing.b_name}"
    assert formats.year(briefing.year) in right and formats.date(briefing.as_of) in right
    for i in (1, len(doc) - 1):
        text = page_text(doc, i)
        assert left in text and right in text, i
        assert f"Page {i + 1} of {len(doc)}" in text
        assert "Synthetic sample data" in text  # a printed page travels alone


def test_pages_render_not_blank_with_the_chart(
    doc: Any, briefing: Briefing, tmp_path: Path
) -> None:
    images = []
    for i in (0, 1):
        image = doc[i].render(scale=1).to_pil()
        image.save(tmp_path / f"page{i + 1}.png")
        assert (tmp_path / f"page{i + 1}.png").stat().st_size > 10_000
        assert non_white(image) > 0.03, i
        images.append(image)
    charted = next(s for s in briefing.sections if s.chart is not None)
    page = next(i for i in range(len(doc)) if charted.title in page_text(doc, i))
    image = images[page] if page < 2 else doc[page].render(scale=1).to_pil()
    counts = {name: int(near(image, rgb).sum()) for name, rgb in VEGA.items()}
    assert all(n > 150 for n in counts.values()), (charted.id, page, counts)
    # the chart lies inside the page's margins (15 mm at 72 dpi: 42 pt), not cut off
    _rows, columns = np.nonzero(near(image, VEGA["blue"]))
    assert columns.min() >= 40 and columns.max() <= image.width - 40


def test_russian_pdf(synthetic_lake: Lake, tmp_path: Path) -> None:
    with i18n.use("ru"):
        b = build_briefing(synthetic_lake, "BLR", "KAZ", year=2021, case=CASE, as_of="2023-01-01")
        path = write_pdf(b, tmp_path / "briefing-ru.pdf")
        names = country_name("BLR"), country_name("KAZ")
    ru = pdfium.PdfDocument(path)
    first, second = page_text(ru, 0), page_text(ru, 1)
    assert re.search("[А-Яа-яЁё]{4,}", first)
    assert names[0] in first and names[1] in first and names[0] != "Belarus"
    assert f"Стр. 1 из {len(ru)}" in first
    assert f"{names[0]} – {names[1]}" in second and "по состоянию на" in second
    assert "Синтетические данные" in second


def test_write_pdf_replaces_a_file_and_refuses_a_folder(briefing: Briefing, tmp_path: Path) -> None:
    target = tmp_path / "b.pdf"
    target.write_bytes(b"old")
    html = "<html><head></head><body><p>Short</p></body></html>"
    assert write_pdf(briefing, target, html=html) == target
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.pdf"]  # no temporary file left
    assert len(pdfium.PdfDocument(data)) == 1
    with pytest.raises(InputError, match="is a folder"):
        write_pdf(briefing, tmp_path, html=html)


def test_render_pdf_keeps_a_long_table_whole_across_pages(briefing: Briefing) -> None:
    rows = "".join(f"<tr><td>row {i}</td></tr>" for i in range(150))
    html = (
        "<html><head></head><body><table><thead><tr><th>Head</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )
    long = pdfium.PdfDocument(render_pdf(briefing, html=html))
    assert len(long) >= 3
    texts = [page_text(long, i) for i in range(len(long))]
    assert all("Head" in t for t in texts)  # the header row repeats on every page
    assert all(f"row {i}" in "".join(texts) for i in range(150))


def _has_font(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, family], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def test_chart_text_is_set_in_the_font_its_labels_were_measured_in(
    briefing: Briefing, skip_or_fail: Any
) -> None:
    if not _has_font("Liberation Sans"):
        skip_or_fail("Liberation Sans is not installed (Debian's fonts-liberation)")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
        '<text x="5" y="20" font-family="sans-serif" font-size="11">640411 Sports footwear</text>'
        "</svg>"
    )
    html = f"<html><head></head><body><figure class='chart'>{svg}</figure></body></html>"
    page = pdfium.PdfDocument(render_pdf(briefing, html=html))[0]
    assert "640411 Sports footwear" in page.get_textpage().get_text_range()
    fonts = font_names(page)
    assert all(f.startswith("Liberation-Sans") for f in fonts), fonts  # not DejaVu Sans


def font_names(page: Any) -> set[str]:
    """The fonts the page's characters are set in, without the subset prefix."""
    textpage = page.get_textpage()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    found = set()
    for i in range(pdfium_raw.FPDFText_CountChars(textpage)):
        pdfium_raw.FPDFText_GetFontInfo(textpage, i, name, 256, ctypes.byref(flags))
        found.add(name.value.decode().split("+")[-1])
    return found


def test_lang_parameter_sets_the_page_boxes_language(briefing: Briefing) -> None:
    html = "<html><head></head><body><p>Short</p></body></html>"
    ru = pdfium.PdfDocument(render_pdf(briefing, html=html, lang="ru"))
    assert "Стр. 1 из 1" in page_text(ru, 0)
    assert i18n.current() == "en"  # the block does not leak
    with pytest.raises(InputError, match="language must be one of en, ru"):
        render_pdf(briefing, html=html, lang="de")
