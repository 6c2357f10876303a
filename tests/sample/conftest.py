"""Small synthetic worlds shared by the sample tests (generated once per session)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from bilat.sample import SampleSpec, generate_table

#: The whole world (220 countries), 60 products, three years: ~1.4 million cells a year.
SMALL = SampleSpec(
    seed=7, years=(2019, 2020, 2021), products=60, density=0.05, total_value_usd=5e11
)


@pytest.fixture(scope="session")
def small_spec() -> SampleSpec:
    return SMALL


@pytest.fixture(scope="session")
def small_table() -> pa.Table:
    return generate_table(SMALL)
