"""``python -m bilat`` runs the same command line as the ``bilat`` script."""

from __future__ import annotations

import subprocess
import sys


def test_python_m_bilat_prints_the_commands_and_exits_2_on_a_bad_one() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "bilat", "--help"], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0
    assert "agenda" in ok.stdout and "claims" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "bilat", "no-such-command"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
