"""Mirror reconciliation: known margins and noise are recovered; the report's identities hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from bilat.errors import EstimationError, InputError, NotFoundError, SchemaError
from bilat.sources.schema import FLOW_SCHEMA
from bilat.trade.mirror import GeoDist, load_geodist, mirror_pairs, mirror_report, reconcile

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def geo(shared_data: Path) -> GeoDist:
    return load_geodist(shared_data / "geo" / "dist_cepii.csv.gz")


@pytest.fixture(scope="module")
def noisy(syn: Any, geo: GeoDist) -> Any:
    return syn.make(geo)


def _joined(rec_pairs: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    return rec_pairs.merge(truth, on=syn_keys(), suffixes=("", "_true"))


def syn_keys() -> list[str]:
    return ["year", "exporter", "importer", "product"]


def test_geodist_reads_cepii(geo: GeoDist) -> None:
    t = geo.table.set_index(["exporter", "importer"])
    assert t.loc[("BLR", "POL"), "contig"] == 1
    assert t.loc[("BLR", "KAZ"), "contig"] == 0
    assert geo.path is not None
    # the figures of ../shared/data/README.md: population weighted 3,095 km, capitals 2,945 km
    for column, km in [("distw", 3095), ("distcap", 2945)]:
        other = load_geodist(geo.path, distance=column).table.set_index(["exporter", "importer"])
        assert other.loc[("BLR", "KAZ"), "dist_km"] == pytest.approx(km, abs=1)


def test_geodist_errors(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text("iso_o,iso_d,dist\nBLR,KAZ,3000\n")
    with pytest.raises(SchemaError, match="lacks column"):
        load_geodist(tmp_path / "g.csv")
    with pytest.raises(InputError, match="bilat fetch geodist"):
        load_geodist(tmp_path / "none.csv")


def test_known_margins_are_recovered(syn: Any, geo: GeoDist) -> None:
    quiet = syn.make(geo, noise=0.05)
    rec = reconcile(quiet.declarations, geo)
    m = rec.margins
    assert m.b_dist == pytest.approx(syn.B_DIST, abs=5e-4)
    assert m.b_contig == pytest.approx(syn.B_CONTIG, abs=1e-3)
    assert m.const == pytest.approx(syn.CONST, abs=5e-3)
    joined = _joined(rec.pairs, quiet.truth)
    assert (joined["margin"] - joined["margin_true"]).abs().max() < 5e-4


def test_margins_and_noise_recovered_under_realistic_noise(
    syn: Any, geo: GeoDist, noisy: Any
) -> None:
    rec = reconcile(noisy.declarations, geo)
    joined = _joined(rec.pairs, noisy.truth)
    assert (joined["margin"] - joined["margin_true"]).abs().max() < 0.005
    assert rec.identified
    rel = rec.reliability.set_index("country")
    true = pd.Series({c: s**2 for c, s in syn.SIGMA.items()})
    noisy_countries = true[true >= 0.01].index
    err = (rel.loc[noisy_countries, "variance"] / true[noisy_countries] - 1).abs()
    assert err.max() < 0.2
    assert rel["variance"].rank().corr(true.rank()) > 0.95


def test_reconciled_values_beat_either_declaration(geo: GeoDist, noisy: Any) -> None:
    rec = reconcile(noisy.declarations, geo)
    j = _joined(rec.pairs, noisy.truth)
    err = {
        name: float((np.log(j[col] / j["value_usd_true"]) ** 2).mean())
        for name, col in [("rec", "value_usd"), ("x", "x_usd"), ("m", "m_fob_usd")]
    }
    assert err["rec"] < 0.5 * min(err["x"], err["m"])
    # the weight goes to the more reliable side: DEU (σ 0.03) exporting to ESP (σ 0.40)
    deu_esp = rec.pairs[(rec.pairs["exporter"] == "DEU") & (rec.pairs["importer"] == "ESP")]
    assert deu_esp["w_exporter"].min() > 0.95


def test_flows_table_and_one_sided_bases(geo: GeoDist, noisy: Any) -> None:
    decl = noisy.declarations
    drop_x = (decl["flow"] == "X") & (decl["reporter"] == "BLR") & (decl["partner"] == "KAZ")
    drop_m = (decl["flow"] == "M") & (decl["reporter"] == "BLR") & (decl["partner"] == "KAZ")
    rec = reconcile(decl[~drop_x & ~drop_m], geo)
    assert rec.flows.schema == FLOW_SCHEMA
    flows = rec.flows.to_pandas()
    blr_kaz = flows[(flows["exporter"] == "BLR") & (flows["importer"] == "KAZ")]
    kaz_blr = flows[(flows["exporter"] == "KAZ") & (flows["importer"] == "BLR")]
    assert set(blr_kaz["basis"]) == {"importer"}
    assert set(kaz_blr["basis"]) == {"exporter"}
    p = rec.pairs
    only_m = p[p["basis"] == "importer"]
    assert np.allclose(only_m["value_usd"], only_m["m_cif_usd"] / (1 + only_m["margin"]))
    only_x = p[p["basis"] == "exporter"]
    assert np.allclose(only_x["value_usd"], only_x["x_usd"])
    assert (flows["basis"] == "reconciled").sum() == len(p) - len(only_m) - len(only_x)


def _designed(syn: Any, geo: GeoDist) -> tuple[pd.DataFrame, float]:
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


def test_report_names_the_causes(syn: Any, geo: GeoDist) -> None:
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


def test_report_identities_on_synthetic(geo: GeoDist, noisy: Any) -> None:
    rep = mirror_report(noisy.declarations, "BLR", "KAZ", geo, level=6)
    assert set(rep.products["exporter"]) == {"BLR", "KAZ"}
    _check_identities(rep.products, rep.totals)
    assert rep.to_dict()["totals"][0]["products"] == 60


def test_bad_arguments(geo: GeoDist, noisy: Any) -> None:
    with pytest.raises(InputError, match="two countries"):
        mirror_report(noisy.declarations, "BLR", "blr", geo)
    with pytest.raises(InputError, match="level must be 0"):
        mirror_pairs(noisy.declarations, level=3)
    with pytest.raises(NotFoundError, match="no X or M declarations at HS level 4"):
        mirror_pairs(noisy.declarations, level=4)
    one_sided = noisy.declarations[noisy.declarations["flow"] == "M"]
    with pytest.raises(EstimationError, match="cannot fit CIF/FOB margins"):
        reconcile(one_sided, geo, default_margin=None)


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


def test_report_on_shared_comtrade_files(shared_lake, shared_data: Path, geo: GeoDist) -> None:  # type: ignore[no-untyped-def]
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


def test_reconciled_flows_ingest_into_the_lake(geo: GeoDist, noisy: Any, tmp_path: Path) -> None:
    from bilat.lake import Lake

    rec = reconcile(pa.Table.from_pandas(noisy.declarations, preserve_index=False), geo)
    lake = Lake.open(tmp_path / "lake", create=True)
    report = lake.ingest_arrow(
        rec.flows, kind="flows", source="mirror", name="reconciled", synthetic=True
    )
    assert report.rows == rec.flows.num_rows
    assert lake.flows().count().to_pyarrow().as_py() == rec.flows.num_rows


def test_reporters_in_different_revisions_are_compared_after_conversion(
    syn: Any, geo: GeoDist, shared_data: Path
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
    with pytest.raises(InputError, match="needs a correlation table"):
        reconcile(decl, geo, convert_to="HS17")
