"""Agreement files that are wrong, or not agreements at all: what the user is told (issue 17).

Review notes 17, items 7 (duplicate ids), 8 (exit code of a missing folder), 11 (an SSIM
file where an agreement goes), 13 (the line and the words of a schema error). Every
expected line below is found in the file's own text, not in our output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.air import AgreementsNotFoundError, load_agreement, load_agreements
from bilat.errors import BilatError, InputError, NotFoundError, SchemaError, ValidationError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
SSIM = FIXTURES / "blr-kaz-2022-07.ssim"


def _line(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line containing ``needle``."""
    hits = [i for i, t in enumerate(text.splitlines(), 1) if needle in t]
    return hits[nth - 1]


def _write(tmp_path: Path, text: str, name: str = "a.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# ------------------------------------------------------------------ item 7: duplicate ids


def test_two_caps_with_one_id_are_refused_naming_both_lines(tmp_path: Path, case_dir: Path) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text().replace("id: MSQ-ALA", "id: MSQ-NQZ")
    p = _write(tmp_path, text)
    with pytest.raises(ValidationError) as exc:
        load_agreement(p)
    first, second = _line(text, "id: MSQ-NQZ", 1), _line(text, "id: MSQ-NQZ", 2)
    assert exc.value.line == second
    assert exc.value.column == "caps/1/id"
    assert str(p) in exc.value.message
    assert "duplicate id" in exc.value.message
    assert f"caps/0 (line {first})" in exc.value.message


def test_an_id_shared_by_a_right_and_a_cap_is_refused(tmp_path: Path, case_dir: Path) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text().replace("id: MSQ-KSN", "id: KAZ-3-4")
    with pytest.raises(ValidationError, match="duplicate id") as exc:
        load_agreement(_write(tmp_path, text))
    assert exc.value.line == _line(text, "id: KAZ-3-4", 2)
    assert exc.value.column == "caps/2/id"
    assert "rights/0" in exc.value.message


def test_duplicate_id_exits_2_on_the_command_line(cli: Any, tmp_path: Path, case_dir: Path) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text().replace("id: MSQ-ALA", "id: MSQ-NQZ")
    _write(tmp_path, text)
    for args in (("agreements",), ("schedule",)):
        extra = (str(SSIM),) if args == ("schedule",) else ()
        r = cli("air", *args, str(tmp_path), *extra)
        assert r.exit_code == 2, r.stdout
        assert "duplicate id" in r.stderr and f"line {_line(text, 'id: MSQ-NQZ', 2)}" in r.stderr


# ------------------------------------------------------------------ item 8: exit code 2


def test_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(AgreementsNotFoundError) as exc:
        load_agreements(tmp_path / "nope")
    assert isinstance(exc.value, InputError) and isinstance(exc.value, NotFoundError)
    assert exc.value.exit_code == 2
    assert "does not exist" in exc.value.message


def test_a_folder_without_yaml_names_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("not an agreement")
    with pytest.raises(AgreementsNotFoundError, match=r"holds no agreement file .*readme\.txt"):
        load_agreements(tmp_path)


@pytest.mark.parametrize("command", ["agreements", "check", "schedule", "routes"])
def test_every_command_exits_2_on_a_missing_folder(cli: Any, tmp_path: Path, command: str) -> None:
    extra = {"check": ["--flight", "B2 MSQ-NQZ"], "schedule": [str(SSIM)]}.get(command, [])
    for folder in (tmp_path / "nope", tmp_path):
        r = cli("air", command, str(folder), *extra)
        assert r.exit_code == 2, (folder, r.stderr)
        assert str(folder) in r.stderr


def test_json_error_of_a_missing_folder_says_exit_2(cli: Any, tmp_path: Path) -> None:
    r = cli("air", "agreements", str(tmp_path / "nope"), "--json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout or r.stderr)
    assert (doc["status"], doc["exit_code"]) == (400, 2)
    assert doc["error"] == "AgreementsNotFoundError"


# ------------------------------------------------------------------ item 11: not an agreement


def test_an_ssim_file_as_the_folder_is_named_and_not_dumped(cli: Any) -> None:
    r = cli("air", "schedule", str(SSIM), str(SSIM))
    assert r.exit_code == 2
    assert "looks like an SSIM schedule" in r.stderr
    assert "FOLDER expects an agreement YAML file" in r.stderr
    assert "bilat air schedule FOLDER FILE" in r.stderr
    # the file is 4 KB; the message quotes the start of its first line only
    assert len(r.stderr) < 700, len(r.stderr)
    assert "1AIRLINE STANDARD SCHEDULE DATA SET" in r.stderr
    assert SSIM.read_text().splitlines()[1][:30] not in r.stderr


def test_an_ssim_file_given_to_diff_names_the_argument(cli: Any, case_dir: Path) -> None:
    r = cli("air", "diff", str(case_dir / "blr-kaz.yaml"), str(SSIM))
    assert r.exit_code == 2
    assert "AFTER expects an agreement YAML file" in r.stderr and str(SSIM) in r.stderr
    assert len(r.stderr) < 700


@pytest.mark.shared
def test_the_shared_gna_file_is_refused_in_a_few_hundred_characters(
    cli: Any, shared_data: Path, case_dir: Path
) -> None:
    gna = shared_data / "air" / "gna-sample.ssim"
    assert gna.stat().st_size > 50_000
    r = cli("air", "schedule", str(gna), str(case_dir))
    assert r.exit_code == 2 and len(r.stderr) < 700
    assert "SSIM schedule" in r.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "an empty file"),
        ("# only a comment\n", "an empty file"),
        ("- a\n- b\n", "a list of 2 items"),
        ("just some words\n", "one block of text"),
        ("0,1,2,3,4,5,6,7\n", "a CSV file"),
        ("SCR\nS23\n", "slot message (SCR)"),
    ],
)
def test_files_that_are_not_agreements(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(SchemaError, match="not an agreement") as exc:
        load_agreement(_write(tmp_path, text), argument="FOLDER")
    assert words in exc.value.message
    assert "FOLDER expects an agreement YAML file" in exc.value.message
    assert "None" not in exc.value.message


# ------------------------------------------------------------------ item 13: lines and words


def test_an_unknown_top_level_key_points_to_its_own_line(tmp_path: Path, case_dir: Path) -> None:
    text = (
        (case_dir / "blr-kaz.yaml")
        .read_text()
        .replace("co_terminalisation:", "co_terminalization:")
    )
    with pytest.raises(SchemaError) as exc:
        load_agreement(_write(tmp_path, text))
    assert exc.value.line == _line(text, "co_terminalization:")
    assert exc.value.column == "co_terminalization"
    assert "did you mean 'co_terminalisation'" in exc.value.message
    assert "co_terminalisation" in (exc.value.expected or "")
    assert "bilat-air/1 or bilat-air/2 schema" not in exc.value.message


def test_a_misspelt_key_names_both_the_typo_and_the_missing_key(
    tmp_path: Path, case_dir: Path
) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text().replace("freedoms: [5]", "freedom: [5]")
    with pytest.raises(SchemaError) as exc:
        load_agreement(_write(tmp_path, text))
    msg = exc.value.message
    assert "'freedom' is not a key of a right (did you mean 'freedoms'?)" in msg
    assert "needs 'freedoms'" in msg
    assert exc.value.line == _line(text, "freedom: [5]")
    assert exc.value.column == "rights/2/freedom"
    assert "id, party, freedoms, from, to, note, provenance" in (exc.value.expected or "")


def test_a_wrong_value_says_what_is_allowed(tmp_path: Path, case_dir: Path) -> None:
    text = (case_dir / "blr-kaz.yaml").read_text().replace("mode: multiple", "mode: mutliple")
    with pytest.raises(SchemaError) as exc:
        load_agreement(_write(tmp_path, text))
    assert exc.value.line == _line(text, "mode: mutliple")
    assert exc.value.expected == "one of single, multiple"
    assert exc.value.value == "mutliple"


def test_a_long_string_where_a_mapping_goes_is_shortened(tmp_path: Path, case_dir: Path) -> None:
    long = "x" * 5000
    text = (
        (case_dir / "blr-kaz.yaml")
        .read_text()
        .replace("co_terminalisation:\n", f"stopover: {long}\nco_terminalisation:\n")
    )
    with pytest.raises(SchemaError) as exc:
        load_agreement(_write(tmp_path, text))
    assert len(exc.value.message) < 400
    assert exc.value.line == _line(text, "stopover:")


# ------------------------------------------------------------------ property: never a crash

_CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022" / "air"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=3000))
def test_any_text_is_an_agreement_or_a_short_bilat_error(tmp_path: Path, text: str) -> None:
    p = tmp_path / "x.yaml"
    p.write_text(text, encoding="utf-8")
    try:
        load_agreement(p)
    except BilatError as exc:
        assert len(exc.message) < 1200, exc.message


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(["rights", "caps", "co_terminalisation", "designation", "parties"]),
    value=st.one_of(
        st.text(max_size=2000), st.integers(), st.none(), st.lists(st.text(max_size=5))
    ),
)
def test_a_wrong_value_anywhere_is_a_short_error_on_a_line(
    tmp_path: Path, where: str, value: object
) -> None:
    import yaml

    data = yaml.safe_load((_CASE / "blr-kaz.yaml").read_text())
    data[where] = value
    p = tmp_path / "x.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True))
    try:
        load_agreement(p)
    except InputError as exc:
        assert len(exc.message) < 1200, exc.message
        assert str(p) in exc.message
