"""Opening a lake (issue 12): reads never create one; writers ask to; BILAT_LAKE is honoured."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bilat._config import resolve_lake
from bilat.errors import InputError, LakeNotFoundError, NotFoundError
from bilat.lake import Lake
from bilat.lake.lake import _create

ROW = "t,i,j,k,v,q\n2021,112,398,10121,{v},1\n"


def _baci(folder: Path, value: float = 1.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "BACI_HS17_Y2021_V202301.csv"
    p.write_text(ROW.format(v=value))
    return p


def test_a_typo_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "path" / "with" / "typo"
    with pytest.raises(LakeNotFoundError) as caught:
        Lake.open(typo)
    assert str(typo) in caught.value.message and "does not exist" in caught.value.message
    assert "create=True" in caught.value.message
    assert caught.value.details == {"path": str(typo)}
    assert not (tmp_path / "path").exists()


def test_no_lake_is_bad_input_and_not_found() -> None:
    assert issubclass(LakeNotFoundError, InputError) and issubclass(
        LakeNotFoundError, NotFoundError
    )
    assert LakeNotFoundError("x").exit_code == 2


def test_a_folder_without_manifest_is_not_a_lake(tmp_path: Path) -> None:
    with pytest.raises(LakeNotFoundError, match=r"holds no manifest\.json"):
        Lake.open(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_file_is_not_a_lake(tmp_path: Path) -> None:
    f = tmp_path / "lake"
    f.write_text("hello")
    for create in (False, True):
        with pytest.raises(InputError, match="is a file, not a lake folder"):
            Lake.open(f, create=create)
    assert f.read_text() == "hello"


def test_create_makes_an_empty_lake_that_reopens_without_create(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "new" / "lake", create=True)
    manifest = json.loads((lake.root / "manifest.json").read_text())
    assert manifest["generation"] == 0 and manifest["entries"] == []
    again = Lake.open(tmp_path / "new" / "lake")
    assert again.root == lake.root and again.manifest() == []
    assert again.flows().count().execute() == 0 and again.declarations().count().execute() == 0
    assert [p.name for p in lake.root.iterdir()] == ["manifest.json"]  # no temporary left


def test_create_on_an_existing_lake_changes_nothing(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(_baci(tmp_path / "in", 7.0))
    before = (lake.root / "manifest.json").read_bytes()
    reopened = Lake.open(lake.root, create=True)
    assert (lake.root / "manifest.json").read_bytes() == before
    assert reopened.flows().value_usd.to_pyarrow().to_pylist() == [7000.0]


def test_a_creator_that_loses_the_race_keeps_the_winners_manifest(tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_baci(_baci(tmp_path / "in"))
    before = (lake.root / "manifest.json").read_bytes()
    _create(lake.root)  # a second writer that saw no manifest a moment ago
    assert (lake.root / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in lake.root.iterdir() if p.name.startswith(".manifest")) == []


def test_create_refuses_a_folder_holding_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "photos").mkdir()
    with pytest.raises(InputError, match=r"holding other files \(notes.txt, photos\)"):
        Lake.open(tmp_path, create=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "photos"]


def test_create_accepts_what_a_crashed_first_ingest_left(tmp_path: Path) -> None:
    root = tmp_path / "lake"
    (root / "staging" / "abc").mkdir(parents=True)
    (root / ".writer.lock").write_text("")
    lake = Lake.open(root, create=True)
    assert lake.ingest_baci(_baci(tmp_path / "in"))[0].status == "ingested"
    assert not (root / "staging" / "abc").exists()  # the writer swept the leftovers


def test_default_is_bilat_lake_then_bilat_home(
    _isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_lake() == (_isolated_home / "lake", "BILAT_HOME")
    with pytest.raises(LakeNotFoundError, match=re.escape(str(_isolated_home / "lake"))):
        Lake.open()
    lake_dir = tmp_path / "elsewhere"
    monkeypatch.setenv("BILAT_LAKE", str(lake_dir))
    assert resolve_lake() == (lake_dir, "BILAT_LAKE")
    with pytest.raises(LakeNotFoundError, match=re.escape(str(lake_dir))):
        Lake.open()
    created = Lake.open(create=True)
    assert created.root == lake_dir.resolve()
    assert not (_isolated_home / "lake").exists()
    # a path the caller gives wins over BILAT_LAKE
    other = Lake.open(tmp_path / "other", create=True)
    assert other.root == (tmp_path / "other").resolve()
    assert resolve_lake(tmp_path / "x") == (tmp_path / "x", "given")


def test_empty_bilat_lake_is_unset(_isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILAT_LAKE", "")
    assert resolve_lake() == (_isolated_home / "lake", "BILAT_HOME")


def test_tilde_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BILAT_LAKE", "~/lakes/trade")
    assert Lake.open(create=True).root == (tmp_path / "lakes" / "trade").resolve()
