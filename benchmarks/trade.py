"""Benchmark: one dyad's summary + products + baskets + events on a generated BACI world.

Measures bilat.trade (Ibis on DuckDB, the default) against the same queries hand-written in
DuckDB SQL over the same Parquet files (interleaved, fresh processes, answers checked equal)
and a straightforward pandas implementation of the same set, in the same run, and optionally on local PySpark. Each
engine runs in its own process so that its peak memory (ru_maxrss) is its own.

    .venv/bin/python benchmarks/trade.py                 # ours vs hand SQL, and pandas
    .venv/bin/python benchmarks/trade.py --spark         # and local PySpark, for the record
    .venv/bin/python benchmarks/trade.py --lake /work/hist/lake --rounds 3   # the history

The lake (two generated BACI years, ~11 million flows each, ``bilat.sample`` preset
"benchmark") is built once under ``--workdir`` and reused. Cold: a fresh process opens the
lake and runs the set once (for pandas: reads the Parquet files into a DataFrame, then runs
the set). Warm: the set again in the same process, median of ``--repeat`` runs.
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

YEARS = (2020, 2021)
A, B = "BLR", "KAZ"


def build(workdir: Path) -> Path:
    """Generate the lake once (a few minutes), reuse it afterwards."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    root = workdir / "lake"
    lake = Lake.open(root, create=True)
    if not lake.manifest():
        t = time.perf_counter()
        made = build_sample_lake(lake, preset("benchmark").with_(years=YEARS))
        print(f"built {made.rows:,} flows in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return root


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process, every thread (steadier than wall time on a busy machine)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn: Any, repeat: int) -> dict[str, Any]:
    """Cold: ``fn()`` once (its answer kept); warm: again, median of ``repeat`` runs."""
    t, c = time.perf_counter(), _cpu()
    answer = fn()
    cold, cold_cpu = time.perf_counter() - t, _cpu() - c
    warm, warm_cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        fn()
        warm.append(time.perf_counter() - t)
        warm_cpu.append(_cpu() - c)
    return {
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "cold_cpu_s": cold_cpu,
        "warm_cpu_s": statistics.median(warm_cpu),
        "answer": answer,
    }


# ---- bilat.trade --------------------------------------------------------------------------


def ours_set(lake: Any) -> dict[str, Any]:
    from bilat.trade import Dyad

    d = Dyad(lake, A, B)
    s = d.summary(2021)
    p = d.products(2021, level=4, top=20)
    k = d.baskets(2020, 2021)
    e = d.events(2021, level=6)
    return {
        "exports": s.exports_usd,
        "imports": s.imports_usd,
        "rank": s.standings[0].rank,
        "top_products": p.to_pandas()["product"].tolist()[:5],
        "top_value": float(p.to_pandas().value_usd.iloc[0]),
        "baskets": {r["basket"]: r["value_to_usd"] for r in k.to_arrow().to_pylist()},
        "events": e.counts(),
    }


def _spark_lake(root: Path) -> Any:
    import ibis
    from pyspark.sql import SparkSession

    from bilat.lake import Lake

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "8g")
        .getOrCreate()
    )

    return Lake.open(root, backend=ibis.pyspark.connect(spark))


def run_ours(root: Path, repeat: int, spark: bool) -> dict[str, Any]:
    """Cold: a fresh process opens the lake and runs the set (modules imported first, as
    for the SQL, whose ``duckdb`` import is not timed either; ``import_s`` says what they
    cost)."""
    t = time.perf_counter()
    import bilat.trade  # noqa: F401
    from bilat.lake import Lake

    imported = time.perf_counter() - t
    lake = _spark_lake(root) if spark else Lake.open(root)
    res = _timed(lambda: ours_set(lake), repeat)
    return {**res, "import_s": imported, "peak_mb": _peak_mb()}


# ---- the pandas baseline ------------------------------------------------------------------


def pandas_set(df: Any) -> dict[str, Any]:
    """The same set, written the way an analyst would in pandas."""
    from bilat.codes.baskets import load_baskets

    y, prev = 2021, 2020
    # summary: bilateral values and B's rank among A's destinations
    a_exp = df[(df.exporter == A) & (df.year == y)].groupby("importer").value_usd.sum()
    a_exp = a_exp.sort_values(ascending=False)
    exports = a_exp.get(B, 0.0)
    imports = df[(df.exporter == B) & (df.importer == A) & (df.year == y)].value_usd.sum()
    rank = int(a_exp.rank(ascending=False, method="min")[B])
    for who, flow in ((A, "importer"), (B, "exporter"), (B, "importer")):  # the other standings
        side = df[(df[flow] == who) & df.year.isin([prev, y])]
        other = "exporter" if flow == "importer" else "importer"
        side.groupby(["year", other]).value_usd.sum().groupby(level=0).rank(ascending=False)
    dyad = df[(df.exporter == A) & (df.importer == B)]
    # products at HS4 with previous year
    p = dyad.assign(hs4=dyad["product"].str[:4]).pivot_table(
        index="hs4", columns="year", values="value_usd", aggfunc="sum", fill_value=0.0
    )
    p = p.reindex(columns=[prev, y], fill_value=0.0)
    top = p[p[y] > 0].sort_values(y, ascending=False).head(20)
    # baskets
    baskets = {}
    for name, item in load_baskets().items():
        mask = dyad["product"].str.startswith(tuple(item.codes))
        baskets[name] = float(dyad[mask & (dyad.year == y)].value_usd.sum())
    # events at HS6: "appeared"/"resumed" need the year two back, which the lake does not
    # hold (2019): unknown, not zero, as bilat does; "ceased" needs only the year before
    v = dyad.pivot_table(index="product", columns="year", values="value_usd", aggfunc="sum")
    v = v.reindex(columns=[y - 2, prev, y]).fillna(0.0)
    two_back_held = bool((df.year == y - 2).any())
    events = {
        "appeared": int(((v[y] > 0) & (v[prev] <= 0) & (v[y - 2] <= 0)).sum())
        if two_back_held
        else 0,
        "resumed": int(((v[y] > 0) & (v[prev] <= 0) & (v[y - 2] > 0)).sum())
        if two_back_held
        else 0,
        "ceased": int(((v[y] <= 0) & (v[prev] > 0)).sum()),
    }
    return {
        "exports": float(exports),
        "imports": float(imports),
        "rank": rank,
        "top_products": top.index.tolist()[:5],
        "top_value": float(top[y].iloc[0]),
        "baskets": baskets,
        "events": events,
    }


def run_pandas(root: Path, repeat: int) -> dict[str, Any]:
    import pandas as pd

    from bilat.lake import Lake

    lake = Lake.open(root)
    files = [str(root / f) for e in lake.manifest() if e.kind == "flows" for f in e.files]
    cols = ["year", "exporter", "importer", "product", "value_usd"]
    held: dict[str, Any] = {}

    def load_and_run() -> dict[str, Any]:  # cold: reads the Parquet files too
        if "df" not in held:
            held["df"] = pd.concat(
                [pd.read_parquet(f, columns=cols) for f in files], ignore_index=True
            )
        return pandas_set(held["df"])

    return {**_timed(load_and_run, repeat), "peak_mb": _peak_mb()}


# ---- the hand-written DuckDB SQL baseline -------------------------------------------------


def _flow_files(root: Path) -> list[str]:
    import json as _json

    manifest = _json.loads((root / "manifest.json").read_text("utf-8"))
    live = [e for e in manifest["entries"] if e["kind"] == "flows" and not e.get("replaced_by")]
    return [str(root / f) for e in live for f in e["files"]]


def sql_set(con: Any, years: tuple[int, int]) -> dict[str, Any]:
    """The same set as hand-written DuckDB SQL over the lake's Parquet files (view ``f``: its
    flows, domestic rows left out). The benchmark lakes hold one complete source (BACI), so
    no precedence is needed: what bilat's read model decides, here the SQL takes as given."""
    from bilat.codes.baskets import load_baskets

    prev, y = years
    q = con.execute
    dest = q(
        "SELECT importer, v, rank() OVER (ORDER BY v DESC) AS r FROM (SELECT importer, "
        "sum(value_usd) AS v FROM f WHERE exporter = ? AND year = ? GROUP BY importer)",
        [A, y],
    ).fetchall()
    got = {i: (v, r) for i, v, r in dest}
    exports, rank = got.get(B, (0.0, None))
    (imports,) = q(
        "SELECT coalesce(sum(value_usd), 0) FROM f WHERE exporter = ? AND importer = ? "
        "AND year = ?",
        [B, A, y],
    ).fetchone()
    for who, side, other in ((A, "importer", "exporter"), (B, "exporter", "importer"),
                             (B, "importer", "exporter")):  # fmt: skip
        q(  # the other three standings (bilat's summary ranks every side, both years)
            f"SELECT year, {other}, rank() OVER (PARTITION BY year ORDER BY sum(value_usd) "
            f"DESC) FROM f WHERE {side} = ? AND year IN (?, ?) GROUP BY year, {other}",
            [who, prev, y],
        ).fetchall()
    top = q(
        "SELECT substr(product, 1, 4) AS hs4, sum(value_usd) FILTER (WHERE year = ?) AS now, "
        "coalesce(sum(value_usd) FILTER (WHERE year = ?), 0) AS before FROM f "
        "WHERE exporter = ? AND importer = ? AND year IN (?, ?) GROUP BY hs4 "
        "HAVING now > 0 ORDER BY now DESC, hs4 LIMIT 20",
        [y, prev, A, B, prev, y],
    ).fetchall()
    items = list(load_baskets().items())
    cols = ", ".join(
        "coalesce(sum(value_usd) FILTER (WHERE "
        + " OR ".join(f"starts_with(product, '{c}')" for c in item.codes)
        + "), 0)"
        for _, item in items
    )
    row = q(f"SELECT {cols} FROM f WHERE exporter = ? AND importer = ? AND year = ?",
            [A, B, y]).fetchone()  # fmt: skip
    baskets = {name: float(v) for (name, _), v in zip(items, row, strict=True)}
    held = {int(r[0]) for r in q("SELECT DISTINCT year FROM f").fetchall()}
    ev = q(
        "SELECT count(*) FILTER (WHERE now > 0 AND before <= 0 AND two <= 0), "
        "count(*) FILTER (WHERE now > 0 AND before <= 0 AND two > 0), "
        "count(*) FILTER (WHERE now <= 0 AND before > 0) FROM (SELECT product, "
        "coalesce(sum(value_usd) FILTER (WHERE year = ?), 0) AS now, "
        "coalesce(sum(value_usd) FILTER (WHERE year = ?), 0) AS before, "
        "coalesce(sum(value_usd) FILTER (WHERE year = ?), 0) AS two FROM f "
        "WHERE exporter = ? AND importer = ? AND year BETWEEN ? AND ? AND length(product) = 6 "
        "GROUP BY product)",
        [y, prev, y - 2, A, B, y - 2, y],
    ).fetchone()
    known = y - 2 in held  # "appeared"/"resumed" need the year two back: unknown, not zero
    return {
        "exports": float(exports),
        "imports": float(imports),
        "rank": rank,
        "top_products": [r[0] for r in top][:5],
        "top_value": float(top[0][1]),
        "baskets": baskets,
        "events": {
            "appeared": ev[0] if known else 0,
            "resumed": ev[1] if known else 0,
            "ceased": ev[2],
        },
    }


def run_sql(root: Path, repeat: int, years: tuple[int, int]) -> dict[str, Any]:
    t = time.perf_counter()
    import duckdb

    imported = time.perf_counter() - t
    files = ", ".join(f"'{f}'" for f in _flow_files(root))

    def opened_and_run() -> dict[str, Any]:
        if not hasattr(opened_and_run, "con"):  # cold: connect and define the view too
            con = duckdb.connect()
            con.execute(
                f"CREATE VIEW f AS SELECT year, exporter, importer, product, value_usd "
                f"FROM read_parquet([{files}]) WHERE exporter <> importer"
            )
            opened_and_run.con = con  # type: ignore[attr-defined]
        return sql_set(opened_and_run.con, years)  # type: ignore[attr-defined]

    res = _timed(opened_and_run, repeat)
    return {**res, "import_s": imported, "peak_mb": _peak_mb()}


# ---- driver -------------------------------------------------------------------------------


def _child(variant: str, root: Path, repeat: int, *, src: Path | None = None) -> dict[str, Any]:
    """Run one variant in a fresh interpreter (with ``src`` first on the path: old code)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [
        sys.executable,
        __file__,
        "--variant",
        variant,
        "--root",
        str(root),
        "--repeat",
        str(repeat),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _old_source(rev: str, workdir: Path) -> Path:
    """A checkout of ``rev``'s ``src`` folder (git worktree under ``workdir``)."""
    repo = Path(__file__).resolve().parents[1]
    tree = workdir / f"src-{rev}"
    if not tree.exists():
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(tree), rev],
            check=True,
            capture_output=True,
        )
    return tree / "src"


def compare(root: Path, rev: str, workdir: Path, repeat: int, rounds: int) -> None:
    """This checkout against commit ``rev`` on the same lake, interleaved A B A B."""
    import statistics as st

    old = _old_source(rev, workdir)
    runs: dict[str, list[dict[str, Any]]] = {"new": [], "old": []}
    for _ in range(rounds):
        runs["new"].append(_child("ours", root, repeat))
        runs["old"].append(_child("ours", root, repeat, src=old))
    load = os.getloadavg()
    print(f"this checkout vs {rev}, {rounds} rounds interleaved; load average {load[0]:.1f}")
    print(f"{'code':10} {'cold s':>8} {'warm s':>8} {'peak MB':>9}")
    med = {}
    for name, rs in runs.items():
        med[name] = {k: st.median(r[k] for r in rs) for k in ("cold_s", "warm_s", "peak_mb")}
        m = med[name]
        print(f"{name:10} {m['cold_s']:8.3f} {m['warm_s']:8.3f} {m['peak_mb']:9.0f}")
    print(f"warm ratio new/old: {med['new']['warm_s'] / med['old']['warm_s']:.2f}")
    new_answer, old_answer = runs["new"][0]["answer"], runs["old"][0]["answer"]
    for key in new_answer:
        same = _agree({key: new_answer[key]}, {key: old_answer.get(key)})
        print(
            f"  {key}: {'same' if same else f'new {new_answer[key]} / old {old_answer.get(key)}'}"
        )
    print(f"cold ratio new/old: {med['new']['cold_s'] / med['old']['cold_s']:.2f}")


def _table(results: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    keys = ("cold_s", "warm_s", "cold_cpu_s", "warm_cpu_s", "peak_mb")
    med = {
        name: {k: statistics.median(r[k] for r in rs) for k in keys} for name, rs in results.items()
    }
    print(f"{'engine':30} {'cold s':>8} {'warm s':>8} {'cold CPU':>9} {'warm CPU':>9} "
          f"{'peak MB':>8}  runs")  # fmt: skip
    for name, m in med.items():
        print(f"{name:30} {m['cold_s']:8.3f} {m['warm_s']:8.3f} {m['cold_cpu_s']:9.3f} "
              f"{m['warm_cpu_s']:9.3f} {m['peak_mb']:8.0f}  {len(results[name])}")  # fmt: skip
    return med


def run_set(root: Path, repeat: int, rounds: int, pandas: bool, spark: bool) -> None:
    """Ours and the hand-written SQL interleaved (fresh processes), pandas and Spark once."""
    ours_name, sql_name = "bilat.trade (DuckDB)", "hand-written DuckDB SQL"
    results: dict[str, list[dict[str, Any]]] = {ours_name: [], sql_name: []}
    for _ in range(rounds):
        results[ours_name].append(_child("ours", root, repeat))
        results[sql_name].append(_child("sql", root, repeat))
    if pandas:
        results["pandas"] = [_child("pandas", root, repeat)]
    if spark:
        results["bilat.trade (PySpark local[2])"] = [_child("spark", root, max(1, repeat // 2))]
    load = os.getloadavg()
    print(f"lake {root}; dyad {A}-{B}, years {YEARS}; set = summary + products + baskets + "
          f"events; load average {load[0]:.1f}")  # fmt: skip
    med = _table(results)
    ours, sql = med[ours_name], med[sql_name]
    print(f"ratio ours/SQL (target <= 1.5): warm {ours['warm_s'] / sql['warm_s']:.2f} "
          f"(CPU {ours['warm_cpu_s'] / sql['warm_cpu_s']:.2f}), cold "
          f"{ours['cold_s'] / sql['cold_s']:.2f} (CPU {ours['cold_cpu_s'] / sql['cold_cpu_s']:.2f})")  # fmt: skip
    answer = results[ours_name][0]["answer"]
    for name, rs in results.items():
        if name != ours_name:
            print(f"same answers as {name}: {_agree(answer, rs[0]['answer'])}")
    print(json.dumps({"load": load[0], "median": med}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bilat-bench-trade"))
    parser.add_argument("--lake", type=Path, help="an existing lake instead (e.g. the history)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--spark", action="store_true", help="also run on local PySpark")
    parser.add_argument("--no-pandas", action="store_true", help="leave the pandas run out")
    parser.add_argument(
        "--against",
        metavar="REV",
        help="compare this checkout with the bilat of commit REV (interleaved) instead",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of interleaved runs")
    parser.add_argument(
        "--variant", choices=["build", "ours", "pandas", "spark", "sql"], help=argparse.SUPPRESS
    )
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one round, one warm repeat")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.repeat = 1, 1
    if args.variant == "build":  # in its own process: the driver stays small
        print(json.dumps({"root": str(build(args.root))}))
        return
    if args.variant:
        if args.variant == "pandas":
            res = run_pandas(args.root, args.repeat)
        elif args.variant == "sql":
            res = run_sql(args.root, args.repeat, YEARS)
        else:
            res = run_ours(args.root, args.repeat, spark=args.variant == "spark")
        print(json.dumps(res, default=str))
        return
    root = args.lake or Path(_child("build", args.workdir, 0)["root"])
    if args.against:
        compare(root, args.against, args.workdir, args.repeat, args.rounds)
        return
    pandas = not args.no_pandas and args.lake is None  # pandas holds every flow in memory
    run_set(root, args.repeat, args.rounds, pandas, args.spark)


def _agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def close(x: Any, y: Any) -> bool:
        if isinstance(x, dict):
            return set(x) == set(y) and all(close(x[k], y[k]) for k in x)
        if isinstance(x, float) or isinstance(y, float):
            return abs(float(x or 0) - float(y or 0)) <= 1e-6 * max(1.0, abs(float(x or 0)))
        return bool(x == y)

    return close(a, b)


if __name__ == "__main__":
    main()
