"""Verdicts as schema.org ClaimReview JSON-LD, expanded by pyld with no network.

pyld fetches a remote ``@context`` through its document loader. The test's loader answers
``https://schema.org`` with a minimal context (``@vocab`` = ``https://schema.org/``) and
refuses every other address, so the expansion runs offline and checks that each term we
write is read as a schema.org IRI and each node gets the expected ``@type``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bilat.claims import RATING_SCALE, check_claims, claim_review
from bilat.lake import Lake

from .test_check import CASE

jsonld = pytest.importorskip("pyld.jsonld")

S = "https://schema.org/"
DAY = dt.date(2026, 3, 1)


FETCHED: list[str] = []


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    FETCHED.append(url)
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the test fetches nothing but schema.org's context, not {url}")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": S}},
    }


def expand(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = jsonld.expand(doc, {"documentLoader": _loader})
    return out


def _value(node: dict[str, Any], prop: str) -> Any:
    return node[S + prop][0].get("@value", node[S + prop][0])


def test_expanded_types_are_schema_org(supported_lake: Lake) -> None:
    doc = claim_review(check_claims(supported_lake, CASE), date=DAY)
    assert doc["@context"] == "https://schema.org"
    FETCHED.clear()
    nodes = expand(json.loads(json.dumps(doc)))
    assert FETCHED == ["https://schema.org"]  # the context came from the local loader
    assert len(nodes) == 6
    for node in nodes:
        assert node["@type"] == [S + "ClaimReview"]
        assert node[S + "author"][0]["@type"] == [S + "Organization"]
        assert node[S + "reviewRating"][0]["@type"] == [S + "Rating"]
        item = node[S + "itemReviewed"][0]
        assert item["@type"] == [S + "Claim"]
        assert item[S + "author"][0]["@type"] == [S + "Organization"]
        assert item[S + "appearance"][0]["@type"] == [S + "CreativeWork"]
        assert _value(node, "datePublished") == "2026-03-01"
        assert _value(item, "datePublished") == "2022-06-09"


def test_rating_scale_supported_and_contradicted(
    supported_lake: Lake, contradicted_lake: Lake
) -> None:
    for lake, word, value in (
        (supported_lake, "supported", 4),
        (contradicted_lake, "contradicted", 1),
    ):
        node = expand(claim_review(check_claims(lake, CASE), date=DAY))[0]
        rating = node[S + "reviewRating"][0]
        assert _value(rating, "alternateName") == word
        assert _value(rating, "ratingValue") == value
        assert _value(rating, "worstRating") == 1
        assert _value(rating, "bestRating") == 4
        assert "1 = contradicted" in _value(rating, "ratingExplanation")
        assert _value(node, "claimReviewed") == (
            "Trade between Belarus and Kazakhstan passed one billion US dollars in 2021."
        )


def test_undetermined_has_no_rating_value(undetermined_lake: Lake) -> None:
    report = check_claims(undetermined_lake, CASE)
    assert RATING_SCALE["undetermined"] is None
    for node in expand(claim_review(report, date=DAY)):
        rating = node[S + "reviewRating"][0]
        assert _value(rating, "alternateName") == "undetermined"
        assert S + "ratingValue" not in rating


def test_cli_writes_the_document(supported_lake: Lake, tmp_path: Path, cli) -> None:
    target = tmp_path / "check.jsonld"
    out = cli(
        "claims", "check", str(CASE), "--lake", str(supported_lake.root),
        "--claimreview", str(target), "--no-record",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert "6 reviews written to" in out.stderr
    nodes = expand(json.loads(target.read_text("utf-8")))
    assert {n["@type"][0] for n in nodes} == {S + "ClaimReview"}
    assert _value(nodes[0], "datePublished") == dt.datetime.now(dt.UTC).date().isoformat()
