"""``bilat fetch ...`` end to end against the local server, configured by environment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bilat.cli.fetch import parse_years
from bilat.errors import InputError

PREVIEW = "/public/v1/preview/C/A/HS"

pytestmark = pytest.mark.shared


@pytest.fixture
def env(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAT_COMTRADE_URL", httpserver.url_for("/"))
    monkeypatch.setenv("BILAT_GEODIST_URL", httpserver.url_for("/geo/dist_cepii.csv.gz"))
    monkeypatch.setenv("BILAT_FETCH_BACKOFF", "0.001")
    monkeypatch.setenv("BILAT_FETCH_MAX_WAIT", "0.01")
    monkeypatch.setenv("BILAT_FETCH_RETRIES", "2")


def test_parse_years() -> None:
    assert parse_years("2017-2019") == [2017, 2018, 2019]
    assert parse_years("2019,2017, 2018") == [2017, 2018, 2019]
    with pytest.raises(InputError, match="empty range"):
        parse_years("2019-2017")
    with pytest.raises(InputError, match="years must be a year between"):
        parse_years("last year")


def test_fetch_comtrade_command(
    comtrade_handler: Any,
    cli: Any,
    env: None,
    httpserver: HTTPServer,
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    httpserver.expect_request(PREVIEW).respond_with_handler(comtrade_handler(recorded))
    lake = str(tmp_path / "lake")
    args = ["fetch", "comtrade", "--reporter", "BLR", "--partner", "KAZ", "--years", "2021-2022"]
    res = cli(*args, "--flow", "M", "--level", "2", "--lake", lake)
    assert res.exit_code == 0, res.stderr
    assert "16 records in 4 files; 4 requests sent, 0 from the cache" in res.stdout
    again = cli(*args, "--flow", "M", "--level", "2", "--lake", lake, "--json")
    assert again.exit_code == 0
    out = json.loads(again.stdout)
    assert (out["fetch"]["fetched"], out["fetch"]["cached"], out["fetch"]["records"]) == (0, 4, 16)
    assert {r["status"] for r in out["ingested"]} == {"unchanged"}


def test_fetch_comtrade_partial_failure_exits_1(
    comtrade_handler: Any,
    cli: Any,
    env: None,
    httpserver: HTTPServer,
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    good = comtrade_handler(recorded)

    def handle(request: Request) -> Response:
        if request.args["period"] == "2022":
            return Response("busy", status=503)
        return good(request)

    httpserver.expect_request(PREVIEW).respond_with_handler(handle)
    res = cli(
        "fetch",
        "comtrade",
        "--reporter",
        "BLR",
        "--partner",
        "KAZ",
        "--years",
        "2021-2022",
        "--flow",
        "X",
        "--level",
        "2",
        "--lake",
        str(tmp_path / "lake"),
    )
    assert res.exit_code == 1
    assert "2 requests failed; what arrived was ingested" in res.stderr
    assert "8 records in 2 files" in res.stdout


@pytest.mark.parametrize("ingest", [True, False], ids=["ingest", "no-ingest"])
def test_fetch_comtrade_creates_the_lake_bilat_lake_names(
    comtrade_handler: Any,
    cli: Any,
    env: None,
    httpserver: HTTPServer,
    recorded: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ingest: bool,
) -> None:
    from bilat.lake import Lake

    httpserver.expect_request(PREVIEW).respond_with_handler(comtrade_handler(recorded))
    target = tmp_path / "new" / "lake"
    monkeypatch.setenv("BILAT_LAKE", str(target))
    args = ["fetch", "comtrade", "--reporter", "BLR", "--partner", "KAZ", "--years", "2021"]
    res = cli(*args, "--flow", "M", "--level", "2", *([] if ingest else ["--no-ingest"]))
    assert res.exit_code == 0, res.stderr
    assert target.exists() is ingest  # --no-ingest writes no lake
    if ingest:
        assert {e.kind for e in Lake.open(target).manifest()} == {"declarations"}


def test_fetch_comtrade_bad_input_exits_2(cli: Any, env: None) -> None:
    res = cli(
        "fetch",
        "comtrade",
        "--reporter",
        "BLR",
        "--partner",
        "KAZ",
        "--years",
        "2021",
        "--level",
        "5",
    )
    assert res.exit_code == 2
    assert "level must be one of 2, 4, 6; got 5" in res.stderr


def test_fetch_geodist_command(
    cli: Any, env: None, httpserver: HTTPServer, shared_data: Path
) -> None:
    data = (shared_data / "geo" / "dist_cepii.csv.gz").read_bytes()
    httpserver.expect_request("/geo/dist_cepii.csv.gz").respond_with_data(data)
    res = cli("fetch", "geodist", "--json")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert Path(out["path"]).read_bytes() == data
    assert out["bytes"] == len(data)


def test_help_texts(cli: Any) -> None:
    for cmd in ("comtrade", "baci", "geodist"):
        res = cli("fetch", cmd, "--help")
        assert res.exit_code == 0
        assert "Usage" in res.stdout


def test_fetch_baci_command_downloads_then_ingests(
    cli: Any, env: None, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.fetch.test_fetch_downloads import ZIP_PATH, _baci_zip

    monkeypatch.setenv("BILAT_BACI_URL", httpserver.url_for("/baci/BACI_{hs}_{release}.zip"))
    httpserver.expect_request(ZIP_PATH).respond_with_data(_baci_zip())
    lake = str(tmp_path / "lake")
    args = ("fetch", "baci", "--release", "V202401", "--hs", "HS17", "--lake", lake)
    res = cli(*args, "--years", "2022")
    assert res.exit_code == 0, res.stderr
    assert "BACI_HS17_V202401.zip (" in res.stdout and " bytes, downloaded)" in res.stdout
    assert "  ingested " in res.stdout and "BACI_HS17_Y2022_V202401.csv" in res.stdout
    again = cli(*args, "--json")
    out = json.loads(again.stdout)
    assert out["fetch"]["download"]["attempts"] == 0  # from the cache
    assert (out["fetch"]["release"], out["fetch"]["hs_rev"]) == ("V202401", "HS17")
    assert sorted(r["years"][0] for r in out["ingested"]) == [2021, 2022]
    only = cli(*args, "--no-ingest", "--json")
    assert json.loads(only.stdout)["ingested"] == []
