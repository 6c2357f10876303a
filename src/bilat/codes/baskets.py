"""Baskets: named groups of HS codes that a commission talks about ("confectionery").

The shipped baskets are in ``baskets.toml`` beside this module; a user file
(``$BILAT_HOME/baskets.toml`` or any path given) adds baskets or replaces shipped ones of the
same name.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bilat._config import home
from bilat.codes.hs import TOTAL, level, normalise
from bilat.errors import SchemaError, UnknownCodeError

__all__ = ["Basket", "basket", "load_baskets", "load_shipped_baskets", "parse_baskets"]


@dataclass(frozen=True, slots=True)
class Basket:
    """A named product group.

    Attributes
    ----------
    name
        Identifier used in files and commands (``vegetable_oils``).
    title
        Human title (``Vegetable oils``).
    codes
        Normalised HS codes; a product belongs to the basket when a code is its prefix.
    rationale
        One line on why these codes make up the basket.
    """

    name: str
    title: str
    codes: tuple[str, ...]
    rationale: str

    def matches(self, product: str) -> bool:
        """Whether ``product`` (a normalised code) falls in this basket.

        A product of a coarser level than a basket code (a heading when the basket lists a
        subheading) does not match: it may hold more than the basket.
        """
        if product == TOTAL:
            return False
        return any(product.startswith(c) and level(product) >= len(c) for c in self.codes)

    def codes_at(self, lvl: int) -> tuple[str, ...]:
        """The basket's codes that can be read at level ``lvl`` (those no finer than it)."""
        return tuple(c for c in self.codes if len(c) <= lvl)


def _parse(data: Mapping[str, Any], source: str) -> dict[str, Basket]:
    out: dict[str, Basket] = {}
    for name, body in data.items():
        if not isinstance(body, Mapping):
            raise SchemaError(
                f"basket {name!r} must be a table with title, codes and rationale",
                path=source,
                column=name,
            )
        unknown = set(body) - {"title", "codes", "rationale"}
        if unknown:
            raise SchemaError(
                f"basket {name!r} has unknown keys {sorted(unknown)}",
                path=source,
                column=name,
                expected="title, codes, rationale",
            )
        codes = body.get("codes")
        if not isinstance(codes, list) or not codes:
            raise SchemaError(
                f"basket {name!r} needs a non-empty list 'codes'", path=source, column=name
            )
        try:
            norm = tuple(normalise(str(c)) for c in codes)
        except UnknownCodeError as exc:
            raise SchemaError(f"basket {name!r}: {exc.message}", path=source, column=name) from None
        out[name] = Basket(
            name=name,
            title=str(body.get("title", name.replace("_", " ").capitalize())),
            codes=norm,
            rationale=str(body.get("rationale", "")),
        )
    return out


def parse_baskets(text: str, source: str) -> dict[str, Basket]:
    """The baskets of a ``baskets.toml`` text (``source`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"not valid TOML: {exc}", path=source) from None
    return _parse(data, source)


def load_shipped_baskets() -> dict[str, Basket]:
    """The baskets shipped with bilat (``bilat/codes/baskets.toml``), nothing else."""
    text = resources.files("bilat.codes").joinpath("baskets.toml").read_text("utf-8")
    return _parse(tomllib.loads(text), "bilat/codes/baskets.toml")


def load_baskets(extra: Iterable[str | Path] = ()) -> dict[str, Basket]:
    """All baskets: shipped, then ``$BILAT_HOME/baskets.toml`` if present, then ``extra`` files."""
    out = load_shipped_baskets()
    paths = [home() / "baskets.toml", *map(Path, extra)]
    for path in paths:
        if not path.exists():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SchemaError(f"not valid TOML: {exc}", path=path) from None
        out.update(_parse(data, str(path)))
    return out


def basket(name: str, *, extra: Iterable[str | Path] = ()) -> Basket:
    """One basket by name; an unknown name raises ``UnknownCodeError`` with the closest names."""
    all_ = load_baskets(extra)
    if name in all_:
        return all_[name]
    close = difflib.get_close_matches(name, list(all_), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownCodeError(
        f"unknown basket {name!r}{hint} Known baskets: {', '.join(sorted(all_))}",
        details={"value": name, "closest": close, "known": sorted(all_)},
    )
