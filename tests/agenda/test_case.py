"""The founding case: imported, queried as of dates, exported back unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bilat.agenda import KINDS, Agenda, case_items, read_agenda, read_case
from bilat.errors import ConflictError

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"


def test_case_file_holds_the_seed_facts() -> None:
    case = read_case(CASE)
    assert case.dyad == ("BLR", "KAZ")
    (meeting,) = case.meetings
    assert meeting.date == dt.date(2022, 6, 9)
    assert meeting.place == "Nur-Sultan"
    assert [a for a, _ in case.areas] == [
        "construction",
        "science_technology",
        "industrial_cooperation",
        "agro_industry",
        "aviation",
    ]
    items = {i.id: i for i in read_agenda(CASE, case)}
    plant = items["mtz-tractor-cab-plant"]
    assert (plant.kind, plant.due, plant.baskets) == (
        "project",
        "2022",
        ("tractor_cabs", "tractors"),
    )
    assert "Minsk Tractor Works" in (plant.body or "")
    assert items["sugar-supplies-resume"].due == "2022-09"
    assert items["sugar-supplies-resume"].baskets == ("sugar",)
    contracts = items["contracts-2022-06"]
    assert (contracts.kind, contracts.count, contracts.value, contracts.currency) == (
        "contract",
        None,
        None,
        None,
    )
    assert items["food-hub-china"].history[-1].status == "proposed"
    assert {i.air_clause for i in items.values() if i.area == "aviation"} >= {
        "blr-kaz#KAZ-3-4",
        "blr-kaz#BLR-5-KAZ-beyond",
        "blr-kaz#BLR-co-terminal-KAZ",
    }
    assert {i.kind for i in items.values()} == set(KINDS)


def test_import_list_and_overdue(agenda: Agenda) -> None:
    report = agenda.import_case(CASE)
    assert (report.meetings, report.items, report.changes, report.replaced) == (1, 16, 16, False)
    assert [i.id for i in agenda.items(overdue_as_of="2022-12-31")] == ["sugar-supplies-resume"]
    late = agenda.items(overdue=True, as_of=dt.date(2023, 1, 1))
    assert [(i.id, i.days_overdue) for i in late] == [
        ("mtz-tractor-cab-plant", 1),
        ("sugar-supplies-resume", 93),
    ]
    # Before the meeting nothing was on the agenda yet.
    assert agenda.items(as_of="2022-06-08") == []
    assert len(agenda.items(area="aviation")) == 4
    assert [i.id for i in agenda.items(status="in_progress")] == ["mtz-tractor-cab-plant"]
    assert len(agenda.items(meeting="blr-kaz-igc-2022-06-09", kind="proposal")) == 4
    assert agenda.commission("blr-kaz-igc").parties == ("BLR", "KAZ")
    (m,) = agenda.meetings()
    assert m.co_chairs[0]["name"] == "Nikolai Snopkov"


def test_export_round_trips_the_shipped_files(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(CASE)
    out = tmp_path / "out"
    report = agenda.export_case(out, commission="blr-kaz-igc")
    written = sorted(Path(p).relative_to(out).as_posix() for p in report.paths)
    assert written == ["agenda.yaml", "air/blr-kaz.yaml", "case.yaml"]  # air: items[13] cites it
    assert (out / "agenda.yaml").read_text("utf-8") == (CASE / "agenda.yaml").read_text("utf-8")
    assert (out / "case.yaml").read_text("utf-8") == (CASE / "case.yaml").read_text("utf-8")


def test_update_export_reimport_keeps_history(agenda: Agenda, case_dir: Path) -> None:
    agenda.import_case(case_dir)
    agenda.update(
        "mtz-tractor-cab-plant",
        status="done",
        date="2022-11-15",
        note="first cabs produced",
        source="company statement",
        author="secretariat",
    )
    agenda.export_case(case_dir)
    text = (case_dir / "agenda.yaml").read_text("utf-8")
    assert "first cabs produced" in text
    with pytest.raises(ConflictError, match=r"import with replace=True to overwrite it"):
        agenda.import_case(case_dir)
    agenda.import_case(case_dir, replace=True)
    item = agenda.item("mtz-tractor-cab-plant", as_of="2023-01-01")
    assert [(c.date, c.status, c.author) for c in item.history] == [
        (dt.date(2022, 6, 9), "in_progress", None),
        (dt.date(2022, 11, 15), "done", "secretariat"),
    ]
    assert (item.status, item.overdue) == ("done", False)
    # The replace bumps versions, so a client that read before it cannot write over it.
    assert item.version == 3
    agenda.export_case(case_dir)
    assert (case_dir / "agenda.yaml").read_text("utf-8") == text


def test_from_case_is_in_memory(tmp_path: Path) -> None:
    ag = Agenda.from_case(CASE)
    assert len(ag.items(as_of="2022-06-09")) == 16
    ag.close()
    late = [(i.id, i.overdue) for i in case_items(CASE, as_of="2022-10-01") if i.overdue]
    assert late == [("sugar-supplies-resume", True)]
    assert not list(tmp_path.iterdir())
