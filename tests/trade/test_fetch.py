"""TradeView.fetch: a query's result kept per lake version, equal to executing it."""

from __future__ import annotations

from pathlib import Path

from bilat.tradeview import TradeView

from .conftest import flows_table, make_flows_lake


def _total(view: TradeView) -> object:
    c = view.candidates()
    return c.group_by("year").aggregate(v=c.value_usd.sum()).order_by("year")


def test_fetch_equals_execute_and_returns_copies(tmp_path: Path) -> None:
    lake = make_flows_lake(tmp_path / "lake")
    view = TradeView(lake)
    expr = _total(view)
    got = view.fetch(expr)
    assert got.equals(expr.execute())
    got.loc[:, "v"] = -1.0  # a caller changing its copy does not change the kept result
    again = view.fetch(_total(TradeView(lake)))  # an equal expression from another view
    assert again.equals(expr.execute())
    assert int(view.fetch(view.candidates().count())) == flows_table().num_rows


def test_fetch_forgets_results_when_the_lake_changes(tmp_path: Path) -> None:
    import pyarrow.compute as pc

    lake = make_flows_lake(tmp_path / "lake")
    view = TradeView(lake)
    version = str(lake.version)
    before = view.fetch(_total(view))
    more = flows_table()
    year = more.schema.field("year")
    later = pc.cast(pc.add(more["year"], 10), year.type)  # new flows, ten years on
    more = more.set_column(more.schema.get_field_index("year"), year, later)
    lake.ingest_arrow(more, kind="flows", source="fixture", name="later.csv")
    assert str(lake.version) != version
    after = view.fetch(_total(view))
    assert after.equals(_total(view).execute())
    assert not after.equals(before)
