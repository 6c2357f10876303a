"""The case's published figures on the web: in GET /api/claims/check and on the dyad page."""

from __future__ import annotations

import html
from typing import Any

from bilat import formats


def test_api_claims_check_lists_published_figures(viewer: Any) -> None:
    data = viewer.get("/api/claims/check").json()
    (pub,) = data["published"]
    assert pub["id"] == "turnover-2021-delegations"
    assert pub["published"] == "> $1B"
    assert [p["cause"] for p in pub["parts"]] == ["valuation", "source", "coverage", "revisions"]
    assert pub["verdict"] in ("consistent", "inconsistent", "undetermined")
    assert pub["provenance"]["synthetic"] is True  # the demo world


def test_dyad_page_shows_published_figures(viewer: Any) -> None:
    api = viewer.get("/api/claims/check").json()["published"][0]
    text = viewer.get("/dyad/BLR/KAZ?year=2021").text
    table = text.split('id="published"')[1].split("</table>")[0]
    assert "published by BLR" in table and api["verdict"] in table
    assert api["lake_text"] in table


def test_dyad_page_gives_each_figure_its_sources_and_the_gap(viewer: Any) -> None:
    api = viewer.get("/api/claims/check").json()
    text = html.unescape(viewer.get("/dyad/BLR/KAZ?year=2021").text)
    claims = text.split('id="claims"')[1].split("</table>")[0]
    for r in api["results"]:
        row = claims.split(f"<td>{r['statement']}")[1].split("</tr>")[0]
        assert f"sources: {r['provenance']['text']}" in row
    pub = api["published"][0]
    table = text.split('id="published"')[1].split("</table>")[0]
    assert f"sources: {pub['provenance']['text']}" in table
    assert f"gap (published − lake): {formats.money(pub['gap_usd'])}" in table  # the one formatter
    assert all(flow in table for flow in pub["flows"])
