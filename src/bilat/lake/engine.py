"""The engine a lake is read with: DuckDB in process, or Spark through Ibis' pyspark backend.

Which one is :func:`bilat._config.engine_settings` (``BILAT_BACKEND``, the config file's
``[engine]`` table). DuckDB is the default: one in-memory connection per lake. Spark is made
lazily, once per process, the first time a lake is read: a Spark Connect session when a
``spark_remote`` URL is set, else a classic session on ``spark_master`` (or the session
already running in the process). Everything Spark-specific in reading a lake is here; the
queries above the lake are the same Ibis expressions on either engine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bilat._config import EngineSettings
from bilat.errors import InputError

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

__all__ = ["connect", "read_parquet", "spark_session"]

_LOCK = threading.Lock()
#: The process's Spark backend (Ibis over the SparkSession), made on first use; one for the
#: local JVM and one per Spark Connect URL.
_SPARK: dict[str, Any] = {}


def connect(settings: EngineSettings) -> ibis.BaseBackend:
    """The Ibis backend ``settings`` name: a new DuckDB connection, or the process's Spark."""
    import ibis

    if settings.backend == "duckdb":
        return ibis.duckdb.connect()
    key = settings.spark_remote or "classic"  # one backend per Connect URL, one for the JVM
    with _LOCK:
        backend = _SPARK.get(key)
        if backend is None or not _alive(backend):
            backend = _SPARK[key] = ibis.pyspark.connect(spark_session(settings))
        return backend


def _alive(backend: Any) -> bool:
    """False when the classic session under ``backend`` was stopped (someone called stop())."""
    try:
        context = backend._session.sparkContext
    except Exception:  # a Spark Connect session has no SparkContext: the server keeps it
        return True
    return getattr(context, "_jsc", None) is not None


def spark_session(settings: EngineSettings) -> Any:
    """A SparkSession as ``settings`` say: Spark Connect, a master, or the running one.

    Raises
    ------
    InputError
        pyspark is not installed (``pip install 'bilat[spark]'``).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            f"the backend is pyspark (from {settings.origin}) but pyspark is not installed; "
            "install it with pip install 'bilat[spark]', or set BILAT_BACKEND=duckdb",
            details={"setting": "backend", "value": "pyspark", "origin": settings.origin},
        ) from None
    builder = SparkSession.builder.appName("bilat")
    if settings.spark_remote:
        builder = builder.remote(settings.spark_remote)
    elif settings.spark_master:
        builder = builder.master(settings.spark_master)
    elif SparkSession.getActiveSession() is None:
        builder = builder.master("local[*]")
    for key, value in settings.spark_conf.items():
        builder = builder.config(key, value)
    if settings.spark_remote and _classic_running(SparkSession):
        raise InputError(
            f"spark_remote is {settings.spark_remote} (from {settings.origin}) but this process "
            "already runs a classic Spark session, and pyspark allows no Spark Connect session "
            "beside one; read the lake through Spark Connect in a process of its own, or unset "
            "spark_remote to use the running session",
            details={"setting": "spark_remote", "value": settings.spark_remote},
        )
    return builder.getOrCreate()


def _classic_running(session_class: Any) -> bool:
    """Whether a classic (JVM) SparkSession is active in this process."""
    active = session_class.getActiveSession()
    return active is not None and not type(active).__module__.startswith("pyspark.sql.connect")


def read_parquet(con: ibis.BaseBackend, files: Sequence[str], name: str) -> ir.Table:
    """The Parquet ``files`` as one Ibis table named ``name`` on ``con``.

    DuckDB and Spark read the files in one scan (Spark through its own reader, registered
    as a temporary view: Ibis' pyspark ``read_parquet`` takes one path); any other backend
    reads one file per call, the parts unioned.
    """
    if con.name == "duckdb":
        return con.read_parquet(list(files), table_name=name)
    session = getattr(con, "_session", None)
    if con.name == "pyspark" and session is not None:
        session.read.parquet(*files).createOrReplaceTempView(name)
        return con.table(name)
    parts = [con.read_parquet(f) for f in files]
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
