"""The briefing's promising-areas section, checked against independent computations.

Each promising product's market position (the exporter's share and rank among the market's
suppliers) and each competitor table are recomputed with pandas from the lake's stored rows
(HS6 summed to HS4); the untapped potential equals the export-potential table; the
products are the complexity part's promising products. On a lake that cannot answer, the
cells stay empty with a reason: never a 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bilat.brief import Briefing, build_briefing
from bilat.brief.promising_section import (
    COMPETITOR_TABLES,
    PROMISING_PRODUCTS,
    promising_section,
)
from bilat.lake import Lake
from bilat.potential.products import market_potential
from bilat.potential.promising import promising_products
from bilat.trade import Dyad


def _imports(lake: Lake, year: int) -> pd.DataFrame:
    """Every stored flow of ``year`` at HS4 (the sample lake is one reconciled source)."""
    f = lake.flows().filter(lambda t: t.year == year).to_pandas()
    f = f[f.exporter != f.importer]
    f["hs4"] = f["product"].str[:4]
    return f.groupby(["importer", "exporter", "hs4"], as_index=False)["value_usd"].sum()


def _position(flows: pd.DataFrame, market: str, exporter: str, hs4: str) -> tuple[float, int]:
    sub = flows[(flows.importer == market) & (flows.hs4 == hs4)].set_index("exporter")
    values = sub["value_usd"]
    own = float(values.get(exporter, 0.0))
    return own / float(values.sum()) * 100, int((values > own).sum()) + 1


def test_promising_rows_equal_independent_computations(
    synthetic_lake: Lake, briefing: Briefing
) -> None:
    section = briefing.section("promising")
    assert section.status == "ok", section.message
    flows = _imports(synthetic_lake, 2021)
    ways = [t for t in section.tables if t.title.startswith("Promising products")]
    assert [t.title for t in ways] == [
        "Promising products for BLR in KAZ",
        "Promising products for KAZ in BLR",
    ]
    for table, (x, y) in zip(ways, (("BLR", "KAZ"), ("KAZ", "BLR")), strict=True):
        expected = promising_products(synthetic_lake, x, y, year=2021, level=4).top(
            PROMISING_PRODUCTS
        )
        assert [r["product"] for r in table.rows] == list(expected["product"])
        pot = market_potential(synthetic_lake, x, y, year=2021, level=4, top=10_000)
        untapped = pot.table.set_index("product")["unrealised_usd"]
        for row in table.rows:
            share, rank = _position(flows, y, x, row["product"])
            assert row["share_pct"] == pytest.approx(share, rel=1e-9, abs=1e-12)
            if share > 0:
                assert row["rank"] == rank
            else:  # not a supplier: no rank, and the share is a measured 0
                assert row["rank"] is None
            total = flows[(flows.importer == y) & (flows.hs4 == row["product"])]["value_usd"].sum()
            assert row["b_imports_usd"] == pytest.approx(total, rel=1e-9)
            if row["product"] in untapped.index:
                assert row["untapped_usd"] == pytest.approx(untapped[row["product"]], rel=1e-9)
            else:
                assert row["untapped_usd"] is None


def test_competitor_tables_are_the_dyads_largest_flows(
    synthetic_lake: Lake, briefing: Briefing
) -> None:
    section = briefing.section("promising")
    flows = _imports(synthetic_lake, 2021)
    dyad = flows[
        ((flows.exporter == "BLR") & (flows.importer == "KAZ"))
        | ((flows.exporter == "KAZ") & (flows.importer == "BLR"))
    ].sort_values(["value_usd", "hs4"], ascending=[False, True])
    largest = dyad.head(COMPETITOR_TABLES)
    tables = [t for t in section.tables if t.title.startswith("Who supplies")]
    assert len(tables) == COMPETITOR_TABLES
    for table, flow in zip(tables, largest.itertuples(), strict=True):
        assert table.title.startswith(f"Who supplies {flow.importer} with HS {flow.hs4}")
        sub = flows[(flows.importer == flow.importer) & (flows.hs4 == flow.hs4)]
        sub = sub.sort_values("value_usd", ascending=False)
        total = sub["value_usd"].sum()
        for row, (_, want) in zip(table.rows, sub.iterrows(), strict=False):
            if row["name"].endswith("(the exporter)"):
                continue
            assert row["value_usd"] == pytest.approx(want["value_usd"], rel=1e-9)
            assert row["share_pct"] == pytest.approx(want["value_usd"] / total * 100, rel=1e-9)
        marked = [r for r in table.rows if r["name"].endswith("(the exporter)")]
        assert len(marked) == 1
        assert marked[0]["value_usd"] == pytest.approx(flow.value_usd, rel=1e-9)


def test_figures_and_notes_say_what_they_rest_on(briefing: Briefing) -> None:
    section = briefing.section("promising")
    assert [f.label for f in section.figures] == [
        "Economic complexity index (ECI) of BLR",
        "Economic complexity index (ECI) of KAZ",
    ]
    assert all(f.source.startswith("SYNTHETIC DATA") for f in section.figures)
    assert all(s.startswith("SYNTHETIC DATA") for s in section.sources)
    assert any("density" in n for n in section.notes)


def test_a_lake_that_cannot_answer_leaves_cells_empty_with_a_reason(real_lake: Lake) -> None:
    """Three countries, one product each way: no network for complexity, no promising
    product; the competitor tables still come from the lake, and nothing reads as 0."""
    section = promising_section(Dyad(real_lake, "BLR", "KAZ"), 2021)
    assert section.status == "ok"
    assert not [t for t in section.tables if t.title.startswith("Promising products")]
    assert any("no product passes the density floor" in n for n in section.notes)
    assert any("not available" in n for n in section.notes)  # ECI of a split network
    assert all(f.value is None for f in section.figures)


def test_a_market_no_source_covers_is_a_note_not_a_zero(
    comtrade_eu_lake: Lake, shared_data: Path
) -> None:
    """The real EU27 Comtrade lake holds imports of EU members only: Kazakhstan's imports
    are covered by no source, so BLR's promising products in KAZ are not available."""
    section = promising_section(Dyad(comtrade_eu_lake, "BLR", "KAZ"), 2021)
    assert section.status == "no_data"
    assert not section.tables
    assert section.message is not None
    assert "BLR in KAZ: not available: no source the data holds covers the imports of KAZ" in (
        section.message
    )
    assert "not known (not 0)" in section.message


def test_promising_section_is_in_every_briefing(real_lake: Lake) -> None:
    b = build_briefing(real_lake, "BLR", "KAZ", year=2021)
    assert b.section("promising").status == "ok"  # the competitor tables need no world
    ids = [s["id"] for s in b.to_dict()["sections"]]
    assert ids.index("promising") == ids.index("potential") + 1


def test_a_code_no_flow_names_has_no_potential(synthetic_lake: Lake) -> None:
    """On a complete (reconciled) year a market no flow names is not found, not "0"."""
    from bilat.errors import NotFoundError

    with pytest.raises(NotFoundError, match="XYZ appears in no flow the lake holds for 2021"):
        market_potential(synthetic_lake, "BLR", "XYZ", year=2021, level=4)
    assert market_potential(synthetic_lake, "BLR", "KAZ", year=2021, level=4).potential_usd > 0
