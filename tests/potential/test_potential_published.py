"""Published gravity estimates, reproduced through ``estimate(..., formula=...)`` and the CLI.

Two sources (the numbers and where each was read: ``docs/potential.md``, "Any
specification"):

1. **fixest's walkthrough** (Laurent Bergé, vignette ``fixest_walkthrough``, rendered in
   lrberge/fixest ``docs/articles``; the OLS model with two-way clusters from the vignette
   ``standard_errors``), on fixest's ``trade`` data (``tests/fixtures/potential/
   fixest-trade.csv.gz``). Printed to 6 significant digits; checked to all of them.
2. **Yotov, Piermartini, Monteiro & Larch (2016)**, Chapter 1, Application 1 (Table 1) and
   Application 3 (the RTA table), on the shared panel. The book's PDF was not at hand; the
   references are the two published R reproductions of its tables by the tradepolicy
   project (M. Vargas, CC BY 4.0): the capybara edition (2026, 4 decimals, whose text says
   it matches the book's Table 1) and the fixest edition (2024, 3 decimals). Each column is
   checked against the edition whose convention it shares, to that edition's decimals:
   PPML columns with Stata's convention (G/(G-1), ``small_sample="stata"``) against the
   capybara edition; OLS columns (Stata's ``regress`` rule, ``small_sample="stata"``) and
   the INTRA column (fixest's default, ``small_sample="fixest"``; the capybara edition's
   INTRA column disagrees with both fixest and pyfixest) against the fixest edition.

Every regressor a column needs beyond the panel (``Y``, ``E``, remoteness, the INTRA
dummies, the border-by-year dummies, the pair effect with one level for domestic flows) is
built here with pandas, as a user would, from the do-files' definitions.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilat.potential import estimate, read_panel
from bilat.potential.panel import read_table

FIXEST = Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "fixest-trade.csv.gz"
WALK = "Euros ~ log(dist_km) | Origin + Destination + Product + Year"

# ------------------------------------------------------------------------------ fixest

#: vcov → (estimate, std. error, z value) as printed for the Poisson model.
WALKTHROUGH = {
    "cluster:Origin": (-1.52787, 0.115678, -13.208),
    "twoway:Origin+Destination": (-1.52787, 0.130734, -11.6869),
    "cluster:Product": (-1.52787, 0.098294, -15.544),
}


def _digits(value: float, printed: float) -> float:
    """``value`` rounded to the decimals ``printed`` shows."""
    text = repr(printed)
    return round(value, len(text.split(".")[1]) if "." in text else 0)


@pytest.fixture(scope="module")
def trade() -> pd.DataFrame:
    return read_table(FIXEST)


@pytest.mark.parametrize("vcov", list(WALKTHROUGH))
def test_fixest_walkthrough_poisson(trade: pd.DataFrame, vcov: str) -> None:
    fit = estimate(trade, formula=WALK, vcov=vcov)
    (c,) = fit.coefficients
    want = WALKTHROUGH[vcov]
    assert c.term == "log(dist_km)"
    got = (c.estimate, c.std_error, c.statistic)
    assert tuple(_digits(g, w) for g, w in zip(got, want, strict=True)) == want
    assert fit.n_obs == 38_325
    assert [(f.name, f.count) for f in fit.fixed_effects] == [
        ("Origin", 15), ("Destination", 15), ("Product", 20), ("Year", 10),
    ]  # fmt: skip
    assert _digits(fit.r2, 0.612021) == 0.612021  # "Squared Cor."


def test_fixest_ols_with_two_way_clusters(trade: pd.DataFrame) -> None:
    fit = estimate(
        trade,
        formula="log(Euros) ~ log(dist_km) | Destination + Origin + Product + Year",
        method="ols",
        vcov="twoway:Destination+Origin",
    )
    (c,) = fit.coefficients
    assert (_digits(c.estimate, -2.16988), _digits(c.std_error, 0.171367)) == (-2.16988, 0.171367)
    assert _digits(c.statistic, -12.6621) == -12.6621
    assert fit.n_obs == 38_325


def test_fixest_walkthrough_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "gravity", "--panel", FIXEST, "--formula", WALK,
            "--vcov", "cluster:Origin", "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    (c,) = out["coefficients"]
    assert (c["term"], round(c["estimate"], 5), round(c["std_error"], 6)) == (
        "log(dist_km)",
        -1.52787,
        0.115678,
    )
    assert out["n_obs"] == 38_325 and out["vcov"]["clusters"] == [{"name": "Origin", "count": 15}]
    assert out["unit"] == "panel units"


# ------------------------------------------------------------------------------ Yotov

AGTPA = "gravity/agtpa-applications-1986-2006.csv.gz"
YEARS = range(1986, 2007, 4)
GRAV = "log(dist) + cntg + lang + clny"
LAGS = "rta + rta_lag4 + rta_lag8 + rta_lag12"
BORDERS = " + ".join(f"intl_brdr_{y}" for y in range(1986, 2003, 4))
FE = "exporter^year + importer^year"
PAIR = f"{FE} + pair_id_2"

#: column → (method, formula, domestic, small_sample, decimals, {term: (estimate, s.e.)}).
COLUMNS: dict[str, tuple[str, str, bool, str, int, dict[str, tuple[float, float]]]] = {
    # Table 1 (Application 1); fixest edition, Stata's regress rule
    "OLS": ("ols", f"log(trade) ~ {GRAV} + log(Y) + log(E)", False, "stata", 3, {
        "Intercept": (-11.283, 0.296), "log(dist)": (-1.002, 0.027), "cntg": (0.574, 0.185),
        "lang": (0.802, 0.082), "clny": (0.735, 0.144), "log(Y)": (1.190, 0.009),
        "log(E)": (0.908, 0.010),
    }),
    "REMOTENESS": (
        "ols", f"log(trade) ~ {GRAV} + log(Y) + log(E) + log(rem_exp) + log(rem_imp)", False,
        "stata", 3, {
            "Intercept": (-35.219, 1.986), "log(dist)": (-1.185, 0.031),
            "cntg": (0.247, 0.177), "lang": (0.739, 0.078), "clny": (0.842, 0.150),
            "log(Y)": (1.164, 0.009), "log(E)": (0.903, 0.010),
            "log(rem_exp)": (0.972, 0.068), "log(rem_imp)": (0.274, 0.060),
        },
    ),
    "FIXED EFFECTS": ("ols", f"log(trade) ~ {GRAV} | {FE}", False, "stata", 3, {
        "log(dist)": (-1.216, 0.038), "cntg": (0.223, 0.203), "lang": (0.661, 0.082),
        "clny": (0.670, 0.149),
    }),
    # Table 1; capybara edition, G/(G-1)
    "PPML": ("ppml", f"trade ~ {GRAV} | {FE}", False, "stata", 4, {
        "log(dist)": (-0.8409, 0.0317), "cntg": (0.4374, 0.0832), "lang": (0.2475, 0.0765),
        "clny": (-0.2225, 0.1162),
    }),
    # the RTA table (Application 3)
    "RTA OLS": ("ols", f"log(trade) ~ {GRAV} + rta | {FE}", False, "stata", 3, {
        "log(dist)": (-1.216, 0.039), "cntg": (0.223, 0.203), "lang": (0.661, 0.082),
        "clny": (0.670, 0.149), "rta": (-0.004, 0.054),
    }),
    "RTA PPML": ("ppml", f"trade ~ {GRAV} + rta | {FE}", False, "stata", 4, {
        "log(dist)": (-0.8216, 0.0310), "cntg": (0.4155, 0.0828), "lang": (0.2499, 0.0767),
        "clny": (-0.2054, 0.1143), "rta": (0.1907, 0.0658),
    }),
    "INTRA": ("ppml", f"trade ~ {GRAV} + rta | {FE} + intra", True, "fixest", 3, {
        "log(dist)": (-0.800, 0.031), "cntg": (0.393, 0.080), "lang": (0.244, 0.078),
        "clny": (-0.182, 0.115), "rta": (0.409, 0.070),
    }),
    "ENDOG": ("ppml", f"trade ~ rta | {PAIR}", True, "stata", 4, {"rta": (0.5572, 0.1022)}),
    "LEADS": ("ppml", f"trade ~ rta + rta_lead4 | {PAIR}", True, "stata", 4, {
        "rta": (0.5200, 0.0859), "rta_lead4": (0.0774, 0.0921),
    }),
    "PHSNG": ("ppml", f"trade ~ {LAGS} | {PAIR}", True, "stata", 4, {
        "rta": (0.2914, 0.0892), "rta_lag4": (0.4135, 0.0672), "rta_lag8": (0.1687, 0.0431),
        "rta_lag12": (0.1189, 0.0301),
    }),
    "GLBZN": ("ppml", f"trade ~ {LAGS} + {BORDERS} | {PAIR}", True, "stata", 4, {
        "rta": (0.1157, 0.0867), "rta_lag4": (0.2877, 0.0617), "rta_lag8": (0.0693, 0.0482),
        "rta_lag12": (0.0024, 0.0291), "intl_brdr_1986": (-0.7056, 0.0478),
        "intl_brdr_1990": (-0.4803, 0.0429), "intl_brdr_1994": (-0.3665, 0.0335),
        "intl_brdr_1998": (-0.1581, 0.0233), "intl_brdr_2002": (-0.1409, 0.0169),
    }),
}  # fmt: skip

#: Observations of each column, as both editions print them.
N_OBS = {"OLS": 25_689, "REMOTENESS": 25_689, "FIXED EFFECTS": 25_689, "RTA OLS": 25_689,
         "PPML": 28_152, "RTA PPML": 28_152, "INTRA": 28_566}  # fmt: skip


@pytest.fixture(scope="module")
def book(shared_data: Path) -> pd.DataFrame:
    """The shared panel, its six sample years, with the columns the do-files build."""
    d = read_panel(shared_data / AGTPA)
    d = d[d["year"].isin(YEARS)].reset_index(drop=True)
    intl = d["exporter"] != d["importer"]
    # output and expenditure over all partners, the domestic flow included
    d["Y"] = d.groupby(["exporter", "year"])["trade"].transform("sum")
    d["E"] = d.groupby(["importer", "year"])["trade"].transform("sum")
    world_e = d.groupby("year")["trade"].transform("sum")
    d["rem_exp"] = (d["dist"] / (d["E"] / world_e)).groupby([d.exporter, d.year]).transform("sum")
    d["rem_imp"] = (d["dist"] / (d["Y"] / world_e)).groupby([d.importer, d.year]).transform("sum")
    d["intra"] = np.where(intl, "international", d["exporter"])  # one level per country
    pair = d["pair_id"].astype(int).astype(str)
    d["pair_id_2"] = np.where(intl, pair, "domestic")  # one level for every domestic flow
    for y in range(1986, 2003, 4):
        d[f"intl_brdr_{y}"] = (intl & (d["year"] == y)).astype(float)
    return d


@pytest.mark.shared
@pytest.mark.parametrize("column", list(COLUMNS))
def test_yotov_et_al_2016_columns(book: pd.DataFrame, column: str) -> None:
    method, fml, domestic, convention, places, want = COLUMNS[column]
    fit = estimate(
        book, formula=fml, method=method, domestic=domestic, small_sample=convention,
        vcov="cluster:pair_id",
    )  # fmt: skip
    got = {
        c.term: (round(c.estimate, places), round(c.std_error, places)) for c in fit.coefficients
    }
    assert got == want
    if column in N_OBS:
        assert fit.n_obs == N_OBS[column]
    else:  # pairs whose trade is zero in every year are separated out
        assert fit.n_obs == 28_482 and fit.separation_rows == 84


@pytest.mark.shared
def test_yotov_r2_of_the_ols_columns(book: pd.DataFrame) -> None:
    # fixest edition: 0.759, 0.765, 0.843 (both editions agree)
    for column, r2 in (("OLS", 0.759), ("REMOTENESS", 0.765), ("FIXED EFFECTS", 0.843)):
        method, fml, _, convention, _, _ = COLUMNS[column]
        fit = estimate(book, formula=fml, method=method, small_sample=convention,
                       vcov="cluster:pair_id")  # fmt: skip
        assert round(fit.r2, 3) == r2
        assert {d.reason: d.rows for d in fit.dropped}[
            "zero or negative trade (no log under OLS)"
        ] == 2_463


@pytest.mark.shared
def test_endog_the_brief_way_and_with_the_books_pair_ids(book: pd.DataFrame) -> None:
    """0.557 (0.102): the book's pair_id (one id per domestic flow) gives the same model as
    one level for all domestic flows, the exporter-year and importer-year effects spanning
    the difference; the clusters are the book's pair_id either way."""
    own = estimate(book, formula=f"trade ~ rta | {FE} + pair_id", domestic=True,
                   small_sample="stata", vcov="cluster:pair_id")  # fmt: skip
    common = estimate(book, formula=f"trade ~ rta | {PAIR}", domestic=True,
                      small_sample="stata", vcov="cluster:pair_id")  # fmt: skip
    for fit in (own, common):
        c = fit.coefficient("rta")
        assert (round(c.estimate, 3), round(c.std_error, 3)) == (0.557, 0.102)
    assert own.coefficient("rta").estimate == pytest.approx(
        common.coefficient("rta").estimate, rel=1e-6
    )
    assert common.n_clusters == 2_408  # pairs left after separation
