"""Issue 13: a zip lands whole or not at all, data is synced before the manifest names it,
temporary manifests are swept, and an unchanged file is recognised before anything is written."""

from __future__ import annotations

import json
import os
import signal
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.lake.conftest import KillFn

from bilat.errors import ValidationError
from bilat.lake import Lake

HEADER = "t,i,j,k,v,q\n"


def rows(year: int, n: int = 3, value: float = 1.0) -> str:
    return HEADER + "".join(f"{year},112,398,{10121 + k},{value},1\n" for k in range(n))


def release_zip(folder: Path, members: dict[str, str], name: str = "BACI_HS17_V202401.zip") -> Path:
    p = folder / name
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, body in members.items():
            zf.writestr(member, body)
    return p


def member(year: int) -> str:
    return f"BACI_HS17_Y{year}_V202401.csv"


def data_folders(lake: Lake) -> list[Path]:
    folder = lake.root / "data" / "flows"
    return sorted(folder.iterdir()) if folder.is_dir() else []


BAD_2019 = HEADER + "2019,112,398,10121,1.0,1\n2019,112,398,10122,inf-ish,1\n"


# ---- item 8: one ingest, one commit ------------------------------------------------------


def test_zip_with_a_bad_member_writes_none_of_its_members(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(release_zip(tmp_path, {member(2017): rows(2017)}, "BACI_HS17_V202301.zip"))
    manifest_before = (lake.root / "manifest.json").read_bytes()
    folders_before = data_folders(lake)
    bad = release_zip(tmp_path, {member(2018): rows(2018), member(2019): BAD_2019})
    with pytest.raises(ValidationError, match="Nothing from this file was written") as err:
        lake.ingest_baci(bad)
    assert "Y2019" in err.value.message and "column 'v'" in err.value.message
    assert "rolled back" in err.value.message and "Y2018" in err.value.message
    assert (lake.root / "manifest.json").read_bytes() == manifest_before
    assert data_folders(lake) == folders_before  # the staged 2018 folder was removed
    assert Lake.open(lake.root).flows().year.to_pyarrow().to_pylist() == [2017] * 3


def test_zip_with_a_bad_member_through_the_cli(cli: Any, tmp_path: Path) -> None:
    bad = release_zip(tmp_path, {member(2018): rows(2018), member(2019): BAD_2019})
    res = cli("ingest", "baci", str(bad), "--lake", str(tmp_path / "lake"))
    assert res.exit_code == 2, res.stderr
    assert "Nothing from this file was written" in res.stderr and "rolled back" in res.stderr
    listed = cli("sources", "--lake", str(tmp_path / "lake"), "--json")
    assert json.loads(listed.stdout)["entries"] == []


def test_a_good_zip_is_one_manifest_commit(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    good = release_zip(tmp_path, {member(y): rows(y) for y in (2018, 2019, 2020)})
    reports = lake.ingest_baci(good)
    assert [r.status for r in reports] == ["ingested"] * 3
    assert json.loads((lake.root / "manifest.json").read_text())["generation"] == 1
    assert lake.flows().count().execute() == 9


def test_members_of_one_zip_see_each_other_before_the_commit(tmp_path: Path) -> None:
    """Two members of one release for the same year: the second supersedes the first, as a
    second ingest of that release would, though the first was never committed."""
    lake = Lake.open(tmp_path / "lake", create=True)
    twice = release_zip(
        tmp_path, {f"a/{member(2018)}": rows(2018), f"b/{member(2018)}": rows(2018, value=2)}
    )
    first, second = lake.ingest_baci(twice)
    assert second.replaced == (first.entry_id,)
    assert lake.entry(first.entry_id).replaced_by == second.entry_id
    assert data_folders(lake) == [lake.root / "data" / "flows" / second.entry_id]
    assert set(lake.flows().value_usd.to_pyarrow().to_pylist()) == {2000.0}


KILL_BETWEEN_MEMBERS = r"""
import sys, time
from pathlib import Path
from bilat.lake import Lake
lake = Lake.open(sys.argv[1])
marker = Path(sys.argv[3])
seen = []
def progress(n):
    seen.append(n)
    if lake.root.joinpath("data", "flows").is_dir() and len(list(lake.root.joinpath("data", "flows").iterdir())) >= 2:
        marker.write_text("the first member is in data/, the second one is being read")
        time.sleep(60)
lake.ingest_baci(sys.argv[2], progress=progress)
"""


def test_sigkill_between_members_leaves_the_previous_lake(
    tmp_path: Path, kill_at_marker: KillFn
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(release_zip(tmp_path, {member(2017): rows(2017)}, "BACI_HS17_V202301.zip"))
    manifest_before = (lake.root / "manifest.json").read_bytes()
    zipped = release_zip(tmp_path, {member(2018): rows(2018), member(2019): rows(2019)})
    marker = tmp_path / "marker"
    code = kill_at_marker(KILL_BETWEEN_MEMBERS, [str(lake.root), str(zipped), str(marker)], marker)
    assert code == -signal.SIGKILL
    assert (lake.root / "manifest.json").read_bytes() == manifest_before
    fresh = Lake.open(lake.root)
    assert fresh.flows().year.to_pyarrow().to_pylist() == [2017] * 3
    assert len(data_folders(fresh)) == 2  # the 2018 folder, unlisted, until the next writer
    fresh.ingest_baci(zipped)
    assert sorted(set(fresh.flows().year.to_pyarrow().to_pylist())) == [2017, 2018, 2019]
    assert len(data_folders(fresh)) == 3


# ---- item 12: durable writes, temporary manifests swept -----------------------------------


def test_write_path_syncs_data_and_folders_before_the_manifest_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.fsync is recorded (the OS edge), with the path of each descriptor it was given."""
    lake = Lake.open(tmp_path / "lake", create=True)
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    [report] = lake.ingest_baci(release_zip(tmp_path, {member(2018): rows(2018)}))
    root = str(lake.root)
    part = f"{root}/staging/{report.entry_id}/part-0.parquet"  # synced, then moved
    manifest = f"{root}/manifest.json"
    synced = [p for kind, p in events if kind == "fsync"]
    assert part in synced, events
    assert f"{root}/data/flows" in synced  # the folder that gained the entry's name
    assert f"{root}/staging/{report.entry_id}" in synced  # its folder, before the move
    commit = events.index(("replace", manifest))
    assert events.index(("fsync", part)) < commit
    assert events.index(("fsync", f"{root}/data/flows")) < commit
    assert ("fsync", root) in events[commit:]  # the manifest's rename itself


def test_temporary_manifests_are_ignored_by_readers_and_swept_by_the_next_writer(
    tmp_path: Path,
) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(release_zip(tmp_path, {member(2017): rows(2017)}))
    left = [lake.root / ".manifest.json.k1ll3d.tmp", lake.root / ".manifest.json.x9.tmp"]
    left[0].write_text('{"generation": 99, "entries": [{"half": ')
    left[1].write_bytes(b"")
    assert Lake.open(lake.root).flows().count().execute() == 3
    assert Lake.open(lake.root).manifest()[0].years == (2017,)
    (tmp_path / "next").mkdir()
    lake.ingest_baci(release_zip(tmp_path / "next", {member(2018): rows(2018)}))
    assert not any(p.exists() for p in left)
    assert lake.flows().count().execute() == 6


# ---- item 13: unchanged recognised before writing -----------------------------------------


def test_unchanged_file_is_recognised_before_anything_is_written(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    csv = tmp_path / member(2021)
    csv.write_text(rows(2021, n=50))
    first = lake.ingest_baci(csv)[0]
    staged: list[int] = []
    again = lake.ingest_baci(csv, progress=staged.append)[0]
    assert (again.status, again.entry_id) == ("unchanged", first.entry_id)
    assert "before reading" in again.notes[0]
    assert staged == []  # no batch was read into staging
    assert not (lake.root / "staging").exists()  # swept at the start, never made again
    assert lake.entry(first.entry_id).size == csv.stat().st_size


def test_unchanged_zip_members_and_older_manifests(tmp_path: Path) -> None:
    """Entries written before sizes were recorded are still matched by their checksum."""
    lake = Lake.open(tmp_path / "lake", create=True)
    zipped = release_zip(tmp_path, {member(y): rows(y) for y in (2018, 2019)})
    first = lake.ingest_baci(zipped)
    path = lake.root / "manifest.json"
    body = json.loads(path.read_text())
    for e in body["entries"]:
        del e["size"]
    path.write_text(json.dumps(body))
    staged: list[int] = []
    again = Lake.open(lake.root).ingest_baci(zipped, progress=staged.append)
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert [r.entry_id for r in again] == [r.entry_id for r in first]
    assert staged == [] and not (lake.root / "staging").exists()


def test_same_size_other_content_is_ingested(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / member(2021)).write_text(rows(2021, value=1))
    (b / member(2021)).write_text(rows(2021, value=2))  # same length, other bytes
    lake.ingest_baci(a / member(2021))
    report = lake.ingest_baci(b / member(2021), replace=True)[0]
    assert report.status == "ingested" and report.replaced
    assert set(lake.flows().value_usd.to_pyarrow().to_pylist()) == {2000.0}
