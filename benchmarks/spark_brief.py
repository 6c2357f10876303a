"""Benchmark: the whole briefing of a dyad on local Spark against DuckDB, in the same run.

Each engine runs in its own fresh process, interleaved (DuckDB, Spark, DuckDB, Spark ...),
chosen the way a user chooses it (``BILAT_BACKEND``, a config file naming ``local[2]`` and
the Spark settings). A process opens the lake, builds the briefing once (cold: for Spark
this includes starting the JVM and the SparkSession, reported apart as well), then again
``--repeat`` times (warm, median). Every run's document is reduced to a digest of its
figures (floats to 9 significant digits), and the digests must agree across engines.

    .venv/bin/python benchmarks/spark_brief.py             # the small fixture lake
    .venv/bin/python benchmarks/spark_brief.py --quick     # one round, one warm repeat
    .venv/bin/python benchmarks/spark_brief.py --lake /tmp/bilat-bench-trade/lake \\
        --year 2021 --no-case                               # the two-year benchmark lake
    .venv/bin/python benchmarks/spark_brief.py --remote sc://localhost:15002  # Spark Connect

The fixture lake is the brief tests' small synthetic world (7 countries, 300 products plus
the basket codes, 2017-2022, ~22,000 flows), built once under ``--workdir``. Peak memory:
the Python process (ru_maxrss) and, for Spark, the JVM's resident memory at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any

from _util import emit, run_child

SCRIPT = Path(__file__).resolve()
SPARK_CONF = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
}


def build_fixture(workdir: Path) -> Path:
    """The brief tests' small synthetic world, made once and reused."""
    from bilat.lake import Lake
    from bilat.sample import SampleSpec, build_sample_lake
    from bilat.sample.spec import BASKET_CODES

    root = workdir / "fixture-lake"
    lake = Lake.open(root, create=True)
    if not lake.manifest():
        spec = SampleSpec(
            seed=11,
            years=tuple(range(2017, 2023)),
            countries=("BLR", "CHN", "DEU", "KAZ", "POL", "RUS", "UZB"),
            products=300,
            required_products=BASKET_CODES,
        )
        build_sample_lake(lake, spec)
    return root


def _digest(doc: Any) -> str:
    """A hash of the document's figures and texts, floats to 9 significant digits."""

    def norm(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: norm(x) for k, x in sorted(v.items()) if k != "generated_at"}
        if isinstance(v, list):
            return [norm(x) for x in v]
        if isinstance(v, float):
            return f"{v:.9g}" if math.isfinite(v) else str(v)
        return v

    text = json.dumps(norm(doc), sort_keys=True, default=str)
    text = re.sub(r"data-[0-9a-f]{32}", "data", text)  # chart data sets: named by a row hash
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _jvm_mb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    kids = psutil.Process().children(recursive=True)
    return round(sum(k.memory_info().rss for k in kids) / 2**20, 1) if kids else None


def child(root: Path, year: int, case: str | None, repeat: int) -> dict[str, Any]:
    from bilat.brief import build_briefing
    from bilat.lake import Lake

    t0 = time.perf_counter()
    lake = Lake.open(root)
    con = lake.con  # DuckDB: a connection; Spark: the JVM and the SparkSession
    start_s = time.perf_counter() - t0

    def once() -> dict[str, Any]:
        return build_briefing(
            lake, "BLR", "KAZ", year=year, case=case, as_of="2023-01-01"
        ).to_dict()

    t = time.perf_counter()
    doc = once()
    cold_s = time.perf_counter() - t0
    first_s = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        once()
        warm.append(time.perf_counter() - t)
    return {
        "engine": con.name,
        "start_s": round(start_s, 3),
        "cold_s": round(cold_s, 3),
        "first_build_s": round(first_s, 3),
        "warm_s": round(statistics.median(warm), 3) if warm else None,
        "digest": _digest(doc),
        "jvm_mb": _jvm_mb(),
    }


def _engine_env(name: str, workdir: Path, remote: str | None) -> None:
    for k in ("BILAT_BACKEND", "BILAT_CONFIG", "BILAT_SPARK_MASTER", "BILAT_SPARK_REMOTE"):
        os.environ.pop(k, None)
    if name == "duckdb":
        os.environ["BILAT_BACKEND"] = "duckdb"
        return
    config = workdir / "spark-config.toml"
    where = f'spark_remote = "{remote}"' if remote else 'spark_master = "local[2]"'
    conf = "".join(f'"{k}" = "{v}"\n' for k, v in SPARK_CONF.items())
    config.write_text(f'[engine]\nbackend = "pyspark"\n{where}\n[engine.spark_conf]\n{conf}')
    os.environ["BILAT_CONFIG"] = str(config)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bilat-bench-spark"))
    p.add_argument("--lake", type=Path, help="a lake to brief (default: the fixture lake)")
    p.add_argument("--year", type=int, default=2021)
    p.add_argument("--no-case", action="store_true", help="brief without the shipped case")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--remote", help="a Spark Connect URL instead of local[2]")
    p.add_argument("--quick", action="store_true", help="one round, one warm repeat")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--case", default="blr-kaz-2022", help=argparse.SUPPRESS)
    p.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        emit(child(a.root, a.year, None if a.no_case else a.case, a.repeat))
        return
    if a.quick:
        a.rounds, a.repeat = 1, 1
    a.workdir.mkdir(parents=True, exist_ok=True)
    root = a.lake or build_fixture(a.workdir)
    args = ["--root", str(root), "--year", str(a.year), "--repeat", str(a.repeat)]
    args += ["--no-case"] if a.no_case else []
    runs: dict[str, list[dict[str, Any]]] = {"duckdb": [], "pyspark": []}
    load = [os.getloadavg()[0]]
    for _ in range(a.rounds):  # interleaved: A B A B
        for name in runs:
            _engine_env(name, a.workdir, a.remote)
            runs[name].append(run_child(SCRIPT, *args))
            load.append(os.getloadavg()[0])
    _report(root, runs, load, a)


def _report(root: Path, runs: dict[str, list[dict[str, Any]]], load: list[float], a: Any) -> None:
    print(f"briefing BLR-KAZ {a.year} on {root}; {a.rounds} rounds, warm = median of {a.repeat}")
    print(f"{'engine':22} {'start s':>8} {'cold s':>8} {'warm s':>8} {'py MB':>7} {'JVM MB':>7}")
    med: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():
        label = name if name == "duckdb" else ("Spark Connect" if a.remote else "Spark local[2]")
        m = {
            k: statistics.median(float(r[k] or 0) for r in rs)
            for k in ("start_s", "cold_s", "warm_s", "peak_mb", "jvm_mb")
        }
        med[name] = m
        print(
            f"{label:22} {m['start_s']:8.2f} {m['cold_s']:8.2f} {m['warm_s']:8.2f} "
            f"{m['peak_mb']:7.0f} {m['jvm_mb']:7.0f}"
        )
    d, s = med["duckdb"], med["pyspark"]
    print(
        f"Spark / DuckDB: cold {s['cold_s'] / d['cold_s']:.1f}x, warm {s['warm_s'] / d['warm_s']:.1f}x"
    )
    digests = {r["digest"] for rs in runs.values() for r in rs}
    print(f"same figures on both engines (digest): {len(digests) == 1} {sorted(digests)}")
    print(f"load average (1 min) during the runs: {min(load):.2f}-{max(load):.2f}")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
