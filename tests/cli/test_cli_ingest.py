from __future__ import annotations

import json
from pathlib import Path

GOOD = "t,i,j,k,v,q\n2021,112,398,10121,1.5,0.2\n2021,398,112,850440,3,\n"


def test_ingest_and_sources(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    p.write_text(GOOD)
    lake = str(tmp_path / "lake")
    r = cli("ingest", "baci", str(p), "--lake", lake)
    assert r.exit_code == 0, r.stderr
    assert "ingested" in r.stdout and "2 rows" in r.stdout
    r = cli("ingest", "baci", str(p), "--lake", lake)
    assert r.exit_code == 0 and "unchanged" in r.stdout
    r = cli("sources", "--lake", lake, "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    [entry] = data["entries"]
    assert (entry["source"], entry["release"], entry["rows"], entry["years"]) == (
        "baci",
        "V202401",
        2,
        [2021],
    )
    assert len(entry["sha256"]) == 64
    r = cli("sources", "--lake", lake)
    assert "V202401" in r.stdout and "BACI_HS17_Y2021_V202401.csv" in r.stdout


def test_bad_input_exit_2_with_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "b.csv"
    p.write_text("t,i,j,k,v,q\n2021,112,999,10121,1,1\n")
    r = cli("ingest", "baci", str(p), "--lake", str(tmp_path / "lake"))
    assert r.exit_code == 2
    assert "line 2, column 'j'" in r.stderr and "'999'" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("ingest", "baci", str(p), "--lake", str(tmp_path / "lake"), "--json")
    assert json.loads(r.stdout)["details"]["line"] == 2


def test_skip_bad_rows(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "b.csv"
    p.write_text(GOOD + "2021,112,999,10121,1,1\n")
    r = cli("ingest", "baci", str(p), "--lake", str(tmp_path / "lake"), "--skip-bad-rows", "--json")
    assert r.exit_code == 0
    [rep] = json.loads(r.stdout)["reports"]
    assert (rep["rows"], rep["rejected"]) == (2, 1) and Path(rep["rejects_path"]).exists()


def test_csv_map_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    r = cli("ingest", "csv", str(p), "--map", "year=a", "--source", "x")
    assert r.exit_code == 2
    assert "--map: the column map must name a column for exporter, importer" in r.stderr
    r = cli("ingest", "csv", str(p))
    assert r.exit_code == 2


def test_sources_on_empty_lake(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bilat.lake import Lake

    r = cli("sources", "--lake", str(tmp_path / "empty"))
    assert r.exit_code == 2 and f"no lake at {tmp_path / 'empty'};" in r.stderr  # nothing there
    assert not (tmp_path / "empty").exists()
    Lake.open(tmp_path / "empty", create=True)
    r = cli("sources", "--lake", str(tmp_path / "empty"))
    assert r.exit_code == 0 and "empty" in r.stdout


def test_multi_file_ingest_reports_what_landed_before_a_bad_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.csv"
    good.write_text(
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n2021,AUT,DEU,M,4401,1\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n20x1,AUT,DEU,M,4401,1\n"
    )
    r = cli("ingest", "comtrade", str(good), str(bad), "--lake", str(tmp_path / "lake"))
    assert r.exit_code == 2
    assert "ingested" in r.stdout
    assert "good.csv" in r.stdout
    assert "already ingested before this file" in r.stderr


def test_replace_option(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    head = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"
    first = tmp_path / "first.csv"
    first.write_text(head + "2021,AUT,DEU,M,4401,1\n")
    again = tmp_path / "again.csv"
    again.write_text(head + "2021,AUT,DEU,M,4401,2\n")
    lake = str(tmp_path / "lake")
    assert cli("ingest", "comtrade", str(first), "--lake", lake).exit_code == 0
    r = cli("ingest", "comtrade", str(again), "--lake", lake)
    assert r.exit_code == 2
    assert "--replace" in r.stderr
    r = cli("ingest", "comtrade", str(again), "--lake", lake, "--replace")
    assert r.exit_code == 0
    assert "replaces" in r.stdout


def test_synthetic_lake_is_said_on_every_trade_output(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa

    from bilat.lake import Lake
    from bilat.sources.schema import FLOW_SCHEMA

    n = 4
    table = pa.table(
        {
            "year": pa.array([2020, 2020, 2021, 2021], pa.int16()),
            "exporter": ["BLR", "KAZ"] * 2,
            "importer": ["KAZ", "BLR"] * 2,
            "product": ["170410"] * n,
            "hs_rev": ["HS22"] * n,
            "value_usd": [1.0, 2.0, 3.0, 4.0],
            "quantity": pa.nulls(n, pa.float64()),
            "quantity_unit": pa.nulls(n, pa.string()),
            "source": ["synthetic"] * n,
            "basis": ["reconciled"] * n,
        },
        schema=FLOW_SCHEMA,
    )
    lake = Lake.open(tmp_path / "lake", create=True)
    lake.ingest_arrow(table, kind="flows", source="synthetic", name="tiny", synthetic=True)
    for args in (("summary", "BLR", "KAZ", "--year", "2021"), ("series", "BLR", "KAZ",
                 "--years", "2020-2021")):  # fmt: skip
        r = cli("trade", *args, "--lake", str(lake.root))
        assert r.exit_code == 0, r.stderr
        assert "SYNTHETIC SAMPLE DATA" in r.stderr
    r = cli("sources", "--lake", str(lake.root))
    assert "synthetic" in r.stdout


COMTRADE_HEAD = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"


def test_one_command_per_registered_source_kind() -> None:
    import typer

    from bilat.cli.ingest import ingest_app
    from bilat.sources import READERS

    group = typer.main.get_group(ingest_app)
    assert sorted(group.commands) == sorted(READERS)
    csv_flags = {p.opts[0] for p in group.commands["csv"].params if p.opts[0].startswith("--")}
    assert {"--map", "--source", "--basis", "--hs-rev", "--value-scale", "--delimiter"} <= csv_flags
    baci = {p.opts[0] for p in group.commands["baci"].params}
    assert {"--release", "--hs-rev", "--replace", "--skip-bad-rows"} <= baci


def test_files_report_one_line_each_in_the_users_words(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one = tmp_path / "one.csv"
    one.write_text(COMTRADE_HEAD + "2021,AUT,DEU,M,4401,1\n")
    two = tmp_path / "two.csv"
    two.write_text(COMTRADE_HEAD + "2020,AUT,DEU,M,4401,1\n2021,AUT,DEU,M,4402,2\n")
    r = cli("ingest", "comtrade", str(one), str(two), "--lake", str(tmp_path / "lake"))
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split(" (entry")[0] for line in lines] == [
        f"ingested {one}: 1 row, year 2021",
        f"ingested {two}: 2 rows, years 2020, 2021",
        "2 files read: 2 ingested (3 rows), 0 unchanged",
    ]
    assert r.stderr == ""  # no spinner left behind between the files when not on a terminal


def test_library_keywords_become_flags_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(COMTRADE_HEAD + "20x1,AUT,DEU,M,4401,1\n2021,AUT,XXX,M,4401,1\n")
    r = cli("ingest", "comtrade", str(bad), "--lake", str(tmp_path / "lake"))
    assert r.exit_code == 2
    assert "ingest again with --skip-bad-rows to load the good rows" in r.stderr
    assert "skip_bad_rows=True" not in r.stderr
    r = cli("ingest", "comtrade", str(bad), "--lake", str(tmp_path / "lake"), "--json")
    assert json.loads(r.stdout)["details"]["retry_with"] == {"skip_bad_rows": True}


def test_a_bad_option_is_named_by_its_flag(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "n.csv"
    p.write_text("Y,E,I,P,V\n2021,BLR,KAZ,4401,1\n")
    base = ("ingest", "csv", str(p), "--map", "year=Y,exporter=E,importer=I,product=P,value=V")
    r = cli(*base, "--source", "x", "--lake", str(tmp_path / "lake"), "--value-scale", "-1")
    assert r.exit_code == 2
    assert "error: --value-scale must be a finite number above 0" in r.stderr
    r = cli(*base, "--source", "x", "--lake", str(tmp_path / "lake"), "--basis", "both")
    assert r.exit_code == 2 and "error: --basis must be one of" in r.stderr
