"""The fast path of the BACI reader (polars) against the exact path, on the same files.

Every case ingests one file twice, into two lakes: once as ``Lake.ingest`` does by default
(the fast path first) and once with ``BILAT_INGEST_FAST=0`` (the exact path alone), and
compares what each lake holds or what each refused. Chunks are made four rows long so a
file of a dozen rows has a clean chunk handed over before the one the fast path doubts.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from tests.sources.test_baci import _zip as release_zip

import bilat.sources._baci_fast as fast
import bilat.sources.baci as baci
from bilat.errors import BilatError
from bilat.lake import Lake

HEADER = "t,i,j,k,v,q\n"
ROWS = [
    "2021,112,251,10121,1.5,0.2",
    "2021,112,251,170410,2.5,NA",
    "2021,112,398,10121,3,",
    "2021,112,398,170410,4.25,1e3",
    "2021,251,112,10121,5,2",
    "2021,251,112,850440,6,N/A",
    "2021,251,398,170410,0,0",
    "2021,398,112,10121,7.125,3",
    "2021,398,112,850440,8,4",
    "2021,398,251,10121,9,5",
]
NAME = "BACI_HS17_Y2021_V202401.csv"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "CHUNK_ROWS", 4)


@dataclass
class Outcome:
    """What one ingest of a file left: the error, or the lake and its one entry."""

    error: str | None
    lake: Lake
    fast_batches: int


def ingest(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    *,
    exact: bool,
    **options: Any,
) -> Outcome:
    seen = {"n": 0}
    real = baci._fast_batch

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen["n"] += 1
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setenv("BILAT_INGEST_FAST", "0" if exact else "1")
        m.setattr(baci, "_fast_batch", counted)
        lake = Lake.open(tmp_path / ("exact" if exact else "fast"), create=True)
        try:
            lake.ingest("baci", path, **options)
        except BilatError as exc:
            return Outcome(str(exc), lake, seen["n"])
    return Outcome(None, lake, seen["n"])


def both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path, **options: Any
) -> tuple[Outcome, Outcome]:
    return (
        ingest(tmp_path, monkeypatch, path, exact=False, **options),
        ingest(tmp_path, monkeypatch, path, exact=True, **options),
    )


def stored(lake: Lake) -> tuple[list[Any], list[tuple[Any, ...]], list[Any]]:
    """The lake's one Parquet file as DuckDB types it, its rows, and its column chunks' layout."""
    [entry] = lake.manifest()
    [part] = entry.files
    path = str(lake.root / part)
    con = duckdb.connect()
    cols = "year, exporter, importer, product, hs_rev, value_usd, quantity, quantity_unit"
    types = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    rows = con.execute(
        f"SELECT {cols}, source, basis FROM read_parquet('{path}') ORDER BY ALL"
    ).fetchall()
    meta = pq.ParquetFile(path).metadata
    layout = [
        (c.path_in_schema, c.compression, sorted(c.encodings), c.is_stats_set)
        for c in (meta.row_group(0).column(i) for i in range(meta.num_columns))
    ]
    columns = (meta.schema.column(i) for i in range(meta.num_columns))
    layout += [
        (c.name, c.physical_type, str(c.logical_type), c.max_definition_level) for c in columns
    ]
    return types, rows, layout


def entry_fields(lake: Lake) -> tuple[Any, ...]:
    [e] = lake.manifest()
    return (e.rows, e.years, e.sha256, e.size, e.notes, e.rejected, e.hs_rev, e.release)


def same_lakes(one: Outcome, two: Outcome) -> None:
    assert one.error is None and two.error is None, (one.error, two.error)
    assert stored(one.lake) == stored(two.lake)
    assert entry_fields(one.lake) == entry_fields(two.lake)
    a = one.lake.flows().order_by(["exporter", "importer", "product"]).to_pyarrow()
    b = two.lake.flows().order_by(["exporter", "importer", "product"]).to_pyarrow()
    assert a.drop_columns(["entry_id"]).equals(b.drop_columns(["entry_id"]))
    assert a.schema == b.schema


def write(tmp_path: Path, rows: list[str], name: str = NAME) -> Path:
    p = tmp_path / name
    p.write_text(HEADER + "".join(r + "\n" for r in rows))
    return p


def test_clean_file_fast_path_stores_what_the_exact_path_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, ROWS))
    assert fast_run.fast_batches == 3  # ten rows in chunks of four: all by the fast path
    assert exact_run.fast_batches == 0
    same_lakes(fast_run, exact_run)
    assert entry_fields(fast_run.lake)[0] == len(ROWS)


def test_crlf_and_no_year_in_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "baci-2021.csv"
    p.write_bytes((HEADER + "".join(r + "\n" for r in ROWS)).replace("\n", "\r\n").encode())
    fast_run, exact_run = both(tmp_path, monkeypatch, p)
    assert fast_run.fast_batches == 3
    same_lakes(fast_run, exact_run)


def test_self_flows_left_out_with_the_same_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*ROWS[:5], "2021,251,251,10121,1,1", *ROWS[5:]]
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, rows))
    assert fast_run.fast_batches == 3
    same_lakes(fast_run, exact_run)
    assert any("exporter equal to the importer" in n for n in entry_fields(fast_run.lake)[4])


BAD = {
    "t": "2020,251,300,850440,1,1",
    "i": "2021,999,300,850440,1,1",
    "j": "2021,251,301,850440,1,1",
    "j-negative": "2021,251,-4,850440,1,1",
    "k": "2021,251,300,999999,1,1",
    "k-text": "2021,251,300,85x440,1,1",
    "v": "2021,251,300,850440,-1,1",
    "v-inf": "2021,251,300,850440,inf,1",
    "v-empty": "2021,251,300,850440,,1",
    "q": "2021,251,300,850440,1,2e16",
    "q-text": "2021,251,300,850440,1,many",
    "q-padded": "2021,251,300,850440,1, 1",
    "t-decimal": "2021.0,251,398,850440,1,1",
    "short": "2021,251,300,850440,1",
    "long": "2021,251,300,850440,1,1,1",
    "blank": "",
}


UNPARSABLE = {"k-text", "long", "q-text", "t-decimal"}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("skip", [False, True])
def test_a_bad_value_in_the_second_chunk_is_told_as_the_exact_path_tells_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, skip: bool
) -> None:
    # line 8, in the second chunk of four rows, in key order (251, 300 after 251, 112)
    rows = [*ROWS[:6], BAD[case], *ROWS[6:]]
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, rows), skip_bad_rows=skip)
    # lines 2-5 by the fast path, the rest by the exact one; a value polars cannot parse
    # stops it wherever its parser, reading ahead, met it (here: before the first chunk)
    # a row without its last field reads as a null quantity: every chunk is handed over,
    # then the count of commas sends the file to the exact path, which refuses it
    # (" 1" is read as 1 by both paths: the fast path takes it)
    expected = 0 if case in UNPARSABLE else 3 if case in {"short", "q-padded"} else 1
    assert fast_run.fast_batches == expected
    assert fast_run.error == exact_run.error
    if exact_run.error is None:
        same_lakes(fast_run, exact_run)
        [e1], [e2] = fast_run.lake.manifest(), exact_run.lake.manifest()
        if e2.rejects_path:
            assert e1.rejects_path is not None
            assert Path(e1.rejects_path).read_text() == Path(e2.rejects_path).read_text()
    else:
        assert fast_run.lake.manifest() == []


@pytest.mark.parametrize("where", [1, 3, 9])
def test_a_repeated_key_is_refused_with_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: int
) -> None:
    rows = [*ROWS[: where + 1], ROWS[where], *ROWS[where + 1 :]]
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, rows))
    assert exact_run.error is not None and "duplicated key" in exact_run.error
    assert fast_run.error == exact_run.error
    assert fast_run.fast_batches == (where + 1) // 4  # the chunks before the repeat


def test_a_repeat_far_from_its_first_line_in_an_unsorted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*ROWS, ROWS[0]]  # the first row again at the end: chunk one is taken, then not
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, rows))
    assert exact_run.error is not None and "lines 2 and 12" in exact_run.error
    assert fast_run.error == exact_run.error
    assert fast_run.fast_batches == 2  # lines 2-9 handed over before the order broke


def test_unsorted_rows_without_repeats_are_stored_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(reversed(ROWS))
    fast_run, exact_run = both(tmp_path, monkeypatch, write(tmp_path, rows))
    same_lakes(fast_run, exact_run)


def _zip(tmp_path: Path, body: str) -> Path:
    """A release zip holding the 2021 file ``body`` (``NAME``), as the exact reader's tests make it."""
    return release_zip(tmp_path, {2021: body})


def _gz(tmp_path: Path, body: str) -> Path:
    p = tmp_path / (NAME + ".gz")
    p.write_bytes(gzip.compress(body.encode()))
    return p


@pytest.mark.parametrize("make", [_zip, _gz], ids=["zip", "gz"])
def test_zip_members_and_gzip_are_read_by_the_exact_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path, str], Path]
) -> None:
    body = HEADER + "".join(r + "\n" for r in ROWS)
    bare = ingest(tmp_path / "bare", monkeypatch, write(tmp_path, ROWS), exact=False)
    packed = ingest(tmp_path, monkeypatch, make(tmp_path, body), exact=False)
    assert packed.fast_batches == 0 and bare.fast_batches == 3
    assert stored(packed.lake)[:2] == stored(bare.lake)[:2]
    assert entry_fields(packed.lake)[:4] == entry_fields(bare.lake)[:4]  # same bytes, same sum


def test_a_header_with_other_columns_goes_to_the_exact_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / NAME
    p.write_text("t,i,j,k,v,q,extra\n" + "".join(r + ",x\n" for r in ROWS))
    fast_run, exact_run = both(tmp_path, monkeypatch, p)
    assert fast_run.fast_batches == 0
    same_lakes(fast_run, exact_run)
