"""One document per result: ``bilat X ... --json`` prints what ``GET /api/X?...`` returns.

The test walks the command table. Every command is either a *write* (listed in ``WRITES``
with the reason it has no read route) or a *read*, and every read has a case here: the
command's arguments, from which the route and its query are derived by the convention

- command path → route path: ``bilat trade summary`` → ``/api/trade/summary``;
- arguments and options → query parameters of the same names (``a=BLR&b=KAZ&year=2021``),
  except the ones that say *where* a front finds its data (``FRONT_ONLY``: the lake, the
  agenda database, the case folder), which the web app has from its settings.

For each case it checks that the CLI's JSON equals the route's, that the route declares a
response model, and that the answer validates against that model (so the OpenAPI schema
describes the result it documents).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from click.core import ParameterSource

from bilat.cli import app as cli_app

#: Parameters that say where a front finds its data; the web app has them from its settings.
FRONT_ONLY = frozenset(
    {"lake", "home", "json", "as_json", "json_", "db", "agenda_url", "folder", "geodist", "debug"}
)

#: Commands without a read route, and why.
WRITES: dict[str, str] = {
    "brief": "writes the briefing's files (its document is GET /api/brief/...)",
    "serve": "starts the web app",
    "demo": "builds the sample world and writes files",
    "lake compact": "rewrites the lake's files (maintenance under the writer lock; no web route)",
    "ingest baci": "writes to the lake (the web's upload is POST /api/sources/upload)",
    "ingest comtrade": "writes to the lake",
    "ingest csv": "writes to the lake",
    "agenda import": "writes to the agenda database",
    "agenda export": "writes files",
    "agenda iati": "writes a file (IATI XML; its data is GET /api/agenda/list)",
    "agenda ics": "writes a file (iCalendar; its data is GET /api/agenda/list)",
    "agenda add": "writes to the agenda database (POST /api/agenda/items)",
    "agenda update": "writes to the agenda database (POST /api/agenda/items/{id}/changes)",
    # issue 18: agenda edits
    "agenda edit": "writes to the agenda database (POST /api/agenda/items/{id}/edit)",
    "agenda remove": "writes to the agenda database (POST /api/agenda/items/{id}/remove)",
    # issue 18: grades
    "agenda grade": "writes to the agenda database (POST /api/agenda/items/{id}/grade)",
    "fetch comtrade": "downloads and writes to the lake",
    "fetch baci": "downloads and writes to the lake",
    "fetch geodist": "downloads",
    "mirror reconcile": "an operation over the whole lake (and, with --ingest, a write)",
    "users add": "writes accounts",
    "users set-role": "writes accounts",
    "users remove": "writes accounts",
    "users list": "account administration is the CLI's and /api/users' (admin only)",
}


@dataclass(frozen=True)
class Case:
    """A read command's arguments (``{lake}``-style placeholders name fixture paths)."""

    args: tuple[str, ...]
    method: str = "get"
    files: tuple[str, ...] = ()  # parameters whose value is a file the web route receives
    fronts: str = "demo_fronts"  # the fixture giving the client, the app and the places
    extra: dict[str, Any] = field(default_factory=dict)


#: Every read command, with arguments that give a non-trivial result on the demo world.
CASES: dict[str, Case] = {
    "air agreements": Case(("{air}",)),
    "air check": Case(("{air}", "--flight", "B2 MSQ-NQZ-ALA", "--local-traffic", "NQZ-ALA")),
    "air schedule": Case(
        ("{air}", "{ssim}", "--carrier-state", "IQ=KAZ", "--carrier", "B2", "--carrier", "IQ"),
        method="post",
        files=("file",),
    ),
    "air routes": Case(("{air}", "--carrier", "KC")),
    "agenda list": Case(("--status", "agreed", "--db", "{db}")),
    "agenda show": Case(("sugar-supplies-resume", "--as-of", "2022-12-31", "--db", "{db}")),
    "agenda progress": Case(
        ("sugar-supplies-resume", "--before", "2", "--lake", "{lake}", "--db", "{db}")
    ),
    "claims check": Case(("blr-kaz-2022", "--lake", "{lake}", "--no-record")),
}

#: A small gravity panel (the generator of tests/potential, 8 countries, 2 years).
GRAVITY_PANEL = str(
    Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "gravity-panel.csv"
)
GE_WORLD = str(Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "ge-world.csv")
GE_COEFS = str(
    Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "ge-coefficients.csv"
)

# trade, potential, sources (issue 14, fronts1)
CASES.update(
    {
        "sources": Case(("--lake", "{lake}", "--all")),
        "trade overview": Case(("BLR", "KAZ", "--year", "2021", "--lake", "{lake}")),
        "trade summary": Case(("BLR", "KAZ", "--year", "2021", "--lake", "{lake}")),
        "trade series": Case(("BLR", "KAZ", "--years", "2019-2021", "--lake", "{lake}")),
        "trade products": Case(
            (
                "BLR",
                "KAZ",
                "--year",
                "2021",
                "--level",
                "6",
                "--top",
                "15",
                "--sort",
                "value_usd",
                "--order",
                "desc",
                "--basket",
                "confectionery",
                "--lake",
                "{lake}",
            )
        ),
        "trade baskets": Case(("BLR", "KAZ", "--year", "2021", "--lake", "{lake}")),
        "trade events": Case(
            (
                "BLR",
                "KAZ",
                "--year",
                "2021",
                "--flow",
                "import",
                "--min-value",
                "1000",
                "--lake",
                "{lake}",
            )
        ),
        "trade partners": Case(("BLR", "--year", "2021", "--top", "5", "--lake", "{lake}")),
        "trade concentration": Case(("BLR", "KAZ", "--year", "2021", "--lake", "{lake}")),
        "trade rca": Case(("BLR", "KAZ", "--year", "2021", "--level", "4", "--lake", "{lake}")),
        "trade complementarity": Case(
            ("BLR", "KAZ", "--year", "2021", "--level", "4", "--lake", "{lake}")
        ),
        "trade intensity": Case(("BLR", "KAZ", "--year", "2021", "--lake", "{lake}")),
        "trade iit": Case(
            ("BLR", "KAZ", "--year", "2020", "--end", "2021", "--level", "4", "--lake", "{lake}")
        ),
        "trade market": Case(
            ("KAZ", "--year", "2021", "--product", "84", "--exporter", "BLR", "--lake", "{lake}")
        ),
        "trade opportunities": Case(
            ("KAZ", "--year", "2021", "--exporter", "BLR", "--span", "1", "--lake", "{lake}")
        ),
        "trade third-market": Case(
            (
                "KAZ",
                "--year",
                "2021",
                "--exporters",
                "BLR,RUS",
                "--product",
                "84",
                "--lake",
                "{lake}",
            )
        ),
        "mirror report": Case(
            ("BLR", "KAZ", "--years", "2020-2021", "--level", "6", "--lake", "{lake}"),
            fronts="mirror_fronts",
        ),
        "trade mirror": Case(("BLR", "KAZ", "--years", "2020-2021", "--lake", "{lake}")),
        "potential products": Case(
            (
                "BLR",
                "KAZ",
                "--year",
                "2021",
                "--level",
                "4",
                "--top",
                "5",
                "--actual-years",
                "3",
                "--lake",
                "{lake}",
            )
        ),
        "potential markets": Case(("BLR", "--year", "2021", "--level", "4", "--lake", "{lake}")),
        "potential complexity": Case(
            ("--year", "2021", "--level", "4", "--country", "BLR", "--top", "5", "--lake", "{lake}")
        ),
        "potential promising": Case(
            ("BLR", "KAZ", "--year", "2021", "--top", "5", "--sort", "cog", "--lake", "{lake}")
        ),
        "potential gravity": Case(
            (
                "--panel",
                GRAVITY_PANEL,
                "--terms",
                "ln_dist,cntg,eaeu",
                "--dyad",
                "C00,C01",
                "--small-sample",
                "stata",
            ),
            method="post",
            files=("panel",),
        ),
        "potential scenario": Case(
            (
                GE_WORLD,
                "--coefficients",
                GE_COEFS,
                "--change",
                "fta=1@C00~C03",
                "--change",
                "border*=0.9@C02-*",
                "--sigma",
                "5",
                "--reference-importer",
                "C01",
                "--draws",
                "4",
                "--seed",
                "3",
            ),
            method="post",
            files=("data", "coefficients"),
        ),
    }
)

#: The gravity panel with the file's own column names, tab-separated (same rows).
GRAVITY_MAPPED = GRAVITY_PANEL.replace("gravity-panel.csv", "gravity-panel-mapped.tsv")
GRAVITY_ROLES = "exporter=Origin,importer=Destination,year=Year,trade=Value"

#: More cases of commands with many options (issue 15: any gravity specification).
VARIANTS: dict[str, tuple[str, Case]] = {
    "gravity formula": (
        "potential gravity",
        Case(
            (
                "--panel",
                GRAVITY_MAPPED,
                "--map",
                GRAVITY_ROLES,
                "--formula",
                "Value ~ log(dist) + cntg + eaeu | Origin^Year + Destination^Year",
                "--vcov",
                "cluster:Origin",
                "--separation",
                "fe",
                "--maxiter",
                "50",
                "--dyad",
                "C00,C01",
            ),
            method="post",
            files=("panel",),
        ),
    ),
    "gravity ols": (
        "potential gravity",
        Case(
            (
                "--panel",
                GRAVITY_MAPPED,
                "--map",
                GRAVITY_ROLES,
                "--method",
                "ols",
                "--terms",
                "ln_dist,cntg",
                "--vcov",
                "twoway:Origin+Destination",
                "--years",
                "2021",
            ),
            method="post",
            files=("panel",),
        ),
    ),
}

# issue 17: slots
SLOT_MESSAGE = str(
    Path(__file__).resolve().parents[1] / "fixtures" / "air" / "slots" / "scr-ala-s23-request.txt"
)
CASES.update(
    {
        "air slots": Case((SLOT_MESSAGE, "--dated"), method="post", files=("file",)),
    }
)


# issue 17: agreements
CASES.update(
    {
        "air diff": Case(
            ("{air_before}/blr-kaz.yaml", "{air}/blr-kaz.yaml"),
            method="post",
            files=("before", "after"),
        ),
    }
)


# issue 17: openflights
#: A route list (synthetic OpenFlights files, see tests/fixtures/air/README.md) is an upload
#: to POST /api/air/routes; GET /api/air/routes stays the case's routings without a file.
OPENFLIGHTS_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
VARIANTS.update(
    {
        "routes openflights": (
            "air routes",
            Case(
                (
                    "{air}",
                    "--schedule",
                    str(OPENFLIGHTS_FIXTURES / "openflights-routes-synthetic.dat"),
                    "--airlines",
                    str(OPENFLIGHTS_FIXTURES / "openflights-airlines-synthetic.dat"),
                    "--carrier-state",
                    "IQ=KAZ",
                ),
                method="post",
                files=("schedule", "airlines"),
            ),
        ),
        "routes ssim": (
            "air routes",
            Case(
                ("{air}", "--schedule", "{ssim}", "--carrier", "B2"),
                method="post",
                files=("schedule",),
            ),
        ),
    }
)


# issue 17: SSIM legs
CASES.update({"air legs": Case(("{ssim}",), method="post", files=("file",))})


# issue 17: flights and capacity
SSIM_AUGUST = str(Path(__file__).resolve().parents[1] / "fixtures" / "air" / "blr-kaz-2022-08.ssim")
CASES.update(
    {
        "air flights": Case(
            ("{ssim}", "--from", "2022-07-04", "--to", "2022-07-10", "--carrier", "B2"),
            method="post",
            files=("file",),
        ),
        "air capacity": Case(
            ("{ssim}", "--from", "2022-07-04", "--to", "2022-07-17"),
            method="post",
            files=("file",),
        ),
        "air compare": Case(("{ssim}", SSIM_AUGUST), method="post", files=("season_a", "season_b")),
    }
)

# issue 18: exchange formats
CASES.update(
    {
        "agenda due": Case(("--within", "30d", "--as-of", "2022-12-05", "--db", "{db}")),
    }
)

# issue 18: claims history
CASES.update(
    {
        "claims history": Case(
            ("turnover-2021-above-1bn", "--lake", "{lake}"), fronts="history_fronts"
        )
    }
)


@pytest.fixture
def history_fronts(demo_fronts: Fronts) -> Fronts:
    """The demo fronts with one check recorded in the demo lake's claims history."""
    from bilat.claims import check_claims, record_check

    lake = demo_fronts.app.state.bilat.lake
    record_check(lake, check_claims(lake, "blr-kaz-2022"))
    return demo_fronts


# issue 18: rating ladder (a check compared with one recorded before it)
VARIANTS.update(
    {
        "claims check after a recorded one": (
            "claims check",
            Case(("blr-kaz-2022", "--lake", "{lake}", "--no-record"), fronts="history_fronts"),
        )
    }
)


# issue 18: grades
CASES.update(
    {
        "agenda grades": Case(("--as-of", "2022-12-31", "--db", "{db}")),
    }
)
VARIANTS.update(
    {
        "grades of one item": (
            "agenda grades",
            Case(("sugar-supplies-resume", "--as-of", "2022-12-31", "--db", "{db}")),
        ),
    }
)


# issue 18: indicators
CASES.update(
    {
        "agenda indicators": Case(("sugar-supplies-resume", "--lake", "{lake}", "--db", "{db}")),
    }
)
WRITES.update(
    {
        "agenda actual": "writes to the agenda database "
        "(POST /api/agenda/items/{id}/indicators/{key}/actuals)",
        "agenda indicator add": "writes to the agenda database (library and CLI)",
        "agenda indicator remove": "writes to the agenda database (library and CLI)",
    }
)


#: Read commands whose route is still being built (issue 14); emptied before it is resolved.
PENDING: frozenset[str] = frozenset()


def _walk(cmd: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    subs = getattr(cmd, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _walk(sub, (*path, name))
    else:
        yield " ".join(path), cmd


COMMANDS: dict[str, click.Command] = dict(_walk(typer.main.get_command(cli_app)))
READS = sorted(set(COMMANDS) - set(WRITES))


def test_every_command_is_a_read_or_a_write():
    assert set(WRITES) <= set(COMMANDS), set(WRITES) - set(COMMANDS)
    assert not set(CASES) & set(PENDING)
    assert set(READS) == set(CASES) | set(PENDING), set(READS) ^ (set(CASES) | set(PENDING))


def route_of(command: str) -> str:
    """``trade summary`` → ``/api/trade/summary``."""
    return "/api/" + command.replace(" ", "/")


def query_of(command: str, args: list[str]) -> dict[str, Any]:
    """The query parameters a command line gives: each parameter typed on it, by name."""
    cmd = COMMANDS[command]
    ctx = cmd.make_context(command, list(args), resilient_parsing=True)
    out: dict[str, Any] = {}
    for name, value in ctx.params.items():
        # typer may bring its own click: compare the source by name, not by enum class
        source = getattr(ctx.get_parameter_source(name), "name", None)
        if name in FRONT_ONLY or source != ParameterSource.COMMANDLINE.name:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return out


@dataclass(frozen=True)
class Fronts:
    """A signed-in web client of ``app``, and where the CLI finds the same data."""

    viewer: Any
    app: Any
    places: dict[str, str]


@pytest.fixture
def demo_fronts(demo_lake: Any, agenda_url: str, viewer: Any, app: Any) -> Fronts:
    from bilat.air import case_agreements_dir

    app.state.bilat.agenda()  # the app imports its case into the database the CLI reads
    ssim = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "blr-kaz-2022-07.ssim"
    places = {
        "lake": str(demo_lake.root),
        "db": agenda_url,
        "air": str(case_agreements_dir()),
        "air_before": str(case_agreements_dir().parent / "air-before"),
        "ssim": str(ssim),
    }
    return Fronts(viewer, app, places)


@pytest.fixture
def mirror_fronts(
    shared_data: Any, tmp_path: Any, accounts: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Fronts]:
    """A lake of synthetic declarations (labelled) and the real GeoDist, for the mirror."""
    from fastapi.testclient import TestClient
    from tests.reconcile.synthetic import declarations_table, namespace
    from tests.web.conftest import login

    from bilat.lake import Lake
    from bilat.sources.geodist import read_geodist
    from bilat.web import Settings, create_app

    geo_path = shared_data / "geo" / "dist_cepii.csv.gz"
    decl = namespace().make(read_geodist(geo_path), products=20).declarations
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(
        declarations_table(decl), kind="declarations", source="synthetic", name="mirror",
        synthetic=True,
    )  # fmt: skip
    monkeypatch.setenv("BILAT_GEODIST_FILE", str(geo_path))
    settings = Settings(agenda_url=f"sqlite:///{tmp_path / 'a.db'}", secret_key="k" * 32)
    app = create_app(settings, lake=lake, accounts=accounts)
    with TestClient(app) as client:
        login(client, "vera")
        yield Fronts(client, app, {"lake": str(lake.root), "geodist": str(geo_path)})


@pytest.mark.parametrize("command", sorted(CASES))
def test_cli_json_is_the_api_document(command, cli, request):
    _check(command, CASES[command], cli, request)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_more_options_give_one_document(variant, cli, request):
    command, case = VARIANTS[variant]
    _check(command, case, cli, request)


def _check(command: str, case: Case, cli: Any, request: Any) -> None:
    fronts: Fronts = request.getfixturevalue(case.fronts)
    viewer, app, places = fronts.viewer, fronts.app, fronts.places
    args = [a.format(**places) for a in case.args]
    out = cli(*command.split(), *args, "--json")
    assert out.exit_code == 0, out.stderr
    query = query_of(command, args)
    route = route_of(command)
    if case.method == "get":
        r = viewer.get(route, params=query)
    else:
        files = {k: open(query.pop(k), "rb") for k in case.files}  # noqa: SIM115
        r = viewer.post(route, data=query, files=files)
    assert r.status_code == 200, r.text
    assert _same(json.loads(out.stdout), r.json())
    model = _model(app, route, case.method)
    model.model_validate(r.json())


def _same(cli: Any, web: Any) -> bool:
    """Equal documents; floats equal to 12 digits (DuckDB's parallel sums of doubles are
    not reproducible to the last bit from one query to the next)."""
    if isinstance(cli, float) and isinstance(web, float):
        return cli == pytest.approx(web, rel=1e-12, abs=1e-9)
    if isinstance(cli, dict) and isinstance(web, dict):
        return cli.keys() == web.keys() and all(_same(cli[k], web[k]) for k in cli)
    if isinstance(cli, list) and isinstance(web, list):
        return len(cli) == len(web) and all(_same(x, y) for x, y in zip(cli, web, strict=True))
    return bool(cli == web and type(cli) is type(web))


def _routes(routes: Any) -> Iterator[Any]:
    # FastAPI 0.16x keeps an included router as one entry holding the router's own routes.
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else (route,)


def _model(app: Any, path: str, method: str) -> Any:
    for route in _routes(app.routes):
        if getattr(route, "path", None) == path and method.upper() in route.methods:
            model = route.response_model
            assert model is not None and hasattr(model, "model_validate"), path
            return model
    raise AssertionError(f"no {method.upper()} route at {path}")


@pytest.mark.parametrize("command", sorted(CASES))
def test_every_read_command_has_its_route(command, app):
    _model(app, route_of(command), CASES[command].method)
