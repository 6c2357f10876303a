"""The briefing's claims section sets the case's published figures beside the data (issue 18
part 6), with the same numbers as ``bilat claims check`` (the SYNTHETIC small world)."""

from __future__ import annotations

from bilat import formats
from bilat.brief import Briefing, BriefingFiles
from bilat.claims import check_claims
from bilat.lake import Lake

from .conftest import CASE


def test_claims_section_lists_each_published_figure_with_its_gap(
    briefing: Briefing, synthetic_lake: Lake, written: BriefingFiles
) -> None:
    section = next(s for s in briefing.sections if s.id == "claims")
    table = next(t for t in section.tables if t.title.startswith("Published figures"))
    report = check_claims(synthetic_lake, CASE)
    assert len(table.rows) == len(report.published) >= 1
    for row, p in zip(table.rows, report.published, strict=True):
        d = p.to_dict()
        assert row["id"] == d["id"] and row["verdict"] == d["verdict"]
        assert row["lake"] == d["lake_text"] and row["reason"] == d["reason"]
        if d["gap_usd"] is None:
            assert row["gap"] == "not computed"
        else:
            assert row["gap"] != "not computed" and formats.share(d["gap_pct"]) in row["gap"]
    html = written.html.read_text(encoding="utf-8")
    assert "Published figures beside the data" in html
    assert report.published[0].figure.id in html
