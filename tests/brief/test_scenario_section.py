"""The briefing's scenario section: computed on a synthetic lake, no number without a
baseline on a real one, the case's scenarios file checked with its lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat.brief.scenario_section import BASELINE_ENV, scenario_section
from bilat.errors import ValidationError
from bilat.potential import run_scenario
from bilat.potential.ge_case import load_scenarios

CASE = Path(__file__).resolve().parents[2] / "src" / "bilat" / "cases" / "blr-kaz-2022"


def test_section_on_the_synthetic_lake(briefing) -> None:  # type: ignore[no-untyped-def]
    s = briefing.section("scenario")
    assert s.status == "ok"
    rows = {r["scenario"]: r for r in s.tables[0].rows}
    eaeu = rows["The EAEU customs union between Belarus and Kazakhstan removed"]
    assert eaeu["ab"] < 0 and eaeu["ba"] < 0  # an agreement removed: less trade both ways
    assert s.sources[0].startswith("SYNTHETIC DATA")
    assert any(n.startswith("Method: full-endowment") and "σ = 5" in n for n in s.notes)
    assert [f.unit for f in s.figures] == ["pct"] * 4


def test_section_equals_the_library_on_the_same_baseline(synthetic_lake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bilat.potential import panel_from_flows
    from bilat.sample.ge import synthetic_ge_baseline

    frame = synthetic_ge_baseline(
        panel_from_flows(synthetic_lake, years=[2021], level=2), year=2021
    )
    path = tmp_path / "baseline.csv"
    frame.to_csv(path, index=False)
    s = scenario_section(synthetic_lake, CASE, "BLR", "KAZ", 2021, baseline=path)
    assert s.status == "ok" and not s.sources[0].startswith("SYNTHETIC")
    spec = load_scenarios(CASE)
    r = run_scenario(path, coefficients=spec.coefficients, changes=["rta=0@BLR~KAZ"], sigma=5)
    row = s.tables[0].rows[0]
    assert row["ab"] == pytest.approx(r.pair("BLR", "KAZ").change_pct, rel=1e-12)
    assert row["welfare_b"] == pytest.approx(r.country("KAZ").welfare_change_pct, rel=1e-12)


def test_machinery_share_weighs_the_cost(synthetic_lake) -> None:  # type: ignore[no-untyped-def]
    from bilat.trade import Dyad

    s = scenario_section(synthetic_lake, CASE, "BLR", "KAZ", 2021)
    note = next(n for n in s.notes if "HS 84, 85" in n)
    got = Dyad(synthetic_lake, "BLR", "KAZ").products(2021, level=2, top=None, flow="export")
    rows = got.to_pandas()
    share = rows[rows["product"].isin(["84", "85"])]["value_usd"].sum() / got.total_usd
    from bilat.formats import share as share_text

    assert share_text(100 * share) in note
    tariff = s.tables[0].rows[1]
    # in partial equilibrium the flow falls by the share-weighted cost: GE is close to it
    pe = 100 * ((1 - share) + share * 1.1**-4 - 1)
    assert tariff["ab"] == pytest.approx(pe, rel=0.2, abs=1e-9)


def test_no_baseline_on_a_real_lake_says_what_to_supply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class RealLake:
        is_synthetic = False

    monkeypatch.delenv(BASELINE_ENV, raising=False)
    s = scenario_section(RealLake(), CASE, "BLR", "KAZ", 2021)
    assert s.status == "no_data"
    assert "--ge-baseline FILE" in (s.message or "") and "ge-baseline.csv" in (s.message or "")
    assert s.figures == () and s.tables == ()
    none = scenario_section(RealLake(), None, "BLR", "KAZ", 2021)
    assert none.status == "no_data"


def test_a_baseline_path_that_does_not_exist_is_an_error(synthetic_lake, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bilat.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        scenario_section(synthetic_lake, CASE, "BLR", "KAZ", 2021, baseline=tmp_path / "nope.csv")


def test_small_changes_keep_two_significant_digits() -> None:
    from bilat.formats import value

    assert [value(v, "pct") for v in (31.23, -0.0536, -0.012, 0.0)] == [
        "+31.2%", "-0.054%", "-0.012%", "+0.0%"]  # fmt: skip


def test_a_baseline_without_the_dyad_is_no_data(tmp_path: Path) -> None:
    class RealLake:
        is_synthetic = False

    codes = ["DEU", "FRA", "ITA"]
    rows = [{"exporter": a, "importer": b, "trade": 10.0 if a != b else 100.0,
             "dist": 500.0, "cntg": 0.0, "intl_brdr": float(a != b), "rta": 0.0}
            for a in codes for b in codes]  # fmt: skip
    path = tmp_path / "b.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    s = scenario_section(RealLake(), CASE, "BLR", "KAZ", 2021, baseline=path)
    assert s.status == "no_data"
    assert "holds no BLR and no KAZ" in (s.message or "") and path.name in (s.message or "")


def test_scenarios_file_errors_name_the_line(tmp_path: Path) -> None:
    good = (CASE / "scenarios.yaml").read_text()
    bad = tmp_path / "scenarios.yaml"
    bad.write_text(good.replace('changes: ["rta=0@BLR~KAZ"]', 'changes: ["rta=0@BLRKAZ"]'))
    with pytest.raises(ValidationError) as exc:
        load_scenarios(tmp_path)
    line = next(k for k, t in enumerate(bad.read_text().splitlines(), 1) if "BLRKAZ" in t)
    assert exc.value.line == line and "cannot read the pair" in exc.value.message
    bad.write_text(good.replace("sigma: 5", "sigma: 1"))
    with pytest.raises(ValidationError, match="sigma must be a number above 1"):
        load_scenarios(bad)
    bad.write_text(good.replace("model: full", "modle: full"))
    with pytest.raises(ValidationError, match="unknown key 'modle'"):
        load_scenarios(bad)
    bad.write_text(good.replace('products: ["84", "85"]', 'products: ["84", "8501"]'))
    with pytest.raises(ValidationError, match="one level"):
        load_scenarios(bad)


def test_synthetic_baseline_is_square_and_labelled(synthetic_lake) -> None:  # type: ignore[no-untyped-def]
    from bilat.potential import panel_from_flows
    from bilat.sample.ge import synthetic_ge_baseline

    flows = panel_from_flows(synthetic_lake, years=[2021], level=2)
    frame = synthetic_ge_baseline(flows, year=2021)
    n = frame["exporter"].nunique()
    assert len(frame) == n * n and frame.attrs["synthetic"] is True
    home = frame[frame["exporter"] == frame["importer"]]
    assert (home["trade"] > 0).all() and (home["intl_brdr"] == 0).all()
    pair = frame[(frame["exporter"] == "BLR") & (frame["importer"] == "KAZ")].iloc[0]
    assert pair["rta"] == 1.0 and pair["intl_brdr"] == 1.0
    # international trade is the lake's, unchanged
    merged = flows[flows["exporter"] != flows["importer"]].merge(frame, on=["exporter", "importer"])
    np.testing.assert_allclose(merged["trade_x"], merged["trade_y"])
