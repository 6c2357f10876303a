"""Helpers of the lake tests: a writer in a child process, killed at a chosen moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

KillFn = Callable[[str, list[str], Path], int]


def kill_at_marker(script: str, args: list[str], marker: Path) -> int:
    """Run ``python -c script *args``; SIGKILL it once it wrote ``marker``; its return code.

    The child writes the marker when it reached the moment to be killed in (and then waits
    there), so the kill lands mid-write, never by timing.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        for _ in range(600):
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the child never reached the moment to be killed in"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode


@pytest.fixture(name="kill_at_marker")
def _kill_at_marker() -> KillFn:
    return kill_at_marker
