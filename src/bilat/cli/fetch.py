"""``bilat fetch comtrade|baci|geodist``: download, then ingest (:mod:`bilat.acquire`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

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
)
from bilat.errors import FetchError, HostUnreachableError

if TYPE_CHECKING:
    from bilat.acquire import ComtradeAcquisition
    from bilat.lake import IngestReport
    from bilat.sources.fetch import ComtradeFetch

fetch_app = typer.Typer(
    help="Download official statistics (UN Comtrade, CEPII BACI, CEPII GeoDist), cached and "
    "resumable, and ingest them.",
    no_args_is_help=True,
)

YearsOption = Annotated[
    str, typer.Option("--years", metavar="YEARS", help="Years: 2017-2023 or 2017,2019.")
]


def parse_years(text: str) -> list[int]:
    """``2017-2023`` → [2017, ..., 2023]; ``2017,2019`` → [2017, 2019]
    (:func:`bilat.options.parse_year_list`)."""
    from bilat.options import parse_year_list

    return list(parse_year_list(text))


class _Lines:
    """Progress as plain lines on stderr when it is not a terminal (a log, a pipe, CI).

    The first report and the last one (everything done) are always printed, others at most
    once every ``every`` seconds, so a long fetch shows it is alive without flooding a log.
    """

    def __init__(self, label: str, every: float = 2.0) -> None:
        self.label, self.every = label, every
        self._last: float | None = None

    def __call__(self, text: str, finished: bool) -> None:
        now = time.monotonic()
        if self._last is not None and not finished and now - self._last < self.every:
            return
        self._last = now
        err_console.print(f"{self.label}: {text}", highlight=False, soft_wrap=True)


@contextmanager
def _request_bar(label: str) -> Iterator[Callable[[int, int | None, int], None]]:
    if not err_console.is_terminal:
        lines = _Lines(label)

        def line(done: int, total: int | None, received: int) -> None:
            todo = "?" if total is None else formats.integer(total)
            finished = total is not None and done >= total
            done_text = formats.integer(done)
            lines(f"{done_text}/{todo} requests done, {decimal(received)} received", finished)

        yield line
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[received]}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, received="")
        yield lambda done, total, received: bar.update(
            task, completed=done, total=total, received=decimal(received)
        )


@contextmanager
def _byte_bar(label: str) -> Iterator[Callable[[int, int | None], None]]:
    if not err_console.is_terminal:
        lines = _Lines(label)

        def line(done: int, total: int | None) -> None:
            of = "" if total is None else f" of {decimal(total)}"
            lines(f"{decimal(done)}{of} downloaded", total is not None and done >= total)

        line(0, None)  # at once: a slow or failing connection is not silence
        yield line
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _print_ingested(reports: tuple[IngestReport, ...]) -> None:
    for r in reports:
        word = "unchanged" if r.status == "unchanged" else "ingested"
        console.print(f"  {word} {r.path}: {count(r.rows, 'row')} (entry {r.entry_id})")


@fetch_app.command("comtrade")
def fetch_comtrade_cmd(
    reporter: Annotated[str, typer.Option("--reporter", help="Reporter ISO3, e.g. BLR.")],
    partner: Annotated[str, typer.Option("--partner", help="Partner ISO3, e.g. KAZ.")],
    years: YearsOption,
    flow: Annotated[str, typer.Option("--flow", help="Flows: X, M or X,M.")] = "X,M",
    level: Annotated[int, typer.Option("--level", help="HS level: 2, 4 or 6.")] = 6,
    key_env: Annotated[
        str | None,
        typer.Option("--key-env", help="Variable holding a Comtrade key (e.g. COMTRADE_KEY)."),
    ] = None,
    no_mirror: Annotated[
        bool, typer.Option("--no-mirror", help="Skip the partner's declarations.")
    ] = False,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Only download.")] = False,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch a dyad's declarations (and the mirror ones) from UN Comtrade, then ingest them."""
    from bilat.acquire import acquire_comtrade
    from bilat.sources.fetch import ComtradeQuery

    query = ComtradeQuery.build(
        reporter,
        partner,
        parse_years(years),
        flows=flow.split(","),
        level=level,
        mirror=not no_mirror,
    )
    lk = None if no_ingest else open_lake(lake, create=True, home=home)
    with _request_bar("Comtrade requests") as progress:
        result = acquire_comtrade(query, lake=lk, key_env=key_env, progress=progress)
    if as_json:
        print_json(result)
    else:
        _print_comtrade(result)
    _exit_on_missing(result.fetch, ingested=lk is not None)


def _print_comtrade(result: ComtradeAcquisition) -> None:
    f = result.fetch
    endpoint = "keyed" if f.keyed else "public preview"
    console.print(
        f"UN Comtrade ({endpoint}): {count(f.records, 'record')} in {count(len(f.files), 'file')}; "
        f"{count(f.fetched, 'request')} sent, {formats.integer(f.cached)} from the cache, "
        f"{formats.integer(f.split)} split to stay under the record limit"
    )
    _print_ingested(result.ingested)
    for failed in f.failed:
        err_console.print(f"[red]failed[/] {failed.key}: {failed.reason}")


def _exit_on_missing(fetched: ComtradeFetch, *, ingested: bool) -> None:
    """Exit non-zero when requests are missing, saying that the same command gets them."""
    kept = "ingested" if ingested else "kept in the cache"
    if fetched.unreachable:
        raise HostUnreachableError(
            f"{fetched.unreachable}. The responses already in the cache were {kept}; the "
            "requests not sent are fetched by the same command once the host can be reached."
        )
    if fetched.failed:
        raise FetchError(
            f"{count(len(fetched.failed), 'request')} failed; what arrived was {kept}. "
            "Run the same command again to fetch only the missing ones."
        )


@fetch_app.command("baci")
def fetch_baci_cmd(
    release: Annotated[str, typer.Option("--release", help="BACI release, e.g. V202401.")],
    hs: Annotated[str, typer.Option("--hs", help="HS revision of the release, e.g. HS17.")],
    years: Annotated[
        str | None,
        typer.Option("--years", metavar="YEARS", help="Ingest only these years: 2017-2022."),
    ] = None,
    sha256: Annotated[
        str | None, typer.Option("--sha256", help="Expected SHA-256 of the zip.")
    ] = None,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Only download.")] = False,
    lake: LakeOption = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download a CEPII BACI release zip (streamed, verified, resumable) and ingest it."""
    from bilat.acquire import acquire_baci

    wanted = parse_years(years) if years else None
    lk = None if no_ingest else open_lake(lake, create=True, home=home)
    with _byte_bar(f"BACI {hs} {release}") as progress:
        result = acquire_baci(release, hs, lake=lk, years=wanted, sha256=sha256, progress=progress)
    if as_json:
        print_json(result)
        return
    download = result.fetch.download
    how = "from the cache" if download.attempts == 0 else "downloaded"
    console.print(f"{download.path} ({count(download.bytes, 'byte')}, {how})")
    _print_ingested(result.ingested)


@fetch_app.command("geodist")
def fetch_geodist_cmd(
    force: Annotated[bool, typer.Option("--force", help="Download again.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Download the CEPII GeoDist distances file (used by gravity and mirror reconciliation)."""
    from bilat.sources.fetch import fetch_geodist

    with _byte_bar("CEPII GeoDist") as progress:
        result = fetch_geodist(force=force, progress=progress)
    if as_json:
        print_json(result)
        return
    console.print(f"{result.path} ({count(result.bytes, 'byte')})")


def register(app: typer.Typer) -> None:
    """Add ``bilat fetch ...`` to the CLI."""
    app.add_typer(fetch_app, name="fetch")
