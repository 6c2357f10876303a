"""``bilat mirror report|reconcile`` on a lake holding synthetic declarations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.reconcile.synthetic import declarations_table

from bilat.sources.geodist import read_geodist

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def lake_path(syn: Any, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bilat.lake import Lake

    geo = read_geodist(shared_data / "geo" / "dist_cepii.csv.gz")
    decl = syn.make(geo, products=20).declarations
    table = declarations_table(decl)
    path = tmp_path_factory.mktemp("mirror-cli") / "lake"
    Lake.open(path, create=True).ingest_arrow(
        table, kind="declarations", source="synthetic", name="mirror-test", synthetic=True
    )
    return path


def test_mirror_report_command(cli: Any, lake_path: Path, shared_data: Path) -> None:
    geo = str(shared_data / "geo" / "dist_cepii.csv.gz")
    res = cli("mirror", "report", "BLR", "KAZ", "--geodist", geo, "--lake", str(lake_path))
    assert res.exit_code == 0, res.stderr
    assert "Mirror: BLR ↔ KAZ, HS level 6" in res.stdout
    assert "Suspected causes" in res.stdout
    out = cli(
        "mirror",
        "report",
        "BLR",
        "KAZ",
        "--geodist",
        geo,
        "--lake",
        str(lake_path),
        "--years",
        "2021",
        "--json",
    )
    data = json.loads(out.stdout)
    assert {(t["year"], t["exporter"]) for t in data["totals"]} == {(2021, "BLR"), (2021, "KAZ")}
    assert all(t["products"] == 20 for t in data["totals"])


def test_mirror_reconcile_command(syn: Any, cli: Any, lake_path: Path, shared_data: Path) -> None:
    geo = str(shared_data / "geo" / "dist_cepii.csv.gz")
    res = cli("mirror", "reconcile", "--geodist", geo, "--lake", str(lake_path), "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["flows"] == 12 * 11 * 20 * 2
    assert data["identified"] is True
    assert data["margins"]["specification"] == "baci"
    assert {"const", "ln_dist", "ln_dist2", "contig"} <= set(data["margins"]["coefficients"])
    # no country file: the landlocked regressors are left out, and the result says so
    assert {"landlocked_exporter", "landlocked_importer"} <= set(data["margins"]["omitted"])
    res = cli(
        "mirror", "reconcile", "--geodist", geo, "--lake", str(lake_path), "--json",
        "--margin-model", "distance",
    )  # fmt: skip
    data = json.loads(res.stdout)
    assert list(data["margins"]["coefficients"]) == ["const", "ln_dist", "contig"]
    assert data["margins"]["b_dist"] == pytest.approx(syn.B_DIST, abs=0.003)


def test_mirror_without_geodist_exits_2(cli: Any, lake_path: Path) -> None:
    res = cli("mirror", "report", "BLR", "KAZ", "--lake", str(lake_path))
    assert res.exit_code == 2
    assert "no GeoDist file: give --geodist FILE" in res.stderr


def test_mirror_help(cli: Any) -> None:
    for cmd in ("report", "reconcile"):
        res = cli("mirror", cmd, "--help")
        assert res.exit_code == 0
        assert "--geodist" in res.stdout


def test_mirror_reconcile_text_speaks_in_words(
    cli: Any, lake_path: Path, shared_data: Path, tmp_path: Path
) -> None:
    import shutil

    lake = tmp_path / "lake"
    shutil.copytree(lake_path, lake)
    geo = str(shared_data / "geo" / "dist_cepii.csv.gz")
    res = cli("mirror", "reconcile", "--geodist", geo, "--lake", str(lake), "--years", "2021",
              "--ingest")  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("2,640 flows (2,640 flows reconciled). ln(1+margin) = ")
    assert "(baci model, fitted on 2,640 flows, R² " in res.stdout
    assert "·ln_dist2 " in res.stdout
    assert "ingested 2,640 reconciled flows (entry " in res.stdout
    assert "(s)" not in res.stdout and "{" not in res.stdout


def test_convert_to_without_a_concordance_says_which_option(cli: Any, lake_path: Path) -> None:
    res = cli("mirror", "reconcile", "--convert-to", "HS17", "--lake", str(lake_path))
    assert res.exit_code == 2
    assert "--convert-to HS17 needs the correlation tables that reach it: give --concordance" in (
        res.stderr
    )
