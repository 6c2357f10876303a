"""``--lake`` and ``BILAT_LAKE`` mean the same on every command (issue 12).

Each command that reads the lake reads the one BILAT_LAKE names (proved by the synthetic
banner or the lake's path in its output), and exits 2 naming the path when BILAT_LAKE names
no lake, creating nothing. Commands that write create the lake BILAT_LAKE names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bilat.lake import Lake
from bilat.sample import SampleSpec, build_sample_lake
from bilat.sample.spec import BASKET_CODES

BANNER = "SYNTHETIC SAMPLE DATA"
CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"

SMALL = SampleSpec(
    seed=5,
    years=(2019, 2020, 2021),
    countries=("BLR", "CHN", "DEU", "KAZ", "POL", "RUS"),
    products=120,
    required_products=BASKET_CODES,
)


@pytest.fixture(scope="module")
def data_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = Lake.open(tmp_path_factory.mktemp("cli-lake") / "lake", create=True)
    build_sample_lake(lake, SMALL)
    return lake


@pytest.fixture
def agenda_db(cli: Any, tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'agenda.db'}"
    r = cli("agenda", "import", str(CASE), "--db", db)
    assert r.exit_code == 0, r.stderr
    return db


#: Commands that read the lake: arguments (``{out}``, ``{db}``, ``{geo}`` filled per test).
READS: dict[str, list[str]] = {
    "trade summary": ["trade", "summary", "BLR", "KAZ", "--year", "2021"],
    "trade series": ["trade", "series", "BLR", "KAZ", "--years", "2020-2021"],
    "trade partners": ["trade", "partners", "BLR", "--year", "2021"],
    "trade mirror": ["trade", "mirror", "BLR", "KAZ", "--years", "2020-2021"],
    "potential markets": ["potential", "markets", "BLR", "--year", "2021", "--top", "2"],
    "potential products": ["potential", "products", "BLR", "KAZ", "--year", "2021"],
    "claims check": ["claims", "check", "blr-kaz-2022"],
    "brief": ["brief", "BLR", "KAZ", "--year", "2021", "-o", "{out}"],
    "agenda progress": ["agenda", "progress", "mtz-tractor-cab-plant", "--db", "{db}"],
    "sources": ["sources"],
}
#: Reads that need more than this lake to succeed: only their refusal of a missing lake is tested.
READS_REFUSED_ONLY: dict[str, list[str]] = {
    "potential gravity": ["potential", "gravity", "--years", "2020-2021"],
    "mirror report": ["mirror", "report", "BLR", "KAZ", "--geodist", "{geo}"],
    "mirror reconcile": ["mirror", "reconcile", "--geodist", "{geo}"],
    "serve": ["serve", "--port", "1"],
}


def _fill(args: list[str], tmp_path: Path, db: str) -> list[str]:
    geo = tmp_path / "geo.csv"
    return [a.format(out=tmp_path / "out", db=db, geo=geo) for a in args]


def _read_it(r: Any, lake: Lake, name: str) -> None:
    assert r.exit_code == 0, r.stderr
    if name == "sources":
        assert str(lake.root) in r.stdout and "synthetic" in r.stdout
    else:
        assert BANNER in r.stderr


@pytest.mark.parametrize("name", sorted(READS))
def test_read_command_reads_bilat_lake(
    cli: Any,
    data_lake: Lake,
    agenda_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    monkeypatch.setenv("BILAT_LAKE", str(data_lake.root))
    _read_it(cli(*_fill(READS[name], tmp_path, agenda_db)), data_lake, name)


@pytest.mark.parametrize("name", sorted(READS))
def test_read_command_reads_lake_option_over_bilat_lake(
    cli: Any,
    data_lake: Lake,
    agenda_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    empty = Lake.open(tmp_path / "empty-lake", create=True)
    monkeypatch.setenv("BILAT_LAKE", str(empty.root))
    args = [*_fill(READS[name], tmp_path, agenda_db), "--lake", str(data_lake.root)]
    _read_it(cli(*args), data_lake, name)


@pytest.mark.parametrize("name", sorted(READS | READS_REFUSED_ONLY))
def test_read_command_refuses_a_missing_bilat_lake(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    missing = tmp_path / "no" / "such" / "lake"
    monkeypatch.setenv("BILAT_LAKE", str(missing))
    args = (READS | READS_REFUSED_ONLY)[name]
    r = cli(*_fill(args, tmp_path, f"sqlite:///{tmp_path / 'a.db'}"))
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert f"no lake at {missing} (from BILAT_LAKE)" in r.stderr
    assert "bilat ingest" in r.stderr and "--lake" in r.stderr
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("flag", ["--home", "--lake"])
@pytest.mark.parametrize("command", ["trade", "claims", "brief"])
def test_an_explicit_flag_beats_bilat_lake(
    cli: Any,
    data_lake: Lake,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    command: str,
) -> None:
    monkeypatch.setenv("BILAT_LAKE", str(data_lake.root))
    missing = tmp_path / "home-without-lake"
    value = missing if flag == "--home" else missing / "lake"
    args = {
        "trade": ["trade", "summary", "BLR", "KAZ", "--year", "2021"],
        "claims": ["claims", "check", "blr-kaz-2022"],
        "brief": ["brief", "BLR", "KAZ", "--year", "2021", "-o", str(tmp_path / "out")],
    }[command]
    r = cli(*args, flag, str(value))
    assert r.exit_code == 2
    assert f"no lake at {missing / 'lake'};" in r.stderr


def test_default_lake_is_named_when_missing(cli: Any, _isolated_home: Path) -> None:
    r = cli("trade", "summary", "BLR", "KAZ", "--year", "2021")
    assert r.exit_code == 2
    assert f"no lake at {_isolated_home / 'lake'} (the default, $BILAT_HOME/lake)" in r.stderr
    assert not (_isolated_home / "lake").exists()


def test_json_error_names_the_path(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setenv("BILAT_LAKE", str(tmp_path / "typo"))
    r = cli("sources", "--json")
    assert r.exit_code == 2
    err = json.loads(r.stdout)
    assert err["error"] == "LakeNotFoundError"
    assert err["details"] == {"path": str(tmp_path / "typo"), "named_by": "BILAT_LAKE"}


def test_empty_lake_reads_say_so(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = Lake.open(tmp_path / "lake", create=True)
    monkeypatch.setenv("BILAT_LAKE", str(empty.root))
    r = cli("sources")
    assert r.exit_code == 0
    assert f"The lake at {empty.root} is empty" in r.stdout


@pytest.mark.parametrize("kind", ["baci", "csv"])
def test_ingest_creates_the_lake_bilat_lake_names(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    target = tmp_path / "new" / "lake"
    monkeypatch.setenv("BILAT_LAKE", str(target))
    if kind == "baci":
        f = tmp_path / "BACI_HS17_Y2021_V202301.csv"
        f.write_text("t,i,j,k,v,q\n2021,112,398,10121,5,1\n")
        r = cli("ingest", "baci", f)
    else:
        f = tmp_path / "national.csv"
        f.write_text("year,exporter,importer,product,value\n2021,BLR,KAZ,8701,2500000\n")
        args = ["--map", "year=year,exporter=exporter,importer=importer,product=product"]
        r = cli("ingest", "csv", f, args[0], args[1] + ",value=value", "--source", "belstat")
    assert r.exit_code == 0, r.stderr
    lake = Lake.open(target)
    assert [e.source for e in lake.manifest()] == (["baci"] if kind == "baci" else ["csv:belstat"])
    listed = cli("sources")
    assert listed.exit_code == 0 and str(lake.root) in listed.stdout


def test_ingest_refuses_a_folder_that_holds_other_files(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "thesis.docx").write_text("mine")
    f = tmp_path / "BACI_HS17_Y2021_V202301.csv"
    f.write_text("t,i,j,k,v,q\n2021,112,398,10121,5,1\n")
    r = cli("ingest", "baci", f, "--lake", tmp_path)
    assert r.exit_code == 2
    assert "holding other files" in r.stderr
    assert not (tmp_path / "manifest.json").exists() and not (tmp_path / "data").exists()


def test_serve_serves_bilat_lake_and_create_starts_one(
    cli: Any, data_lake: Lake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: served.append(app))
    monkeypatch.setenv("BILAT_LAKE", str(data_lake.root))
    assert cli("serve").exit_code == 0
    assert served[-1].state.bilat.lake.root == data_lake.root
    fresh = tmp_path / "fresh-lake"
    assert cli("serve", "--lake", fresh).exit_code == 2 and not fresh.exists()
    r = cli("serve", "--lake", fresh, "--create")
    assert r.exit_code == 0, r.stderr
    assert served[-1].state.bilat.lake.root == fresh.resolve()
    assert Lake.open(fresh).manifest() == []


def test_serve_takes_a_shipped_cases_name_like_brief_does(
    cli: Any, data_lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from bilat.cases import resolve_case

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: served.append(app))  # network edge
    monkeypatch.setenv("BILAT_LAKE", str(data_lake.root))
    r = cli("serve", "--case", "blr-kaz-2022")
    assert r.exit_code == 0, r.stderr
    assert served[-1].state.bilat.settings.case() == resolve_case("blr-kaz-2022")
    r = cli("serve", "--case", "no-such-case")
    assert r.exit_code == 2 and "blr-kaz-2022" in r.stderr  # names the shipped cases
