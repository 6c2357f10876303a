"""Benchmark: a market table (``bilat.trade.market``) warm, against DuckDB on the Parquet.

The lake is real: the shared Comtrade file of EU27 forestry imports 2018-2022 (173,358
rows, ``../shared/data/comtrade/eu27-forestry-imports-2018-2022.csv.gz``), ingested once
into a temporary lake. "Warm" means the trade view is open (its index built by a first
query); each timed query asks a *different* market (so no scope or frame of the view is
cached for it): the market's imports of HS 44 in 2021 by supplier, with growth over 1 and
5 years, Belarus flagged and its share of world exports.

Baseline: DuckDB reading the lake's Parquet directly and doing the same group-by (the
market's import declarations of HS 44 in 2021 and 2020, by partner, areas left out), with
no precedence, no coverage and no provenance: the cost of the bare query.

Runs alternate bilat, DuckDB, bilat, DuckDB ... over the markets; medians, the ratio, the
process's peak memory and the load average before and after are printed. Target: a warm
market table < 0.3 s.

With ``--baci``, the lake is instead one SYNTHETIC BACI-sized year (the ``benchmark``
sample preset: ~220 countries, 5,000 HS6 products, ~11 M flows, labelled synthetic),
the query HS 84 in each market's imports, and the baseline DuckDB's group-by on the flows'
Parquet.

    .venv/bin/python benchmarks/market.py [--repeat 2] [--baci]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import peak_rss_mb

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILE = SHARED / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz"
MARKETS = ["FIN", "DEU", "FRA", "ITA", "POL", "SWE", "AUT", "NLD", "BEL", "ESP", "DNK", "CZE"]


def baseline(con: object, glob: str, market: str) -> int:
    """The bare group-by on the Parquet (DuckDB), both years; returns the suppliers found."""
    from bilat.tradeview import AREAS  # the same vocabulary: which partners are not countries

    areas = ", ".join(f"'{a}'" for a in AREAS)
    sql = f"""
        SELECT partner, sum(value_usd) FILTER (WHERE year = 2021) AS now,
               sum(value_usd) FILTER (WHERE year = 2020) AS before
        FROM read_parquet('{glob}')
        WHERE reporter = ? AND flow = 'M' AND product LIKE '44%' AND year IN (2020, 2021)
          AND partner NOT IN ({areas}) AND partner <> reporter
        GROUP BY partner HAVING now > 0 ORDER BY now DESC
    """
    return len(con.execute(sql, [market]).fetchall())  # type: ignore[attr-defined]


def baseline_baci(con: object, glob: str, market: str) -> int:
    """The bare group-by of a market's HS 84 imports on the flows' Parquet (DuckDB)."""
    sql = f"""
        SELECT exporter, sum(value_usd) AS now FROM read_parquet('{glob}')
        WHERE importer = ? AND product LIKE '84%' AND exporter <> importer
        GROUP BY exporter HAVING now > 0 ORDER BY now DESC
    """
    return len(con.execute(sql, [market]).fetchall())  # type: ignore[attr-defined]


def baci_lake() -> tuple[object, str, int, str]:
    """A lake holding one SYNTHETIC BACI-sized year; its flows' Parquet glob, year, product."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake

    root = Path(tempfile.mkdtemp(prefix="bilat-market-baci-", suffix=f"-{os.getpid()}")) / "lake"
    lake = Lake.open(root, create=True)
    t = time.perf_counter()
    build_sample_lake(lake, "benchmark")
    print(f"built the SYNTHETIC benchmark year in {time.perf_counter() - t:.1f} s")
    return lake, str(root / "data" / "flows" / "*" / "*.parquet"), 2021, "84"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the markets")
    parser.add_argument("--baci", action="store_true", help="a SYNTHETIC BACI-sized year")
    args = parser.parse_args()
    if not args.baci and not FILE.exists():
        print(f"skipped: {FILE} is absent (only on the project's machines)")
        return
    import duckdb

    from bilat.lake import Lake
    from bilat.trade.market import market
    from bilat.tradeview import TradeView

    if args.baci:
        lake, glob, year, product = baci_lake()
        bare = baseline_baci
    else:
        root = Path(tempfile.mkdtemp(prefix="bilat-market-", suffix=f"-{os.getpid()}")) / "lake"
        lake = Lake.open(root, create=True)
        t = time.perf_counter()
        lake.ingest_comtrade(FILE)
        print(f"ingested {FILE.name} in {time.perf_counter() - t:.1f} s")
        glob = str(root / "data" / "declarations" / "*" / "*.parquet")
        year, product, bare = 2021, "44", baseline
    view = TradeView(lake)
    t = time.perf_counter()
    view.years()
    print(f"view opened (index built) in {time.perf_counter() - t:.2f} s")
    con = duckdb.connect()
    bare(con, glob, "EST")  # warm DuckDB's reader too
    load_before = os.getloadavg()
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.repeat):
        for m in MARKETS:
            t = time.perf_counter()
            got = market(lake, m, product=product, year=year, exporter="BLR", view=view)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            n = bare(con, glob, m)
            theirs.append(time.perf_counter() - t)
            assert n == got.n_suppliers, (m, n, got.n_suppliers)
    load_after = os.getloadavg()
    a, b = statistics.median(ours), statistics.median(theirs)
    first = ours[: len(MARKETS)]
    print(f"first round (each market asked once): bilat median {statistics.median(first):.3f} s")
    print(f"market table, warm, {len(ours)} queries: bilat median {a:.3f} s (max {max(ours):.3f})")
    print(f"DuckDB group-by on the Parquet:  median {b:.3f} s (max {max(theirs):.3f})")
    print(f"ratio bilat / DuckDB: {a / b:.1f}x; target < 0.3 s: {'met' if a < 0.3 else 'NOT met'}")
    print(f"peak memory {peak_rss_mb():.0f} MB; load average before {load_before[0]:.2f}, "
          f"after {load_after[0]:.2f} ({os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    import shutil

    try:
        main()
    finally:  # the temporary lakes this run made
        for made in Path(tempfile.gettempdir()).glob(f"bilat-market-*{os.getpid()}"):
            shutil.rmtree(made, ignore_errors=True)
