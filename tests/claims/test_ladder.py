"""The rating ladder: supported, supported within tolerance, roughly, contradicted.

Every boundary below is computed by hand from the claim's numbers (the comments give the
arithmetic); the checks on a lake use conftest's "supported" world, whose figures are known
by construction (turnover 1.2 bn in 2021, growth +33.33 %, KAZ 2nd destination, x2.5, x8).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from bilat.claims import (
    BEST_RATING,
    NOT_ASKED,
    VERDICTS,
    Band,
    Comparison,
    check_and_record,
    check_claims,
    claim_review,
    format_difference,
    format_value,
    load_claims,
    precision_step,
    read_history,
    record_check,
)
from bilat.errors import ValidationError
from bilat.lake import Lake

from .test_check import CASE
from .test_history import T1, _add_2021, _lake_2020


@pytest.mark.parametrize(
    ("comparison", "measured", "grade"),
    [
        # >= 2, tolerance 0.1, roughly 0.3: [2, inf) | [1.9, 2) | [1.7, 1.9) | below 1.7
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 2.0, "supported"),
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 1.95, "supported within tolerance"),
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 1.9, "supported within tolerance"),
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 1.89, "roughly"),
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 1.7, "roughly"),
        (Comparison(">=", 2, Band(0.1), Band(0.3)), 1.69, "contradicted"),
        # > 100, tolerance 5: 100 itself misses by 0 (not > 100) but is within tolerance
        (Comparison(">", 100, Band(5)), 100.5, "supported"),
        (Comparison(">", 100, Band(5)), 100, "supported within tolerance"),
        (Comparison(">", 100, Band(5)), 95, "supported within tolerance"),
        (Comparison(">", 100, Band(5)), 94.9, "contradicted"),
        # rank <= 5, tolerance 1, roughly 2: 6th within tolerance, 7th roughly, 8th not
        (Comparison("<=", 5, Band(1), Band(2)), 5, "supported"),
        (Comparison("<=", 5, Band(1), Band(2)), 6, "supported within tolerance"),
        (Comparison("<=", 5, Band(1), Band(2)), 7, "roughly"),
        (Comparison("<=", 5, Band(1), Band(2)), 8, "contradicted"),
        # < 10, roughly 2 and no tolerance: no "within tolerance" rung
        (Comparison("<", 10, None, Band(2)), 9.99, "supported"),
        (Comparison("<", 10, None, Band(2)), 10, "roughly"),
        (Comparison("<", 10, None, Band(2)), 12, "roughly"),
        (Comparison("<", 10, None, Band(2)), 12.1, "contradicted"),
        # no band: the old two grades
        (Comparison(">=", 2), 2, "supported"),
        (Comparison(">=", 2), 1.9999, "contradicted"),
    ],
)
def test_inequality_grades(comparison: Comparison, measured: float, grade: str) -> None:
    assert comparison.grade(measured) == grade


@pytest.mark.parametrize(
    ("measured", "grade"),
    [
        # ≈ 33.3, precision 0.1: supported on [33.25, 33.35]; ± 5 → [28.3, 38.3]; ± 10 roughly
        (33.3, "supported"),
        (33.25, "supported"),
        (33.35, "supported"),
        (100 / 3, "supported"),
        (33.36, "supported within tolerance"),
        (31.0, "supported within tolerance"),
        (28.3, "supported within tolerance"),
        (38.3, "supported within tolerance"),
        (28.2, "roughly"),
        (43.3, "roughly"),
        (23.3, "roughly"),
        (43.4, "contradicted"),
        (23.2, "contradicted"),
        (-33.3, "contradicted"),
    ],
)
def test_approximately_grades(measured: float, grade: str) -> None:
    assert Comparison("approximately", 33.3, Band(5), Band(10)).grade(measured) == grade


def test_relative_bands_are_shares_of_the_stated_value() -> None:
    # > 1,000,000,000 with "5%" (50 M) and "10%" (100 M)
    c = Comparison(">", 1e9, Band(5, relative=True), Band(10, relative=True))
    assert c.grade(1e9 + 1) == "supported"
    assert c.grade(9.5e8) == "supported within tolerance"
    assert c.grade(9.49e8) == "roughly"
    assert c.grade(9.0e8) == "roughly"
    assert c.grade(8.99e8) == "contradicted"
    # ≈ 205 with "10%" (20.5): precision 1 → supported on [204.5, 205.5]
    a = Comparison("approximately", 205, Band(10, relative=True))
    assert [a.grade(x) for x in (205.4, 205.6, 184.5, 184.4)] == [
        "supported",
        "supported within tolerance",
        "supported within tolerance",
        "contradicted",
    ]
    # ≈ 200 is precise to the hundred (± 50), but "equal" never reaches past the tolerance
    b = Comparison("approximately", 200, Band(10, relative=True))
    assert b.exact_width() == 20
    assert [b.grade(x) for x in (180, 179.9)] == ["supported", "contradicted"]
    assert Band(5, relative=True).width(-40) == 2  # a share of the size, whatever the sign


@pytest.mark.parametrize(
    ("value", "step"),
    [
        (33.3, 0.1),
        (0.25, 0.01),
        (5, 1),
        (0, 1),
        (1200000000, 1e8),
        (1000000000, 1e9),
        (-40, 10),
        (1e-05, 1e-05),
        (1.5e16, 1e15),
    ],
)
def test_precision_step_is_the_last_digit_written(value: float, step: float) -> None:
    assert precision_step(value) == pytest.approx(step)


GOOD = """\
schema: bilat-claims/1
dyad: [BLR, KAZ]
claims:
- id: t
  statement: Turnover passed one billion.
  metric: turnover
  params: {year: 2021}
  compare:
    op: ">"
    value: 1000000000
    tolerance: 50000000
"""


def _write(folder: Path, text: str) -> Path:
    (folder / "claims.yaml").write_text(text, encoding="utf-8")
    return folder


def test_bands_read_absolute_and_relative(tmp_path: Path) -> None:
    text = GOOD + '    roughly: "10%"\n'
    (claim,) = load_claims(_write(tmp_path, text)).claims
    assert claim.comparison == Comparison(">", 1e9, Band(5e7), Band(10, relative=True))
    assert claim.expected() == ("> $1B (tolerance $50M; roughly 10% of the stated value ($100M))")


@pytest.mark.parametrize(
    ("extra", "line", "column", "words"),
    [
        ("    roughly: 10000000\n", 12, "roughly", "'roughly' is narrower than the tolerance"),
        ('    roughly: "4%"\n', 12, "roughly", "'roughly' is narrower than the tolerance"),
        ('    roughly: "5 %"\n', 12, "roughly", "not a band"),
        ('    roughly: "%5"\n', 12, "roughly", "not a band"),
        ("    roughly: -1\n", 12, "roughly", "negative band"),
        ("    roughly: ten\n", 12, "roughly", "not a band"),
        ("    roughtly: 5\n", 12, "roughtly", "unknown key"),
    ],
)
def test_bad_bands_name_file_line_and_column(
    tmp_path: Path, extra: str, line: int, column: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        load_claims(_write(tmp_path, GOOD + extra))
    err = info.value
    assert (err.line, err.column) == (line, column)
    assert words in err.message
    assert str(tmp_path / "claims.yaml") in err.message


def test_a_bad_tolerance_and_a_relative_band_on_zero(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not a band") as info:
        load_claims(_write(tmp_path, GOOD.replace("50000000", '"5 percent"')))
    assert (info.value.line, info.value.column) == (11, "tolerance")
    assert 'such as "5%"' in str(info.value.expected)
    zero = GOOD.replace("1000000000", "0").replace("50000000", '"5%"')
    with pytest.raises(ValidationError, match="a stated value of 0") as info:
        load_claims(_write(tmp_path, zero))
    assert info.value.line == 11


#: Claims on conftest's supported world, each band written so the grade is known by hand.
LADDER = """\
schema: bilat-claims/1
dyad: [BLR, KAZ]
claims:
- id: turnover-within-5pct
  statement: Turnover passed 1.25 billion (test claim).
  metric: turnover
  params: {year: 2021}
  compare: {op: ">", value: 1250000000, tolerance: "5%"}
- id: turnover-roughly
  statement: Turnover passed 1.3 billion (test claim).
  metric: turnover
  params: {year: 2021}
  compare: {op: ">", value: 1300000000, tolerance: "5%", roughly: "10%"}
- id: turnover-far
  statement: Turnover passed 1.5 billion (test claim).
  metric: turnover
  params: {year: 2021}
  compare: {op: ">", value: 1500000000, tolerance: "5%", roughly: "10%"}
- id: growth-about-31
  statement: Turnover grew by about 31 % (test claim).
  metric: growth
  params: {year: 2021}
  compare: {op: approximately, value: 31, tolerance: 3}
- id: first-partner
  statement: Kazakhstan is Belarus's first destination (test claim).
  metric: partner_rank
  params: {year: 2021, reporter: BLR}
  compare: {op: "<=", value: 1, tolerance: 1}
- id: confectionery-tripled
  statement: Confectionery supplies tripled (test claim).
  metric: basket_multiplier
  params: {basket: confectionery, from: 2020, year: 2021}
  compare: {op: ">=", value: 3, tolerance: 0.25, roughly: 0.5}
"""

#: By hand: 1.2 bn misses > 1.25 bn by 50 M ≤ 62.5 M (5 %); misses > 1.3 bn by 100 M, over
#: 65 M but ≤ 130 M; misses > 1.5 bn by 300 M > 150 M; +33.33 % is 2.33 points from 31
#: (≤ 3, and 33.33 does not round to 31); rank 2 misses <= 1 by 1; x2.5 misses >= 3 by 0.5.
EXPECTED = {
    "turnover-within-5pct": "supported within tolerance",
    "turnover-roughly": "roughly",
    "turnover-far": "contradicted",
    "growth-about-31": "supported within tolerance",
    "first-partner": "supported within tolerance",
    "confectionery-tripled": "roughly",
}


@pytest.fixture
def ladder_case(tmp_path: Path) -> Path:
    return _write(tmp_path, LADDER)


def test_check_gives_each_rung_with_its_reason(supported_lake: Lake, ladder_case: Path) -> None:
    report = check_claims(supported_lake, ladder_case)
    got = {r.claim.id: r for r in report.results}
    assert {k: r.verdict for k, r in got.items()} == EXPECTED
    assert report.counts() == {
        "supported": 0,
        "supported within tolerance": 3,
        "roughly": 2,
        "contradicted": 1,
        "undetermined": 0,
    }
    assert list(report.counts()) == list(VERDICTS)
    assert got["turnover-within-5pct"].reason == (
        "measured $1.2B, missing > $1.25B by $50M: within the "
        "claim's tolerance of 5% of the stated value ($62.5M)"
    )
    assert got["turnover-roughly"].reason.endswith(
        "beyond the tolerance (5% of the stated value ($65M)) but within the roughly "
        "band of 10% of the stated value ($130M)"
    )
    assert got["turnover-far"].reason.endswith(
        "by $300M: beyond the widest band the claim allows (10% of the stated value ($150M))"
    )
    assert got["growth-about-31"].reason == (
        "measured 33.3%, 2.3 percentage points from 31.0%: within the claim's tolerance of "
        "3 percentage points"
    )


def test_founding_case_growth_at_its_precision(supported_lake: Lake) -> None:
    (growth,) = [
        r for r in check_claims(supported_lake, CASE).results if r.claim.metric == "growth"
    ]
    assert growth.verdict == "supported"  # +33.33 % is 33.3 at the stated precision
    assert growth.reason == (
        "measured 33.3%, which is 33.3% at the precision stated (within 0.05 percentage points)"
    )
    c = growth.claim.comparison
    assert c is not None and c.grade(31.0) == "supported within tolerance"  # the brief's 31 %


jsonld = pytest.importorskip("pyld.jsonld")
S = "https://schema.org/"


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    assert url.rstrip("/") == "https://schema.org", url
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": S}}}


def test_claimreview_writes_the_ladder(supported_lake: Lake, ladder_case: Path) -> None:
    doc = claim_review(check_claims(supported_lake, ladder_case), date=dt.date(2026, 3, 1))
    nodes = jsonld.expand(json.loads(json.dumps(doc)), {"documentLoader": _loader})
    want = {
        "supported within tolerance": 3,
        "roughly": 2,
        "contradicted": 1,
    }
    for node, verdict in zip(nodes, EXPECTED.values(), strict=True):
        rating = node[S + "reviewRating"][0]
        assert rating[S + "alternateName"][0]["@value"] == verdict
        assert rating[S + "ratingValue"][0]["@value"] == want[verdict]
        assert rating[S + "worstRating"][0]["@value"] == 1
        assert rating[S + "bestRating"][0]["@value"] == BEST_RATING == 4
        text = rating[S + "ratingExplanation"][0]["@value"]
        for rung in ("1 = contradicted", "2 = roughly", "3 = supported within tolerance"):
            assert rung in text
        assert "4 = supported (the data meet the statement)" in text


def test_cli_json_carries_the_changes(tmp_path: Path, cli: Any) -> None:
    lake = _lake_2020(tmp_path / "lake")
    args = ("claims", "check", str(CASE), "--lake", str(lake.root), "--json")
    first = json.loads(cli(*args).stdout)
    assert (first["recorded"], first["previous_check"], first["changes"]) == (True, None, [])
    assert first["not_recorded_because"] is None
    _add_2021(lake)
    out = cli(*args)
    assert out.exit_code == 0, out.stderr
    second = json.loads(out.stdout)
    assert second["previous_check"] == read_history(lake)[0].checked_at
    assert second["lake_change"]["ingested"] == ["BACI V202501"]
    turnover = next(c for c in second["changes"] if c["claim"] == "turnover-2021-above-1bn")
    assert turnover == {
        "claim": "turnover-2021-above-1bn",
        "from": "undetermined",
        "to": "supported",
        "text": "turnover-2021-above-1bn: undetermined → supported after ingesting BACI V202501",
    }
    assert len(second["changes"]) == 6
    assert second["counts"] == check_claims(lake, CASE).counts()
    third = json.loads(cli(*args, "--no-record").stdout)
    assert third["recorded"] is False and third["not_recorded_because"] == NOT_ASKED
    assert third["previous_check"] == read_history(lake)[1].checked_at
    assert third["changes"] == []
    assert len(read_history(lake)) == 2


def _make_unwritable(lake: Lake) -> str:
    """Make the lake's history unwritable for real; return how.

    Not as root: the lake's folder made read-only (chmod). As root (CI), chmod does not stop
    a write, so the history's path is made a folder: no file can replace it.
    """
    root = Path(lake.root)
    root.chmod(0o555)
    probe = root / ".probe"
    try:
        probe.write_text("x")
    except PermissionError:
        return "chmod"
    probe.unlink()
    root.chmod(0o755)
    (root / "claims-history.jsonl").unlink()
    (root / "claims-history.jsonl").mkdir()
    return "folder"


def test_an_unwritable_lake_is_checked_and_says_it_was_not_recorded(
    tmp_path: Path, cli: Any
) -> None:
    lake = _lake_2020(tmp_path / "lake")
    record_check(lake, check_claims(lake, CASE), now=T1)
    saved = (tmp_path / "lake" / "claims-history.jsonl").read_bytes()
    how = _make_unwritable(lake)
    try:
        done = check_and_record(lake, CASE)
        assert done.turnover.recorded is False
        why = str(done.turnover.not_recorded_because)
        assert f"the history {tmp_path / 'lake' / 'claims-history.jsonl'} cannot be written" in why
        assert [r.verdict for r in done.report.results] == [
            r.verdict for r in check_claims(lake, CASE).results
        ]
        if how == "chmod":  # the history still reads: the change is computed
            assert done.turnover.previous_at == "2026-01-05T09:00:00+00:00"
        out = cli("claims", "check", str(CASE), "--lake", str(lake.root))
        assert out.exit_code == 0, out.stderr
        err = " ".join(out.stderr.split())
        assert "warning: the check was not recorded: the history" in err
        assert "make the lake's folder writable" in err
        assert "0 supported" in out.stdout
        data = json.loads(
            cli("claims", "check", str(CASE), "--lake", str(lake.root), "--json").stdout
        )
        assert data["recorded"] is False and "cannot be written" in data["not_recorded_because"]
    finally:
        Path(lake.root).chmod(0o755)
    if how == "chmod":
        assert (tmp_path / "lake" / "claims-history.jsonl").read_bytes() == saved
    else:
        assert not any((tmp_path / "lake" / "claims-history.jsonl").iterdir())
    assert os.access(lake.root, os.W_OK)


def test_history_of_an_unreadable_record_is_a_clear_error(tmp_path: Path, cli: Any) -> None:
    lake = _lake_2020(tmp_path / "lake")
    (tmp_path / "lake" / "claims-history.jsonl").mkdir()
    out = cli("claims", "history", "turnover-2021-above-1bn", "--lake", str(lake.root))
    assert out.exit_code == 1
    assert "the claims history" in out.stderr and "cannot be read" in out.stderr


def test_every_verdict_has_its_colour() -> None:
    from bilat.cli.claims import _STYLE

    assert set(_STYLE) == set(VERDICTS)
    assert _STYLE["supported within tolerance"] == _STYLE["supported"] == "bold green"
    assert (_STYLE["roughly"], _STYLE["contradicted"]) == ("bold yellow", "bold red")


def test_the_text_report_names_a_shipped_case_not_this_machines_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table's title says "shipped case blr-kaz-2022", not the package's folder."""
    from bilat.cases import resolve_case
    from bilat.cli.claims import _where

    monkeypatch.chdir(tmp_path)
    shipped = resolve_case("blr-kaz-2022") / "claims.yaml"
    assert _where(str(shipped)) == "shipped case blr-kaz-2022"
    mine = tmp_path / "case" / "claims.yaml"
    mine.parent.mkdir()
    mine.write_text("x")
    assert _where(str(mine)) == "case/claims.yaml"
    assert _where(None) == "claims given in code"


@pytest.mark.parametrize(
    ("value", "unit", "as_value", "as_difference"),
    [
        (1.2e9, "usd", "$1.2B", "$1.2B"),
        (33.333, "pct", "33.3%", "33.3 percentage points"),
        (0.05, "pct", "0.050%", "0.05 percentage points"),  # half a step keeps its digits
        (0.054, "pct", "0.054%", "0.054 percentage points"),
        (2.5, "multiplier", "×2.5", "2.5"),
        (13, "rank", "13", "13"),
        (None, "usd", "no value", None),
    ],
)
def test_claims_write_values_through_the_one_formatter(
    value: float | None, unit: str, as_value: str, as_difference: str | None
) -> None:
    assert format_value(value, unit) == as_value
    if value is not None and as_difference is not None:
        assert format_difference(value, unit) == as_difference
