"""The mirror gap report: causes found where they were planted; the report's identities hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from bilat.document import to_document
from bilat.errors import InputError, NotFoundError
from bilat.reconcile import reconcile
from bilat.trade.mirror import mirror_report

pytestmark = pytest.mark.shared


def _designed(syn: Any, geo: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Nearly exact background, and BLR→KAZ products with gaps of known causes."""
    base = syn.make(geo, noise=0.01)
    decl = base.declarations
    dyad_x = (decl["flow"] == "X") & (decl["reporter"] == "BLR") & (decl["partner"] == "KAZ")
    dyad_m = (decl["flow"] == "M") & (decl["reporter"] == "KAZ") & (decl["partner"] == "BLR")
    decl = decl[~(dyad_x | dyad_m)]
    true = base.truth
    margin = float(
        true[(true["exporter"] == "BLR") & (true["importer"] == "KAZ")]["margin"].iloc[0]
    )
    rows = []

    def flow(year: int, product: str, x: float | None, m_fob: float | None) -> None:
        if x is not None:
            rows.append((year, "BLR", "KAZ", "X", product, x, np.nan))
        if m_fob is not None:
            m = m_fob * (1 + margin)
            rows.append((year, "KAZ", "BLR", "M", product, m, m))

    for year in (2020, 2021):
        flow(year, "840005", 1000.0, 1000.0)  # agrees once CIF is converted to FOB
        flow(year, "840100", 1000.0, 1300.0 if year == 2020 else 700.0)  # timing
        flow(year, "840200", 1000.0, 1400.0 if year == 2020 else 1000.0)  # misclassified
        flow(year, "840201", 1000.0, 600.0 if year == 2020 else 1000.0)  # ...into this one
        flow(year, "840300", 1000.0, 2000.0)  # importer records more: re-exports
        flow(year, "840400", None, 500.0)  # only the importer declared
    cols = list(decl.columns)
    return pd.concat([decl, pd.DataFrame(rows, columns=cols)], ignore_index=True), margin


def test_report_names_the_causes(syn: Any, geo: pd.DataFrame) -> None:
    decl, margin = _designed(syn, geo)
    rep = mirror_report(decl, "blr", "KAZ", geo)
    p = rep.products[rep.products["exporter"] == "BLR"].set_index(["year", "product"])
    assert p.loc[(2020, "840005"), "causes"] == "cif/fob"
    assert p.loc[(2020, "840100"), "causes"] == "timing"
    assert p.loc[(2021, "840100"), "causes"] == "timing"
    assert p.loc[(2020, "840200"), "causes"] == "misclassification"
    assert p.loc[(2020, "840201"), "causes"] == "misclassification"
    assert p.loc[(2021, "840300"), "causes"] == "re-exports"
    assert p.loc[(2021, "840400"), "causes"] == "one-sided"
    assert p.loc[(2021, "840400"), "basis"] == "importer"
    assert p.loc[(2020, "840005"), "margin"] == pytest.approx(margin, abs=1e-3)
    assert rep.causes["re-exports"] == pytest.approx(2000.0, rel=0.01)
    assert rep.causes["one-sided"] == pytest.approx(1000.0, rel=0.01)


def _check_identities(rep_products: pd.DataFrame, totals: pd.DataFrame) -> None:
    p = rep_products
    both = p["basis"] == "reconciled"
    assert np.allclose(
        p["gap_usd"], p["imports_declared_usd"] - p["exports_declared_usd"], equal_nan=True
    )
    assert np.allclose(p["gap_usd"][both], (p["gap_cif_fob_usd"] + p["gap_other_usd"])[both])
    # one side only: no gap, so no part of one (a total's parts add up to its gap)
    assert p.loc[~both, ["gap_usd", "gap_cif_fob_usd", "gap_other_usd"]].isna().all().all()
    t = totals.dropna(subset=["gap_usd"])
    assert np.allclose(t["gap_usd"], t["gap_cif_fob_usd"] + t["gap_other_usd"])
    lo = np.minimum(p["exports_declared_usd"], p["imports_fob_usd"])[both]
    hi = np.maximum(p["exports_declared_usd"], p["imports_fob_usd"])[both]
    assert (
        (p["reconciled_usd"][both] >= lo - 1e-6) & (p["reconciled_usd"][both] <= hi + 1e-6)
    ).all()
    assert np.allclose(
        p["imports_fob_usd"], p["imports_declared_usd"] / (1 + p["margin"]), equal_nan=True
    )
    sums = p.groupby(["year", "exporter", "importer"])[["reconciled_usd", "gap_usd"]].sum(
        min_count=1
    )
    t = totals.set_index(["year", "exporter", "importer"])
    assert np.allclose(t["reconciled_usd"], sums["reconciled_usd"])
    assert (t["products"] == p.groupby(["year", "exporter", "importer"]).size()).all()


def test_report_identities_on_synthetic(geo: pd.DataFrame, noisy: Any) -> None:
    rep = mirror_report(noisy.declarations, "BLR", "KAZ", geo, level=6)
    assert set(rep.products["exporter"]) == {"BLR", "KAZ"}
    _check_identities(rep.products, rep.totals)
    assert to_document(rep)["totals"][0]["products"] == 60


def test_bad_arguments(geo: pd.DataFrame, noisy: Any) -> None:
    with pytest.raises(InputError, match="two countries"):
        mirror_report(noisy.declarations, "BLR", "blr", geo)
    with pytest.raises(InputError, match="tolerance must be positive"):
        mirror_report(noisy.declarations, "BLR", "KAZ", geo, tolerance=0)
    decl = noisy.declarations
    between = decl["reporter"].isin(["BLR", "USA"]) & decl["partner"].isin(["BLR", "USA"])
    with pytest.raises(NotFoundError, match="neither BLR nor USA declared trade"):
        mirror_report(decl[~between], "BLR", "USA", geo)


@pytest.fixture(scope="module")
def shared_lake(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from bilat.lake import Lake

    lake = Lake.open(tmp_path_factory.mktemp("mirror-lake"), create=True)
    lake.ingest_comtrade(
        [
            shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz",
            shared_data / "comtrade" / "api-response-chn-imports-2010.json",
        ]
    )
    return lake


def test_report_on_shared_comtrade_files(shared_lake, shared_data: Path, geo: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    rep = mirror_report(shared_lake.declarations(), "DEU", "BLR", geo, level=4)
    # the shared file holds EU imports only: every flow rests on the importer's declaration
    assert set(rep.products["basis"]) == {"importer"}
    assert set(rep.products["causes"]) == {"one-sided"}
    assert rep.margins.nobs == 0
    assert "flat 10% margin" in rep.notes[0]
    _check_identities(rep.products, rep.totals)
    # independent computation from the raw file: Germany's HS4 imports from Belarus, 2019
    raw = pd.read_csv(
        shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz",
        dtype={"cmdCode": str},
    )
    sel = raw[
        (raw["reporterISO"] == "DEU")
        & (raw["partnerISO"] == "BLR")
        & (raw["refYear"] == 2019)
        & (raw["cmdCode"].str.len() == 4)
    ]
    t = rep.totals.set_index(["year", "exporter", "importer"])
    assert t.loc[(2019, "BLR", "DEU"), "imports_declared_usd"] == pytest.approx(
        sel["primaryValue"].sum(), rel=1e-9
    )
    assert t.loc[(2019, "BLR", "DEU"), "reconciled_usd"] == pytest.approx(
        sel["primaryValue"].sum() / 1.1, rel=1e-9
    )


def test_reporters_in_different_revisions_are_compared_after_conversion(
    syn: Any, geo: pd.DataFrame, shared_data: Path
) -> None:
    from bilat.codes.concordance import Concordance

    conc = Concordance.from_unsd_xlsx(shared_data / "hs" / "unsd-hs2022-hs2017-correlation.xlsx")
    assert conc.links["290362"] == ("290331",)  # renumbered in HS2022, one to one
    base = syn.make(geo, noise=0.01)
    decl = base.declarations.assign(hs_rev="HS17")
    true = base.truth
    margin = float(
        true[(true["exporter"] == "BLR") & (true["importer"] == "KAZ")]["margin"].iloc[0]
    )
    extra = pd.DataFrame(
        [
            (2021, "BLR", "KAZ", "X", "290331", 1000.0, np.nan, "HS17"),
            (2021, "KAZ", "BLR", "M", "290362", 1000.0 * (1 + margin), np.nan, "HS22"),
        ],
        columns=list(decl.columns),
    )
    decl = pd.concat([decl, extra], ignore_index=True)
    raw = mirror_report(decl, "BLR", "KAZ", geo)
    raw_rows = raw.products[raw.products["product"].str.startswith("2903")]
    assert sorted(raw_rows["causes"]) == ["one-sided", "one-sided"]
    rep = mirror_report(decl, "BLR", "KAZ", geo, convert_to="HS17", concordances=[conc])
    row = rep.products[rep.products["product"].str.startswith("2903")]
    assert list(row["product"]) == ["290331"]
    assert list(row["basis"]) == ["reconciled"]
    assert list(row["causes"]) == ["cif/fob"]
    rec = reconcile(decl, geo, convert_to="HS17", concordances=[conc])
    assert set(rec.flows.column("hs_rev").to_pylist()) == {"HS17"}
    with pytest.raises(InputError, match="needs the correlation tables that reach it"):
        reconcile(decl, geo, convert_to="HS17")
