"""`bilat agenda ...`: exit codes, messages, JSON, and a docs section per command."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from bilat.lake import Lake
from bilat.sources.schema import FLOW_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
MINI = ROOT / "tests" / "fixtures" / "agenda" / "mini"
COMMANDS = ["import", "export", "list", "show", "add", "update", "progress"]


def test_import_list_show_update_export(cli: Any, db_url: str, tmp_path: Path) -> None:
    r = cli("agenda", "import", CASE, "--db", db_url)
    assert r.exit_code == 0, r.stderr
    assert "imported commission blr-kaz-igc: 1 meeting, 16 items, 16 status changes" in r.stdout

    r = cli("agenda", "import", CASE, "--db", db_url)
    assert r.exit_code == 1
    assert "already in the agenda database" in r.stderr

    r = cli("agenda", "list", "--overdue", "--as-of", "2022-12-31", "--db", db_url, "--json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["id"], x["overdue"], x["days_overdue"]) for x in rows] == [
        ("sugar-supplies-resume", True, 92)
    ]

    r = cli("agenda", "list", "--area", "aviation", "--as-of", "2022-07-01", "--db", db_url)
    assert r.exit_code == 0
    assert "air-blr-fifth-freedom" in r.stdout
    assert "sugar-supplies-resume" not in r.stdout

    r = cli(
        "agenda",
        "update",
        "sugar-supplies-resume",
        "--status",
        "done",
        "--date",
        "2022-10-03",
        "--note",
        "first shipments",
        "--by",
        "alice",
        "--expected-version",
        "1",
        "--db",
        db_url,
    )
    assert r.exit_code == 0, r.stderr
    assert "sugar-supplies-resume: status done since 2022-10-03 (version 2)" in r.stdout

    r = cli(
        "agenda",
        "update",
        "sugar-supplies-resume",
        "--status",
        "dropped",
        "--by",
        "bob",
        "--expected-version",
        "1",
        "--db",
        db_url,
        "--json",
    )
    assert r.exit_code == 1
    err = json.loads(r.stdout)
    assert err["error"] == "ConflictError"
    assert err["details"]["changed_by"] == "alice"
    assert "changed by alice" in r.stderr

    r = cli("agenda", "show", "sugar-supplies-resume", "--as-of", "2022-12-31", "--db", db_url)
    assert r.exit_code == 0
    assert "status done since 2022-10-03" in r.stdout
    assert "first shipments" in r.stdout

    r = cli("agenda", "show", "contracts-2022-06", "--db", db_url, "--json")
    shown = json.loads(r.stdout)
    assert (shown["value"], shown["count"], shown["kind"]) == (None, None, "contract")

    out = tmp_path / "exported"
    r = cli("agenda", "export", out, "--commission", "blr-kaz-igc", "--db", db_url)
    assert r.exit_code == 0, r.stderr
    text = (out / "agenda.yaml").read_text("utf-8")
    assert "first shipments" in text
    assert "by: alice" in text


def test_bad_input_exit_codes(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    r = cli("agenda", "list", "--status", "finished", "--db", db)
    assert r.exit_code == 2
    assert "status must be one of proposed, agreed" in r.stderr
    r = cli("agenda", "list", "--as-of", "31.12.2022", "--db", db)
    assert r.exit_code == 2
    assert "YYYY-MM-DD" in r.stderr
    r = cli("agenda", "show", "nothing", "--db", db)
    assert r.exit_code == 1
    assert "no agenda item 'nothing'" in r.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "case.yaml").write_text((MINI / "case.yaml").read_text("utf-8"), "utf-8")
    text = (MINI / "agenda.yaml").read_text("utf-8").replace("status: agreed", "status: ok", 1)
    (bad / "agenda.yaml").write_text(text, "utf-8")
    r = cli("agenda", "import", bad, "--db", db)
    assert r.exit_code == 2
    assert f"{bad / 'agenda.yaml'}, line 18, column 'items[0].history[0].status'" in r.stderr
    r = cli("agenda", "list", "--db", db, "--status", "done")
    assert (r.exit_code, r.stdout.strip()) == (0, f"no agenda items match, as of {dt.date.today()}")
    r = cli("agenda", "list", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert r.exit_code == 1
    assert (
        "cannot open the agenda database postgresql+psycopg://nobody@127.0.0.1:1/none" in r.stderr
    )
    r = cli("agenda", "list", "--db", "nonsense://", "--as-of", "2022-01-01")
    assert r.exit_code == 2
    assert "no database driver" in r.stderr or "not a database URL" in r.stderr


def test_default_database_is_in_bilat_home(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.delenv("BILAT_AGENDA_URL", raising=False)
    r = cli("agenda", "import", MINI)
    assert r.exit_code == 0, r.stderr
    assert (Path(os.environ["BILAT_HOME"]) / "agenda.db").is_file()
    r = cli("agenda", "list", "--as-of", "2022-12-31", "--json")
    assert [x["id"] for x in json.loads(r.stdout)] == ["plant", "sugar"]


def test_progress_command(cli: Any, tmp_path: Path) -> None:
    lake = Lake.open(tmp_path / "lake", create=True)
    rows = [
        (y, "BLR", "KAZ", "870110", "HS17", 100.0 * y, None, None, "baci", "reconciled")
        for y in range(2018, 2024)
    ]
    cols = list(zip(*rows, strict=True))
    lake.ingest_arrow(
        pa.table({f.name: pa.array(c, f.type) for f, c in zip(FLOW_SCHEMA, cols, strict=True)}),
        kind="flows",
        source="baci",
        name="t",
    )
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert cli("agenda", "import", CASE, "--db", db).exit_code == 0
    r = cli(
        "agenda",
        "progress",
        "mtz-tractor-cab-plant",
        "--lake",
        tmp_path / "lake",
        "--db",
        db,
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    pts = [(p["series"], p["year"], p["value_usd"]) for p in data["points"] if p["value_usd"]]
    assert pts == [("tractors", y, 100.0 * y) for y in range(2019, 2024)]
    # BACI is complete: a flow it does not list in a year it holds is a real 0 (covered) ...
    zeros = [p for p in data["points"] if not p["value_usd"]]
    assert zeros and {p["coverage"]["status"] for p in zeros} == {"full"}
    # ... and the years it does not hold are gaps, not zeros.
    assert {g["year"] for g in data["gaps"]} == {2024, 2025}
    assert {g["coverage"]["status"] for g in data["gaps"]} == {"none"}
    r = cli("agenda", "progress", "mtz-tractor-cab-plant", "--lake", tmp_path / "lake", "--db", db)
    assert r.exit_code == 0
    assert "BLR→KAZ" in r.stdout
    assert "202,200" in r.stdout
    r = cli("agenda", "progress", "food-hub-china", "--lake", tmp_path / "lake", "--db", db)
    assert r.exit_code == 2
    assert "linked to no basket" in r.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_docs_section(cli: Any, command: str) -> None:
    r = cli("agenda", command, "--help")
    assert r.exit_code == 0
    assert len(r.stdout.strip()) > 40
    docs = (ROOT / "docs" / "agenda.md").read_text("utf-8")
    assert re.search(rf"^#+ .*`bilat agenda {command}\b", docs, re.M), command
