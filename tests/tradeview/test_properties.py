"""Properties of the trade view on random partial, mixed lakes.

1. Adding a file never changes a flow it does not cover: every pair the new file has no row
   for keeps its totals, its HS6 table and its coverage exactly.
2. A figure's coverage is "none" exactly when no source the lake holds has a row for that
   pair and year.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.lake import Lake
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA
from bilat.tradeview import TradeView

COUNTRIES = ("BLR", "KAZ", "RUS", "DEU")
CODES = ("TOTAL", "17", "1704", "170410", "170490", "1507", "150710", "8701", "870110")
YEARS = (2020, 2021)

decl_keys = st.tuples(
    st.sampled_from(YEARS),
    st.sampled_from(COUNTRIES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(("X", "M")),
    st.sampled_from(CODES),
)
flow_keys = st.tuples(
    st.sampled_from(YEARS),
    st.sampled_from(COUNTRIES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(CODES[1:]),
)
values = st.integers(min_value=1, max_value=10_000)


def _declarations(rows: dict[tuple[int, str, str, str, str], int]) -> pa.Table:
    items = [(k, v) for k, v in rows.items() if k[1] != k[2]]
    n = len(items)
    cols = {
        "year": pa.array([k[0] for k, _ in items], pa.int16()),
        "reporter": [k[1] for k, _ in items],
        "partner": [k[2] for k, _ in items],
        "flow": [k[3] for k, _ in items],
        "product": [k[4] for k, _ in items],
        "hs_rev": ["HS"] * n,
        "value_usd": [float(v) for _, v in items],
        "source": ["comtrade"] * n,
    }
    return pa.table(
        {f.name: cols.get(f.name, pa.nulls(n, f.type)) for f in DECLARATION_SCHEMA},
        schema=DECLARATION_SCHEMA,
    )


def _national(rows: dict[tuple[int, str, str, str], int]) -> pa.Table:
    items = [(k, v) for k, v in rows.items() if k[1] != k[2]]
    n = len(items)
    cols = {
        "year": pa.array([k[0] for k, _ in items], pa.int16()),
        "exporter": [k[1] for k, _ in items],
        "importer": [k[2] for k, _ in items],
        "product": [k[3] for k, _ in items],
        "hs_rev": ["HS"] * n,
        "value_usd": [float(v) for _, v in items],
        "source": ["csv:national"] * n,
        "basis": ["exporter"] * n,
    }
    return pa.table(
        {f.name: cols.get(f.name, pa.nulls(n, f.type)) for f in FLOW_SCHEMA}, schema=FLOW_SCHEMA
    )


def _pairs() -> list[tuple[str, str]]:
    return [(e, i) for e, i in itertools.product(COUNTRIES, COUNTRIES) if e != i]


def _snapshot(view: TradeView, pairs: list[tuple[str, str]]) -> dict[object, object]:
    out: dict[object, object] = {}
    years = view.years()
    if not years:
        return out
    for level in (0, 6):
        frame = view.frame(years, members=COUNTRIES, level=level, by_product=True)
        for e, i in pairs:
            rows = frame[(frame.exporter == e) & (frame.importer == i)]
            got = rows.groupby(["year", "product"]).value_usd.sum().round(6).to_dict()
            out[(level, e, i)] = got
    for y, (e, i) in itertools.product(years, pairs):
        out[("coverage", y, e, i)] = view.coverage(y, [e], [i])
    return out


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    base=st.dictionaries(decl_keys, values, min_size=1, max_size=25),
    added=st.dictionaries(flow_keys, values, min_size=1, max_size=6),
)
def test_adding_a_file_never_changes_a_flow_it_does_not_cover(base, added) -> None:
    national = _national(added)
    if national.num_rows == 0:
        return
    touched = {(e, i) for (_, e, i, _) in added if e != i}
    untouched = [p for p in _pairs() if p not in touched]
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake.open(Path(tmp) / "lake", create=True)
        decl = _declarations(base)
        if decl.num_rows == 0:
            return
        lake.ingest_arrow(decl, kind="declarations", source="comtrade", name="base")
        before = _snapshot(TradeView(lake), untouched)
        lake.ingest_arrow(national, kind="flows", source="csv:national", name="added")
        after = _snapshot(TradeView(lake), untouched)
    assert before.keys() <= after.keys()
    for key, value in before.items():
        assert after[key] == value, key


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(base=st.dictionaries(decl_keys, values, min_size=1, max_size=25))
def test_coverage_is_none_exactly_when_no_source_holds_the_pair(base) -> None:
    decl = _declarations(base)
    if decl.num_rows == 0:
        return
    held = {
        (y, r, p) if f == "X" else (y, p, r) for (y, r, p, f, _) in base if r != p
    }  # (year, exporter, importer)
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake.open(Path(tmp) / "lake", create=True)
        lake.ingest_arrow(decl, kind="declarations", source="comtrade", name="base")
        view = TradeView(lake)
        for y, (e, i) in itertools.product(YEARS, _pairs()):
            cov = view.coverage(y, [e], [i])
            assert (cov.status == "none") == ((y, e, i) not in held), (y, e, i, cov)
            if cov.status == "none":
                frame = view.frame(YEARS, members=COUNTRIES, level=0)
                rows = frame[(frame.year == y) & (frame.exporter == e) & (frame.importer == i)]
                assert rows.empty
