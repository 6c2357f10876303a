"""Any gravity specification (issue 15): formulas, OLS, variances, column roles, product
panels, separation and the account of dropped rows.

Estimates are compared with a direct pyfixest call on the same frame, written out here
(its own vcov, its own pair column), or with the coefficients a synthetic world was
generated with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bilat.errors import (
    EstimationError,
    InputError,
    NotFoundError,
    SchemaError,
    ValidationError,
)
from bilat.potential import GravityConfig, estimate
from bilat.potential.spec import Vcov, parse_columns, parse_formula, parse_vcov

FE4 = "Origin + Destination + Product + Year"
WALK = f"Euros ~ log(dist_km) | {FE4}"
ROLES = {"exporter": "Origin", "importer": "Destination", "year": "Year", "product": "Product"}


def _direct(fml: str, data: pd.DataFrame, vcov: object, *, ols: bool = False) -> pd.DataFrame:
    import warnings

    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if ols:
            return pf.feols(fml, data=data.copy(), vcov=vcov).tidy()
        fit = pf.fepois(fml, data=data.copy(), vcov=vcov, separation_check=["fe", "ir"])
        return fit.tidy()


def _same(fit, tidy: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    assert list(fit.terms) == [str(t) for t in tidy.index]
    for c in fit.coefficients:
        assert c.estimate == pytest.approx(tidy.at[c.term, "Estimate"], rel=1e-9)
        assert c.std_error == pytest.approx(tidy.at[c.term, "Std. Error"], rel=1e-9)
        assert c.p_value == pytest.approx(tidy.at[c.term, "Pr(>|t|)"], rel=1e-9, abs=1e-300)


# ------------------------------------------------------------------------------ formula


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "it is empty"),
        ("trade", "must contain '~'"),
        ("trade ~ x +* y", "does not parse"),
        ("y ~ x | fe | w ~ z", "instrumental variables"),
        ("trade ~ sw(a, b) | fe", "several models"),
        ("trade ~ x | a*b", "fixed effect 'a*b' must be a column"),
    ],
)
def test_a_formula_that_does_not_parse_is_an_input_error_naming_the_option(
    text: str, said: str
) -> None:
    with pytest.raises(InputError) as info:
        parse_formula(text)
    assert said in info.value.message
    assert info.value.details["option"] == "formula"
    assert "\x1b" not in info.value.message  # formulaic's colours are stripped


def test_a_formula_is_read_into_its_parts() -> None:
    f = parse_formula("log(Euros) ~ log(dist_km) + cntg |  Origin^Year + Destination^Year")
    assert f.text == "log(Euros) ~ log(dist_km) + cntg | Origin^Year + Destination^Year"
    assert (f.depvar, f.outcome, f.logged) == ("log(Euros)", "Euros", True)
    assert f.fixed_effects == ("Origin^Year", "Destination^Year")
    assert f.variables == ("Euros", "dist_km", "cntg", "Origin", "Year", "Destination")
    plain = parse_formula("trade ~ x")
    assert (plain.outcome, plain.logged, plain.fixed_effects) == ("trade", False, ())
    assert parse_formula("np.sqrt(trade) ~ x").outcome is None


def test_formula_columns_are_checked_before_fitting(fixest_trade: pd.DataFrame) -> None:
    with pytest.raises(InputError) as info:
        estimate(fixest_trade, formula="Euros ~ log(distance) | Origin + destination")
    msg = info.value.message
    assert "formula names column(s) distance, destination" in msg
    assert "panel columns: Destination, Origin, Product, Year, dist_km, Euros" in msg
    assert "case-sensitive" in msg and "columns=" in msg
    assert info.value.details["option"] == "formula"


def test_an_unknown_function_is_an_input_error_naming_the_formula(
    fixest_trade: pd.DataFrame,
) -> None:
    with pytest.raises(InputError) as info:
        estimate(fixest_trade, formula=f"Euros ~ lg(dist_km) | {FE4}", vcov="hetero")
    assert "formula calls lg(), which is neither a column nor a function" in info.value.message
    assert info.value.details["option"] == "formula"
    with pytest.raises(InputError) as info:  # a string as dependent variable
        estimate(fixest_trade, formula=f"Origin ~ log(dist_km) | {FE4}", vcov="hetero")
    assert "the dependent variable 'Origin' of formula" in info.value.message
    assert "is not numeric (found 'BE')" in info.value.message
    with pytest.raises(InputError) as info:  # a function of a text column
        estimate(fixest_trade, formula=f"Euros ~ log(Origin) | {FE4}", vcov="hetero")
    assert "cannot be evaluated on the panel: Unable to evaluate factor `log(Origin)`" in (
        info.value.message
    )


def test_terms_and_formula_together_are_refused() -> None:
    with pytest.raises(InputError, match="give terms or formula, not both"):
        GravityConfig.make(terms=["ln_dist"], formula="trade ~ x")


def test_the_default_specification_is_a_formula_too(world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    default = estimate(panel, terms=["ln_dist", "cntg", "eaeu"])
    spelled = estimate(
        panel, formula="trade ~ log(dist) + cntg + eaeu | exporter^year + importer^year"
    )
    assert default.formula == "trade ~ ln_dist + cntg + eaeu | exporter^year + importer^year"
    assert spelled.terms == ("log(dist)", "cntg", "eaeu")
    for a, b in zip(default.coefficients, spelled.coefficients, strict=True):
        assert a.estimate == pytest.approx(b.estimate, rel=1e-9)
        assert a.std_error == pytest.approx(b.std_error, rel=1e-9)
    assert [f.to_dict() for f in spelled.fixed_effects] == [
        {"name": "exporter^year", "count": 14 * 3},
        {"name": "importer^year", "count": 14 * 3},
    ]
    assert spelled.n_exporter_years == spelled.n_importer_years == 42
    assert spelled.n_clusters == default.n_clusters == 14 * 13 // 2


def test_interacted_fixed_effects_and_a_log_term_against_pyfixest(world, beta) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    panel = world().assign(trade=lambda d: d["trade"] * rng.lognormal(0, 0.3, len(d)))
    fml = "trade ~ log(dist) + cntg + eaeu | exporter^year + importer^year"
    fit = estimate(panel, formula=fml, vcov="cluster:exporter")
    _same(fit, _direct(fml, panel, {"CRV1": "exporter"}))
    assert fit.coefficient("log(dist)").estimate == pytest.approx(beta["ln_dist"], abs=0.1)
    assert fit.formula == fml and fit.converged is True and fit.iterations is None


# ------------------------------------------------------------------------------ vcov


@pytest.mark.parametrize(
    ("vcov", "direct"),
    [
        ("hetero", "hetero"),
        ("iid", "iid"),
        ("cluster:Origin", {"CRV1": "Origin"}),
        ("cluster:Product", {"CRV1": "Product"}),
        ("twoway:Origin+Destination", {"CRV1": "Origin+Destination"}),
        ("pair", "unordered"),
        ("directed_pair", "directed"),
    ],
)
def test_each_vcov_against_a_direct_pyfixest_call(
    fixest_trade: pd.DataFrame, vcov: str, direct: object
) -> None:
    data = fixest_trade.copy()
    if direct in ("unordered", "directed"):
        o, d = data["Origin"], data["Destination"]
        key = o + ">" + d if direct == "directed" else np.minimum(o, d) + "-" + np.maximum(o, d)
        data["my_pair"] = key
        direct = {"CRV1": "my_pair"}
    fit = estimate(data, formula=WALK, vcov=vcov, columns=ROLES)
    _same(fit, _direct(WALK, data, direct))
    doc = fit.to_dict()
    assert doc["vcov"]["text"] == vcov and doc["vcov"]["type"] == vcov.split(":")[0]
    clusters = {c["name"]: c["count"] for c in doc["vcov"]["clusters"]}
    expected = {
        "hetero": {},
        "iid": {},
        "cluster:Origin": {"Origin": 15},
        "cluster:Product": {"Product": 20},
        "twoway:Origin+Destination": {"Origin": 15, "Destination": 15},
        "pair": {"pair": 15 * 14 // 2},
        "directed_pair": {"directed_pair": 15 * 14},
    }[vcov]
    assert clusters == expected
    one_way = len(expected) == 1
    assert doc["n_clusters"] == (next(iter(expected.values())) if one_way else None)


def test_ols_against_a_direct_pyfixest_call(fixest_trade: pd.DataFrame) -> None:
    fml = f"log(Euros) ~ log(dist_km) | {FE4}"
    fit = estimate(fixest_trade, formula=fml, method="ols", vcov="twoway:Origin+Destination")
    _same(fit, _direct(fml, fixest_trade, {"CRV1": "Origin+Destination"}, ols=True))
    assert fit.converged is None and fit.pseudo_r2 is None and fit.separation_rows is None
    assert fit.to_dict()["separation"] is None
    assert [d.reason for d in fit.dropped] == [
        "zero or negative trade (no log under OLS)",
        "missing or non-finite values",
        "singleton fixed effects",
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("robust", "is not a known form"),
        ("cluster", "names no cluster column"),
        ("cluster:", "names no cluster column"),
        ("cluster:a+b", "twoway:COL1+COL2 for two-way clusters"),
        ("twoway:a", "needs 2 columns"),
        ("hetero:x", "takes no columns after hetero"),
    ],
)
def test_a_bad_vcov_lists_the_forms(text: str, said: str) -> None:
    with pytest.raises(InputError) as info:
        parse_vcov(text)
    assert said in info.value.message
    assert "hetero, iid, cluster:COL, twoway:COL1+COL2, pair or directed_pair" in (
        info.value.message
    )
    assert info.value.details["option"] == "vcov"


def test_cluster_is_the_older_name_of_the_pair_vcovs(fixest_trade: pd.DataFrame) -> None:
    assert parse_vcov(None, cluster="directed_pair") == Vcov("directed_pair")
    assert parse_vcov("Pair", cluster="pair") == Vcov("pair")
    assert parse_vcov("cluster: Origin ") == Vcov("cluster", ("Origin",))
    with pytest.raises(InputError, match="cluster='pair' and vcov='hetero' disagree"):
        parse_vcov("hetero", cluster="pair")
    with pytest.raises(InputError, match="clusters by column\\(s\\) Region"):
        estimate(fixest_trade, formula=WALK, vcov="cluster:Region")
    with pytest.raises(InputError, match="clusters by country pair, built from the exporter"):
        estimate(fixest_trade, formula=WALK)  # the default vcov is by pair: roles needed


# ------------------------------------------------------------------------------ roles


def test_the_formula_may_use_file_names_or_role_names(fixest_trade: pd.DataFrame) -> None:
    roles = {**ROLES, "trade": "Euros"}
    by_file = estimate(fixest_trade, formula=WALK, vcov="cluster:Origin", columns=roles)
    by_role = estimate(
        fixest_trade,
        formula="trade ~ log(dist_km) | exporter + importer + product + year",
        vcov="cluster:exporter",
        columns=roles,
    )
    assert by_file.coefficients[0].estimate == pytest.approx(by_role.coefficients[0].estimate)
    assert by_file.coefficients[0].std_error == pytest.approx(by_role.coefficients[0].std_error)
    assert by_file.to_dict()["columns"] == roles
    assert by_file.warnings == by_role.warnings == ()
    d = by_file.dyad("fr", "DE")
    rows = fixest_trade.query("Origin == 'FR' and Destination == 'DE' and Year == 2016")
    assert d.year == 2016 and d.actual_usd == pytest.approx(rows["Euros"].sum())
    assert len(d.series) == 10
    assert any("added over products" in c for c in d.caveats)


def test_column_roles_are_checked(fixest_trade: pd.DataFrame) -> None:
    assert parse_columns("exporter=Origin, Importer = Destination") == {
        "exporter": "Origin",
        "importer": "Destination",
    }
    with pytest.raises(InputError, match="roles are exporter, importer, year, trade, product"):
        parse_columns("origin=Origin")
    with pytest.raises(InputError, match="must be ROLE=COLUMN"):
        parse_columns("exporter")
    with pytest.raises(InputError, match="gives the column 'Origin' two roles"):
        parse_columns({"exporter": "Origin", "importer": "Origin"})
    with pytest.raises(SchemaError, match="maps exporter to 'origin'"):
        estimate(fixest_trade, formula=WALK, columns={"exporter": "origin"})
    clash = fixest_trade.assign(year=fixest_trade["Year"] + 1)
    with pytest.raises(InputError, match="has a column 'year' and columns maps year to 'Year'"):
        estimate(clash, formula=WALK, vcov="hetero", columns={"year": "Year"})


def test_without_exporter_and_importer_the_fit_says_what_it_could_not_check(
    fixest_trade: pd.DataFrame,
) -> None:
    fit = estimate(fixest_trade, formula=WALK, vcov="cluster:Origin")
    assert fit.years is None and fit.fitted is None
    assert len(fit.warnings) == 1 and "no exporter and importer columns" in fit.warnings[0]
    assert fit.dropped[0].reason == "missing or non-finite values"  # no domestic check
    with pytest.raises(InputError, match="no exporter and importer columns"):
        fit.dyad("FR", "DE")


def test_a_cross_section_needs_no_year(fixest_trade: pd.DataFrame) -> None:
    one = fixest_trade[fixest_trade["Year"] == 2016].drop(columns="Year")
    roles = {k: v for k, v in ROLES.items() if k != "year"}
    fml = "Euros ~ log(dist_km) | Origin + Destination + Product"
    fit = estimate(one, formula=fml, vcov="cluster:Origin", columns=roles)
    _same(fit, _direct(fml, one, {"CRV1": "Origin"}))
    assert fit.years is None and fit.n_exporter_years is None
    d = fit.dyad("FR", "DE")
    assert d.year is None and d.to_dict()["series"][0]["year"] is None
    with pytest.raises(InputError, match="no year column"):
        fit.dyad("FR", "DE", year=2016)
    with pytest.raises(InputError, match="years needs a year column"):
        estimate(one, formula=fml, vcov="hetero", columns=roles, years=[2016])


# ------------------------------------------------------------------------------ products


def test_rows_repeating_the_observation_key_are_refused(fixest_trade: pd.DataFrame) -> None:
    roles = {k: v for k, v in ROLES.items() if k != "product"}
    with pytest.raises(ValidationError) as info:
        estimate(fixest_trade, formula=WALK, vcov="hetero", columns=roles)
    sizes = fixest_trade.groupby(["Origin", "Destination", "Year"]).size()
    repeated = int((sizes > 1).sum())
    msg = info.value.message
    assert f"{repeated:,} observation key(s) (exporter, importer, year)" in msg
    first = fixest_trade.iloc[0]
    assert f"e.g. {first['Origin']} {first['Destination']} {first['Year']} on lines 2 and" in msg
    assert "Map the product column (columns={'product': COLUMN})" in msg
    assert info.value.details["repeated_keys"] == repeated
    assert info.value.line == 2 and info.value.column == "exporter,importer,year"
    pairs_only = {"exporter": "Origin", "importer": "Destination"}
    with pytest.raises(ValidationError) as info:
        estimate(fixest_trade, formula=WALK, vcov="hetero", columns=pairs_only)
    assert "the rows look like the years or the products of one flow" in info.value.message
    assert "columns={'year': COLUMN, 'product': COLUMN}" in info.value.message


def test_a_product_panel_without_a_product_effect_carries_a_warning(
    fixest_trade: pd.DataFrame,
) -> None:
    fml = "Euros ~ log(dist_km) | Origin^Year + Destination^Year"
    fit = estimate(fixest_trade, formula=fml, vcov="cluster:Origin", columns=ROLES)
    assert len(fit.warnings) == 1
    assert "by product (Product) but no fixed effect absorbs the product" in fit.warnings[0]
    assert fit.to_dict()["warnings"] == list(fit.warnings)
    assert fit.n_exporter_years == fit.n_importer_years == 150
    with_product = estimate(
        fixest_trade,
        formula="Euros ~ log(dist_km) | Origin^Year^Product + Destination^Year^Product",
        vcov="cluster:Origin",
        columns=ROLES,
    )
    assert with_product.warnings == ()
    assert with_product.n_exporter_years is None  # the effects are by product too


# ------------------------------------------------------------------------------ drops


def _embargoed(world) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The world with an embargo dummy on three directed pairs whose trade is zero."""
    panel = world().assign(embargo=0.0)
    on = (panel["exporter"].eq("C00") & panel["importer"].isin(["C05", "C06"])) | (
        panel["exporter"].eq("C01") & panel["importer"].eq("C05")
    )
    panel.loc[on, ["embargo", "trade"]] = [1.0, 0.0]
    return panel


EMBARGO = "trade ~ log(dist) + cntg + eaeu + embargo | exporter^year + importer^year"


def test_separation_is_found_reported_and_the_rest_estimated(world, beta) -> None:  # type: ignore[no-untyped-def]
    fit = estimate(_embargoed(world), formula=EMBARGO)
    assert fit.separation_rows == 3 * 3  # three pairs, three years
    assert {d.reason: d.rows for d in fit.dropped}["separation"] == 9
    assert fit.to_dict()["separation"] == {"method": "both", "rows": 9}
    assert fit.terms == ("log(dist)", "cntg", "eaeu")
    assert any(w.startswith("embargo omitted") for w in fit.warnings)
    for term, value in zip(fit.terms, (beta["ln_dist"], beta["cntg"], beta["eaeu"]), strict=True):
        assert fit.coefficient(term).estimate == pytest.approx(value, abs=1e-6)
    assert fit.n_obs == len(world()) - 9


def test_without_the_regressor_check_ppml_does_not_converge_and_says_what_to_try(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EstimationError) as info:
        estimate(_embargoed(world), formula=EMBARGO, separation="fe", maxiter=10)
    msg = info.value.message
    assert "PPML did not converge in 10 iterations" in msg
    assert "maxiter=40" in msg and "separation='both'" in msg and "now 'fe'" in msg
    assert info.value.details["option"] == "maxiter"


def test_every_drop_is_counted_with_its_reason(world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    panel.loc[[0, 1, 2], "dist"] = np.nan
    panel.loc[[3, 4], "dist"] = 0.0  # log undefined
    extra = pd.DataFrame(
        {
            "exporter": ["C00", "C99"],
            "importer": ["C00", "C03"],
            "year": [2021, 2021],
            "trade": [5.0, 7.0],
            "dist": [1.0, 3.0],
            "cntg": [0.0, 0.0],
            "eaeu": [0.0, 0.0],
        }
    )  # a domestic flow, and an exporter seen once: a singleton exporter-year
    panel = pd.concat([panel, extra], ignore_index=True)
    fml = "trade ~ log(dist) + cntg | exporter^year + importer^year"
    fit = estimate(panel, formula=fml, years=[2020, 2021])
    dropped = {d.reason: d.rows for d in fit.dropped}
    in_2019 = int((panel["year"] == 2019).sum())
    bad_2019 = int(((panel["year"] == 2019) & (panel.index < 5)).sum())
    assert dropped == {
        "years outside the sample": in_2019,
        "domestic flows (exporter = importer)": 1,
        "missing or non-finite values": 5 - bad_2019,
        "singleton fixed effects": 1,
        "separation": 0,
    }
    assert fit.n_obs == len(panel) - sum(dropped.values())
    assert fit.n_dropped == sum(dropped.values()) - in_2019 - 1
    default = estimate(panel, terms=["ln_dist", "cntg"], years=[2020, 2021])
    assert {d.reason: d.rows for d in default.dropped} == dropped


def test_ols_drops_and_counts_zero_trade(world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    panel.loc[[5, 6, 7], "trade"] = 0.0
    fit = estimate(panel, terms=["ln_dist", "cntg"], method="ols")
    assert fit.formula == "log(trade) ~ ln_dist + cntg | exporter^year + importer^year"
    dropped = {d.reason: d.rows for d in fit.dropped}
    assert dropped["zero or negative trade (no log under OLS)"] == 3
    assert fit.n_obs == len(panel) - 3 and fit.n_dropped == 3
    kept = panel[panel["trade"] > 0].assign(ln_dist=lambda d: np.log(d["dist"]))
    lo, hi = (
        np.minimum(kept["exporter"], kept["importer"]),
        np.maximum(kept.exporter, kept.importer),
    )
    kept["my_pair"] = lo + hi
    fml = "log(trade) ~ ln_dist + cntg | exporter^year + importer^year"
    _same(fit, _direct(fml, kept, {"CRV1": "my_pair"}, ols=True))
    d = fit.dyad("C01", "C02")
    row = fit.fitted.query("exporter == 'C01' and importer == 'C02' and year == 2021")
    assert d.fitted_usd == pytest.approx(float(row["fitted"].iloc[0]))
    assert any("exp(predicted log trade)" in c for c in d.caveats)
    negative = panel.assign(trade=panel["trade"].where(panel.index != 9, -1.0))
    assert {d.reason: d.rows for d in estimate(negative, terms=["cntg"], method="ols").dropped}[
        "zero or negative trade (no log under OLS)"
    ] == 4
    with pytest.raises(ValidationError, match="trade must be a finite, non-negative number"):
        estimate(negative, terms=["cntg"])


def test_result_document_holds_the_specification_and_the_account(
    fixest_trade: pd.DataFrame,
) -> None:
    fit = estimate(fixest_trade, formula=WALK, vcov="cluster:Origin", columns=ROLES)
    doc = fit.to_dict()
    assert doc["method"] == "ppml" and doc["formula"] == WALK
    assert doc["n_obs"] == 38_325 and doc["n_dropped"] == 0
    assert doc["fixed_effects"] == [
        {"name": "Origin", "count": 15},
        {"name": "Destination", "count": 15},
        {"name": "Product", "count": 20},
        {"name": "Year", "count": 10},
    ]
    assert doc["converged"] is True and doc["iterations"] is None
    assert doc["years"] == list(range(2007, 2017))
    assert set(doc["coefficients"][0]) == {
        "term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high",
    }  # fmt: skip
    assert doc["n_exporter_years"] is None  # no exporter-year effect in this model
    with pytest.raises(NotFoundError, match="terms are log\\(dist_km\\)"):
        fit.coefficient("ln_dist")
