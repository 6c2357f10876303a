"""``bilat air diff``: what changed between two versions of one agreement.

Small synthetic agreements (tests/fixtures/air/agreements, labelled hypothetical) and the
founding case before and after the commission of 9 June 2022.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bilat.air import Agreement, diff_agreements, load_agreement, load_agreements
from bilat.errors import InputError

AGREEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "agreements"


def _load(name: str) -> Agreement:
    return load_agreement(AGREEMENTS / f"{name}.yaml")


def _edit(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Agreement:
    text = (AGREEMENTS / f"{name}.yaml").read_text()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    p = tmp_path / f"{name}-edited.yaml"
    p.write_text(text)
    return load_agreement(p)


def _kinds(d: Any) -> set[tuple[str, str, str]]:
    return {(c.family, c.key, c.change) for c in d.changes}


def test_same_agreement_has_no_changes() -> None:
    d = diff_agreements(_load("partial"), _load("partial"))
    assert d.changes == () and d.ali_before == d.ali_after


def test_restrictive_to_liberal_names_every_change() -> None:
    d = diff_agreements(_load("restrictive"), _load("liberal"))
    assert _kinds(d) == {
        ("agreement", "title", "changed"),  # the title defaults to the id, which differs
        ("designation", "ARM", "changed"),
        ("designation", "BLR", "changed"),
        ("route_schedules", "ARM", "changed"),
        ("route_schedules", "BLR", "changed"),
        ("rights", "ARM-3-4", "removed"),
        ("rights", "BLR-3-4", "removed"),
        ("rights", "ARM-3-4-5", "added"),
        ("rights", "BLR-3-4-5", "added"),
        ("rights", "BLR-7", "added"),
        ("rights", "BLR-8", "added"),
        ("caps", "EVN-MSQ", "removed"),
        ("tariffs", "tariffs", "changed"),
        ("capacity", "capacity", "changed"),
        ("withholding", "withholding", "changed"),
        ("statistics", "statistics", "changed"),
        ("cooperative_arrangements", "cooperative_arrangements", "changed"),
        ("charter", "charter", "changed"),
    }
    tariffs = next(c for c in d.changes if c.family == "tariffs")
    assert (tariffs.before, tariffs.after) == ("double approval", "free pricing")
    assert tariffs.before_source == tariffs.after_source == "hypothetical: Art. 12"
    cap = next(c for c in d.changes if c.family == "caps")
    assert (cap.before, cap.after, cap.after_source) == ("EVN-MSQ 2/week (each party)", None, None)
    assert (d.ali_before.value, d.ali_after.value) == (0, 50)


def test_a_family_coded_on_one_side_only_is_added_not_liberalised(tmp_path: Path) -> None:
    coded = _edit(
        tmp_path,
        "partial",
        ("statistics: {", "cooperative_arrangements: {allowed: false, provenance: {kind: hypothetical}}\nstatistics: {"),
    )  # fmt: skip
    d = diff_agreements(_load("partial"), coded)
    (c,) = d.changes
    assert (c.family, c.change, c.before, c.after) == (
        "cooperative_arrangements", "added", None, "not allowed"
    )  # fmt: skip
    assert (d.ali_before.low, d.ali_before.high) == (24, 27)
    assert (d.ali_after.value, d.ali_after.missing) == (24, ())


def test_same_terms_from_a_new_source_are_re_sourced(tmp_path: Path) -> None:
    moved = _edit(tmp_path, "partial", ('article: "Art. 12"', 'article: "Art. 10"'))
    (c,) = diff_agreements(_load("partial"), moved).changes
    assert (c.family, c.change, c.before, c.after) == (
        "tariffs", "re-sourced", "double disapproval", "double disapproval"
    )  # fmt: skip
    assert (c.before_source, c.after_source) == ("hypothetical: Art. 12", "hypothetical: Art. 10")


def test_a_cap_raised_is_changed(tmp_path: Path) -> None:
    raised = _edit(tmp_path, "restrictive", ("weekly: 2", "weekly: 5"))
    (c,) = diff_agreements(_load("restrictive"), raised).changes
    assert (c.family, c.key, c.before, c.after) == (
        "caps", "EVN-MSQ", "EVN-MSQ 2/week (each party)", "EVN-MSQ 5/week (each party)"
    )  # fmt: skip


def test_agreements_of_different_pairs_are_refused(case: tuple[Agreement, ...]) -> None:
    with pytest.raises(InputError, match="between different states"):
        diff_agreements(_load("partial"), case[0])


# ------------------------------------------------------------------ the founding case


def test_june_2022_change(case_dir: Path) -> None:
    before = load_agreement(case_dir.parent / "air-before" / "blr-kaz.yaml")
    d = diff_agreements(before, load_agreement(case_dir / "blr-kaz.yaml"))
    # What the commission's report says changed: every Belarusian airport for Kazakh
    # carriers; fifth freedoms in Kazakhstan and combined flights for the Belarusian one.
    assert _kinds(d) == {
        ("agreement", "source", "changed"),
        ("route_schedules", "KAZ", "changed"),
        ("route_schedules", "BLR", "changed"),
        ("rights", "BLR-5-KAZ-beyond", "added"),
        ("rights", "KAZ-3-4", "re-sourced"),
        ("co_terminalisation", "BLR-co-terminal-KAZ", "added"),
    }
    by = {(c.family, c.key): c for c in d.changes}
    kaz = by["route_schedules", "KAZ"]
    assert kaz.before is not None and "MSQ" in kaz.before
    assert kaz.after is not None and "every airport of BLR" in kaz.after
    assert kaz.before_source is not None and kaz.before_source.startswith("assumption")
    assert by["route_schedules", "BLR"].after == (
        "home: every airport of BLR; intermediate: none; destination: ALA, KSN, NQZ; "
        "beyond: any point"
    )
    assert by["rights", "BLR-5-KAZ-beyond"].after_source == "public-report: 2022-06-09"
    # the caps of mid-2021 are the same on both sides: not a change
    assert not any(c.family == "caps" for c in d.changes)
    # fifth freedom: 0 -> 6 points; five features not coded (0..28 of their points)
    assert (d.ali_before.low, d.ali_before.high) == (0, 8 + 8 + 8 + 1 + 3)
    assert (d.ali_after.low, d.ali_after.high) == (6, 6 + 28)


def test_before_file_is_honest_about_its_sources(case_dir: Path) -> None:
    before = load_agreement(case_dir.parent / "air-before" / "blr-kaz.yaml")
    assert before.provenance.kind == "assumption"
    kinds = {r.provenance.kind for r in before.rights} | {
        rs.provenance.kind for rs in before.route_schedules.values()
    }
    assert "treaty" not in kinds


def test_before_folder_does_not_join_the_case(case_dir: Path) -> None:
    from bilat.agenda.caseio import air_clauses

    assert [a.id for a in load_agreements(case_dir)] == ["BLR-KAZ"]
    (rights,) = (a.rights for a in load_agreements(case_dir))
    assert "BLR-5-KAZ-beyond" in {r.id for r in rights}  # the case is the after version
    assert set(air_clauses(case_dir.parent)) == {"blr-kaz"}


# ------------------------------------------------------------------ the command


def test_diff_command_text(cli: Any, case_dir: Path) -> None:
    before = case_dir.parent / "air-before" / "blr-kaz.yaml"
    r = cli("air", "diff", str(before), str(case_dir / "blr-kaz.yaml"))
    assert r.exit_code == 0, r.stderr
    assert "BLR-5-KAZ-beyond" in r.stdout and "6 changes" in r.stdout
    assert "fifth freedom: not granted (0 pts) -> granted (6 pts)" in r.stdout
    assert "0-28 of 50" in r.stdout and "6-34 of 50" in r.stdout


def test_diff_command_json(cli: Any) -> None:
    r = cli(
        "air",
        "diff",
        str(AGREEMENTS / "restrictive.yaml"),
        str(AGREEMENTS / "liberal.yaml"),
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["ali_before"]["value"], out["ali_after"]["value"]) == (0, 50)
    assert len(out["changes"]) == 18 and out["parties"] == ["ARM", "BLR"]


def test_diff_command_different_pairs_exits_two(cli: Any, case_dir: Path) -> None:
    r = cli("air", "diff", str(AGREEMENTS / "partial.yaml"), str(case_dir / "blr-kaz.yaml"))
    assert r.exit_code == 2
    assert "between different states" in r.stderr
