"""Benchmark: export potential on a generated BACI year, and gravity against bare pyfixest.

1. **Export potential** of one exporter (BLR) in every market, HS6, on the generated
   "benchmark" world (one year, ~11 million flows; ``bilat.sample``), through
   ``bilat.potential.products.export_potential`` (Ibis on DuckDB over the lake's Parquet).
   Baseline: the same computation in pandas (read the year's Parquet, group, join).
   Target: under 10 s.
2. **Gravity** (after one warm-up fit that compiles pyfixest's numba kernels; median of at
   least 5 alternating runs) on a 200-country × 10-year panel (398,000 flows, generated from a PPML data
   process with noise): ``bilat.potential.estimate`` (validate, prepare, fit, collect)
   against a direct ``pyfixest.fepois`` call on the same prepared frame. Target: our
   overhead under 10 % (issue 15), against the same call with bilat's options (both
   separation checks) and, for reference, pyfixest's defaults.

3. **EPI with 5-year actuals** (issue 16): the same exporter in every market, HS6, on a
   generated SYNTHETIC world of five BACI-sized years (``--only epi``; ~55 million flows),
   actual sales averaged over 2017-2021 (``actual_years=5``). Baseline: the same formulas in
   pandas. The two run interleaved (ours, pandas, ours, pandas) in fresh processes.
   Target: under 10 s.

Each measurement runs in its own process, so the peak memory printed is its own.

    .venv/bin/python benchmarks/potential.py [--workdir DIR] [--repeat 3]
        [--only products|gravity|epi]
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

EXPORTER, YEAR = "BLR", 2021


# ---- data -----------------------------------------------------------------------------------


EPI_YEARS = (2017, 2018, 2019, 2020, 2021)


def build_lake(workdir: Path, years: tuple[int, ...] = (YEAR,)) -> Path:
    """The generated benchmark years (SYNTHETIC), built once under ``workdir`` and reused."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    root = workdir / ("potential-lake" if years == (YEAR,) else f"potential-lake-{len(years)}y")
    lake = Lake.open(root, create=True)
    if not lake.manifest():
        t = time.perf_counter()
        made = build_sample_lake(lake, preset("benchmark").with_(years=years))
        print(f"built {made.rows:,} flows in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return root


def gravity_panel(n: int = 200, years: int = 10, seed: int = 11) -> Any:
    """A PPML world with noise: exporter-year and importer-year effects, distance, border."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    codes = np.array([f"C{i:03d}" for i in range(n)])
    xy = rng.uniform(0, 100, size=(n, 2))
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    off = i != j
    i, j = i[off], j[off]
    dist = np.hypot(*(xy[i] - xy[j]).T) + 1.0
    cntg = (dist < 8).astype(float)
    frames = []
    for t in range(years):
        a, b = rng.normal(0, 1.5, n), rng.normal(0, 1.5, n)
        mu = np.exp(10 + a[i] + b[j] - 1.0 * np.log(dist) + 0.5 * cntg)
        trade = mu * rng.gamma(2.0, 0.5, size=mu.size) * (rng.uniform(size=mu.size) > 0.1)
        frames.append(
            pd.DataFrame(
                {"exporter": codes[i], "importer": codes[j], "year": 2010 + t,
                 "trade": trade, "dist": dist, "cntg": cntg}
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


# ---- export potential ------------------------------------------------------------------------


def products_ours(root: Path, repeat: int) -> dict[str, Any]:
    from bilat.lake import Lake
    from bilat.potential.products import export_potential

    t = time.perf_counter()
    lake = Lake.open(root)
    ep = export_potential(lake, EXPORTER, year=YEAR, level=6)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        export_potential(lake, EXPORTER, year=YEAR, level=6)
        warm.append(time.perf_counter() - t)
    return {
        "engine": "bilat (Ibis/DuckDB)",
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "markets": len(ep.markets),
        "cells": len(ep.products),
        "unrealised_usd": float(ep.markets["unrealised_usd"].sum()),
    }


def _pandas_potential(flows: Any) -> Any:
    f = flows[(flows.exporter != flows.importer) & (flows["product"].str.len() == 6)]
    world = f.groupby("product", observed=True).value_usd.sum()
    own = f[f.exporter == EXPORTER]
    share = (own.groupby("product", observed=True).value_usd.sum() / world).dropna().rename("s")
    rest = f[f.importer != EXPORTER]
    demand = rest.groupby(["importer", "product"], observed=True).value_usd.sum().rename("m")
    sold = own.groupby(["importer", "product"], observed=True).value_usd.sum().rename("x")
    cells = demand.reset_index().merge(share.reset_index(), on="product")
    cells = cells.merge(sold.reset_index(), on=["importer", "product"], how="left")
    cells["x"] = cells["x"].fillna(0.0)
    cells["sm"] = cells["s"] * cells["m"]
    tot = cells.groupby("importer")[["x", "sm"]].sum()
    cells["b"] = cells["importer"].map(tot["x"] / tot["sm"])
    cells["v"] = cells["sm"] * cells["b"].fillna(0.0)
    cells["u"] = (cells["v"] - cells["x"]).clip(lower=0)
    return cells


def products_pandas(root: Path, repeat: int) -> dict[str, Any]:
    import pandas as pd

    from bilat.lake import Lake

    lake = Lake.open(root)
    files = [str(lake.root / f) for e in lake.manifest() if e.kind == "flows" for f in e.files]
    cols = ["year", "exporter", "importer", "product", "value_usd"]
    t = time.perf_counter()
    flows = pd.concat(
        [pd.read_parquet(p, columns=cols, filters=[("year", "=", YEAR)]) for p in files]
    )
    cells = _pandas_potential(flows)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        _pandas_potential(flows)
        warm.append(time.perf_counter() - t)
    return {
        "engine": "pandas (baseline)",
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "cells": len(cells),
        "unrealised_usd": float(cells["u"].sum()),
    }


def epi_ours(root: Path) -> dict[str, Any]:
    from bilat.lake import Lake
    from bilat.potential.products import export_potential

    t = time.perf_counter()
    lake = Lake.open(root)
    load = time.perf_counter() - t
    t = time.perf_counter()
    ep = export_potential(lake, EXPORTER, year=YEAR, level=6, actual_years=5)
    return {
        "engine": "bilat (Ibis/DuckDB)",
        "load_s": load,
        "run_s": time.perf_counter() - t,
        "cells": len(ep.products),
        "actual_usd": float(ep.markets["actual_usd"].sum()),
        "unrealised_usd": float(ep.markets["unrealised_usd"].sum()),
        "load": os.getloadavg()[0],
    }


def _pandas_epi(flows: Any) -> Any:
    """The EPI formulas of ``docs/potential.md`` (5-year actual, no projection) in pandas."""
    f = flows[(flows.exporter != flows.importer) & (flows["product"].str.len() == 6)]
    held = sorted(set(f["year"]))
    cells = _pandas_potential(f[f["year"] == YEAR]).drop(columns=["x", "b", "v", "u"])
    own = f[(f.exporter == EXPORTER) & (f.importer != EXPORTER)]
    avg = own.groupby(["importer", "product"], observed=True).value_usd.sum() / len(held)
    cells = cells.merge(avg.rename("x").reset_index(), on=["importer", "product"], how="left")
    cells["x"] = cells["x"].fillna(0.0)
    tot = cells.groupby("importer")[["x", "sm"]].sum()
    cells["b"] = cells["importer"].map(tot["x"] / tot["sm"])
    cells["v"] = cells["sm"] * cells["b"].fillna(0.0)
    cells["u"] = (cells["v"] - cells["x"]).clip(lower=0)
    return cells


def epi_pandas(root: Path) -> dict[str, Any]:
    import pandas as pd

    from bilat.lake import Lake

    lake = Lake.open(root)
    files = [str(lake.root / f) for e in lake.manifest() if e.kind == "flows" for f in e.files]
    cols = ["year", "exporter", "importer", "product", "value_usd"]
    t = time.perf_counter()
    flows = pd.concat(
        [pd.read_parquet(p, columns=cols, filters=[("year", ">=", EPI_YEARS[0])]) for p in files]
    )
    load = time.perf_counter() - t
    t = time.perf_counter()
    cells = _pandas_epi(flows)
    return {
        "engine": "pandas (baseline)",
        "load_s": load,
        "run_s": time.perf_counter() - t,
        "cells": len(cells),
        "actual_usd": float(cells["x"].sum()),
        "unrealised_usd": float(cells["u"].sum()),
        "load": os.getloadavg()[0],
    }


def epi(script: Path, workdir: Path, repeat: int) -> None:
    run_child(script, "build-epi", "0", str(workdir))
    root = workdir / f"potential-lake-{len(EPI_YEARS)}y"
    runs: list[dict[str, Any]] = []
    for _ in range(max(repeat, 2)):  # A B A B, fresh processes
        runs.append(run_child(script, "epi-ours", "0", str(root)))
        runs.append(run_child(script, "epi-pandas", "0", str(root)))
    print(f"EPI, {EXPORTER} in every market, HS6, actuals {EPI_YEARS[0]}-{YEAR}, SYNTHETIC "
          "5-year BACI-sized world (target < 10 s)")  # fmt: skip
    for r in runs:
        print(
            f"  {r['engine']:<22} load {r['load_s']:6.2f} s   run {r['run_s']:6.2f} s   "
            f"peak {r['peak_mb']:,.0f} MB   cells {r['cells']:,}   actual ${r['actual_usd']:,.0f}"
            f"   untapped ${r['unrealised_usd']:,.0f}   load avg {r['load']:.2f}"
        )
    ours = statistics.median(r["load_s"] + r["run_s"] for r in runs[0::2])
    base = statistics.median(r["load_s"] + r["run_s"] for r in runs[1::2])
    print(f"  median total: bilat {ours:.2f} s, pandas {base:.2f} s, ratio {ours / base:.2f}")


# ---- gravity ------------------------------------------------------------------------------


def gravity(repeat: int) -> dict[str, Any]:
    import pyfixest as pf

    from bilat.potential import GravityConfig, estimate
    from bilat.potential.gravity import formula, prepare

    panel = gravity_panel()
    cfg = GravityConfig.make(terms=["ln_dist", "cntg"], small_sample="stata")
    prepared = prepare(panel, cfg)
    estimate(panel.head(20_000), terms=["ln_dist", "cntg"])  # compile pyfixest's kernels first
    ours, direct, plain = [], [], []
    fit = None
    for _ in range(max(repeat, 5)):  # A B C A B C: the three calls alternate
        t = time.perf_counter()
        fit = estimate(panel, terms=["ln_dist", "cntg"], small_sample="stata")
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        pf.fepois(  # the same fit by hand: bilat's options (both separation checks)
            formula(cfg),
            data=prepared,
            vcov={"CRV1": "cluster_pair"},
            ssc=pf.ssc(k_adj=False, G_adj=True),
            separation_check=["fe", "ir"],
        )
        direct.append(time.perf_counter() - t)
        t = time.perf_counter()
        pf.fepois(  # pyfixest's defaults (its fixed-effect separation check only)
            formula(cfg),
            data=prepared,
            vcov={"CRV1": "cluster_pair"},
            ssc=pf.ssc(k_adj=False, G_adj=True),
        )
        plain.append(time.perf_counter() - t)
    assert fit is not None
    return {
        "rows": len(panel),
        "ours_s": statistics.median(ours),
        "direct_pyfixest_s": statistics.median(direct),
        "plain_pyfixest_s": statistics.median(plain),
        "ln_dist": fit.coefficient("ln_dist").estimate,
        "load": os.getloadavg()[0],
    }


# ---- driver -------------------------------------------------------------------------------


def _child(args: list[str]) -> None:
    task, repeat = args[0], int(args[1])
    if task == "build":
        build_lake(Path(args[2]))
        emit({"built": True})
    elif task == "build-epi":
        build_lake(Path(args[2]), EPI_YEARS)
        emit({"built": True})
    elif task == "epi-ours":
        emit(epi_ours(Path(args[2])))
    elif task == "epi-pandas":
        emit(epi_pandas(Path(args[2])))
    elif task == "gravity":
        emit(gravity(repeat))
    else:
        root = Path(args[2])
        emit(products_ours(root, repeat) if task == "ours" else products_pandas(root, repeat))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workdir", type=Path, default=WORK)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=["products", "gravity", "epi"])
    args = ap.parse_args()
    script = Path(__file__).resolve()
    if args.only in (None, "products"):
        # Built in a child: ru_maxrss survives fork/exec, so the parent must stay small for
        # the children's peak memory to be their own.
        run_child(script, "build", "0", str(args.workdir))
        root = args.workdir / "potential-lake"
        ours = run_child(script, "ours", str(args.repeat), str(root))
        base = run_child(script, "pandas", str(args.repeat), str(root))
        print(f"export potential, {EXPORTER} in every market, HS6, {YEAR} (target < 10 s)")
        for r in (ours, base):
            print(
                f"  {r['engine']:<22} cold {r['cold_s']:6.2f} s   warm {r['warm_s']:6.2f} s   "
                f"peak {r['peak_mb']:,.0f} MB   unrealised ${r['unrealised_usd']:,.0f}"
            )
        print(
            f"  ratio bilat/pandas: cold {ours['cold_s'] / base['cold_s']:.2f}, "
            f"warm {ours['warm_s'] / base['warm_s']:.2f}; markets {ours['markets']}, "
            f"cells {ours['cells']:,} (pandas {base['cells']:,})"
        )
    if args.only in (None, "epi"):
        epi(script, args.workdir, args.repeat)
    if args.only in (None, "gravity"):
        g = run_child(script, "gravity", str(args.repeat))
        overhead = g["ours_s"] / g["direct_pyfixest_s"] - 1
        print(
            f"gravity PPML, 200 countries x 10 years ({g['rows']:,} flows) (target overhead < 10%)"
        )
        print(
            f"  bilat.estimate {g['ours_s']:.2f} s   pyfixest.fepois, same options "
            f"{g['direct_pyfixest_s']:.2f} s   overhead {100 * overhead:+.1f}%   "
            f"peak {g['peak_mb']:,.0f} MB   ln_dist {g['ln_dist']:.3f}"
        )
        print(
            f"  pyfixest.fepois with its defaults (no iterative separation check) "
            f"{g['plain_pyfixest_s']:.2f} s; load average {g['load']:.2f}"
        )


if __name__ == "__main__":
    main()
