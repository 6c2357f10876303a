"""Fetchers only download and reconciliation only computes: neither imports the lake."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "bilat"
ABOVE = ("bilat.lake", "bilat.tradeview", "bilat.trade", "bilat.acquire", "bilat.cli", "bilat.web")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("part", ["sources/fetch", "reconcile", "sources/geodist.py"])
def test_no_import_reaches_above(part: str) -> None:
    target = SRC / part
    files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert files
    upward = {
        f"{f.relative_to(SRC)}: {m}"
        for f in files
        for m in _imports(f)
        if m == "bilat.lake" or m.startswith(tuple(f"{a}." for a in ABOVE)) or m in ABOVE
    }
    assert upward == set()
