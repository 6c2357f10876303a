"""Benchmark: mirror reconciliation with BACI's regressors against the distance-only model.

Issue 16 made the CIF/FOB margin regression use BACI's regressors (log distance and its
square, contiguity, landlocked exporter and importer, the product's world median unit value,
year effects); the previous model (log distance and contiguity, ``specification="distance"``)
is the baseline: the same declarations, the same reliability weights. Target: the new
default costs at most ~10 % more.

The declarations are SYNTHETIC (generated here, seeded, labelled): ``--countries`` countries
with made-up coordinates (a distance table and a country table in GeoDist's columns), every
ordered pair declaring ``--products`` HS6 codes in each of ``--years`` years, both sides, with
net weights (so the unit-value regressor is used). Each run is a fresh process; runs
alternate baci, distance, baci, distance ...; medians, the ratio, peak memory and the
machine's load are printed.

    .venv/bin/python benchmarks/reconcile.py [--countries 40] [--products 400] [--years 2]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import WORK, emit, run_child

#: Real ISO3 codes used as labels only: coordinates, sizes and flows are made up.
_ISO3 = [
    "ARG",
    "AUS",
    "AUT",
    "BEL",
    "BLR",
    "BRA",
    "CAN",
    "CHE",
    "CHL",
    "CHN",
    "COL",
    "CZE",
    "DEU",
    "DNK",
    "EGY",
    "ESP",
    "FIN",
    "FRA",
    "GBR",
    "GRC",
    "HUN",
    "IDN",
    "IND",
    "IRL",
    "ITA",
    "JPN",
    "KAZ",
    "KOR",
    "MEX",
    "MYS",
    "NLD",
    "NOR",
    "NZL",
    "PER",
    "POL",
    "PRT",
    "ROU",
    "RUS",
    "SAU",
    "SWE",
    "THA",
    "TUR",
    "UKR",
    "USA",
    "UZB",
    "VNM",
    "ZAF",
]


def world(countries: int, products: int, years: int) -> Path:
    """SYNTHETIC declarations and geography (Parquet and CSV), generated once per size."""
    import numpy as np
    import pandas as pd

    folder = WORK / f"reconcile-{countries}x{products}x{years}"
    if (folder / "declarations.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261202)
    codes = _ISO3[:countries]
    lat, lon = rng.uniform(-50, 60, countries), rng.uniform(-120, 150, countries)
    land = rng.random(countries) < 0.2
    e, i = np.meshgrid(np.arange(countries), np.arange(countries), indexing="ij")
    e, i = e.ravel(), i.ravel()
    km = 111 * np.hypot(lat[e] - lat[i], lon[e] - lon[i]) + 50
    geo = pd.DataFrame({"iso_o": np.array(codes)[e], "iso_d": np.array(codes)[i], "dist": km,
                        "distw": km, "contig": (km < 800).astype(int), "comlang_off": 0,
                        "colony": 0})  # fmt: skip
    geo.to_csv(folder / "dist.csv", index=False)
    pd.DataFrame({"iso3": codes, "landlocked": land.astype(int)}).to_csv(
        folder / "geo.csv", index=False
    )
    pairs = e != i
    e, i, km = e[pairs], i[pairs], km[pairs]
    hs = np.array([f"{840000 + k:06d}" for k in range(products)])
    price = rng.lognormal(1, 1, products)
    frames = []
    for y in range(years):
        n = len(e) * products
        ex, im = np.repeat(e, products), np.repeat(i, products)
        p = np.tile(np.arange(products), len(e))
        fob = rng.lognormal(11, 1.5, n)
        margin = np.expm1(0.01 + 0.008 * np.log(np.repeat(km, products)))
        kg = fob / price[p] * 1000
        for flow, who, other, value in (("X", ex, im, fob * np.exp(rng.normal(0, 0.1, n))),
                                        ("M", im, ex, fob * (1 + margin)
                                         * np.exp(rng.normal(0, 0.1, n)))):  # fmt: skip
            frames.append(pd.DataFrame({
                "year": 2020 + y, "reporter": np.array(codes)[who],
                "partner": np.array(codes)[other], "flow": flow, "product": hs[p],
                "hs_rev": "HS17", "value_usd": value,
                "cif_usd": value if flow == "M" else np.nan, "fob_usd": np.nan, "qty": np.nan,
                "qty_unit": None, "net_kg": kg, "source": "SYNTHETIC benchmark",
            }))  # fmt: skip
    pd.concat(frames, ignore_index=True).to_parquet(folder / "declarations.parquet")
    return folder


def child(spec: str, folder: str) -> None:
    import pandas as pd

    from bilat.reconcile import reconcile

    base = Path(folder)
    decl = pd.read_parquet(base / "declarations.parquet")
    t = time.perf_counter()
    out = reconcile(decl, base / "dist.csv", countries=base / "geo.csv", specification=spec)
    elapsed = time.perf_counter() - t
    emit({"spec": spec, "compute_s": elapsed, "declarations": len(decl),
          "flows": out.flows.num_rows,
          "regressors": list(out.margins.regressors)})  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=40, help=f"at most {len(_ISO3)}")
    ap.add_argument("--products", type=int, default=400)
    ap.add_argument("--years", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("SPEC", "FOLDER"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = world(args.countries, args.products, args.years)
    print(f"SYNTHETIC declarations: {args.countries} countries × {args.products} products × "
          f"{args.years} years ({folder.name})")  # fmt: skip
    print(f"load average before: {os.getloadavg()}")
    runs: dict[str, list[dict[str, object]]] = {"baci": [], "distance": []}
    for _ in range(args.repeat):
        for spec in runs:
            r = run_child(Path(__file__), spec, str(folder))
            runs[spec].append(r)
            print(f"  {spec:8s} {r['compute_s']:.2f} s, peak {r['peak_mb']:.0f} MB, "
                  f"{r['declarations']:,} declarations → {r['flows']:,} flows")  # fmt: skip
    med = {k: statistics.median(float(r["compute_s"]) for r in v) for k, v in runs.items()}  # type: ignore[arg-type]
    print(f"regressors (baci): {runs['baci'][0]['regressors']}")
    print(f"median: baci {med['baci']:.2f} s, distance {med['distance']:.2f} s, "
          f"ratio {med['baci'] / med['distance']:.2f}")  # fmt: skip
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
