"""Promising products: each row checked against pandas computations (SYNTHETIC world)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bilat.errors import InputError, NotFoundError
from bilat.potential.complexity import complexity
from bilat.potential.promising import promising_products


def flows(seed: int = 0) -> pd.DataFrame:
    """SYNTHETIC bilateral flows: 15 countries, 40 products, two years."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2016, 2021):
        for e in range(15):
            for i in range(15):
                for p in range(40):
                    if e != i and rng.random() < 0.4:
                        rows.append(
                            (year, f"C{e:02d}", f"C{i:02d}", f"{2000 + p}", rng.lognormal(8, 2))
                        )
    return pd.DataFrame(rows, columns=["year", "exporter", "importer", "product", "value_usd"])


def test_rows_are_what_they_say():
    f = flows()
    pp = promising_products(f, "C01", "C02", year=2021, top=50)
    cx = complexity(f, year=2021)
    cells = cx.cells("C01")
    absent = cells[cells["mcp"] == 0]
    assert pp.density_floor == pytest.approx(np.quantile(absent["density"], 0.75))
    t = pp.table
    assert len(t) == pp.n_candidates > 0
    assert (t["a_rca"] < 1).all() and (t["density"] >= pp.density_floor).all()
    imp = f[(f["importer"] == "C02")].groupby(["year", "product"])["value_usd"].sum()
    from_a = f[(f["importer"] == "C02") & (f["exporter"] == "C01") & (f["year"] == 2021)]
    from_a = from_a.groupby("product")["value_usd"].sum()
    for r in t.itertuples():
        assert r.b_imports_usd == pytest.approx(imp[(2021, r.product)])
        assert r.a_exports_to_b_usd == pytest.approx(from_a.get(r.product, 0.0))
        if (2016, r.product) in imp.index:
            assert r.b_import_growth == pytest.approx(
                (imp[(2021, r.product)] / imp[(2016, r.product)]) ** 0.2 - 1
            )
    assert list(t["b_imports_usd"]) == sorted(t["b_imports_usd"], reverse=True)
    expected = set(absent[absent["density"] >= pp.density_floor]["product"]) & set(imp[2021].index)
    assert set(t["product"]) == expected
    assert pp.base_year == 2016 and len(pp.to_dict(top=3)["products"]) == 3


def test_sort_and_errors():
    f = flows(1)
    by_cog = promising_products(f, "C03", "C04", year=2021, sort="cog").table
    assert list(by_cog["cog"]) == sorted(by_cog["cog"], reverse=True)
    with pytest.raises(InputError, match="sort"):
        promising_products(f, "C03", "C04", year=2021, sort="value")
    with pytest.raises(InputError, match="both"):
        promising_products(f, "C03", "C03", year=2021)
    with pytest.raises(InputError, match="density_quantile"):
        promising_products(f, "C03", "C04", year=2021, density_quantile=1.5)
    with pytest.raises(NotFoundError, match="imports of ZZZ"):
        promising_products(f, "C03", "ZZZ", year=2021)
