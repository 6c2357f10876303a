"""Compaction (issue 20): the same rows, entries and figures, in files sorted for pruning."""

from __future__ import annotations

import json
import math
import signal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.lake.conftest import KillFn

from bilat.errors import InputError
from bilat.lake import Lake
from bilat.lake._compact import BY_IMPORTER, SEGMENTS, SORT, companion
from bilat.sample import SampleSpec, build_sample_lake
from bilat.sample.spec import BASKET_CODES

SMALL = SampleSpec(
    seed=5,
    years=(2019, 2020, 2021),
    countries=("BLR", "CHN", "DEU", "KAZ", "POL", "RUS"),
    products=120,
    required_products=BASKET_CODES,
)
BACI = "t,i,j,k,v,q\n"
COMTRADE = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _lake(tmp_path: Path) -> Lake:
    """Three generated years, a BACI year replaced by a newer release, two Comtrade files
    (one superseded by a revised download), so compaction meets every kind of entry."""
    lake = Lake.open(tmp_path / "lake", create=True)
    build_sample_lake(lake, SMALL)
    rows = "".join(f"2018,112,398,{k},{k / 1000},1\n" for k in range(10121, 10141))
    lake.ingest_baci(_write(tmp_path / "a" / "BACI_HS17_Y2018_V202301.csv", BACI + rows))
    newer = rows + "2018,398,112,870323,5.5,2\n"
    lake.ingest_baci(_write(tmp_path / "b" / "BACI_HS17_Y2018_V202401.csv", BACI + newer))
    first = "2021,AUT,DEU,M,4401,100\n2021,AUT,BLR,M,4401,7\n2020,AUT,KAZ,X,4401,3\n"
    lake.ingest_comtrade(_write(tmp_path / "first.csv", COMTRADE + first))
    revised = "2021,AUT,DEU,M,4401,101\n2022,AUT,DEU,M,4401,90\n"
    lake.ingest_comtrade(_write(tmp_path / "revised.csv", COMTRADE + revised), replace=True)
    other = "2021,BEL,DEU,X,4401,50\n2021,BEL,KAZ,M,4401,5\n"
    lake.ingest_comtrade(_write(tmp_path / "other.csv", COMTRADE + other))
    lake.ingest_comtrade(_write(tmp_path / "more.csv", COMTRADE + "2022,BEL,DEU,X,4401,11\n"))
    return lake


def _rows(table: Any) -> list[tuple[Any, ...]]:
    """A table's rows as a sorted list (a multiset: equal lists hold equal rows)."""
    got: pa.Table = table if isinstance(table, pa.Table) else table.to_pyarrow()
    cols = [got.column(c).to_pylist() for c in sorted(got.column_names)]
    return sorted(zip(*cols, strict=True), key=repr)


def _same(x: Any) -> Any:
    """``x`` with floats to 12 significant digits (sums may add in another order) and NaN
    spelt out (NaN equals nothing), so two runs' figures compare equal when they agree."""
    if isinstance(x, float):
        return "nan" if math.isnan(x) else float(f"{x:.12g}")
    if isinstance(x, dict):
        return {k: _same(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_same(v) for v in x]
    return x


def _figures(lake: Lake) -> Any:
    from bilat.trade import Dyad

    d = Dyad(lake, "BLR", "KAZ")
    s = d.summary(2021)
    return _same(
        {
            "summary": (
                s.exports_usd,
                s.imports_usd,
                [(x.rank, x.n_partners, x.total_usd, x.text) for x in s.standings],
            ),
            "products": d.products(2021, level=4, top=20).to_pandas().to_dict("list"),
            "baskets": d.baskets(2020, 2021).to_arrow().to_pylist(),
            "events": d.events(2021, level=6).counts(),
        }
    )


def _entries(lake: Lake) -> list[tuple[Any, ...]]:
    return [
        (e.entry_id, e.kind, e.source, e.release, e.sha256, e.rows, e.years, e.replaced_by)
        for e in lake.manifest(include_replaced=True)
    ]


def test_compaction_keeps_rows_entries_and_figures(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    flows, decl = _rows(lake.flows()), _rows(lake.declarations())
    figures, entries = _figures(lake), _entries(lake)
    old = sorted(p.relative_to(lake.root) for p in (lake.root / "data").rglob("*.parquet"))
    report = lake.compact(row_group_size=1024)
    assert (report.files_before, report.files_after) == (7, 6)  # 3 Comtrade files in 2
    assert report.rows == len(flows) + len(decl)
    assert _rows(lake.flows()) == flows and _rows(lake.declarations()) == decl
    assert _entries(lake) == entries  # ids, sources, checksums, years, replacements kept
    assert _figures(Lake.open(lake.root)) == figures
    for p in old:  # removed only after the commit, all of them
        assert not (lake.root / p).exists(), p
    for e in lake.manifest():
        assert e.files and all(Path(f).parts[:2] == SEGMENTS.parts for f in e.files)
        assert len(e.files) == len(e.years)  # one file per kind and year, listed by each holder
    for e in lake.manifest(include_replaced=True):
        assert e.active or e.files == ()


def test_compacted_files_are_sorted_with_small_row_groups(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    lake.compact(row_group_size=1024)
    files = {f for e in lake.manifest() for f in e.files}
    assert len(files) == 4 + 2  # flows 2018-2021, declarations 2021-2022
    for f in files:
        kind, year = Path(f).stem.split("-")
        meta = pq.ParquetFile(lake.root / f).metadata
        table = pq.read_table(lake.root / f)
        assert set(table.column("year").to_pylist()) == {int(year)}
        keys = list(zip(*(table.column(c).to_pylist() for c in SORT[kind]), strict=True))
        assert keys == sorted(keys), f
        for g in range(meta.num_row_groups):
            assert meta.row_group(g).num_rows <= 1024
            col = meta.row_group(g).column(table.column_names.index(SORT[kind][0]))
            assert col.statistics is not None and col.statistics.has_min_max
        twin = companion(f)
        if kind == "declarations":
            assert twin is None
            continue
        assert twin is not None
        other = pq.read_table(lake.root / twin)
        keys = list(zip(*(other.column(c).to_pylist() for c in BY_IMPORTER), strict=True))
        assert keys == sorted(keys) and len(keys) == table.num_rows, twin
        assert _rows(other) == _rows(table)  # the same rows, in the importer's order


def test_flows_by_importer_are_the_flows(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    flows = _rows(lake.flows())
    assert _rows(lake.flows_by_importer()) == flows  # before compaction: flows() itself
    lake.compact()
    assert _rows(lake.flows_by_importer()) == flows
    twins = {companion(f) for e in lake.manifest() if e.kind == "flows" for f in e.files}
    assert all(t is not None and (lake.root / t).is_file() for t in twins)
    # a later ingest has no copy sorted by importer: the read falls back to flows()
    newer = "2018,398,112,870323,6.5,2\n2018,112,398,10121,9.0,1\n"
    lake.ingest_baci(_write(tmp_path / "c" / "BACI_HS17_Y2018_V202501.csv", BACI + newer))
    assert _rows(Lake.open(lake.root).flows_by_importer()) == _rows(lake.flows())
    assert len(_rows(lake.flows())) == len(flows) - 21 + 2  # the 2018 release replaced
    lake.compact()
    assert _rows(Lake.open(lake.root).flows_by_importer()) == _rows(lake.flows())


def test_replace_ingest_and_recompact_after_compaction(tmp_path: Path) -> None:
    lake = _lake(tmp_path)
    lake.compact()
    before = sorted(lake.declarations().value_usd.to_pyarrow().to_pylist())
    assert before == [5.0, 11.0, 50.0, 90.0, 101.0]  # the first Comtrade file was replaced
    # the same file again is still recognised by its checksum
    assert lake.ingest_comtrade(tmp_path / "other.csv")[0].status == "unchanged"
    # an overlap names only the entry whose rows repeat, not every entry of the shared file
    fix = _write(tmp_path / "fix.csv", COMTRADE + "2021,BEL,KAZ,M,4401,6\n")
    other = next(e for e in lake.manifest() if e.path.endswith("other.csv"))
    with pytest.raises(InputError) as err:
        lake.ingest_comtrade(fix)
    assert err.value.details["overlaps"] == [{"entry": other.entry_id, "rows": 1}]
    lake.ingest_comtrade(fix, replace=True)
    # the replaced entry's rows still sit in a compacted file: the read leaves them out
    after = sorted(lake.declarations().value_usd.to_pyarrow().to_pylist())
    assert after == [6.0, 11.0, 90.0, 101.0]
    report = lake.compact()
    assert ("declarations", 2021) in report.rewritten
    assert ("flows", 2019) in report.kept  # untouched years are not rewritten
    assert sorted(lake.declarations().value_usd.to_pyarrow().to_pylist()) == after
    again = lake.compact()
    assert again.rewritten == () and again.segment is None
    held = {Path(f).parts[2] for e in lake.manifest() for f in e.files}
    assert {p.name for p in (lake.root / SEGMENTS).iterdir()} == held


CHILD = """
import sys, time
from pathlib import Path
import bilat.lake._compact as c
from bilat.lake import Lake

real = c._move
def move(staging, final):
    real(staging, final)               # the segment is in data/, the manifest not yet committed
    Path(sys.argv[2]).write_text("moved")
    time.sleep(60)
c._move = move
Lake.open(sys.argv[1]).compact()
"""


def test_sigkill_mid_compaction_leaves_lake_intact(tmp_path: Path, kill_at_marker: KillFn) -> None:
    lake = _lake(tmp_path)
    manifest = (lake.root / "manifest.json").read_bytes()
    flows = _rows(lake.flows())
    marker = tmp_path / "marker"
    code = kill_at_marker(CHILD, [str(lake.root), str(marker)], marker)
    assert code == -signal.SIGKILL
    assert any((lake.root / SEGMENTS).iterdir()), "the kill came after the segment moved in"
    assert (lake.root / "manifest.json").read_bytes() == manifest
    assert _rows(Lake.open(lake.root).flows()) == flows
    report = Lake.open(lake.root).compact()
    assert report.removed >= 1  # the orphan segment, and the ingest folders
    assert len(list((lake.root / SEGMENTS).iterdir())) == 1
    assert _rows(Lake.open(lake.root).flows()) == flows
    assert json.loads(manifest)["generation"] + 1 == Lake.open(lake.root)._load().generation


def test_cli_lake_compact(tmp_path: Path, cli: Any) -> None:
    lake = _lake(tmp_path)
    r = cli("lake", "compact", "--lake", str(lake.root))
    assert r.exit_code == 0, r.stderr
    assert "Compacted" in r.stdout and "kept as they were" in r.stdout
    r = cli("lake", "compact", "--lake", str(lake.root), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["rewritten"] == []
    r = cli("lake", "compact", "--lake", str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and "no lake at" in r.stderr
