"""Where bilat keeps its state: ``BILAT_HOME`` or the user's data directory, and the lake.

The lake is found in one place, :func:`resolve_lake`, for the library and every command:
a path given by the caller (``Lake.open(path)``, ``--lake``), else ``$BILAT_LAKE``, else
``$BILAT_HOME/lake`` (the platform's user data folder when ``BILAT_HOME`` is not set).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["ENV_HOME", "ENV_LAKE", "__version__", "home", "lake_path", "resolve_lake"]

# The release, as in pyproject.toml; re-exported as ``bilat.__version__``.
__version__ = "0.1.0.dev0"

#: The bilat home folder (agenda, accounts, caches, and the lake unless ``BILAT_LAKE`` is set).
ENV_HOME = "BILAT_HOME"
#: The lake folder; wins over ``$BILAT_HOME/lake``, loses to a path the caller gives.
ENV_LAKE = "BILAT_LAKE"


def home() -> Path:
    """The bilat home folder: ``$BILAT_HOME`` when set, else the platform's user data dir."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("bilat", appauthor=False))


def resolve_lake(path: str | Path | None = None) -> tuple[Path, str]:
    """The lake folder and where it was named: ``"given"``, ``"BILAT_LAKE"`` or ``"BILAT_HOME"``.

    ``path`` (when not ``None``) wins, then ``$BILAT_LAKE`` (when set and not empty), then
    ``home() / "lake"``. The path is not resolved against the file system here, nor checked.
    """
    if path is not None:
        return Path(path).expanduser(), "given"
    env = os.environ.get(ENV_LAKE)
    if env:
        return Path(env).expanduser(), ENV_LAKE
    return home() / "lake", ENV_HOME


def lake_path(path: str | Path | None = None) -> Path:
    """The lake folder ``Lake.open(path)`` reads: see :func:`resolve_lake`."""
    return resolve_lake(path)[0]
