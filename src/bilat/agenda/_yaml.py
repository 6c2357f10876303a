"""Reading YAML with line numbers: every value is checked on its node, so an error names the
file, the line and the field (``items[3].status``).

``yaml.compose`` keeps each node's position (``node.start_mark``); values are read from the
nodes, never from ``yaml.safe_load`` output, which loses positions and silently keeps the
last of two duplicate keys.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NoReturn

import yaml

from bilat import _yaml as safe_yaml
from bilat.errors import ParseError, SchemaError, ValidationError

__all__ = ["Reader"]

_NULL = "tag:yaml.org,2002:null"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Reader:
    """Typed access to the nodes of one YAML file, raising errors that point into it."""

    def __init__(self, path: str | Path, text: str) -> None:
        self.path = str(path)
        self.source = text

    def root(self) -> yaml.Node:
        """The document's root node; a syntax error becomes a ``ParseError`` with its line."""
        node = safe_yaml.compose(self.source, path=self.path)
        if node is None:
            raise SchemaError("the file is empty", path=self.path, expected="a mapping")
        return node

    def fail(
        self,
        node: yaml.Node,
        field: str,
        message: str,
        *,
        value: object = None,
        expected: str | None = None,
        hint: str | None = None,
        cls: type[ParseError] = ValidationError,
    ) -> NoReturn:
        """Raise ``cls`` pointing at ``node``."""
        raise cls(
            message,
            path=self.path,
            line=node.start_mark.line + 1,
            column=field,
            value=value,
            expected=expected,
            hint=hint,
        )

    @staticmethod
    def is_null(node: yaml.Node | None) -> bool:
        """Whether a node is absent or YAML null (``~``, ``null``, empty)."""
        return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL)

    def mapping(
        self,
        node: yaml.Node,
        field: str,
        *,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
    ) -> dict[str, yaml.Node]:
        """Keys and value nodes of a mapping; unknown, duplicate or missing keys are errors."""
        allowed = (*required, *optional)
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, field, "expected a mapping of keys", cls=SchemaError)
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = f"{field}.{key}" if field else key
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, field, "keys must be plain names", cls=SchemaError)
            if key in out:
                self.fail(key_node, where, "duplicate key", value=key, cls=SchemaError)
            if key not in allowed:
                self.fail(
                    key_node,
                    where,
                    "unknown key",
                    value=key,
                    expected="one of " + ", ".join(allowed),
                    hint="see docs/agenda.md for the keys of this file",
                    cls=SchemaError,
                )
            out[key] = value_node
        for key in required:
            if key not in out or self.is_null(out[key]):
                self.fail(
                    node,
                    f"{field}.{key}" if field else key,
                    "missing required key",
                    cls=SchemaError,
                )
        return out

    def sequence(self, node: yaml.Node | None, field: str) -> list[yaml.Node]:
        """Items of a list (an absent or null value is an empty list)."""
        if node is None or self.is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, field, "expected a list", cls=SchemaError)
        return list(node.value)

    def text(self, node: yaml.Node | None, field: str) -> str | None:
        """A scalar as text, stripped (``None`` for null or absent)."""
        if node is None or self.is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.fail(
                node, field, "expected a single value, not a list or mapping", cls=SchemaError
            )
        text = str(node.value).strip()
        return text or None

    def required_text(self, node: yaml.Node | None, field: str, parent: yaml.Node) -> str:
        """A scalar that must be present."""
        text = self.text(node, field)
        if text is None:
            self.fail(node or parent, field, "a value is required", cls=SchemaError)
        return text

    def date(self, node: yaml.Node | None, field: str) -> dt.date | None:
        """A calendar date written ``YYYY-MM-DD``."""
        text = self.text(node, field)
        if text is None or node is None:
            return None
        if not _DATE.match(text):
            self.fail(node, field, "bad date", value=text, expected="YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.fail(node, field, f"bad date: {exc}", value=text, expected="YYYY-MM-DD")

    def texts(self, node: yaml.Node | None, field: str) -> list[tuple[str, yaml.Node]]:
        """A list of scalars with their nodes."""
        out: list[tuple[str, yaml.Node]] = []
        for i, child in enumerate(self.sequence(node, field)):
            text = self.text(child, f"{field}[{i}]")
            if text is None:
                self.fail(child, f"{field}[{i}]", "empty list entry", cls=SchemaError)
            out.append((text, child))
        return out


class _Dumper(yaml.SafeDumper):
    """Safe dumper without anchors and aliases (``&id001``), which hide values in diffs."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any, *, header: str) -> str:
    """YAML text in a stable layout: keys in the order given, block style, UTF-8 kept."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=96,
    )
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join(lines) + "\n" + body
