"""Exchange formats (issue 18): IATI activity XML, the iCalendar feed, the deadline digest.

Expected values are read off the founding case's agenda.yaml by hand: 16 items, one meeting
(2022-06-09), two deadlines (``mtz-tractor-cab-plant`` due ``2022`` → 2022-12-31, in
progress since 2022-06-09; ``sugar-supplies-resume`` due ``2022-09`` → 2022-09-30, agreed),
four items proposed, eleven agreed, one in progress.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import icalendar
import pytest

from bilat.agenda import Agenda
from bilat.agenda.formats import IATI_STATUS, parse_within
from bilat.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
NS_XML = "{http://www.w3.org/XML/1998/namespace}"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'agenda.db'}"
    with Agenda.open(url) as ag:
        ag.import_case(CASE)
    return url


def _export(cli: Any, kind: str, db: str, out: Path, *extra: str) -> Path:
    r = cli("agenda", kind, "-o", out, "--as-of", "2022-12-31", "--db", db, *extra)
    assert r.exit_code == 0, r.stderr
    return out


# ------------------------------------------------------------------------------------ IATI


def test_iati_export_validates_against_the_iati_schema(
    cli: Any, db: str, tmp_path: Path, shared_data: Path
) -> None:
    from lxml import etree

    xsd = shared_data / "iati" / "iati-activities-schema.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    doc = etree.parse(str(_export(cli, "iati", db, tmp_path / "a.xml")))
    assert schema.validate(doc), schema.error_log
    assert doc.getroot().get("version") == "2.03"
    assert len(doc.findall("iati-activity")) == 16
    # the schema is a real check: an activity without its status is refused
    broken = doc.find("iati-activity")
    broken.remove(broken.find("activity-status"))
    assert not schema.validate(doc)


def test_iati_activities_carry_the_agenda(cli: Any, db: str, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(_export(cli, "iati", db, tmp_path / "a.xml")).getroot()
    acts = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    mtz = acts["BILAT-LOCAL-blr-kaz-2022-mtz-tractor-cab-plant"]
    assert mtz.get(NS_XML + "lang") == "en"
    assert mtz.find("reporting-org").get("ref") == "BILAT-LOCAL-blr-kaz-2022"
    assert "local identifier" in mtz.findtext("reporting-org/narrative")
    assert mtz.findtext("title/narrative").startswith("Tractor-cab plant of the Minsk")
    assert mtz.find("activity-status").get("code") == "2"  # Implementation
    dates = {d.get("type"): d.get("iso-date") for d in mtz.findall("activity-date")}
    assert dates == {"1": "2022-06-09", "2": "2022-06-09", "3": "2022-12-31"}
    assert [c.get("code") for c in mtz.findall("recipient-country")] == ["BY", "KZ"]
    orgs = [o.findtext("narrative") for o in mtz.findall("participating-org")]
    assert orgs == [
        "Government of Belarus (BLR), responsible party",
        "Government of Kazakhstan (KAZ)",
    ]
    assert {o.get("type") for o in mtz.findall("participating-org")} == {"10"}
    sugar = acts["BILAT-LOCAL-blr-kaz-2022-sugar-supplies-resume"]
    assert {d.get("type"): d.get("iso-date") for d in sugar.findall("activity-date")} == {
        "1": "2022-06-09",
        "3": "2022-09-30",
    }
    # 4 proposed + 11 agreed → Pipeline/identification (1), 1 in progress → Implementation (2)
    assert Counter(a.find("activity-status").get("code") for a in acts.values()) == {
        "1": 15,
        "2": 1,
    }


def test_status_mapping_follows_the_activity_status_codelist() -> None:
    # IATI ActivityStatus: 1 Pipeline/identification, 2 Implementation, 3 Finalisation,
    # 4 Closed, 5 Cancelled, 6 Suspended
    assert dict(IATI_STATUS) == {
        "proposed": "1",
        "agreed": "1",
        "in_progress": "2",
        "done": "4",
        "dropped": "5",
    }


def test_done_and_dropped_items_close_and_cancel(cli: Any, db: str, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    with Agenda.open(db) as ag:
        ag.update("mtz-tractor-cab-plant", status="done", date="2022-11-20", note="test")
        ag.update("food-hub-china", status="dropped", date="2022-10-01", note="test")
    root = ET.parse(_export(cli, "iati", db, tmp_path / "a.xml")).getroot()
    acts = {a.findtext("iati-identifier").rsplit("2022-", 1)[1]: a for a in root}
    mtz = acts["mtz-tractor-cab-plant"]
    assert mtz.find("activity-status").get("code") == "4"
    assert ("4", "2022-11-20") in {(d.get("type"), d.get("iso-date")) for d in mtz}
    assert acts["food-hub-china"].find("activity-status").get("code") == "5"


# ------------------------------------------------------------------------------- iCalendar


def _events(path: Path) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_feed_holds_every_deadline_and_the_meeting(cli: Any, db: str, tmp_path: Path) -> None:
    events = _events(_export(cli, "ics", db, tmp_path / "a.ics"))
    assert len(events) == 3  # one meeting, two deadlines
    starts = {uid: e.decoded("DTSTART") for uid, e in events.items()}
    assert starts == {
        "meeting.blr-kaz-igc-2022-06-09.blr-kaz-igc@bilat.agenda": dt.date(2022, 6, 9),
        "due.mtz-tractor-cab-plant.blr-kaz-igc@bilat.agenda": dt.date(2022, 12, 31),
        "due.sugar-supplies-resume.blr-kaz-igc@bilat.agenda": dt.date(2022, 9, 30),
    }
    sugar = events["due.sugar-supplies-resume.blr-kaz-igc@bilat.agenda"]
    assert sugar.decoded("DTEND") == dt.date(2022, 10, 1)  # all-day: end is exclusive
    assert str(sugar["SUMMARY"]) == "Due: Resume sugar supplies from September 2022"
    assert "due 2022-09 as written" in str(sugar["DESCRIPTION"])
    assert str(events["meeting.blr-kaz-igc-2022-06-09.blr-kaz-igc@bilat.agenda"]["LOCATION"]) == (
        "Nur-Sultan"
    )


def test_ics_uids_are_stable_across_exports(cli: Any, db: str, tmp_path: Path) -> None:
    first = _events(_export(cli, "ics", db, tmp_path / "a.ics"))
    with Agenda.open(db) as ag:
        ag.update("sugar-supplies-resume", status="in_progress", date="2022-09-01", note="t")
    second = _events(_export(cli, "ics", db, tmp_path / "b.ics"))
    assert set(first) == set(second)
    uid = "due.sugar-supplies-resume.blr-kaz-igc@bilat.agenda"
    assert "status in_progress" in str(second[uid]["DESCRIPTION"])


# ------------------------------------------------------------------------------ due digest


@pytest.mark.parametrize(
    ("text", "days"), [("30d", 30), ("2w", 14), ("0d", 0), (" 7D ", 7), ("1w", 7)]
)
def test_parse_within(text: str, days: int) -> None:
    assert parse_within(text) == days


@pytest.mark.parametrize("text", ["30", "3m", "d", "-2d", "2.5w", "30 days", ""])
def test_parse_within_refuses_bad_text(text: str) -> None:
    with pytest.raises(InputError, match="expected a number of days or weeks"):
        parse_within(text)


def _due(cli: Any, db: str, *args: str) -> dict[str, Any]:
    r = cli("agenda", "due", *args, "--db", db, "--json")
    assert r.exit_code == 0, r.stderr
    return dict(json.loads(r.stdout))


def test_due_within_a_window(cli: Any, db: str) -> None:
    # 2022-09-05 + 30 d = 2022-10-05: the sugar deadline (30 Sept) falls in, MTZ's does not
    d = _due(cli, db, "--within", "30d", "--as-of", "2022-09-05")
    assert (d["as_of"], d["until"], d["within_days"]) == ("2022-09-05", "2022-10-05", 30)
    assert [i["id"] for i in d["due"]] == ["sugar-supplies-resume"]
    assert d["overdue"] == []
    assert d["without_deadline"] == 14
    # two weeks from 2022-09-05 ends 2022-09-19, before the sugar deadline
    assert _due(cli, db, "--within", "2w", "--as-of", "2022-09-05")["due"] == []
    # the window includes its last day: 2022-09-16 + 2w = 2022-09-30
    assert [i["id"] for i in _due(cli, db, "--within", "2w", "--as-of", "2022-09-16")["due"]] == [
        "sugar-supplies-resume"
    ]
    # 2022-12-05: MTZ due 31 Dec in the window; sugar overdue by 66 days (30 Sept → 5 Dec)
    d = _due(cli, db, "--within", "30d", "--as-of", "2022-12-05")
    assert [i["id"] for i in d["due"]] == ["mtz-tractor-cab-plant"]
    assert [(i["id"], i["days_overdue"]) for i in d["overdue"]] == [("sugar-supplies-resume", 66)]


def test_due_leaves_out_done_items(cli: Any, db: str) -> None:
    with Agenda.open(db) as ag:
        ag.update("mtz-tractor-cab-plant", status="done", date="2022-11-20", note="test")
    d = _due(cli, db, "--within", "30d", "--as-of", "2022-12-05")
    assert d["due"] == []
    assert [i["id"] for i in d["overdue"]] == ["sugar-supplies-resume"]


def test_due_refuses_a_bad_window_with_exit_2(cli: Any, db: str) -> None:
    r = cli("agenda", "due", "--within", "3m", "--db", db)
    assert r.exit_code == 2
    assert "bad window '3m'" in r.stderr
    assert "30d or 2w" in r.stderr


# ---------------------------------------------------------------------------------- writes


@pytest.mark.parametrize("kind", ["iati", "ics"])
def test_exports_replace_the_file_atomically(
    cli: Any, db: str, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / f"feed.{kind}"
    out.write_bytes(b"old")
    import bilat._files as files

    def boom(*_: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError, match="simulated"):
        cli("agenda", kind, "-o", out, "--db", db)
    assert out.read_bytes() == b"old"  # the old file stands, whole
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".feed")] == []
    monkeypatch.undo()
    _export(cli, kind, db, out, "--json")
    assert out.read_bytes() != b"old"


def test_export_json_report(cli: Any, db: str, tmp_path: Path) -> None:
    r = cli("agenda", "ics", "-o", tmp_path / "a.ics", "--db", db, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == {
        "commission": "blr-kaz-igc",
        "items": 2,
        "paths": [str(tmp_path / "a.ics")],
    }


@pytest.mark.parametrize("command", ["iati", "ics", "due"])
def test_new_commands_have_help_and_a_docs_section(cli: Any, command: str) -> None:
    r = cli("agenda", command, "--help")
    assert r.exit_code == 0
    docs = (ROOT / "docs" / "agenda.md").read_text("utf-8")
    assert re.search(rf"^#+ .*`bilat agenda {command}\b", docs, re.M), command


def test_results_hook_adds_valid_result_elements(db: str, shared_data: Path) -> None:
    """The extension point for indicators: a hook's <result> lands where the schema wants it."""
    import xml.etree.ElementTree as ET

    from lxml import etree

    from bilat.agenda import iati_activities
    from bilat.agenda.formats import party_codes

    def hook(item: Any) -> list[ET.Element]:
        if item.id != "sugar-supplies-resume":
            return []
        result = ET.Element("result", {"type": "1"})  # ResultType 1: Output
        ET.SubElement(ET.SubElement(result, "title"), "narrative").text = "Sugar shipped"
        ind = ET.SubElement(result, "indicator", {"measure": "1"})  # IndicatorMeasure 1: Unit
        ET.SubElement(ET.SubElement(ind, "title"), "narrative").text = "Tonnes of sugar (synthetic)"
        return [result]

    with Agenda.open(db) as ag:
        com = ag.commission("blr-kaz-igc")
        items = ag.items(as_of="2022-12-31")
    iso2, names = party_codes(com.parties)
    data = iati_activities(
        com, items, iso2=iso2, names=names, generated=dt.datetime(2022, 12, 31, tzinfo=dt.UTC),
        results=hook,
    )  # fmt: skip
    doc = etree.fromstring(data)
    schema = etree.XMLSchema(etree.parse(str(shared_data / "iati" / "iati-activities-schema.xsd")))
    assert schema.validate(doc), schema.error_log
    assert len(doc.findall("iati-activity/result")) == 1
    assert doc.get("generated-datetime") == "2022-12-31T00:00:00+00:00"


def test_iati_results_carry_the_indicators(
    cli: Any, db: str, tmp_path: Path, shared_data: Path
) -> None:
    """Indicators as IATI results: baseline, target, actuals (issue 18 part 2), schema-valid."""
    from lxml import etree
    from tests.agenda.test_indicators import _Flows, _value

    from bilat.agenda.formats import iati_activities, party_codes, results_hook

    with Agenda.open(db) as ag:
        v = ag.item("mtz-tractor-cab-plant").version
        ag.record_actual("mtz-tractor-cab-plant", "cab-production-started", period="2022-Q4",
                         value=1, source="synthetic letter", expected_version=v)  # fmt: skip
        com = ag.commission("blr-kaz-igc")
        items = ag.items(as_of="2022-12-31")
        hook = results_hook(ag.indicators(None, _Flows()))
    iso2, names = party_codes(com.parties)
    data = iati_activities(com, items, iso2=iso2, names=names, results=hook,
                           generated=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    doc = etree.fromstring(data)
    schema = etree.XMLSchema(etree.parse(str(shared_data / "iati" / "iati-activities-schema.xsd")))
    assert schema.validate(doc), schema.error_log
    acts = {a.findtext("iati-identifier").rsplit("2022-", 1)[1]: a for a in doc}
    assert len(doc.findall("iati-activity/result")) == 4
    (cab,) = acts["mtz-tractor-cab-plant"].findall("result")
    assert cab.get("type") == "1"
    ind = cab.find("indicator")
    assert ind.get("ascending") == "1"
    assert ind.find("baseline").attrib == {"year": "2022", "iso-date": "2022-06-09", "value": "0"}
    # The target's period (2022) and the actual's (2022-Q4) are two periods, by start.
    target, actual = ind.findall("period")
    assert [target.find("period-start").get("iso-date"), target.find("period-end").get("iso-date")
            ] == ["2022-01-01", "2022-12-31"]  # fmt: skip
    assert (target.find("target").get("value"), target.find("actual")) == ("1", None)
    assert actual.find("period-start").get("iso-date") == "2022-10-01"
    assert actual.find("actual").get("value") == "1"
    assert "synthetic letter" in actual.findtext("actual/comment/narrative")
    (sugar,) = acts["sugar-supplies-resume"].findall("result")
    sugar_ind = sugar.find("indicator")
    assert sugar.get("type") == "2"
    assert float(sugar_ind.find("baseline").get("value")) == pytest.approx(_value(2021, "BLR"))
    values = [(p.find("period-start").get("iso-date"), p.find("actual").get("value"))
              for p in sugar_ind.findall("period")]  # fmt: skip
    assert [v[0] for v in values] == ["2022-01-01", "2023-01-01"]
    assert float(values[0][1]) == pytest.approx(_value(2022, "BLR"))
