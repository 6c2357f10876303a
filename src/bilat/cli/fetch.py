"""``bilat fetch comtrade|baci|geodist`` and ``bilat mirror report|reconcile``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

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

from bilat.cli._common import (
    JsonOption,
    LakeOption,
    console,
    err_console,
    open_lake,
    print_json,
    print_table,
)
from bilat.errors import FetchError, HostUnreachableError, InputError

fetch_app = typer.Typer(
    help="Download official statistics (UN Comtrade, CEPII BACI, CEPII GeoDist), cached and "
    "resumable, and ingest them.",
    no_args_is_help=True,
)

YearsOption = Annotated[str, typer.Option("--years", help="Years: 2017-2023 or 2017,2019.")]


def parse_years(text: str) -> list[int]:
    """``2017-2023`` → [2017, ..., 2023]; ``2017,2019`` → [2017, 2019]."""
    years: list[int] = []
    for part in text.replace(" ", "").split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            raise InputError(
                f"--years {text!r} is not a year list; expected 2017-2023 or 2017,2019"
            )
        a, b = int(lo), int(hi) if sep else int(lo)
        if b < a:
            raise InputError(f"--years {text!r}: the range {a}-{b} runs backwards")
        years.extend(range(a, b + 1))
    return sorted(set(years))


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
            todo = "?" if total is None else f"{total:,}"
            finished = total is not None and done >= total
            lines(f"{done:,}/{todo} requests done, {decimal(received)} received", finished)

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


def _print_ingested(reports: tuple[Any, ...]) -> None:
    for r in reports:
        word = "unchanged" if r.status == "unchanged" else "ingested"
        console.print(f"  {word} {r.path}: {r.rows:,} rows (entry {r.entry_id})")


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
    as_json: JsonOption = False,
) -> None:
    """Fetch a dyad's declarations (and the mirror ones) from UN Comtrade, then ingest them."""
    from bilat.sources.fetch import ComtradeQuery, fetch_comtrade

    query = ComtradeQuery.build(
        reporter,
        partner,
        parse_years(years),
        flows=flow.split(","),
        level=level,
        mirror=not no_mirror,
    )
    lk = None if no_ingest else open_lake(lake, create=True)
    with _request_bar("Comtrade requests") as progress:
        result = fetch_comtrade(
            query, key_env=key_env, lake=lk, ingest=not no_ingest, progress=progress
        )
    if as_json:
        print_json(result)
    else:
        endpoint = "keyed" if result.keyed else "public preview"
        console.print(
            f"UN Comtrade ({endpoint}): {result.records:,} records in {len(result.files)} "
            f"file(s); {result.fetched} request(s) sent, {result.cached} from the cache, "
            f"{result.split} split to stay under the record limit"
        )
        _print_ingested(result.ingested)
        for f in result.failed:
            err_console.print(f"[red]failed[/] {f.key}: {f.reason}")
    if result.unreachable:
        raise HostUnreachableError(
            f"{result.unreachable}. The responses already in the cache were ingested; the "
            "requests not sent are fetched by the same command once the host can be reached."
        )
    if result.failed:
        raise FetchError(
            f"{len(result.failed)} request(s) failed; what arrived was ingested. "
            "Run the same command again to fetch only the missing ones."
        )


@fetch_app.command("baci")
def fetch_baci_cmd(
    release: Annotated[str, typer.Option("--release", help="BACI release, e.g. V202401.")],
    hs: Annotated[str, typer.Option("--hs", help="HS revision of the release, e.g. HS17.")],
    years: Annotated[
        str | None, typer.Option("--years", help="Ingest only these years: 2017-2022.")
    ] = None,
    sha256: Annotated[
        str | None, typer.Option("--sha256", help="Expected SHA-256 of the zip.")
    ] = None,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Only download.")] = False,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download a CEPII BACI release zip (streamed, verified, resumable) and ingest it."""
    from bilat.sources.fetch import fetch_baci

    wanted = parse_years(years) if years else None
    lk = None if no_ingest else open_lake(lake, create=True)
    with _byte_bar(f"BACI {hs} {release}") as progress:
        result = fetch_baci(
            release,
            hs,
            years=wanted,
            lake=lk,
            ingest=not no_ingest,
            sha256=sha256,
            progress=progress,
        )
    if as_json:
        print_json(result)
        return
    how = "from the cache" if result.download.attempts == 0 else "downloaded"
    console.print(f"{result.download.path} ({result.download.bytes:,} bytes, {how})")
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
    console.print(f"{result.path} ({result.bytes:,} bytes)")


mirror_app = typer.Typer(
    help="Exporter's against importer's declarations: CIF/FOB margins, reconciled flows, "
    "the gaps of a dyad and their suspected causes.",
    no_args_is_help=True,
)

GeoOption = Annotated[
    Path | None,
    typer.Option(
        "--geodist",
        envvar="BILAT_GEODIST_FILE",
        help="CEPII dist_cepii CSV (default: the one `bilat fetch geodist` stored).",
        show_default=False,
    ),
]
LevelOption = Annotated[int, typer.Option("--level", help="HS level: 0 (totals), 2, 4 or 6.")]
ConvertOption = Annotated[
    str | None,
    typer.Option("--convert-to", help="Convert declarations to this HS revision first (HS17)."),
]
ConcordanceOption = Annotated[
    list[Path] | None,
    typer.Option("--concordance", help="UNSD correlation table (xlsx/csv); repeatable."),
]


def _concordances(paths: list[Path] | None) -> list[Any]:
    from bilat.codes.concordance import load_concordance

    return [load_concordance(p) for p in paths or []]


def _geodist(path: Path | None) -> Path:
    if path is not None:
        return path
    from bilat.sources.fetch import FetchConfig

    folder = FetchConfig.from_env().cache_dir / "geo"
    found = sorted(folder.glob("dist_cepii*")) if folder.is_dir() else []
    if not found:
        raise InputError(
            "no GeoDist file: give --geodist FILE (CEPII dist_cepii as CSV) or run "
            "`bilat fetch geodist` first"
        )
    return found[0]


@mirror_app.command("report")
def mirror_report_cmd(
    a: Annotated[str, typer.Argument(help="One country of the dyad (ISO3).")],
    b: Annotated[str, typer.Argument(help="The other country (ISO3).")],
    years: Annotated[str | None, typer.Option("--years", help="Years: 2017-2023.")] = None,
    level: LevelOption = 6,
    geodist: GeoOption = None,
    top: Annotated[int, typer.Option("--top", help="Products listed (largest gaps).")] = 15,
    convert_to: ConvertOption = None,
    concordance: ConcordanceOption = None,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Declared exports against declared imports of a dyad, gap by product, suspected causes."""
    from bilat.trade.mirror import mirror_report

    lk = open_lake(lake)
    wanted = parse_years(years) if years else None
    rep = mirror_report(
        lk.declarations(),
        a,
        b,
        _geodist(geodist),
        level=level,
        years=wanted,
        convert_to=convert_to,
        concordances=_concordances(concordance),
    )
    if as_json:
        print_json(rep)
        return
    cols = ["year", "exporter", "importer", "exports_declared_usd", "imports_declared_usd",
            "imports_fob_usd", "gap_usd", "gap_cif_fob_usd", "gap_other_usd", "reconciled_usd",
            "products", "both_declared"]  # fmt: skip
    print_table(_rows(rep.totals, cols), title=f"Mirror: {rep.a} ↔ {rep.b}, HS level {level}")
    biggest = rep.products.reindex(
        rep.products["gap_usd"]
        .abs()
        .fillna(rep.products["reconciled_usd"])
        .sort_values(ascending=False)
        .index
    ).head(top)
    pcols = ["year", "exporter", "product", "exports_declared_usd", "imports_declared_usd",
             "gap_usd", "gap_other_usd", "causes"]  # fmt: skip
    print_table(_rows(biggest, pcols), title=f"Largest gaps (top {top})")
    print_table(
        [{"cause": k, "value_usd": v} for k, v in rep.causes.items()],
        title="Suspected causes (|gap| flagged)",
    )
    for note in rep.notes:
        console.print(f"note: {note}")


@mirror_app.command("reconcile")
def mirror_reconcile_cmd(
    years: Annotated[str | None, typer.Option("--years", help="Years: 2017-2023.")] = None,
    level: LevelOption = 6,
    geodist: GeoOption = None,
    ingest: Annotated[
        bool, typer.Option("--ingest", help="Store the reconciled flows in the lake.")
    ] = False,
    convert_to: ConvertOption = None,
    concordance: ConcordanceOption = None,
    lake: LakeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reconcile every flow both sides declared (BACI method) and show the estimates."""
    from bilat.reconcile import reconcile

    lk = open_lake(lake)
    wanted = parse_years(years) if years else None
    rec = reconcile(
        lk.declarations(),
        _geodist(geodist),
        level=level,
        years=wanted,
        convert_to=convert_to,
        concordances=_concordances(concordance),
    )
    bases = rec.pairs["basis"].value_counts().to_dict()
    report = None
    if ingest:
        span = f"{min(wanted)}-{max(wanted)}" if wanted else "all"
        report = lk.ingest_arrow(
            rec.flows,
            kind="flows",
            source="mirror",
            name=f"mirror-L{level}-{span}",
            synthetic=lk.is_synthetic,
        )
    out = {
        "flows": rec.flows.num_rows,
        "bases": bases,
        "margins": rec.margins,
        "identified": rec.identified,
        "reliability": rec.reliability.to_dict("records"),
        "ingested": report,
    }
    if as_json:
        print_json(out)
        return
    m = rec.margins
    console.print(
        f"{rec.flows.num_rows:,} flows: {bases}. ln(1+margin) = {m.const:.4f} "
        f"+ {m.b_dist:.5f}·ln(km) + {m.b_contig:.4f}·contig (n={m.nobs:,}, R² {m.r2:.3f})"
    )
    print_table(
        _rows(rec.reliability.sort_values("variance"), list(rec.reliability.columns)),
        title="Reporter reliability (error variance of log declarations)",
    )
    if report is not None:
        console.print(f"ingested {report.rows:,} reconciled flows (entry {report.entry_id})")


def _rows(frame: Any, cols: list[str]) -> list[dict[str, Any]]:
    rows = frame[cols].to_dict("records")
    return [{str(k): str(v) if k == "year" else v for k, v in r.items()} for r in rows]


def register(app: typer.Typer) -> None:
    """Add ``bilat fetch ...`` and ``bilat mirror ...`` to the CLI."""
    app.add_typer(fetch_app, name="fetch")
    app.add_typer(mirror_app, name="mirror")
