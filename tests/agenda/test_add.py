"""Adding an item: checked like agenda.yaml, written in one transaction, exported last."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.agenda import Agenda, read_agenda, read_case
from bilat.agenda.models import Item
from bilat.errors import BilatError, ConflictError, InputError, UnknownCodeError

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "agenda" / "mini"
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"

NEW: dict[str, Any] = {
    "meeting": "mini-2022",
    "kind": "Contract",
    "title": "Supply of tractor cabs",
    "description": "Cabs from Minsk for assembly in Kostanay.",
    "area": "industry",
    "party": "Kazakhstan",
    "body": "Ministry of Industry",
    "due": "2023-H1",
    "value": "1_500_000",
    "currency": "USD",
    "count": 3,
    "baskets": ["tractor_cabs", "tractors"],
    "hs": ["870710", "8701"],
    "note": "signed at the session",
    "source": "minutes, item 4",
    "author": "eddie",
}


def _snapshot(agenda: Agenda) -> list[tuple[str, int, int]]:
    return [(i.id, i.version, len(i.history)) for i in agenda.items(as_of="2030-01-01")]


def test_add_then_list_show_export(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(MINI)
    view = agenda.add_item("cabs", **NEW)
    assert (view.commission, view.kind, view.party, view.currency) == (
        "mini-igc",
        "contract",
        "KAZ",
        "USD",
    )
    assert (view.value, view.count, view.due_date) == (1_500_000.0, 3, dt.date(2023, 6, 30))
    assert view.baskets == ("tractor_cabs", "tractors")
    assert view.hs == ("870710", "8701")
    # no date given: the first status is dated the meeting's day
    assert (view.status, view.status_date, view.version) == ("agreed", dt.date(2022, 6, 9), 1)
    assert [(c.status, c.note, c.author) for c in view.history] == [
        ("agreed", "signed at the session", "eddie")
    ]
    listed = agenda.items(as_of="2023-12-31")
    assert [i.id for i in listed] == ["plant", "sugar", "cabs"]
    assert [i.id for i in listed if i.overdue] == ["plant", "sugar", "cabs"]
    assert agenda.item("cabs").title == "Supply of tractor cabs"

    out = tmp_path / "out"
    agenda.export_case(out, commission="mini-igc")
    data = yaml.safe_load((out / "agenda.yaml").read_text("utf-8"))
    assert [i["id"] for i in data["items"]] == ["plant", "sugar", "cabs"]
    assert data["items"][2]["value"] == 1_500_000
    assert data["items"][2]["history"] == [
        {
            "date": dt.date(2022, 6, 9),
            "status": "agreed",
            "note": "signed at the session",
            "source": "minutes, item 4",
            "by": "eddie",
        }
    ]
    # the exported file reads back with the importer's checks, same content
    docs = read_agenda(out, read_case(out))
    again = {d.id: d for d in docs}["cabs"]
    assert (again.party, again.baskets, again.hs, again.due) == (
        "KAZ",
        ("tractor_cabs", "tractors"),
        ("870710", "8701"),
        "2023-H1",
    )
    # a second export is byte-identical (stable order)
    first = (out / "agenda.yaml").read_bytes()
    agenda.export_case(out, commission="mini-igc")
    assert (out / "agenda.yaml").read_bytes() == first


def test_add_with_date_status_and_unknown_value(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    view = agenda.add_item(
        "talks",
        meeting="mini-2021",
        kind="proposal",
        title="Talks on dairy",
        status="proposed",
        date="2021-06-01",
        value="",
        currency="",
        baskets=["dairy"],
    )
    assert (view.status, view.status_date) == ("proposed", dt.date(2021, 6, 1))
    assert (view.value, view.currency, view.party, view.area) == (None, None, None, None)
    assert agenda.items(as_of="2021-05-31", kind="proposal") == []
    updated = agenda.update("talks", status="agreed", date="2021-07-01", expected_version=1)
    assert (updated.status, updated.version) == ("agreed", 2)


@pytest.mark.parametrize(
    ("change", "cls", "words"),
    [
        ({"baskets": ["sugr"]}, UnknownCodeError, "did you mean sugar"),
        ({"hs": ["87x1"]}, UnknownCodeError, "invalid HS code"),
        ({"date": "2022-06-31"}, InputError, "YYYY-MM-DD"),
        ({"due": "2022-Q5"}, InputError, "2022-Q5"),
        ({"meeting": "mini-2023"}, InputError, "mini-2021, mini-2022"),
        ({"area": "fishing"}, InputError, "agro, industry"),
        ({"party": "RUS"}, InputError, "BLR or KAZ"),
        ({"party": "Atlantis"}, UnknownCodeError, "unknown country"),
        ({"kind": "promise"}, InputError, "area_of_interest"),
        ({"status": "underway"}, InputError, "in_progress"),
        ({"value": "-5"}, InputError, "≥ 0"),
        ({"value": "a lot"}, InputError, "not a number"),
        ({"currency": "dollars"}, InputError, "ISO 4217"),
        ({"count": "2.5"}, InputError, "whole number"),
        ({"title": "  "}, InputError, "title: a value is required"),
        ({"air_clause": "blr-kaz"}, InputError, "AGREEMENT#CLAUSE"),
    ],
)
def test_bad_input_writes_nothing(
    agenda: Agenda, change: dict[str, Any], cls: type[Exception], words: str
) -> None:
    agenda.import_case(MINI)
    before = _snapshot(agenda)
    with pytest.raises(cls) as info:
        agenda.add_item("cabs", **{**NEW, **change})
    assert words in str(info.value)
    assert _snapshot(agenda) == before


def test_unknown_basket_names_the_closest(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    with pytest.raises(UnknownCodeError) as info:
        agenda.add_item("x", meeting="mini-2021", kind="project", title="t", baskets=["tractor"])
    assert info.value.details["closest"][:2] == ["tractors", "tractor_cabs"]
    assert info.value.details["field"] == "baskets"


def test_bad_id_and_duplicate_id(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(MINI)
    with pytest.raises(InputError, match="bad identifier"):
        agenda.add_item("Cabs Now", **NEW)
    agenda.add_item("cabs", **NEW)
    before = _snapshot(agenda)
    with pytest.raises(ConflictError, match="'plant' is already used by commission 'mini-igc'"):
        agenda.add_item("plant", **NEW)
    with pytest.raises(ConflictError, match="already used"):
        agenda.add_item("cabs", **{**NEW, "title": "another"})
    assert _snapshot(agenda) == before
    assert agenda.item("cabs").title == "Supply of tractor cabs"


def test_air_clause_is_checked_against_the_case(agenda: Agenda, case_dir: Path) -> None:
    agenda.import_case(case_dir)
    meeting = agenda.meetings()[0].id
    base = {"meeting": meeting, "kind": "decision", "title": "Fifth freedom", "area": "aviation"}
    with pytest.raises(UnknownCodeError, match=r"no clause with this id in air/blr-kaz\.yaml"):
        agenda.add_item("air-x", air_clause="blr-kaz#KAZ-9", case_dir=case_dir, **base)
    with pytest.raises(UnknownCodeError, match="unknown air agreement"):
        agenda.add_item("air-x", air_clause="blr-rus#KAZ-3-4", **base)  # the shipped case
    view = agenda.add_item("air-x", air_clause="blr-kaz#KAZ-3-4", case_dir=case_dir, **base)
    assert view.air_clause == "blr-kaz#KAZ-3-4"
    assert agenda.items(as_of="2030-01-01")[-1].id == "air-x"


def test_cli_add(cli: Any, db_url: str) -> None:
    assert cli("agenda", "import", MINI, "--db", db_url).exit_code == 0
    args = ["agenda", "add", "cabs", "--meeting", "mini-2022", "--kind", "contract"]
    args += ["--title", "Supply of tractor cabs", "--party", "KAZ", "--due", "2023-H1"]
    args += ["--basket", "tractor_cabs", "--basket", "tractors", "--hs", "8701", "--by", "eddie"]
    r = cli(*args, "--db", db_url, "--json")
    assert r.exit_code == 0, r.stderr
    shown = json.loads(r.stdout)
    assert (shown["id"], shown["baskets"], shown["hs"]) == (
        "cabs",
        ["tractor_cabs", "tractors"],
        ["8701"],
    )
    assert shown["history"][0]["author"] == "eddie"
    r = cli(*args, "--db", db_url)
    assert r.exit_code == 1
    assert "already used" in r.stderr
    r = cli(
        "agenda",
        "add",
        "x",
        "--meeting",
        "mini-2023",
        "--kind",
        "contract",
        "--title",
        "t",
        "--db",
        db_url,
    )
    assert r.exit_code == 2
    assert "unknown meeting" in r.stderr
    r = cli("agenda", "list", "--as-of", "2023-01-01", "--db", db_url, "--json")
    assert [x["id"] for x in json.loads(r.stdout)["items"]] == ["plant", "sugar", "cabs"]


def test_founding_case_item_added_and_reimported(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(CASE)
    n = len(agenda.items(as_of="2030-01-01"))
    agenda.add_item(
        "sugar-extra",
        meeting=agenda.meetings()[0].id,
        kind="decision",
        title="More sugar",
        baskets=["sugar"],
    )
    out = tmp_path / "case"
    agenda.export_case(out)  # writes air/blr-kaz.yaml too: the clauses items link to
    assert (out / "air" / "blr-kaz.yaml").read_text("utf-8") == (
        CASE / "air" / "blr-kaz.yaml"
    ).read_text("utf-8")
    fresh = Agenda.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        report = fresh.import_case(out)
        assert report.items == n + 1
        assert fresh.items(as_of="2030-01-01")[-1].id == "sugar-extra"
    finally:
        fresh.close()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            k: st.text(max_size=12)
            for k in ("kind", "area", "party", "due", "value", "currency", "count", "air_clause")
        },
    ),
    baskets=st.lists(st.text(max_size=8), max_size=3),
    hs=st.lists(st.text(max_size=8), max_size=3),
)
def test_any_text_is_added_or_refused_cleanly(
    fuzz_agenda: Agenda, fields: dict[str, str], baskets: list[str], hs: list[str]
) -> None:
    """Whatever is typed into a form, the outcome is an item or a BilatError, nothing half."""
    before = _snapshot(fuzz_agenda)
    args: dict[str, Any] = {"kind": "project", **fields, "baskets": baskets, "hs": hs}
    try:
        view = fuzz_agenda.add_item("fuzz", meeting="mini-2022", title="t", **args)
    except BilatError:
        assert _snapshot(fuzz_agenda) == before
    else:
        assert view.id == "fuzz" and len(view.history) == 1
        with fuzz_agenda._sessions.begin() as s:  # remove it for the next example
            s.delete(s.get(Item, "fuzz"))


@pytest.fixture(scope="module")
def fuzz_agenda() -> Any:
    ag = Agenda.open("sqlite://")
    ag.import_case(MINI)
    yield ag
    ag.close()


def test_nul_characters_are_refused_before_the_database(agenda: Agenda) -> None:
    agenda.import_case(MINI)
    with pytest.raises(InputError, match="NUL"):
        agenda.add_item("x", meeting="mini\x002022", kind="project", title="t")
    with pytest.raises(InputError, match="NUL"):
        agenda.add_item("x", meeting="mini-2022", kind="project", title="t\x00")
    assert "x" not in [i.id for i in agenda.items(as_of="2030-01-01")]
