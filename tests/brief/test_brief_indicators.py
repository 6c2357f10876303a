"""The agenda section's indicators (issue 18 part 2): progress, figures with their coverage."""

from __future__ import annotations

import pyarrow as pa
import pytest

from bilat.brief import build_briefing, render_html
from bilat.lake import Lake

from .conftest import CASE, handmade_flows
from .test_brief import validator


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The handmade flows and one 2022 row (synthetic, made up for this test)."""
    lk = Lake.open(tmp_path_factory.mktemp("ind-lake") / "lake", create=True)
    flows = handmade_flows()
    extra = flows.slice(3, 1).to_pylist()[0] | {"year": 2022, "value_usd": 500e6}
    both = pa.concat_tables([flows, pa.Table.from_pylist([extra], schema=flows.schema)])
    lk.ingest_arrow(both, kind="flows", source="handmade", name="handmade.csv")
    return lk


def test_agenda_section_shows_indicators(lake: Lake) -> None:
    b = build_briefing(lake, "BLR", "KAZ", year=2021, case=CASE, as_of="2023-01-01")
    agenda = b.section("agenda")
    (table,) = [t for t in agenda.tables if t.title == "Indicators and progress"]
    rows = {r["indicator"]: r for r in table.rows}
    assert len(rows) == 4
    conf = rows["Confectionery supplies from Belarus to Kazakhstan"]
    # HS 170410 BLR→KAZ: 250 m in 2021 (the baseline, measured), 500 m in 2022.
    assert conf["baseline"].startswith("$250") and conf["baseline"].endswith("(2021)")
    assert conf["latest"].endswith("(2022)") and "500" in conf["latest"]
    assert conf["coverage"] == "full" and conf["target"] == "none stated"
    assert conf["progress"].startswith("no target")
    cab = rows["Cab production started at the plant (1 = started, 0 = not yet)"]
    assert cab["progress"] == "no actual recorded"  # the verdict once, not twice
    figure = next(f for f in agenda.figures if f.label.startswith("Confectionery supplies"))
    assert figure.value == pytest.approx(500e6)
    assert "coverage full" in figure.source and "precedence" in figure.source
    assert validator().is_valid(b.to_dict())
    assert "Indicators and progress" in render_html(b)


def test_without_a_case_no_indicators(lake: Lake) -> None:
    b = build_briefing(lake, "BLR", "KAZ", year=2021)
    assert b.section("agenda").tables == ()


def test_progress_says_the_verdict_once() -> None:
    from bilat.brief.case_sections import _progress_text

    text = "latest 1 started (2022-12); 100% of the way from 0 started to 1 started: target met"
    assert _progress_text("target met", text) == (
        "target met: latest 1 started (2022-12); 100% of the way from 0 started to 1 started"
    )
    assert _progress_text("no actual recorded", "no actual recorded") == "no actual recorded"
    assert _progress_text("behind", "latest 5 t (2023)") == "behind: latest 5 t (2023)"
