"""Issue 13 regressions at the library level: what is accepted, what is reported in the notes."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from bilat import _yaml as safe_yaml
from bilat.errors import InputError, ParseError, ValidationError, shorten

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "bad"))
import corpus

HEAD = "t,i,j,k,v,q\n"
MAPPING = {"year": "Year", "exporter": "From", "importer": "To", "product": "HS", "value": "USD"}
COMTRADE = "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\n"


def _release(tmp_path: Path, body: str, *, countries: bool, products: bool) -> Path:
    p = tmp_path / "BACI_HS17_V202401.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("BACI_HS17_Y2019_V202401.csv", body)
        if countries:
            zf.writestr(
                "country_codes_V202401.csv",
                "country_code,country_name,country_iso3\n112,Belarus,BLR\n398,Kazakhstan,KAZ\n",
            )
        if products:
            zf.writestr("product_codes_HS17_V202401.csv", "code,description\n10121,Horses\n")
    return p


@pytest.mark.parametrize(("countries", "products"), [(False, True), (True, False), (False, False)])
def test_release_zip_without_its_tables_says_which_table_was_used(
    tmp_path: Path, countries: bool, products: bool
) -> None:
    body = HEAD + "2019,112,398,10121,1,1\n"
    lake = corpus.new_lake(tmp_path / "lake")
    [report] = lake.ingest_baci(_release(tmp_path, body, countries=countries, products=products))
    notes = " ".join(report.notes)
    assert ("no country_codes_*.csv" in notes) is not countries
    assert ("built-in BACI country table" in notes) is not countries
    assert ("no product_codes_*.csv" in notes) is not products
    assert lake.entry(report.entry_id).notes == report.notes


def test_release_zip_with_its_tables_has_no_such_note(tmp_path: Path) -> None:
    body = HEAD + "2019,112,398,10121,1,1\n"
    lake = corpus.new_lake(tmp_path / "lake")
    [report] = lake.ingest_baci(_release(tmp_path, body, countries=True, products=True))
    assert report.notes == ()


def test_baci_self_flows_are_left_out_and_counted(tmp_path: Path) -> None:
    p = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    p.write_text(HEAD + "2019,112,398,10121,1,1\n2019,112,112,10121,2,1\n2019,398,398,10121,3,\n")
    lake = corpus.new_lake(tmp_path / "lake")
    [report] = lake.ingest_baci(p)
    assert report.rows == 1
    assert any("2 rows with the exporter equal to the importer left out" in n for n in report.notes)
    assert lake.flows().filter(lambda t: t.exporter == t.importer).count().execute() == 0


def test_csv_self_flows_are_left_out_and_counted(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text("Year,From,To,HS,USD\n2021,BLR,KAZ,170410,1\n2021,BLR,BLR,170410,2\n")
    report = corpus.new_lake(tmp_path / "lake").ingest_csv(p, mapping=MAPPING, source="nat")
    assert report.rows == 1
    assert any("1 rows with the exporter equal to the importer left out" in n for n in report.notes)


def test_comtrade_self_declarations_are_kept_and_counted(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text(COMTRADE + "2021,THA,THA,M,030617,5\n2021,THA,VNM,M,030617,7\n")
    [report] = corpus.new_lake(tmp_path / "lake").ingest_comtrade(p)
    assert report.rows == 2
    assert any("1 rows with the partner equal to the reporter kept" in n for n in report.notes)


def test_comtrade_json_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    record = '{"refYear": 2021, "reporterISO": "AUT", "partnerISO": "DEU", "flowCode": "M"'
    record += ', "cmdCode": "4401", "primaryValue": 1}'
    p.write_bytes(b"\xef\xbb\xbf" + f'{{"data": [{record}]}}'.encode())
    [report] = corpus.new_lake(tmp_path / "lake").ingest_comtrade(p)
    assert report.rows == 1


def test_typed_pass_falling_back_to_text_reads_no_row_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad value after the first block: the text pass must skip the blocks already handed over."""
    import bilat.sources.baci as baci

    monkeypatch.setattr(baci, "_BLOCK", 4096)
    rows = [f"2019,112,398,{10101 + k},1,1" for k in range(600)]
    rows.append("2019,112,398,970000,x,1")
    p = tmp_path / "BACI_HS17_Y2019_V202401.csv"
    p.write_text(HEAD + "\n".join(rows) + "\n")
    lake = corpus.new_lake(tmp_path / "lake")
    [report] = lake.ingest_baci(p, skip_bad_rows=True)
    assert (report.rows, report.rejected) == (600, 1)
    assert lake.flows().count().execute() == 600


def test_value_scale_must_be_finite_and_positive(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text("Year,From,To,HS,USD\n2021,BLR,KAZ,170410,1\n")
    for scale in (float("inf"), float("nan"), 0.0, -1000.0):
        with pytest.raises(InputError, match="value_scale"):
            corpus.new_lake(tmp_path / "lake").ingest_csv(
                p, mapping=MAPPING, source="nat", value_scale=scale
            )


def test_scaled_csv_values_are_bounded_in_dollars(tmp_path: Path) -> None:
    p = tmp_path / "n.csv"
    p.write_text("Year,From,To,HS,USD\n2021,BLR,KAZ,170410,2e12\n")
    with pytest.raises(ValidationError, match="1e\\+12"):
        corpus.new_lake(tmp_path / "lake").ingest_csv(
            p, mapping=MAPPING, source="nat", value_scale=1000
        )


def test_shorten_keeps_messages_short_and_says_the_length() -> None:
    assert shorten("abc") == "abc"
    long = shorten("9" * 20_000_000)
    assert len(long) <= 80 and long.endswith("(20,000,000 characters)")
    assert shorten(long) == long


# ------------------------------------------------------------------------- the YAML loader


def test_yaml_billion_laughs_is_refused_at_its_line() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    with pytest.raises(ParseError, match="billion laughs") as err:
        safe_yaml.load("\n".join(lines), path="bomb.yaml")
    assert err.value.path == "bomb.yaml" and err.value.line is not None


def test_yaml_small_anchors_are_fine() -> None:
    _, data = safe_yaml.load("a: &x [1, 2]\nb: *x\n", path="ok.yaml")
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_yaml_cycle_is_refused() -> None:
    with pytest.raises(ParseError, match="cycle"):
        safe_yaml.load("a: &x [1, *x]\n", path="cycle.yaml")


def test_yaml_too_deep_and_too_large_are_refused() -> None:
    with pytest.raises(ParseError, match="deep"):
        safe_yaml.load("[" * 100_000 + "]" * 100_000, path="deep.yaml")
    with pytest.raises(ParseError, match="more than"):
        safe_yaml.load("x" * (safe_yaml.MAX_BYTES + 1), path="big.yaml")


def test_yaml_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "latin1.yaml"
    p.write_bytes("name: Br\xe9sil\n".encode("latin-1"))
    with pytest.raises(ParseError, match="not UTF-8"):
        safe_yaml.read(p)
