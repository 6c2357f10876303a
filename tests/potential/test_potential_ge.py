"""GE scenarios: gegravity's published CAN–JPN experiment and the package itself, the
textbook's "trade without borders" (Yotov et al. 2016, ch. 2), the model's identities,
inputs and errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat.errors import EstimationError, InputError, SchemaError, ValidationError
from bilat.potential import estimate, read_panel, run_scenario
from bilat.potential.ge import solve, solve_resistances
from bilat.potential.ge_inputs import parse_change, parse_columns, read_coefficients

SAMPLE = "gravity/gegravity-sample-2006.csv"

# gegravity's README: the cost coefficients (ppmlhdfe on the sample), var, beta, stderr.
GEGRAVITY_COEFFICIENTS = [
    ("lndist", -0.3898623, 0.0729915),
    ("contiguity", 0.891577, 0.1327354),
    ("common_language", 0.0326249, 0.0840702),
    ("pta", 0.4711383, 0.1076578),
    ("international", -3.412584, 0.2151235),
    ("constant", 16.32434, 0.4844137),
]
CAN_JPN = "pta=1@CAN-JPN,JPN-CAN"

# gegravity 0.3 documentation (src/gegravity/__init__.py, "Access and Export Results"): the
# first rows of country_results of the CAN–JPN PTA experiment (sigma 5, reference DEU).
# Columns: factory-gate price, OMR, IMR, GDP, welfare statistic, terms of trade, output,
# expenditure, foreign exports, foreign imports, intranational trade (changes in percent).
PUBLISHED_COLUMNS = (
    "factory_gate_price_change_pct", "omr_change_pct", "imr_change_pct", "gdp_change_pct",
    "welfare_statistic", "terms_of_trade_change_pct", "output_change_pct",
    "expenditure_change_pct", "foreign_exports_change_pct", "foreign_imports_change_pct",
    "intranational_trade_change_pct",
)  # fmt: skip
PUBLISHED = {
    "AUS": (0.004143, -0.004143, 0.011249, -0.007106, 1.000071, -0.007106, 0.004143,
            0.004143, -0.087678, -0.033760, 0.019940),
    "AUT": (-0.002774, 0.002775, 0.002405, -0.005179, 1.000052, -0.005179, -0.002774,
            -0.002774, -0.034691, -0.026447, -0.001602),
    "BEL": (-0.002052, 0.002052, 0.000357, -0.002409, 1.000024, -0.002409, -0.002052,
            -0.002052, -0.037698, -0.030564, -0.011239),
    "BRA": (-0.005588, 0.005588, -0.000092, -0.005496, 1.000055, -0.005496, -0.005588,
            -0.005588, -0.080228, -0.066497, -0.005961),
    "CAN": (-0.135770, 0.135955, -0.551724, 0.418261, 0.995835, 0.418261, -0.135770,
            -0.135770, 1.573180, 1.504744, -1.939006),
}  # fmt: skip
# ... and the first rows of bilateral_trade_results: baseline modelled, experiment, change %.
PUBLISHED_PAIRS = {
    ("AUS", "AUS"): (218129.130005, 218172.625325, 0.019940),
    ("AUS", "AUT"): (666.648700, 666.499697, -0.022351),
    ("AUS", "BEL"): (1532.878160, 1532.421087, -0.029818),
    ("AUS", "BRA"): (2747.265374, 2746.299784, -0.035147),
    ("AUS", "CAN"): (2847.023843, 2780.118420, -2.350013),
}


@pytest.fixture(scope="module")
def sample_path(shared_data: Path) -> Path:
    return shared_data / SAMPLE


@pytest.fixture(scope="module")
def can_jpn(sample_path: Path):  # type: ignore[no-untyped-def]
    return run_scenario(sample_path, coefficients=GEGRAVITY_COEFFICIENTS, changes=CAN_JPN,
                        sigma=5, reference_importer="DEU", model="gegravity")  # fmt: skip


@pytest.mark.shared
@pytest.mark.parametrize("country", list(PUBLISHED))
def test_gegravity_published_country_results(can_jpn, country: str) -> None:  # type: ignore[no-untyped-def]
    got = can_jpn.country(country)
    for column, value in zip(PUBLISHED_COLUMNS, PUBLISHED[country], strict=True):
        # printed to 6 decimals by a solver run to 1e-8: agree to the last printed digit
        assert getattr(got, column) == pytest.approx(value, abs=1.5e-6), column


@pytest.mark.shared
def test_gegravity_published_pairs(can_jpn) -> None:  # type: ignore[no-untyped-def]
    for (a, b), (base, cf, change) in PUBLISHED_PAIRS.items():
        p = can_jpn.pair(a, b)
        assert p.trade_baseline == pytest.approx(base, rel=1e-7)
        assert p.trade_counterfactual == pytest.approx(cf, rel=1e-7)
        assert p.change_pct == pytest.approx(change, abs=1.5e-6)


def _gegravity_reference(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same experiment through the gegravity package (a dev extra), solved tightly."""
    import warnings

    import gegravity as ge

    data = pd.read_csv(path)
    data["constant"] = 1
    baseline = ge.BaselineData(data, imp_var_name="importer", exp_var_name="exporter",
                               year_var_name="year", trade_var_name="trade",
                               expend_var_name="E", output_var_name="Y")  # fmt: skip
    ests = pd.DataFrame(GEGRAVITY_COEFFICIENTS, columns=["var", "beta", "stderr"])
    coeffs = ge.CostCoeffs(estimates=ests, identifier_col="var", coeff_col="beta",
                           stderr_col="stderr")  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ge.OneSectorGE(baseline, cost_coeff_values=coeffs,
                               cost_variables=list(ests["var"]), year="2006",
                               reference_importer="DEU", sigma=5, quiet=True)  # fmt: skip
        model.build_baseline(omr_rescale=1, mr_tolerance=1e-13, mr_max_iter=100_000)
        exp = model.baseline_data.copy()
        exp.loc[(exp["importer"] == "CAN") & (exp["exporter"] == "JPN"), "pta"] = 1
        exp.loc[(exp["importer"] == "JPN") & (exp["exporter"] == "CAN"), "pta"] = 1
        model.define_experiment(exp)
        model.simulate(ge_tolerance=1e-13, ge_max_iter=100_000)
    return model.country_results, model.bilateral_trade_results


GEGRAVITY_NAMES = {
    "factory gate price change (percent)": "factory_gate_price_change_pct",
    "omr change (percent)": "omr_change_pct",
    "imr change (percent)": "imr_change_pct",
    "GDP change (percent)": "gdp_change_pct",
    "welfare statistic": "welfare_statistic",
    "terms of trade change (percent)": "terms_of_trade_change_pct",
    "output change (percent)": "output_change_pct",
    "expenditure change (percent)": "expenditure_change_pct",
    "foreign exports change (percent)": "foreign_exports_change_pct",
    "foreign imports change (percent)": "foreign_imports_change_pct",
    "intranational trade change (percent)": "intranational_trade_change_pct",
    "baseline modeled trade": "trade_baseline",
    "experiment trade": "trade_counterfactual",
    "trade change (percent)": "change_pct",
}


@pytest.mark.shared
@pytest.mark.slow
def test_every_figure_matches_the_gegravity_package(can_jpn, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    countries, pairs = _gegravity_reference(sample_path)
    ours_c, ours_p = can_jpn.countries_frame(), can_jpn.pairs_frame()
    assert sorted(countries.index) == sorted(ours_c.index)
    assert len(pairs) == len(ours_p) == 900
    for frame, ours in ((countries, ours_c), (pairs, ours_p)):
        for col in frame.columns:
            theirs = frame[col].to_numpy(dtype="float64")
            mine = ours.loc[frame.index, GEGRAVITY_NAMES[col]].to_numpy(dtype="float64")
            np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-12, err_msg=col)


# Yotov, Piermartini, Monteiro & Larch (2016), ch. 2, application 1 "Trade without borders":
# the book's Stata log (ppml, 2006, exporter and importer fixed effects, domestic flows) and
# its result files (Results/1_TradeWithoutBorder_FULL_PROD.dta and _FULL_CONS.dta, as
# shipped with the tradepolicy R package): per country, the conditional change in the outward
# and inward resistance (percent) and the full-endowment change in factory-gate prices.
BOOK_COEFFICIENTS = {"ln_dist": -0.7912879, "cntg": 0.6736456, "intl_brdr": -2.47445}
BOOK = {  # country: (OMR conditional %, IMR conditional %, factory-gate price, full %)
    "ARG": (-25.1194, -11.462421, 32.2765),
    "CAN": (-25.782537, -14.965979, 32.5845),
    "DEU": (-19.469989, 0.0, 24.3132),
    "JPN": (-18.383167, 9.009405, 22.8062),
    "USA": (-8.52503, -0.210977, 11.1409),
    "HKG": (3.453006, -15.71357, -0.4981),
    "NER": (-30.569638, -17.721139, 41.1112),
}


@pytest.fixture(scope="module")
def without_borders(shared_data: Path):  # type: ignore[no-untyped-def]
    panel = read_panel(shared_data / "gravity/agtpa-applications-1986-2006.csv.gz")
    panel = panel[panel["year"] == 2006].copy()
    panel["intl_brdr"] = (panel["exporter"] != panel["importer"]).astype(float)
    fit = estimate(panel, terms=["ln_dist", "cntg", "intl_brdr"], domestic=True,
                   small_sample="stata")  # fmt: skip
    result = run_scenario(panel, coefficients=fit, changes="intl_brdr=0@*-*", sigma=7,
                          reference_importer="DEU")  # fmt: skip
    return fit, result


@pytest.mark.shared
def test_textbook_borders_coefficients(without_borders) -> None:  # type: ignore[no-untyped-def]
    fit, _ = without_borders
    for term, value in BOOK_COEFFICIENTS.items():
        assert fit.coefficient(term).estimate == pytest.approx(value, abs=5e-7)


@pytest.mark.shared
@pytest.mark.parametrize("country", list(BOOK))
def test_textbook_borders_conditional_and_full(without_borders, country: str) -> None:  # type: ignore[no-untyped-def]
    _, result = without_borders
    omr, imr, price = BOOK[country]
    c = result.country(country)
    omr_c = 100 * (c.omr_conditional / c.omr_baseline - 1)
    imr_c = 100 * (c.imr_conditional / c.imr_baseline - 1)
    # the conditional equilibrium is exact in both: agree to the book's printed digits
    assert omr_c == pytest.approx(omr, abs=2e-5)
    assert imr_c == pytest.approx(imr, abs=2e-5)
    # the book stops its full-endowment iteration when prices move by less than 0.01
    # between rounds (its do-file); ours runs to 1e-10, so agree to within that 1 %
    assert c.factory_gate_price_change_pct == pytest.approx(price, abs=1.0)


@pytest.mark.shared
def test_textbook_borders_whole_table_within_the_books_criterion(without_borders) -> None:  # type: ignore[no-untyped-def]
    _, result = without_borders
    assert len(result.countries) == 69
    assert result.changes[0].pairs_changed == 69 * 68  # every international pair, no domestic
    prices = np.array([c.factory_gate_price_change_pct for c in result.countries])
    assert (prices > -5).all() and np.median(prices) > 20  # removing borders raises prices


# ------------------------------------------------------------------ identities (synthetic)


def _world(n: int = 6, seed: int = 3) -> pd.DataFrame:
    """A labelled synthetic world: n countries, every pair, domestic flows, two cost variables."""
    rng = np.random.default_rng(seed)
    codes = [f"C{k:02d}" for k in range(n)]
    lon = rng.uniform(0, 50, n)
    rows = []
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            dist = 1.0 + abs(lon[i] - lon[j]) if i != j else 0.5
            rows.append({"exporter": a, "importer": b, "dist": dist,
                         "border": float(i != j), "fta": float(abs(i - j) == 1),
                         "trade": float(rng.uniform(10, 100) * (20 if i == j else 1))})  # fmt: skip
    return pd.DataFrame(rows)


COEFS = {"ln_dist": -0.8, "border": -2.0, "fta": 0.5}


def test_full_endowment_clears_markets() -> None:
    r = run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00~C03", sigma=5,
                     reference_importer="C01")  # fmt: skip
    pairs = r.pairs_frame()
    cf = pairs["trade_counterfactual"].unstack()
    out = {c.country: c.output_baseline * (1 + c.output_change_pct / 100) for c in r.countries}
    exp = {c.country: c.expenditure_baseline * (1 + c.expenditure_change_pct / 100)
           for c in r.countries}  # fmt: skip
    for code in out:
        assert cf.loc[:, code].sum() == pytest.approx(exp[code], rel=1e-9)  # imports = E'
    # outputs are the sums of trade here, so the world is balanced: exports = Y' too
    for code in out:
        assert cf.loc[code, :].sum() == pytest.approx(out[code], rel=1e-9)
    assert sum(exp.values()) == pytest.approx(sum(out.values()), rel=1e-12)
    assert not any("world expenditure is" in c for c in r.caveats)
    assert r.country("C01").imr_counterfactual == pytest.approx(1.0)  # the numeraire


def test_baseline_reproduces_observed_totals_and_no_change_changes_nothing() -> None:
    world = _world()
    r = run_scenario(world, coefficients=COEFS, changes="fta=0@C00-C00", sigma=4)
    pairs = r.pairs_frame()
    base = pairs["trade_baseline"].unstack()
    observed = world.pivot(index="exporter", columns="importer", values="trade")
    np.testing.assert_allclose(base.sum(axis=1), observed.sum(axis=1), rtol=1e-9)
    np.testing.assert_allclose(base.sum(axis=0), observed.sum(axis=0), rtol=1e-9)
    assert r.changes[0].pairs_changed == 0
    assert np.abs(pairs["change_pct"]).max() < 1e-8
    assert all(abs(c.gdp_change_pct) < 1e-8 for c in r.countries)


def test_caveats_say_what_holds_in_each_model() -> None:
    world = _world()
    world["E"] = world.groupby("importer")["trade"].transform("sum") * 0.99
    world["Y"] = world.groupby("exporter")["trade"].transform("sum")
    full = run_scenario(world, coefficients=COEFS, changes="fta=1@C00~C03", sigma=5)
    geg = run_scenario(world, coefficients=COEFS, changes="fta=1@C00~C03", sigma=5,
                       model="gegravity")  # fmt: skip
    assert any("1.0% below its world output" in c for c in full.caveats)
    assert not any("world output" in c and "below" in c for c in geg.caveats)
    assert any("adds up exactly to neither" in c for c in geg.caveats)
    assert all(any("nominal" in c for c in r.caveats) for r in (full, geg))
    c = full.country("C00")
    assert c.imr_conditional_change_pct == pytest.approx(
        100 * (c.imr_conditional / c.imr_baseline - 1)
    )
    assert c.omr_conditional_change_pct == pytest.approx(
        100 * (c.omr_conditional / c.omr_baseline - 1)
    )


def test_gegravity_prices_are_the_inverse_outward_change() -> None:
    r = run_scenario(_world(), coefficients=COEFS, changes="border*=0.5@C02-*", sigma=6,
                     model="gegravity")  # fmt: skip
    for c in r.countries:
        assert 1 + c.factory_gate_price_change_pct / 100 == pytest.approx(
            c.omr_baseline / c.omr_counterfactual, rel=1e-10
        )
        assert c.omr_counterfactual == pytest.approx(c.omr_conditional, rel=1e-12)


def test_ad_valorem_equals_the_same_cost_through_a_variable() -> None:
    world = _world()
    sigma, rate = 5.0, 0.10
    a = run_scenario(world, coefficients=COEFS, changes="ad_valorem=0.1@C01-C04", sigma=sigma)
    # the same change in t^(1-σ) written as a change in log distance
    step = (1 - sigma) * math.log1p(rate) / COEFS["ln_dist"]
    w = world.copy()
    w["ln_d"] = np.log(w["dist"])
    b = run_scenario(w, coefficients={"ln_d": -0.8, "border": -2.0, "fta": 0.5},
                     changes=f"ln_d+={step!r}@C01-C04", sigma=sigma)  # fmt: skip
    assert a.pair("C01", "C04").cost_change_pct == pytest.approx(100 * (1.1**-4 - 1))
    for x, y in zip(a.countries, b.countries, strict=True):
        assert x.gdp_change_pct == pytest.approx(y.gdp_change_pct, rel=1e-9, abs=1e-12)


def test_solver_reports_and_resistances_solve_their_equations() -> None:
    rng = np.random.default_rng(0)
    t = rng.uniform(0.1, 2.0, (8, 8))
    y, e = rng.dirichlet(np.ones(8)), rng.dirichlet(np.ones(8))
    mr = solve_resistances(t, y, e, 2)
    assert mr.inward[2] == 1.0
    np.testing.assert_allclose(mr.outward * (t @ (e * mr.inward)), 1.0, rtol=1e-12)
    np.testing.assert_allclose(mr.inward * (t.T @ (y * mr.outward)), 1.0, rtol=1e-10)
    assert mr.report.converged and mr.report.residual < 1e-10
    with pytest.raises(EstimationError, match="did not converge"):
        solve_resistances(t, y, e, 2, max_iter=2)


def test_monte_carlo_is_reproducible_and_brackets_the_estimate() -> None:
    coefs = [("ln_dist", -0.8, 0.1), ("border", -2.0, 0.3), ("fta", 0.5, 0.1)]
    kw = {"coefficients": coefs, "changes": "fta=1@C00~C03", "sigma": 5, "draws": 40}
    a = run_scenario(_world(), seed=1, **kw)  # type: ignore[arg-type]
    b = run_scenario(_world(), seed=1, **kw)  # type: ignore[arg-type]
    assert a.intervals == b.intervals and a.draws == 40 and a.draws_failed == 0
    iv = {(i.subject, i.measure): i for i in a.intervals}
    gdp = iv[("C00", "gdp_change_pct")]
    assert gdp.low < a.country("C00").gdp_change_pct < gdp.high
    assert ("C00-C03", "trade_change_pct") in iv and ("C03-C00", "trade_change_pct") in iv
    c = run_scenario(_world(), seed=2, **kw)  # type: ignore[arg-type]
    assert c.intervals != a.intervals
    with pytest.raises(InputError, match="standard errors"):
        run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00-C01", sigma=5, draws=5)


def test_covariance_draws(tmp_path: Path) -> None:
    names = ["ln_dist", "border", "fta"]
    cov = pd.DataFrame(np.diag([0.01, 0.09, 0.01]), index=names, columns=names)
    cov.index.name = "var"
    path = tmp_path / "cov.csv"
    cov.reset_index().to_csv(path, index=False)
    r = run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00~C03", sigma=5,
                     draws=10, covariance=path)  # fmt: skip
    assert r.draws == 10 and len(r.intervals) > 0
    bad = cov.copy()
    bad.iloc[0, 1] = 0.5
    with pytest.raises(ValidationError, match="not symmetric"):
        run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00-C01", sigma=5,
                     draws=3, covariance=bad)  # fmt: skip
    bad.iloc[1, 0] = 0.5  # symmetric now, but no distribution has it
    with pytest.raises(ValidationError, match="not positive semi-definite"):
        run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00-C01", sigma=5,
                     draws=3, covariance=bad)  # fmt: skip
    with pytest.raises(InputError, match="only by Monte Carlo draws"):
        run_scenario(_world(), coefficients=COEFS, changes="fta=1@C00-C01", sigma=5,
                     covariance=path)  # fmt: skip


# --------------------------------------------------------------------------- inputs


def test_parse_change_forms() -> None:
    c = parse_change("pta=1@CAN-JPN,JPN-CAN")
    assert (c.var, c.operator, c.value, c.pairs) == (
        "pta",
        "=",
        1.0,
        (("CAN", "JPN"), ("JPN", "CAN")),
    )
    assert parse_change("rta=0@blr~kaz").pairs == (("BLR", "KAZ"), ("KAZ", "BLR"))
    assert parse_change("border+=-1@*-KAZ").operator == "+="
    for bad in (
        "pta@CAN-JPN",
        "pta=x@CAN-JPN",
        "pta=1@CAN/JPN",
        "pta=1",
        "ad_valorem=-2@A1A-B1B",
    ):
        with pytest.raises(InputError):
            parse_change(bad)


def test_parse_columns() -> None:
    assert parse_columns("exporter=iso_o, importer=iso_d") == {"exporter": "iso_o",
                                                                "importer": "iso_d"}  # fmt: skip
    with pytest.raises(InputError, match="ROLE=COLUMN"):
        parse_columns("exporter")


def test_coefficients_from_files(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("var,beta,stderr\nlndist,-0.39,0.07\nconstant,16.3,\n")
    got = read_coefficients(csv)
    assert got[0].var == "lndist" and got[0].stderr == 0.07 and got[1].stderr is None
    js = tmp_path / "g.json"
    js.write_text('{"coefficients": [{"term": "pta", "estimate": 0.47, "std_error": 0.1}]}')
    assert read_coefficients(js)[0].beta == 0.47
    bad = tmp_path / "bad.csv"
    bad.write_text("var,beta\npta,0.4\nlndist,abc\n")
    with pytest.raises(ValidationError) as exc:
        read_coefficients(bad)
    assert exc.value.line == 3
    with pytest.raises(SchemaError, match="var and beta"):
        (tmp_path / "x.csv").write_text("a,b\n1,2\n")
        read_coefficients(tmp_path / "x.csv")


def test_missing_and_repeated_pairs_are_refused() -> None:
    world = _world(4)
    with pytest.raises(InputError, match="1 of the 16 exporter–importer pairs") as exc:
        run_scenario(world.iloc[1:], coefficients=COEFS, changes="fta=1@C00-C01", sigma=5)
    assert "domestic flows" in exc.value.message
    twice = pd.concat([world, world.iloc[[5]]], ignore_index=True)
    with pytest.raises(ValidationError, match="appears 2 times") as e2:
        run_scenario(twice, coefficients=COEFS, changes="fta=1@C00-C01", sigma=5)
    assert e2.value.line == len(twice) + 1


def test_bad_options_name_what_to_do(tmp_path: Path) -> None:
    world = _world(4)
    kw = {"coefficients": COEFS, "changes": "fta=1@C00-C01"}
    with pytest.raises(InputError, match="sigma must be a number above 1"):
        run_scenario(world, sigma=1, **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a cost variable"):
        run_scenario(world, coefficients=COEFS, changes="pta=1@C00-C01", sigma=5)
    with pytest.raises(InputError, match="not in the baseline"):
        run_scenario(world, coefficients=COEFS, changes="fta=1@C00-XXX", sigma=5)
    with pytest.raises(InputError, match="not in the baseline"):
        run_scenario(world, sigma=5, reference_importer="DEU", **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="the coefficients name 'gdp', which is not a column"):
        run_scenario(world, coefficients={"gdp": 1.0}, changes="gdp=1@C00-C01", sigma=5)
    two = pd.concat([world.assign(year=2005), world.assign(year=2006)])
    with pytest.raises(InputError, match="several years"):
        run_scenario(two, sigma=5, **kw)  # type: ignore[arg-type]
    assert run_scenario(two, sigma=5, year=2006, **kw).year == 2006  # type: ignore[arg-type]
    no_home = world[world["exporter"] != world["importer"]]
    with pytest.raises(InputError, match="4 of the 16 exporter–importer pairs"):
        run_scenario(no_home, sigma=5, **kw)  # type: ignore[arg-type]
    zero_home = world.assign(trade=np.where(world["exporter"] == world["importer"], 0.0,
                                            world["trade"]))  # fmt: skip
    with pytest.raises(InputError, match="no domestic flows"):
        run_scenario(zero_home, sigma=5, **kw)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="model"):
        run_scenario(world, sigma=5, model="partial", **kw)  # type: ignore[arg-type]


def test_output_and_expenditure_columns_are_checked() -> None:
    world = _world(4)
    world["Y"] = world.groupby("exporter")["trade"].transform("sum")
    world["E"] = world.groupby("importer")["trade"].transform("sum")
    r = run_scenario(world, coefficients=COEFS, changes="fta=1@C00-C01", sigma=5)
    assert r.output_source == "columns Y and E"
    world.loc[3, "Y"] += 1.0
    with pytest.raises(ValidationError, match="Y differs across the rows"):
        run_scenario(world, coefficients=COEFS, changes="fta=1@C00-C01", sigma=5)


def test_column_map_reads_other_names() -> None:
    world = _world(4).rename(columns={"exporter": "iso_o", "importer": "iso_d", "trade": "v"})
    r = run_scenario(world, coefficients=COEFS, changes="fta=1@C00-C01", sigma=5,
                     columns="exporter=iso_o,importer=iso_d,trade=v")  # fmt: skip
    assert len(r.countries) == 4


def test_low_level_solve_rejects_nothing_silently() -> None:
    t = np.ones((3, 3))
    s = solve(t, t, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), sigma=5, reference=0)
    np.testing.assert_allclose(s.counterfactual.price, 1.0)
    assert [r.system for r in s.reports] == ["baseline resistances", "conditional resistances",
                                             "full endowment prices"]  # fmt: skip
