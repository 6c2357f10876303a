"""Every field of SSIM Chapter 7 records 1-5: read, written back, and refused when bad.

The expected values on the real files are read here by slicing each raw line at the byte
columns of the standard (checked against Schiphol-Hub/ssim, rusty-ssim and ssimparser),
with plain Python conversions: an independent reading, not the parser's code path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.air import Schedule, parse_ssim, read_ssim, write_ssim
from bilat.air._ssim_layout import LEG
from bilat.errors import InputError, ParseError

from . import ssim_builder as b

FILES = [
    "gna-sample.ssim",
    "gna-XX_S05.ssim",
    "gna-sample-with-duplicates.ssim",
    "ssimparser-sample.ssim",
]


def _time(s: str) -> int | None:
    return None if not s.strip() else int(s[:2]) * 60 + int(s[2:])


def _offset(s: str) -> int:
    minutes = int(s[1:3]) * 60 + int(s[3:5])
    return -minutes if s[0] == "-" else minutes


def _date(s: str) -> dt.date | None:
    if s in ("00XXX00", "       "):
        return None
    return dt.datetime.strptime(s.title(), "%d%b%y").date()


def _int(s: str) -> int | None:
    return int(s) if s.strip() else None


def _var(s: str) -> int:
    return -1 if s == "A" else int(s) if s.isdigit() else 0


def _txt(s: str) -> str:
    return s.rstrip(" ")


Conv = Callable[[str], Any]

#: Record 3, byte columns (1-based, inclusive) as printed in SSIM Chapter 7.
LEG_BYTES: dict[str, tuple[int, int, Conv]] = {
    "suffix": (2, 2, _txt),
    "airline": (3, 5, _txt),
    "flight_number": (6, 9, int),
    "ivi": (10, 11, int),
    "leg_seq": (12, 13, int),
    "service_type": (14, 14, _txt),
    "period_from": (15, 21, _date),
    "period_to": (22, 28, _date),
    "days": (29, 35, str),
    "frequency_rate": (36, 36, lambda s: 2 if s == "2" else 1),
    "dep": (37, 39, str),
    "std": (40, 43, _time),
    "aircraft_std": (44, 47, _time),
    "dep_utc_offset": (48, 52, _offset),
    "dep_terminal": (53, 54, _txt),
    "arr": (55, 57, str),
    "aircraft_sta": (58, 61, _time),
    "sta": (62, 65, _time),
    "arr_utc_offset": (66, 70, _offset),
    "arr_terminal": (71, 72, _txt),
    "aircraft_type": (73, 75, _txt),
    "prbd": (76, 95, _txt),
    "prbm": (96, 100, _txt),
    "meal_service": (101, 110, _txt),
    "joint_operation": (111, 119, _txt),
    "mct_status_dep": (120, 120, _txt),
    "mct_status_arr": (121, 121, _txt),
    "secure_flight": (122, 122, _txt),
    "ivi_overflow": (128, 128, _txt),
    "aircraft_owner": (129, 131, _txt),
    "cockpit_crew_employer": (132, 134, _txt),
    "cabin_crew_employer": (135, 137, _txt),
    "onward_airline": (138, 140, _txt),
    "onward_flight_number": (141, 144, _int),
    "aircraft_rotation_layover": (145, 145, _txt),
    "onward_suffix": (146, 146, _txt),
    "flight_transit_layover": (148, 148, _txt),
    "operating_disclosure": (149, 149, _txt),
    "trc": (150, 160, _txt),
    "trc_overflow": (161, 161, _txt),
    "aircraft_config": (173, 192, _txt),
    "dep_date_variation": (193, 193, _var),
    "arr_date_variation": (194, 194, _var),
    "serial": (195, 200, int),
}
CARRIER_BYTES: dict[str, tuple[int, int, Conv]] = {
    "time_mode": (2, 2, str),
    "airline": (3, 5, _txt),
    "season": (11, 13, _txt),
    "period_from": (15, 21, str),
    "period_to": (22, 28, str),
    "validity_from": (15, 21, _date),
    "validity_to": (22, 28, _date),
    "creation_date": (29, 35, _date),
    "title": (36, 64, _txt),
    "release_date": (65, 71, _date),
    "schedule_status": (72, 72, _txt),
    "creator_reference": (73, 107, _txt),
    "duplicate_designator_marker": (108, 108, _txt),
    "general_information": (109, 169, _txt),
    "in_flight_service_information": (170, 188, _txt),
    "electronic_ticketing": (189, 190, _txt),
    "creation_time": (191, 194, _time),
    "serial": (195, 200, _int),
}
HEADER_BYTES: dict[str, tuple[int, int, Conv]] = {
    "title": (2, 35, _txt),
    "number_of_seasons": (41, 41, _int),
    "dataset_serial": (192, 194, _int),
    "serial": (195, 200, _int),
}
TRAILER_BYTES: dict[str, tuple[int, int, Conv]] = {
    "airline": (3, 5, _txt),
    "release_date": (6, 12, _date),
    "serial_check": (188, 193, int),
    "continuation": (194, 194, _txt),
    "serial": (195, 200, _int),
}
SEGMENT_BYTES: dict[str, tuple[int, int, Conv]] = {
    "suffix": (2, 2, _txt),
    "airline": (3, 5, _txt),
    "flight_number": (6, 9, int),
    "ivi": (10, 11, int),
    "leg_seq": (12, 13, int),
    "service_type": (14, 14, _txt),
    "ivi_overflow": (28, 28, _txt),
    "board_indicator": (29, 29, _txt),
    "off_indicator": (30, 30, _txt),
    "dei": (31, 33, int),
    "board": (34, 36, str),
    "off": (37, 39, str),
    "data": (40, 194, _txt),
    "serial": (195, 200, _int),
}


def _by_hand(path: Path, kind: str, spec: dict[str, tuple[int, int, Conv]]) -> list[dict]:
    """Records of one type, each field sliced from the raw line and converted plainly."""
    out, dataset, modes = [], -1, []
    for no, raw in enumerate(path.read_bytes().splitlines(), start=1):
        line = raw.decode("ascii")
        if line.startswith("2"):
            dataset += 1
            modes.append(line[1])
        if not line.startswith(kind):
            continue
        row = {name: conv(line[a - 1 : b_]) for name, (a, b_, conv) in spec.items()}
        row["line"] = no
        if kind != "1":
            row["dataset"] = dataset
        if kind == "3":
            row["time_mode"] = modes[dataset] if dataset >= 0 else None
            row["days_mask"] = sum(1 << i for i, c in enumerate(row["days"]) if c != " ")
        out.append(row)
    return out


@pytest.mark.shared
@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize(
    ("table", "kind", "spec"),
    [
        ("legs", "3", LEG_BYTES),
        ("carriers", "2", CARRIER_BYTES),
        ("header", "1", HEADER_BYTES),
        ("trailers", "5", TRAILER_BYTES),
        ("segments", "4", SEGMENT_BYTES),
    ],
)
def test_every_field_of_every_record_as_sliced_by_hand(
    shared_data: Path, name: str, table: str, kind: str, spec: dict
) -> None:
    path = shared_data / "air" / name
    got = getattr(read_ssim(path), table)
    expected = _by_hand(path, kind, spec)
    assert got.num_rows == len(expected)
    if expected:  # every column the parser gives is one checked here, and no more
        assert set(got.column_names) == set(expected[0])
    assert got.to_pylist() == [{c: row[c] for c in got.column_names} for row in expected]


@pytest.mark.shared
def test_real_values_of_the_new_leg_fields(shared_data: Path) -> None:
    s = read_ssim(shared_data / "air" / "ssimparser-sample.ssim")
    leg = s.legs.to_pylist()[0]  # line 11: "...CDG18451845+0100T1ALC20252020+01001F320XX..."
    assert (leg["std"], leg["aircraft_std"], leg["aircraft_sta"], leg["sta"]) == (
        18 * 60 + 45,
        18 * 60 + 45,
        20 * 60 + 25,
        20 * 60 + 20,
    )
    assert (leg["dep_terminal"], leg["arr_terminal"], leg["joint_operation"]) == (
        "T1",
        "1F",
        "XX XX",
    )
    assert (leg["onward_airline"], leg["onward_flight_number"], leg["trc"]) == ("XX", 1234, " W")
    assert (leg["operating_disclosure"], leg["flight_transit_layover"]) == ("L", "2")
    gna = read_ssim(shared_data / "air" / "gna-XX_S05.ssim")
    assert gna.header["dataset_serial"].to_pylist() == [1]
    assert gna.trailers.to_pylist()[0] | {"line": 0} == {
        "line": 0, "dataset": 0, "airline": "XX", "release_date": None,
        "serial_check": 511, "continuation": "E", "serial": 512,
    }  # fmt: skip
    assert gna.carriers["creation_time"].to_pylist() == [6 * 60 + 8]  # "0608"


@pytest.mark.shared
@pytest.mark.parametrize("name", FILES)
def test_written_back_every_record_is_the_one_read(shared_data: Path, name: str) -> None:
    """Non-zero records come back byte for byte, except bytes the reader cannot keep."""
    path = shared_data / "air" / name
    original = path.read_bytes()
    written = write_ssim(read_ssim(path))
    assert (b"\r\n" in written) == (b"\r\n" in original)
    real = [r for r in original.splitlines() if r and r[:1] != b"0"]
    back = [r for r in written.splitlines() if r[:1] != b"0"]
    if name == "ssimparser-sample.ssim":  # no trailer read: one is written
        assert back[-1][:1] == b"5" and back[-1][187:200] == b"000008E000009"
        back = back[:-1]
    assert len(back) == len(real)
    for a, b_ in zip(real, back, strict=True):
        differ = {i + 1 for i in range(200) if a[i] != b_[i]}
        if a[:1] == b"2" and name == "gna-XX_S05.ssim":
            assert differ == {7, 8, 9, 10}  # " 0008" in the spare bytes 6-10
        elif a[:1] == b"3" and name == "ssimparser-sample.ssim":
            assert differ == {193, 194}  # date variation "00" is written blank
        else:
            assert differ == set(), (a, b_)
    assert all(len(r) == 200 for r in written.splitlines())


@pytest.mark.shared
def test_written_file_reads_back_to_the_same_tables(shared_data: Path, tmp_path: Path) -> None:
    s = read_ssim(shared_data / "air" / "gna-sample.ssim")
    target = tmp_path / "out.ssim"
    write_ssim(s, target, line_ending="CRLF", renumber=True)
    t = read_ssim(target)
    assert t.line_ending == "CRLF" and t.warnings == ()
    for name in ("legs", "segments", "carriers", "header"):
        a, c = getattr(s, name), getattr(t, name)
        assert a.drop(["line", "serial"]).equals(c.drop(["line", "serial"])), name
    # header 1, carrier 2, its legs, its trailer, the next carrier, its legs, its trailer
    n0, n1 = s.legs["dataset"].value_counts().field("counts").to_pylist()
    expected = [*range(3, 3 + n0), *range(3 + n0 + 2, 3 + n0 + 2 + n1)]
    assert t.legs["serial"].to_pylist() == expected
    assert t.trailers["serial_check"].to_pylist() == [2 + n0, 4 + n0 + n1]
    assert {k: v for k, v in t.record_counts.items() if k != "0"} == {
        k: v for k, v in s.record_counts.items() if k != "0"
    }
    assert list(tmp_path.iterdir()) == [target]  # the temporary file was renamed


def _file(*recs: str) -> bytes:
    return ("\n".join(recs) + "\n").encode()


@pytest.mark.parametrize(
    ("col", "bad", "field"),
    [
        (44, "2575", "aircraft STD"),
        (58, "12X0", "aircraft STA"),
        (53, "t1", "departure passenger terminal"),
        (111, "x*", "joint operation"),
        (138, "X-", "onward airline"),
        (141, "12 4", "onward flight number"),
        (150, "a", "traffic restriction code"),
        (120, "1", "minimum connecting time status (departure)"),
        (195, "00A001", "record serial number"),
    ],
)
def test_bad_new_leg_field_names_line_and_bytes(col: int, bad: str, field: str) -> None:
    rec = bytearray(b.leg("B2", 735, "MSQ", "NQZ", 3).encode())
    rec[col - 1 : col - 1 + len(bad)] = bad.encode()
    data = _file(b.header(), b.carrier("B2", 2), rec.decode())
    with pytest.raises(ParseError) as exc:
        parse_ssim(data, path="x.ssim")
    assert exc.value.line == 3
    assert str(exc.value.column).startswith(field)
    assert "bytes" in str(exc.value.column)


@pytest.mark.parametrize(
    ("make", "col", "bad", "field"),
    [
        (lambda: b.carrier("B2", 2), 2, "X", "time mode"),
        (lambda: b.carrier("B2", 2), 29, "99ZZZ99", "creation date"),
        (lambda: b.carrier("B2", 2), 191, "2599", "creation time"),
        (lambda: b.trailer("B2", 3), 188, "00x003", "serial number check reference"),
        (lambda: b.trailer("B2", 3), 194, "Q", "continuation/end code"),
        (lambda: b.segment("B2", 735, "MSQ", "NQZ", 170, "A", 4), 29, "1", "board point indicator"),
    ],
)
def test_bad_fields_of_other_records(
    make: Callable[[], str], col: int, bad: str, field: str
) -> None:
    rec = bytearray(make().encode())
    rec[col - 1 : col - 1 + len(bad)] = bad.encode()
    recs = [b.header(), b.carrier("B2", 2), b.leg("B2", 735, "MSQ", "NQZ", 3), b.trailer("B2", 3)]
    kind = rec[:1].decode()
    at = {"2": 1, "5": 3, "4": 3}[kind]
    if kind == "4":
        recs.insert(3, rec.decode())
    else:
        recs[at] = rec.decode()
    with pytest.raises(ParseError) as exc:
        parse_ssim(_file(*recs))
    assert exc.value.line == at + 1
    assert str(exc.value.column).startswith(field)


def test_a_station_left_blank_on_every_leg_is_refused() -> None:
    """A field that may not be blank is checked even when no leg fills it."""
    rec = bytearray(b.leg("B2", 735, "MSQ", "NQZ", 3).encode())
    rec[54:57] = b"   "  # arrival station, bytes 55-57
    with pytest.raises(ParseError) as exc:
        parse_ssim(_file(b.header(), b.carrier("B2", 2), rec.decode()))
    assert exc.value.line == 3 and str(exc.value.column).startswith("arrival station")


def test_builder_file_counts_and_fields() -> None:
    s = parse_ssim(b.blr_kaz_schedule().encode())
    assert {k: s.record_counts[k] for k in "12345"} == {"1": 1, "2": 3, "3": 11, "4": 0, "5": 3}
    assert s.header["title"].to_pylist() == ["AIRLINE STANDARD SCHEDULE DATA SET"]
    assert s.carriers["season"].to_pylist() == ["S22"] * 3
    assert s.carriers["validity_to"].to_pylist() == [dt.date(2022, 10, 29)] * 3
    assert s.trailers["serial_check"].to_pylist() == [10, 14, 17]
    assert s.legs["aircraft_std"].to_pylist() == s.legs["std"].to_pylist()  # the builder's rule
    assert s.legs["onward_flight_number"].null_count == 11


def test_writer_refuses_a_value_that_does_not_fit() -> None:
    s = parse_ssim(b.blr_kaz_schedule().encode())
    legs = s.legs.set_column(
        s.legs.schema.get_field_index("aircraft_type"),
        "aircraft_type",
        pa.array(["A3200", *s.legs["aircraft_type"].to_pylist()[1:]]),
    )
    with pytest.raises(
        InputError, match="aircraft_type value 'A3200' does not fit SSIM bytes 73-75"
    ):
        write_ssim(Schedule(**{**_fields(s), "legs": legs}))


def _fields(s: Schedule) -> dict[str, Any]:
    return {k: getattr(s, k) for k in s.__dataclass_fields__}


# --------------------------------------------------------------------------- round trip

_BASE = parse_ssim(b.blr_kaz_schedule().encode())
_SCHEMA = _BASE.legs.schema
_UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CLASSES = {"A": _UP, "D": "0123456789", "B": " "}
_PRINTABLE = "".join(chr(c) for c in range(32, 127))


def _text(width: int, alphabet: str) -> st.SearchStrategy[str]:
    """Text that fits the field and does not end in a blank (the reader trims those)."""
    return st.text(alphabet, max_size=width).filter(lambda s: not s.endswith(" "))


def _value(name: str) -> st.SearchStrategy[Any]:
    f = next(f for f in LEG if f.name == name)
    if f.kind in ("code", "text"):
        if f.kind == "code" and "B" not in f.allowed:  # no blank allowed: the full width
            return st.text(
                f.chars or "".join(_CLASSES[c] for c in f.allowed),
                min_size=f.width,
                max_size=f.width,
            )
        alphabet = (
            "".join(_CLASSES[c] for c in f.allowed) + f.chars if f.kind == "code" else _PRINTABLE
        )
        return _text(f.width, alphabet)
    if f.kind == "int":
        v = st.integers(0, 10**f.width - 1)
        return st.none() | v if f.null else v
    if f.kind == "time":
        return st.integers(0, 23 * 60 + 59)
    if f.kind == "offset":
        return st.integers(-(14 * 60 + 59), 14 * 60 + 59)
    if f.kind == "date":
        d = st.dates(dt.date(1970, 1, 1), dt.date(2069, 12, 31))
        return st.none() | d if f.open else d
    raise AssertionError(name)


_SPECIAL = {"days", "frequency_rate", "date_variation"}


@st.composite
def _legs(draw: st.DrawFn) -> dict[str, Any]:
    row = {f.name: draw(_value(f.name)) for f in LEG if f.name not in _SPECIAL}
    on = draw(st.lists(st.booleans(), min_size=7, max_size=7))
    row["days"] = "".join(str(i + 1) if x else " " for i, x in enumerate(on))
    row["days_mask"] = sum(1 << i for i, x in enumerate(on) if x)
    row["frequency_rate"] = draw(st.sampled_from([1, 2]))
    row["dep_date_variation"] = draw(st.integers(-1, 9))
    row["arr_date_variation"] = draw(st.integers(-1, 9))
    row["airline"] = draw(st.from_regex(r"[A-Z0-9]{2}[A-Z]?", fullmatch=True))
    start, end = row["period_from"], row["period_to"]
    if end is not None and end < start:  # a reversed period is a format error (issue 17)
        row["period_from"], row["period_to"] = end, start
    return row


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(legs=st.lists(_legs(), min_size=1, max_size=3), mode=st.sampled_from("UL"))
def test_writing_then_reading_round_trips_every_field(legs: list[dict], mode: str) -> None:
    base = _BASE
    rows = [{**leg, "line": 100 + i, "dataset": 0, "time_mode": mode} for i, leg in enumerate(legs)]
    carriers = base.carriers.slice(0, 1)
    carriers = carriers.set_column(1, "time_mode", pa.array([mode]))
    s = Schedule(
        **{
            **_fields(base),
            "legs": pa.Table.from_pylist(rows, schema=_SCHEMA),
            "segments": base.segments.slice(0, 0),
            "carriers": carriers,
            "trailers": base.trailers.slice(0, 1),
        }
    )
    back = parse_ssim(write_ssim(s)).legs
    assert back.drop(["line"]).to_pylist() == [
        {k: r[k] for k in back.column_names if k != "line"} for r in rows
    ]
