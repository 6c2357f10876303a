"""A lake holding only Comtrade-like declarations (tests/fixtures/trade/declarations.csv).

Belarus declares its 2021 exports to Kazakhstan (TOTAL 600; HS4 1704 420, 1507 90) but
nothing in 2022; Kazakhstan declares imports from Belarus (2021 TOTAL 650, 2022 TOTAL 700,
1704 500) and exports to Belarus (2021 140, 2022 150). Russia declares imports from Belarus
(2021 1600, 2022 1500). A World row (W00) and a re-export (RX) must not count.
"""

from __future__ import annotations

import pytest

from bilat.trade import Dyad, partners


@pytest.fixture
def dyad(decl_lake):
    return Dyad(decl_lake, "BLR", "KAZ")


def test_exporter_declaration_first_then_mirror(dyad):
    s = dyad.summary(2022)
    assert s.exports_usd == 700.0  # 2022: BLR silent, KAZ's mirror import declaration
    assert s.imports_usd == 150.0  # KAZ's own export declaration
    assert s.previous_exports_usd == 600.0  # 2021: BLR's declaration, not KAZ's 650
    assert s.previous_imports_usd == 140.0  # KAZ's X, not BLR's M 135 nor the RX 999
    assert s.exports_growth_pct == pytest.approx(100 / 6)
    assert s.provenance.bases == ("exporter", "importer")
    assert s.figure_bases == {
        "exports": "importer",
        "imports": "exporter",
        "previous_exports": "exporter",
        "previous_imports": "exporter",
    }
    basis = s.to_pandas().basis.tolist()  # exports, imports, turnover, balance
    assert basis == ["importer", "exporter", "exporter,importer", "exporter,importer"]
    assert s.provenance.level == "TOTAL"


def test_standings_leave_out_world(dyad):
    st = {(x.reporter, x.flow): x for x in dyad.summary(2022).standings}
    assert st[("BLR", "export")].rank == 2  # RUS 1500, KAZ 700
    assert st[("BLR", "export")].share_pct == pytest.approx(700 / 2200 * 100)
    assert (st[("KAZ", "import")].rank, st[("KAZ", "import")].n_partners) == (1, 1)


def test_products_choose_a_source_per_product(dyad):
    rows = dyad.products(2021, level=4).to_pandas()
    # BLR declared 1704 and 1507 to KAZ in 2021 (its own figures win over KAZ's 1704 500);
    # BLR declared no 8701, so KAZ's mirror declaration of 8701 is the only source of it
    got = dict(zip(rows["product"], rows.value_usd, strict=True))
    assert got == {"1704": 420.0, "1507": 90.0, "8701": 70.0}
    later = dyad.products(2022, level=4).to_pandas()
    assert later.growth_pct.tolist() == pytest.approx([(500 / 420 - 1) * 100])


def test_mirror_gap(dyad):
    rows = dyad.mirror(2021, 2022).to_pandas()
    assert rows.year.tolist() == [2021]  # 2022: BLR declared nothing
    assert rows.difference_usd.tolist() == [50.0]  # 650 - 600
    assert rows.ratio.tolist() == pytest.approx([650 / 600])
    detail = dyad.mirror(2021, 2021, level=4).to_pandas()
    assert detail["product"].tolist() == ["1507", "1704"]
    assert detail.difference_usd.tolist() == [5.0, 20.0]


def test_series_says_the_basis_of_each_figure(dyad):
    rows = dyad.series(2021, 2022).to_pandas()
    assert rows.exports_basis.tolist() == ["exporter", "importer"]
    assert rows.imports_basis.tolist() == ["exporter", "exporter"]


def test_partners_from_mirror(decl_lake):
    r = partners(decl_lake, "BLR", flow="export", year=2022)
    assert r.to_pandas().partner.tolist() == ["RUS", "KAZ"]
    # 2022 from mirrors; the growth column reads 2021, where BLR declared its exports to KAZ
    assert r.provenance.bases == ("exporter", "importer")


def test_flows_years_first_then_declarations_and_cache_refresh(tmp_path, lake_builders):
    lake = lake_builders["flows"](tmp_path / "lake")  # BACI-like 2019-2021
    dyad = Dyad(lake, "BLR", "KAZ")
    assert dyad.summary(2021).exports_usd == 570.0
    lake_builders["add_declarations"](lake)  # Comtrade-like 2021-2022: a new lake version
    s = Dyad(lake, "BLR", "KAZ").summary(2022)
    assert s.exports_usd == 700.0  # 2022 is not in the flows: KAZ's mirror declaration
    assert s.previous_exports_usd == 570.0  # 2021 stays with the reconciled flows, not 600
    assert s.provenance.bases == ("exporter", "importer", "reconciled")
    # 2022 from TOTAL rows, 2021 from the reconciled HS6 flows
    assert s.provenance.level == "TOTAL and HS6 summed to TOTAL (none counted twice)"
    assert s.figures["exports"].parts[0].klass == "importer"
    assert s.figures["previous_exports"].parts[0].klass == "reconciled"


def test_mirror_totals_from_hs6_only_declarations(tmp_path):
    import pyarrow as pa

    from bilat.lake import Lake
    from bilat.sources.schema import DECLARATION_SCHEMA

    rows = [  # BLR's HS6 exports to KAZ and KAZ's HS6 imports from BLR: no TOTAL rows
        (2021, "BLR", "KAZ", "X", "170410", 100.0),
        (2021, "BLR", "KAZ", "X", "870110", 300.0),
        (2021, "KAZ", "BLR", "M", "170410", 110.0),
        (2021, "KAZ", "BLR", "M", "870110", 320.0),
    ]
    n = len(rows)
    cols = dict(
        zip(
            ("year", "reporter", "partner", "flow", "product", "value_usd"),
            zip(*rows, strict=False),
            strict=False,
        )
    )
    cols |= {"hs_rev": ["HS"] * n, "source": ["fixture"] * n}
    table = pa.table(
        {f.name: cols.get(f.name, [None] * n) for f in DECLARATION_SCHEMA},
        schema=DECLARATION_SCHEMA,
    )
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(table, kind="declarations", source="fixture", name="hs6.csv")
    gap = Dyad(lake, "BLR", "KAZ").mirror(2021, 2021).to_pandas()  # default level: totals
    assert gap["product"].tolist() == ["TOTAL"]
    assert gap.exporter_declared_usd.tolist() == [400.0]
    assert gap.importer_declared_usd.tolist() == [430.0]


def test_mirror_gap_hands_back_its_ibis_expression_unexecuted(dyad):
    """``MirrorGap.expr`` composes like any Ibis table and runs to the rows' numbers."""
    from ibis import _

    gap = dyad.mirror(2021, 2022, level=4)
    rows = gap.to_pandas()
    executed = gap.expr.execute()
    assert len(rows) > 0
    assert (
        executed[["year", "product"]].values.tolist() == rows[["year", "product"]].values.tolist()
    )
    for column in ("exporter_declared_usd", "importer_declared_usd", "difference_usd", "ratio"):
        assert executed[column].tolist() == pytest.approx(rows[column].tolist(), nan_ok=True), (
            column
        )
    later = gap.expr.filter(_.year == 2022)
    assert later.count().execute() == int((rows.year == 2022).sum())
    assert "expr" not in gap.to_dict()
