"""``bilat ingest KIND`` (one command per source kind of the registry) and ``bilat sources``.

The commands are made from :data:`bilat.sources.READERS`: each kind's options become its
flags (``hs_rev`` is ``--hs-rev``), so a new source needs no code here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from bilat import formats
from bilat.cli._common import (
    HomeOption,
    JsonOption,
    LakeOption,
    console,
    count,
    err_console,
    open_lake,
    print_json,
    print_table,
)
from bilat.errors import BilatError
from bilat.lake.report import IngestReport
from bilat.sources.base import ReaderOption, ReaderSpec
from bilat.sources.registry import READERS

ingest_app = typer.Typer(help="Add official trade statistics to the lake.", no_args_is_help=True)

ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--replace",
        help="Let this file supersede lake entries whose rows it repeats (a newer download).",
    ),
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Load the good rows; write the bad ones with reasons to a rejects file.",
    ),
]

#: Library keywords whose command-line flag is not ``--`` plus the name with dashes.
_FLAG_NAMES = {"mapping": "--map"}


def _flag(keyword: str) -> str:
    return _FLAG_NAMES.get(keyword, "--" + keyword.replace("_", "-"))


def _plural(n: int, word: str) -> str:
    return count(n, word)


def _in_cli_terms(exc: BilatError, landed: Sequence[IngestReport] = ()) -> BilatError:
    """The library's error said to a command-line user: its flags, and what landed before."""
    text = exc.message
    option = exc.details.get("option")
    if isinstance(option, str) and text.startswith(f"{option} "):
        text = _flag(option) + text[len(option) :]
    for keyword, value in dict(exc.details.get("retry_with") or {}).items():
        text = text.replace(f"{keyword}={value!r}", _flag(keyword))
    if landed:
        text += f" (already ingested before this file: {', '.join(r.path for r in landed)})"
    return exc.with_message(text)


class _RowsColumn(ProgressColumn):
    """The spinner's row count, through :mod:`bilat.formats` (``12,345 rows``)."""

    def render(self, task: Task) -> Text:
        return Text(f"{formats.integer(task.completed)} rows")


def _with_progress(
    label: str, work: Callable[[Callable[[int], None]], list[IngestReport]]
) -> list[IngestReport]:
    """Run ``work`` under a spinner on a terminal; elsewhere quietly (a spinner that cannot
    erase itself leaves a blank line between the files' reports)."""
    if not err_console.is_terminal:
        return work(lambda n: None)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        _RowsColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        return work(lambda n: bar.advance(task, n))


def _print_report(r: IngestReport) -> None:
    if r.status == "unchanged":
        console.print(f"[yellow]unchanged[/] {r.path}: already in the lake ({r.entry_id})")
        return
    console.print(
        f"[green]ingested[/] {r.path}: {_plural(r.rows, 'row')}, {_years(r.years, label=True)} "
        f"(entry {r.entry_id}, {formats.number(r.seconds, digits=1)} s)"
    )
    if r.rejected:
        console.print(
            f"  [red]{_plural(r.rejected, 'row')} rejected[/], listed in {r.rejects_path}"
        )
    if r.replaced:
        console.print(f"  replaces (supersedes) entries {', '.join(r.replaced)}")
    for note in r.notes:
        console.print(f"  note: {note}")


def _print_total(reports: Sequence[IngestReport]) -> None:
    if len(reports) < 2:
        return
    added = [r for r in reports if r.status == "ingested"]
    rows = sum(r.rows for r in added)
    console.print(
        f"{_plural(len(reports), 'file')} read: {len(added)} ingested "
        f"({_plural(rows, 'row')}), {len(reports) - len(added)} unchanged"
    )


def _option_value(spec: ReaderSpec, option: ReaderOption, given: Any) -> Any:
    """An option as the reader takes it, from its text form; errors name the flag."""
    if given is None or option.parse is None:
        return given
    try:
        return option.parse(given)
    except BilatError as exc:
        raise exc.with_message(f"{_flag(option.name)}: {exc.message}") from exc


def _ingest(
    spec: ReaderSpec,
    paths: Sequence[Path],
    options: dict[str, Any],
    *,
    skip_bad_rows: bool,
    replace: bool,
    lake: Path | None,
    home: Path | None,
    as_json: bool,
) -> None:
    values = {o.name: _option_value(spec, o, options.get(o.name)) for o in spec.options}
    lk = open_lake(lake, create=True, home=home)

    def one(path: Path) -> Callable[[Callable[[int], None]], list[IngestReport]]:
        def work(progress: Callable[[int], None]) -> list[IngestReport]:
            reports: list[IngestReport] = lk.ingest(
                spec.name,
                path,
                skip_bad_rows=skip_bad_rows,
                replace=replace,
                progress=progress,
                **values,
            )
            return reports

        return work

    done: list[IngestReport] = []
    for path in paths:  # one file at a time, so a bad file does not hide those that landed
        try:
            reports = _with_progress(f"reading {path.name}", one(path))
        except BilatError as exc:
            raise _in_cli_terms(exc, done) from exc
        done.extend(reports)
        if not as_json:
            for r in reports:
                _print_report(r)
    if as_json:
        print_json({"reports": [r.to_dict() for r in done]})
    else:
        _print_total(done)


def _parameter(option: ReaderOption) -> inspect.Parameter:
    kind = str if option.parse is not None else option.type
    default = ... if option.required else option.default
    annotation: Any = kind if option.required or option.default is not None else kind | None
    info = typer.Option(_flag(option.name), help=option.help, show_default=default is not None)
    return inspect.Parameter(
        option.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=inspect.Parameter.empty if default is ... else default,
        annotation=Annotated[annotation, info],
    )


def _command(spec: ReaderSpec) -> Callable[..., None]:
    """The ``bilat ingest NAME`` command of one source kind, its flags from the kind's options."""

    def command(
        paths: list[Path],
        skip_bad_rows: bool = False,
        replace: bool = False,
        lake: Path | None = None,
        home: Path | None = None,
        as_json: bool = False,
        **options: Any,
    ) -> None:
        _ingest(
            spec,
            paths,
            options,
            skip_bad_rows=skip_bad_rows,
            replace=replace,
            lake=lake,
            home=home,
            as_json=as_json,
        )

    fixed = [
        inspect.Parameter(
            "paths",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[
                list[Path],
                typer.Argument(
                    metavar="PATH",
                    help=f"{spec.files[0].upper()}{spec.files[1:]}; one or more.",
                ),
            ],
        ),
        *(_parameter(o) for o in spec.options),
        inspect.Parameter(
            "skip_bad_rows", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=SkipOption
        ),
        inspect.Parameter(
            "replace", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=ReplaceOption
        ),
        inspect.Parameter(
            "lake", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LakeOption
        ),
        inspect.Parameter(
            "home", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=HomeOption
        ),
        inspect.Parameter(
            "as_json", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=JsonOption
        ),
    ]
    command.__signature__ = inspect.Signature(fixed)  # type: ignore[attr-defined]
    command.__annotations__ = {}  # the signature above carries the types
    command.__doc__ = f"Ingest {spec.description}."
    command.__name__ = f"ingest_{spec.name}"
    return command


for _spec in READERS.values():
    ingest_app.command(_spec.name)(_command(_spec))


def sources(
    lake: LakeOption = None,
    home: HomeOption = None,
    include_replaced: Annotated[
        bool, typer.Option("--all", help="Include entries replaced by newer releases.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List what is in the lake: each file with checksum, rows, source, release, years."""
    from bilat.tradeview import contents

    held = contents(open_lake(lake, home=home), include_replaced=include_replaced)
    if as_json:
        print_json(held)
        return
    entries = held.entries
    if not entries:
        kinds = "|".join(READERS)
        console.print(
            f"The lake at {held.lake} is empty. Add data with `bilat ingest {kinds} FILE`."
        )
        return
    rows = [
        {
            "entry": e.entry_id,
            "kind": e.kind,
            "source": e.source + (" (synthetic)" if e.synthetic else ""),
            "release": e.release,
            "hs": e.hs_rev,
            "years": _years(e.years),
            "rows": e.rows,
            "sha256": e.sha256[:12],
            "ingested (UTC)": e.ingested_at.strftime(
                "%Y-%m-%d %H:%M"
            ),  # not-a-figure: a UTC timestamp
            "file": e.path,
        }
        for e in entries
    ]
    print_table(rows, title=f"Lake {held.lake}")


def _years(years: Sequence[int], *, label: bool = False) -> str:
    """``2019–2021`` or ``2019, 2021``; with ``label``, ``year 2021`` or ``years 2019–2021``."""
    if not years:
        return "no years" if label else "—"
    ys = sorted(years)
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        text = f"{ys[0]}–{ys[-1]}"
    else:
        text = ", ".join(map(str, ys))
    if not label:
        return text
    return f"year {text}" if len(ys) == 1 else f"years {text}"


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")
    app.command("sources")(sources)
