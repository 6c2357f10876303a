"""Claims over time: checks recorded per lake, verdict changes named with the lake's change."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bilat.claims import (
    HISTORY_FILE,
    check_claims,
    claim_history,
    read_history,
    record_check,
)
from bilat.errors import NotFoundError
from bilat.lake import Lake

from .conftest import M, flows, world
from .test_check import CASE

T1 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.UTC)

#: The "supported" world of conftest: turnover 1.2 bn in 2021, +33.3 % on 900 M in 2020.
ROWS = world(1.2e9 / 900e6, sugar_2022=5 * M, rivals=1)


def _lake_2020(root: Path) -> Lake:
    """Only 2020 (and 2022): nothing about 2021 to judge the 2021 claims on."""
    lake = Lake.open(root, create=True)
    rows = [r for r in ROWS if r[0] != 2021]
    lake.ingest_arrow(flows(rows), kind="flows", source="handmade", name="2020-2022.csv")
    return lake


def _add_2021(lake: Lake) -> None:
    rows = [r for r in ROWS if r[0] == 2021]
    lake.ingest_arrow(flows(rows), kind="flows", source="baci", name="2021.csv", release="V202501")


def test_first_check_is_recorded_with_the_lake_version(tmp_path: Path) -> None:
    lake = _lake_2020(tmp_path / "lake")
    report = check_claims(lake, CASE)
    record, changes = record_check(lake, report, now=T1)
    assert changes.previous_at is None
    assert changes.lines() == ["first recorded check of these claims on this lake"]
    assert record.lake_version == lake.version
    assert [e.path for e in record.entries] == ["2020-2022.csv"]
    assert record.verdicts["turnover-2021-above-1bn"]["verdict"] == "undetermined"
    line = json.loads((tmp_path / "lake" / HISTORY_FILE).read_text("utf-8"))
    assert line["checked_at"] == "2026-01-05T09:00:00+00:00"
    assert line["case"] == str(CASE / "claims.yaml")


def test_ingest_between_checks_changes_verdicts_and_names_the_release(tmp_path: Path) -> None:
    lake = _lake_2020(tmp_path / "lake")
    record_check(lake, check_claims(lake, CASE), now=T1)
    _add_2021(lake)
    record, changes = record_check(lake, check_claims(lake, CASE), now=T2)
    assert changes.previous_at == "2026-01-05T09:00:00+00:00"
    assert changes.lake.ingested == ("BACI V202501",)
    assert changes.lake.removed == ()
    assert changes.changed["turnover-2021-above-1bn"] == ("undetermined", "supported")
    assert (
        "turnover-2021-above-1bn: undetermined → supported after ingesting BACI V202501"
        in changes.lines()
    )
    # sugar (2021 → 2022) needed 2021 too; nothing else in the file stays undetermined
    assert set(changes.changed) == {
        "turnover-2021-above-1bn",
        "turnover-growth-2021",
        "kaz-top5-importer",
        "confectionery-doubled",
        "vegetable-oils-eightfold",
        "sugar-resumes-2022",
    }
    assert record.lake_version != read_history(lake)[0].lake_version


def test_same_lake_twice_reports_no_change(tmp_path: Path) -> None:
    lake = _lake_2020(tmp_path / "lake")
    record_check(lake, check_claims(lake, CASE), now=T1)
    _, changes = record_check(lake, check_claims(lake, CASE), now=T2)
    assert changes.changed == {}
    assert changes.lines() == ["no verdict changed since the check of 2026-01-05T09:00:00+00:00"]


def test_history_survives_reopening_and_is_per_lake(tmp_path: Path) -> None:
    one, two = _lake_2020(tmp_path / "one"), _lake_2020(tmp_path / "two")
    record_check(one, check_claims(one, CASE), now=T1)
    _add_2021(one)
    record_check(one, check_claims(one, CASE), now=T2)
    again = Lake.open(tmp_path / "one")
    hist = claim_history(again, "turnover-2021-above-1bn")
    assert [p.verdict for p in hist.points] == ["undetermined", "supported"]
    assert [p.change for p in hist.points] == ["first check", "after ingesting BACI V202501"]
    assert hist.points[1].measured_text == "$1.2B"
    with pytest.raises(NotFoundError, match="no recorded check of claim"):
        claim_history(two, "turnover-2021-above-1bn")
    assert read_history(two) == []


def test_a_damaged_history_line_is_named(tmp_path: Path) -> None:
    lake = _lake_2020(tmp_path / "lake")
    (tmp_path / "lake" / HISTORY_FILE).write_text('{"checked_at": 1}\n', "utf-8")
    with pytest.raises(Exception, match=r"claims-history.jsonl, line 1: not a check record"):
        read_history(lake)


def test_history_names_the_case_and_compares_within_it(tmp_path: Path, cli) -> None:
    import shutil

    lake = _lake_2020(tmp_path / "lake")
    copy = tmp_path / "my-copy"
    copy.mkdir()
    shutil.copy(CASE / "claims.yaml", copy / "claims.yaml")
    record_check(lake, check_claims(lake, CASE), now=T1)
    _add_2021(lake)
    record_check(lake, check_claims(lake, copy), now=T2)
    record_check(lake, check_claims(lake, CASE), now=T2 + dt.timedelta(days=1))
    points = claim_history(lake, "turnover-2021-above-1bn").points
    assert [p.case for p in points] == [
        f"{CASE.name} (BLR–KAZ)",
        "my-copy (BLR–KAZ)",
        f"{CASE.name} (BLR–KAZ)",
    ]
    assert [p.change for p in points] == [
        "first check",
        "first check",
        "after ingesting BACI V202501",
    ]
    out = cli("claims", "history", "turnover-2021-above-1bn", "--lake", str(lake.root))
    assert "my-copy (BLR–KAZ)" in out.stdout


def test_a_damaged_history_is_left_alone_and_the_check_still_runs(tmp_path: Path, cli) -> None:
    lake = _lake_2020(tmp_path / "lake")
    record_check(lake, check_claims(lake, CASE), now=T1)
    path = tmp_path / "lake" / HISTORY_FILE
    damaged = path.read_text("utf-8") + "not json\n"
    path.write_text(damaged, "utf-8")
    _, changes = record_check(lake, check_claims(lake, CASE), now=T2)
    assert not changes.recorded
    assert "line 2: not a check record" in (changes.not_recorded_because or "")
    assert path.read_text("utf-8") == damaged
    out = cli("claims", "check", str(CASE), "--lake", str(lake.root))
    assert out.exit_code == 0, out.stderr
    assert "undetermined turnover-2021-above-1bn" in out.stdout
    assert "the check was not recorded" in out.stderr and "line 2" in out.stderr
    assert path.read_text("utf-8") == damaged


def test_cli_check_reports_changes_and_history_reads_them(tmp_path: Path, cli) -> None:
    lake = _lake_2020(tmp_path / "lake")
    first = cli("claims", "check", str(CASE), "--lake", str(lake.root))
    assert first.exit_code == 0, first.stderr
    assert "first recorded check of these claims on this lake" in first.stdout
    _add_2021(lake)
    second = cli("claims", "check", str(CASE), "--lake", str(lake.root))
    assert "turnover-2021-above-1bn: undetermined → supported after ingesting BACI V202501" in (
        " ".join(second.stdout.split())
    )
    hist = cli("claims", "history", "turnover-2021-above-1bn", "--lake", str(lake.root), "--json")
    assert hist.exit_code == 0, hist.stderr
    points = json.loads(hist.stdout)["points"]
    assert [p["verdict"] for p in points] == ["undetermined", "supported"]
    skipped = cli("claims", "check", str(CASE), "--lake", str(lake.root), "--no-record")
    assert skipped.exit_code == 0
    assert len(read_history(lake)) == 2


def test_cli_history_of_an_unchecked_claim_exits_1(tmp_path: Path, cli) -> None:
    lake = _lake_2020(tmp_path / "lake")
    out = cli("claims", "history", "no-such-claim", "--lake", str(lake.root))
    assert out.exit_code == 1
    assert "no recorded check of claim 'no-such-claim'" in out.stderr


def test_the_case_moved_is_the_same_case(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "elsewhere" / CASE.name
    shutil.copytree(CASE, copy)
    lake = _lake_2020(tmp_path / "lake")
    record_check(lake, check_claims(lake, CASE), now=T1)
    _, changes = record_check(lake, check_claims(lake, copy), now=T2)
    assert changes.previous_at == "2026-01-05T09:00:00+00:00"


def test_claimreview_to_an_unwritable_place_exits_2(tmp_path: Path, cli) -> None:
    lake = _lake_2020(tmp_path / "lake")
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "check.jsonld"  # a folder that is a file
    out = cli("claims", "check", str(CASE), "--lake", str(lake.root), "--claimreview", str(target))
    assert out.exit_code == 2
    assert f"cannot write the ClaimReview file {target}" in " ".join(out.stderr.split())


def test_checks_recorded_at_once_all_land(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    lake = _lake_2020(tmp_path / "lake")
    report = check_claims(lake, CASE)
    times = [T1 + dt.timedelta(minutes=i) for i in range(12)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: record_check(Lake.open(lake.root), report, now=t), times))
    got = sorted(r.checked_at for r in read_history(lake))
    assert got == sorted(t.isoformat() for t in times)
