"""An export is a case folder that imports back to the same commission, meetings and items.

The founding case (whose ``items[13]`` cites ``air/blr-kaz.yaml``) and a generated case that
sets every field of ``case.yaml`` and ``agenda.yaml`` (synthetic data, made up for this test;
one of its baskets exists only in the case's own ``baskets.toml``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bilat.agenda import Agenda, read_agenda, read_case
from bilat.agenda.caseio import case_baskets

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
DAY = dt.date(2030, 1, 1)

CASE_YAML = """\
# SYNTHETIC test case: every field of case.yaml set; names and dates are made up.
case: synthetic-every-field
title: A synthetic case with every field
description: Made up for the round-trip test; no real commission.
dyad: [ARM, GEO]
commission:
  id: synthetic-igc
  name: Synthetic Intergovernmental Commission
areas:
  trade: Trade
  transport: Transport
meetings:
- id: synthetic-igc-2021
  date: 2021-03-04
  place: Yerevan
  title: First session
  co_chairs:
  - {party: ARM, name: A. Person, title: Deputy Minister}
  - {party: GEO, name: B. Person, title: Minister}
- id: synthetic-igc-2022
  date: 2022-05-06
  place: Tbilisi
  co_chairs:
  - {party: GEO}
"""

AGENDA_YAML = """\
# SYNTHETIC test agenda: every item field set on the first item.
commission: synthetic-igc
items:
- id: every-field
  meeting: synthetic-igc-2021
  kind: contract
  title: Supply of widgets
  description: |-
    Two lines
    of description, with "quotes" and a colon: here.
  area: trade
  party: GEO
  body: Ministry of Economy
  due: 2022-Q3
  value: 1234567.5
  currency: USD
  count: 12
  baskets: [synthetic_widgets, sugar]
  hs: ['170410', '8701']
  air_clause: arm-geo#ARM-3-4
  history:
  - {date: 2021-03-04, status: agreed, note: signed at the session, source: minutes p. 3, by: secretariat}
  - {date: 2021-09-01, status: in_progress, note: first lot, source: 'https://example.org/a', by: desk}
  - {date: 2022-10-01, status: done, by: desk}
  indicators:
  - key: widgets-delivered
    name: Widgets delivered (synthetic)
    unit: units
    baseline: -2.5
    baseline_period: 2021-Q1
    target: 12
    target_period: 2022-H2
    source: contract annex 2
    note: |-
      Every field of an entered indicator,
      on two lines.
    actuals:
    - {period: 2021-09, value: 4, source: 'https://example.org/b', note: first lot, by: desk}
    - {period: '2022', value: 12.75, source: delivery note 7}
  - key: widget-exports
    name: Widget exports, measured
    measure: {basket: synthetic_widgets, direction: import}
    baseline: 1000
    baseline_period: '2020'
    target: 5000000
    target_period: '2024'
    source: minutes p. 4
  - key: hs-exports
    name: Tractors, measured by HS code
    unit: usd
    measure: {hs: '8701', direction: export}
  grades:
  - {as_of: 2021-12-31, grade: too_early, note: due in 2022-Q3, by: desk}
  - as_of: 2022-12-31
    grade: full
    evidence:
    - {source: 'https://example.org/a', figure: 12 contracts delivered, note: synthetic}
    - {source: minutes p. 9}
    by: assessor
- id: bare
  meeting: synthetic-igc-2022
  kind: area_of_interest
  title: Talk about transport
  history:
  - {date: 2022-05-06, status: proposed}
  grades:
  - as_of: 2022-12-31
    grade: partial
    evidence: [{source: synthetic minutes, figure: one of two talks held}]
  edits:
  - {at: '2022-06-01T08:00:00.123456+00:00', by: desk, field: title, old: Talk, new: Talk about transport, reason: clearer}
  - {at: '2022-06-02T09:30:00+00:00', field: count, old: 3, new: null}
- id: gone
  meeting: synthetic-igc-2022
  kind: project
  title: A project later removed
  due: 2023-H1
  history:
  - {date: 2022-05-06, status: agreed}
  grades:
  - as_of: 2023-06-30
    grade: none
    evidence: [{source: synthetic report of 2023}]
  edits:
  - {at: '2022-07-01T00:00:00+00:00', by: desk, field: due, old: '2022', new: 2023-H1}
  removed: {at: '2024-01-01T12:00:00+00:00', by: desk, reason: a duplicate of every-field}
"""

AIR_YAML = """\
# SYNTHETIC air agreement: only its clause ids matter to the agenda.
id: ARM-GEO
clauses:
- id: ARM-3-4
- id: GEO-5
"""

BASKETS_TOML = """\
# SYNTHETIC basket, defined only in this case folder.
[synthetic_widgets]
title = "Widgets (synthetic)"
codes = ["8479", "847989"]
rationale = "Made up for the round-trip test: \\"widgets\\"."
"""


@pytest.fixture
def every_field(tmp_path: Path) -> Path:
    """The generated case folder."""
    folder = tmp_path / "every-field"
    (folder / "air").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE_YAML, "utf-8")
    (folder / "agenda.yaml").write_text(AGENDA_YAML, "utf-8")
    (folder / "air" / "arm-geo.yaml").write_text(AIR_YAML, "utf-8")
    (folder / "baskets.toml").write_text(BASKETS_TOML, "utf-8")
    return folder


def _state(ag: Agenda) -> dict[str, Any]:
    """What an import holds, without the times it was typed in (not in the files)."""

    def item(v: Any) -> Any:
        history = tuple(dataclasses.replace(c, recorded_at=None) for c in v.history)
        grades = tuple(dataclasses.replace(g, recorded_at=None) for g in v.grades)
        grade = None if v.grade is None else dataclasses.replace(v.grade, recorded_at=None)
        return dataclasses.replace(
            v, updated_at=None, version=0, history=history, grades=grades, grade=grade
        )

    def untimed(a: Any) -> Any:
        return None if a is None else dataclasses.replace(a, recorded_at=None)

    def indicators(it: Any) -> Any:
        inds = tuple(
            dataclasses.replace(
                i,
                actuals=tuple(untimed(a) for a in i.actuals),
                progress=dataclasses.replace(i.progress, latest=untimed(i.progress.latest)),
            )
            for i in it.indicators
        )
        return dataclasses.replace(it, version=0, indicators=inds)

    return {
        "commissions": ag.commissions(),
        "meetings": ag.meetings(),
        "items": [item(v) for v in ag.items(as_of=DAY, removed=True)],
        "indicators": [indicators(i) for i in ag.indicators().items],
    }


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _docs(folder: Path) -> tuple[Any, list[Any]]:
    """The folder as read by the file reader alone (no database), line numbers left out."""
    case = read_case(folder)
    items = read_agenda(folder, case, baskets=case_baskets(folder))
    return case, [dataclasses.replace(i, line=0) for i in items]


def _round_trip(db_url: str, source: Path, tmp_path: Path) -> tuple[Path, Path]:
    out, again = tmp_path / "out", tmp_path / "again"
    with Agenda.open(db_url) as ag:
        ag.import_case(source)
        before = _state(ag)
        ag.export_case(out)
        ag.import_case(out, replace=True)  # the same backend reads the export back
        assert _state(ag) == before
    with Agenda.open("sqlite://") as fresh:  # and a database that never saw the source
        fresh.import_case(out)
        assert _state(fresh) == before
        fresh.export_case(again)
    assert _files(again) == _files(out)
    assert _docs(out) == _docs(source)
    return out, again


def test_founding_case_round_trips(db_url: str, tmp_path: Path) -> None:
    out, _ = _round_trip(db_url, CASE, tmp_path)
    assert sorted(_files(out)) == ["agenda.yaml", "air/blr-kaz.yaml", "case.yaml"]
    # The files the agenda reads come back as the case ships them, byte for byte.
    for name in ("agenda.yaml", "case.yaml", "air/blr-kaz.yaml"):
        assert (out / name).read_text("utf-8") == (CASE / name).read_text("utf-8"), name
    # Every shipped basket as it is: no baskets.toml needed.
    assert not (out / "baskets.toml").exists()


def test_generated_case_with_every_field_round_trips(
    db_url: str, every_field: Path, tmp_path: Path
) -> None:
    out, _ = _round_trip(db_url, every_field, tmp_path)
    case, items = _docs(out)
    assert case.description == "Made up for the round-trip test; no real commission."
    first = items[0]
    assert (first.value, first.count, first.currency) == (1234567.5, 12, "USD")
    assert first.baskets == ("synthetic_widgets", "sugar")
    assert first.hs == ("170410", "8701")
    assert [c.author for c in first.history] == ["secretariat", "desk", "desk"]
    # Grades, edits and the removal come back (issue 18: grades).
    assert [(g.as_of.isoformat(), g.grade) for g in first.grades] == [
        ("2021-12-31", "too_early"),
        ("2022-12-31", "full"),
    ]
    assert first.grades[1].evidence[0].figure == "12 contracts delivered"
    bare, gone = items[1], items[2]
    assert [(e.field, e.old, e.new) for e in bare.edits] == [
        ("title", "Talk", "Talk about transport"),
        ("count", 3, None),
    ]
    assert bare.edits[0].at == dt.datetime(2022, 6, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)
    assert gone.removed is not None and gone.removed.reason == "a duplicate of every-field"
    assert gone.removed.author == "desk" and gone.edits[0].new == "2023-H1"
    with Agenda.open(db_url) as ag:
        ag.import_case(out, replace=True)
        view = ag.item("gone", as_of=DAY)
        assert view.removed and [e.field for e in view.edits] == ["due", "removed"]
        assert view.edits[-1].recorded_at == dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
        assert "gone" not in [i.id for i in ag.items(as_of=DAY)]
        graded = ag.grades(as_of=DAY)
        assert graded.summary.counts == {
            "full": 1, "partial": 1, "none": 0, "too_early": 0, "not_graded": 0
        }  # fmt: skip
        assert graded.summary.average == 0.5 and graded.summary.percent == 75.0
    entered, measured, by_hs = first.indicators
    assert (entered.baseline, entered.baseline_period) == (-2.5, "2021-Q1")
    assert (entered.target, entered.target_period) == (12, "2022-H2")
    assert entered.note == "Every field of an entered indicator,\non two lines."
    assert [(a.period, a.value, a.source, a.note, a.author) for a in entered.actuals] == [
        ("2021-09", 4, "https://example.org/b", "first lot", "desk"),
        ("2022", 12.75, "delivery note 7", None, None),
    ]
    assert dict(measured.measure or {}) == {"basket": "synthetic_widgets", "direction": "import"}
    assert (measured.unit, measured.actuals) == ("usd", ())
    assert dict(by_hs.measure or {}) == {"hs": "8701", "direction": "export"}
    assert (out / "air" / "arm-geo.yaml").read_text("utf-8") == AIR_YAML
    # Only the basket the shipped list lacks is written; sugar is shipped.
    toml = (out / "baskets.toml").read_text("utf-8")
    assert "[synthetic_widgets]" in toml and "[sugar]" not in toml
    assert 'rationale = "Made up for the round-trip test: \\"widgets\\"."' in toml


def test_export_without_air_files_fails_on_import(every_field: Path, tmp_path: Path) -> None:
    """The failure the export used to cause, named by file, line and field."""
    from bilat.errors import BilatError

    out = tmp_path / "out"
    with Agenda.open("sqlite://") as ag:
        ag.import_case(every_field)
        ag.export_case(out)
    (out / "air" / "arm-geo.yaml").unlink()
    with Agenda.open("sqlite://") as fresh, pytest.raises(BilatError) as err:
        fresh.import_case(out)
    assert "unknown air agreement" in str(err.value)
    assert "items[0].air_clause" in str(err.value)


def test_export_keeps_existing_air_file(every_field: Path) -> None:
    """Exporting into the case's own folder leaves its air agreement as the user keeps it."""
    edited = AIR_YAML + "# a line added after the import\n"
    with Agenda.open("sqlite://") as ag:
        ag.import_case(every_field)
        (every_field / "air" / "arm-geo.yaml").write_text(edited, "utf-8")
        report = ag.export_case(every_field)
    assert [Path(p).name for p in report.paths] == ["agenda.yaml"]
    assert (every_field / "air" / "arm-geo.yaml").read_text("utf-8") == edited


def test_added_item_with_home_basket_exports_its_definition(
    every_field: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A basket known only from $BILAT_HOME/baskets.toml travels with the export."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "baskets.toml").write_text(
        '[home_only]\ntitle = "Home only"\ncodes = ["0101"]\nrationale = "synthetic"\n', "utf-8"
    )
    monkeypatch.setenv("BILAT_HOME", str(home))
    out = tmp_path / "out"
    with Agenda.open("sqlite://") as ag:
        ag.import_case(every_field)
        ag.add_item(
            "added",
            meeting="synthetic-igc-2022",
            kind="decision",
            title="Added later",
            baskets=["home_only"],
            air_clause="arm-geo#GEO-5",  # checked against the stored air agreement
        )
        ag.export_case(out)
    monkeypatch.setenv("BILAT_HOME", str(tmp_path / "elsewhere"))
    with Agenda.open("sqlite://") as fresh:
        fresh.import_case(out)
        assert fresh.item("added").baskets == ("home_only",)
    toml = (out / "baskets.toml").read_text("utf-8")
    assert "[home_only]" in toml and "[synthetic_widgets]" in toml


def test_cli_export_then_import_founding_case(cli: Any, tmp_path: Path) -> None:
    """The reported bug: `agenda export` then `agenda import` of the founding case."""
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    assert cli("agenda", "import", CASE, "--db", a).exit_code == 0
    r = cli("agenda", "export", tmp_path / "out", "--db", a)
    assert r.exit_code == 0, r.stderr
    r = cli("agenda", "import", tmp_path / "out", "--db", b)
    assert r.exit_code == 0, r.stderr
    assert "16 items, 16 status changes" in r.stdout


def test_founding_case_indicators_survive_export_and_import(tmp_path: Path) -> None:
    """The done-criterion: export then import gives the same items, statuses, indicators."""
    out = tmp_path / "out"
    with Agenda.open("sqlite://") as ag:
        ag.import_case(CASE)
        item = ag.item("mtz-tractor-cab-plant")
        ag.record_actual(
            item.id, "cab-production-started", period="2022-12", value=1,
            source="synthetic test source", note="made up for this test", author="tester",
            expected_version=item.version,
        )  # fmt: skip
        before = _state(ag)
        ag.export_case(out)
    with Agenda.open("sqlite://") as fresh:
        fresh.import_case(out)
        after = _state(fresh)
    # Who last wrote the item, and its edits, are not in agenda.yaml (the actual keeps its
    # author).
    for state in (before, after):
        state["items"] = [dataclasses.replace(v, updated_by=None, edits=()) for v in state["items"]]
    assert after == before
    keys = {i.item: [x.key for x in i.indicators] for i in after["indicators"]}
    assert keys == {
        "area-agro-industry": ["confectionery-exports", "vegetable-oil-exports"],
        "mtz-tractor-cab-plant": ["cab-production-started"],
        "sugar-supplies-resume": ["sugar-exports"],
    }
    (cab,) = next(i for i in after["indicators"] if i.item == "mtz-tractor-cab-plant").indicators
    assert [(a.period, a.value, a.source, a.author) for a in cab.actuals] == [
        ("2022-12", 1, "synthetic test source", "tester")
    ]
