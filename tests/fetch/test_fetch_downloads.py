"""BACI and GeoDist downloads: streamed, resumed after a drop, verified, cached."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bilat.acquire import acquire_baci
from bilat.errors import FetchError, InputError, NotFoundError
from bilat.lake import Lake
from bilat.sources.fetch import FetchConfig, baci_url, fetch_baci, fetch_geodist

ZIP_PATH = "/baci/BACI_HS17_V202401.zip"


def _baci_zip() -> bytes:
    """A tiny release in BACI's layout: thousands of USD, tons, numeric country codes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "BACI_HS17_Y2021_V202401.csv",
            "t,i,j,k,v,q\n2021,112,398,170410,1234.5,100.0\n2021,398,112,10121,2.0,NA\n",
        )
        zf.writestr(
            "BACI_HS17_Y2022_V202401.csv",
            "t,i,j,k,v,q\n2022,112,398,170410,2000.0,150.0\n",
        )
        # incompressible filler so that a drop lands in the middle of the body
        zf.writestr(
            "Readme.txt",
            hashlib.sha256(b"x").hexdigest() * 2000,
            compress_type=zipfile.ZIP_STORED,
        )
    return buf.getvalue()


def _ranged(data: bytes) -> Response:
    return Response(data, status=200, headers={"Accept-Ranges": "bytes"})


def _serve_ranges(data: bytes):  # type: ignore[no-untyped-def]
    def handle(request: Request) -> Response:
        rng = request.headers.get("Range")
        if not rng:
            return _ranged(data)
        start = int(rng.removeprefix("bytes=").rstrip("-"))
        return Response(
            data[start:],
            status=206,
            headers={"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"},
        )

    return handle


def test_baci_url_is_configuration(config: FetchConfig) -> None:
    assert baci_url("v202401", "HS2017", config=config).endswith(ZIP_PATH)
    assert FetchConfig().baci_url.endswith("BACI_{hs}_{release}.zip")
    with pytest.raises(InputError, match="not of the form V202401"):
        baci_url("2024", "HS17", config=config)


def test_baci_resumes_after_a_drop_and_ingests(
    dropped: Any, httpserver: HTTPServer, config: FetchConfig, tmp_path: Path
) -> None:
    data = _baci_zip()
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_response(dropped(data, 5000))
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_handler(_serve_ranges(data))
    seen: list[tuple[int, int | None]] = []
    lake = Lake.open(tmp_path / "lake", create=True)
    got = acquire_baci(
        "V202401", "HS17", config=config, lake=lake, progress=lambda d, t: seen.append((d, t))
    )
    result = got.fetch
    assert {r.years for r in got.ingested} == {(2021,), (2022,)}
    assert result.download.resumed
    assert httpserver.log[1][0].headers["Range"] == "bytes=5000-"
    assert result.download.sha256 == hashlib.sha256(data).hexdigest()
    assert seen[-1] == (len(data), len(data))
    flows = lake.flows().to_pandas()
    row = flows[(flows["exporter"] == "BLR") & (flows["year"] == 2021)].iloc[0]
    assert row["value_usd"] == pytest.approx(1_234_500.0)  # thousands → dollars
    assert row["product"] == "170410"
    assert set(flows["year"]) == {2021, 2022}
    # second run: found in the cache, nothing downloaded
    again = fetch_baci("V202401", "HS17", config=config)
    assert again.download.attempts == 0
    assert len(httpserver.log) == 2


def test_baci_years_ingests_only_those(
    httpserver: HTTPServer, config: FetchConfig, tmp_path: Path
) -> None:
    httpserver.expect_request(ZIP_PATH).respond_with_data(_baci_zip())
    lake = Lake.open(tmp_path / "lake", create=True)
    result = acquire_baci("V202401", "HS17", years=[2022], config=config, lake=lake).fetch
    assert [p.name for p in result.members] == ["BACI_HS17_Y2022_V202401.csv"]
    assert set(lake.flows().to_pandas()["year"]) == {2022}
    with pytest.raises(NotFoundError, match="holds no year 2019; its years are 2021-2022"):
        acquire_baci("V202401", "HS17", years=[2019], config=config, lake=lake)


def test_truncated_zip_is_refused_and_nothing_is_left(
    httpserver: HTTPServer, config: FetchConfig, sleeps: list[float]
) -> None:
    data = _baci_zip()
    httpserver.expect_request(ZIP_PATH).respond_with_data(data[: len(data) - 300])
    with pytest.raises(FetchError, match="damaged or truncated"):
        fetch_baci("V202401", "HS17", config=config)
    assert len(httpserver.log) == 3
    assert sleeps == [0.01, 0.02]
    assert list((config.cache_dir / "baci").iterdir()) == []


def test_truncated_then_good_zip(httpserver: HTTPServer, config: FetchConfig) -> None:
    data = _baci_zip()
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_data(data[:-300])
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_data(data)
    result = fetch_baci("V202401", "HS17", config=config)
    assert result.download.path.read_bytes() == data
    assert not result.download.resumed


def test_geodist_download(httpserver: HTTPServer, config: FetchConfig, shared_data: Path) -> None:
    data = (shared_data / "geo" / "dist_cepii.csv.gz").read_bytes()
    httpserver.expect_request("/geo/dist_cepii.csv.gz").respond_with_data(data)
    got = fetch_geodist(config=config, sha256=hashlib.sha256(data).hexdigest())
    assert got.path.name == "dist_cepii.csv.gz"
    assert got.path.read_bytes() == data
    assert fetch_geodist(config=config).attempts == 0
    assert len(httpserver.log) == 1


def test_the_stored_zip_reads_as_geodist(
    httpserver: HTTPServer, config: FetchConfig, shared_data: Path
) -> None:
    """CEPII's default download is ``dist_cepii.zip``: stored, found again, and read."""
    import dataclasses
    import gzip

    from bilat.sources.fetch.geodist import stored_geodist
    from bilat.sources.geodist import read_geodist

    cfg = dataclasses.replace(config, geodist_url=httpserver.url_for("/distance/dist_cepii.zip"))
    with pytest.raises(NotFoundError, match="no GeoDist file in the download cache"):
        stored_geodist(cfg)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        csv = gzip.decompress((shared_data / "geo" / "dist_cepii.csv.gz").read_bytes())
        zf.writestr("dist_cepii.csv", csv)
    httpserver.expect_request("/distance/dist_cepii.zip").respond_with_data(buf.getvalue())
    got = fetch_geodist(config=cfg)
    assert got.path == cfg.cache_dir / "geo" / "dist_cepii.zip"
    assert stored_geodist(cfg) == got.path
    geo = read_geodist(stored_geodist(cfg)).set_index(["exporter", "importer"])
    assert round(geo.at[("BLR", "KAZ"), "distw"]) == 3095
    assert round(geo.at[("BLR", "KAZ"), "distcap"]) == 2945


def test_checksum_mismatch(httpserver: HTTPServer, config: FetchConfig) -> None:
    httpserver.expect_request("/geo/dist_cepii.csv.gz").respond_with_data(b"not it")
    with pytest.raises(FetchError, match="checksum mismatch"):
        fetch_geodist(config=config, sha256="0" * 64)


def test_config_from_env(tmp_path: Path) -> None:
    env = {
        "BILAT_COMTRADE_URL": "http://127.0.0.1:9/",
        "BILAT_FETCH_RETRIES": "2",
        "BILAT_FETCH_BACKOFF": "0.5",
        "BILAT_COMTRADE_PREVIEW_MAX": "250",
    }
    cfg = FetchConfig.from_env(env, cache_dir=tmp_path)
    assert cfg.comtrade_endpoint(keyed=False) == "http://127.0.0.1:9/public/v1/preview/C/A/HS"
    assert (cfg.retries, cfg.backoff, cfg.max_records(keyed=False)) == (2, 0.5, 250)
    assert cfg.cache_dir == tmp_path
    with pytest.raises(InputError, match="BILAT_FETCH_RETRIES='many' is not a valid int"):
        FetchConfig.from_env({"BILAT_FETCH_RETRIES": "many"})
    with pytest.raises(InputError, match="retries must be at least 1"):
        FetchConfig.from_env({"BILAT_FETCH_RETRIES": "0"})


def test_server_ignoring_range_restarts_cleanly(
    httpserver: HTTPServer, config: FetchConfig, dropped: Any
) -> None:
    data = _baci_zip()
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_response(dropped(data, 7000))
    httpserver.expect_ordered_request(ZIP_PATH).respond_with_data(data)  # 200, whole body
    result = fetch_baci("V202401", "HS17", config=config)
    assert httpserver.log[1][0].headers["Range"] == "bytes=7000-"
    assert result.download.path.read_bytes() == data


def test_retry_after_as_http_date(
    httpserver: HTTPServer, config: FetchConfig, sleeps: list[float]
) -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    httpserver.expect_ordered_request("/geo/dist_cepii.csv.gz").respond_with_response(
        Response("wait", status=429, headers={"Retry-After": when})
    )
    httpserver.expect_ordered_request("/geo/dist_cepii.csv.gz").respond_with_data(b"a,b\n")
    fetch_geodist(config=config)
    assert sleeps == [config.max_wait]  # ~30 s asked, capped by max_wait


def test_damaged_state_file_is_a_parse_error(config: FetchConfig) -> None:
    from bilat.errors import ParseError
    from bilat.sources.fetch.comtrade import ComtradeQuery, fetch_comtrade

    folder = config.cache_dir / "comtrade"
    folder.mkdir(parents=True)
    (folder / "state.json").write_text("{not json")
    query = ComtradeQuery.build("BLR", "KAZ", [2021], level=2)
    with pytest.raises(ParseError, match=r"state\.json.*damaged.*delete it"):
        fetch_comtrade(query, config=config)
