"""Indicators (issue 18 part 2): agenda.yaml checks, progress, measured actuals, writes.

Measured values are checked against sums computed here from the flows written to the lake
(synthetic rows made up for the test); the verdicts against the formula done by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest

from bilat.agenda import Agenda
from bilat.agenda.indicators import ActualView, format_amount, judge
from bilat.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    ParseError,
    SchemaError,
    ValidationError,
)
from bilat.sources.schema import FLOW_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "src" / "bilat" / "cases" / "blr-kaz-2022"
MINI = ROOT / "tests" / "fixtures" / "agenda" / "mini"

INDICATORS = """\
    indicators:
      - key: sugar-t
        name: Sugar shipped
        unit: tonnes
        actuals:
          - {period: '2022', value: 10, source: customs}
"""

# (id, old, new, error class, line, field, words): the old text is in INDICATORS.
BAD = [
    ("missing-source", ", source: customs}", "}", SchemaError, 39,
     "items[1].indicators[0].actuals[0].source", "missing required key"),
    ("bad-period", "period: '2022'", "period: '2022-13'", ValidationError, 39,
     "items[1].indicators[0].actuals[0].period", "bad period"),
    ("bad-value", "value: 10", "value: lots", ValidationError, 39,
     "items[1].indicators[0].actuals[0].value", "not a number"),
    ("measured-with-actuals", "unit: tonnes", "measure: {basket: sugar, direction: export}",
     ValidationError, 39, "items[1].indicators[0].actuals", "read from the lake"),
    ("unknown-basket", "unit: tonnes\n        actuals:\n          - {period: '2022', value: 10, "
     "source: customs}\n", "measure: {basket: sugr, direction: export}\n", ValidationError, 37,
     "items[1].indicators[0].measure.basket", "unknown basket"),
    ("no-direction", "unit: tonnes\n        actuals:\n          - {period: '2022', value: 10, "
     "source: customs}\n", "measure: {basket: sugar}\n", ValidationError, 37,
     "items[1].indicators[0].measure.direction", "direction"),
    ("bad-direction", "unit: tonnes\n        actuals:\n          - {period: '2022', value: 10, "
     "source: customs}\n", "measure: {basket: sugar, direction: sideways}\n", ValidationError,
     37, "items[1].indicators[0].measure.direction",
     "unknown direction of the dyad's trade (found 'sideways'"),
    ("no-unit", "        unit: tonnes\n", "", ValidationError, 35,
     "items[1].indicators[0].unit", "needs a unit"),
    ("unknown-key", "unit: tonnes", "unit: tonnes\n        colour: red", SchemaError, 38,
     "items[1].indicators[0].colour", "unknown key"),
    ("duplicate-key", "source: customs}\n", "source: customs}\n      - {key: sugar-t, name: B, "
     "unit: t}\n", ValidationError, 40, "items[1].indicators[1].key", "duplicate indicator key"),
]  # fmt: skip


def _mini(tmp_path: Path, old: str = "", new: str = "") -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    path = dest / "agenda.yaml"
    text = INDICATORS
    assert old in text, old
    path.write_text(path.read_text("utf-8") + text.replace(old, new, 1), "utf-8")
    return dest


def test_mini_with_indicators_imports(agenda: Agenda, tmp_path: Path) -> None:
    agenda.import_case(_mini(tmp_path))
    (item,) = agenda.indicators().items
    (ind,) = item.indicators
    assert (item.item, ind.key, ind.unit, ind.measure) == ("sugar", "sugar-t", "tonnes", None)
    assert [(a.period, a.value, a.source) for a in ind.actuals] == [("2022", 10, "customs")]
    assert ind.progress.status == "no_target"


@pytest.mark.parametrize(
    ("old", "new", "cls", "line", "field", "words"), [pytest.param(*c[1:], id=c[0]) for c in BAD]
)
def test_bad_indicator_is_refused_whole(
    agenda: Agenda, tmp_path: Path, old: str, new: str, cls: type[ParseError], line: int,
    field: str, words: str,
) -> None:  # fmt: skip
    case = _mini(tmp_path, old, new)
    with pytest.raises(cls) as info:
        agenda.import_case(case)
    err = info.value
    assert type(err) is cls
    assert (err.path, err.line, err.column) == (str(case / "agenda.yaml"), line, field)
    assert words in err.message
    assert agenda.commissions() == []


# ----------------------------------------------------------------------------- verdicts


def _a(period: str, value: float | None) -> ActualView:
    return ActualView(period, value, "test")


@pytest.mark.parametrize(
    ("baseline", "target", "actuals", "status", "share"),
    [
        # 2021 → 2025 (4 years); by the end of 2023 half the time has passed.
        (100.0, 300.0, [_a("2022", 150), _a("2023", 220)], "on_track", 120 / 200),
        (100.0, 300.0, [_a("2023", 180), _a("2022", 250)], "behind", 80 / 200),
        (100.0, 300.0, [_a("2024", 300)], "target_met", 1.0),
        (100.0, None, [_a("2024", 300)], "no_target", None),
        (None, 300.0, [_a("2024", 300)], "not_measurable", None),
        (100.0, 300.0, [], "no_actual", None),
        # a falling target: 50 → 10, at 30 by 2023 is half the way, half the time
        (50.0, 10.0, [_a("2023", 30)], "on_track", 0.5),
        (50.0, 10.0, [_a("2023", 40)], "behind", 0.25),
    ],
)
def test_verdict(
    baseline: float | None, target: float | None, actuals: list[ActualView], status: str,
    share: float | None,
) -> None:  # fmt: skip
    got = judge(unit="t", baseline=baseline, baseline_period="2021", target=target,
                target_period="2025", actuals=actuals, measured=False)  # fmt: skip
    assert got.status == status
    assert got.share == (None if share is None else pytest.approx(share))
    if actuals:  # the latest is the one of the last period, whatever the order written
        assert got.latest is not None and got.latest.period == max(a.period for a in actuals)


def test_measured_without_a_covered_year_is_not_measurable() -> None:
    gap = ActualView("2022", None, None, measured=True, gap="2022: no source covers it")
    got = judge(unit="usd", baseline=1.0, baseline_period="2021", target=2.0,
                target_period="2023", actuals=[gap], measured=True)  # fmt: skip
    assert (got.status, got.latest) == ("not_measurable", None)
    assert "no source covers it" in got.text


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (22_700_000.0, "usd", "$22.7M"),
        (414.0, "usd", "$414"),
        (1_234.0, "tonnes", "1,234 tonnes"),
        (0.031492, "index", "0.03149 index"),  # small values keep four digits, never 0
        (0.0, "tonnes", "0 tonnes"),
        (None, "tonnes", "—"),
    ],
)
def test_indicator_values_go_through_the_formatter(
    value: float | None, unit: str, shown: str
) -> None:
    assert format_amount(value, unit) == shown


def test_the_verdicts_text_writes_money_and_shares_one_way() -> None:
    got = judge(unit="usd", baseline=10e6, baseline_period="2021", target=30e6,
                target_period="2025", actuals=[_a("2023", 22e6)], measured=False)  # fmt: skip
    # (22 - 10) / (30 - 10) = 60 % of the way; 2021 → 2023 is half of 2021 → 2025
    assert got.text == (
        "latest $22M (2023); 60% of the way from $10M to $30M by 2025, "
        "50% of the time passed: on track"
    )


# ---------------------------------------------------------------------- measured actuals


#: HS 170199 (sugar) rows: reconciled through 2021, then only BLR's exports (national).
def _value(year: int, exporter: str) -> float:
    return (year - 2010) * 1000.0 + ord(exporter[0]) + 0.25


class _Flows:
    """A flows-only source (synthetic rows made up for this test)."""

    def flows(self) -> ibis.Table:
        rows = []
        for year in range(2019, 2024):
            for exp, imp in (("BLR", "KAZ"), ("KAZ", "BLR")):
                if year <= 2021:
                    rows.append((year, exp, imp, "170199", "HS17", _value(year, exp), None, None,
                                 "baci", "reconciled"))  # fmt: skip
                elif exp == "BLR":
                    rows.append((year, exp, imp, "170199", "HS17", _value(year, exp), None, None,
                                 "national", "national"))  # fmt: skip
        cols = list(zip(*rows, strict=True))
        table = pa.table({f.name: pa.array(c, f.type) for f, c in zip(FLOW_SCHEMA, cols,
                                                                         strict=True)})  # fmt: skip
        return ibis.memtable(table.to_pandas())


def test_measured_sugar_indicator_reads_the_lake() -> None:
    with Agenda.from_case(CASE) as ag:
        item = ag.item("sugar-supplies-resume")
        ag.add_indicator(
            item.id, "sugar-imports", expected_version=item.version, name="Sugar KAZ to BLR",
            measure={"basket": "sugar", "direction": "import"}, baseline_period="2021",
        )  # fmt: skip
        report = ag.indicators("sugar-supplies-resume", _Flows())
    exports, imports = report.items[0].indicators
    assert report.lake and not report.synthetic
    # The 2021 baseline is the measured value, with its coverage and basis.
    assert exports.baseline == pytest.approx(_value(2021, "BLR"))
    assert exports.baseline_basis.startswith("measured 2021, coverage full")
    assert [(a.period, a.value) for a in exports.actuals] == [
        ("2022", pytest.approx(_value(2022, "BLR"))),
        ("2023", pytest.approx(_value(2023, "BLR"))),
    ]
    assert all(a.measured and a.coverage == "full" for a in exports.actuals)
    assert exports.progress.status == "no_target"
    # KAZ→BLR after 2021: no source covers it: gaps with the reason, never 0.
    assert imports.baseline == pytest.approx(_value(2021, "KAZ"))
    assert [(a.period, a.value) for a in imports.actuals] == [("2022", None), ("2023", None)]
    assert all(a.gap and a.coverage and a.coverage.startswith("none") for a in imports.actuals)
    assert imports.progress.status == "not_measurable"


def test_without_a_lake_measured_indicators_are_not_measurable() -> None:
    with Agenda.from_case(CASE) as ag:
        report = ag.indicators()
    got = {(i.item, x.key): x.progress for i in report.items for x in i.indicators}
    assert len(got) == 4 and not report.lake
    assert got[("sugar-supplies-resume", "sugar-exports")].status == "not_measurable"
    assert "no lake" in got[("sugar-supplies-resume", "sugar-exports")].text
    assert got[("mtz-tractor-cab-plant", "cab-production-started")].text == "no actual recorded"
    # The measured baselines are not written: without a lake they are not measurable, never
    # "as written" (which IATI and the briefing would show as a stated baseline).
    views = {x.key: x for i in report.items for x in i.indicators}
    assert views["sugar-exports"].baseline is None
    assert views["sugar-exports"].baseline_basis == "not measurable: no lake given to read it from"
    assert views["cab-production-started"].baseline_basis.startswith("as written (Press report")


# -------------------------------------------------------------------------------- writes


def test_record_actual_with_locking(db_url: str) -> None:
    with Agenda.open(db_url) as ag:
        ag.import_case(CASE)
        v = ag.item("mtz-tractor-cab-plant").version
        after = ag.record_actual("mtz-tractor-cab-plant", "cab-production-started",
                                 period="2022-11", value="1", source="synthetic letter",
                                 author="alice", expected_version=v)  # fmt: skip
        assert after.version == v + 1 and after.updated_by == "alice"
        assert [(e.field, e.new["period"]) for e in after.edits] == [
            ("indicator_actual", "2022-11")
        ]
        with pytest.raises(ConflictError, match="alice recorded an actual of an indicator"):
            ag.record_actual("mtz-tractor-cab-plant", "cab-production-started",
                             period="2022-12", value=1, source="x", expected_version=v)  # fmt: skip
        # A version no one could have read (higher than the item's) is not "changed since".
        with pytest.raises(ConflictError, match=f"is at version {v + 1}, not {v + 5}") as info:
            ag.record_actual("mtz-tractor-cab-plant", "cab-production-started",
                             period="2022-12", value=1, source="x", expected_version=v + 5)  # fmt: skip
        assert "since you read it" not in info.value.message
        (ind,) = ag.indicators("mtz-tractor-cab-plant").items[0].indicators
        assert [(a.period, a.value, a.author) for a in ind.actuals] == [("2022-11", 1, "alice")]
        # 0 → 1 by 2022: met.
        assert (ind.progress.status, ind.progress.share) == ("target_met", 1.0)


@pytest.mark.parametrize(
    ("indicator", "fields", "cls", "words"),
    [
        ("cab-production-started", {"source": " "}, InputError, "source"),
        ("cab-production-started", {"period": "2022-Q5"}, InputError, "bad period"),
        ("cab-production-started", {"value": "yes"}, InputError, "not a number"),
        ("nope", {}, NotFoundError, "cab-production-started"),
    ],
)
def test_record_actual_refuses_bad_input(
    indicator: str, fields: dict[str, str], cls: type[Exception], words: str
) -> None:
    values = {"period": "2022-12", "value": "1", "source": "letter"} | fields
    with Agenda.from_case(CASE) as ag:
        v = ag.item("mtz-tractor-cab-plant").version
        with pytest.raises(cls, match=words):
            ag.record_actual("mtz-tractor-cab-plant", indicator, **values)
        assert ag.item("mtz-tractor-cab-plant").version == v  # nothing written


def test_measured_indicator_takes_no_entered_actual() -> None:
    with Agenda.from_case(CASE) as ag, pytest.raises(InputError, match="measured from the lake"):
        ag.record_actual("sugar-supplies-resume", "sugar-exports", period="2022", value=1,
                         source="x")  # fmt: skip


def test_add_edit_remove_indicator_keep_history() -> None:
    with Agenda.from_case(CASE) as ag:
        v = ag.item("contracts-2022-06").version
        ag.add_indicator("contracts-2022-06", "signed", expected_version=v, name="Contracts",
                         unit="contracts", target=5, target_period="2023", author="bob")  # fmt: skip
        with pytest.raises(InputError, match="already has this indicator"):
            ag.add_indicator("contracts-2022-06", "signed", expected_version=v + 1, name="x",
                             unit="u")  # fmt: skip
        ag.edit_indicator("contracts-2022-06", "signed", expected_version=v + 1, target=6,
                          reason="revised")  # fmt: skip
        (ind,) = ag.indicators("contracts-2022-06").items[0].indicators
        assert (ind.target, ind.unit, ind.target_period) == (6, "contracts", "2023")
        view = ag.remove_indicator("contracts-2022-06", "signed", expected_version=v + 2,
                                   reason="duplicate")  # fmt: skip
        assert ag.indicators("contracts-2022-06").items[0].indicators == ()
        edits = [(e.field, e.old is None, e.new is None, e.reason) for e in view.edits]
        assert edits == [("indicator", True, False, None), ("indicator", False, False, "revised"),
                         ("indicator", False, True, "duplicate")]  # fmt: skip
        assert view.version == v + 3


# ----------------------------------------------------------------------------------- CLI


def test_cli_indicators_and_actual(cli: Any, tmp_path: Path) -> None:
    import json

    db = f"sqlite:///{tmp_path / 'a.db'}"
    empty = tmp_path / "home"  # no lake here: measured indicators are not measurable
    assert cli("agenda", "import", CASE, "--db", db).exit_code == 0
    r = cli("agenda", "indicators", "--db", db, "--json", "--home", empty)
    assert r.exit_code == 2 and "no lake" in r.stderr  # a lake named and absent is an error
    r = cli("agenda", "indicators", "mtz-tractor-cab-plant", "--db", db, "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    (ind,) = doc["items"][0]["indicators"]
    assert (ind["key"], ind["progress"]["status"]) == ("cab-production-started", "no_actual")
    r = cli("agenda", "actual", "mtz-tractor-cab-plant", "cab-production-started", "--period",
            "2022-13", "--value", "1", "--source", "x", "--db", db)  # fmt: skip
    assert r.exit_code == 2 and "bad period" in r.stderr and "2022-13" in r.stderr
    version = doc["items"][0]["version"]
    r = cli("agenda", "actual", "mtz-tractor-cab-plant", "cab-production-started", "--period",
            "2022-12", "--value", "1", "--source", "synthetic letter", "--by", "alice",
            "--expect-version", str(version), "--db", db)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "target met" in r.stdout and f"version {version + 1}" in r.stdout
    r = cli("agenda", "indicator", "add", "contracts-2022-06", "signed", "--expect-version",
            "1", "--name", "Contracts signed", "--db", db)  # fmt: skip
    assert r.exit_code == 2 and "needs a unit" in r.stderr
