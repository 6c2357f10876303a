"""The same calls give the same numbers on DuckDB and on Spark (Ibis' pyspark backend).

A representative set: summary (windows, unions, arrays), products, baskets (conditional
sums), events (cases), partners of a group, concentration, RCA, complementarity, intensity,
and the declaration path (anti-join mirror rule, mirror gaps).
"""

from __future__ import annotations

import math

import pytest

from bilat.trade import Dyad, partners

pytestmark = pytest.mark.spark


def _same(left, right) -> None:
    a, b = left.to_dict(), right.to_dict()
    _close(a, b, path="")


def _close(a, b, path: str) -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            if k != "sources":  # same entries; the paths are the same files
                _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), path
    else:
        assert a == b, path


CALLS = {
    "summary": lambda d: d.summary(2021),
    "series": lambda d: d.series(2019, 2021),
    "products": lambda d: d.products(2021, level=4),
    "baskets": lambda d: d.baskets(2020, 2021),
    "events": lambda d: d.events(2021),
    "concentration": lambda d: d.concentration(2021),
    "rca": lambda d: d.rca(2021, level=4),
    "complementarity": lambda d: d.complementarity(2021, level=4),
    "intensity": lambda d: d.intensity(2021),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_flows_same_on_spark(spark_lakes, name):
    duck = CALLS[name](Dyad(spark_lakes["duckdb-flows"], "BLR", "KAZ"))
    spark = CALLS[name](Dyad(spark_lakes["spark-flows"], "BLR", "KAZ"))
    _same(duck, spark)


def test_group_partners_same_on_spark(spark_lakes):
    def call(lake):
        return partners(
            lake, ["KAZ", "RUS"], flow="import", year=2021, level=4, products="87", intra=True
        )

    duck, spark = call(spark_lakes["duckdb-flows"]), call(spark_lakes["spark-flows"])
    _same(duck, spark)
    assert spark.to_pandas().partner.tolist() == ["RUS", "BLR"]


@pytest.mark.parametrize(
    "call",
    [
        lambda d: d.summary(2022),
        lambda d: d.products(2021, level=4),
        lambda d: d.mirror(2021, 2022, level=4),
    ],
    ids=["summary", "products", "mirror"],
)
def test_declarations_same_on_spark(spark_lakes, call):
    duck = call(Dyad(spark_lakes["duckdb-declarations"], "BLR", "KAZ"))
    spark = call(Dyad(spark_lakes["spark-declarations"], "BLR", "KAZ"))
    _same(duck, spark)


def test_spark_numbers_are_the_hand_numbers(spark_lakes):
    s = Dyad(spark_lakes["spark-declarations"], "BLR", "KAZ").summary(2022)
    assert (s.exports_usd, s.imports_usd) == (700.0, 150.0)
    assert s.provenance.bases == ("exporter", "importer")
