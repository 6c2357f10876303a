"""Lakes for the trade tests: hand-made fixtures (tests/fixtures/trade) and a local Spark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pc
import pytest

from bilat.lake import Lake
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trade"


def _read(name: str) -> pa.Table:
    opts = pc.ConvertOptions(column_types={"product": pa.string(), "year": pa.int16()})
    return pc.read_csv(FIXTURES / name, convert_options=opts)


def _complete(table: pa.Table, schema: pa.Schema, fill: dict[str, str]) -> pa.Table:
    n = table.num_rows
    cols = {}
    for f in schema:
        if f.name in table.column_names:
            cols[f.name] = table.column(f.name).cast(f.type)
        elif f.name in fill:
            cols[f.name] = pa.array([fill[f.name]] * n, f.type)
        else:
            cols[f.name] = pa.nulls(n, f.type)
    return pa.table(cols, schema=schema)


def flows_table() -> pa.Table:
    """``flows.csv`` in FLOW_SCHEMA (BACI-like: basis reconciled, HS17)."""
    fill = {"hs_rev": "HS17", "source": "fixture", "basis": "reconciled"}
    return _complete(_read("flows.csv"), FLOW_SCHEMA, fill)


def declarations_table() -> pa.Table:
    """``declarations.csv`` in DECLARATION_SCHEMA (Comtrade-like)."""
    return _complete(
        _read("declarations.csv"), DECLARATION_SCHEMA, {"hs_rev": "HS", "source": "fixture"}
    )


def make_flows_lake(root: Path, backend: Any = None) -> Lake:
    lake = Lake.open(root, backend=backend, create=True)
    lake.ingest_arrow(flows_table(), kind="flows", source="fixture", name="flows.csv")
    return lake


def make_declarations_lake(root: Path, backend: Any = None) -> Lake:
    lake = Lake.open(root, backend=backend, create=True)
    lake.ingest_arrow(
        declarations_table(), kind="declarations", source="fixture", name="declarations.csv"
    )
    return lake


@pytest.fixture(scope="session")
def flows_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return make_flows_lake(tmp_path_factory.mktemp("flows-lake"))


@pytest.fixture(scope="session")
def decl_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return make_declarations_lake(tmp_path_factory.mktemp("decl-lake"))


#: The EU's 27 members since 1 February 2020, written out here as an independent reference
#: (not read from bilat's own group table).
EU27_MEMBERS = frozenset(
    [
        "AUT",
        "BEL",
        "BGR",
        "CYP",
        "CZE",
        "DEU",
        "DNK",
        "ESP",
        "EST",
        "FIN",
        "FRA",
        "GRC",
        "HRV",
        "HUN",
        "IRL",
        "ITA",
        "LTU",
        "LUX",
        "LVA",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "SWE",
    ]
)


@pytest.fixture(scope="session")
def eu27() -> frozenset[str]:
    return EU27_MEMBERS


@pytest.fixture(scope="session")
def eu_raw(shared_data: Path) -> Any:
    """The raw EU27 forestry file as pandas (codes and partners stripped of blanks)."""
    import pandas as pd

    df = pd.read_csv(
        shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz",
        dtype={"cmdCode": str, "partnerISO": str, "reporterISO": str},
    )
    df["partnerISO"] = df["partnerISO"].str.strip()
    df["cmdCode"] = df["cmdCode"].str.strip()
    return df


@pytest.fixture(scope="session")
def eu_lake(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The real EU27 forestry imports file, ingested through the Comtrade reader."""
    lake = Lake.open(tmp_path_factory.mktemp("eu-lake"), create=True)
    lake.ingest_comtrade(shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz")
    return lake


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A small local SparkSession (2 cores, few shuffle partitions, no UI)."""
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    del pyspark
    session = (
        SparkSession.builder.master("local[2]")
        .appName("bilat-trade-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def lake_builders() -> dict[str, Any]:
    """Functions that build fixture lakes and tables, for tests that need their own lake."""
    return {
        "flows": make_flows_lake,
        "declarations": make_declarations_lake,
        "flows_table": flows_table,
        "add_declarations": lambda lake: lake.ingest_arrow(
            declarations_table(), kind="declarations", source="fixture", name="declarations.csv"
        ),
    }


@pytest.fixture(scope="session")
def spark_backend(spark: Any) -> Any:
    import ibis

    return ibis.pyspark.connect(spark)


@pytest.fixture(scope="session")
def spark_lakes(spark_backend: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lake]:
    """The fixture lakes (and the real EU file where present) on local Spark and on DuckDB."""
    out: dict[str, Lake] = {}
    for name, build in (("flows", make_flows_lake), ("declarations", make_declarations_lake)):
        duck = build(tmp_path_factory.mktemp(f"spark-{name}"))
        out[f"duckdb-{name}"] = duck
        out[f"spark-{name}"] = Lake.open(duck.root, backend=spark_backend)
    return out
