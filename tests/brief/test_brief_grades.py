"""The briefing's agenda section shows grades (issue 18 part 3), not only statuses.

The grades are SYNTHETIC (made up on the founding case's items for this test).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bilat.agenda import Agenda
from bilat.brief.case_sections import agenda_section

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"
SRC = "SYNTHETIC test source"
DAY = dt.date(2022, 8, 1)


def test_agenda_section_shows_grades_and_summary() -> None:
    with Agenda.from_case(CASE) as ag:
        for item_id, grade in (("sugar-supplies-resume", "full"), ("contracts-2022-06", "none")):
            ag.grade(item_id, as_of="2022-07-15", grade=grade, evidence=[f"{SRC}::1 t"])
        ag.grade("mtz-tractor-cab-plant", as_of="2022-07-15", grade="too_early")
        ag.grade("baby-food-production", as_of="2022-09-01", grade="full", evidence=[SRC])
        section = agenda_section(None, agenda=ag, as_of=DAY)
        n = len(ag.items(as_of=DAY))
    table = next(t for t in section.tables if t.title.startswith("Compliance grades"))
    rows = {r["id"]: r for r in table.rows}
    assert len(rows) == n
    assert rows["sugar-supplies-resume"]["score"] == "+1"
    assert rows["sugar-supplies-resume"]["evidence"] == f"{SRC} (1 t)"
    assert rows["mtz-tractor-cab-plant"]["score"].startswith("no score")
    # Graded after the briefing's date: not graded as of then, and no 0 in its place.
    assert rows["baby-food-production"]["grade"] == "not graded"
    assert rows["baby-food-production"]["score"] == "not graded"
    figures = {f.label: f for f in section.figures}
    scores = [1, -1]
    assert figures["Compliance score (−1 to +1)"].value == sum(scores) / len(scores)
    assert figures["Compliance (percent)"].value == 50.0
    assert figures["Not graded"].value == n - 3
    assert figures["Graded too early"].value == 1


def test_ungraded_agenda_has_no_score() -> None:
    with Agenda.from_case(CASE) as ag:
        section = agenda_section(None, agenda=ag, as_of=dt.date(2022, 6, 10))
    labels = [f.label for f in section.figures]
    assert "Compliance score (−1 to +1)" not in labels
    assert any("Compliance is undetermined" in n for n in section.notes)
    table = section.tables[1]
    assert {r["grade"] for r in table.rows} <= {"not graded", "too early"}


def test_agenda_read_from_a_database_cites_the_database(tmp_path: Path) -> None:
    # `bilat brief --case ... --agenda-url URL`: the figures rest on the database (where the
    # grade below was written), not on the case's agenda.yaml, which does not hold it.
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with Agenda.open(url) as ag:
        ag.import_case(CASE)
        ag.grade("sugar-supplies-resume", as_of="2022-07-15", grade="full", evidence=[SRC])
        section = agenda_section(CASE, agenda=ag, as_of=DAY)
    figures = {f.label: f for f in section.figures}
    assert figures["Graded full"].value == 1
    cited = {f.source.split(":")[0] for f in section.figures if f.unit == "int"}
    assert cited == {"the agenda database a.db (SQLite)"}  # the file's name, not its path
    assert all("agenda.yaml" not in f.source for f in section.figures)
    assert section.sources == ("the agenda database a.db (SQLite)",)
