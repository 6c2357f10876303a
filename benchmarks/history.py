"""Benchmark: a dyad's reads on a generated history, before and after ``Lake.compact()``.

    .venv/bin/python benchmarks/history.py                    # build (or reuse) 10 years
    .venv/bin/python benchmarks/history.py --lake /work/hist/lake --sizes 5,10
    .venv/bin/python benchmarks/history.py --quick            # 2 years, one round

The source lake (``--lake``; default ``benchmarks/_work/history/lake``, built with the
"benchmark" preset over 2012-2021 when absent, ~4 min) is read-only. For each size N of
``--sizes``, a lake of its last N years (the dyad set reads 2020-2021) is made by hard links (``yN/before``: the ingest
layout, one file per year in the order the generator wrote) and compacted in a child process
(``yN/after``: one file per year sorted by exporter/importer/product). Then, each in a fresh
process and interleaved before/after:

* ``set``: open the lake, the trade view's index (the scans over every candidate), the
  dyad's scope (every flow with BLR or KAZ on either side, all years, as the trade view
  pulls it), the dyad set of benchmarks/trade.py (summary + products + baskets + events)
  cold, and warm (median of ``--repeat``);
* ``sql``: the scope as hand-written DuckDB SQL, in two shapes: one ``OR`` filter, as the
  trade view asks today, and exporter side ``UNION ALL`` importer side; and each side alone.

Row groups: from the Parquet footers, how many row groups the min/max statistics of
``exporter`` (``importer``) let a reader skip for the dyad. Peak memory is ru_maxrss of the
child; the load average is printed with every row (two cores, shared: read the ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import WORK, emit, run_child

A, B = "BLR", "KAZ"
YEARS = tuple(range(2012, 2022))
SCRIPT = Path(__file__).resolve()


# ---- the lakes ------------------------------------------------------------------------


def build(root: Path) -> Path:
    """The 10-year history lake (benchmark preset), built once and reused."""
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    lake = Lake.open(root, create=True)
    if not lake.manifest():
        t = time.perf_counter()
        made = build_sample_lake(lake, preset("benchmark").with_(years=YEARS))
        print(f"built {made.rows:,} flows in {time.perf_counter() - t:.0f} s", flush=True)
    return root


def subset(src: Path, dst: Path, years: int) -> Path:
    """A lake of the last ``years`` years of ``src``, its files hard-linked (no copy)."""
    from bilat.lake.manifest import Manifest

    if (dst / "manifest.json").exists():
        return dst
    m = Manifest.load(src / "manifest.json")
    held = sorted({y for e in m.active() for y in e.years})[-years:]
    keep = [e for e in m.active() if set(e.years) <= set(held)]
    for e in keep:
        for f in e.files:
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            os.link(src / f, dst / f)
    Manifest(generation=m.generation, entries=keep).save(dst / "manifest.json")
    return dst


def _du(root: Path) -> int:
    return sum(p.stat().st_size for p in (root / "data").rglob("*.parquet"))


def child_compact(src: Path, dst: Path, row_group: int) -> dict[str, Any]:
    """Hard-link ``src`` into ``dst`` and compact it (the links are removed, not the data)."""
    from bilat.lake import Lake

    shutil.copytree(src, dst, copy_function=os.link)
    r = Lake.open(dst).compact(row_group_size=row_group)
    return {"compact_s": r.seconds, "rows": r.rows, "bytes_before": r.bytes_before,
            "bytes_after": r.bytes_after, "bytes_by_importer": r.bytes_by_importer,
            "files_before": r.files_before, "files_after": r.files_after}  # fmt: skip


# ---- what a reader reads ----------------------------------------------------------------


def _files(root: Path, *, by_importer: bool = False) -> list[str]:
    """The flows files a reader reads; with ``by_importer`` their copies sorted by importer
    when every one has its copy (else the same files)."""
    from bilat.lake._compact import companion
    from bilat.lake.lake import _files as listed
    from bilat.lake.manifest import Manifest

    files, _ = listed(Manifest.load(root / "manifest.json"), "flows")
    twins = [companion(f) for f in files]
    if by_importer and all(t and (root / t).is_file() for t in twins):
        files = [str(t) for t in twins]
    return [str(root / f) for f in files]


def row_groups(root: Path) -> dict[str, int]:
    """Row groups in all, and those the min/max statistics cannot rule out for A or B."""
    import pyarrow.parquet as pq

    out = {"row_groups": 0, "exporter_side": 0, "importer_side": 0}
    for side in ("exporter", "importer"):
        for f in _files(root, by_importer=side == "importer"):
            meta = pq.ParquetFile(f).metadata
            names = [meta.schema.column(i).name for i in range(meta.num_columns)]
            for g in range(meta.num_row_groups):
                out["row_groups"] += int(side == "exporter")
                st = meta.row_group(g).column(names.index(side)).statistics
                hit = st is None or any(st.min <= c <= st.max for c in (A, B))
                out[f"{side}_side"] += int(hit)
    return out


#: The scope in three shapes: ``or`` as the trade view asks today; ``union`` the two sides
#: over the same files; ``split`` each member's exporter side from the files sorted by
#: exporter (``f``) and importer side from the copies sorted by importer (``g``, the same
#: files before compaction), one equality per member (an ``IN`` list is pruned by its
#: min-max range, BLR..KAZ, which spans half the alphabet).
SQL = {
    "or": "SELECT * FROM f WHERE exporter IN ({m}) OR importer IN ({m})",
    "union": "SELECT * FROM f WHERE exporter IN ({m}) UNION ALL "
    "SELECT * FROM f WHERE importer IN ({m}) AND exporter NOT IN ({m})",
    "split": f"SELECT * FROM f WHERE exporter = '{A}' UNION ALL "
    f"SELECT * FROM f WHERE exporter = '{B}' UNION ALL "
    f"SELECT * FROM g WHERE importer = '{A}' AND exporter NOT IN ({{m}}) UNION ALL "
    f"SELECT * FROM g WHERE importer = '{B}' AND exporter NOT IN ({{m}})",
}


def child_sql(root: Path, form: str, repeat: int) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for view, by_importer in (("f", False), ("g", True)):
        listed = ", ".join(f"'{f}'" for f in _files(root, by_importer=by_importer))
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet([{listed}])")
    q = SQL[form].format(m=f"'{A}', '{B}'")
    t = time.perf_counter()
    rows = con.sql(q).to_arrow_table().num_rows
    cold = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.sql(q).to_arrow_table()
        warm.append(time.perf_counter() - t)
    return {"rows": rows, "cold_s": cold, "warm_s": statistics.median(warm)}


def child_set(root: Path, repeat: int) -> dict[str, Any]:
    from bilat.lake import Lake
    from bilat.tradeview import trade_view
    from trade import ours_set

    t0 = time.perf_counter()
    lake = Lake.open(root)
    tv = trade_view(lake)
    years = tv.years()
    index = time.perf_counter() - t0
    t = time.perf_counter()
    scope = tv.rows(years, members=(A, B)).count().execute()
    scope_s = time.perf_counter() - t
    t = time.perf_counter()
    answer = ours_set(lake)
    set_cold = time.perf_counter() - t
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        ours_set(lake)
        warm.append(time.perf_counter() - t)
    return {"index_s": index, "scope_s": scope_s, "scope_rows": int(scope),
            "set_cold_s": set_cold, "cold_total_s": time.perf_counter() - t0 - sum(warm),
            "set_warm_s": statistics.median(warm), "answer": answer}  # fmt: skip


def child_indicator(root: Path, what: str) -> dict[str, Any]:
    """Export potential of A in every market (HS6, 2021) or complexity (HS6, 2021), cold."""
    from bilat.lake import Lake

    t = time.perf_counter()
    lake = Lake.open(root)
    if what == "potential":
        from bilat.potential.products import export_potential

        ep = export_potential(lake, A, year=2021, level=6)
        answer = {"cells": len(ep.products), "untapped": float(ep.markets["unrealised_usd"].sum())}
    else:
        from bilat.potential.complexity import complexity

        cx = complexity(lake, year=2021, level=6)
        answer = {"countries": len(cx.countries), "eci_a": float(
            cx.countries.set_index("country").loc[A, "eci"])}  # fmt: skip
    return {"run_s": time.perf_counter() - t, "answer": answer}


def indicators(lakes: dict[str, Path], rounds: int) -> None:
    """EPI (target < 10 s) and complexity (target < 5 s), fresh processes, interleaved."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for _ in range(rounds):
        for what in ("potential", "complexity"):
            for name, root in lakes.items():
                r = run_child(SCRIPT, "indicator", str(root), what)
                r["load"] = _load()
                runs.setdefault(f"{what} {name}", []).append(r)
    print(f"   {'indicator':<24}{'run_s (median)':>16}{'peak_mb':>10}   answer   load")
    for k, rs in runs.items():
        print(f"   {k:<24}{_med(rs, 'run_s'):>16.2f}{_med(rs, 'peak_mb'):>10.0f}   "
              f"{rs[0]['answer']}   {rs[-1]['load']}")  # fmt: skip


# ---- the parent: interleaved runs and the table ----------------------------------------


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _prepare(src: Path, work: Path, size: int, row_group: int) -> tuple[Path, Path, dict]:
    before = subset(src, work / f"y{size}" / "before", size)
    after = work / f"y{size}" / f"after-{row_group}"
    info_path = after.with_suffix(".json")
    if not (after / "manifest.json").exists():
        shutil.rmtree(after, ignore_errors=True)
        info = run_child(SCRIPT, "compact", str(before), str(after), str(row_group))
        info["load"] = _load()
        info_path.write_text(json.dumps(info))
    info = json.loads(info_path.read_text())
    info["disk_before_mb"] = _du(before) / 2**20
    info["disk_after_mb"] = _du(after) / 2**20
    return before, after, info


def _measure(lakes: dict[str, Path], rounds: int, repeat: int) -> dict[str, list[dict]]:
    """Each measurement in a fresh process, the lakes interleaved (A B A B)."""
    runs: dict[str, list[dict]] = {}
    for _ in range(rounds):
        for name, root in lakes.items():
            r = run_child(SCRIPT, "set", str(root), str(repeat))
            r["load"] = _load()
            runs.setdefault(f"set {name}", []).append(r)
            for form in SQL:
                s = run_child(SCRIPT, "sql", str(root), form, str(repeat))
                s["load"] = _load()
                runs.setdefault(f"sql:{form} {name}", []).append(s)
    return runs


def _med(rs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rs)


def report(size: int, info: dict, runs: dict[str, list[dict]], groups: dict[str, dict]) -> None:
    print(f"\n== {size} years: {info['rows']:,} flows; compaction {info['compact_s']:.1f} s, "
          f"peak {info['peak_mb']:.0f} MB (load {info['load']}); disk "
          f"{info['disk_before_mb']:.0f} MB -> {info['disk_after_mb']:.0f} MB (of which "
          f"{info.get('bytes_by_importer', 0) / 2**20:.0f} MB the copies by importer); files "
          f"{info['files_before']} -> {info['files_after']}")  # fmt: skip
    for name, g in groups.items():
        print(f"   row groups {name}: {g['row_groups']} in all; the statistics leave "
              f"{g['exporter_side']} for exporter in (A, B), {g['importer_side']} for importer "
              "(in the copies sorted by importer, when there are)")  # fmt: skip
    names = sorted({k.split(" ")[1] for k in runs})
    cols = ["index_s", "scope_s", "set_cold_s", "cold_total_s", "set_warm_s", "peak_mb"]
    print(f"   {'trade view':<12}" + "".join(f"{c:>14}" for c in cols) + "   load")
    for n in names:
        rs = runs[f"set {n}"]
        print(f"   {n:<12}" + "".join(f"{_med(rs, c):>14.3f}" for c in cols)
              + f"   {rs[-1]['load']}")  # fmt: skip
    b = runs["set before"]
    for n in names:
        if n != "before":
            ratios = ", ".join(
                f"{c} {_med(runs[f'set {n}'], c) / _med(b, c):.2f}"
                for c in ("scope_s", "set_cold_s", "set_warm_s")
            )
            print(f"   ratio {n}/before: {ratios}")
    print(f"   {'SQL scope':<22}{'rows':>10}{'cold_s':>10}{'warm_s':>10}{'peak_mb':>10}")
    for k in sorted(k for k in runs if k.startswith("sql:")):
        rs = runs[k]
        print(f"   {k[4:]:<22}{rs[0]['rows']:>10}{_med(rs, 'cold_s'):>10.3f}"
              f"{_med(rs, 'warm_s'):>10.3f}{_med(rs, 'peak_mb'):>10.0f}")  # fmt: skip


def _check(runs: dict[str, list[dict]]) -> None:
    """Every lake gives the same dyad set, and every SQL shape the same row count."""
    answers = {
        k: json.dumps(v[0]["answer"], sort_keys=True) for k, v in runs.items() if "answer" in v[0]
    }
    if len(set(answers.values())) > 1:
        raise SystemExit(f"the dyad set differs between lakes: {answers}")
    counts = {v[0]["rows"] for k, v in runs.items() if k.startswith("sql:")}
    if len(counts) > 1:
        raise SystemExit(f"the scope shapes disagree on the rows: {counts}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lake", type=Path, default=WORK / "history" / "lake")
    p.add_argument("--workdir", type=Path, default=WORK / "history")
    p.add_argument("--sizes", default="10", help="years per lake, comma-separated (e.g. 5,10)")
    p.add_argument("--row-groups", default="131072", help="row-group sizes to compact with")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="2 years, one round")
    p.add_argument(
        "--only",
        choices=["reads", "indicators"],
        help="only the dyad's reads, or only export potential and complexity",
    )
    a = p.parse_args()
    sizes = [2] if a.quick else [int(s) for s in a.sizes.split(",")]
    rounds = 1 if a.quick else a.rounds
    src = a.lake if (a.lake / "manifest.json").exists() else build(a.lake)
    for size in sizes:
        lakes, groups, info = {}, {}, {}
        for rg in (int(x) for x in a.row_groups.split(",")):
            before, after, info[rg] = _prepare(src, a.workdir, size, rg)
            lakes["before"], lakes[f"rg{rg // 1024}k"] = before, after
        if a.only != "reads":
            print(f"\n== {size} years: export potential and complexity, before and after")
            indicators(lakes, rounds)
        if a.only == "indicators":
            continue
        for name, root in lakes.items():
            groups[name] = row_groups(root)
        runs = _measure(lakes, rounds, a.repeat)
        _check(runs)
        for rg, i in info.items():
            print(f"   compaction at {rg // 1024}k rows per group: {i['compact_s']:.1f} s, "
                  f"peak {i['peak_mb']:.0f} MB, {i['disk_after_mb']:.0f} MB")  # fmt: skip
        report(size, next(iter(info.values())), runs, groups)


def child(argv: list[str]) -> None:
    what, rest = argv[0], argv[1:]
    if what == "compact":
        emit(child_compact(Path(rest[0]), Path(rest[1]), int(rest[2])))
    elif what == "indicator":
        emit(child_indicator(Path(rest[0]), rest[1]))
    elif what == "sql":
        emit(child_sql(Path(rest[0]), rest[1], int(rest[2])))
    else:
        emit(child_set(Path(rest[0]), int(rest[1])))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
