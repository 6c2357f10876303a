"""`bilat demo` end to end (what `make demo` runs): the folder, the files, the terminal output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from bilat.brief import SECTION_IDS, schema
from bilat.brief.demo import MARKER
from bilat.claims import VERDICTS
from bilat.formats import money
from bilat.sample import SYNTHETIC_BANNER

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str, str]:
    """Run the installed console script ``bilat demo --out DIR``, as ``make demo`` does."""
    bilat = Path(sys.executable).parent / "bilat"
    if not bilat.exists():
        pytest.skip(f"the bilat console script is not installed next to {sys.executable}")
    root = tmp_path_factory.mktemp("demo")
    folder, user_home = root / "bilat-demo", root / "user-home"
    env = {**os.environ, "BILAT_HOME": str(user_home), "COLUMNS": "200"}
    done = subprocess.run(
        [str(bilat), "demo", "--out", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    return folder, done.returncode, done.stdout, done.stderr, str(user_home)


def test_exit_code_and_terminal_summary(demo_run: tuple[Path, int, str, str, str]) -> None:
    folder, code, out, err, _ = demo_run
    assert code == 0, err
    assert SYNTHETIC_BANNER in out
    assert f"Briefing: {folder / 'out' / 'briefing.html'}" in out
    assert f"JSON:     {folder / 'out' / 'briefing.json'}" in out
    assert "BLR–KAZ turnover 2021: " in out
    for claim in (
        "turnover-2021-above-1bn",
        "turnover-growth-2021",
        "kaz-top5-importer",
        "confectionery-doubled",
        "vegetable-oils-eightfold",
        "sugar-resumes-2022",
    ):
        lines = [x for x in out.splitlines() if f" {claim} (measured " in x]
        assert len(lines) == 1, f"{claim} is listed {len(lines)} times"
        # the synthetic world decides the verdict (it is never tuned to a claim): any of them
        assert any(lines[0].strip().startswith(f"{v} ") for v in VERDICTS), lines[0]
    assert "Building the synthetic sample world" in err


def test_the_demo_says_how_far_it_is_from_the_real_figures(
    demo_run: tuple[Path, int, str, str, str],
) -> None:
    folder, code, out, err, _ = demo_run
    assert code == 0, err
    lines = [x for x in out.splitlines() if x.startswith("Distance from the real figures: ")]
    assert len(lines) == 1, out
    line = lines[0]
    data = json.loads((folder / "out" / "briefing.json").read_text("utf-8"))
    turnover = data["sections"][0]["figures"][0]
    # the sample's figure is the briefing's own turnover, beside the real one and its source
    assert f"the synthetic BLR–KAZ turnover 2021 is {money(turnover['value'])} (BLR→KAZ " in line
    assert "the real one was more than $1B (report of the Belarus-Kazakhstan" in line
    ratio = turnover["value"] / 1e9
    assert ("at most" in line) == (ratio < 1) and ("above that floor" in line) == (ratio >= 1)
    assert "gravity model" in line and "customs union" in line


def test_folder_layout(demo_run: tuple[Path, int, str, str, str]) -> None:
    folder = demo_run[0]
    assert (folder / MARKER).is_file()
    assert (folder / "lake" / "manifest.json").is_file()
    assert (folder / "agenda.db").is_file()
    assert (folder / "out" / "briefing.html").is_file()


def test_the_demo_writes_english_and_russian_html_and_pdf(
    demo_run: tuple[Path, int, str, str, str],
) -> None:
    import pypdfium2 as pdfium

    folder, _, out, _, _ = demo_run
    out_dir = folder / "out"
    for name, heading, country in (
        ("briefing", "Key messages", "Belarus"),
        ("briefing.ru", "Основные выводы", "Беларусь"),
    ):
        html = (out_dir / f"{name}.html").read_text("utf-8")
        assert heading in html and country in html
        pdf = pdfium.PdfDocument(out_dir / f"{name}.pdf")
        assert len(pdf) >= 2
        assert [round(v) for v in pdf[0].get_size()] == [595, 842]  # A4
        first = pdf[0].get_textpage().get_text_range()
        assert heading in first and country in first
        assert str(out_dir / f"{name}.pdf") in out  # the terminal names every file


def test_user_home_untouched(demo_run: tuple[Path, int, str, str, str]) -> None:
    assert not Path(demo_run[4]).exists()  # the demo used its own folder as BILAT_HOME


def test_briefing_json_is_valid_synthetic_and_complete(
    demo_run: tuple[Path, int, str, str, str],
) -> None:
    folder, _, out, _, _ = demo_run
    data = json.loads((folder / "out" / "briefing.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []
    assert data["synthetic"] is True and data["banner"] == SYNTHETIC_BANNER
    assert [s["id"] for s in data["sections"]] == list(SECTION_IDS)
    assert {s["id"]: s["status"] for s in data["sections"]} == dict.fromkeys(SECTION_IDS, "ok")
    turnover = data["sections"][0]["figures"][0]
    assert turnover["label"] == "Turnover 2021"
    assert f"turnover 2021: {turnover['text']}" in out
    html = (folder / "out" / "briefing.html").read_text("utf-8")
    assert 'id="synthetic-banner"' in html


def test_a_foreign_folder_is_refused(tmp_path: Path, cli: object) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    res = cli("demo", "--out", str(tmp_path))  # type: ignore[operator]
    assert res.exit_code == 2
    assert "is not empty and was not made by `bilat demo`" in res.stderr
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"
