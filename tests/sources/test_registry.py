"""The source registry and the reader-to-lake contract: frozen files, results returned."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilat.errors import InputError, ValidationError
from bilat.lake import Lake
from bilat.sources import READERS, ReadResult, read_arrow, read_baci
from bilat.sources.baci import _Keys
from bilat.sources.registry import read, reader, upload_kinds
from bilat.sources.schema import FLOW_SCHEMA, KINDS

GOOD = "t,i,j,k,v,q\n2021,112,398,10121,1.5,0.2\n2021,398,112,850440,3,\n"


def _drain(reading):  # type: ignore[no-untyped-def]
    batches = []
    while True:
        try:
            batches.append(next(reading))
        except StopIteration as done:
            return batches, done.value


def test_every_kind_says_what_it_produces_and_reads() -> None:
    assert set(READERS) == {"baci", "comtrade", "csv"}
    for name, spec in READERS.items():
        assert spec.name == name and spec.kind in KINDS
        assert spec.description and spec.files
        assert all(o.help for o in spec.options)
    assert upload_kinds() == ("baci", "comtrade")  # csv needs its column map


def test_unknown_kinds_and_options_are_refused_with_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match="source kind must be one of baci, comtrade, csv, not 'bacci'"
    ):
        reader("bacci")
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    p.write_text(GOOD)
    with pytest.raises(InputError, match="'baci' takes hs_rev, release, not mapping"):
        read("baci", p, mapping={})
    with pytest.raises(InputError, match="'csv' needs mapping, source"):
        Lake.open(tmp_path / "lake", create=True).ingest("csv", p)


def test_lake_ingest_by_kind_matches_the_wrapper(tmp_path: Path) -> None:
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    p.write_text(GOOD)
    [by_kind] = Lake.open(tmp_path / "a", create=True).ingest("baci", p, release="V202401")
    [wrapped] = Lake.open(tmp_path / "b", create=True).ingest_baci(p, release="V202401")
    assert (by_kind.rows, by_kind.years, by_kind.source) == (wrapped.rows, wrapped.years, "baci")


def test_a_source_file_is_frozen_and_its_read_returns_the_result(tmp_path: Path) -> None:
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    p.write_text(GOOD + "2021,112,999,10121,1,1\n")
    [sf] = read_baci(p)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sf.hs_rev = "HS22"  # type: ignore[misc]
    batches, result = _drain(sf.read(strict=False))
    assert isinstance(result, ReadResult)
    assert sum(b.num_rows for b in batches) == 2
    assert [(p.line, p.column, p.value) for p in result.problems] == [(4, "j", "999")]
    again = _drain(sf.read(strict=False))[1]
    assert again == result  # a second read starts afresh: nothing accumulated on the file


@given(
    t=st.integers(0, 9999),
    i=st.integers(0, 999),
    j=st.integers(0, 999),
    k=st.integers(1, 999_999),
)
def test_packed_baci_keys_unpack_to_themselves(t: int, i: int, j: int, k: int) -> None:
    import numpy as np

    keys = _Keys()
    cols = (pa.array([t], pa.int32()), np.array([i]), np.array([j]), pa.array([k], pa.int64()))
    keys.add(cols, np.array([2]), np.array([True]))
    assert _Keys.unpack(int(keys.keys[0][0])) == {"t": t, "i": i, "j": j, "k": k}


def test_unsorted_baci_duplicate_names_both_lines(tmp_path: Path) -> None:
    p = tmp_path / "BACI_HS17_Y2021_V202401.csv"
    p.write_text(GOOD + "2021,112,398,10121,9,1\n")
    with pytest.raises(ValidationError) as err:
        Lake.open(tmp_path / "lake", create=True).ingest("baci", p)
    assert "duplicated key {'t': 2021, 'i': 112, 'j': 398, 'k': 10121}" in err.value.message
    assert "lines 2 and 4" in err.value.message and err.value.details["line"] == 4


def test_an_arrow_table_with_a_repeated_key_is_refused_by_its_reader(tmp_path: Path) -> None:
    row = {
        "year": 2021,
        "exporter": "BLR",
        "importer": "KAZ",
        "product": "4401",
        "hs_rev": "HS",
        "value_usd": 1.0,
        "quantity": None,
        "quantity_unit": None,
        "source": "x",
        "basis": "exporter",
    }
    table = pa.Table.from_pylist([row, row | {"value_usd": 2.0}], schema=FLOW_SCHEMA)
    sf = read_arrow(table, kind="flows", source="x", name="twice")
    with pytest.raises(ValidationError, match="the same row is on rows 1 and 2"):
        _drain(sf.read())
    lake = Lake.open(tmp_path / "lake", create=True)
    with pytest.raises(ValidationError):
        lake.ingest_arrow(table, kind="flows", source="x", name="twice")
    assert lake.manifest() == []
