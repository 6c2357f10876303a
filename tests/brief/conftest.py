"""Briefings for the brief tests: a small synthetic world and a hand-made real-looking lake."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from bilat.brief import Briefing, BriefingFiles, build_briefing, write_briefing
from bilat.lake import Lake
from bilat.sample import SampleSpec, build_sample_lake
from bilat.sample.spec import BASKET_CODES
from bilat.sources.schema import FLOW_SCHEMA

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"

#: Seven countries, 2017-2022, 300 products plus every basket code: generated in a second.
SMALL = SampleSpec(
    seed=11,
    years=tuple(range(2017, 2023)),
    countries=("BLR", "CHN", "DEU", "KAZ", "POL", "RUS", "UZB"),
    products=300,
    required_products=BASKET_CODES,
)


@pytest.fixture(scope="session")
def synthetic_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = Lake.open(tmp_path_factory.mktemp("small-world") / "lake", create=True)
    build_sample_lake(lake, SMALL)
    return lake


@pytest.fixture(scope="session")
def briefing(synthetic_lake: Lake) -> Briefing:
    return build_briefing(synthetic_lake, "BLR", "KAZ", year=2021, case=CASE, as_of="2023-01-01")


@pytest.fixture(scope="session")
def written(briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> BriefingFiles:
    return write_briefing(briefing, tmp_path_factory.mktemp("brief-out"))


def handmade_flows() -> pa.Table:
    """BLR–KAZ 2020-2021 with known totals: 2021 turnover 1,250 M, 2020 1,000 M."""
    rows = [
        (2020, "BLR", "KAZ", "170410", 100e6),
        (2020, "BLR", "KAZ", "870110", 500e6),
        (2020, "KAZ", "BLR", "270900", 400e6),
        (2021, "BLR", "KAZ", "170410", 250e6),
        (2021, "BLR", "KAZ", "870110", 600e6),
        (2021, "KAZ", "BLR", "270900", 400e6),
        (2021, "BLR", "RUS", "870110", 9000e6),
    ]
    n = len(rows)
    return pa.table(
        {
            "year": [r[0] for r in rows],
            "exporter": [r[1] for r in rows],
            "importer": [r[2] for r in rows],
            "product": [r[3] for r in rows],
            "hs_rev": ["HS17"] * n,
            "value_usd": [r[4] for r in rows],
            "quantity": [None] * n,
            "quantity_unit": [None] * n,
            "source": ["handmade"] * n,
            "basis": ["reconciled"] * n,
        },
        schema=FLOW_SCHEMA,
    )


@pytest.fixture(scope="session")
def real_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    home = tmp_path_factory.mktemp("real-home")
    lake = Lake.open(home / "lake", create=True)
    lake.ingest_arrow(handmade_flows(), kind="flows", source="handmade", name="handmade.csv")
    return lake
