"""Re-ingest benchmark: `bilat ingest baci` of a file the lake already holds (issue 13).

The generated 11-million-row BACI year is ingested once into a fresh lake; then the same file
is ingested again, in a fresh process, and reported ``unchanged``. Measured: the wall time of
both, and the bytes the re-ingest wrote (``/proc/self/io`` ``write_bytes``; Linux only).
Baseline: the first ingest of the same file, which does the whole work.

    python benchmarks/ingest_unchanged.py                 # the full 11M-row year
    python benchmarks/ingest_unchanged.py --preset demo   # a small world, for a quick look
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, baci_year, emit, run_child


def _written() -> int | None:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def child(which: str, csv_path: str, out: str) -> None:
    from bilat.lake import Lake

    lake = Lake.open(out)
    before = _written()
    start = time.perf_counter()
    reports = lake.ingest_baci(csv_path)
    seconds = time.perf_counter() - start
    after = _written()
    emit(
        {
            "run": which,
            "seconds": seconds,
            "status": reports[0].status,
            "written_mb": None if before is None or after is None else (after - before) / 1e6,
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--preset", default="benchmark", help="sample preset: benchmark or demo")
    ap.add_argument("--child", nargs=3, metavar=("RUN", "CSV", "OUT"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    csv_path = baci_year(args.preset)  # the file benchmarks/ingest.py uses
    out = WORK / "out-unchanged"
    shutil.rmtree(out, ignore_errors=True)
    for which in ("first", "again"):
        r = run_child(Path(__file__), which, str(csv_path), str(out))
        mb = "?" if r["written_mb"] is None else f"{r['written_mb']:,.1f} MB written"
        print(
            f"{which:6s} {r['seconds']:7.2f} s  {r['status']:9s}  {mb}  peak {r['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
