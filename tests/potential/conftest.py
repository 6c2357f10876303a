"""Fixtures for the potential tests: the textbook panel, a lake with a three-country world."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from bilat.sources.schema import FLOW_SCHEMA

AGTPA = "gravity/agtpa-applications-1986-2006.csv.gz"
THREE = Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "three-countries.csv"
#: fixest's ``trade`` data (EU15 imports by product 2007-2016; see the fixtures README).
FIXEST_TRADE = THREE.with_name("fixest-trade.csv.gz")


@pytest.fixture(scope="session")
def agtpa_path(shared_data: Path) -> Path:
    return shared_data / AGTPA


@pytest.fixture(scope="session")
def textbook_fit(agtpa_path: Path):  # type: ignore[no-untyped-def]
    """Yotov et al. (2016) Chapter 1 Application 1, PPML with the Stata convention."""
    from bilat.potential import estimate, read_panel

    panel = read_panel(agtpa_path)
    return estimate(panel, years=range(1986, 2007, 4), small_sample="stata")


@pytest.fixture(scope="session")
def fixest_trade() -> pd.DataFrame:
    """fixest's ``trade`` data as read from the fixture (do not modify: copy first)."""
    return pd.read_csv(FIXEST_TRADE)


@pytest.fixture
def three_lake(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real lake (Parquet + DuckDB) holding the three-country fixture."""
    from bilat.lake import Lake

    lake = Lake.open(tmp_path / "lake", create=True)
    frame = read_three_countries()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    lake.ingest_arrow(
        table.select(FLOW_SCHEMA.names).cast(FLOW_SCHEMA),
        kind="flows",
        source="TEST",
        name="three-countries",
    )
    return lake


def read_three_countries() -> pd.DataFrame:
    return pd.read_csv(THREE, dtype={"product": str, "quantity_unit": str})


BETA = {"ln_dist": -0.9, "cntg": 0.4, "eaeu": 0.25}


def make_world(
    n: int = 14, years: tuple[int, ...] = (2019, 2020, 2021), seed: int = 7
) -> pd.DataFrame:
    """Panel ``exporter, importer, year, trade, dist, cntg, eaeu`` (international pairs)."""
    rng = np.random.default_rng(seed)
    codes = [f"C{i:02d}" for i in range(n)]
    xy = rng.uniform(0, 50, size=(n, 2))
    members = set(codes[:4])
    rows = []
    for t in years:
        a = rng.normal(0, 1, n)
        b = rng.normal(0, 1, n)
        for i, ci in enumerate(codes):
            for j, cj in enumerate(codes):
                if i == j:
                    continue
                dist = float(np.hypot(*(xy[i] - xy[j]))) + 1.0
                cntg = float(dist < 12)
                eaeu = float(ci in members and cj in members)
                eta = (
                    a[i]
                    + b[j]
                    + BETA["ln_dist"] * np.log(dist)
                    + BETA["cntg"] * cntg
                    + BETA["eaeu"] * eaeu
                    + 8
                )
                rows.append((ci, cj, t, float(np.exp(eta)), dist, cntg, eaeu))
    return pd.DataFrame(
        rows, columns=["exporter", "importer", "year", "trade", "dist", "cntg", "eaeu"]
    )


@pytest.fixture(name="world")
def _world() -> Callable[..., pd.DataFrame]:
    """The gravity-world generator (call it: ``world()``)."""
    return make_world


@pytest.fixture(name="beta")
def _beta() -> dict[str, float]:
    """The coefficients the gravity world was generated with."""
    return dict(BETA)


@pytest.fixture(name="three_countries_frame")
def _three() -> Callable[[], pd.DataFrame]:
    """Reader of the three-country flows fixture (call it)."""
    return read_three_countries


@pytest.fixture
def world_lake(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A lake of the gravity world (two HS6 products), its GeoDist-format file, an EAEU file."""
    from bilat.lake import Lake

    panel = make_world()
    halves = []
    for product in ("010121", "170410"):
        halves.append(
            pd.DataFrame(
                {
                    "year": panel["year"],
                    "exporter": panel["exporter"],
                    "importer": panel["importer"],
                    "product": product,
                    "hs_rev": "HS17",
                    "value_usd": panel["trade"] / 2,
                    "quantity": None,
                    "quantity_unit": None,
                    "source": "TEST",
                    "basis": "reconciled",
                }
            )
        )
    flows = pa.Table.from_pandas(pd.concat(halves), preserve_index=False).cast(FLOW_SCHEMA)
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(flows, kind="flows", source="TEST", name="world")
    pairs = panel.drop_duplicates(["exporter", "importer"])
    geo = pd.DataFrame(
        {
            "iso_o": pairs["exporter"],
            "iso_d": pairs["importer"],
            "contig": pairs["cntg"],
            "comlang_off": 0,
            "colony": 0,
            "dist": pairs["dist"] * 2,
            "distw": pairs["dist"],
        }
    )
    geo_path = tmp_path / "geo.csv"
    geo.to_csv(geo_path, index=False)
    eaeu_path = tmp_path / "eaeu.csv"
    pairs.query("eaeu == 1")[["exporter", "importer", "eaeu"]].to_csv(eaeu_path, index=False)
    return tmp_path / "lake", geo_path, eaeu_path
