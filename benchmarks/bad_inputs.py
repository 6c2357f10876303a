"""Tally of the bad-input corpus: every case in tests/fixtures/bad run in a fresh ``bilat``.

    python benchmarks/bad_inputs.py                 # this checkout
    python benchmarks/bad_inputs.py --src ../main/src   # another checkout, for a baseline

Each case gets its own copy of a home holding one good BACI year and the mini agenda, and is
classed as: *clean error* (exit 2, no traceback, the home unchanged, a message naming the
file and saying what was wrong), *unclear message* (the same, but the message does not name
the file or say what was wrong), *silent accept* (exit 0), *traceback* (exit 1 or a Python traceback), *abort* (killed by a
signal, "Fatal Python error", or over the time limit), or *wrote* (exit 2 but the home
changed). Prints one line per case and the totals.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "bad"))
import corpus  # noqa: E402

_RUN = "import sys; from bilat.cli import _entry; sys.argv[0] = 'bilat'; _entry()"
KINDS = ("clean error", "unclear message", "silent accept", "traceback", "abort", "wrote")


def classify(case: corpus.Case, template: Path, work: Path, src: Path, timeout: float) -> str:
    home = work / case.name.replace("/", "_")
    shutil.copytree(template, home)
    before = corpus.snapshot(home)
    env = dict(os.environ, BILAT_HOME=str(home), PYTHONPATH=str(src), COLUMNS="400")
    try:
        r = subprocess.run(
            [sys.executable, "-c", _RUN, *case.args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "abort"
    err = r.stderr
    if r.returncode < 0 or r.returncode == 134 or "Fatal Python error" in err:
        return "abort"
    if r.returncode == 0:
        return "silent accept"
    if r.returncode != 2 or "Traceback" in err:
        return "traceback"
    if corpus.snapshot(home) != before:
        return "wrote"
    message = " ".join(err.split())
    if case.names not in message or case.says not in message:
        return "unclear message"
    return "clean error"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the bilat source to run")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before an abort")
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args()
    sys.path.insert(0, str(args.src))
    with tempfile.TemporaryDirectory(prefix="bilat-bad-") as tmp:
        work = Path(tmp)
        corpus.generate(work / "generated")
        template = work / "home"
        template.mkdir()
        corpus.setup_home(template)
        cases = corpus.cases(work / "generated")
        with ThreadPoolExecutor(args.jobs) as pool:
            verdicts = list(
                pool.map(lambda c: classify(c, template, work, args.src, args.timeout), cases)
            )
    for case, verdict in zip(cases, verdicts, strict=True):
        print(f"{verdict:14} {case.name}")
    totals = {k: verdicts.count(k) for k in KINDS}
    print(f"\ninputs tried: {len(cases)}; " + "; ".join(f"{k}: {n}" for k, n in totals.items()))


if __name__ == "__main__":
    main()
