from __future__ import annotations

from pathlib import Path

import pytest

from bilat.errors import InputError, SchemaError, ValidationError
from bilat.lake import Lake
from bilat.sources.table import parse_mapping

MAP = "year=Year,exporter=From,importer=To,product=HS,value=Value"


def test_mapped_csv_with_names_numeric_codes_and_scale(tmp_path: Path) -> None:
    p = tmp_path / "belstat.csv"
    p.write_text("Year;From;To;HS;Value\n2021;Belarus;398;1704;1,5\n".replace(",", "."))
    lake = Lake.open(tmp_path / "lake", create=True)
    report = lake.ingest_csv(p, mapping=parse_mapping(MAP), source="belstat", value_scale=1000)
    assert report.rows == 1
    [row] = lake.flows().to_pyarrow().to_pylist()
    assert (row["exporter"], row["importer"], row["product"]) == ("BLR", "KAZ", "1704")
    assert row["value_usd"] == 1500.0 and row["source"] == "csv:belstat"
    assert row["basis"] == "exporter"


def test_mapping_errors() -> None:
    with pytest.raises(InputError, match="importer"):
        parse_mapping("year=Y,exporter=E,product=P,value=V")
    with pytest.raises(InputError, match="colour"):
        parse_mapping(MAP + ",colour=C")
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_mapping("year")


def test_missing_column_and_bad_country(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("Year,From,To,HS,Val\n2021,BLR,KAZ,1704,1\n")
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(SchemaError, match="value=Value"):
        lake.ingest_csv(p, mapping=parse_mapping(MAP), source="x")
    p.write_text("Year,From,To,HS,Value\n2021,BLR,KAZ,1704,1\n2021,Atlantis,KAZ,1704,1\n")
    with pytest.raises(ValidationError) as err:
        lake.ingest_csv(p, mapping=parse_mapping(MAP), source="x")
    assert (err.value.line, err.value.column, err.value.value) == (3, "From", "Atlantis")
