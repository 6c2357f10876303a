"""Hand-made lakes where the founding case's claims are supported, contradicted, undetermined."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pytest

from bilat.lake import Lake
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA

M = 1_000_000.0

Flow = tuple[int, str, str, str, float]  # year, exporter, importer, product (HS6), value_usd


def flows(rows: Iterable[Flow], *, basis: str = "reconciled") -> pa.Table:
    rs = list(rows)
    return pa.table(
        {
            "year": [r[0] for r in rs],
            "exporter": [r[1] for r in rs],
            "importer": [r[2] for r in rs],
            "product": [r[3] for r in rs],
            "hs_rev": ["HS17"] * len(rs),
            "value_usd": [r[4] for r in rs],
            "quantity": [None] * len(rs),
            "quantity_unit": [None] * len(rs),
            "source": ["handmade"] * len(rs),
            "basis": [basis] * len(rs),
        },
        schema=FLOW_SCHEMA,
    )


def declarations(rows: Iterable[tuple[int, str, str, str, str, float]]) -> pa.Table:
    """Rows: year, reporter, partner, flow (X/M), product, value_usd."""
    rs = list(rows)
    n = len(rs)
    return pa.table(
        {
            "year": [r[0] for r in rs],
            "reporter": [r[1] for r in rs],
            "partner": [r[2] for r in rs],
            "flow": [r[3] for r in rs],
            "product": [r[4] for r in rs],
            "hs_rev": ["HS17"] * n,
            "value_usd": [r[5] for r in rs],
            "cif_usd": [None] * n,
            "fob_usd": [None] * n,
            "qty": [None] * n,
            "qty_unit": [None] * n,
            "net_kg": [None] * n,
            "source": ["handmade"] * n,
        },
        schema=DECLARATION_SCHEMA,
    )


def world(scale_2021: float, sugar_2022: float, rivals: int) -> list[Flow]:
    """BLR–KAZ trade 2020-2022 and BLR's exports to ``rivals`` larger partners.

    2020: turnover 900 M (confectionery 10 M, vegetable oils 1 M, no sugar).
    2021: every BLR–KAZ value of 2020 times ``scale_2021``, confectionery x2.5 and
    vegetable oils x8 on top when ``scale_2021`` > 1.
    """
    up = scale_2021 > 1
    rows: list[Flow] = [
        (2020, "BLR", "KAZ", "170410", 10 * M),
        (2020, "BLR", "KAZ", "150790", 1 * M),
        (2020, "BLR", "KAZ", "870110", 589 * M),
        (2020, "KAZ", "BLR", "270900", 300 * M),
        (2021, "BLR", "KAZ", "170410", (25 if up else 12.5) * M),
        (2021, "BLR", "KAZ", "150790", (8 if up else 4) * M),
        (2021, "KAZ", "BLR", "270900", 300 * M * scale_2021),
        (2022, "BLR", "KAZ", "870110", 700 * M),
        (2022, "KAZ", "BLR", "270900", 300 * M),
    ]
    rest = 900 * M * scale_2021 - rows[4][4] - rows[5][4] - rows[6][4]
    rows.append((2021, "BLR", "KAZ", "870110", rest))
    if sugar_2022:
        rows.append((2022, "BLR", "KAZ", "170199", sugar_2022))
    others = ["RUS", "UKR", "POL", "LTU", "DEU", "CHN", "NLD"][:rivals]
    rows += [(y, "BLR", c, "310420", 5000 * M) for y in (2020, 2021, 2022) for c in others]
    return rows


def _lake(root: Path, table: pa.Table, name: str) -> Lake:
    lake = Lake.open(root, create=True)
    lake.ingest_arrow(table, kind="flows", source="handmade", name=name)
    return lake


@pytest.fixture(scope="session")
def supported_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Turnover 1.2 bn (+33.3 %), KAZ 2nd destination, x2.5, x8, sugar back in 2022."""
    rows = world(1.2e9 / 900e6, sugar_2022=5 * M, rivals=1)
    home = tmp_path_factory.mktemp("supported")
    return _lake(home / "lake", flows(rows), "supported.csv")


@pytest.fixture(scope="session")
def contradicted_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Turnover 0.6 bn (-33.3 %), KAZ 8th destination, x1.25, x4, no sugar in 2022."""
    rows = world(600e6 / 900e6, sugar_2022=0.0, rivals=7)
    return _lake(tmp_path_factory.mktemp("contradicted"), flows(rows), "contradicted.csv")


@pytest.fixture(scope="session")
def undetermined_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """2020: no BLR–KAZ trade; 2021: only Kazakhstan's import declarations; sugar both years.

    Growth has nothing to compare with, the baskets are empty in 2020, turnover and rank
    rest only on the mirror, and sugar never stopped.
    """
    lake = Lake.open(tmp_path_factory.mktemp("undetermined"), create=True)
    base = [(2020, "KAZ", "RUS", "270900", 50 * M), (2020, "BLR", "RUS", "310420", 70 * M)]
    later = [(2022, "BLR", "KAZ", "170199", 3 * M), (2022, "BLR", "KAZ", "870110", 900 * M)]
    lake.ingest_arrow(flows(base + later), kind="flows", source="handmade", name="2020-2022.csv")
    mirror = [
        (2021, "KAZ", "BLR", "M", "170410", 25 * M),
        (2021, "KAZ", "BLR", "M", "150790", 8 * M),
        (2021, "KAZ", "BLR", "M", "170199", 2 * M),
        (2021, "KAZ", "BLR", "M", "870110", 1500 * M),
    ]
    lake.ingest_arrow(
        declarations(mirror), kind="declarations", source="handmade", name="kaz-2021.csv"
    )
    return lake


@pytest.fixture
def empty_lake(tmp_path: Path) -> Lake:
    return _lake(tmp_path / "empty", flows([(2015, "BLR", "RUS", "310420", 1.0)]), "2015.csv")
