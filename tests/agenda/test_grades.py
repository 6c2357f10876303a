"""Compliance grades (issue 18 part 3): rules, history, summary, locking, file errors.

The grades here are SYNTHETIC: made up on the hand-made ``mini`` case and on the founding
case's items to exercise every grade; they say nothing about the real commission.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bilat.agenda import Agenda, Evidence, read_agenda, read_case
from bilat.errors import ConflictError, InputError, ParseError, SchemaError, ValidationError

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
MINI = ROOT / "tests" / "fixtures" / "agenda" / "mini"
SUGAR = "sugar-supplies-resume"  # founding case: meeting 2022-06-09, due 2022-09
PLANT = "mtz-tractor-cab-plant"
SRC = "SYNTHETIC test source"


def test_grade_rules_history_and_current(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    v = agenda.item(SUGAR).version
    early = agenda.grade(SUGAR, as_of="2022-07-01", grade="too_early", expected_version=v)
    assert early.version == v + 1
    assert early.grade is None  # as of today: the deadline has passed, too early has lapsed
    last = early.grades[-1]
    assert (last.grade, last.score, last.evidence) == ("too_early", None, ())
    agenda.grade(
        SUGAR,
        as_of=dt.date(2022, 12, 31),
        grade="partial",
        evidence=[f"{SRC}::half the tonnage", {"source": SRC, "note": "second"}],
        note="synthetic",
        author="assessor",
        expected_version=v + 1,
    )
    agenda.grade(SUGAR, as_of="2023-12-31", grade="full", evidence=[Evidence(SRC, "all")])
    report = agenda.grades(SUGAR, as_of="2023-06-30")
    # The founding case ships one grade: too early, as of the session (its deadline after it).
    assert [g.grade for g in report.history] == ["too_early", "too_early", "partial", "full"]
    assert report.history[0].as_of == dt.date(2022, 6, 9) and report.history[0].evidence == ()
    current = report.items[0].grade
    assert current is not None and current.grade == "partial" and current.score == 0
    assert current.evidence == (Evidence(SRC, "half the tonnage"), Evidence(SRC, None, "second"))
    assert current.author == "assessor" and current.recorded_at is not None
    assert agenda.item(SUGAR, as_of="2022-06-08").grade is None  # before any: not graded
    assert agenda.item(SUGAR, as_of="2024-01-01").grade.score == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"grade": "full"}, "needs at least one piece of evidence"),
        ({"grade": "none", "evidence": ["::12 t"]}, "evidence needs a source"),
        ({"grade": "none", "evidence": [{"figure": "12 t"}]}, "evidence needs a source"),
        ({"grade": "great", "evidence": [SRC]}, "grade must be one of full, partial, none"),
        ({"grade": "too_early", "as_of": "2022-12-31"}, "the deadline has passed"),
        ({"grade": "full", "evidence": [SRC], "as_of": "2022-06-01"}, "before the meeting"),
        ({"grade": "full", "evidence": [SRC], "as_of": "2999-01-01"}, "in the future"),
        ({"grade": "full", "evidence": [SRC], "as_of": "31/12/2022"}, "YYYY-MM-DD"),
    ],
)
def test_bad_grades_are_refused(agenda: Agenda, kwargs: dict[str, object], words: str) -> None:
    agenda.import_case(CASE)
    args: dict[str, object] = {"as_of": "2022-10-01"} | kwargs
    with pytest.raises(InputError, match=words):
        agenda.grade(SUGAR, **args)  # type: ignore[arg-type]
    assert len(agenda.item(SUGAR).grades) == 1 and agenda.item(SUGAR).version == 1


def test_too_early_without_due_date(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    no_due = next(i for i in agenda.items(as_of="2022-12-31") if i.due is None)
    with pytest.raises(InputError, match="has none"):
        agenda.grade(no_due.id, as_of="2022-12-31", grade="too_early")


def test_grade_locking_and_removed_item(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    agenda.grade(SUGAR, as_of="2022-10-01", grade="none", evidence=[SRC], author="desk")
    with pytest.raises(ConflictError, match="graded it none as of 2022-10-01") as info:
        agenda.grade(SUGAR, as_of="2022-10-02", grade="full", evidence=[SRC], expected_version=1)
    assert info.value.details["version"] == 2
    assert len(agenda.item(SUGAR).grades) == 2  # the shipped one and the first
    agenda.remove(SUGAR, expected_version=2, reason="duplicate", author="desk")
    with pytest.raises(InputError, match="was removed by desk"):
        agenda.grade(SUGAR, as_of="2022-10-03", grade="full", evidence=[SRC])


def test_summary_matches_an_independent_count(agenda: Agenda) -> None:
    """Average over scored items only; too_early and ungraded items are left out."""
    agenda.import_case(CASE)
    day = "2022-08-01"
    given = {
        SUGAR: "full",
        "vehicle-fleet-renewal": "none",
        "contracts-2022-06": "partial",
        "baby-food-production": "full",
    }
    for item_id, grade in given.items():
        agenda.grade(item_id, as_of="2022-07-15", grade=grade, evidence=[SRC])
    agenda.grade(PLANT, as_of="2022-07-10", grade="too_early")  # due 2022
    items = agenda.items(as_of=day)
    s = agenda.grades(as_of=day).summary
    scores = [{"full": 1, "partial": 0, "none": -1}[g] for g in given.values()]
    avg = sum(scores) / len(scores)
    assert s.graded == 4 and s.items == len(items)
    assert s.average == pytest.approx(avg) and s.percent == pytest.approx((avg + 1) / 2 * 100)
    assert s.counts["too_early"] == 1 and s.counts["not_graded"] == len(items) - 5
    assert sum(s.counts.values()) == s.items
    # As of a date before any grade: nothing is scored, no average (never 0).
    empty = agenda.grades(as_of="2022-07-01").summary
    assert (empty.graded, empty.average, empty.percent) == (0, None, None)
    assert empty.counts["too_early"] == 2  # the founding case's own grades


# ---------------------------------------------------------------- agenda.yaml errors

GRADED = """\
    grades:
      - as_of: 2022-12-31
        grade: {grade}
        evidence:
          - source: {source}
            figure: 10 t
"""


def _mini(tmp_path: Path, grade: str = "full", source: str = "minutes", as_of: str = "") -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    text = GRADED.format(grade=grade, source=source)
    if as_of:
        text = text.replace("2022-12-31", as_of)
    with (dest / "agenda.yaml").open("a", encoding="utf-8") as f:
        f.write(text)
    return dest


def test_grades_read_from_agenda_yaml(tmp_path: Path) -> None:
    folder = _mini(tmp_path)
    items = read_agenda(folder, read_case(folder))
    g = items[1].grades[0]
    assert (g.as_of, g.grade, g.evidence) == (
        dt.date(2022, 12, 31),
        "full",
        (Evidence("minutes", "10 t"),),
    )


@pytest.mark.parametrize(
    ("kwargs", "cls", "line", "field", "words"),
    [
        ({"grade": "great"}, ValidationError, 36, "items[1].grades[0].grade",
         "unknown grade (found 'great', expected one of full, partial, none, too_early)"),
        ({"as_of": "2022-13-01"}, ValidationError, 35, "items[1].grades[0].as_of", "bad date"),
        ({"as_of": "2022-01-01"}, ValidationError, 35, "items[1].grades[0].as_of", "before the meeting"),
        ({"source": "''"}, ValidationError, 38, "items[1].grades[0].evidence[0].source", "needs a source"),
        ({"grade": "too_early"}, ValidationError, 36, "items[1].grades[0].grade", "deadline has passed"),
    ],
)  # fmt: skip
def test_bad_grade_in_file(
    tmp_path: Path,
    kwargs: dict[str, str],
    cls: type[ParseError],
    line: int,
    field: str,
    words: str,
) -> None:
    folder = _mini(tmp_path, **kwargs)
    with pytest.raises(cls) as info:
        read_agenda(folder, read_case(folder))
    err = info.value
    assert type(err) is cls and err.path == str(folder / "agenda.yaml")
    assert (err.line, err.column) == (line, field)
    assert words in err.message


def test_unknown_key_in_evidence(tmp_path: Path) -> None:
    folder = _mini(tmp_path, source="minutes\n            page: 3")
    with pytest.raises(SchemaError, match="unknown key") as info:
        read_agenda(folder, read_case(folder))
    assert info.value.column == "items[1].grades[0].evidence[0].page"


# ---------------------------------------------------------------- CLI


def test_cli_grade_and_grades(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert cli("agenda", "import", CASE, "--db", db).exit_code == 0
    r = cli(
        "agenda", "grade", SUGAR, "--as-of", "2022-12-31", "--grade", "partial",
        "--evidence", f"{SRC}::half", "--evidence", SRC, "--expect-version", "1",
        "--by", "assessor", "--db", db,
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == (
        f"{SUGAR}: graded partial (0) as of 2022-12-31 on 2 pieces of evidence (version 2)"
    )
    for bad in (
        ("--grade", "full"),  # no evidence
        ("--grade", "too_early"),  # deadline passed
        ("--grade", "maybe", "--evidence", SRC),
        ("--grade", "full", "--evidence", "::x"),
    ):
        r = cli("agenda", "grade", SUGAR, "--as-of", "2022-12-31", *bad, "--db", db)
        assert r.exit_code == 2, (bad, r.stdout, r.stderr)
    r = cli("agenda", "grade", SUGAR, "--as-of", "2022-12-31", "--grade", "none",
            "--evidence", SRC, "--expect-version", "1", "--db", db)  # fmt: skip
    assert r.exit_code == 1 and "graded it partial" in " ".join(r.stderr.split())
    r = cli("agenda", "grades", "--as-of", "2023-01-01", "--db", db, "--json")
    doc = json.loads(r.stdout)
    assert doc["summary"]["graded"] == 1 and doc["summary"]["average"] == 0.0
    assert doc["summary"]["percent"] == 50.0
    r = cli("agenda", "grades", SUGAR, "--as-of", "2023-01-01", "--db", db)
    assert r.exit_code == 0 and "Grade history of" in r.stdout
    assert "average 0 on" in r.stdout and "50.0%" in r.stdout


def test_too_early_lapses_past_the_deadline(agenda: Agenda) -> None:
    """The founding case's too-early grades hold until the due date, then the item is ungraded."""
    agenda.import_case(CASE)
    before = agenda.grades(as_of="2022-09-30").summary.counts
    after = agenda.grades(as_of="2022-10-01").summary.counts
    assert before["too_early"] == 2 and after["too_early"] == 1  # sugar due 2022-09
    year_end = agenda.grades(SUGAR, as_of="2023-01-01")
    assert year_end.items[0].grade is None and [g.grade for g in year_end.history] == ["too_early"]
    assert agenda.grades(as_of="2023-01-01").summary.counts["not_graded"] == 16
