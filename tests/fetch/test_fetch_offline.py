"""Issue 13, item 14: an unreachable host fails at once, naming the URL; progress is shown.

No traffic leaves the machine: the unresolvable host is under the reserved ``.invalid``
top-level domain (RFC 2606: it never resolves), and the refused one is a loopback port that
was bound and closed again, so nothing listens on it.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from rich.filesize import decimal

from bilat.acquire import acquire_comtrade
from bilat.errors import HostUnreachableError
from bilat.lake import Lake
from bilat.sources.fetch import (
    ComtradeQuery,
    FetchConfig,
    fetch_baci,
    fetch_comtrade,
    fetch_geodist,
)

PREVIEW = "/public/v1/preview/C/A/HS"
OFFLINE = "http://bilat-offline.invalid"
SEVEN_YEARS = ["--reporter", "BLR", "--partner", "KAZ", "--years", "2017-2023"]

pytestmark = pytest.mark.shared


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_a_name_that_does_not_resolve_is_not_retried(
    config: FetchConfig, sleeps: list[float]
) -> None:
    offline = dataclasses.replace(config, comtrade_url=OFFLINE, retries=5)
    query = ComtradeQuery.build("BLR", "KAZ", range(2017, 2024))
    seen: list[tuple[int, int | None, int]] = []
    with pytest.raises(HostUnreachableError) as err:
        fetch_comtrade(query, config=offline, progress=lambda *a: seen.append(a))
    message = err.value.message
    assert message.startswith("cannot reach bilat-offline.invalid (offline?)")
    assert "does not resolve" in message
    assert f"{OFFLINE}{PREVIEW}?reporterCode=112&partnerCode=398" in message  # the failing URL
    assert err.value.details["url"].startswith(OFFLINE + PREVIEW)
    assert (err.value.details["done"], err.value.details["planned"]) == (0, 28)
    assert sleeps == []  # no retry waited
    assert seen == [(0, 28, 0)]  # the first request failed, the other 27 were not sent
    assert err.value.exit_code == 2


def test_a_refused_connection_is_not_retried(
    config: FetchConfig, sleeps: list[float], closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/geo/dist_cepii.csv.gz"
    refused = dataclasses.replace(config, geodist_url=url, retries=5)
    with pytest.raises(HostUnreachableError, match="refused") as err:
        fetch_geodist(config=refused)
    assert err.value.message.startswith(f"cannot reach 127.0.0.1:{closed_port} (offline?)")
    assert url in err.value.message
    assert sleeps == []
    assert not (config.cache_dir / "geo" / "dist_cepii.csv.gz.part").exists()
    baci = dataclasses.replace(
        config, baci_url=url.replace("geo/dist_cepii.csv.gz", "{hs}_{release}.zip")
    )
    with pytest.raises(HostUnreachableError, match=r"HS17_V202401\.zip"):
        fetch_baci("V202401", "HS17", config=baci)
    assert sleeps == []


def test_cached_responses_are_ingested_when_the_host_is_gone(
    comtrade_handler: Any,
    config: FetchConfig,
    httpserver: HTTPServer,
    recorded: dict[str, Any],
    sleeps: list[float],
    closed_port: int,
    tmp_path: Path,
) -> None:
    httpserver.expect_request(PREVIEW).respond_with_handler(comtrade_handler(recorded))
    one_year = ComtradeQuery.build("BLR", "KAZ", [2021], flows=["M"], level=2)
    fetch_comtrade(one_year, config=config)
    gone = dataclasses.replace(config, comtrade_url=f"http://127.0.0.1:{closed_port}")
    lake = Lake.open(tmp_path / "lake", create=True)
    two_years = ComtradeQuery.build("BLR", "KAZ", [2021, 2022], flows=["M"], level=2)
    got = acquire_comtrade(two_years, config=gone, lake=lake)
    result = got.fetch
    assert result.unreachable is not None and "cannot reach 127.0.0.1" in result.unreachable
    assert result.cached == 2 and result.fetched == 0 and len(result.failed) == 1
    assert {r.status for r in got.ingested} == {"ingested"}
    assert set(lake.declarations().year.to_pyarrow().to_pylist()) == {2021}
    assert sleeps == []


def test_offline_comtrade_through_the_cli(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAT_COMTRADE_URL", OFFLINE)
    monkeypatch.setenv("BILAT_FETCH_BACKOFF", "0.001")
    res = cli("fetch", "comtrade", *SEVEN_YEARS, "--no-ingest")
    assert res.exit_code == 2, res.stderr
    assert "Comtrade requests: 0/28 requests done" in res.stderr  # said before the first try
    assert "error: cannot reach bilat-offline.invalid (offline?)" in res.stderr
    assert f"{OFFLINE}{PREVIEW}?reporterCode=112" in res.stderr


def test_refused_geodist_through_the_cli(
    cli: Any, monkeypatch: pytest.MonkeyPatch, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/geo/dist_cepii.csv.gz"
    monkeypatch.setenv("BILAT_GEODIST_URL", url)
    res = cli("fetch", "geodist")
    assert res.exit_code == 2, res.stderr
    assert f"error: cannot reach 127.0.0.1:{closed_port} (offline?)" in res.stderr
    assert url in res.stderr


def test_progress_lines_while_fetching(
    cli: Any,
    comtrade_handler: Any,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    recorded: dict[str, Any],
    shared_data: Path,
) -> None:
    monkeypatch.setenv("BILAT_COMTRADE_URL", httpserver.url_for("/"))
    httpserver.expect_request(PREVIEW).respond_with_handler(comtrade_handler(recorded))
    res = cli("fetch", "comtrade", *SEVEN_YEARS[:4], "--years", "2021-2022", "--flow", "M",
              "--level", "2", "--no-ingest")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert "Comtrade requests: 0/4 requests done, 0 bytes received" in res.stderr
    last = re.findall(r"Comtrade requests: 4/4 requests done, ([\d.]+ kB) received", res.stderr)
    assert len(last) == 1, res.stderr
    data = (shared_data / "geo" / "dist_cepii.csv.gz").read_bytes()
    httpserver.expect_request("/geo/dist_cepii.csv.gz").respond_with_data(data)
    monkeypatch.setenv("BILAT_GEODIST_URL", httpserver.url_for("/geo/dist_cepii.csv.gz"))
    res = cli("fetch", "geodist")
    assert res.exit_code == 0, res.stderr
    assert "CEPII GeoDist: 0 bytes downloaded" in res.stderr
    size = decimal(len(data))  # the CLI's own size format
    assert f"CEPII GeoDist: {size} of {size} downloaded" in res.stderr
