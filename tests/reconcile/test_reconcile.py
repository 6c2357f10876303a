"""Mirror reconciliation (the BACI method): known margins and noise are recovered."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from bilat.errors import EstimationError, InputError, NotFoundError
from bilat.reconcile import fit_margins, mirror_pairs, reconcile, with_distances
from bilat.sources.schema import FLOW_SCHEMA

pytestmark = pytest.mark.shared

KEYS = ["year", "exporter", "importer", "product"]


def _joined(rec_pairs: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    return rec_pairs.merge(truth, on=KEYS, suffixes=("", "_true"))


def test_known_margins_are_recovered(syn: Any, geo: pd.DataFrame) -> None:
    quiet = syn.make(geo, noise=0.05)
    rec = reconcile(quiet.declarations, geo)
    m = rec.margins
    assert m.b_dist == pytest.approx(syn.B_DIST, abs=5e-4)
    assert m.b_contig == pytest.approx(syn.B_CONTIG, abs=1e-3)
    assert m.const == pytest.approx(syn.CONST, abs=5e-3)
    joined = _joined(rec.pairs, quiet.truth)
    assert (joined["margin"] - joined["margin_true"]).abs().max() < 5e-4


def test_margins_and_noise_recovered_under_realistic_noise(
    syn: Any, geo: pd.DataFrame, noisy: Any
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


def test_reconciled_values_beat_either_declaration(geo: pd.DataFrame, noisy: Any) -> None:
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


def test_flows_table_and_one_sided_bases(geo: pd.DataFrame, noisy: Any) -> None:
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


def test_bad_arguments(geo: pd.DataFrame, noisy: Any) -> None:
    with pytest.raises(InputError, match="level must be 0"):
        mirror_pairs(noisy.declarations, level=3)
    with pytest.raises(NotFoundError, match="no X or M declarations at HS level 4"):
        mirror_pairs(noisy.declarations, level=4)
    one_sided = noisy.declarations[noisy.declarations["flow"] == "M"]
    with pytest.raises(EstimationError, match="cannot fit CIF/FOB margins"):
        reconcile(one_sided, geo, default_margin=None)
    with pytest.raises(InputError, match="max_margin must be"):
        reconcile(noisy.declarations, geo, trim=1.0)
    with pytest.raises(
        InputError, match="distance must be one of distw, dist, distcap, distwces, not 'miles'"
    ):
        reconcile(noisy.declarations, geo, distance="miles")  # type: ignore[arg-type]


def test_one_sided_data_take_the_flat_default_margin(geo: pd.DataFrame, noisy: Any) -> None:
    one_sided = noisy.declarations[noisy.declarations["flow"] == "M"]
    rec = reconcile(one_sided, geo, default_margin=0.08)
    assert rec.margins.nobs == 0
    assert set(rec.pairs["basis"]) == {"importer"}
    assert np.allclose(rec.pairs["margin"], 0.08)
    assert np.allclose(rec.pairs["value_usd"], rec.pairs["m_cif_usd"] / 1.08)


def test_the_distance_measure_is_chosen(geo: pd.DataFrame, noisy: Any) -> None:
    pairs = mirror_pairs(noisy.declarations)
    by_city = with_distances(pairs, geo).set_index(KEYS)
    by_capital = with_distances(pairs, geo, distance="distcap").set_index(KEYS)
    key = (2021, "BLR", "KAZ", by_city.loc[(2021, "BLR", "KAZ")].index[0])
    assert by_capital.loc[key, "dist_km"] == pytest.approx(2945, abs=1)
    assert by_city.loc[key, "dist_km"] != by_capital.loc[key, "dist_km"]
    # the model fitted on the capitals' distances is a different, still sensible, one
    m = fit_margins(by_capital.reset_index())
    assert 0 < m.b_dist < 0.02
