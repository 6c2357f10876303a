"""The engine a lake is read with: BILAT_BACKEND, the config file, and their errors."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from bilat._config import engine_settings
from bilat.errors import InputError
from bilat.lake import Lake
from bilat.lake.engine import spark_session
from bilat.sources.schema import FLOW_SCHEMA


def _config(home: Path, text: str) -> Path:
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_is_duckdb_in_process(tmp_path: Path) -> None:
    s = engine_settings()
    assert (s.backend, s.origin, s.spark_remote, s.spark_master) == (
        "duckdb",
        "default",
        None,
        None,
    )
    lake = Lake.open(tmp_path / "lake", create=True)
    assert lake.con.name == "duckdb"


def test_config_file_names_spark_and_its_settings(_isolated_home: Path) -> None:
    path = _config(
        _isolated_home,
        '[engine]\nbackend = "pyspark"\nspark_master = "local[2]"\n'
        'lake_url = "file:///shared/lake"\n'
        '[engine.spark_conf]\n"spark.sql.shuffle.partitions" = 4\n'
        "spark.ui.enabled = false\n",
    )
    s = engine_settings()
    assert (s.backend, s.origin, s.spark_master) == ("pyspark", str(path), "local[2]")
    assert s.lake_url == "file:///shared/lake"
    # quoted and dotted keys both name a Spark setting; values are given to Spark as text
    assert dict(s.spark_conf) == {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}


def test_environment_wins_over_the_file(
    _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(_isolated_home, '[engine]\nbackend = "pyspark"\nspark_master = "yarn"\n')
    monkeypatch.setenv("BILAT_BACKEND", "DuckDB")
    s = engine_settings()
    assert (s.backend, s.origin) == ("duckdb", "BILAT_BACKEND")
    monkeypatch.setenv("BILAT_BACKEND", "pyspark")
    monkeypatch.setenv("BILAT_SPARK_MASTER", "local[2]")
    assert engine_settings().spark_master == "local[2]"


def test_bilat_config_names_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _config(tmp_path, '[engine]\nbackend = "pyspark"\n')
    monkeypatch.setenv("BILAT_CONFIG", str(path))
    assert engine_settings().origin == str(path)


def test_an_unknown_backend_names_the_setting_the_value_and_the_choices(
    _isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILAT_BACKEND", "spark")
    with pytest.raises(InputError) as err:
        Lake.open(_isolated_home / "lake", create=True)
    assert str(err.value).startswith("BILAT_BACKEND must be one of duckdb, pyspark but got 'spark'")
    assert err.value.exit_code == 2
    monkeypatch.delenv("BILAT_BACKEND")
    path = _config(_isolated_home, '[engine]\nbackend = "polars"\n')
    with pytest.raises(InputError, match=rf"engine.backend in {path} must be one of .* 'polars'"):
        engine_settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[engine]\nbackend = "pyspark\n', r"config.toml: not a valid TOML file .*line 2"),
        ('[engine]\nbackends = "pyspark"\n', r"unknown setting engine.backends; the \[engine\]"),
        ("[engine]\nspark_master = 7\n", r"engine.spark_master must be a string but got 7"),
        ('[engine]\nspark_conf = "x"\n', r"engine.spark_conf must be a table"),
        (
            '[engine]\nspark_remote = "sc://h:15002"\nspark_master = "yarn"\n',
            r"set a Spark Connect URL .* or a master .* not both",
        ),
    ],
    ids=["toml", "unknown-key", "type", "conf-type", "remote-and-master"],
)
def test_a_bad_config_file_is_an_input_error(_isolated_home: Path, text: str, message: str) -> None:
    _config(_isolated_home, text)
    with pytest.raises(InputError, match=message):
        engine_settings()


def test_the_cli_exits_2_on_an_unknown_backend(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Lake.open(tmp_path / "lake", create=True)
    monkeypatch.setenv("BILAT_BACKEND", "sparkle")
    got = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--lake", tmp_path / "lake")
    assert got.exit_code == 2
    assert "BILAT_BACKEND must be one of duckdb, pyspark but got 'sparkle'" in got.stderr


def test_spark_without_pyspark_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILAT_BACKEND", "pyspark")
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # as if pyspark were not installed
    with pytest.raises(InputError, match=r"pip install 'bilat\[spark\]'") as err:
        spark_session(engine_settings())
    assert "from BILAT_BACKEND" in str(err.value)
    lake = Lake.open(tmp_path / "lake", create=True)  # opening reads nothing: no Spark yet
    assert lake.root.is_dir()


@pytest.mark.spark
def test_spark_reads_the_files_at_lake_url(
    _isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skip_or_fail: Any
) -> None:
    """The manifest is read from the local path; Spark reads the Parquet files at lake_url."""
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        skip_or_fail("pyspark or Java is not installed")
    lake = Lake.open(tmp_path / "lake", create=True)
    rows = {"year": [2021, 2021], "exporter": ["BLR", "KAZ"], "importer": ["KAZ", "BLR"],
            "product": ["170410", "270900"], "hs_rev": ["HS17"] * 2, "value_usd": [5.0, 7.0],
            "quantity": [None] * 2, "quantity_unit": [None] * 2, "source": ["t"] * 2,
            "basis": ["reconciled"] * 2}  # fmt: skip
    lake.ingest_arrow(pa.table(rows, schema=FLOW_SCHEMA), kind="flows", source="t", name="t")
    elsewhere = tmp_path / "mirror-of-the-lake"
    shutil.copytree(lake.root / "data", elsewhere / "data")
    shutil.rmtree(lake.root / "data")  # only the copy holds the files now
    _config(
        _isolated_home,
        f'[engine]\nbackend = "pyspark"\nspark_master = "local[2]"\n'
        f'lake_url = "{elsewhere.as_uri()}"\n[engine.spark_conf]\n'
        '"spark.ui.enabled" = false\n"spark.sql.shuffle.partitions" = 2\n',
    )
    on_spark = Lake.open(lake.root)
    assert on_spark.con.name == "pyspark"
    assert on_spark.flows().value_usd.sum().execute() == 12.0


@pytest.mark.spark
def test_the_cli_reads_on_spark_when_told(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skip_or_fail: Any
) -> None:
    """``BILAT_BACKEND=pyspark bilat trade summary ...`` prints what DuckDB prints."""
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        skip_or_fail("pyspark or Java is not installed")
    lake = Lake.open(tmp_path / "lake", create=True)
    rows = {"year": [2021, 2021, 2021], "exporter": ["BLR", "KAZ", "BLR"],
            "importer": ["KAZ", "BLR", "RUS"], "product": ["170410", "270900", "870110"],
            "hs_rev": ["HS17"] * 3, "value_usd": [5.0, 7.0, 11.0], "quantity": [None] * 3,
            "quantity_unit": [None] * 3, "source": ["t"] * 3, "basis": ["reconciled"] * 3}  # fmt: skip
    lake.ingest_arrow(pa.table(rows, schema=FLOW_SCHEMA), kind="flows", source="t", name="t")
    args = ("trade", "summary", "BLR", "KAZ", "--year", "2021", "--json", "--lake", lake.root)
    duck = cli(*args)
    monkeypatch.setenv("BILAT_BACKEND", "pyspark")
    monkeypatch.setenv("BILAT_SPARK_MASTER", "local[2]")
    spark = cli(*args)
    assert (duck.exit_code, spark.exit_code) == (0, 0), spark.stderr
    assert json.loads(spark.stdout) == json.loads(duck.stdout)
    assert json.loads(spark.stdout)["exports_usd"] == 5.0


@pytest.mark.spark
def test_spark_connect_beside_a_classic_session_is_an_input_error(
    _isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skip_or_fail: Any
) -> None:
    """pyspark refuses a Connect session in a process running a classic one: we say so."""
    if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
        skip_or_fail("pyspark or Java is not installed")
    monkeypatch.setenv("BILAT_BACKEND", "pyspark")
    monkeypatch.setenv("BILAT_SPARK_MASTER", "local[1]")
    classic = spark_session(engine_settings())  # the JVM session, as a first lake makes it
    assert not type(classic).__module__.startswith("pyspark.sql.connect")
    monkeypatch.delenv("BILAT_SPARK_MASTER")
    monkeypatch.setenv("BILAT_SPARK_REMOTE", "sc://127.0.0.1:1")
    with pytest.raises(InputError, match="already runs a classic Spark session") as err:
        spark_session(engine_settings())
    assert err.value.details["setting"] == "spark_remote"
