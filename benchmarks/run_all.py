"""Run every benchmark in turn (`make bench`); each prints its own ratios and peak memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "ingest.py",
    "ingest_unchanged.py",
    "trade.py",
    "brief.py",
    "history.py",
    "spark_brief.py",
    "potential.py",
    "air_ssim.py",
    "hs_convert.py",
    "demo.py",
    "web_load.py",
    "formats.py",
]


def main() -> int:
    failed = []
    for name in ORDER:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
