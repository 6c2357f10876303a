"""Two users updating one item: optimistic locking, the loser told who changed what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bilat.agenda import Agenda
from bilat.errors import ConflictError, InputError, NotFoundError

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "agenda" / "mini"


def test_stale_expected_version_is_refused(db_url: str) -> None:
    alice, bob = Agenda.open(db_url), Agenda.open(db_url)
    alice.import_case(MINI)
    seen_by_bob = bob.item("sugar")
    assert seen_by_bob.version == 1
    alice.update(
        "sugar",
        status="in_progress",
        date="2022-09-05",
        note="first wagons",
        author="alice",
        expected_version=1,
    )
    with pytest.raises(ConflictError) as info:
        bob.update(
            "sugar",
            status="dropped",
            date="2022-09-06",
            author="bob",
            expected_version=seen_by_bob.version,
        )
    err = info.value
    assert "changed by alice" in err.message
    assert "'in_progress' dated 2022-09-05" in err.message
    assert "first wagons" in err.message
    assert err.details["version"] == 2
    assert err.details["expected_version"] == 1
    # Nothing of bob's was written; alice's change is there.
    after = alice.item("sugar", as_of="2022-12-31")
    assert [(c.status, c.author) for c in after.history] == [
        ("agreed", None),
        ("in_progress", "alice"),
    ]
    assert after.version == 2
    # Bob reloads and applies his change on top.
    bob.update(
        "sugar",
        status="done",
        date="2022-10-01",
        author="bob",
        expected_version=bob.item("sugar").version,
    )
    assert bob.item("sugar", as_of="2022-12-31").version == 3
    alice.close()
    bob.close()


def test_race_between_read_and_write_is_caught(db_url: str) -> None:
    """Alice commits while Bob's update is between its version check and its write."""
    alice, bob = Agenda.open(db_url), Agenda.open(db_url)
    alice.import_case(MINI)
    fired: list[bool] = []

    def alice_slips_in(session: Any, flush_context: Any, instances: Any) -> None:
        if not fired:
            fired.append(True)
            alice.update("plant", status="done", date="2022-05-30", note="opened", author="alice")

    sa.event.listen(bob._sessions, "before_flush", alice_slips_in)
    with pytest.raises(ConflictError, match="changed by alice") as info:
        bob.update("plant", status="dropped", date="2022-06-01", author="bob", expected_version=1)
    assert fired == [True]
    assert info.value.details["version"] == 3 - 1
    item = alice.item("plant", as_of="2022-12-31")
    assert [c.author for c in item.history] == [None, "alice", "alice"]
    assert (item.status, item.version) == ("done", 2)
    alice.close()
    bob.close()


def test_without_expected_version_updates_stack(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    agenda.update("sugar", note="talks continue", date="2022-07-01", author="a")
    agenda.update("sugar", status="done", date="2022-09-15", author="b")
    item = agenda.item("sugar", as_of="2022-12-31")
    assert [(c.date, c.status, c.note) for c in item.history] == [
        (dt.date(2022, 6, 9), "agreed", None),
        (dt.date(2022, 7, 1), "agreed", "talks continue"),
        (dt.date(2022, 9, 15), "done", None),
    ]
    assert (item.version, item.updated_by, item.overdue) == (3, "b", False)
    # As of a date in between, the status then, and overdue by then.
    then = agenda.item("sugar", as_of="2022-10-01")
    assert (then.status, then.overdue) == ("done", False)
    before = agenda.item("sugar", as_of="2022-09-10")
    assert (before.status, before.overdue) == ("agreed", False)


def test_backdated_change_does_not_hide_the_latest(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    agenda.update("plant", status="done", date="2022-03-01", author="a")
    agenda.update("plant", status="in_progress", date="2021-12-01", note="late record", author="b")
    item = agenda.item("plant", as_of="2022-12-31")
    assert (item.status, item.status_date) == ("done", dt.date(2022, 3, 1))
    assert [c.date for c in item.history] == sorted(c.date for c in item.history)


def test_update_errors(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    with pytest.raises(InputError, match=r"status must be one of .*, not 'finished'"):
        agenda.update("plant", status="finished")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        agenda.update("plant", status="done", date="31/12/2022")
    with pytest.raises(InputError, match="nothing to record"):
        agenda.update("plant")
    with pytest.raises(NotFoundError, match="did you mean plant"):
        agenda.update("plnt", status="done")
    assert agenda.item("plant").version == 1
