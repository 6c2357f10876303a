"""`progress`: an item's linked trade from a real lake, checked against pandas."""

from __future__ import annotations

import itertools
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from bilat.agenda import Agenda, progress
from bilat.codes import load_baskets
from bilat.errors import InputError
from bilat.lake import Lake
from bilat.sources.schema import DECLARATION_SCHEMA, FLOW_SCHEMA

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"
PRODUCTS = ["870110", "870191", "870120", "870790", "870829", "170199", "8701", "87"]


def _flows() -> pa.Table:
    rows = []
    pairs = [("BLR", "KAZ"), ("KAZ", "BLR"), ("BLR", "RUS")]
    for (exp, imp), product, year in itertools.product(pairs, PRODUCTS, range(2016, 2025)):
        base = (year - 2010) * 1000.0 + len(product) * 7 + int(product[-2:]) + ord(exp[0])
        if year <= 2021:
            rows.append((year, exp, imp, product, "HS17", base, None, None, "baci", "reconciled"))
        if exp == "BLR":  # mirror data, the only kind after 2021
            rows.append(
                (year, exp, imp, product, "HS17", base * 1.1, None, None, "comtrade", "importer")
            )
    cols = list(zip(*rows, strict=True))
    return pa.table({f.name: pa.array(c, f.type) for f, c in zip(FLOW_SCHEMA, cols, strict=True)})


def _declarations(flows: pa.Table) -> pa.Table:
    """The mirror rows of ``flows`` as what they are: the importers' declarations."""
    df = flows.to_pandas()
    df = df[df["basis"] == "importer"]
    out = pd.DataFrame(
        {
            "year": df["year"],
            "reporter": df["importer"],
            "partner": df["exporter"],
            "flow": "M",
            "product": df["product"],
            "hs_rev": df["hs_rev"],
            "value_usd": df["value_usd"],
            "source": "comtrade",
        }
    )
    for col in ("cif_usd", "fob_usd", "qty", "qty_unit", "net_kg"):
        out[col] = None
    return pa.Table.from_pandas(out[DECLARATION_SCHEMA.names], preserve_index=False).cast(
        DECLARATION_SCHEMA
    )


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lk = Lake.open(tmp_path_factory.mktemp("lake"), create=True)
    flows = _flows()
    reconciled = flows.filter(pc.equal(flows["basis"], "reconciled"))
    lk.ingest_arrow(reconciled, kind="flows", source="test", name="flows-test")
    lk.ingest_arrow(_declarations(flows), kind="declarations", source="comtrade", name="mirror")
    return lk


def _expected(table: pa.Table, codes: tuple[str, ...], first: int, last: int) -> pd.DataFrame:
    df = table.to_pandas()
    df = df[
        df["year"].between(first, last)
        & (df["product"].str.len() == 6)
        & df["exporter"].isin(["BLR", "KAZ"])
        & df["importer"].isin(["BLR", "KAZ"])
        & df["product"].map(lambda p: any(p.startswith(c) for c in codes))
    ]
    df = df.assign(rank=df["basis"].map({"reconciled": 0, "importer": 1, "exporter": 2}))
    best = df.groupby(["year", "exporter"])["rank"].transform("min")
    return df[df["rank"] == best].groupby(["year", "exporter"])["value_usd"].sum().reset_index()


def test_progress_matches_an_independent_sum(lake: Lake) -> None:
    with Agenda.from_case(CASE) as ag:
        result = ag.progress("mtz-tractor-cab-plant", lake, before=3, after=3)
    assert (result.first_year, result.last_year) == (2019, 2025)
    assert result.dyad == ("BLR", "KAZ")
    assert [s[0] for s in result.series] == ["tractor_cabs", "tractors"]
    assert not result.synthetic
    baskets = load_baskets()
    for name in ("tractor_cabs", "tractors"):
        exp = _expected(_flows(), baskets[name].codes, 2019, 2025)
        got = {(p.year, p.exporter): p.value_usd for p in result.points if p.series == name}
        want = {(int(r.year), r.exporter): float(r.value_usd) for r in exp.itertuples()}
        assert got.keys() == want.keys()
        for key, value in want.items():
            assert got[key] == pytest.approx(value, rel=1e-12)
    # Tractors: 870110 and 870191 only; road tractors (870120) and the 4- and 2-digit rows out.
    tractors_2020 = 2 * ((2020 - 2010) * 1000.0 + 42 + ord("B")) + 10 + 91
    assert result.value("tractors", 2020, "BLR") == pytest.approx(tractors_2020)
    # After 2021 only the mirror (importer) basis exists, and it is used.
    p2023 = [p for p in result.points if p.series == "tractors" and p.year == 2023]
    assert [(p.exporter, p.basis, p.source) for p in p2023] == [("BLR", "importer", "comtrade")]
    assert result.value("tractors", 2023, "KAZ") is None


def test_progress_on_any_ibis_table() -> None:
    class Memory:
        def flows(self) -> ibis.Table:
            return ibis.memtable(_flows().to_pandas())

    with Agenda.from_case(CASE) as ag:
        item = ag.item("sugar-supplies-resume")
    result = progress(item, Memory(), dyad=("BLR", "KAZ"), before=1, after=0)
    assert (result.first_year, result.last_year) == (2021, 2022)
    # A flows table's rows that are not reconciled are a national file to the trade view.
    assert [(p.year, p.exporter, p.basis) for p in result.points] == [
        (2021, "BLR", "reconciled"),
        (2022, "BLR", "national"),
        (2021, "KAZ", "reconciled"),
    ]
    # KAZ→BLR in 2022: no source covers it, so it is a gap with a reason, not a 0 point.
    assert [(g.year, g.exporter, g.coverage.status) for g in result.gaps] == [(2022, "KAZ", "none")]
    assert result.value("sugar", 2022, "KAZ") is None
    assert result.coverage("sugar", 2022, "KAZ") == result.gaps[0].coverage
    assert result.value("sugar", 2022, "BLR") == pytest.approx(
        ((2022 - 2010) * 1000.0 + 42 + 99 + ord("B")) * 1.1
    )


def test_progress_needs_a_link(tmp_path: Path) -> None:
    with Agenda.from_case(CASE) as ag:
        item = ag.item("food-hub-china")
    with pytest.raises(InputError, match="linked to no basket or HS code"):
        progress(item, Lake.open(tmp_path, create=True), dyad=("BLR", "KAZ"))
    with pytest.raises(InputError, match="before must be between 0 and 30"):
        progress(item, Lake.open(tmp_path, create=True), dyad=("BLR", "KAZ"), before=-1)
