"""A local UN Comtrade / CEPII stand-in: a real HTTP server replaying recorded responses."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bilat.sources.fetch import FetchConfig

ISO = {"112": "BLR", "398": "KAZ", "156": "CHN", "32": "ARG"}


@pytest.fixture
def recorded(shared_data: Path) -> dict[str, Any]:
    """The recorded Comtrade API v1 response (China's imports, 2010)."""
    path = shared_data / "comtrade" / "api-response-chn-imports-2010.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def config(httpserver: HTTPServer, tmp_path: Path, sleeps: list[float]) -> FetchConfig:
    """Fetch settings aimed at the local server; waits are recorded, never slept."""
    return FetchConfig(
        comtrade_url=httpserver.url_for("/").rstrip("/"),
        baci_url=httpserver.url_for("/baci/BACI_{hs}_{release}.zip"),
        geodist_url=httpserver.url_for("/geo/dist_cepii.csv.gz"),
        retries=3,
        backoff=0.01,
        max_wait=0.05,
        timeout=5,
        cache_dir=tmp_path / "cache",
        sleep=sleeps.append,
    )


def dyad_records(recorded: dict[str, Any], request: Request) -> list[dict[str, Any]]:
    """The recorded record layout, re-keyed to what the request asked for.

    One record per asked code (``AGn`` answers the recorded count of records at codes
    01, 02, ...); the value is the recorded one divided by the code's rank, so each request
    gets distinct, known numbers.
    """
    args = request.args
    cmd = args["cmdCode"]
    codes = (
        [f"{i + 1:02d}" for i in range(len(recorded["data"]))]
        if cmd.startswith("AG")
        else (cmd.split(","))
    )
    base = recorded["data"][0]
    out = []
    for rank, code in enumerate(codes, start=1):
        rec = copy.deepcopy(base)
        rec.update(
            reporterCode=int(args["reporterCode"]),
            reporterISO=ISO[args["reporterCode"]],
            partnerCode=int(args["partnerCode"]),
            partnerISO=ISO[args["partnerCode"]],
            refYear=int(args["period"]),
            period=args["period"],
            refPeriodId=int(args["period"]) * 10000 + 101,
            flowCode=args["flowCode"],
            cmdCode=code,
            aggrLevel=len(code),
            primaryValue=base["primaryValue"] / rank,
            cifvalue=base["primaryValue"] / rank if args["flowCode"] == "M" else None,
            fobvalue=base["primaryValue"] / rank if args["flowCode"] == "X" else None,
        )
        out.append(rec)
    return out


def comtrade_handler(
    recorded: dict[str, Any], *, limit: int | None = None
) -> Callable[[Request], Response]:
    """Answer like the Comtrade API, truncating to ``maxRecords`` as the real one does."""

    def handle(request: Request) -> Response:
        rows = dyad_records(recorded, request)
        cap = int(request.args.get("maxRecords", "500"))
        rows = rows[: min(cap, limit or cap)]
        body = {"elapsedTime": "0.01 secs", "count": len(rows), "data": rows, "error": ""}
        return Response(json.dumps(body), content_type="application/json")

    return handle


def dropped(body: bytes, keep: int) -> Response:
    """A response announcing ``len(body)`` bytes that sends ``keep`` and drops the connection."""

    def stream() -> Any:
        yield body[:keep]
        raise ConnectionResetError("dropped mid-body (scripted)")

    return Response(stream(), headers={"Content-Length": str(len(body))})


@pytest.fixture(name="comtrade_handler")
def _comtrade_handler() -> Callable[..., Callable[[Request], Response]]:
    """The stand-in Comtrade API: ``comtrade_handler(recorded, limit=None)`` → handler."""
    return comtrade_handler


@pytest.fixture(name="dropped")
def _dropped() -> Callable[[bytes, int], Response]:
    """``dropped(body, keep)``: a response that drops the connection after ``keep`` bytes."""
    return dropped


@pytest.fixture(name="dyad_records")
def _dyad_records() -> Callable[[dict[str, Any], Request], list[dict[str, Any]]]:
    return dyad_records
