from __future__ import annotations

import json
import signal
from pathlib import Path

import pyarrow as pa
import pytest
from tests.lake.conftest import KillFn

from bilat.errors import InputError, LakeLockedError
from bilat.lake import Lake
from bilat.lake._writer import WriterLock
from bilat.sources.schema import FLOW_SCHEMA

ROW = "t,i,j,k,v,q\n{y},112,398,10121,{v},1\n"


def baci(tmp_path: Path, year: int, release: str, value: float = 1.0) -> Path:
    p = tmp_path / f"BACI_HS17_Y{year}_{release}.csv"
    p.write_text(ROW.format(y=year, v=value))
    return p


def test_open_default_is_under_bilat_home(_isolated_home: Path) -> None:
    lake = Lake.open(create=True)
    assert lake.root == (_isolated_home / "lake").resolve()
    assert lake.flows().count().execute() == 0
    assert lake.declarations().count().execute() == 0
    assert lake.manifest() == [] and not lake.is_synthetic


def test_same_file_twice_adds_nothing(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    p = baci(tmp_path, 2021, "V202301")
    first = lake.ingest_baci(p)[0]
    version = lake.version
    again = lake.ingest_baci(p)[0]
    assert again.status == "unchanged" and again.entry_id == first.entry_id
    assert lake.version == version and lake.flows().count().execute() == 1


def test_newer_release_replaces_older_of_same_years(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    old = lake.ingest_baci(baci(tmp_path, 2021, "V202301", 1.0))[0]
    other_year = lake.ingest_baci(baci(tmp_path, 2020, "V202301", 5.0))[0]
    (tmp_path / "new").mkdir()
    new = lake.ingest_baci(baci(tmp_path / "new", 2021, "V202401", 2.0))[0]
    assert new.replaced == (old.entry_id,)
    active = {e.entry_id for e in lake.manifest()}
    assert active == {other_year.entry_id, new.entry_id}
    assert lake.entry(old.entry_id).replaced_by == new.entry_id
    assert not (tmp_path / "lake" / "data" / "flows" / old.entry_id).exists()
    values = sorted(lake.flows().value_usd.to_pyarrow().to_pylist())
    assert values == [2000.0, 5000.0]
    with pytest.raises(InputError, match="older release"):
        (tmp_path / "old").mkdir()
        lake.ingest_baci(baci(tmp_path / "old", 2021, "V202201", 9.0))


def test_second_writer_is_refused(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    with WriterLock(lake.root), pytest.raises(LakeLockedError, match="being written"):
        lake.ingest_baci(baci(tmp_path, 2021, "V202301"))
    assert lake.ingest_baci(baci(tmp_path, 2021, "V202301"))[0].status == "ingested"


def test_ingest_arrow_is_idempotent_and_marks_synthetic(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    table = pa.table(
        {
            "year": pa.array([2021], pa.int16()),
            "exporter": ["BLR"],
            "importer": ["KAZ"],
            "product": ["170410"],
            "hs_rev": ["HS17"],
            "value_usd": [5.0],
            "quantity": [None],
            "quantity_unit": [None],
            "source": ["synthetic"],
            "basis": ["reconciled"],
        },
        schema=FLOW_SCHEMA,
    )
    r1 = lake.ingest_arrow(table, kind="flows", source="synthetic", name="sample", synthetic=True)
    r2 = lake.ingest_arrow(table, kind="flows", source="synthetic", name="sample", synthetic=True)
    assert (r1.status, r2.status) == ("ingested", "unchanged")
    assert lake.is_synthetic
    with pytest.raises(InputError, match="schema"):
        lake.ingest_arrow(table.drop(["year"]), kind="flows", source="x", name="bad")


CHILD = r"""
import sys, time
from pathlib import Path
from bilat.lake import Lake
lake = Lake.open(sys.argv[1])
marker = Path(sys.argv[3])
def progress(n):
    marker.write_text("half-way")
    time.sleep(60)          # stay in the middle of the write until killed
lake.ingest_baci(sys.argv[2], progress=progress)
"""


def test_sigkill_mid_ingest_leaves_lake_intact(tmp_path: Path, kill_at_marker: KillFn) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(baci(tmp_path, 2020, "V202301", 7.0))
    manifest_before = (lake.root / "manifest.json").read_bytes()
    big = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    with big.open("w") as fh:
        fh.write("t,i,j,k,v,q\n")
        for k in range(10121, 10121 + 300_000):
            fh.write(f"2021,112,398,{k},1.0,1\n")
    marker = tmp_path / "marker"
    staging = lake.root / "staging"
    code = kill_at_marker(CHILD, [str(lake.root), str(big), str(marker)], marker)
    assert staging.is_dir() and any(staging.iterdir()), "a write was in progress"
    assert code == -signal.SIGKILL
    assert (lake.root / "manifest.json").read_bytes() == manifest_before
    fresh = Lake.open(lake.root)
    assert fresh.flows().value_usd.to_pyarrow().to_pylist() == [7000.0]
    # the next writer sweeps the leftovers and works
    (tmp_path / "again").mkdir()
    report = fresh.ingest_baci(baci(tmp_path / "again", 2021, "V202401", 3.0))[0]
    assert report.status == "ingested"
    assert not (lake.root / "staging").exists() or not any((lake.root / "staging").iterdir())
    assert json.loads((lake.root / "manifest.json").read_text())["generation"] == 2


COMTRADE = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"


def test_overlapping_declarations_are_refused_then_superseded(tmp_path: Path) -> None:
    """A revised download of the same declarations must not be added to the first one."""
    lake = Lake.open(tmp_path / "lake", create=True)
    first = tmp_path / "first.csv"
    first.write_text(COMTRADE + "2021,AUT,DEU,M,4401,100\n2021,AUT,BLR,M,4401,7\n")
    revised = tmp_path / "revised.csv"
    revised.write_text(COMTRADE + "2021,AUT,DEU,M,4401,101\n2022,AUT,DEU,M,4401,90\n")
    old = lake.ingest_comtrade(first)[0]
    with pytest.raises(InputError, match="repeats rows already in the lake") as err:
        lake.ingest_comtrade(revised)
    assert err.value.details["overlaps"] == [{"entry": old.entry_id, "rows": 1}]
    assert "ingest it again with replace=True" in err.value.message
    assert "--replace" not in err.value.message  # the library speaks to Python callers
    assert err.value.details["retry_with"] == {"replace": True}
    assert lake.declarations().value_usd.sum().execute() == 107.0  # nothing was added
    new = lake.ingest_comtrade(revised, replace=True)[0]
    assert new.replaced == (old.entry_id,)
    assert lake.entry(old.entry_id).replaced_by == new.entry_id
    values = sorted(lake.declarations().value_usd.to_pyarrow().to_pylist())
    assert values == [90.0, 101.0]


def test_files_with_different_keys_stack(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    a = tmp_path / "a.csv"
    a.write_text(COMTRADE + "2021,AUT,DEU,M,4401,100\n")
    b = tmp_path / "b.csv"
    b.write_text(COMTRADE + "2021,AUT,DEU,X,4401,50\n2021,BEL,DEU,M,4401,5\n")
    lake.ingest_comtrade([a, b])
    assert lake.declarations().count().execute() == 3
