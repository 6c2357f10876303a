"""docs/claims.md covers the command, every metric and every comparison."""

from __future__ import annotations

from pathlib import Path

from bilat.claims import METRICS, OPERATORS, VERDICTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "claims.md"


def test_doc_names_every_metric_and_operator() -> None:
    text = DOC.read_text("utf-8")
    assert "bilat claims check CASE_DIR" in text
    for metric in METRICS:
        assert f"`{metric}`" in text, metric
    for op in OPERATORS:
        assert f"`{op}`" in text, op


def test_command_has_help(cli: object) -> None:
    res = cli("claims", "check", "--help")  # type: ignore[operator]
    assert res.exit_code == 0
    words = " ".join(res.stdout.split())
    assert "supported, supported within tolerance, roughly, contradicted, or undetermined" in words


def test_doc_shows_every_verdict_of_the_ladder() -> None:
    text = DOC.read_text("utf-8")
    for verdict in VERDICTS:
        assert f"**{verdict}**" in text, verdict
    for key in ("tolerance", "roughly"):
        assert f"`{key}`" in text, key


def test_doc_quotes_the_claimreview_scale_as_written() -> None:
    from bilat.claims.claimreview import SCALE_TEXT

    text = DOC.read_text("utf-8")
    assert f'"ratingExplanation": "{SCALE_TEXT} ' in text
    assert "the data miss the statement" in SCALE_TEXT  # "data" takes the plural, as "meet"
