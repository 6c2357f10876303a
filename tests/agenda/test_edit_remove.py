"""Editing and removing items (issue 18): history rows, optimistic locking, soft delete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bilat.agenda import Agenda
from bilat.errors import ConflictError, InputError, NotFoundError

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
SUGAR = "sugar-supplies-resume"  # due 2022-09 in the founding case, no value reported


def test_edit_records_old_and_new_per_field(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    before = agenda.item(SUGAR)
    assert (before.due, before.value, before.version) == ("2022-09", None, 1)
    after = agenda.edit(
        SUGAR,
        expected_version=1,
        author="desk",
        reason="ministry letter",
        due="2022-12",
        value="1_000_000",
        currency="USD",
        title=before.title,  # unchanged: no history row
    )
    assert after.version == 2
    assert (after.due, str(after.due_date), after.value, after.currency) == (
        "2022-12",
        "2022-12-31",
        1_000_000.0,
        "USD",
    )
    assert [(e.field, e.old, e.new) for e in after.edits] == [
        ("due", "2022-09", "2022-12"),
        ("value", None, 1_000_000),
        ("currency", None, "USD"),
    ]
    assert {(e.author, e.reason) for e in after.edits} == {("desk", "ministry letter")}
    assert after.history == before.history  # status history untouched
    # the due date moved: overdue as of 2022-12-31 no longer (it was 92 days under 2022-09)
    assert agenda.items(overdue_as_of="2022-12-31") == []


def test_edit_links_and_clear(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    v = agenda.item(SUGAR)
    assert v.baskets == ("sugar",)
    w = agenda.edit(
        SUGAR, expected_version=v.version, baskets=["confectionery", "sugar"], hs=["1701.99"]
    )
    assert (w.baskets, w.hs) == (("confectionery", "sugar"), ("170199",))
    x = agenda.edit(SUGAR, expected_version=w.version, baskets=[], party=None)
    assert (x.baskets, x.party) == ((), None)
    assert [e.field for e in x.edits] == ["baskets", "hs", "baskets", "party"]


def test_edit_air_clause_checked_against_stored_agreement(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    item = "air-blr-fifth-freedom"
    v = agenda.item(item)
    with pytest.raises(InputError, match="no clause with this id"):
        agenda.edit(item, expected_version=v.version, air_clause="blr-kaz#NO-SUCH-CLAUSE")
    w = agenda.edit(item, expected_version=v.version, air_clause="blr-kaz#KAZ-3-4")
    assert w.air_clause == "blr-kaz#KAZ-3-4"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"meeting": "x"}, "cannot be edited"),
        ({}, "nothing to edit"),
        ({"title": " "}, "title"),
        ({"due": "2022-13"}, "due"),
        ({"area": "space"}, "area"),
        ({"party": "FRA"}, "party"),
        ({"baskets": ["no_such_basket"]}, "basket"),
        ({"value": "-3"}, "value"),
        ({"kind": "wish"}, "kind"),
    ],
)
def test_edit_bad_value_writes_nothing(
    agenda: Agenda, changes: dict[str, Any], message: str
) -> None:
    agenda.import_case(CASE)
    with pytest.raises(InputError, match=message):
        agenda.edit(SUGAR, expected_version=1, **changes)
    after = agenda.item(SUGAR)
    assert (after.version, after.edits) == (1, ())


def test_stale_version_is_refused_naming_the_edit(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    agenda.edit(SUGAR, expected_version=1, author="ann", title="Sugar supplies resumed")
    with pytest.raises(ConflictError) as err:
        agenda.edit(SUGAR, expected_version=1, author="bob", title="Other")
    assert "ann edited title" in err.value.message
    with pytest.raises(ConflictError):
        agenda.remove(SUGAR, expected_version=1, reason="dup")
    assert agenda.item(SUGAR).title == "Sugar supplies resumed"


def test_remove_is_a_soft_delete(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(CASE)
    n = len(agenda.items())
    gone = agenda.remove(SUGAR, expected_version=1, reason="duplicate", author="desk")
    assert gone.removed and gone.version == 2
    assert [(e.field, e.old, e.new, e.reason) for e in gone.edits] == [
        ("removed", False, True, "duplicate")
    ]
    assert len(gone.history) == 1  # the status history stays
    ids = [i.id for i in agenda.items()]
    assert len(ids) == n - 1 and SUGAR not in ids
    assert SUGAR in [i.id for i in agenda.items(removed=True)]
    assert agenda.list_items(removed=True).n_items == n
    assert agenda.item(SUGAR).removed  # show still finds it
    for write in (
        lambda: agenda.remove(SUGAR, expected_version=2, reason="again"),
        lambda: agenda.edit(SUGAR, expected_version=2, title="x"),
        lambda: agenda.update(SUGAR, note="x"),
    ):
        with pytest.raises(InputError, match="was removed by desk"):
            write()
    # The export keeps it, removed, with who, when and why (issue 18: grades).
    report = agenda.export_case(tmp_path / "out")
    assert report.items == n
    text = (tmp_path / "out" / "agenda.yaml").read_text("utf-8")
    assert SUGAR in text and "reason: duplicate" in text
    agenda.import_case(tmp_path / "out", replace=True)
    back = agenda.item(SUGAR)
    assert back.removed and back.edits[-1].author == "desk"
    assert back.edits[-1].recorded_at == gone.edits[-1].recorded_at
    assert SUGAR not in [i.id for i in agenda.items()]


def test_remove_needs_a_reason_and_an_item(agenda: Agenda) -> None:
    agenda.import_case(CASE)
    with pytest.raises(InputError, match="reason"):
        agenda.remove(SUGAR, expected_version=1, reason="  ")
    with pytest.raises(NotFoundError, match="did you mean"):
        agenda.remove("sugar-supplies-resum", expected_version=1, reason="x")


def test_cli_edit_remove_list(cli: Any, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert cli("agenda", "import", CASE, "--db", db).exit_code == 0
    r = cli(
        "agenda", "edit", SUGAR, "--expect-version", "1", "--due", "2022-12",
        "--clear", "baskets", "--reason", "letter", "--by", "desk", "--db", db,
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"{SUGAR}: edited due, baskets (version 2)"
    r = cli("agenda", "edit", SUGAR, "--expect-version", "1", "--title", "x", "--db", db)
    assert r.exit_code == 1 and "desk edited due, baskets" in " ".join(r.stderr.split())
    r = cli("agenda", "edit", SUGAR, "--expect-version", "2", "--due", "2022-13", "--db", db)
    assert r.exit_code == 2
    r = cli("agenda", "remove", SUGAR, "--expect-version", "2", "--db", db)
    assert r.exit_code == 2  # --reason is required
    r = cli(
        "agenda", "remove", SUGAR, "--expect-version", "2", "--reason", "dup", "--db", db, "--json"
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["removed"] is True and [e["field"] for e in doc["edits"]] == [
        "due",
        "baskets",
        "removed",
    ]
    listed = cli("agenda", "list", "--db", db, "--json")
    assert SUGAR not in [i["id"] for i in json.loads(listed.stdout)["items"]]
    listed = cli("agenda", "list", "--removed", "--db", db)
    assert "(removed)" in listed.stdout
    shown = cli("agenda", "show", SUGAR, "--db", db)
    assert "Edits (the item is removed)" in shown.stdout
