"""Helpers shared by the benchmark scripts: child-process runs with their peak memory."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

WORK = Path(os.environ.get("BILAT_BENCH_DIR", Path(__file__).resolve().parent / "_work"))


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(script: Path, *args: str) -> dict[str, Any]:
    """Run ``script --child ARGS`` in a fresh interpreter; it prints one JSON line of results."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result.setdefault("wall_s", time.perf_counter() - start)
    return result


def emit(result: dict[str, Any]) -> None:
    """Print a child's result as its last line of output."""
    result["peak_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(result))


def baci_year(preset_name: str) -> Path:
    """The generated BACI-format CSV of a sample preset's last year (made once, then reused)."""
    from bilat.sample import preset, write_baci_csv

    spec = preset(preset_name)
    WORK.mkdir(parents=True, exist_ok=True)
    csv_path = WORK / f"baci-{preset_name}.csv"
    if not csv_path.exists():
        t = time.perf_counter()
        write_baci_csv(spec, csv_path, year=spec.years[-1])
        print(f"generated {csv_path} in {time.perf_counter() - t:.1f} s")
    return csv_path
