"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("COLUMNS", "200")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that use it skip cleanly when it is absent (a fresh clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (only on the project's machines)")
    return SHARED_DATA


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is absent, except on CI (BILAT_REQUIRE_SERVICES=1): fail there."""
    if os.environ.get("BILAT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required on CI but absent: {reason}")
    pytest.skip(reason)


@pytest.fixture(name="skip_or_fail")
def _skip_or_fail_fixture() -> object:
    """``skip_or_fail("chromium is not installed")`` inside a test or fixture."""
    return skip_or_fail


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own BILAT_HOME (no BILAT_LAKE, no engine setting): no real lake."""
    home = tmp_path_factory.mktemp("bilat-home")
    monkeypatch.setenv("BILAT_HOME", str(home))
    monkeypatch.delenv("BILAT_LAKE", raising=False)
    for name in ("BILAT_BACKEND", "BILAT_CONFIG", "BILAT_SPARK_REMOTE", "BILAT_SPARK_MASTER"):
        monkeypatch.delenv(name, raising=False)  # every test reads on DuckDB unless it says
    return home


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[object]:
    """Run ``bilat ARGS...`` in-process: ``cli("sources", "--json")`` → CliResult."""
    from bilat.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run


@pytest.fixture(scope="session")
def comtrade_eu_lake(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    """A lake holding only the real Comtrade file (EU27 forestry imports 2018-2022), ingested
    once per session the way a user does it (``bilat ingest comtrade FILE --lake DIR``)."""
    from bilat.cli import main
    from bilat.lake import Lake

    root = tmp_path_factory.mktemp("comtrade-eu") / "lake"
    path = shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz"
    assert main(["ingest", "comtrade", str(path), "--lake", str(root)]) == 0
    return Lake.open(root)


@pytest.fixture(scope="session")
def comtrade_eu_raw(shared_data: Path) -> object:
    """The same real Comtrade file read independently with pandas (codes and ISO3 stripped)."""
    import pandas as pd

    path = shared_data / "comtrade" / "eu27-forestry-imports-2018-2022.csv.gz"
    df = pd.read_csv(path, dtype={"cmdCode": str})
    for col in ("cmdCode", "partnerISO", "reporterISO"):
        df[col] = df[col].str.strip()
    return df
