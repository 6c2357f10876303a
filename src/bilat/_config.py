"""Where bilat keeps its state: ``BILAT_HOME`` or the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["home"]


def home() -> Path:
    """The bilat home folder: ``$BILAT_HOME`` when set, else the platform's user data dir."""
    env = os.environ.get("BILAT_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("bilat", appauthor=False))
