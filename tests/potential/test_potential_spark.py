"""The export-potential expression gives the same numbers on local Spark as on DuckDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
import pytest

from bilat.potential import export_potential, market_potential

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_flows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    existing = SparkSession.getActiveSession()  # another package's session: reuse, never stop
    session = existing or (
        SparkSession.builder.master("local[2]")
        .appName("bilat-potential-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    frame = pd.read_csv(
        Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "three-countries.csv",
        dtype={"product": str, "quantity_unit": str},
    )
    path = tmp_path_factory.mktemp("spark") / "flows.parquet"
    frame.to_parquet(path)
    con = ibis.pyspark.connect(session)
    yield con.read_parquet(str(path)), ibis.duckdb.connect().read_parquet(str(path))
    if existing is None:
        session.stop()


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> None:
    pd.testing.assert_frame_equal(
        a.sort_values(keys, ignore_index=True),
        b.sort_values(keys, ignore_index=True),
        check_dtype=False,
        rtol=1e-12,
    )


def test_market_potential_same_on_spark(spark_flows: tuple[Any, Any]) -> None:
    spark, duck = spark_flows
    call: Callable[[Any], Any] = lambda t: market_potential(  # noqa: E731
        t, "AAA", "BBB", year=2021, level=4, demand_growth={"1701": 0.1}, horizon=2
    )
    on_spark, on_duck = call(spark), call(duck)
    # 5-year actual over the years held (2020, 2021): 1701 999 / 2, 1704 10 / 2, 0901 0
    assert on_spark.ease == pytest.approx((1009 / 2) / (44 / 3))
    _same(on_spark.table, on_duck.table, ["product"])


def test_export_potential_same_on_spark(spark_flows: tuple[Any, Any]) -> None:
    spark, duck = spark_flows
    a = export_potential(spark, "AAA", year=2021, level=4, actual_years=1)
    b = export_potential(duck, "AAA", year=2021, level=4, actual_years=1)
    _same(a.products, b.products, ["market", "product"])
    assert list(a.markets["market"]) == ["CCC", "BBB"]
