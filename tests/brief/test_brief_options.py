"""``bilat brief``'s output options: ``-o`` as a folder or a file name, ``--pdf``, ``--lang``."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bilat.lake import Lake

from .conftest import CASE


def run_brief(cli: object, lake: Lake, *args: str) -> object:
    return cli(  # type: ignore[operator]
        "brief", "BLR", "KAZ", "--year", "2021", "--case", str(CASE),
        "--home", str(lake.root.parent), "--as-of", "2022-12-31", *args,
    )  # fmt: skip


def test_out_ending_in_html_names_the_files(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "out" / "brief.html"
    res = run_brief(cli, real_lake, "-o", str(target), "--json")
    assert res.exit_code == 0, res.stderr  # type: ignore[attr-defined]
    data = json.loads(res.stdout)  # type: ignore[attr-defined]
    assert target.is_file() and not target.is_dir()
    assert Path(data["html"]) == target and Path(data["json"]) == target.with_suffix(".json")
    assert data["pdf"] is None
    assert sorted(p.name for p in target.parent.iterdir()) == ["brief.html", "brief.json"]
    assert json.loads(target.with_suffix(".json").read_text("utf-8"))["a"] == "BLR"


def test_out_folder_is_still_a_folder(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    # an existing folder is a folder, whatever its name (one made by an older bilat too)
    old = tmp_path / "old.html"
    old.mkdir()
    res = run_brief(cli, real_lake, "-o", str(old))
    assert res.exit_code == 0, res.stderr  # type: ignore[attr-defined]
    assert (old / "briefing.html").is_file() and (old / "briefing.json").is_file()
    assert "Briefing written" in res.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["brief.pdf", "brief.JSON"])
def test_out_ending_in_pdf_or_json_is_refused(
    cli: object, real_lake: Lake, tmp_path: Path, name: str
) -> None:
    res = run_brief(cli, real_lake, "-o", str(tmp_path / name), "--pdf")
    assert res.exit_code == 2  # type: ignore[attr-defined]
    err = res.stderr  # type: ignore[attr-defined]
    assert "give a folder, or the HTML file's name" in err and "brief.html" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing made, no folder named brief.pdf


def test_pdf_beside_html_and_json(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    res = run_brief(cli, real_lake, "-o", str(tmp_path / "b.html"), "--pdf")
    assert res.exit_code == 0, res.stderr  # type: ignore[attr-defined]
    pdf = tmp_path / "b.pdf"
    assert f"As PDF: {pdf}" in res.stdout  # type: ignore[attr-defined]
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 2
    text = doc[0].get_textpage().get_text_range()
    assert "Belarus" in text and "Kazakhstan" in text and f"Page 1 of {len(doc)}" in text
    assert "Synthetic sample data" not in text  # the hand-made lake is not synthetic


def test_lang_ru(cli: object, real_lake: Lake, tmp_path: Path) -> None:
    res = run_brief(cli, real_lake, "-o", str(tmp_path), "--lang", "ru", "--pdf", "--json")
    assert res.exit_code == 0, res.stderr  # type: ignore[attr-defined]
    data = json.loads(res.stdout)  # type: ignore[attr-defined]
    briefing = json.loads(Path(data["json"]).read_text("utf-8"))
    assert (briefing["a_name"], briefing["b_name"]) == ("Беларусь", "Казахстан")
    doc = pdfium.PdfDocument(data["pdf"])
    text = doc[0].get_textpage().get_text_range()
    assert "Беларусь" in text and f"Стр. 1 из {len(doc)}" in text


@pytest.mark.parametrize("lang", ["fr", "english", ""])
def test_bad_lang_exits_2(cli: object, real_lake: Lake, tmp_path: Path, lang: str) -> None:
    res = run_brief(cli, real_lake, "-o", str(tmp_path / "o"), "--lang", lang)
    assert res.exit_code == 2  # type: ignore[attr-defined]
    err = res.stderr  # type: ignore[attr-defined]
    assert "language must be one of en, ru" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()  # refused before anything is written
