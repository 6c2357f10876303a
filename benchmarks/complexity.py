"""Benchmark: economic complexity of one BACI-sized year, bilat against ``ecomplexity``.

The world is SYNTHETIC (labelled, generated here, seeded): 220 countries, 5,000 HS6
products, ~11 million exporter-importer-product flows of one year (a BACI year's size).
Values are log-normal around exporter size × product size × a rank-3 "capability" match
of exporter and product, so the RCA matrix has structure (not tuned to any answer). It is
written once as Parquet under ``benchmarks/_work``.

Each run is a fresh process that reads the Parquet file (timed as *load*) and then:

- ``bilat``: :func:`bilat.potential.complexity.complexity` on the 11 M flows (it adds them
  up by exporter and product itself), ECI, PCI, proximity, density, COI, COG;
- ``ecomplexity`` 0.5.3 (the Growth Lab's package, a dev extra): its input is one row per
  country and product, so the flows are first summed with pandas (timed, *prep*), then
  ``ecomplexity(..., check_logsupermodularity=False)`` (the check is a diagnostic, not a
  measure; left out so both compute the same things).

Runs alternate bilat, ecomplexity, bilat, ecomplexity ...; medians, the ratio, each
process's peak memory and the machine's load average before and after are printed, with the
largest difference between the two answers' ECI, PCI and density. Target: bilat < 5 s.

    .venv/bin/python benchmarks/complexity.py [--countries 220] [--products 5000]
        [--rows 11000000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import WORK, emit, run_child

YEAR = 2022


def world(countries: int, products: int, rows: int) -> Path:
    """The SYNTHETIC flows (Parquet), generated once per size."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = WORK / f"complexity-{countries}x{products}-{rows}.parquet"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    rng = np.random.default_rng(20261202)
    size_c = rng.lognormal(0, 1.5, countries)
    size_p = rng.lognormal(0, 1.0, products)
    cap_c, cap_p = rng.normal(size=(countries, 3)), rng.normal(size=(products, 3))
    e = rng.choice(countries, rows, p=size_c / size_c.sum())
    i = rng.choice(countries, rows, p=size_c / size_c.sum())
    p = rng.choice(products, rows, p=size_p / size_p.sum())
    keep = e != i
    e, i, p = e[keep], i[keep], p[keep]
    match = np.einsum("nk,nk->n", cap_c[e], cap_p[p])
    value = np.exp(rng.normal(8 + match, 1.5)).round(3)
    codes = np.array([f"C{k:03d}" for k in range(countries)])
    hs = np.array([f"{100000 + k * 7:06d}" for k in range(products)])
    table = pa.table({
        "year": np.full(len(e), YEAR, dtype=np.int32),
        "exporter": pa.DictionaryArray.from_arrays(e.astype(np.int32), codes),
        "importer": pa.DictionaryArray.from_arrays(i.astype(np.int32), codes),
        "product": pa.DictionaryArray.from_arrays(p.astype(np.int32), hs),
        "value_usd": value,
    })  # fmt: skip
    meta = {b"bilat": b"SYNTHETIC benchmark world, not real trade statistics"}
    pq.write_table(table.replace_schema_metadata(meta), path)
    print(f"generated {path.name} ({len(e):,} rows) in {time.perf_counter() - t:.1f} s")
    return path


def child(engine: str, path: str) -> None:
    import warnings

    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_parquet(path)
    load = time.perf_counter() - t0
    out: dict[str, Any] = {"engine": engine, "load_s": load, "rows": len(frame)}
    t1 = time.perf_counter()
    if engine == "bilat":
        from bilat.potential.complexity import complexity

        cx = complexity(frame, year=YEAR, level=6)
        out["compute_s"] = time.perf_counter() - t1
        eci = dict(zip(cx.countries["country"], cx.countries["eci"], strict=True))
        pci = dict(zip(cx.products["product"], cx.products["pci"], strict=True))
        dens = float(cx.measures.density[0, :50].sum())
    else:
        from ecomplexity import ecomplexity

        agg = frame.groupby(["year", "exporter", "product"], observed=True, as_index=False)[
            "value_usd"
        ].sum()
        agg["exporter"] = agg["exporter"].astype(str)
        agg["product"] = agg["product"].astype(str)
        out["prep_s"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        cols = {"time": "year", "loc": "exporter", "prod": "product", "val": "value_usd"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = ecomplexity(agg, cols, check_logsupermodularity=False, verbose=False)
        out["ecomplexity_s"] = time.perf_counter() - t2
        out["compute_s"] = time.perf_counter() - t1
        eci = res.groupby("exporter")["eci"].first().to_dict()
        pci = res.groupby("product")["pci"].first().to_dict()
        first = sorted(eci)[0]
        row = res[res["exporter"] == first].sort_values("product")
        dens = float(row["density"].to_numpy()[:50].sum())
    out["eci"] = {str(k): float(v) for k, v in eci.items()}
    out["pci_head"] = {str(k): float(pci[k]) for k in sorted(pci)[:200]}
    out["density_head"] = dens
    emit(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=220)
    ap.add_argument("--products", type=int, default=5000)
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", choices=["bilat", "ecomplexity"], default=None)
    ap.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    path = world(args.countries, args.products, args.rows)
    engines = [args.only] if args.only else ["bilat", "ecomplexity"]
    print(f"SYNTHETIC world: {args.countries} countries × {args.products} products, {path.name}")
    print(f"load average before: {os.getloadavg()}")
    runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    for _ in range(args.repeat):
        for engine in engines:
            r = run_child(Path(__file__), engine, str(path))
            runs[engine].append(r)
            extra = f", ecomplexity() {r['ecomplexity_s']:.2f} s" if "ecomplexity_s" in r else ""
            print(
                f"{engine:12s} load {r['load_s']:.2f} s, compute {r['compute_s']:.2f} s{extra}, "
                f"peak {r['peak_mb']:.0f} MB"
            )
    print(f"load average after: {os.getloadavg()}")
    med = {e: statistics.median(r["compute_s"] for r in rs) for e, rs in runs.items()}
    for e, m in med.items():
        print(f"median compute {e}: {m:.2f} s")
    if len(engines) == 2:
        print(f"ratio ecomplexity / bilat: {med['ecomplexity'] / med['bilat']:.1f}x")
        a, b = runs["bilat"][0], runs["ecomplexity"][0]
        d_eci = max(abs(a["eci"][k] - b["eci"][k]) for k in a["eci"])
        d_pci = max(abs(a["pci_head"][k] - b["pci_head"][k]) for k in a["pci_head"])
        print(f"largest difference: ECI {d_eci:.1e}, PCI (200 products) {d_pci:.1e}, "
              f"density (50 cells) {abs(a['density_head'] - b['density_head']):.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
