"""``bilat trade ...``: each command calls one library function; ``--json`` everywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def home(tmp_path_factory, lake_builders) -> Path:
    root = tmp_path_factory.mktemp("trade-home")
    lake_builders["flows"](root / "lake")
    return root


COMMANDS = [
    ["summary", "BLR", "KAZ", "--year", "2021"],
    ["series", "BLR", "KAZ", "--years", "2019-2021"],
    ["products", "BLR", "KAZ", "--year", "2021", "--level", "4", "--top", "2"],
    ["baskets", "BLR", "KAZ", "--years", "2020-2021"],
    ["events", "BLR", "KAZ", "--year", "2021", "--min-value", "50"],
    ["partners", "BLR", "--flow", "export", "--year", "2021", "--top", "3"],
    ["concentration", "BLR", "KAZ", "--year", "2021"],
    ["rca", "BLR", "KAZ", "--year", "2021", "--level", "4"],
    ["complementarity", "BLR", "KAZ", "--year", "2021", "--level", "4"],
    ["intensity", "BLR", "KAZ", "--year", "2021"],
    ["mirror", "BLR", "KAZ", "--years", "2020-2021"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_command_table_and_json(cli, home, args):
    table = cli("trade", *args, "--home", str(home))
    assert table.exit_code == 0, table.stderr
    assert "flows.csv" in table.stdout or args[0] == "mirror"  # no declarations: no rows
    assert "Basis:" in table.stdout
    data = cli("trade", *args, "--home", str(home), "--json")
    assert data.exit_code == 0, data.stderr
    sources = json.loads(data.stdout)["provenance"]["sources"]
    assert [s["path"] for s in sources] == ([] if args[0] == "mirror" else ["flows.csv"])


def test_summary_numbers_and_sentences(cli, home):
    out = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--home", str(home), "--json")
    data = json.loads(out.stdout)
    assert (data["exports_usd"], data["imports_usd"], data["turnover_usd"]) == (570.0, 130.0, 700.0)
    text = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--home", str(home)).stdout
    assert "Kazakhstan (KAZ) is the 3rd destination of the exports of Belarus in 2021" in text


def test_products_json_rows(cli, home):
    out = cli(
        "trade",
        "products",
        "BLR",
        "KAZ",
        "--year",
        "2021",
        "--level",
        "4",
        "--top",
        "2",
        "--home",
        str(home),
        "--json",
    )
    rows = json.loads(out.stdout)["rows"]
    assert [(r["product"], r["value_usd"]) for r in rows] == [("1704", 400.0), ("1507", 80.0)]


def test_bad_input_exit_2(cli, home):
    out = cli(
        "trade", "products", "BLR", "KAZ", "--year", "2021", "--level", "3", "--home", str(home)
    )
    assert out.exit_code == 2
    assert "Invalid value for '--level'" in out.stderr
    assert "'3' is not one of '2', '4', '6'" in out.stderr
    unknown = cli("trade", "summary", "BLR", "ZZZ", "--year", "2021", "--home", str(home), "--json")
    assert unknown.exit_code == 2
    assert json.loads(unknown.stdout)["error"] == "UnknownCodeError"


def test_missing_year_exit_1(cli, home):
    out = cli("trade", "summary", "BLR", "KAZ", "--year", "2030", "--home", str(home))
    assert out.exit_code == 1
    assert "no trade data for 2030" in out.stderr


def test_every_command_has_help_and_a_doc_section(cli):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text("utf-8")
    for args in COMMANDS:
        out = cli("trade", args[0], "--help")
        assert out.exit_code == 0
        assert f"bilat trade {args[0]}" in doc, args[0]


def test_empty_home(cli, tmp_path):
    from bilat.lake import Lake

    shutil.rmtree(tmp_path, ignore_errors=True)
    out = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--home", str(tmp_path))
    assert out.exit_code == 2  # no lake there: bad input, and nothing is created
    assert f"no lake at {tmp_path / 'lake'};" in out.stderr and not tmp_path.exists()
    Lake.open(tmp_path / "lake", create=True)
    out = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--home", str(tmp_path))
    assert out.exit_code == 1
    assert "it is empty" in out.stderr


def test_lake_option(cli, home):
    out = cli("trade", "series", "BLR", "KAZ", "--years", "2020-2021",
              "--lake", str(home / "lake"), "--json")  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert [r["turnover_usd"] for r in json.loads(out.stdout)["rows"]] == [300.0, 700.0]


def test_synthetic_banner_on_stderr(cli, tmp_path, lake_builders):
    from bilat.lake import Lake

    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(lake_builders["flows_table"](), kind="flows", source="sample",
                      name="gen", synthetic=True)  # fmt: skip
    out = cli("trade", "summary", "BLR", "KAZ", "--year", "2021", "--lake", str(tmp_path / "lake"))
    assert out.exit_code == 0
    assert "SYNTHETIC" in out.stderr
    assert "SYNTHETIC DATA" in out.stdout  # the caption too


def test_series_and_mirror_default_to_every_year_held(cli, home):
    out = cli("trade", "series", "BLR", "KAZ", "--home", str(home), "--json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["start"], data["end"]) == (2019, 2021)
    mirror = cli("trade", "mirror", "BLR", "KAZ", "--home", str(home))
    assert mirror.exit_code == 0, mirror.stderr
    assert (
        "BLR→KAZ as each side declared it (mirror gap): no data for these countries, years"
        in mirror.stdout
        and "MirrorGap" not in mirror.stdout
    )


def test_baskets_take_one_year_or_a_range(cli, home):
    one = cli("trade", "baskets", "BLR", "KAZ", "--year", "2021", "--home", str(home), "--json")
    span = cli("trade", "baskets", "BLR", "KAZ", "--years", "2020-2021", "--home", str(home),
               "--json")  # fmt: skip
    none = cli("trade", "baskets", "BLR", "KAZ", "--home", str(home), "--json")
    assert one.exit_code == span.exit_code == none.exit_code == 0, one.stderr
    assert json.loads(one.stdout) == json.loads(span.stdout) == json.loads(none.stdout)
    assert (json.loads(one.stdout)["start"], json.loads(one.stdout)["end"]) == (2020, 2021)
    both = cli("trade", "baskets", "BLR", "KAZ", "--year", "2021", "--years", "2020-2021",
               "--home", str(home))  # fmt: skip
    assert both.exit_code == 2 and "give --years or --year, not both" in both.stderr
    bad = cli("trade", "series", "BLR", "KAZ", "--years", "2021-2019", "--home", str(home))
    assert bad.exit_code == 2 and "empty range" in bad.stderr


def test_products_by_basket_sorted(cli, home):
    out = cli("trade", "products", "BLR", "KAZ", "--year", "2021", "--level", "4",
              "--sort", "value_usd", "--order", "asc", "--home", str(home), "--json")  # fmt: skip
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    values = [r["value_usd"] for r in data["rows"]]
    assert values == sorted(values) and (data["sort"], data["order"]) == ("value_usd", "asc")
    sweet = cli("trade", "products", "BLR", "KAZ", "--year", "2021", "--level", "4",
                "--basket", "confectionery", "--home", str(home), "--json")  # fmt: skip
    rows = json.loads(sweet.stdout)["rows"]
    assert [r["product"] for r in rows] == ["1704"] and json.loads(sweet.stdout)["n_rows"] == 1


def test_overview_command(cli, home):
    out = cli("trade", "overview", "BLR", "KAZ", "--home", str(home), "--json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["year"] == 2021 and [h["key"] for h in data["headline"]] == [
        "turnover", "exports", "imports", "balance",
    ]  # fmt: skip
    assert data["summary"]["turnover_usd"] == 700.0 and data["event_counts"] is not None
    text = cli("trade", "overview", "BLR", "KAZ", "--year", "2021", "--home", str(home))
    assert text.exit_code == 0, text.stderr
    assert "Turnover: $700" in text.stdout
