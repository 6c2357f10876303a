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
