"""``bilat ingest baci|comtrade|csv`` and ``bilat sources``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bilat.cli._common import (
    JsonOption,
    LakeOption,
    console,
    err_console,
    open_lake,
    print_json,
    print_table,
)

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


def _with_progress(
    label: str, work: Callable[[Callable[[int], None]], Sequence[Any]]
) -> Sequence[Any]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f} rows"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        return work(lambda n: bar.advance(task, n))


def _report(reports: Sequence[Any], as_json: bool) -> None:
    if as_json:
        print_json({"reports": [r.to_dict() for r in reports]})
        return
    for r in reports:
        if r.status == "unchanged":
            console.print(f"[yellow]unchanged[/] {r.path}: already in the lake ({r.entry_id})")
            continue
        years = _years(r.years)
        console.print(
            f"[green]ingested[/] {r.path}: {r.rows:,} rows, years {years} "
            f"(entry {r.entry_id}, {r.seconds:.1f} s)"
        )
        if r.rejected:
            console.print(f"  [red]{r.rejected:,} rows rejected[/], listed in {r.rejects_path}")
        if r.replaced:
            console.print(f"  replaces (supersedes) entries {', '.join(r.replaced)}")
        for note in r.notes:
            console.print(f"  note: {note}")


@ingest_app.command("baci")
def ingest_baci(
    path: Annotated[Path, typer.Argument(help="BACI release zip or one BACI_HSxx_Yyyyy CSV.")],
    release: Annotated[str | None, typer.Option(help="Release tag, e.g. V202401.")] = None,
    hs_rev: Annotated[str | None, typer.Option("--hs-rev", help="HS revision, e.g. HS17.")] = None,
    skip_bad_rows: SkipOption = False,
    replace: ReplaceOption = False,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest a CEPII BACI release (values in thousands of USD are stored in USD)."""
    lk = open_lake(lake, create=True)
    reports = _with_progress(
        f"reading {path.name}",
        lambda p: lk.ingest_baci(
            path,
            release=release,
            hs_rev=hs_rev,
            skip_bad_rows=skip_bad_rows,
            replace=replace,
            progress=p,
        ),
    )
    _report(reports, as_json)


def _comtrade(
    lk: Any, path: Path, skip_bad_rows: bool, replace: bool
) -> Callable[[Callable[[int], None]], Sequence[Any]]:
    def work(progress: Callable[[int], None]) -> Sequence[Any]:
        reports: Sequence[Any] = lk.ingest_comtrade(
            [path], skip_bad_rows=skip_bad_rows, replace=replace, progress=progress
        )
        return reports

    return work


@ingest_app.command("comtrade")
def ingest_comtrade(
    paths: Annotated[list[Path], typer.Argument(help="Comtrade API JSON or CSV/TSV files.")],
    skip_bad_rows: SkipOption = False,
    replace: ReplaceOption = False,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest UN Comtrade declarations (API JSON, or CSV/TSV with the API's column names)."""
    from bilat.errors import BilatError

    lk = open_lake(lake, create=True)
    done: list[Any] = []
    for path in paths:  # one file at a time, so a bad file does not hide those that landed
        try:
            reports = _with_progress(
                f"reading {path.name}", _comtrade(lk, path, skip_bad_rows, replace)
            )
        except BilatError as exc:
            if done:
                _report(done, as_json)
                landed = ", ".join(r.path for r in done)
                exc.message += f" (already ingested before this file: {landed})"
            raise
        done.extend(reports)
        if not as_json:
            _report(reports, as_json)
    if as_json:
        _report(done, as_json)


@ingest_app.command("csv")
def ingest_csv(
    path: Annotated[Path, typer.Argument(help="CSV of bilateral flows.")],
    mapping: Annotated[
        str,
        typer.Option(
            "--map",
            help="FIELD=COLUMN pairs: year, exporter, importer, product, value "
            "[, quantity, quantity_unit].",
        ),
    ],
    source: Annotated[str, typer.Option(help="A short name for the source, e.g. belstat.")],
    basis: Annotated[
        str, typer.Option(help="Whose declaration: exporter or importer.")
    ] = "exporter",
    hs_rev: Annotated[str, typer.Option("--hs-rev", help="HS revision, e.g. HS17.")] = "HS",
    value_scale: Annotated[
        float, typer.Option(help="Multiply values by this (1000 for thousands).")
    ] = 1.0,
    delimiter: Annotated[
        str | None, typer.Option(help="Field separator (default: guessed).")
    ] = None,
    skip_bad_rows: SkipOption = False,
    replace: ReplaceOption = False,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest a national-statistics CSV of flows through a column map."""
    from bilat.sources.table import parse_mapping

    fields = parse_mapping(mapping)
    lk = open_lake(lake, create=True)
    reports = _with_progress(
        f"reading {path.name}",
        lambda p: [
            lk.ingest_csv(
                path,
                mapping=fields,
                source=source,
                basis=basis,
                hs_rev=hs_rev,
                value_scale=value_scale,
                delimiter=delimiter,
                skip_bad_rows=skip_bad_rows,
                replace=replace,
                progress=p,
            )
        ],
    )
    _report(reports, as_json)


def sources(
    lake: LakeOption = None,
    include_replaced: Annotated[
        bool, typer.Option("--all", help="Include entries replaced by newer releases.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List what is in the lake: each file with checksum, rows, source, release, years."""
    from bilat.tradeview import contents

    held = contents(open_lake(lake), include_replaced=include_replaced)
    if as_json:
        print_json(held)
        return
    entries = held.entries
    if not entries:
        console.print(f"The lake at {held.lake} is empty. Add data with `bilat ingest ...`.")
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
            "ingested (UTC)": e.ingested_at.strftime("%Y-%m-%d %H:%M"),
            "file": e.path,
        }
        for e in entries
    ]
    print_table(rows, title=f"Lake {held.lake}")


def _years(years: Sequence[int]) -> str:
    if not years:
        return "—"
    ys = sorted(years)
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(map(str, ys))


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")
    app.command("sources")(sources)
