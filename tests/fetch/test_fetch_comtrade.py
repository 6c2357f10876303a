"""The Comtrade fetcher against a local server: recorded responses and scripted faults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bilat.acquire import acquire_comtrade
from bilat.errors import FetchError, InputError
from bilat.lake import Lake
from bilat.sources.fetch import ComtradeQuery, FetchConfig, fetch_comtrade, plan_requests

PREVIEW = "/public/v1/preview/C/A/HS"
KEYED = "/data/v1/get/C/A/HS"

pytestmark = pytest.mark.shared


def _query(**kw: Any) -> ComtradeQuery:
    args: dict[str, Any] = {"flows": ("M",), "level": 2}
    args.update(kw)
    return ComtradeQuery.build("BLR", "KAZ", [2021, 2022], **args)


def test_query_validation() -> None:
    with pytest.raises(InputError, match="both BLR"):
        ComtradeQuery.build("BLR", "blr", [2021])
    with pytest.raises(InputError, match="flows must be among X, M"):
        ComtradeQuery.build("BLR", "KAZ", [2021], flows=("Q",))
    with pytest.raises(InputError, match="level must be one of 2, 4, 6"):
        ComtradeQuery.build("BLR", "KAZ", [2021], level=3)
    q = ComtradeQuery.build("blr", "Kazakhstan", [2022, 2021, 2022])
    assert (q.reporter, q.partner, q.years) == ("BLR", "KAZ", (2021, 2022))
    # both directions, every year and flow
    assert len(plan_requests(q)) == 8


def test_fetch_recorded_response_verbatim_and_ingest(
    httpserver: HTTPServer, config: FetchConfig, recorded: dict[str, Any], tmp_path: Path
) -> None:
    httpserver.expect_request(PREVIEW).respond_with_json(recorded)
    query = ComtradeQuery.build("CHN", "ARG", [2010], flows=("M",), level=2, mirror=False)
    lake = Lake.open(tmp_path / "lake", create=True)
    got = acquire_comtrade(query, config=config, lake=lake)
    result = got.fetch
    assert (result.fetched, result.cached, result.records) == (1, 0, 4)
    assert json.loads(result.files[0].read_text()) == recorded
    sent = httpserver.log[0][0].args
    assert (sent["reporterCode"], sent["partnerCode"], sent["period"]) == ("156", "32", "2010")
    assert sent["cmdCode"] == "AG2"
    rows = lake.declarations().to_pyarrow().to_pylist()
    chn_arg_m = [r for r in rows if (r["reporter"], r["partner"], r["flow"]) == ("CHN", "ARG", "M")]
    assert chn_arg_m[0]["value_usd"] == 6804128143.0
    assert got.ingested[0].rows == len(rows)
    assert acquire_comtrade(query, config=config, lake=None).ingested == ()  # download only


def test_dyad_and_mirror_in_one_call(
    comtrade_handler: Any,
    httpserver: HTTPServer,
    config: FetchConfig,
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    httpserver.expect_request(PREVIEW).respond_with_handler(comtrade_handler(recorded))
    lake = Lake.open(tmp_path / "lake", create=True)
    result = acquire_comtrade(_query(flows=("X", "M")), config=config, lake=lake).fetch
    assert result.planned == result.fetched == 8
    reporters = {(r[0].args["reporterCode"], r[0].args["partnerCode"]) for r in httpserver.log}
    assert reporters == {("112", "398"), ("398", "112")}
    decl = lake.declarations().to_pandas()
    assert set(zip(decl["reporter"], decl["partner"], strict=True)) == {
        ("BLR", "KAZ"),
        ("KAZ", "BLR"),
    }
    assert len(decl) == 8 * 4
    assert sorted(decl["year"].unique()) == [2021, 2022]


def test_rerun_fetches_only_what_is_missing(
    comtrade_handler: Any,
    httpserver: HTTPServer,
    config: FetchConfig,
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    good = comtrade_handler(recorded)

    def flaky(request: Request) -> Response:
        if request.args["reporterCode"] == "398" and request.args["period"] == "2022":
            return Response("upstream down", status=503)
        return good(request)

    httpserver.expect_request(PREVIEW).respond_with_handler(flaky)
    lake = Lake.open(tmp_path / "lake", create=True)
    first = acquire_comtrade(_query(), config=config, lake=lake).fetch
    assert first.fetched == 3
    assert len(first.failed) == 1
    assert "HTTP 503" in first.failed[0].reason
    assert "KAZ-BLR-2022-M" in first.failed[0].key
    assert lake.declarations().count().to_pyarrow().as_py() == 3 * 4  # what arrived is in
    httpserver.clear()
    httpserver.expect_request(PREVIEW).respond_with_handler(good)
    second = acquire_comtrade(_query(), config=config, lake=lake).fetch
    assert (second.fetched, second.cached, second.failed) == (1, 3, ())
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].args["reporterCode"] == "398"
    assert lake.declarations().count().to_pyarrow().as_py() == 4 * 4


def test_429_honours_retry_after(
    httpserver: HTTPServer, config: FetchConfig, recorded: dict[str, Any], sleeps: list[float]
) -> None:
    httpserver.expect_ordered_request(PREVIEW).respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "0.03"})
    )
    httpserver.expect_ordered_request(PREVIEW).respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "7"})
    )
    httpserver.expect_ordered_request(PREVIEW).respond_with_json(recorded)
    query = ComtradeQuery.build("CHN", "ARG", [2010], flows=("M",), level=2, mirror=False)
    result = fetch_comtrade(query, config=config)
    assert result.records == 4
    # "0.03" is not delta-seconds: plain backoff (0.01); "7" is capped at max_wait (0.05)
    assert sleeps == [0.01, 0.05]


def test_500s_back_off_then_give_up(
    httpserver: HTTPServer, config: FetchConfig, sleeps: list[float]
) -> None:
    httpserver.expect_request(PREVIEW).respond_with_data("boom", status=500)
    query = ComtradeQuery.build("CHN", "ARG", [2010], flows=("M",), level=2, mirror=False)
    with pytest.raises(FetchError, match=r"failed after 3 attempts \(last: HTTP 500\)"):
        fetch_comtrade(query, config=config)
    assert sleeps == [0.01, 0.02]
    assert len(httpserver.log) == 3


def test_connection_dropped_mid_body_is_retried(
    dropped: Any, httpserver: HTTPServer, config: FetchConfig, recorded: dict[str, Any]
) -> None:
    body = json.dumps(recorded).encode()
    httpserver.expect_ordered_request(PREVIEW).respond_with_response(dropped(body, 100))
    httpserver.expect_ordered_request(PREVIEW).respond_with_json(recorded)
    query = ComtradeQuery.build("CHN", "ARG", [2010], flows=("M",), level=2, mirror=False)
    result = fetch_comtrade(query, config=config)
    assert json.loads(result.files[0].read_text())["count"] == 4
    assert len(httpserver.log) == 2


def test_unauthorised_is_not_retried(
    httpserver: HTTPServer, config: FetchConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_COMTRADE_KEY", "wrong")
    httpserver.expect_request(KEYED).respond_with_data("denied", status=401)
    query = ComtradeQuery.build("CHN", "ARG", [2010], flows=("M",), level=2, mirror=False)
    with pytest.raises(FetchError, match="HTTP 401: the API key was refused"):
        fetch_comtrade(query, config=config, key_env="MY_COMTRADE_KEY")
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].headers["Ocp-Apim-Subscription-Key"] == "wrong"


def test_keyed_endpoint_and_missing_key(
    comtrade_handler: Any,
    httpserver: HTTPServer,
    config: FetchConfig,
    recorded: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(InputError, match="NO_SUCH_KEY is not set"):
        fetch_comtrade(_query(), config=config, key_env="NO_SUCH_KEY")
    monkeypatch.setenv("MY_COMTRADE_KEY", "secret")
    httpserver.expect_request(KEYED).respond_with_handler(comtrade_handler(recorded))
    result = fetch_comtrade(_query(), config=config, key_env="MY_COMTRADE_KEY")
    assert result.keyed
    assert result.fetched == 4
    assert {r[0].args["maxRecords"] for r in httpserver.log} == {"100000"}


def test_truncated_preview_is_split_under_the_record_limit(
    comtrade_handler: Any,
    httpserver: HTTPServer,
    config: FetchConfig,
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    cfg = replace(config, preview_max_records=40)
    httpserver.expect_request(PREVIEW).respond_with_handler(
        comtrade_handler({**recorded, "data": recorded["data"] * 20})  # 80 codes for AG2
    )
    query = ComtradeQuery.build("BLR", "KAZ", [2021], flows=("X",), level=2, mirror=False)
    lake = Lake.open(tmp_path / "lake", create=True)
    result = acquire_comtrade(query, config=cfg, lake=lake).fetch
    assert result.split == 1
    asked = [r[0].args["cmdCode"] for r in httpserver.log]
    assert asked[0] == "AG2"
    lists = [a.split(",") for a in asked[1:]]
    assert all(len(codes) <= 39 for codes in lists)
    covered = [c for codes in lists for c in codes]
    assert len(covered) == len(set(covered)) >= 97  # every HS chapter, each once
    assert result.records == len(covered)
    # rerun, even with another record limit: the split parent and its children are cached
    again = fetch_comtrade(query, config=replace(cfg, preview_max_records=500))
    assert again.fetched == 0
    assert again.records == result.records
    assert len(httpserver.log) == len(asked)


def test_records_template_matches_request(dyad_records: Any, recorded: dict[str, Any]) -> None:
    # the stand-in server keeps the recorded layout: every API field is still there
    req = Request.from_values(
        query_string={
            "reporterCode": "112",
            "partnerCode": "398",
            "period": "2021",
            "flowCode": "X",
            "cmdCode": "AG2",
        }
    )
    rows = dyad_records(recorded, req)
    assert set(rows[0]) == set(recorded["data"][0])
    assert rows[0]["reporterISO"] == "BLR"
