"""Benchmark: the whole briefing of a dyad, built in one process and written by ``bilat brief``.

Three measures, each in fresh processes, this checkout and a baseline commit interleaved
(A B A B), with peak memory (ru_maxrss) and the load average:

* build: ``bilat.brief.build_briefing`` for BLR–KAZ 2021, cold (a fresh process opens the
  lake and builds) and warm (built again in the same process, median of ``--repeat``);
* cli: ``bilat brief BLR KAZ --year 2021`` end to end in a fresh process (start-up, build,
  HTML with its charts and JSON; no PDF unless ``--pdf``), wall time and peak memory;
* check: the briefing JSON built by both commits on the demo lake, compared (every field but
  the timestamp): the figures must not change.

    .venv/bin/python benchmarks/brief.py --lake /work/hist/lake          # against 9d97ee1
    .venv/bin/python benchmarks/brief.py --lake LAKE --against REV --rounds 3
    .venv/bin/python benchmarks/brief.py --check-only                    # the JSON check

Without ``--lake``, the two-year lake of benchmarks/trade.py (under its ``--workdir``) is used.
The baseline runs from a git worktree of ``REV`` (its ``src`` first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

A, B, YEAR = "BLR", "KAZ", 2021
BASELINE = "9d97ee1"
HERE = Path(__file__).resolve()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# ---- children -----------------------------------------------------------------------------


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_build(root: Path, repeat: int) -> dict[str, Any]:
    """Cold: open the lake and build (modules imported first: ``import_s``); warm: build
    again in the same process, median of ``repeat``. CPU seconds beside wall seconds."""
    t = time.perf_counter()
    from bilat.brief import build_briefing
    from bilat.lake import Lake

    imported = time.perf_counter() - t
    t, c = time.perf_counter(), _cpu()
    lake = Lake.open(root)
    build_briefing(lake, A, B, year=YEAR)
    cold, cold_cpu = time.perf_counter() - t, _cpu() - c
    warm, warm_cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        build_briefing(lake, A, B, year=YEAR)
        warm.append(time.perf_counter() - t)
        warm_cpu.append(_cpu() - c)
    return {
        "import_s": imported, "cold_s": cold, "cold_cpu_s": cold_cpu,
        "warm_s": statistics.median(warm), "warm_cpu_s": statistics.median(warm_cpu),
        "peak_mb": _peak_mb(),
    }  # fmt: skip


def run_cli(root: Path, out: Path, pdf: bool) -> dict[str, Any]:
    """``bilat brief`` in a fresh interpreter (this process only waits for it)."""
    cmd = [sys.executable, "-m", "bilat", "brief", A, B, "--year", str(YEAR), "--lake", str(root)]
    cmd += ["--out", str(out)] + (["--pdf"] if pdf else [])
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return {"wall_s": time.perf_counter() - t, "peak_mb": _children_peak_mb()}


def run_json(root: Path, out: Path) -> dict[str, Any]:
    """The briefing JSON of the demo case on ``root``, without its timestamp."""
    from bilat.brief import build_briefing
    from bilat.cases import resolve_case
    from bilat.lake import Lake

    b = build_briefing(
        Lake.open(root), A, B, year=YEAR, case=resolve_case("blr-kaz-2022"), as_of="2024-01-01"
    )
    d = b.to_dict()
    d.pop("generated_at", None)
    out.write_text(json.dumps(d, sort_keys=True, indent=1, default=str), "utf-8")
    return {"path": str(out)}


# ---- driver -------------------------------------------------------------------------------


def _child(args: list[str], src: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src if src is not None else HERE.parents[1] / "src")
    out = subprocess.run(
        [sys.executable, str(HERE), *args], capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _old_source(rev: str, workdir: Path) -> Path:
    """A checkout of ``rev``'s ``src`` folder (git worktree under ``workdir``)."""
    tree = workdir / f"src-{rev}"
    if not tree.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "-C", str(HERE.parents[1]), "worktree", "add", "--detach", str(tree), rev],
            check=True,
            capture_output=True,
        )
    return tree / "src"


def _demo_lake(workdir: Path) -> Path:
    root = workdir / "demo-lake"
    if not (root / "manifest.json").exists():
        from bilat.lake import Lake
        from bilat.sample import build_sample_lake

        build_sample_lake(Lake.open(root, create=True), "demo")
    return root


def check(workdir: Path, old: Path) -> bool:
    """Both commits' briefing JSON on the demo lake: equal but for the timestamp."""
    root = _demo_lake(workdir)
    new_json, old_json = workdir / "brief-new.json", workdir / "brief-old.json"
    _child(["--variant", "json", "--root", str(root), "--out", str(new_json)], None)
    _child(["--variant", "json", "--root", str(root), "--out", str(old_json)], old)
    diffs = _differ(
        json.loads(new_json.read_text("utf-8")), json.loads(old_json.read_text("utf-8"))
    )
    verdict = "same" if not diffs else f"DIFFERENT ({len(diffs)} places)"
    print(f"briefing JSON on the demo lake, this checkout vs baseline: {verdict}")
    for where in diffs[:10]:
        print(f"  differs at {where} (compare {new_json} and {old_json})")
    return not diffs


#: DuckDB adds in parallel, so one commit's sums differ run to run in the last bits: figures
#: agree to this relative tolerance (two runs of the same commit differ by ~1e-15).
REL = 1e-9


def _differ(a: Any, b: Any, where: str = "$") -> list[str]:
    """Places where two briefing JSONs differ, but for float noise, the case folder's path
    (each commit has its own) and the names of chart data sets (hashes of the data)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if where.endswith(".datasets"):  # keyed by a hash of the data: compare in order
            return _differ(list(a.values()), list(b.values()), where)
        if set(a) != set(b):
            return [f"{where} keys {sorted(set(a) ^ set(b))}"]
        out = []
        for k in a:
            if k == "case" or (k == "name" and str(a[k]).startswith("data-")):
                continue
            out += _differ(a[k], b[k], f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where} length {len(a)} != {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differ(x, y, f"{where}[{i}]")
        ]
    if isinstance(a, float) and isinstance(b, float):
        return [] if abs(a - b) <= REL * max(abs(a), abs(b), 1.0) else [where]
    return [] if a == b else [where]


def _median(rs: list[dict[str, Any]]) -> dict[str, float]:
    return {k: statistics.median(float(r[k]) for r in rs) for k in rs[0]}


def compare(root: Path, rev: str, workdir: Path, repeat: int, rounds: int, pdf: bool) -> None:
    """Build and CLI, this checkout against ``rev``, interleaved, fresh processes."""
    old = _old_source(rev, workdir)
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        k: {"build": [], "cli": []} for k in ("new", "old")
    }
    build_args = ["--variant", "build", "--root", str(root), "--repeat", str(repeat)]
    for _ in range(rounds):
        for name, src in (("new", None), ("old", old)):
            runs[name]["build"].append(_child(build_args, src))
            out = workdir / f"out-{name}"
            cli = ["--variant", "cli", "--root", str(root), "--out", str(out)]
            runs[name]["cli"].append(_child([*cli, "--pdf"] if pdf else cli, src))
    load = os.getloadavg()
    what = "HTML+JSON+PDF" if pdf else "HTML+JSON (no PDF)"
    print(f"lake {root}; dyad {A}-{B} {YEAR}; {rounds} rounds interleaved; load {load[0]:.1f}")
    print(f"{'code':14} {'build cold s':>12} {'(CPU)':>7} {'warm s':>8} {'(CPU)':>7} "
          f"{'peak MB':>8}   {'bilat brief s':>13} {'peak MB':>8}  ({what})")  # fmt: skip
    med = {n: {k: _median(v) for k, v in r.items()} for n, r in runs.items()}
    for name, label in (("new", "this checkout"), ("old", rev)):
        b, c = med[name]["build"], med[name]["cli"]
        print(f"{label:14} {b['cold_s']:12.2f} {b['cold_cpu_s']:7.1f} {b['warm_s']:8.3f} "
              f"{b['warm_cpu_s']:7.2f} {b['peak_mb']:8.0f}   {c['wall_s']:13.2f} "
              f"{c['peak_mb']:8.0f}")  # fmt: skip
    n, o = med["new"], med["old"]
    print(
        f"ratio new/old: build cold {n['build']['cold_s'] / o['build']['cold_s']:.2f}, "
        f"warm {n['build']['warm_s'] / o['build']['warm_s']:.2f}, "
        f"bilat brief {n['cli']['wall_s'] / o['cli']['wall_s']:.2f}"
    )
    print(json.dumps({"load": load[0], "median": med}))


def _default_lake(workdir: Path) -> Path:
    trade = HERE.parent / "trade.py"
    out = subprocess.run(
        [sys.executable, str(trade), "--variant", "build", "--root", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(json.loads(out.stdout.strip().splitlines()[-1])["root"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, help="the lake (default: trade.py's two years)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bilat-bench-trade"))
    parser.add_argument("--against", metavar="REV", default=BASELINE)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="bilat brief also writes the PDF")
    parser.add_argument("--check-only", action="store_true", help="only the JSON check")
    parser.add_argument("--variant", choices=["build", "cli", "json"], help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one round, one warm repeat")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.repeat = 1, 1
    if args.variant:
        if args.variant == "build":
            res = run_build(args.root, args.repeat)
        elif args.variant == "cli":
            res = run_cli(args.root, args.out, args.pdf)
        else:
            res = run_json(args.root, args.out)
        print(json.dumps(res))
        return
    old = _old_source(args.against, args.workdir)
    same = check(args.workdir, old)
    if args.check_only:
        sys.exit(0 if same else 1)
    root = args.lake or _default_lake(args.workdir)
    compare(root, args.against, args.workdir, args.repeat, args.rounds, args.pdf)


if __name__ == "__main__":
    main()
