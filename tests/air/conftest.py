"""Fixtures for the air tests: the founding case, and the case plus a hypothetical agreement."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bilat.air import Agreement, case_agreements_dir, load_agreements

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"


@pytest.fixture(scope="session")
def case_dir() -> Path:
    return case_agreements_dir()


@pytest.fixture(scope="session")
def case() -> tuple[Agreement, ...]:
    return load_agreements(case_agreements_dir())


@pytest.fixture
def with_china(tmp_path: Path) -> Path:
    """The founding case plus the hypothetical BLR–CHN test agreement, in one folder."""
    for f in (case_agreements_dir() / "blr-kaz.yaml", FIXTURES / "blr-chn-hypothetical.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


@pytest.fixture(scope="session")
def july_ssim() -> Path:
    return FIXTURES / "blr-kaz-2022-07.ssim"
