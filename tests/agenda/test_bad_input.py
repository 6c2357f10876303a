"""Bad case files: a clear error naming file, line and field; nothing half-imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilat.agenda import Agenda
from bilat.errors import NotFoundError, ParseError, SchemaError, ValidationError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "agenda" / "mini"

# (id, text to replace in agenda.yaml, replacement, error class, line, field, words in message)
CASES = [
    (
        "unknown-key",
        "    area: agro\n",
        "    area: agro\n    colour: red\n",
        SchemaError,
        31,
        "items[1].colour",
        "unknown key",
    ),
    (
        "duplicate-key",
        "    kind: decision\n",
        "    kind: decision\n    kind: project\n",
        SchemaError,
        27,
        "items[1].kind",
        "duplicate key",
    ),
    (
        "bad-date",
        "date: 2022-06-09",
        "date: 2022-06-31",
        ValidationError,
        32,
        "items[1].history[0].date",
        "day is out of range",
    ),
    (
        "date-format",
        "date: 2021-09-01",
        "date: 1 Sept 2021",
        ValidationError,
        20,
        "items[0].history[1].date",
        "YYYY-MM-DD",
    ),
    (
        "history-order",
        "date: 2021-09-01",
        "date: 2021-01-01",
        ValidationError,
        20,
        "items[0].history[1].date",
        "oldest first",
    ),
    (
        "duplicate-id",
        "id: sugar",
        "id: plant",
        ValidationError,
        24,
        "items[1].id",
        "first defined on line 4",
    ),
    (
        "unknown-status",
        "status: in_progress",
        "status: underway",
        ValidationError,
        21,
        "items[0].history[1].status",
        "proposed, agreed, in_progress, done, dropped",
    ),
    (
        "unknown-basket",
        "baskets: [sugar]",
        "baskets: [sugr]",
        ValidationError,
        29,
        "items[1].baskets",
        "did you mean sugar",
    ),
    (
        "unknown-meeting",
        "meeting: mini-2022",
        "meeting: mini-2023",
        ValidationError,
        25,
        "items[1].meeting",
        "mini-2021, mini-2022",
    ),
    (
        "bad-hs",
        "hs: ['8701']",
        "hs: ['87x1']",
        ValidationError,
        14,
        "items[0].hs",
        "invalid HS code",
    ),
    ("bad-due", "due: 2022-Q2", "due: 2022-Q5", ValidationError, 10, "items[0].due", "2022-Q5"),
    ("bad-party", "party: BLR", "party: RUS", ValidationError, 8, "items[0].party", "BLR or KAZ"),
    (
        "bad-kind",
        "kind: decision",
        "kind: promise",
        ValidationError,
        26,
        "items[1].kind",
        "area_of_interest",
    ),
    (
        "negative-value",
        "value: 25000000",
        "value: -5",
        ValidationError,
        11,
        "items[0].value",
        "≥ 0",
    ),
    (
        "bad-currency",
        "currency: USD",
        "currency: dollars",
        ValidationError,
        12,
        "items[0].currency",
        "ISO 4217",
    ),
    (
        "unknown-area",
        "area: agro",
        "area: fishing",
        ValidationError,
        30,
        "items[1].area",
        "agro, industry",
    ),
    (
        "missing-title",
        "    title: Resume sugar supplies\n",
        "",
        SchemaError,
        24,
        "items[1].title",
        "missing required key",
    ),
    (
        "air-unknown",
        "    area: agro\n",
        "    area: agro\n    air_clause: blr-kaz#KAZ-3-4\n",
        ValidationError,
        31,
        "items[1].air_clause",
        "unknown air agreement",
    ),
    (
        "yaml-syntax",
        "title: Resume sugar supplies",
        "title: [Resume sugar",
        ParseError,
        None,
        None,
        "not valid YAML",
    ),
]


def _case(tmp_path: Path, old: str, new: str) -> Path:
    dest = tmp_path / "bad"
    shutil.copytree(MINI, dest)
    path = dest / "agenda.yaml"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    return dest


@pytest.mark.parametrize(
    ("old", "new", "cls", "line", "field", "words"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_bad_agenda_is_refused_whole(
    agenda: Agenda,
    tmp_path: Path,
    old: str,
    new: str,
    cls: type[ParseError],
    line: int | None,
    field: str | None,
    words: str,
) -> None:
    case = _case(tmp_path, old, new)
    with pytest.raises(cls) as info:
        agenda.import_case(case)
    err = info.value
    assert type(err) is cls
    assert err.path == str(case / "agenda.yaml")
    if line is not None:
        assert err.line == line
    else:
        assert err.line is not None
    assert err.column == field
    assert words in err.message
    assert str(case / "agenda.yaml") in err.message
    assert agenda.commissions() == []
    assert agenda.items(as_of="2030-01-01") == []


def test_bad_replace_keeps_the_old_content(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(MINI)
    agenda.update("plant", status="done", date="2022-05-01", author="alice")
    case = _case(tmp_path, "baskets: [sugar]", "baskets: [sugr]")
    with pytest.raises(ValidationError):
        agenda.import_case(case, replace=True)
    plant = agenda.item("plant", as_of="2022-12-31")
    assert (plant.status, plant.version, len(plant.history)) == ("done", 2, 3)
    assert len(agenda.items(as_of="2022-12-31")) == 2


def test_failure_inside_the_database_rolls_back(agenda: Agenda, tmp_path: Path) -> None:
    """An item id taken by another commission is found only in the database: still atomic."""
    agenda.import_case(MINI)
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    for name, pairs in {
        "case.yaml": [("id: mini-igc", "id: other-igc"), ("mini-20", "other-20")],
        "agenda.yaml": [
            ("mini-igc", "other-igc"),
            ("mini-20", "other-20"),
            ("id: sugar", "id: s2"),
        ],
    }.items():
        text = (other / name).read_text("utf-8")
        for old, new in pairs:
            text = text.replace(old, new)
        (other / name).write_text(text, "utf-8")
    with pytest.raises(ValidationError) as info:
        agenda.import_case(other)
    assert info.value.line == 4
    assert "already used by commission 'mini-igc'" in info.value.message
    assert [c.id for c in agenda.commissions()] == ["mini-igc"]


def test_bad_case_file(agenda: Agenda, tmp_path: Path) -> None:
    dest = tmp_path / "c"
    shutil.copytree(MINI, dest)
    text = (dest / "case.yaml").read_text("utf-8")
    (dest / "case.yaml").write_text(text.replace("date: 2022-06-09", "date: 2022-6-9"), "utf-8")
    with pytest.raises(ValidationError) as info:
        agenda.import_case(dest)
    assert (info.value.line, info.value.column) == (20, "meetings[1].date")
    (dest / "case.yaml").write_text(text.replace("place: Minsk", "venue: Minsk"), "utf-8")
    with pytest.raises(SchemaError, match="unknown key") as info2:
        agenda.import_case(dest)
    assert (info2.value.line, info2.value.column) == (14, "meetings[0].venue")
    (dest / "case.yaml").unlink()
    with pytest.raises(NotFoundError, match=r"no case\.yaml"):
        agenda.import_case(dest)
    assert agenda.commissions() == []


def test_unknown_air_clause_in_founding_case(tmp_path: Path, case_dir: Path) -> None:
    path = case_dir / "agenda.yaml"
    path.write_text(path.read_text("utf-8").replace("blr-kaz#KAZ-3-4", "blr-kaz#KAZ-9"), "utf-8")
    with pytest.raises(ValidationError, match=r"no clause with this id in air/blr-kaz\.yaml"):
        Agenda.from_case(case_dir)
