from __future__ import annotations

from pathlib import Path

import pytest

from bilat.air import Agreement, load_agreement, load_agreements
from bilat.air.schema import AGREEMENT_SCHEMA
from bilat.errors import NotFoundError, SchemaError, ValidationError


def test_founding_case_parties_carriers_and_caps(case: tuple[Agreement, ...]) -> None:
    (ag,) = case
    assert ag.parties == ("BLR", "KAZ")
    assert {(c.iata, c.state) for c in ag.carriers} == {("B2", "BLR"), ("KC", "KAZ"), ("DV", "KAZ")}
    caps = {c.city_pair: (c.weekly, c.previous) for c in ag.caps}
    assert caps == {("MSQ", "NQZ"): (7, 4), ("MSQ", "ALA"): (4, 2), ("MSQ", "KSN"): (2, None)}


def test_every_clause_says_where_it_comes_from(case: tuple[Agreement, ...]) -> None:
    (ag,) = case
    kinds = {r.provenance.kind for r in ag.rights} | {c.provenance.kind for c in ag.caps}
    assert kinds == {"public-report"}  # no treaty text is public: nothing claims to be treaty
    assert ag.route_schedules["BLR"].provenance.kind == "assumption"


def test_summary_lists_rights_per_party(case: tuple[Agreement, ...]) -> None:
    s = case[0].summary()
    kaz_schedule = s.by_party["KAZ"].route_schedule
    assert kaz_schedule is not None and kaz_schedule.destination == "every airport of BLR"
    assert [r.freedoms for r in s.by_party["BLR"].rights] == [(3, 4), (5,)]
    assert s.by_party["BLR"].co_terminalisation == ("every airport of KAZ",)


def _write(tmp_path: Path, text: str) -> Path:
    src = Path(__file__).resolve().parents[2] / "src/bilat/cases/blr-kaz-2022/air/blr-kaz.yaml"
    p = tmp_path / "x.yaml"
    p.write_text(src.read_text().replace(*text.split("|")))
    return p


def test_schema_error_names_file_line_and_key(tmp_path: Path) -> None:
    p = _write(tmp_path, "freedoms: [5]|freedoms: [10]")
    with pytest.raises(SchemaError) as exc:
        load_agreement(p)
    line = next(i for i, t in enumerate(p.read_text().splitlines(), 1) if "[10]" in t)
    assert exc.value.line == line
    assert exc.value.column == "rights/2/freedoms/0"
    assert "x.yaml" in exc.value.message


def test_unknown_airport_is_a_validation_error(tmp_path: Path) -> None:
    p = _write(tmp_path, "[NQZ, ALA, KSN]|[NQZ, ALA, QQQ]")
    with pytest.raises(ValidationError, match="unknown airport") as exc:
        load_agreement(p)
    assert exc.value.value == "QQQ"


def test_party_must_be_a_party(tmp_path: Path) -> None:
    p = _write(tmp_path, "party: BLR\n    freedoms: [5]|party: RUS\n    freedoms: [5]")
    with pytest.raises(ValidationError, match="not a party"):
        load_agreement(p)


def test_single_designation_with_two_carriers_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "mode: multiple|mode: single")
    with pytest.raises(ValidationError, match="single designation"):
        load_agreement(p)


def test_two_files_for_one_pair_are_refused(tmp_path: Path, case_dir: Path) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text()
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    with pytest.raises(ValidationError, match="same pair"):
        load_agreements(tmp_path)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_agreements(tmp_path / "nope")
    with pytest.raises(NotFoundError, match="holds no agreement file"):
        load_agreements(tmp_path)


def test_schema_is_strict_about_unknown_keys() -> None:
    assert AGREEMENT_SCHEMA["additionalProperties"] is False
