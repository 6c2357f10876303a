"""Fixtures: the synthetic declarations (``syn``), real GeoDist (``geo``), a noisy world."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from tests.reconcile.synthetic import namespace

from bilat.sources.geodist import read_geodist


@pytest.fixture(scope="session")
def syn() -> SimpleNamespace:
    """The generator and its true parameters: ``syn.make(geo)``, ``syn.B_DIST``, ``syn.SIGMA``."""
    return namespace()


@pytest.fixture(scope="session")
def geo(shared_data: Path) -> pd.DataFrame:
    """CEPII GeoDist, the real file."""
    return read_geodist(shared_data / "geo" / "dist_cepii.csv.gz")


@pytest.fixture(scope="session")
def noisy(syn: Any, geo: pd.DataFrame) -> Any:
    """Every ordered pair of twelve countries, 60 products, two years, realistic noise."""
    return syn.make(geo)
