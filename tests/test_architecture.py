"""The map holds: imports point down the layer table, stay out of other parts' privates, and
form no cycle.

Every module under ``src/bilat`` is parsed with :mod:`ast`; every import counts, at module
level, inside functions (a lazy import pointing up is still an upward import) and under
``TYPE_CHECKING``. The table below is the one in ``docs/architecture.md``; a test checks the
two name the same parts in the same layers.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bilat"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# Top of the table first. A part imports only parts in layers below its own.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fronts", ("cli", "web", "__main__")),
    ("documents", ("brief",)),
    ("judgements", ("claims",)),
    ("analysis", ("trade", "potential", "agenda", "air", "sample")),
    ("read model", ("tradeview",)),
    ("acquire", ("acquire",)),
    ("derive", ("reconcile",)),
    ("store", ("lake",)),
    ("input", ("sources",)),
    ("vocabulary", ("codes", "cases")),
    (
        "base",
        (
            "errors",
            "options",
            "document",
            "_config",
            "_yaml",
            "_files",
            "i18n",
            "formats",
            "templating",
        ),
    ),
)

# Imports within one layer that the map allows: (importer, imported); "*" is any part of
# the layer.
SAME_LAYER_ALLOWED = {("cli", "web"), ("__main__", "cli"), ("base", "*")}

# Edges the map forbids but docs/decisions.md justifies, each with the decision's heading.
EXCEPTIONS: dict[tuple[str, str], str] = {}

# Violations known and being fixed (none since issue 14 landed). An entry that no longer
# occurs fails the test, so the set cannot outlive its violations.
PENDING: set[str] = set()

LAYER_OF = {part: i for i, (_, parts) in enumerate(reversed(LAYERS)) for part in parts}
LAYER_NAME = {part: name for name, parts in LAYERS for part in parts}


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to a module of the package."""

    importer: str
    target: str
    names: tuple[str, ...]
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES.get(module, Path()).name == "__init__.py"


def _absolute(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".") if _is_package(importer) else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def resolve(importer: str, node: ast.Import | ast.ImportFrom) -> list[tuple[str, tuple[str, ...]]]:
    """The ``bilat`` modules ``node`` in ``importer`` imports, each with the names taken from
    it; ``from pkg import sub`` goes to ``pkg.sub`` when ``sub`` is a submodule."""
    if isinstance(node, ast.Import):
        return [(a.name, ()) for a in node.names if a.name.split(".")[0] == "bilat"]
    target = _absolute(importer, node)
    if target.split(".")[0] != "bilat":
        return []
    found: list[tuple[str, tuple[str, ...]]] = []
    plain = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        if sub in MODULES:
            found.append((sub, ()))
        else:
            plain.append(alias.name)
    if plain:
        found.append((target, tuple(plain)))
    return found


def imports_of(module: str) -> list[Import]:
    """Every import of a ``bilat`` module by ``module``, wherever it stands in the file."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return [
        Import(module, target, names, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for target, names in resolve(module, node)
    ]


def part_of(module: str) -> str:
    """The top-level part of ``module`` (``""`` for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _allowed(source: str, target: str) -> bool:
    if LAYER_OF[target] < LAYER_OF[source]:
        return True
    if LAYER_OF[target] > LAYER_OF[source]:
        return False
    layer = LAYER_NAME[source]
    return (source, target) in SAME_LAYER_ALLOWED or (layer, "*") in SAME_LAYER_ALLOWED


def _private(imp: Import) -> list[str]:
    """The private module or names ``imp`` reaches in another part."""
    inner = imp.target.split(".")[2:]
    reached = [imp.target] if any(p.startswith("_") for p in inner) else []
    return reached + [
        f"{imp.target}.{n}"
        for n in imp.names
        # ``_`` is gettext's public name by convention (bilat.i18n exports it)
        if n.startswith("_") and not n.startswith("__") and n != "_"
    ]


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def _upward(imp: Import) -> bool:
    source, target = part_of(imp.importer), part_of(imp.target)
    if not source or not target or source == target:
        return False  # the package's __init__ is the public surface over every part
    return not _allowed(source, target) and (imp.importer, imp.target) not in EXCEPTIONS


def upward() -> set[str]:
    """``up: importer -> target`` for each import the layer table forbids."""
    return {f"up: {imp.importer} -> {imp.target}" for imp in ALL_IMPORTS if _upward(imp)}


def private() -> set[str]:
    """``private: importer -> what`` for each reach into another part's private names."""
    found = set()
    for imp in ALL_IMPORTS:
        source, target = part_of(imp.importer), part_of(imp.target)
        if source and target and source != target:
            found.update(f"private: {imp.importer} -> {what}" for what in _private(imp))
    return found


def cycles() -> set[str]:
    """``cycle: a, b, ...`` for each strongly connected set of modules (Tarjan).

    Upward imports are left out: the test above reports each, and any cycle across parts
    runs through one. What remains are cycles inside a part or across imports the map allows.
    """
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in ALL_IMPORTS:
        if imp.target in MODULES and imp.target != imp.importer and not _upward(imp):
            edges[imp.importer].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[str] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.add("cycle: " + ", ".join(sorted(component)))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    return found


def _check(found: set[str], kind: str) -> None:
    pending = {p for p in PENDING if p.startswith(kind + ":")}
    new = sorted(found - pending)
    gone = sorted(pending - found)
    assert not new, "imports against docs/architecture.md:\n  " + "\n  ".join(new)
    assert not gone, "fixed; remove from PENDING in tests/test_architecture.py:\n  " + (
        "\n  ".join(gone)
    )


def test_every_part_is_on_the_map() -> None:
    parts = {part_of(m) for m in MODULES} - {""}
    assert parts <= set(LAYER_OF), f"parts missing from LAYERS: {sorted(parts - set(LAYER_OF))}"


def test_imports_point_down_the_table() -> None:
    _check(upward(), "up")


def test_no_import_reaches_into_another_parts_privates() -> None:
    _check(private(), "private")


def test_no_module_cycles() -> None:
    _check(cycles(), "cycle")


def test_exceptions_are_justified_in_decisions() -> None:
    decisions = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    for edge, heading in EXCEPTIONS.items():
        assert heading in decisions, f"{edge}: no decision {heading!r} in docs/decisions.md"


def documented_layers() -> dict[str, str]:
    """part -> layer, read from the parts table of docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("## The parts", 1)[1].split("\n## ", 1)[0]
    found: dict[str, str] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("layer", "") or set(cells[0]) <= {"-", ":"}:
            continue
        for part in re.findall(r"`([\w.]+)`", cells[1]):
            found[part] = cells[0]
    return found


def test_docs_table_is_the_tests_table() -> None:
    assert documented_layers() == LAYER_NAME


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "from bilat.web import api, create_app",
            [("bilat.web.api", ()), ("bilat.web", ("create_app",))],
        ),
        ("from bilat.trade import Dyad", [("bilat.trade", ("Dyad",))]),
        ("from . import manifest", [("bilat.lake.manifest", ())]),
        ("from .lake import Lake", [("bilat.lake.lake", ("Lake",))]),
        ("import bilat.codes.hs", [("bilat.codes.hs", ())]),
        ("from pandas import DataFrame", []),
    ],
)
def test_imports_resolve_to_the_module_that_defines_them(
    text: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    node = ast.parse(text).body[0]
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    assert resolve("bilat.lake", node) == expected
