"""Load test of the web app: the dyad overview API at 50 concurrent clients on loopback.

The server (``bilat.web`` under uvicorn) runs in a child process on 127.0.0.1; this process
is the client (asyncio keep-alive connections, a bounded number of requests). It reports throughput and
p50/p95/p99 latency of ``GET /api/trade/overview?a=A&b=B&year=Y`` with results cached per
(dyad, year, lake version), against the named baseline **uncached overview**: the same
overview computed by the library on every request (``TradeData`` with a fresh cache),
timed in this process. Target: p95 under 200 ms on a BACI-sized year (~11 million rows).

Usage::

    python benchmarks/web_load.py                      # builds the benchmark lake once (slow)
    python benchmarks/web_load.py --lake PATH --year 2021 --requests 3000

Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WORK = Path(os.environ.get("BILAT_BENCH_DIR", Path(__file__).resolve().parent / "_work"))
PASSWORD = "benchmark-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lake(path: Path | None) -> Any:
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake

    lake = Lake.open(path or WORK / "web-lake", create=True)
    if not lake.manifest():
        print(f"building the benchmark lake (~11 million rows) in {lake.root} ...", flush=True)
        build_sample_lake(lake, "benchmark")
    return lake


def serve(lake: str, port: int, home: str) -> None:
    """Child process: the web app on 127.0.0.1:port."""
    import uvicorn

    from bilat.web import Settings, create_app

    settings = Settings(
        lake_path=Path(lake),
        agenda_url=f"sqlite:///{home}/agenda.db",
        users_url=f"sqlite:///{home}/web.db",
        secret_key="benchmark-secret-key-0123456789",
    )
    uvicorn.run(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )


def _percentile(sorted_ms: list[float], q: float) -> float:
    idx = min(len(sorted_ms) - 1, max(0, round(q / 100 * len(sorted_ms)) - 1))
    return sorted_ms[idx]


async def _one_connection(
    host: str, port: int, request: bytes, counter: list[int]
) -> tuple[list[float], int]:
    # A minimal HTTP/1.1 keep-alive client: one connection, requests one after another.
    # Lighter than a general client, so the numbers are the server's, not the client's.
    reader, writer = await asyncio.open_connection(host, port)
    latencies: list[float] = []
    errors = 0
    try:
        while counter[0] > 0:
            counter[0] -= 1
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += status != 200
    finally:
        writer.close()
    return latencies, errors


async def _load(
    base: str, path: str, cookie: str, n: int, clients: int
) -> tuple[list[float], float, int]:
    host, port = base.removeprefix("http://").split(":")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: bilat_session={cookie}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    counter = [n]
    start = time.perf_counter()
    results = await asyncio.gather(
        *(_one_connection(host, int(port), request, counter) for _ in range(clients))
    )
    wall = time.perf_counter() - start
    latencies = [x for lat, _ in results for x in lat]
    return latencies, wall, sum(e for _, e in results)


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _wait(base: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx

    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("the server process exited; see its output above")
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start within 120 s")


def _baseline(lake: Any, a: str, b: str, year: int, runs: int) -> list[float]:
    from bilat.web.data import TradeData

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        TradeData(lake).overview(a, b, year)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--lake", type=Path, default=None)
    p.add_argument("--year", type=int, default=None, help="default: the lake's latest year")
    p.add_argument("--a", default="BLR")
    p.add_argument("--b", default="KAZ")
    p.add_argument("--requests", type=int, default=3000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--baseline-runs", type=int, default=3)
    p.add_argument("--serve", nargs=3, metavar=("LAKE", "PORT", "HOME"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2])
        return
    import httpx

    from bilat.web import Accounts

    lake = _lake(args.lake)
    entries = [e for e in lake.manifest() if e.kind == "flows"]
    year = args.year or max(y for e in entries for y in e.years)
    rows = sum(e.rows for e in entries if year in e.years)
    print(f"lake {lake.root}: {rows:,} flow rows in {year}; dyad {args.a}-{args.b}")

    base_ms = _baseline(lake, args.a, args.b, year, args.baseline_runs)
    with tempfile.TemporaryDirectory() as home:
        Accounts.open(f"sqlite:///{home}/web.db").add("bench", PASSWORD, role="viewer")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "BILAT_HOME": home}
        cmd = [sys.executable, __file__, "--serve", str(lake.root), str(port), home]
        proc = subprocess.Popen(cmd, env=env)
        try:
            _wait(base, proc)
            login = httpx.post(
                f"{base}/api/login", json={"username": "bench", "password": PASSWORD}
            )
            cookie = login.cookies["bilat_session"]
            path = f"/api/trade/overview?a={args.a}&b={args.b}&year={year}"
            t0 = time.perf_counter()
            first = httpx.get(base + path, cookies={"bilat_session": cookie}, timeout=600)
            cold_ms = (time.perf_counter() - t0) * 1000
            first.raise_for_status()
            lat, wall, errors = asyncio.run(_load(base, path, cookie, args.requests, args.clients))
            server_peak = _vm_hwm_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    lat.sort()
    p50, p95, p99 = (_percentile(lat, q) for q in (50, 95, 99))
    baseline = statistics.median(base_ms)
    print(f"requests {len(lat)} at {args.clients} concurrent clients, errors {errors}")
    print(f"throughput {len(lat) / wall:,.0f} requests/s over {wall:.1f} s")
    print(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {lat[-1]:.1f}")
    print(f"first (cold, computes and caches) request: {cold_ms:,.0f} ms")
    print(f"baseline 'uncached overview' (library, per request): median {baseline:,.0f} ms")
    print(f"ratio baseline / cached p50: {baseline / p50:,.0f}x")
    print(f"target p95 < 200 ms: {'met' if p95 < 200 else 'NOT met'}")
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory MB: client+baseline {client_peak:,.0f}, server {server_peak or 0:,.0f}")


if __name__ == "__main__":
    main()
