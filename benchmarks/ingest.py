"""Ingest benchmark: `bilat ingest baci` on a generated 11-million-row BACI year.

Baselines, measured in the same run on the same file:
  (a) pandas `read_csv` + `to_parquet` (what a hand-rolled script does);
  (b) DuckDB's own CSV-to-Parquet `COPY` (the floor: no validation, no code mapping).
Targets (issue 2): >= 5x faster than pandas, <= 1.5x DuckDB's COPY, peak memory < 2 GB.

    python benchmarks/ingest.py                 # the full 11M-row year
    python benchmarks/ingest.py --preset demo   # a small world, for a quick look
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, baci_year, emit, run_child


def child(which: str, csv_path: str, out: str) -> None:
    start = time.perf_counter()
    if which == "bilat":
        from bilat.lake import Lake

        rows = sum(r.rows for r in Lake.open(out, create=True).ingest_baci(csv_path))
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
    emit({"run": which, "seconds": time.perf_counter() - start, "rows": rows})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="benchmark", help="sample preset: benchmark or demo")
    ap.add_argument("--child", nargs=3, metavar=("RUN", "CSV", "OUT"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    csv_path = baci_year(args.preset)
    size_mb = csv_path.stat().st_size / 1e6
    results = {}
    for which in ("duckdb", "bilat", "pandas"):
        out = WORK / f"out-{which}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        results[which] = run_child(Path(__file__), which, str(csv_path), str(out))
        r = results[which]
        print(
            f"{which:7s} {r['seconds']:7.2f} s  {r['rows']:>11,} rows  peak {r['peak_mb']:7.0f} MB"
        )
    ours = results["bilat"]["seconds"]
    print(f"\nfile: {size_mb:,.0f} MB, {results['bilat']['rows']:,} rows")
    print(f"bilat vs pandas : {results['pandas']['seconds'] / ours:5.2f}x faster (target >= 5x)")
    print(
        f"bilat vs duckdb : {ours / results['duckdb']['seconds']:5.2f}x the COPY time (target <= 1.5x)"
    )
    print(f"bilat peak memory: {results['bilat']['peak_mb']:,.0f} MB (target < 2,000 MB)")


if __name__ == "__main__":
    main()
