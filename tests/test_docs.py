"""The docs keep up with the code: every command has help text and a section in the guides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from bilat.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> Iterator[tuple[str, object]]:
    root = typer.main.get_command(app)

    def walk(cmd: object, path: tuple[str, ...]) -> Iterator[tuple[str, object]]:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                yield from walk(sub, (*path, name))
        else:
            yield " ".join(path), cmd

    yield from walk(root, ("bilat",))


COMMANDS = list(_commands())
DOCS = "\n".join(
    p.read_text(encoding="utf-8")
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def test_there_are_commands() -> None:
    names = [n for n, _ in COMMANDS]
    assert "bilat ingest baci" in names
    assert "bilat sources" in names


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_docs(name: str, cmd: object) -> None:
    help_text = (getattr(cmd, "help", None) or "").strip()
    assert help_text, f"`{name}` has no help text"
    assert name in DOCS, f"`{name}` is not mentioned in README.md or docs/*.md"


def _sources_table() -> str:
    from bilat.sources import READERS

    def options(spec: object) -> str:
        opts = getattr(spec, "options", ())
        if not opts:
            return "—"
        return ", ".join(f"`{o.name}`" + (" (required)" if o.required else "") for o in opts)

    rows = ["| kind | rows | what it is | files | options |", "|---|---|---|---|---|"]
    rows += [
        f"| `{s.name}` | {s.kind} | {s.description} | {s.files} | {options(s)} |"
        for s in READERS.values()
    ]
    return "\n".join(rows)


def test_the_sources_table_is_the_registry() -> None:
    """docs/ingest.md lists exactly the registry's source kinds, with their options."""
    text = (ROOT / "docs" / "ingest.md").read_text(encoding="utf-8")
    marker = "<!-- sources table: generated from bilat.sources.READERS, checked by tests/test_docs.py -->"
    assert marker in text
    after = text.split(marker, 1)[1].strip().split("\n\n", 1)[0]
    assert after == _sources_table()
