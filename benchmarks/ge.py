"""Benchmark: a general-equilibrium counterfactual for 200 countries, bilat against gegravity.

The world is SYNTHETIC (labelled, generated here): 200 countries on a plane, every pair
including domestic flows (40,000 rows), trade drawn around a gravity model with distance, a
border and a trade agreement; output and expenditure are the sums of trade. The experiment
signs an agreement between the first and the last country (``pta=1@C000~C199``), σ = 5, reference C002.

Each run is a fresh process that reads the same table and times only the solve:

- ``bilat``: :func:`bilat.potential.run_scenario` with ``model="gegravity"`` (the same
  equations as the baseline, so the answers can be compared) and with ``model="full"``
  (the full endowment), from the table to the per-country and per-pair results;
- ``gegravity`` 0.3 (USITC; a dev extra): ``OneSectorGE`` build_baseline, define_experiment,
  simulate (its defaults, solver tolerance 1e-8) with ``omr_rescale=10``: at 200 countries
  its default rescale (1) and 0.1 fail ("IMR or OMR values problematic"); its own
  ``check_omr_rescale`` finds 10 to 1000 solve (that search, ~2 minutes here, is not timed).

Runs alternate bilat, gegravity, bilat, gegravity ...; medians, the ratio, each process's
peak memory and the machine's load average before and after are printed, with the largest
difference between the two answers' GDP changes. Target: under 10 s for 200 countries.

    .venv/bin/python benchmarks/ge.py [--countries 200] [--repeat 2]
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

OMR_RESCALE = 10
COEFS = [("lndist", -0.8, 0.05), ("border", -2.5, 0.2), ("pta", 0.45, 0.1), ("constant", 3.0, 0.3)]


def world(n: int, seed: int = 5) -> Path:
    """The synthetic world as CSV under the work folder (made once per size)."""
    import numpy as np
    import pandas as pd

    path = WORK / f"ge-world-{n}.csv"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    codes = np.array([f"C{k:03d}" for k in range(n)])
    xy = rng.uniform(0, 100, size=(n, 2))
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    dist = np.hypot(*(xy[i] - xy[j]).T) + 1.0
    dist[i == j] = 0.5
    border = (i != j).astype(float)
    pta = ((np.abs(i - j) < 4) & (i != j)).astype(float)
    size = rng.lognormal(0, 1.2, n)
    mu = size[i] * size[j] * np.exp(-0.8 * np.log(dist) - 2.5 * border + 0.45 * pta)
    trade = mu * rng.gamma(2.0, 0.5, size=mu.size) * 1e3
    frame = pd.DataFrame({"exporter": codes[i], "importer": codes[j], "year": 2021,
                          "trade": trade, "lndist": np.log(dist), "border": border, "pta": pta})  # fmt: skip
    frame["Y"] = frame.groupby("exporter")["trade"].transform("sum")
    frame["E"] = frame.groupby("importer")["trade"].transform("sum")
    WORK.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def run_bilat(path: Path, model: str) -> dict[str, Any]:
    import pandas as pd

    from bilat.potential import run_scenario

    data = pd.read_csv(path)
    t = time.perf_counter()
    last = sorted(data["exporter"].unique())[-1]
    r = run_scenario(data, coefficients=COEFS, changes=f"pta=1@C000~{last}", sigma=5,
                     reference_importer="C002", model=model)  # fmt: skip
    seconds = time.perf_counter() - t
    gdp = {c.country: c.gdp_change_pct for c in r.countries}
    return {"engine": f"bilat ({model})", "s": seconds, "gdp": gdp,
            "iterations": [s.iterations for s in r.solver]}  # fmt: skip


def run_gegravity(path: Path) -> dict[str, Any]:
    import warnings

    import gegravity as ge
    import pandas as pd

    data = pd.read_csv(path)
    data["constant"] = 1
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = ge.BaselineData(data, imp_var_name="importer", exp_var_name="exporter",
                               year_var_name="year", trade_var_name="trade",
                               expend_var_name="E", output_var_name="Y")  # fmt: skip
        est = pd.DataFrame(COEFS, columns=["var", "beta", "stderr"])
        coeffs = ge.CostCoeffs(estimates=est, identifier_col="var", coeff_col="beta",
                               stderr_col="stderr")  # fmt: skip
        model = ge.OneSectorGE(base, cost_coeff_values=coeffs, cost_variables=list(est["var"]),
                               year="2021", reference_importer="C002", sigma=5, quiet=True)  # fmt: skip
        model.build_baseline(omr_rescale=OMR_RESCALE)
        exp = model.baseline_data.copy()
        last = sorted(data["exporter"].unique())[-1]
        for a, b in (("C000", last), (last, "C000")):
            exp.loc[(exp["exporter"] == a) & (exp["importer"] == b), "pta"] = 1
        model.define_experiment(exp)
        model.simulate()
    seconds = time.perf_counter() - t
    gdp = model.country_results["GDP change (percent)"].to_dict()
    return {"engine": "gegravity 0.3", "s": seconds, "gdp": gdp}


def _child(args: list[str]) -> None:
    engine, path = args[0], Path(args[1])
    if engine == "gegravity":
        emit(run_gegravity(path))
    else:
        emit(run_bilat(path, "gegravity" if engine == "bilat-gegravity" else "full"))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    script = Path(__file__).resolve()
    path = world(args.countries)
    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = {"gegravity": [], "full": [], "gegravity-ours": []}
    for _ in range(args.repeat):  # A B A B: the engines alternate
        runs["gegravity-ours"].append(run_child(script, "bilat-gegravity", str(path)))
        runs["gegravity"].append(run_child(script, "gegravity", str(path)))
        runs["full"].append(run_child(script, "full", str(path)))
    load_after = os.getloadavg()
    med = {k: statistics.median(r["s"] for r in v) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    ours, theirs = runs["gegravity-ours"][0]["gdp"], runs["gegravity"][0]["gdp"]
    gap = max(abs(ours[c] - theirs[c]) for c in theirs)  # percentage points
    moved = [c for c in theirs if abs(theirs[c]) > 1e-3]
    diff = max(abs(ours[c] - theirs[c]) / abs(theirs[c]) for c in moved)
    print(f"GE counterfactual, {args.countries} countries ({args.countries**2:,} pairs, "
          "SYNTHETIC world), target < 10 s")  # fmt: skip
    print(f"  bilat (gegravity's equations) {med['gegravity-ours']:8.3f} s   peak "
          f"{peak['gegravity-ours']:,.0f} MB")  # fmt: skip
    print(f"  bilat (full endowment)        {med['full']:8.3f} s   peak {peak['full']:,.0f} MB")
    print(f"  gegravity 0.3                 {med['gegravity']:8.3f} s   peak "
          f"{peak['gegravity']:,.0f} MB")  # fmt: skip
    print(f"  ratio gegravity / bilat (same equations): {med['gegravity'] / med['gegravity-ours']:.0f}x;"
          f" GDP changes differ by at most {gap:.1e} points ({diff:.1e} relative where they"
          " exceed 0.001 %; gegravity solves to 1e-8)")  # fmt: skip
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"({os.cpu_count()} cores); runs per engine: {args.repeat}")  # fmt: skip


if __name__ == "__main__":
    main()
