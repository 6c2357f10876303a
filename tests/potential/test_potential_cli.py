"""``bilat potential ...``: exit codes, JSON, the textbook table from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AGTPA = "gravity/agtpa-applications-1986-2006.csv.gz"

DOCS = Path(__file__).resolve().parents[2] / "docs" / "potential.md"


@pytest.mark.shared
def test_gravity_reproduces_table1_from_the_command_line(cli, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "potential", "gravity", "--panel", shared_data / AGTPA, "--years", "1986-2006/4",
        "--small-sample", "stata", "--dyad", "DEU,FRA", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    got = {
        c["term"]: (round(c["estimate"], 3), round(c["std_error"], 3)) for c in out["coefficients"]
    }
    assert got == {
        "ln_dist": (-0.841, 0.032),
        "cntg": (0.437, 0.083),
        "lang": (0.247, 0.077),
        "clny": (-0.222, 0.116),
    }
    assert out["n_obs"] == 28152
    assert [(d["exporter"], d["importer"], d["year"]) for d in out["dyads"]] == [
        ("DEU", "FRA", 2006),
        ("FRA", "DEU", 2006),
    ]


def test_gravity_from_the_lake_with_geodist_and_user_covariates(cli, world_lake, beta) -> None:  # type: ignore[no-untyped-def]
    lake, geo, eaeu = world_lake
    r = cli(
        "potential", "gravity", "--lake", lake, "--covariates", geo, "--extra-covariates", eaeu,
        "--terms", "ln_dist,cntg,eaeu", "--dyad", "C00,C01", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    for c in out["coefficients"]:
        assert c["estimate"] == pytest.approx(beta[c["term"]], abs=1e-6)
    assert out["dyads"][0]["ratio"] == pytest.approx(1.0, rel=1e-6)
    text = cli("potential", "gravity", "--lake", lake, "--covariates", geo, "--dyad", "C00,C01",
               "--terms", "ln_dist,cntg")  # fmt: skip
    assert text.exit_code == 0, text.stderr
    assert "ln_dist" in text.stdout and "Caveats" in text.stdout and "C00 → C01" in text.stdout


def test_gravity_from_lake_without_covariates_says_what_to_add(cli, world_lake) -> None:  # type: ignore[no-untyped-def]
    lake, _, _ = world_lake
    r = cli("potential", "gravity", "--lake", lake)
    assert r.exit_code == 2
    assert "term 'ln_dist' is not a panel column" in r.stderr
    assert "--covariates" in r.stderr


def test_gravity_collinear_term_is_an_estimation_error(cli, world_lake) -> None:  # type: ignore[no-untyped-def]
    lake, geo, _ = world_lake
    r = cli("potential", "gravity", "--lake", lake, "--covariates", geo)  # lang, clny all 0
    assert r.exit_code == 1
    assert "term(s) lang, clny dropped: no variation" in r.stderr


def test_gravity_bad_option_and_missing_file(cli, tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    panel = tmp_path / "p.csv"
    world().to_csv(panel, index=False)
    r = cli("potential", "gravity", "--panel", panel, "--small-sample", "sas")
    assert r.exit_code == 2 and "'sas' is not one of 'fixest', 'stata'" in r.stderr
    r = cli("potential", "gravity", "--panel", tmp_path / "none.csv", "--json")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["error"] == "InputError"


def test_products_command(cli, three_lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--actual-years", "1", "--level", "4",
            "--lake", three_lake.root, "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ease"] == pytest.approx(15 / 22)
    assert out["top_products"][0]["product"] == "1701"
    assert out["top_products"][0]["unrealised_usd"] == pytest.approx(50 / 11)
    assert out["synthetic"] is False
    text = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--actual-years", "1", "--level", "4",
               "--lake", three_lake.root)  # fmt: skip
    assert text.exit_code == 0
    assert "1701" in text.stdout and "ease of trade 0.68" in text.stdout


def test_products_growth_needs_a_rate(cli, three_lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--horizon", "3",
            "--lake", three_lake.root)  # fmt: skip
    assert r.exit_code == 2 and "--horizon needs --growth" in r.stderr
    r = cli("potential", "products", "AAA", "BBB", "--year", "2021", "--actual-years", "1", "--level", "4",
            "--growth", "0.1", "--horizon", "2", "--lake", three_lake.root, "--json")  # fmt: skip
    assert json.loads(r.stdout)["potential_usd"] == pytest.approx(12.1)


def test_products_unknown_year_exit_1(cli, three_lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "products", "AAA", "BBB", "--year", "1999", "--lake", three_lake.root)
    assert r.exit_code == 1 and "no flows for 1999" in r.stderr


def test_markets_command(cli, three_lake) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "markets", "AAA", "--year", "2021", "--actual-years", "1", "--level", "4",
            "--lake", three_lake.root, "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert [m["market"] for m in out["markets"]] == ["CCC", "BBB"]
    text = cli("potential", "markets", "AAA", "--year", "2021", "--actual-years", "1", "--level", "4",
               "--lake", three_lake.root)  # fmt: skip
    assert "CCC" in text.stdout


@pytest.mark.parametrize("command", ["gravity", "products", "markets"])
def test_every_command_has_help_and_a_docs_section(cli, command: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", command, "--help")
    assert r.exit_code == 0 and "Usage" in r.stdout
    assert f"bilat potential {command}" in DOCS.read_text("utf-8")


FIXEST = Path(__file__).resolve().parents[1] / "fixtures" / "potential" / "fixest-trade.csv.gz"
ROLES = "exporter=Origin,importer=Destination,year=Year,trade=Euros,product=Product"


def test_gravity_any_formula_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    from bilat.potential import estimate
    from bilat.potential.panel import read_table

    fml = "trade ~ log(dist_km) | exporter + importer + product + year"
    r = cli("potential", "gravity", "--panel", FIXEST, "--formula", fml, "--map", ROLES,
            "--vcov", "twoway:Origin+Destination", "--dyad", "FR,DE", "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    lib = estimate(read_table(FIXEST), formula=fml, columns=ROLES, vcov="twoway:Origin+Destination")
    assert out["coefficients"] == [c.to_dict() for c in lib.coefficients]
    assert out["formula"] == fml and out["method"] == "ppml"
    assert out["vcov"]["clusters"] == [
        {"name": "Origin", "count": 15},
        {"name": "Destination", "count": 15},
    ]
    assert out["n_clusters"] is None and out["warnings"] == []
    assert out["columns"]["trade"] == "Euros"
    assert [d["exporter"] for d in out["dyads"]] == ["FR", "DE"]
    text = cli("potential", "gravity", "--panel", FIXEST, "--map", ROLES, "--vcov", "hetero",
               "--formula", "Euros ~ log(dist_km) | Origin^Year + Destination^Year")  # fmt: skip
    assert text.exit_code == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert "PPML gravity: Euros ~ log(dist_km) | Origin^Year + Destination^Year" in flat
    assert "fixed effects Origin^Year (150), Destination^Year (150)" in flat
    assert "vcov hetero" in flat
    assert "Rows dropped: domestic flows (exporter = importer) 0;" in flat
    assert "separation 0" in flat
    assert "Warning: the panel is by product (Product) but no fixed effect absorbs" in flat


def test_gravity_ols_from_the_command_line(cli, world_lake, tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    panel = world()
    panel.loc[[0, 1], "trade"] = 0.0
    path = tmp_path / "panel.tsv"
    panel.to_csv(path, sep="\t", index=False)
    r = cli("potential", "gravity", "--panel", path, "--method", "ols",
            "--terms", "ln_dist,cntg,eaeu", "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["formula"] == "log(trade) ~ ln_dist + cntg + eaeu | exporter^year + importer^year"
    assert {d["reason"]: d["rows"] for d in out["dropped"]}[
        "zero or negative trade (no log under OLS)"
    ] == 2
    assert out["converged"] is None and out["separation"] is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--formula", "Euros ~ x +* y"), "formula 'Euros ~ x +* y' does not parse"),
        (("--formula", "Euros ~ log(km) | Origin", "--vcov", "hetero"), "--map ROLE=COL"),
        (("--vcov", "robust"), "vcov 'robust' is not a known form"),
        (("--map", "origin=Origin"), "columns names the role 'origin'"),
        (("--method", "gmm"), "'gmm' is not one of 'ppml', 'ols'"),
        (("--formula", "Euros ~ x", "--terms", "ln_dist"), "give terms or formula, not both"),
        ((), "missing column(s) exporter, importer, year, trade"),
        ((), "(on the command line: --map ROLE=COL,... for columns=)"),
        (
            (
                "--map",
                "exporter=Origin,importer=Destination,year=Year",
                "--vcov",
                "hetero",
                "--formula",
                "Euros ~ log(dist_km) | Origin + Destination + Product + Year",
            ),
            # every one of the 15 × 14 directed pairs × 10 years repeats, once per product
            "fixest-trade.csv.gz, line 2, column 'exporter,importer,year': 2,100 observation",
        ),
    ],
)
def test_gravity_bad_specification_exits_2(cli, args: tuple[str, ...], said: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "gravity", "--panel", FIXEST, *args)
    assert r.exit_code == 2, r.stdout
    assert said in " ".join(r.stderr.split())


def test_gravity_not_converging_says_which_flags_to_try(cli, tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    panel = world().assign(embargo=0.0)
    on = panel["exporter"].eq("C00") & panel["importer"].isin(["C05", "C06"])
    panel.loc[on, ["embargo", "trade"]] = [1.0, 0.0]
    path = tmp_path / "panel.csv"
    panel.to_csv(path, index=False)
    r = cli("potential", "gravity", "--panel", path, "--terms", "ln_dist,embargo",
            "--separation", "none", "--maxiter", "5")  # fmt: skip
    assert r.exit_code == 1
    flat = " ".join(r.stderr.split())
    assert "PPML did not converge in 5 iterations" in flat
    assert "(on the command line: --maxiter N, --separation both)" in flat
    ok = cli("potential", "gravity", "--panel", path, "--terms", "ln_dist,embargo", "--json")
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["separation"] == {"method": "both", "rows": 6}
