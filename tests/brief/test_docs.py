"""docs/brief.md covers the commands, every section and every unit of the JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilat.brief import SECTION_IDS
from bilat.brief.model import UNITS

DOC = Path(__file__).resolve().parents[2] / "docs" / "brief.md"


def test_doc_covers_sections_units_and_commands() -> None:
    text = DOC.read_text("utf-8")
    for command in ("bilat brief BLR KAZ --year 2021", "bilat demo"):
        assert command in text
    for sid in SECTION_IDS:
        assert f"| `{sid}` |" in text, sid
    for unit in UNITS:
        assert f"`{unit}`" in text, unit
    assert "briefing.schema.json" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("brief", "--help"), "self-contained HTML page"),
        (("demo", "--help"), "synthetic sample world"),
    ],
)
def test_commands_have_help(cli: object, args: tuple[str, ...], words: str) -> None:
    res = cli(*args)  # type: ignore[operator]
    assert res.exit_code == 0
    assert words in res.stdout
