"""Where bilat keeps its state: ``BILAT_HOME`` or the user's data directory, and the lake.

The lake is found in one place, :func:`resolve_lake`, for the library and every command:
a path given by the caller (``Lake.open(path)``, ``--lake``), else ``$BILAT_LAKE``, else
``$BILAT_HOME/lake`` (the platform's user data folder when ``BILAT_HOME`` is not set).

The engine a lake is read with is found in one place too, :func:`engine_settings`:
``$BILAT_BACKEND`` (and ``$BILAT_SPARK_REMOTE``, ``$BILAT_SPARK_MASTER``) win over the
``[engine]`` table of the config file (``$BILAT_CONFIG``, else ``$BILAT_HOME/config.toml``),
which wins over the default, DuckDB in process::

    [engine]
    backend = "pyspark"                 # or "duckdb"
    spark_remote = "sc://spark.example:15002"   # Spark Connect; or, instead:
    # spark_master = "yarn"             # spark://host:7077, yarn, local[4] ...
    lake_url = "hdfs://nn:8020/bilat/lake"      # where Spark's executors read the lake
    [engine.spark_conf]
    "spark.executor.memory" = "4g"
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

__all__ = [
    "BACKENDS",
    "ENV_BACKEND",
    "ENV_CONFIG",
    "ENV_HOME",
    "ENV_LAKE",
    "EngineSettings",
    "__version__",
    "config_path",
    "engine_settings",
    "home",
    "lake_path",
    "resolve_lake",
]

# The release, as in pyproject.toml; re-exported as ``bilat.__version__``.
__version__ = "0.1.0.dev0"

#: The bilat home folder (agenda, accounts, caches, and the lake unless ``BILAT_LAKE`` is set).
ENV_HOME = "BILAT_HOME"
#: The lake folder; wins over ``$BILAT_HOME/lake``, loses to a path the caller gives.
ENV_LAKE = "BILAT_LAKE"
#: The engine lakes are read with (``duckdb`` or ``pyspark``); wins over the config file.
ENV_BACKEND = "BILAT_BACKEND"
#: The config file (default ``$BILAT_HOME/config.toml``).
ENV_CONFIG = "BILAT_CONFIG"
#: The engines a lake can be read with.
BACKENDS = ("duckdb", "pyspark")
#: Settings of the ``[engine]`` table that environment variables override, and their names.
_ENV_SETTINGS = {
    "backend": ENV_BACKEND,
    "spark_remote": "BILAT_SPARK_REMOTE",
    "spark_master": "BILAT_SPARK_MASTER",
}
_ENGINE_KEYS = ("backend", "spark_remote", "spark_master", "lake_url", "spark_conf")


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


@dataclass(frozen=True)
class EngineSettings:
    """How lakes are read: the backend, and for Spark where it runs and what it is told.

    ``origin`` names where ``backend`` was set (``BILAT_BACKEND``, the config file's path,
    or ``default``); ``spark_remote`` is a Spark Connect URL (``sc://host:15002``),
    ``spark_master`` a master URL (``spark://host:7077``, ``yarn``, ``local[2]``); at most
    one of the two is set (neither: an existing SparkSession, else ``local[*]``).
    ``lake_url`` is the lake folder as Spark's executors see it (``hdfs://...``,
    ``s3a://...``, ``file:///...``); default the local path.
    """

    backend: str = "duckdb"
    origin: str = "default"
    spark_remote: str | None = None
    spark_master: str | None = None
    lake_url: str | None = None
    spark_conf: Mapping[str, str] = field(default_factory=dict)


def config_path() -> Path:
    """The config file: ``$BILAT_CONFIG`` when set, else ``$BILAT_HOME/config.toml``."""
    env = os.environ.get(ENV_CONFIG)
    return Path(env).expanduser() if env else home() / "config.toml"


def _read_config(path: Path) -> dict[str, Any]:
    from bilat.errors import InputError

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise InputError(
            f"{path}: not a valid TOML file ({exc}); fix the line named, or remove the file",
            details={"path": str(path), "error": str(exc)},
        ) from None


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"spark": {"executor": {"memory": "4g"}}}`` as ``{"spark.executor.memory": "4g"}``."""
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def _engine_table(path: Path) -> dict[str, Any]:
    """The config file's ``[engine]`` table, its keys and value types checked."""
    from bilat.errors import InputError

    engine = _read_config(path).get("engine", {})
    if not isinstance(engine, Mapping):
        raise InputError(
            f"{path}: 'engine' must be a table ([engine])", details={"path": str(path)}
        )
    unknown = sorted(set(engine) - set(_ENGINE_KEYS))
    if unknown:
        raise InputError(
            f"{path}: unknown setting engine.{unknown[0]}; the [engine] table takes "
            + ", ".join(_ENGINE_KEYS),
            details={
                "path": str(path),
                "setting": f"engine.{unknown[0]}",
                "expected": _ENGINE_KEYS,
            },
        )
    for key, value in engine.items():
        want = Mapping if key == "spark_conf" else str
        if not isinstance(value, want):
            raise InputError(
                f"{path}: engine.{key} must be a {'table' if want is Mapping else 'string'} "
                f"but got {value!r}",
                details={"path": str(path), "setting": f"engine.{key}", "value": repr(value)},
            )
    return dict(engine)


def engine_settings() -> EngineSettings:
    """The engine to read lakes with: environment, then the config file, then DuckDB.

    Raises
    ------
    InputError
        The config file is not valid TOML or holds an unknown setting, the backend is not
        one of :data:`BACKENDS`, or both a Spark Connect URL and a master are set.
    """
    from bilat.errors import InputError

    path = config_path()
    values = _engine_table(path)
    origins = dict.fromkeys(values, str(path))
    for key, env in _ENV_SETTINGS.items():
        if os.environ.get(env):
            values[key], origins[key] = os.environ[env].strip(), env
    backend = str(values.get("backend", "duckdb")).strip().lower()
    origin = origins.get("backend", "default")
    if backend not in BACKENDS:
        setting = ENV_BACKEND if origin == ENV_BACKEND else f"engine.backend in {origin}"
        raise InputError(
            f"{setting} must be one of {', '.join(BACKENDS)} but got {values['backend']!r}; "
            "set it to one of those",
            details={"setting": setting, "value": values["backend"], "expected": list(BACKENDS)},
        )
    if values.get("spark_remote") and values.get("spark_master"):
        raise InputError(
            "set a Spark Connect URL (spark_remote, from "
            f"{origins['spark_remote']}) or a master (spark_master, from "
            f"{origins['spark_master']}), not both",
            details={"setting": "spark_remote/spark_master"},
        )
    return EngineSettings(
        backend=backend,
        origin=origin,
        spark_remote=values.get("spark_remote") or None,
        spark_master=values.get("spark_master") or None,
        lake_url=values.get("lake_url") or None,
        spark_conf=_flat(values.get("spark_conf", {})),
    )
