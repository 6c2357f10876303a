"""The one way bilat reads YAML: safe tags only, a bounded document, no alias bombs.

Every YAML file the project reads (agenda and case files, claims, air agreements) goes
through :func:`compose` or :func:`load`. Both refuse, as a :class:`~bilat.errors.ParseError`
naming the file:

- a document larger than :data:`MAX_BYTES`;
- one whose anchors and aliases (``&a``, ``*a``) expand to more than :data:`MAX_NODES`
  values: a 1 KB "billion laughs" file expands to 10^9, and any reader walking it would run
  out of memory;
- an alias that refers to a node containing it (a cycle no reader can walk);
- nesting too deep for the parser.

It sits at the bottom of the package (next to ``errors``) so that ``air``, ``agenda`` and
``claims`` share it without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bilat.errors import ParseError

__all__ = ["MAX_BYTES", "MAX_NODES", "compose", "key_line", "line_of", "load", "read"]

#: The largest YAML document read: the founding case's largest file is under 40 KB.
MAX_BYTES = 4 << 20
#: The most values (scalars, lists, mappings) a document may hold once aliases are expanded.
MAX_NODES = 200_000

_NO_ALIASES = "Write the values out instead of anchors (&name) and aliases (*name)"


def read(path: str | Path, *, name: str | None = None) -> str:
    """A YAML file's text: UTF-8 (a byte-order mark allowed), at most :data:`MAX_BYTES`.

    ``name`` is the file's name in messages (an upload's own name rather than the temporary
    path the server keeps it under); default: ``path``.
    """
    p = Path(path)
    shown: str | Path = name or p
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ParseError(
                f"the file is {p.stat().st_size:,} bytes, more than the {MAX_BYTES:,} bilat "
                "reads as YAML",
                path=shown,
                hint="Split it into smaller files",
            )
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}", path=shown) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not UTF-8 text (byte {exc.start} is {data[exc.start : exc.start + 1]!r})",
            path=shown,
            expected="a YAML file saved as UTF-8",
            hint="Save it as UTF-8 and try again",
        ) from None


def compose(
    text: str, *, path: str | Path, expected: str | None = None, hint: str | None = None
) -> yaml.Node | None:
    """The document's node tree (positions kept), after the checks above; ``None`` if empty."""
    if len(text) > MAX_BYTES:
        raise ParseError(
            f"the YAML document is {len(text):,} characters, more than the {MAX_BYTES:,} "
            "bilat reads",
            path=path,
            expected=expected,
            hint="Split it into smaller files; nothing was read from it",
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        hint = hint or "fix the syntax (indentation, quotes, colons) and try again"
        raise _marked(exc, path, expected, hint) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"not valid YAML: {exc}", path=path, expected=expected) from None
    except RecursionError:
        raise ParseError(
            "not valid YAML: nested too deep to read", path=path, expected=expected
        ) from None
    if node is not None:
        _check_expansion(node, path)
    return node


def load(
    text: str, *, path: str | Path, expected: str | None = None, hint: str | None = None
) -> tuple[yaml.Node | None, Any]:
    """The node tree and the plain data (dicts, lists, scalars) of one safe YAML document."""
    node = compose(text, path=path, expected=expected, hint=hint)
    if node is None:
        return None, None
    try:
        data = yaml.SafeLoader("").construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, path, expected, None) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        found = _unconstructed(node)
        if found is None:
            raise ParseError(f"not valid YAML: {exc}", path=path, expected=expected) from None
        bad, key = found
        raise ParseError(
            f"not a valid value: {exc}",
            path=path,
            line=bad.start_mark.line + 1,
            column=key,
            value=bad.value,
            expected="a date as YYYY-MM-DD" if bad.tag.endswith(":timestamp") else expected,
            hint="Correct the value, or quote it if it is text",
        ) from None
    return node, data


def _unconstructed(root: yaml.Node) -> tuple[yaml.ScalarNode, str | None] | None:
    """The first scalar YAML cannot turn into a value (``2022-13-01``: no such month) and the
    mapping key it is under."""
    stack: list[tuple[yaml.Node, str | None]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (yaml.YAMLError, ValueError, OverflowError):
                return node, key
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                stack.append((v, str(k.value) if isinstance(k, yaml.ScalarNode) else None))
                stack.append((k, None))
        else:
            stack.extend((n, key) for n in reversed(_children(node)))
    return None


def _marked(
    exc: yaml.MarkedYAMLError, path: str | Path, expected: str | None, hint: str | None
) -> ParseError:
    mark = exc.problem_mark or exc.context_mark
    return ParseError(
        f"not valid YAML: {exc.problem or exc.context}",
        path=path,
        line=mark.line + 1 if mark else None,
        expected=expected,
        hint=hint,
    )


def _check_expansion(root: yaml.Node, path: str | Path) -> None:
    """Count the values ``root`` expands to, each shared node once per reference, without recursion."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            if total > MAX_NODES:
                raise ParseError(
                    f"the YAML expands to more than {MAX_NODES:,} values through its aliases "
                    "(a 'billion laughs' document)",
                    path=path,
                    line=node.start_mark.line + 1,
                    hint=_NO_ALIASES,
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in open_:
            raise ParseError(
                "a YAML alias refers to a value that contains it (a cycle)",
                path=path,
                line=node.start_mark.line + 1,
                hint=_NO_ALIASES,
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def line_of(node: yaml.Node | None, keys: Iterable[Any]) -> int | None:
    """1-based line of the node reached from ``node`` by ``keys`` (the deepest one found).

    ``keys`` are mapping keys (compared as text) and sequence indexes; a key that is not
    there stops the walk at its parent, so a message still names the nearest line.
    """
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in keys:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            child = node.value[key] if key < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def key_line(node: yaml.Node | None, keys: Iterable[Any], key: str) -> int | None:
    """1-based line of the mapping key ``key`` inside the mapping reached by ``keys``.

    For a key that should not be there: :func:`line_of` gives the line of its parent mapping
    (for the top level, the file's first key), this one the line the key is written on.
    """
    if node is None:
        return None
    target: yaml.Node | None = node
    for k in keys:
        child: yaml.Node | None = None
        if isinstance(target, yaml.MappingNode):
            child = next((v for kn, v in target.value if kn.value == str(k)), None)
        elif isinstance(target, yaml.SequenceNode) and isinstance(k, int):
            child = target.value[k] if k < len(target.value) else None
        if child is None:
            return line_of(node, keys)
        target = child
    if isinstance(target, yaml.MappingNode):
        for kn, _ in target.value:
            if kn.value == key:
                return int(kn.start_mark.line) + 1
    return line_of(node, keys)
