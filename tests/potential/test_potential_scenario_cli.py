"""``bilat potential scenario``: gegravity's published experiment from the command line,
the text report, and exit 2 with a message for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "potential"
WORLD, COEFS = FIXTURES / "ge-world.csv", FIXTURES / "ge-coefficients.csv"


@pytest.fixture
def gegravity_coefs(tmp_path: Path) -> Path:
    path = tmp_path / "coefs.csv"
    path.write_text(
        "var,beta,stderr\nlndist,-0.3898623,0.0729915\ncontiguity,0.891577,0.1327354\n"
        "common_language,0.0326249,0.0840702\npta,0.4711383,0.1076578\n"
        "international,-3.412584,0.2151235\nconstant,16.32434,0.4844137\n"
    )
    return path


@pytest.mark.shared
def test_gegravity_experiment_from_the_command_line(
    cli, shared_data: Path, gegravity_coefs: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    # gegravity ships the sample as sample_data_set.dlm: read it under that name too
    dlm = tmp_path / "sample_data_set.dlm"
    dlm.write_bytes((shared_data / "gravity/gegravity-sample-2006.csv").read_bytes())
    r = cli(
        "potential", "scenario", dlm, "--coefficients", gegravity_coefs, "--change",
        "pta=1@CAN-JPN,JPN-CAN", "--sigma", "5", "--reference-importer", "DEU", "--year", "2006",
        "--model", "gegravity", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    can = next(c for c in out["countries"] if c["country"] == "CAN")
    assert round(can["gdp_change_pct"], 6) == 0.418261
    assert round(can["welfare_statistic"], 6) == 0.995835
    assert len(out["pairs"]) == 900 and out["year"] == 2006
    assert out["changes"] == [{"text": "pta=1@CAN-JPN,JPN-CAN", "var": "pta", "pairs_changed": 2}]
    assert {s["system"] for s in out["solver"]} >= {"baseline resistances", "gegravity prices"}
    assert "gegravity" in out["method"]


def test_text_report_names_model_dyad_solver_and_caveats(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "potential", "scenario", WORLD, "--coefficients", COEFS, "--change", "fta=1@C00~C03",
        "--sigma", "5", "--dyad", "C00,C03", "--draws", "10", "--top", "3",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    for text in ("full model, σ = 5", "C00 → C03: trade", "C03: real GDP",
                 "95 % of 10 draws", "Solver, full endowment prices", "Caveats:"):  # fmt: skip
        assert text in r.stdout, text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--change", "fta=1@C00C03", "--sigma", "5"), "cannot read the pair"),
        (("--change", "pta=1@C00-C03", "--sigma", "5"), "not a cost variable"),
        (("--change", "fta=1@C00-C03", "--sigma", "0.5"), "sigma must be a number above 1"),
        (
            ("--change", "fta=1@C00-C03", "--sigma", "5", "--reference-importer", "DEU"),
            "--reference-importer names DEU, which is not in the baseline",
        ),
        (("--change", "fta=1@C00-C03", "--sigma", "5", "--map", "exporter"), "ROLE=COLUMN"),
        (
            ("--change", "fta=1@C00-C03", "--sigma", "5", "--covariance", str(COEFS)),
            "give --draws too",
        ),
        (
            ("--change", "fta=1@C00-C03", "--sigma", "5", "--map", "trade=value"),
            "no column 'value' for trade",
        ),
    ],
)
def test_bad_input_exits_2_with_the_reason(cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("potential", "scenario", WORLD, "--coefficients", COEFS, *args)
    assert r.exit_code == 2, r.stdout
    assert message in r.stderr


def test_a_missing_pair_names_the_file_and_what_to_do(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = WORLD.read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    r = cli("potential", "scenario", short, "--coefficients", COEFS, "--change", "fta=1@C00-C03",
            "--sigma", "5", "--json")  # fmt: skip
    assert r.exit_code == 2
    err = json.loads(r.stdout or r.stderr)
    assert "domestic flows" in err["message"] and err["exit_code"] == 2
