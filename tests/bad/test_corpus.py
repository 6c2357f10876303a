"""Every input of the bad-input corpus (tests/fixtures/bad) through the CLI: exit 2, a message
naming the file and what was wrong, and a home (lake, agenda) left byte for byte as it was."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "bad"))
import corpus

CASES = {c.name: c for c in corpus.cases(Path("generated"))}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, corpus.Case]:
    gen = tmp_path_factory.mktemp("bad-generated")
    corpus.generate(gen)
    return {c.name: c for c in corpus.cases(gen)}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exits_2_names_the_file_and_writes_nothing(
    name: str, generated: dict[str, corpus.Case], cli: Any
) -> None:
    case = generated[name]
    home = Path(os.environ["BILAT_HOME"])
    corpus.setup_home(home)
    before = corpus.snapshot(home)
    r = cli(*case.args)
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    message = " ".join(r.stderr.split())  # rich wraps long lines
    assert case.names in message, message
    assert case.says in message, message
    assert "Traceback" not in r.stderr
    assert corpus.snapshot(home) == before
