"""What every command shares: JSON output, tables, the synthetic-data banner, errors."""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from bilat import formats

__all__ = [
    "DyadOption",
    "HomeOption",
    "JsonOption",
    "LakeOption",
    "YearOption",
    "YearsOption",
    "console",
    "count",
    "err_console",
    "open_lake",
    "print_json",
    "print_table",
    "synthetic_banner",
    "synthetic_line",
]


def _width() -> int | None:
    # Piped output (tests, files, CI logs) gets a wide page instead of rich's 80 columns.
    return None if sys.stdout.isatty() else 200


def _flags_take_no_value() -> None:
    """Show flags (``--json``, ``--help``) without typer's ``<bool>`` value placeholder.

    typer's rich help prints a type column for every option, ``<bool>`` for flags, which reads
    as if ``--json`` took a value. A flag takes none; its type column stays empty.
    """
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "_bilat_flags", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich._bilat_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_take_no_value()

console = Console(highlight=False, soft_wrap=True, width=_width())
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOption = Annotated[
    bool,
    typer.Option(
        "--json", help="Print the result as JSON (the document its /api/... route returns)."
    ),
]
HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="bilat home folder (the lake is HOME/lake); default $BILAT_HOME.",
        show_default=False,
    ),
]


#: ``--years 2017-2023`` (or one year, ``--years 2021``): the one way to type a range of years;
#: :func:`bilat.options.parse_years` reads it.
YearsOption = Annotated[
    str | None,
    typer.Option(
        "--years",
        metavar="FIRST-LAST",
        help="Years as FIRST-LAST, e.g. 2017-2023 (or one year, 2021).",
        show_default=False,
    ),
]
#: ``--year 2021``: the one way to type a single year.
YearOption = Annotated[
    int | None,
    typer.Option("--year", metavar="YEAR", help="Year, e.g. 2021 (default: the latest held)."),
]
#: ``--dyad DEU,FRA`` (repeatable): the one way to type a pair of countries in an option;
#: :func:`bilat.options.parse_dyad` reads it.
DyadOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dyad",
        metavar="A,B",
        help="A pair of countries as A,B, e.g. DEU,FRA (repeatable).",
        show_default=False,
    ),
]


def print_json(obj: Any) -> None:
    """Write ``obj``'s document (:func:`bilat.document.dumps`) to standard output."""
    from bilat.document import dumps

    sys.stdout.write(dumps(obj) + "\n")


def _is_year(column: str) -> bool:
    # years and weeks are labels, not quantities: 2021, never "2,021"
    return column in {"year", "week", "from", "to", "base", "start", "end"} or column.endswith(
        ("_year", " year")
    )


def _is_money(column: str) -> bool:
    # a column in US dollars says so in its name: value_usd, "gap (USD)"
    name = column.lower()
    return name == "usd" or name.endswith(("_usd", " usd", "(usd)", "usd)"))


def _percent_kind(column: str) -> str | None:
    """``"signed"`` for a change in percent (``growth_pct``, ``gdp_change_pct``, ``gap_pct``),
    ``"share"`` for another column in percent (``share_pct``, ``supply %``), else None."""
    name = column.lower()
    if not name.endswith(("_pct", "%", "(%)", " pct")):
        return None
    return "signed" if any(w in name for w in ("growth", "change", "gap")) else "share"


def _fmt(
    value: Any, *, plain: bool = False, money: bool = False, percent: str | None = None
) -> str:
    """A table cell through :mod:`bilat.formats`: years as labels (``2018``), US dollars as
    money (``$22.7M``), percentages as such (``24.2%``, changes ``+83.8%``), counts grouped
    (``1,234``), other numbers with at most two decimals (none from a thousand up); nothing
    as ``—``, never 0."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if plain and number and whole:
        return formats.year(int(value))  # a year read as a float (pandas) is 2018 too
    if money and number:
        return formats.money(value)
    if percent is not None and number:
        return formats.percent(value, signed=percent == "signed")
    if value is None:
        return formats.MISSING
    if isinstance(value, float):
        if not math.isfinite(value):
            return formats.MISSING
        return formats.number(value, digits=2 if abs(value) < 1000 else 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.integer(value)
    return str(value)


def print_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    money: Collection[str] = (),
) -> None:
    """Render rows of dicts as a rich table, numbers right-aligned, each cell through
    :mod:`bilat.formats` by its column's name (:func:`_fmt`); ``money`` names columns in US
    dollars whose names do not say so (``potential``, ``untapped``)."""
    cols = list(columns or (rows[0].keys() if rows else []))
    table = Table(title=title, caption=caption, show_lines=False)
    for c in cols:
        numeric = any(isinstance(r.get(c), int | float) for r in rows)
        table.add_column(c, justify="right" if numeric else "left")
    kinds = [(c, _is_year(c), c in money or _is_money(c), _percent_kind(c)) for c in cols]
    for r in rows:
        table.add_row(*[_fmt(r.get(c), plain=y, money=m, percent=p) for c, y, m, p in kinds])
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


def synthetic_line(flag: bool) -> None:
    """Label a synthetic result on stdout too (the banner goes to stderr, so a redirected
    table would carry no label): for results whose own text has no provenance footer."""
    if flag:
        console.print("SYNTHETIC DATA, not real figures.")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 request``, ``2 requests``, ``1,200 flows`` (``plural`` for irregular nouns).

    English words through :func:`bilat.formats.counted` (the CLI is not translated, so the
    nouns are not marked for the catalog; English plural rules need none)."""
    return formats.counted(n, f"%(n)s {noun}", f"%(n)s {plural or noun + 's'}")
