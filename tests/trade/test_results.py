"""Results convert to plain data, pandas, Arrow, HTML and Altair charts."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest

from bilat.trade import Dyad, partners


@pytest.fixture(scope="module")
def results(flows_lake):
    dyad = Dyad(flows_lake, "BLR", "KAZ")
    return {
        "summary": dyad.summary(2021),
        "series": dyad.series(2019, 2021),
        "products": dyad.products(2021),
        "baskets": dyad.baskets(2020, 2021),
        "events": dyad.events(2021),
        "partners": partners(flows_lake, "BLR", year=2021),
        "concentration": dyad.concentration(2021),
        "rca": dyad.rca(2021),
        "complementarity": dyad.complementarity(2021),
        "intensity": dyad.intensity(2021),
        "mirror": dyad.mirror(2020, 2021),
    }


def test_every_result_converts(results):
    for name, result in results.items():
        data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
        assert data["provenance"]["level"], name
        assert isinstance(result.to_arrow(), pa.Table), name
        assert isinstance(result.to_pandas(), pd.DataFrame), name
        assert "<table" in result._repr_html_(), name
        if name != "mirror":  # the fixture lake holds no declarations to compare
            assert "Sources: flows.csv" in result._repr_html_(), name


def test_summary_table_and_json(results):
    frame = results["summary"].to_pandas()
    assert frame.measure.tolist() == ["exports", "imports", "turnover", "balance"]
    data = results["summary"].to_dict()
    assert data["exports_usd"] == 570.0
    assert data["standings"][0]["rank"] == 3
    assert data["provenance"]["bases"] == ["reconciled"]


def test_products_arrow_schema(results):
    schema = results["products"].to_arrow().schema
    assert schema.names == [
        "rank",
        "product",
        "description",
        "value_usd",
        "share_pct",
        "previous_usd",
        "growth_pct",
        "quantity",
        "quantity_unit",
        "unit_value_usd",
    ]
    assert schema.field("value_usd").type == pa.float64()
    assert schema.field("quantity_unit").type == pa.string()


@pytest.mark.parametrize("name", ["series", "products", "baskets", "partners"])
def test_charts(results, name):
    chart = results[name].chart()
    assert isinstance(chart, alt.TopLevelMixin)
    spec = chart.to_dict()
    assert spec["title"] == results[name].title()
    assert spec["data"] or spec["datasets"]


def test_synthetic_banner(tmp_path, lake_builders):
    from bilat.lake import Lake

    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(
        lake_builders["flows_table"](), kind="flows", source="sample", name="gen", synthetic=True
    )
    result = Dyad(lake, "BLR", "KAZ").summary(2021)
    assert result.provenance.synthetic is True
    assert result.provenance.text().startswith("SYNTHETIC DATA")


def test_rca_hands_back_its_ibis_expression_unexecuted(results):
    """``RcaResult.expr`` composes like any Ibis table and runs to the rows' numbers."""
    from ibis import _

    rca = results["rca"]
    assert "expr" not in rca.to_dict()
    executed = rca.expr.execute()
    rows = rca.to_pandas()
    assert executed["product"].tolist() == rows["product"].tolist()
    for column in ("exports_usd", "share_pct", "world_share_pct", "rca"):
        assert executed[column].tolist() == pytest.approx(rows[column].tolist()), column
    above = rca.expr.filter(_.rca > 1)
    assert above.count().execute() == rca.n_advantage
    assert set(above.to_pyarrow().column("product").to_pylist()) == set(
        rows.loc[rows.rca > 1, "product"]
    )
