"""What every command shares: JSON output, tables, the synthetic-data banner, errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = [
    "JsonOption",
    "LakeOption",
    "console",
    "count",
    "err_console",
    "open_lake",
    "print_json",
    "print_table",
    "synthetic_banner",
    "to_jsonable",
]


def _width() -> int | None:
    # Piped output (tests, files, CI logs) gets a wide page instead of rich's 80 columns.
    return None if sys.stdout.isatty() else 200


console = Console(highlight=False, soft_wrap=True, width=_width())
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def to_jsonable(obj: Any) -> Any:
    """Plain JSON data from results: dataclasses, dates, paths, numpy and pandas scalars."""
    if hasattr(obj, "to_dict") and callable(obj.to_dict) and not isinstance(obj, type):
        return to_jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, str | bytes):
        return obj if isinstance(obj, str) else obj.decode()
    if isinstance(obj, Iterable):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if hasattr(obj, "item"):  # numpy scalar
        return to_jsonable(obj.item())
    return obj


def print_json(obj: Any) -> None:
    """Write ``obj`` as indented JSON to standard output."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
) -> None:
    """Render rows of dicts as a rich table (numbers right-aligned, thousands separated)."""
    cols = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title, caption=caption, show_lines=False)
    for c in cols:
        numeric = bool(rows) and isinstance(rows[0].get(c), int | float)
        table.add_column(c, justify="right" if numeric else "left")
    for r in rows:
        table.add_row(*[_fmt(r.get(c)) for c in cols])
    console.print(table)


LakeOption = Annotated[
    Path | None,
    typer.Option(
        "--lake",
        help="Lake folder (default: $BILAT_LAKE, else $BILAT_HOME/lake).",
        show_default=False,
    ),
]

_NAMED_BY = {"BILAT_LAKE": " (from BILAT_LAKE)", "BILAT_HOME": " (the default, $BILAT_HOME/lake)"}


def open_lake(path: Path | None, *, create: bool = False, home: Path | None = None) -> Any:
    """Open the lake named by ``--lake`` (else ``--home``/lake, ``$BILAT_LAKE``, the default).

    Commands that write pass ``create=True``; a read of a path that holds no lake exits 2
    naming the path, where it came from, and how to make a lake there.
    """
    from bilat._config import resolve_lake
    from bilat.errors import LakeNotFoundError
    from bilat.lake import Lake

    if path is None and home is not None:
        path = home / "lake"
    root, origin = resolve_lake(path)
    try:
        return Lake.open(root, create=create)
    except LakeNotFoundError as exc:
        raise LakeNotFoundError(
            f"no lake at {root}{_NAMED_BY.get(origin, '')}; ingest a file first "
            f"(bilat ingest baci|comtrade|csv FILE --lake {root}), or name another lake "
            "with --lake or BILAT_LAKE",
            details={**exc.details, "named_by": origin},
        ) from None


def synthetic_banner(source: Any) -> None:
    """Print the synthetic-data banner to stderr when ``source`` (a lake, or a flag) says so."""
    flag = source if isinstance(source, bool) else getattr(source, "is_synthetic", False)
    if flag:
        err_console.print(
            "[bold black on yellow] SYNTHETIC SAMPLE DATA — not real trade statistics [/]"
        )


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 request``, ``2 requests``, ``1,200 flows`` (``plural`` for irregular nouns)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
