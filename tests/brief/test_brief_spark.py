"""The whole briefing on local Spark: every figure equal to DuckDB's, on the same lake.

Spark is chosen the way a user chooses it, in ``$BILAT_HOME/config.toml`` (``[engine]
backend = "pyspark"``), and made once per process by :mod:`bilat.lake.engine`. Two lakes:
the small synthetic world with the shipped BLR–KAZ case (every section, charts included),
and the trade tests' hand-made declarations (a dyad only reporters' declarations cover: the
mirror rule and the declared totals).
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bilat.brief import Briefing, build_briefing
from bilat.lake import Lake

from .conftest import CASE

pytestmark = [pytest.mark.spark, pytest.mark.timeout(1800)]  # two Spark briefings: minutes

#: Fields that differ between two builds of the same briefing by design: the clock.
_TIMING = frozenset({"generated_at"})
#: A chart's data set is named by a hash of its rows: equal rows up to rounding, other name.
_DATA_NAME = re.compile(r"data-[0-9a-f]{32}")


def _spark_config(home: Path) -> None:
    (home / "config.toml").write_text(
        '[engine]\nbackend = "pyspark"\nspark_master = "local[2]"\n'
        "[engine.spark_conf]\n"
        '"spark.sql.shuffle.partitions" = 2\n"spark.default.parallelism" = 2\n'
        '"spark.ui.enabled" = false\n"spark.sql.session.timeZone" = "UTC"\n',
        encoding="utf-8",
    )


@pytest.fixture
def on_spark(_isolated_home: Path, skip_or_fail: Any) -> Any:
    """``on_spark(root)``: the lake at ``root`` opened as a user would with Spark configured."""
    if importlib.util.find_spec("pyspark") is None:
        skip_or_fail("pyspark is not installed (pip install 'bilat[spark]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        skip_or_fail("Java is not installed (Spark needs it)")
    _spark_config(_isolated_home)

    def open_(root: Path) -> Lake:
        lake = Lake.open(root)
        assert lake.con.name == "pyspark"
        return lake

    return open_


def _same(a: Any, b: Any, path: str = "") -> None:
    """Deep equality of two briefing documents; floats to 1e-9, chart data names ignored."""
    if isinstance(a, dict):
        assert {_DATA_NAME.sub("data", k) for k in a} == {_DATA_NAME.sub("data", k) for k in b}
        keyed = {_DATA_NAME.sub("data", k): v for k, v in b.items()}
        for k, v in a.items():
            if k not in _TIMING:
                _same(v, keyed[_DATA_NAME.sub("data", k)], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), (path, a, b)
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (path, a, b)
    elif isinstance(a, str) and isinstance(b, str):
        assert _DATA_NAME.sub("data", a) == _DATA_NAME.sub("data", b), path
    else:
        assert a == b, (path, a, b)


def _figures(doc: dict[str, Any]) -> int:
    """How many numbers the document holds (a briefing with none would compare vacuously)."""
    if isinstance(doc, dict):
        return sum(_figures(v) for v in doc.values())
    if isinstance(doc, list):
        return sum(_figures(v) for v in doc)
    return int(isinstance(doc, int | float) and not isinstance(doc, bool))


def test_whole_briefing_same_on_spark(
    briefing: Briefing, synthetic_lake: Lake, on_spark: Any
) -> None:
    spark = build_briefing(
        on_spark(synthetic_lake.root), "BLR", "KAZ", year=2021, case=CASE, as_of="2023-01-01"
    )
    duck, got = briefing.to_dict(), spark.to_dict()
    assert [s["status"] for s in got["sections"]] == [s["status"] for s in duck["sections"]]
    assert {s["status"] for s in got["sections"]} == {"ok"}  # every section holds figures
    assert _figures(duck) > 500
    _same(duck, got)


def _declarations_lake(root: Path) -> Lake:
    """The trade tests' declarations lake (tests/trade/conftest.py builds it)."""
    path = Path(__file__).resolve().parents[1] / "trade" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_trade_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lake: Lake = module.make_declarations_lake(root)
    return lake


def test_declared_dyad_briefing_same_on_spark(tmp_path: Path, on_spark: Any) -> None:
    root = tmp_path / "declared"
    duck = build_briefing(_declarations_lake(root), "BLR", "KAZ", year=2022, as_of="2023-01-01")
    spark = build_briefing(on_spark(root), "BLR", "KAZ", year=2022, as_of="2023-01-01")
    head = spark.section("headline").to_dict()
    assert head["status"] == "ok"
    # the hand numbers of tests/fixtures/trade/declarations.csv for 2022 (as on DuckDB in
    # tests/trade/test_spark.py): exports 700, imports 150, from declarations and mirrors
    assert [f["value"] for f in head["figures"][:4]] == [850.0, 700.0, 150.0, 550.0]
    _same(duck.to_dict(), spark.to_dict())


def test_declared_dyad_briefing_same_on_spark_connect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Spark Connect server (``BILAT_TEST_SPARK_REMOTE=sc://host:port``; CI starts none).

    The server must read the lake at the same path as this process (a local server, or a
    shared file system): start one with ``spark-submit --class
    org.apache.spark.sql.connect.service.SparkConnectServer`` (see docs/scale.md). Run it on
    its own (``-k connect``): pyspark allows no Connect session beside a classic one.
    """
    remote = os.environ.get("BILAT_TEST_SPARK_REMOTE")
    if not remote:
        pytest.skip("no Spark Connect server named (BILAT_TEST_SPARK_REMOTE=sc://host:port)")
    root = tmp_path / "declared"
    duck = build_briefing(_declarations_lake(root), "BLR", "KAZ", year=2022, as_of="2023-01-01")
    monkeypatch.setenv("BILAT_BACKEND", "pyspark")
    monkeypatch.setenv("BILAT_SPARK_REMOTE", remote)
    lake = Lake.open(root)
    assert type(getattr(lake.con, "_session", None)).__module__.startswith("pyspark.sql.connect")
    spark = build_briefing(lake, "BLR", "KAZ", year=2022, as_of="2023-01-01")
    _same(duck.to_dict(), spark.to_dict())
