"""Benchmark: ``bilat demo`` end to end, against building the sample world alone.

1. **Demo**: ``bilat.brief.run_demo`` into a fresh folder (sample world 2015-2022, case
   import, claims, briefing HTML + JSON), with the time of each step. Target: under 60 s on a
   2-core machine.
2. **Baseline**: ``bilat.sample.build_sample_lake(lake, "demo")`` alone into a fresh lake,
   the part of the demo that is data generation and ingest.

The ratio demo / baseline shows what the case import, the claims and the briefing add on
top of making the data. Each measurement runs in its own process (its own peak memory).

    .venv/bin/python benchmarks/demo.py [--workdir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import WORK, emit, run_child


def child_demo(folder: Path) -> dict[str, Any]:
    from bilat.brief import run_demo

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    report = run_demo(folder, on_step=lambda text: marks.append((text, time.perf_counter())))
    end = time.perf_counter()
    steps = {}
    for (text, t0), (_, t1) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        steps[text.split(" (")[0]] = round(t1 - t0, 2)
    return {"what": "demo", "seconds": round(end - start, 2), "steps": steps, "rows": report.rows}


def child_baseline(folder: Path) -> dict[str, Any]:
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake

    start = time.perf_counter()
    sample = build_sample_lake(Lake.open(folder / "lake", create=True), "demo")
    return {
        "what": "baseline",
        "seconds": round(time.perf_counter() - start, 2),
        "rows": sample.rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=WORK / "demo")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("what", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder = args.workdir / args.what
        shutil.rmtree(folder, ignore_errors=True)
        emit(child_demo(folder) if args.what == "demo" else child_baseline(folder))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    demo = run_child(Path(__file__), "--workdir", str(args.workdir), "demo")
    base = run_child(Path(__file__), "--workdir", str(args.workdir), "baseline")
    print(
        f"demo (run_demo, {demo['rows']:,} flows): {demo['seconds']:.1f} s, peak {demo['peak_mb']} MB"
    )
    for step, secs in demo["steps"].items():
        print(f"  {step}: {secs:.1f} s")
    print(f"baseline (build_sample_lake alone): {base['seconds']:.1f} s, peak {base['peak_mb']} MB")
    print(f"ratio demo / baseline: {demo['seconds'] / base['seconds']:.2f}")
    print(f"target under 60 s: {'met' if demo['seconds'] < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
