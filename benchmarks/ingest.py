"""Ingest benchmark: `bilat ingest baci` on a generated 11-million-row BACI year.

Baselines, measured in the same run on the same file, each in a fresh process, interleaved
(polars, duckdb, pandas, bilat, bilat-exact, then again):
  polars  `pl.scan_csv(path, null_values=["NA"]).sink_parquet(out)`: streaming, no checks
          (``null_values`` because BACI writes a missing quantity as ``NA``; without it
          polars refuses the file);
  duckdb  DuckDB's own CSV-to-Parquet `COPY`: no validation, no code mapping;
  pandas  `read_csv` + `to_parquet`, what a hand-rolled script does (left out by --quick).
Ours:
  bilat        `Lake.ingest("baci", path)`: the fast path (polars) with every check;
  bilat-exact  the same with ``BILAT_INGEST_FAST=0``: the exact path alone (before issue 20).
Target (issue 20): bilat <= 1.2x the fastest baseline of the same round, peak < 1 GB.

The generated year holds rows of product 999999, which is no HS code: bilat refuses them
(as it would in a real file), so the benchmark measures a clean copy without them (made once,
next to the generated file; the rows dropped are counted in the output).

    python benchmarks/ingest.py                 # the 11M-row year, 3 rounds
    python benchmarks/ingest.py --quick         # 1 round, no pandas
    python benchmarks/ingest.py --preset demo   # a small world, for a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, baci_year, emit, run_child

BASELINES = ("polars", "duckdb", "pandas")
OURS = ("bilat", "bilat-exact")


def child(which: str, csv_path: str, out: str) -> None:
    start = time.perf_counter()
    if which in OURS:
        if which == "bilat-exact":
            os.environ["BILAT_INGEST_FAST"] = "0"
        from bilat.lake import Lake

        rows = sum(r.rows for r in Lake.open(out, create=True).ingest("baci", csv_path))
    elif which == "polars":
        import polars as pl

        target = Path(out) / "polars.parquet"
        pl.scan_csv(csv_path, null_values=["NA"]).sink_parquet(target)
        rows = pl.scan_parquet(target).select(pl.len()).collect().item()
    elif which == "pandas":
        import pandas as pd

        df = pd.read_csv(csv_path, dtype={"k": "int64"}, na_values=["NA"])
        df.to_parquet(Path(out) / "pandas.parquet")
        rows = len(df)
    elif which == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path}', header=true)) "
            f"TO '{Path(out) / 'duckdb.parquet'}' (FORMAT parquet)"
        )
        rows = con.execute(f"SELECT count(*) FROM '{Path(out) / 'duckdb.parquet'}'").fetchone()[0]
    else:
        raise SystemExit(f"unknown run {which}")
    use = resource.getrusage(resource.RUSAGE_SELF)
    cpu = use.ru_utime + use.ru_stime  # all threads: less disturbed by a busy machine
    emit({"run": which, "seconds": time.perf_counter() - start, "rows": rows, "cpu_s": cpu})


def clean_copy(raw: Path) -> tuple[Path, int]:
    """The generated year without its product-999999 rows (made once), and how many went."""
    import polars as pl

    target = raw.with_name(raw.stem + "-clean.csv")
    if not target.exists():
        text = pl.scan_csv(raw, infer_schema=False)
        part = target.with_name(target.name + ".part")
        text.filter(pl.col("k") != "999999").sink_csv(part)
        part.replace(target)

    def lines(p: Path) -> int:
        with p.open("rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b""))

    return target, lines(raw) - lines(target)


def one(which: str, csv_path: Path) -> dict[str, Any]:
    out = WORK / f"out-{which}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    load = os.getloadavg()[0]
    r = run_child(Path(__file__), which, str(csv_path), str(out))
    shutil.rmtree(out, ignore_errors=True)
    r["load"] = load
    print(
        f"  {which:12s} {r['seconds']:7.2f} s  cpu {r['cpu_s']:6.2f} s  {r['rows']:>11,} rows  "
        f"peak {r['peak_mb']:7.0f} MB  load {load:4.1f}",
        flush=True,
    )
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="benchmark", help="sample preset: benchmark or demo")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one round, no pandas")
    ap.add_argument("--child", nargs=3, metavar=("RUN", "CSV", "OUT"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    csv_path, dropped = clean_copy(baci_year(args.preset))
    runs = [r for r in (*BASELINES, *OURS) if not (args.quick and r == "pandas")]
    rounds = 1 if args.quick else args.rounds
    print(
        f"file: {csv_path} ({csv_path.stat().st_size / 1e6:,.0f} MB; {dropped:,} rows of "
        "product 999999 dropped from the generated year)"
    )
    results: dict[str, list[dict[str, Any]]] = {r: [] for r in runs}
    ratios: dict[str, list[float]] = {r: [] for r in OURS}
    for n in range(rounds):
        print(f"round {n + 1}/{rounds}")
        got = {which: one(which, csv_path) for which in runs}
        for which in runs:
            results[which].append(got[which])
        fastest = min(got[b]["seconds"] for b in BASELINES if b in got)
        for which in OURS:
            ratios[which].append(got[which]["seconds"] / fastest)
    report(results, ratios)


def report(results: dict[str, list[dict[str, Any]]], ratios: dict[str, list[float]]) -> None:
    head = f"{'run':12s} {'median s':>9s} {'min s':>7s} {'cpu s':>7s} {'peak MB':>8s}"
    print(f"\n{head} {'vs fastest':>11s}")
    for which, rs in results.items():
        secs = [r["seconds"] for r in rs]
        cpu = statistics.median(r["cpu_s"] for r in rs)
        vs = f"{statistics.median(ratios[which]):.2f}x" if which in ratios else "baseline"
        peak = max(r["peak_mb"] for r in rs)
        line = f"{which:12s} {statistics.median(secs):9.2f} {min(secs):7.2f} {cpu:7.2f} {peak:8.0f}"
        print(f"{line} {vs:>11s}")
    loads = [r["load"] for rs in results.values() for r in rs]
    print(
        f"\nload average (1 min) at the runs: {min(loads):.1f}-{max(loads):.1f} on "
        f"{os.cpu_count()} cores"
    )
    each = ", ".join(f"{x:.2f}" for x in ratios["bilat"])
    print(f"bilat / fastest baseline, per round: {each} (target <= 1.2x)")
    peak = max(r["peak_mb"] for r in results["bilat"])
    print(f"bilat peak memory: {peak:,.0f} MB (target < 1,000 MB)")


if __name__ == "__main__":
    main()
