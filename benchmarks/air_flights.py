"""Benchmark: expanding a million SSIM flight legs into dated flights over a season.

The legs are ``benchmarks/air_ssim.py``'s generated file (the real legs of
``../shared/data/air/gna-*.ssim`` with varied flight numbers, carriers, stations and periods,
one period in six the whole IATA summer season 27 Mar - 29 Oct 2022). Measured, interleaved
A B A B in one process:

- A: ``bilat.air.expand_flights`` over the season (the whole table: keys, dates, UTC and local
  timestamps), and its date core ``operating_dates`` alone (leg, date pairs);
- B: baselines giving the (leg, date) pairs: **polars** (``pl.date_ranges`` per leg, explode,
  filter weekday and fortnight) and **NumPy day by day** (every leg repeated once per
  calendar day of its period, then masked: what ``schedule.py`` did before issue 17);
- and, once, **pandas per leg** (``pd.date_range`` in a Python loop) on 20,000 legs, scaled
  up to the million (labelled as extrapolated).

Run: ``.venv/bin/python benchmarks/air_flights.py [--legs N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from air_ssim import Peak, generate
from bilat.air import expand_flights, read_ssim
from bilat.air.flights import _closed, _col, operating_dates

SEASON = ("2022-03-27", "2022-10-29")


def _arrays(legs: Any, hi: int) -> tuple[np.ndarray, ...]:  # type: ignore[type-arg]
    return (
        _col(legs, "period_from"),
        _closed(legs, hi),
        _col(legs, "days_mask"),
        _col(legs, "frequency_rate"),
    )


def numpy_day_by_day(pf, pt, mask, rate, lo, hi):  # type: ignore[no-untyped-def]
    """Every calendar day of each period, then keep the operating ones."""
    start, stop = np.maximum(pf, lo), np.minimum(pt, hi)
    ndays = np.clip(stop - start + 1, 0, None)
    rep = np.repeat(np.arange(len(pf)), ndays)
    off = np.arange(int(ndays.sum())) - np.repeat(np.cumsum(ndays) - ndays, ndays)
    d = start[rep] + off
    on = ((mask[rep] >> ((d + 3) % 7)) & 1).astype(bool)
    on &= (rate[rep] != 2) | (((d - pf[rep]) // 7) % 2 == 0)
    return rep[on], d[on]


def polars_ranges(pf, pt, mask, rate, lo, hi):  # type: ignore[no-untyped-def]
    import polars as pl

    df = pl.DataFrame({"leg": np.arange(len(pf)), "pf": pf, "pt": pt, "mask": mask, "rate": rate})
    df = df.with_columns(
        pl.max_horizontal("pf", pl.lit(lo)).cast(pl.Int32).cast(pl.Date).alias("a"),
        pl.min_horizontal("pt", pl.lit(hi)).cast(pl.Int32).cast(pl.Date).alias("b"),
        pl.col("pf").cast(pl.Int32).cast(pl.Date).alias("first"),
    ).filter(pl.col("a") <= pl.col("b"))
    out = (
        df.with_columns(pl.date_ranges("a", "b", "1d").alias("date"))
        .explode("date")
        .filter(
            ((pl.col("mask") // (2 ** (pl.col("date").dt.weekday() - 1))) % 2 == 1)
            & (
                (pl.col("rate") != 2)
                | (((pl.col("date") - pl.col("first")).dt.total_days() // 7) % 2 == 0)
            )
        )
        .select("leg", "date")
    )
    return out["leg"].to_numpy(), out["date"].to_numpy()


def pandas_per_leg(pf, pt, mask, rate, lo, hi):  # type: ignore[no-untyped-def]
    import pandas as pd

    legs, days = [], []
    for i in range(len(pf)):
        a, b = max(pf[i], lo), min(pt[i], hi)
        if a > b:
            continue
        rng = pd.date_range(pd.Timestamp(int(a), unit="D"), pd.Timestamp(int(b), unit="D"))
        wd = np.asarray(rng.weekday)
        keep = ((int(mask[i]) >> wd) & 1).astype(bool)
        if rate[i] == 2:
            keep &= np.asarray((rng - pd.Timestamp(int(pf[i]), unit="D")).days // 7) % 2 == 0
        sel = rng[keep]
        legs.append(np.full(len(sel), i))
        days.append(sel.values.astype("datetime64[D]").astype(np.int64))
    return np.concatenate(legs), np.concatenate(days)


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, peak MiB above the start, and the result (CPU seconds in ``CPU``)."""
    with Peak() as peak:
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall = time.perf_counter() - t
        CPU.append(time.process_time() - c)
    return wall, peak.peak / 2**20, out


CPU: list[float] = []


def _runs(schedule: Any) -> dict[str, Callable[[], Any]]:
    lo, hi = (int(np.datetime64(d, "D").astype(np.int64)) for d in SEASON)
    args = (*_arrays(schedule.legs, hi), lo, hi)
    return {
        "expand_flights (full table)": lambda: expand_flights(schedule, *SEASON),
        "operating_dates (leg, date)": lambda: operating_dates(*args),
        "polars date_ranges + explode": lambda: polars_ranges(*args),
        "NumPy day by day": lambda: numpy_day_by_day(*args),
    }


def child(path: Path, method: str) -> None:
    """In a fresh process: read the legs, run one method once, print the memory it added."""
    import json

    schedule = read_ssim(path)
    fn = _runs(schedule)[method]
    _, peak, _ = timed(fn)  # resident memory sampled every 5 ms above the start
    print(json.dumps({"method": method, "peak_mb": peak}))


def peaks_in_children(path: Path, names: list[str]) -> dict[str, float]:
    """Peak memory each method adds above the read schedule, each in its own process."""
    import json
    import subprocess

    out = {}
    for name in names:
        res = subprocess.run(
            [sys.executable, __file__, "--child", str(path), name],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        doc = json.loads(res.stdout.strip().splitlines()[-1])
        out[name] = doc["peak_mb"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--legs", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("FILE", "METHOD"), help=argparse.SUPPRESS)
    ns = ap.parse_args()
    if ns.child:
        child(Path(ns.child[0]), ns.child[1])
        return
    print(f"load before: {os.getloadavg()}")
    tmp = tempfile.TemporaryDirectory()
    path = Path(tmp.name) / "legs.ssim"
    generate(path, ns.legs)
    schedule = read_ssim(path)
    lo, hi = (int(np.datetime64(d, "D").astype(np.int64)) for d in SEASON)
    args = (*_arrays(schedule.legs, hi), lo, hi)
    runs = _runs(schedule)
    times: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    counts: dict[str, int] = {}
    for _ in range(ns.rounds):  # interleaved: A B A B ...
        for name, fn in runs.items():
            wall, _, out = timed(fn)
            times[name].append(wall)
            cpu[name].append(CPU[-1])
            counts[name] = out.num_rows if hasattr(out, "num_rows") else len(out[0])
            del out
    peaks = peaks_in_children(path, list(runs))
    tmp.cleanup()
    sub = 20_000
    sub_args = (*(a[:sub] for a in args[:4]), lo, hi)
    pd_wall, _, pd_out = timed(lambda: pandas_per_leg(*sub_args))
    assert len(set(counts.values())) == 1, counts  # every method lists the same flights
    print(f"{ns.legs:,} legs, {counts['NumPy day by day']:,} flights, {SEASON[0]} to {SEASON[1]}")
    best = min(times["expand_flights (full table)"])
    core = min(times["operating_dates (leg, date)"])
    for name, ts in times.items():
        b = min(ts)
        print(
            f"{name:32s} best {b:6.2f} s  runs {', '.join(f'{t:.2f}' for t in ts)}  "
            f"CPU best {min(cpu[name]):.2f} s  "
            f"peak +{peaks[name]:,.0f} MiB (own process)  ratio to expand_flights {b / best:5.2f}x  "
            f"to operating_dates {b / core:5.2f}x"
        )
    scale = ns.legs / sub
    print(
        f"{'pandas date_range per leg':32s} {pd_wall:6.2f} s on {sub:,} legs "
        f"({len(pd_out[0]):,} flights); x{scale:.0f} = {pd_wall * scale:.0f} s extrapolated, "
        f"{pd_wall * scale / best:.0f}x expand_flights"
    )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
