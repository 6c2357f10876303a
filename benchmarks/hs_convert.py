"""Benchmark: converting HS2022 flows to HS2017 (``bilat.codes.concordance.convert_flows``).

bilat: ``convert_flows`` on an Ibis/DuckDB table over Parquet (share table as a memtable,
join, multiply, group). Baseline: the straightforward pandas approach (read the Parquet
file, merge with the link table carrying equal-split shares, multiply, groupby-sum). Each
runs in its own process so its peak memory is its own; both check value conservation.

    .venv/bin/python benchmarks/hs_convert.py [--rows 2000000]

Needs the UNSD table ../shared/data/hs/unsd-hs2022-hs2017-correlation.xlsx.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, emit, run_child

TABLE = Path(__file__).resolve().parents[2] / "shared/data/hs/unsd-hs2022-hs2017-correlation.xlsx"


def build(rows: int) -> Path:
    """Generate HS2022 flows once: 60 countries, 2 years, every HS2022 subheading."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bilat.codes.concordance import Concordance

    path = WORK / f"hs22-flows-{rows}.parquet"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    codes = np.array(sorted(Concordance.from_unsd_xlsx(TABLE).links))
    rng = np.random.default_rng(1)
    countries = np.array([f"C{i:02d}" for i in range(60)])
    table = pa.table(
        {
            "year": rng.choice([2022, 2023], rows).astype("int16"),
            "exporter": countries[rng.integers(0, 60, rows)],
            "importer": countries[rng.integers(0, 60, rows)],
            "product": codes[rng.integers(0, len(codes), rows)],
            "hs_rev": np.full(rows, "HS22"),
            "value_usd": rng.lognormal(10, 2, rows),
        }
    )
    pq.write_table(table, path)
    return path


def child_bilat(path: Path) -> dict[str, float]:
    import ibis

    from bilat.codes.concordance import Concordance, convert_flows

    t0 = time.perf_counter()
    conc = Concordance.from_unsd_xlsx(TABLE)
    con = ibis.duckdb.connect()
    flows = con.read_parquet(path)
    out = convert_flows(flows, to="HS17", concordances=conc).to_pyarrow()
    total = float(out["value_usd"].to_numpy().sum())
    return {"seconds": time.perf_counter() - t0, "rows_out": out.num_rows, "value": total}


def child_pandas(path: Path) -> dict[str, float]:
    import pandas as pd

    from bilat.codes.concordance import Concordance

    t0 = time.perf_counter()
    conc = Concordance.from_unsd_xlsx(TABLE)
    links = pd.DataFrame(
        [(s, t, 1.0 / len(ts)) for s, ts in conc.links.items() for t in ts],
        columns=["product", "target", "share"],
    )
    flows = pd.read_parquet(path)
    merged = flows.merge(links, on="product", how="left")
    merged["value_usd"] *= merged["share"]
    merged["product"] = merged["target"]
    out = merged.groupby(["year", "exporter", "importer", "product"], as_index=False)[
        "value_usd"
    ].sum()
    return {
        "seconds": time.perf_counter() - t0,
        "rows_out": len(out),
        "value": float(out["value_usd"].sum()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("engine", nargs="?")
    ap.add_argument("path", nargs="?")
    args = ap.parse_args()
    if args.child:
        fn = child_bilat if args.engine == "bilat" else child_pandas
        emit(fn(Path(args.path)))
        return
    path = build(args.rows)
    ours = run_child(Path(__file__), "bilat", str(path))
    base = run_child(Path(__file__), "pandas", str(path))
    same = abs(ours["value"] - base["value"]) <= 1e-6 * base["value"]
    print(
        f"rows in: {args.rows:,}; rows out: bilat {ours['rows_out']:,}, pandas {base['rows_out']:,}"
    )
    print(f"value conserved and equal to the baseline: {same}")
    print(f"bilat convert_flows (DuckDB): {ours['seconds']:.2f} s, peak {ours['peak_mb']:.0f} MB")
    print(f"pandas merge+groupby baseline: {base['seconds']:.2f} s, peak {base['peak_mb']:.0f} MB")
    print(f"ratio (baseline time / bilat time): {base['seconds'] / ours['seconds']:.2f}")
    print(f"ratio (baseline memory / bilat memory): {base['peak_mb'] / ours['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
