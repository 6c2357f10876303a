"""Property test: on random small worlds, bilat.trade agrees with a plain pandas computation."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.lake import Lake
from bilat.sources.schema import FLOW_SCHEMA
from bilat.trade import Dyad

COUNTRIES = ("BLR", "KAZ", "RUS", "CHN")
PRODUCTS = ("170410", "170490", "150710", "870110", "040690")
KEYS = [
    (y, e, i, p)
    for y, e, i, p in itertools.product((2019, 2020, 2021), COUNTRIES, COUNTRIES, PRODUCTS)
    if e != i
]

worlds = st.dictionaries(
    st.sampled_from(KEYS), st.integers(min_value=1, max_value=10_000), min_size=1, max_size=60
)


def _lake(world: dict[tuple[int, str, str, str], int], root: Path) -> Lake:
    rows = [(y, e, i, p, float(v)) for (y, e, i, p), v in world.items()]
    n = len(rows)
    table = pa.table(
        {
            "year": pa.array([r[0] for r in rows], pa.int16()),
            "exporter": [r[1] for r in rows],
            "importer": [r[2] for r in rows],
            "product": [r[3] for r in rows],
            "hs_rev": ["HS17"] * n,
            "value_usd": [r[4] for r in rows],
            "quantity": pa.nulls(n, pa.float64()),
            "quantity_unit": pa.nulls(n, pa.string()),
            "source": ["random"] * n,
            "basis": ["reconciled"] * n,
        },
        schema=FLOW_SCHEMA,
    )
    lake = Lake.open(root, create=True)
    lake.ingest_arrow(table, kind="flows", source="random", name="world")
    return lake


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds)
def test_agrees_with_pandas(world):
    df = pd.DataFrame(
        [(y, e, i, p, float(v)) for (y, e, i, p), v in world.items()],
        columns=["year", "exporter", "importer", "product", "value"],
    )
    with tempfile.TemporaryDirectory() as tmp:
        lake = _lake(world, Path(tmp) / "lake")
        if 2021 not in set(df.year):
            return
        dyad = Dyad(lake, "BLR", "KAZ")
        s = dyad.summary(2021)
        now = df[df.year == 2021]
        ab = now[(now.exporter == "BLR") & (now.importer == "KAZ")]
        assert s.exports_usd == pytest.approx(ab.value.sum())
        assert s.imports_usd == pytest.approx(
            now[(now.exporter == "KAZ") & (now.importer == "BLR")].value.sum()
        )
        dest = now[now.exporter == "BLR"].groupby("importer").value.sum()
        if "KAZ" in dest.index:
            assert s.standings[0].rank == int(dest.rank(ascending=False, method="min")["KAZ"])
        else:
            assert s.standings[0].rank is None
        got = dyad.products(2021, level=4, top=None).to_pandas()
        want = ab.groupby(ab["product"].str[:4]).value.sum()
        assert dict(zip(got["product"], got.value_usd, strict=True)) == pytest.approx(
            want.to_dict()
        )
        events = dyad.events(2021).to_pandas()
        v = df[(df.exporter == "BLR") & (df.importer == "KAZ")].pivot_table(
            index="product", columns="year", values="value", aggfunc="sum"
        )
        v = v.reindex(columns=[2019, 2020, 2021]).fillna(0.0)
        now_, before, back = v[2021] > 0, v[2020] > 0, v[2019] > 0
        held = set(df.year)  # a year the lake does not hold is unknown, not "not traded"
        want_ev = {}
        if 2020 in held:
            want_ev = dict.fromkeys(v.index[~now_ & before], "ceased")
            if 2019 in held:
                want_ev |= dict.fromkeys(v.index[now_ & ~before & ~back], "appeared")
                want_ev |= dict.fromkeys(v.index[now_ & ~before & back], "resumed")
        assert dict(zip(events["product"], events.event, strict=True)) == want_ev
