"""The WASA/QUASAR clause families (schema bilat-air/2) and the Air Liberalization Index.

The ALI's points are written out here from the weights table cited in docs/air.md (WTO,
S/C/W/270/Add.1, Part A, standard weighting): fifth, seventh freedom and cabotage 6 each;
capacity predetermination 0, other restrictive 2, Bermuda I 4, free determination 8; tariffs
double approval 0, country of origin 3, double disapproval 6, zone pricing 7, free pricing 8;
withholding substantial ownership and effective control 0, community of interest 4,
principal place of business 8; designation single 0, multiple 4; statistics exchanged 0,
not exchanged 1; cooperative arrangements not allowed 0, allowed 3. The fixtures are
synthetic (tests/fixtures/air/agreements, labelled hypothetical).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.air import ALI_WEIGHTS, Agreement, liberalization_index, load_agreement
from bilat.air.model import CapacityRegime, TariffRegime, WithholdingCriterion
from bilat.air.schema import CAPACITY_REGIMES, TARIFF_REGIMES, WITHHOLDING_CRITERIA
from bilat.errors import BilatError, SchemaError

AGREEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "agreements"


def _load(name: str) -> Agreement:
    return load_agreement(AGREEMENTS / f"{name}.yaml")


def test_fully_liberal_agreement_scores_fifty() -> None:
    ali = liberalization_index(_load("liberal"))
    assert ali.value == 6 + 6 + 6 + 8 + 8 + 8 + 4 + 1 + 3 == 50
    assert ali.low == ali.high == 50 and ali.maximum == 50 and ali.missing == ()


def test_fully_restrictive_agreement_scores_zero() -> None:
    ali = liberalization_index(_load("restrictive"))
    assert ali.value == 0 and ali.low == ali.high == 0
    assert {f.level for f in ali.features} >= {"not_granted", "double_approval", "single"}


def test_partial_agreement_is_a_range_over_what_is_not_coded() -> None:
    ali = liberalization_index(_load("partial"))
    # fifth granted (BLR) 6, seventh 0, cabotage 0, Bermuda I 4, double disapproval 6,
    # community of interest 4, multiple designation 4, statistics exchanged 0
    coded = 6 + 0 + 0 + 4 + 6 + 4 + 4 + 0
    assert ali.value is None
    assert ali.missing == ("cooperative_arrangements",)
    assert (ali.low, ali.high) == (coded + 0, coded + 3) == (24, 27)
    assert "24-27 of 50" in ali.describe()
    assert "fifth freedom: granted to BLR only" in ali.notes


def test_founding_case_index_rests_on_rights_and_designation_only(
    case: tuple[Agreement, ...],
) -> None:
    ali = liberalization_index(case[0])
    # fifth freedom granted to BLR (6); no 7th, no cabotage; BLR single designation (0)
    assert (ali.low, ali.high) == (6, 6 + 8 + 8 + 8 + 1 + 3)
    assert set(ali.missing) == {
        "capacity", "tariffs", "withholding", "statistics", "cooperative_arrangements"
    }  # fmt: skip
    fifth = next(f for f in ali.features if f.feature == "fifth_freedom")
    assert fifth.source == "BLR-5-KAZ-beyond: public-report: 2022-06-09"


def test_weights_can_be_replaced() -> None:
    flat = {
        f: {lvl: 1 if p else 0 for lvl, p in levels.items()} for f, levels in ALI_WEIGHTS.items()
    }
    ali = liberalization_index(_load("partial"), weights=flat, source="flat, for the test")
    assert (ali.low, ali.high, ali.maximum) == (5, 6, 9)
    assert ali.weights == "flat, for the test" and ali.notes == (
        "fifth freedom: granted to BLR only",
    )


def test_levels_are_the_same_in_schema_model_and_weights() -> None:
    from typing import get_args

    assert get_args(TariffRegime) == TARIFF_REGIMES == tuple(ALI_WEIGHTS["tariffs"])
    assert get_args(CapacityRegime) == CAPACITY_REGIMES == tuple(ALI_WEIGHTS["capacity"])
    assert (
        get_args(WithholdingCriterion) == WITHHOLDING_CRITERIA == tuple(ALI_WEIGHTS["withholding"])
    )


def test_clauses_keep_their_provenance_and_summary_says_not_coded() -> None:
    ag = _load("liberal")
    coop = ag.clause("cooperative_arrangements")
    assert coop is not None and coop.kinds == ("code_share", "blocked_space")
    assert coop.describe() == "allowed (code share, blocked space)"
    assert coop.provenance.cite() == "hypothetical: Art. 13"
    rows = {r["clause"]: r["value"] for r in _load("partial").summary().clause_rows()}
    assert rows["cooperative arrangements"] == "not coded" and rows["charter"] == "not coded"
    assert rows["statistics"] == "exchange"


def _bad(tmp_path: Path, old: str, new: str, name: str = "partial") -> Path:
    text = (AGREEMENTS / f"{name}.yaml").read_text()
    assert old in text
    p = tmp_path / "bad.yaml"
    p.write_text(text.replace(old, new))
    return p


def _line(p: Path, needle: str) -> int:
    return next(i for i, t in enumerate(p.read_text().splitlines(), 1) if needle in t)


@pytest.mark.parametrize(
    ("old", "new", "needle", "column"),
    [
        ("regime: double_disapproval", "regime: open_skies", "open_skies", "tariffs/regime"),
        ("regime: bermuda_i", "regime: bermuda_ii", "bermuda_ii", "capacity/regime"),
        ("criterion: community_of_interest", "criterion: eu", "criterion: eu", "withholding/criterion"),
        ("exchange: true", 'exchange: "yes"', '"yes"', "statistics/exchange"),
    ],
)  # fmt: skip
def test_bad_clause_value_names_file_line_and_key(
    tmp_path: Path, old: str, new: str, needle: str, column: str
) -> None:
    p = _bad(tmp_path, old, new)
    with pytest.raises(SchemaError) as exc:
        load_agreement(p)
    assert exc.value.details["line"] == _line(p, needle)
    assert exc.value.details["column"] == column
    assert "bad.yaml" in exc.value.message


def test_clause_without_provenance_is_refused(tmp_path: Path) -> None:
    p = _bad(
        tmp_path,
        'capacity: {regime: bermuda_i, provenance: {kind: hypothetical, article: "Art. 11"}}',
        "capacity: {regime: bermuda_i}",
    )
    with pytest.raises(SchemaError, match="provenance") as exc:
        load_agreement(p)
    assert exc.value.details["line"] == _line(p, "capacity:")


def test_unknown_cooperation_kind_is_refused(tmp_path: Path) -> None:
    p = _bad(
        tmp_path, "kinds: [code_share, blocked_space]", "kinds: [code_share, alliance]", "liberal"
    )
    with pytest.raises(SchemaError) as exc:
        load_agreement(p)
    assert exc.value.details["column"] == "cooperative_arrangements/kinds/1"
    assert exc.value.details["line"] == _line(p, "alliance")


def test_version_one_file_may_not_code_version_two_clauses(tmp_path: Path) -> None:
    p = _bad(tmp_path, "schema: bilat-air/2", "schema: bilat-air/1")
    with pytest.raises(SchemaError, match="'tariffs' is a bilat-air/2 clause") as exc:
        load_agreement(p)
    assert exc.value.details["line"] == _line(p, "tariffs:")
    assert "schema: bilat-air/2" in exc.value.message


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    p = _bad(tmp_path, "schema: bilat-air/2", "schema: bilat-air/3")
    with pytest.raises(SchemaError) as exc:
        load_agreement(p)
    assert exc.value.details["line"] == _line(p, "bilat-air/3")


def test_version_one_files_still_read(case: tuple[Agreement, ...]) -> None:
    (ag,) = case
    assert ag.clauses == {}  # nothing coded: every family "not coded"
    assert [c.value for c in ag.summary().clauses] == [None] * 6


def test_agreements_command_shows_clauses_and_index(cli: Any, case_dir: Path) -> None:
    r = cli("air", "agreements", str(AGREEMENTS / "partial.yaml"))
    assert r.exit_code == 0, r.stderr
    assert "community of interest" in r.stdout and "not coded" in r.stdout
    assert "ARM-BLR-partial Air Liberalization Index: 24-27 of 50" in r.stdout
    r = cli("air", "agreements", str(case_dir), "--json")
    (doc,) = json.loads(r.stdout)["agreements"]
    assert (doc["liberalization"]["low"], doc["liberalization"]["high"]) == (6, 34)
    assert doc["liberalization"]["value"] is None
    assert [c["value"] for c in doc["clauses"]] == [None] * 6


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    family=st.sampled_from(["tariffs", "capacity", "withholding", "statistics", "charter"]),
    value=st.one_of(
        st.text(max_size=12),
        st.integers(),
        st.booleans(),
        st.none(),
        st.sampled_from(TARIFF_REGIMES),
    ),
)
def test_any_clause_value_loads_or_is_a_bilat_error(
    tmp_path: Path, family: str, value: object
) -> None:
    import yaml

    data = yaml.safe_load((AGREEMENTS / "partial.yaml").read_text())
    key = {"tariffs": "regime", "capacity": "regime", "withholding": "criterion"}.get(
        family, "exchange" if family == "statistics" else "allowed"
    )
    data[family] = {key: value, "provenance": {"kind": "hypothetical"}}
    p = tmp_path / "prop.yaml"
    p.write_text(yaml.safe_dump(data))
    try:
        ag = load_agreement(p)
    except BilatError as exc:
        assert exc.details.get("line") is not None
    else:
        clause = ag.clause(family)
        assert clause is not None and clause.provenance.kind == "hypothetical"
        assert liberalization_index(ag).low <= liberalization_index(ag).high
