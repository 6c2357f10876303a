from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.air import read_ssim
from bilat.air.ssim import parse_ssim
from bilat.errors import BilatError, ParseError

from . import ssim_builder as b

FILES = [
    "gna-sample.ssim",
    "gna-XX_S05.ssim",
    "gna-sample-with-duplicates.ssim",
    "ssimparser-sample.ssim",
]


def _independent(path: Path) -> tuple[Counter[str], list[str]]:
    """Record types and type-3 lines, read the plain way, line by line."""
    types: Counter[str] = Counter()
    legs = []
    with path.open("rb") as fh:
        for raw in fh:
            line = raw.rstrip(b"\r\n").decode("ascii")
            if line:
                types[line[0]] += 1
            if line.startswith("3"):
                legs.append(line)
    return types, legs


@pytest.mark.shared
@pytest.mark.parametrize("name", FILES)
def test_real_files_parse_completely(shared_data: Path, name: str) -> None:
    path = shared_data / "air" / name
    s = read_ssim(path)
    types, legs = _independent(path)
    assert s.record_counts == {t: types.get(t, 0) for t in "012345"}
    assert s.legs.num_rows == len(legs)
    assert s.legs["dep"].to_pylist() == [x[36:39] for x in legs]
    assert s.legs["arr"].to_pylist() == [x[54:57] for x in legs]
    assert s.legs["days"].to_pylist() == [x[28:35] for x in legs]
    assert s.legs["flight_number"].to_pylist() == [int(x[5:9]) for x in legs]
    assert s.segments.num_rows == types.get("4", 0)
    assert pc.all(pc.less_equal(s.legs["period_from"], s.legs["period_to"])).as_py()


@pytest.mark.shared
def test_first_leg_of_gna_sample(shared_data: Path) -> None:
    row = read_ssim(shared_data / "air" / "gna-sample.ssim").legs.slice(0, 1).to_pylist()[0]
    assert (row["airline"], row["flight_number"], row["dep"], row["arr"]) == (
        "XX",
        41,
        "RUN",
        "DZA",
    )
    assert str(row["period_from"]) == "2005-06-09" and row["days"] == "   4   "
    assert (row["std"], row["dep_utc_offset"], row["arr_utc_offset"]) == (21 * 60 + 30, 240, 180)


@pytest.mark.shared
def test_duplicates_file_reports_its_duplicate_legs(shared_data: Path) -> None:
    s = read_ssim(shared_data / "air" / "gna-sample-with-duplicates.ssim")
    assert sorted(s.duplicates["flight_number"].to_pylist()) == [41, 42]
    assert s.duplicates["count"].to_pylist() == [2, 2]
    assert any("serial check reference" in w for w in s.warnings)
    for name in ("gna-sample.ssim", "gna-XX_S05.ssim"):
        assert read_ssim(shared_data / "air" / name).duplicates.num_rows == 0


@pytest.mark.shared
def test_file_without_trailer_warns(shared_data: Path) -> None:
    s = read_ssim(shared_data / "air" / "ssimparser-sample.ssim")
    assert any("no trailer record" in w for w in s.warnings)
    assert s.segments["dei"].to_pylist() == [20, 21, 26]


@pytest.mark.shared
def test_crlf_lf_and_no_line_ends_read_alike(shared_data: Path, tmp_path: Path) -> None:
    crlf = (shared_data / "air" / "gna-XX_S05.ssim").read_bytes()
    assert b"\r\n" in crlf
    lf = crlf.replace(b"\r\n", b"\n")
    blocks = lf.replace(b"\n", b"")
    a, b_, c = (parse_ssim(x) for x in (crlf, lf, blocks))
    assert (a.line_ending, b_.line_ending, c.line_ending) == ("CRLF", "LF", "none")
    assert a.legs.drop(["line"]).equals(b_.legs.drop(["line"]))
    assert a.legs.drop(["line"]).equals(c.legs.drop(["line"]))


def test_short_records_are_padded_with_a_warning() -> None:
    lines = b.blr_kaz_schedule().split("\n")
    lines[0] = lines[0][:40]  # a header whose trailing blanks were trimmed
    s = parse_ssim("\n".join(lines).encode())
    assert s.legs.num_rows == 11
    assert any("space-padded" in w for w in s.warnings)


def test_open_period_end_is_null() -> None:
    rec = b.leg("B2", 735, "MSQ", "NQZ", 3, end="00XXX00")
    s = parse_ssim((b.header() + "\n" + b.carrier("B2", 2) + "\n" + rec + "\n").encode())
    assert s.legs["period_to"].to_pylist() == [None]


@pytest.mark.parametrize(
    ("col", "bad", "field"),
    [
        (15, "32JUN22", "period of operation"),
        (17, "JUX", "period of operation"),
        (29, "7654321", "days of operation"),
        (40, "2561", "passenger STD"),
        (48, "*0300", "departure UTC"),
        (37, "m2Q", "departure station"),
    ],
)
def test_bad_field_names_line_and_field(col: int, bad: str, field: str) -> None:
    rec = bytearray(b.leg("B2", 735, "MSQ", "NQZ", 3).encode())
    rec[col - 1 : col - 1 + len(bad)] = bad.encode()
    data = (b.header() + "\n" + b.carrier("B2", 2) + "\n").encode() + bytes(rec) + b"\n"
    with pytest.raises(ParseError) as exc:
        parse_ssim(data, path="x.ssim")
    assert exc.value.line == 3
    assert field in str(exc.value.column)


_BASE = (
    b.header()
    + "\n"
    + b.carrier("B2", 2)
    + "\n"
    + b.leg("B2", 735, "MSQ", "NQZ", 3)
    + "\n"
    + b.segment("B2", 735, "MSQ", "NQZ", 170, "A", 4)
    + "\n"
    + b.trailer("B2", 4)
    + "\n"
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    line=st.sampled_from([1, 2, 3, 4, 5]),
    start=st.integers(min_value=0, max_value=199),
    junk=st.binary(min_size=1, max_size=12),
)
def test_arbitrary_bytes_give_a_line_numbered_error(line: int, start: int, junk: bytes) -> None:
    lines = _BASE.encode().split(b"\n")
    rec = bytearray(lines[line - 1])
    rec[start : start + len(junk)] = junk
    lines[line - 1] = bytes(rec)
    try:
        s = parse_ssim(b"\n".join(lines))
    except BilatError as exc:
        assert isinstance(exc, ParseError)
        assert exc.line is not None and exc.line >= 1
    else:
        assert s.legs.num_rows + s.segments.num_rows <= 2
