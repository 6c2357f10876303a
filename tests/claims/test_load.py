"""Reading claims files: every rule broken gives an error naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.claims import Comparison, load_claims
from bilat.errors import BilatError, NotFoundError, ParseError, ValidationError

GOOD = """\
schema: bilat-claims/1
dyad: [BLR, KAZ]
claims:
- id: t
  statement: Turnover passed one billion.
  metric: turnover
  params: {year: 2021}
  compare: {op: ">", value: 1000000000}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_good_file(tmp_path: Path) -> None:
    cs = load_claims(write(tmp_path, GOOD))
    (claim,) = cs.claims
    assert claim.comparison == Comparison(">", 1e9)
    assert claim.line == 4
    assert claim.expected() == "> $1B"


def test_dyad_from_case_yaml(tmp_path: Path) -> None:
    (tmp_path / "case.yaml").write_text("dyad: [Belarus, KAZ]\n", encoding="utf-8")
    cs = load_claims(write(tmp_path, GOOD.replace("dyad: [BLR, KAZ]\n", "")))
    assert (cs.a, cs.b) == ("BLR", "KAZ")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("metric: turnover", "metric: turnover_x", 6, "unknown metric"),
        ('op: ">"', "op: about", 8, "unknown comparison"),
        ("{year: 2021}", "{year: 21}", 7, "not a year"),
        ("{year: 2021}", "{year: 2021, colour: red}", 7, "unknown parameter"),
        ('op: ">", value: 1000000000', "op: approximately, value: 3", 8, "needs a tolerance"),
        ("statement: Turnover passed one billion.", "statement: ''", 5, "'statement' is required"),
        ("dyad: [BLR, KAZ]", "dyad: [BLR, BLR]", 2, "the same"),
    ],
)
def test_bad_values_name_line_and_key(
    tmp_path: Path, old: str, new: str, line: int, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        load_claims(write(tmp_path, GOOD.replace(old, new)))
    assert info.value.line == line
    assert words in info.value.message
    assert str(tmp_path / "claims.yaml") in info.value.message


def test_an_impossible_date_names_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("  metric: turnover\n", "  metric: turnover\n  said_on: 2022-13-01\n")
    with pytest.raises(ParseError, match="YYYY-MM-DD") as info:
        load_claims(write(tmp_path, text))
    assert (info.value.line, info.value.column) == (7, "said_on")
    assert info.value.value == "2022-13-01"
    assert str(tmp_path / "claims.yaml") in info.value.message


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    text = GOOD.replace("  metric: turnover\n", "  metric: turnover\n  metric: exports\n")
    with pytest.raises(ValidationError, match=r"written twice .*first on line 6") as info:
        load_claims(write(tmp_path, text))
    assert (info.value.line, info.value.column) == (7, "metric")
    assert str(tmp_path / "claims.yaml") in info.value.message


def test_a_key_written_twice_in_a_published_figure_is_an_error(tmp_path: Path) -> None:
    text = GOOD + (
        "published:\n- id: p\n  what: turnover\n  year: 2021\n  value: 5\n"
        "  published_by: BLR\n  published_by: POL\n"
    )
    with pytest.raises(ValidationError, match="written twice") as info:
        load_claims(write(tmp_path, text))
    assert (info.value.line, info.value.column) == (15, "published_by")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("metric: turnover", "metric: turnover\n  colour: red"),
        ("{year: 2021}", "{year: 2021, colour: red}"),
        ("{year: 2021}", "{year: 2021, basket: sweets}"),
    ],
)
def test_lists_of_known_names_read_as_words_not_python(tmp_path: Path, old: str, new: str) -> None:
    with pytest.raises(ValidationError) as info:
        load_claims(write(tmp_path, GOOD.replace(old, new)))
    assert "[" not in info.value.message and "'id'" not in info.value.message


def test_unknown_basket_lists_known(tmp_path: Path) -> None:
    text = GOOD.replace("metric: turnover", "metric: basket_value").replace(
        "{year: 2021}", "{year: 2021, basket: sweets}"
    )
    with pytest.raises(ValidationError, match="unknown basket") as info:
        load_claims(write(tmp_path, text))
    assert "confectionery" in info.value.message


def test_duplicate_ids(tmp_path: Path) -> None:
    body = GOOD.split("claims:\n")[1]
    with pytest.raises(ValidationError, match="duplicate claim id") as info:
        load_claims(write(tmp_path, GOOD + body))
    assert info.value.line == 9


def test_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="not valid YAML") as info:
        load_claims(write(tmp_path, GOOD + "  - : [\n"))
    assert info.value.line is not None


def test_no_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no claims file"):
        load_claims(tmp_path)


def test_comparisons() -> None:
    assert Comparison("approximately", 33.3, 5).holds(28.4)
    assert not Comparison("approximately", 33.3, 5).holds(28.2)
    assert Comparison(">=", 2).holds(2) and not Comparison(">", 2).holds(2)
    assert Comparison("<=", 5).holds(5) and not Comparison("<", 5).holds(5)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(
        ["id", "statement", "metric", "params", "compare", "said_on", "assumptions"]
    ),
    value=_values,
)
def test_garbage_gives_bilat_error_never_a_crash(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: object
) -> None:
    data = yaml.safe_load(GOOD)
    data["claims"][0][key] = value
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "claims.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        cs = load_claims(folder)
    except BilatError:
        return
    assert len(cs.claims) == 1  # a value that passes still gives one well-formed claim
