"""OpenFlights readers on files built from the documented layout (synthetic rows, labelled).

The layout is openflights.org/data: routes.dat has 9 fields, airlines.dat 8, airports.dat 14
(12 before 2017); ``\\N`` is null. The real extracts are tested in test_openflights.py.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.air import (
    check_route_list,
    detect_format,
    read_openflights_airlines,
    read_openflights_airports,
    read_openflights_routes,
    read_route_list,
    read_ssim,
)
from bilat.errors import BilatError, ParseError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "air"
GOOD = b"B2,1478,MSQ,2954,TSE,2910,,0,CRJ 735\nKC,1006,ALA,2908,MSQ,2954,Y,1,\n"
# synthetic airports.dat rows in the documented layout (coordinates from airportsdata)
AIRPORTS_14 = (
    b'2954,"Minsk National Airport","Minsk","Belarus","MSQ","UMMS",53.8825,28.0307,670,3,"E",'
    b'"Europe/Minsk","airport","OurAirports"\n'
    b'2912,"Manas International Airport","Bishkek","Kyrgyzstan","FRU","UCFM",43.0613,74.4776,'
    b'2090,6,"U","Asia/Bishkek","airport","OurAirports"\n'
)
AIRPORTS_12 = b'2910,"Astana","Astana","Kazakhstan","TSE","UACC",51.0222,71.4669,1165,6,"U",\\N\n'


def test_routes_are_typed_and_null_is_none() -> None:
    t = read_openflights_routes(GOOD, name="r.dat")
    assert t.to_pylist()[1] == {
        "line": 2,
        "airline": "KC",
        "airline_id": 1006,
        "source_airport": "ALA",
        "source_airport_id": 2908,
        "destination_airport": "MSQ",
        "destination_airport_id": 2954,
        "codeshare": True,
        "stops": 1,
        "equipment": [],
    }
    assert read_openflights_routes(b"B2,\\N,MSQ,\\N,TSE,\\N,,0,CRJ\n")["airline_id"].null_count == 1


@pytest.mark.parametrize(
    ("line", "column", "value", "expected"),
    [
        ("B2,1478,MSQ,2954,TSE,2910,,one,CRJ", "stops (field 8)", "one", "the number of stops"),
        ("B2,14x8,MSQ,2954,TSE,2910,,0,CRJ", "airline_id (field 2)", "14x8", "airline ID"),
        ("\\N,1478,MSQ,2954,TSE,2910,,0,CRJ", "airline (field 1)", "\\N", "airline code"),
        ("B2,1478,MSQ,2954,TSE,2910,X,0,CRJ", "codeshare (field 7)", "X", "Y (codeshare)"),
        ("B2,1478,MSQ,2954,TSE,2910,,0,CRJ7", "equipment (field 9)", "CRJ7", "3-character"),
        ("B2,1478,MS,2954,TSE,2910,,0,CRJ", "source_airport (field 3)", "MS", "4-letter ICAO"),
    ],
)
def test_a_bad_field_names_file_line_column_value(
    line: str, column: str, value: str, expected: str
) -> None:
    data = GOOD + b"\n" + line.encode() + b"\n"  # a blank line 3 keeps the line count
    with pytest.raises(ParseError) as err:
        read_openflights_routes(data, name="routes.dat")
    e = err.value
    assert (e.path, e.line, e.column, e.value) == ("routes.dat", 4, column, value)
    assert expected in (e.expected or "")
    assert "routes.dat, line 4" in str(e)


def test_a_row_with_too_few_fields_is_refused_with_its_line() -> None:
    with pytest.raises(ParseError) as err:
        read_openflights_routes(GOOD + b"B2,1478,MSQ,2954,TSE\n", name="r.dat")
    assert err.value.line == 3
    assert err.value.value == "B2,1478,MSQ,2954,TSE"
    assert str(err.value).startswith("r.dat, line 3: 5 comma-separated fields, expected 9")


def test_blank_lines_are_skipped_and_lines_counted() -> None:
    t = read_openflights_routes(b"\n" + GOOD.replace(b"\n", b"\r\n\r\n", 1))
    assert t["line"].to_pylist() == [2, 4]


def test_airlines_codes_dash_and_latin1() -> None:
    data = "1,Caf\xe9 Air,\\N,-,N/A,,Belarus,n\n".encode("latin-1")
    (row,) = read_openflights_airlines(data).to_pylist()
    assert row["name"] == "Café Air"
    assert (row["iata"], row["icao"], row["callsign"], row["active"]) == (None, None, None, False)
    with pytest.raises(ParseError, match="column 'active \\(field 8\\)'"):
        read_openflights_airlines(b"1,A,\\N,B2,BRU,X,Belarus,Q\n")


def test_airports_14_and_12_fields() -> None:
    t = read_openflights_airports(AIRPORTS_14)
    assert t["iata"].to_pylist() == ["MSQ", "FRU"]
    assert t["latitude"].to_pylist() == [53.8825, 43.0613]
    assert t["altitude_ft"].to_pylist() == [670, 2090]
    (old,) = read_openflights_airports(AIRPORTS_12).to_pylist()
    assert (old["icao"], old["tz"], old["type"], old["source"]) == ("UACC", None, None, None)
    bad = AIRPORTS_14.replace(b"53.8825", b"93.8825")
    with pytest.raises(ParseError) as err:
        read_openflights_airports(bad, name="airports.dat")
    assert (err.value.line, err.value.column, err.value.value) == (
        1,
        "latitude (field 7)",
        "93.8825",
    )


def test_airport_ids_and_icao_codes_resolve_to_todays_iata() -> None:
    routes = b"KC,1006,ALA,2908,FRU,2912,,0,320\nB2,1478,UMMS,\\N,UACC,\\N,,0,CRJ\n"
    plain = read_route_list(routes, name="r.dat")
    # no airports file: FRU stays as written (airportsdata has Bishkek as BSZ); ICAO resolved
    assert plain.routes.select(["board", "off"]).to_pylist() == [
        {"board": "ALA", "off": "FRU"},
        {"board": "MSQ", "off": "NQZ"},
    ]
    rl = read_route_list(routes, name="r.dat", airports=read_openflights_airports(AIRPORTS_14))
    assert rl.routes["off"].to_pylist() == ["BSZ", "NQZ"]  # via the airports file's UCFM
    assert rl.routes["off_written"].to_pylist() == ["FRU", "UACC"]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (FIXTURES / "blr-kaz-2022-07.ssim", "ssim"),
        (FIXTURES / "openflights-routes-synthetic.dat", "openflights-routes"),
        (FIXTURES / "openflights-airlines-synthetic.dat", "openflights-airlines"),
        (FIXTURES / "blr-chn-hypothetical.yaml", None),
    ],
)
def test_format_is_told_by_content(path: Path, kind: str | None) -> None:
    assert detect_format(path.read_bytes()) == kind


def test_detection_ignores_the_extension(tmp_path: Path) -> None:
    as_ssim = tmp_path / "routes.ssim"
    as_ssim.write_bytes((FIXTURES / "openflights-routes-synthetic.dat").read_bytes())
    assert read_route_list(as_ssim).format == "openflights"
    as_csv = tmp_path / "schedule.csv"
    as_csv.write_bytes((FIXTURES / "blr-kaz-2022-07.ssim").read_bytes())
    assert read_route_list(as_csv).format == "ssim"
    assert detect_format(AIRPORTS_14) == "openflights-airports"


def test_neither_format_is_a_clear_error() -> None:
    with pytest.raises(ParseError) as err:
        read_route_list(b"carrier;from;to\nB2;MSQ;NQZ\n", name="x.txt")
    assert "neither an SSIM schedule nor an OpenFlights routes file" in str(err.value)
    assert err.value.value == "carrier;from;to"
    with pytest.raises(ParseError, match="OpenFlights airports file, not a route list"):
        read_route_list(AIRPORTS_14, name="airports.dat")


def test_ssim_route_list_is_the_distinct_legs() -> None:
    path = FIXTURES / "blr-kaz-2022-07.ssim"
    legs = read_ssim(path).legs
    expected = set(
        zip(
            legs["airline"].to_pylist(),
            legs["dep"].to_pylist(),
            legs["arr"].to_pylist(),
            strict=True,
        )
    )
    rl = read_route_list(path)
    got = rl.routes.select(["carrier", "board", "off"]).to_pylist()
    assert {(r["carrier"], r["board"], r["off"]) for r in got} == expected
    assert len(got) == len(expected)


def test_synthetic_file_gets_each_verdict(case: Any) -> None:
    rl = read_route_list(
        FIXTURES / "openflights-routes-synthetic.dat",
        airlines=read_openflights_airlines(FIXTURES / "openflights-airlines-synthetic.dat"),
    )
    report = check_route_list(case, rl, carrier_states={"IQ": "KAZ"})
    got = [
        (r["carrier"], r["board"], r["off"], r["state_from"], r["verdict"])
        for r in report.flown.to_pylist()
    ]
    assert got == [
        ("B2", "MSQ", "NQZ", "designation", "permitted"),
        ("B2", "NQZ", "MSQ", "designation", "permitted"),
        ("KC", "ALA", "MSQ", "designation", "permitted"),
        ("IQ", "ALA", "MSQ", "carrier_states", "refused"),  # undesignated carrier
        ("AY", "HEL", "MSQ", None, "not-checked"),  # codeshare
        ("B2", "MSQ", "SCO", "designation", "refused"),  # not in the route schedule
        ("KC", "ALA", "NQZ", "designation", "not-regulated"),  # KZR → KC by the airlines file
        ("B2", "MSQ", "NQZ", "designation", "permitted"),  # UMMS-UACC
    ]
    assert [r["carrier"] for r in report.not_permitted.to_pylist()] == ["IQ", "B2"]


def test_airlines_file_never_overrides_a_designation(case: Any) -> None:
    airlines = b"1478,Belavia,\\N,B2,BRU,BELARUS AVIA,Kazakhstan,Y\n"
    rl = read_route_list(GOOD, airlines=read_openflights_airlines(airlines))
    assert rl.carrier_states == {"B2": "KAZ"}
    report = check_route_list(case, rl, carrier="B2")
    assert report.flown["carrier_state"].to_pylist() == ["BLR"]
    assert any("designate it for BLR, which is used" in w for w in report.warnings)


def test_cli_refuses_a_file_that_is_no_route_list(cli: Any, case_dir: Path) -> None:
    out = cli(
        "air", "routes", str(case_dir), "--schedule", str(FIXTURES / "blr-chn-hypothetical.yaml")
    )
    assert out.exit_code == 2
    assert "neither an SSIM schedule nor an OpenFlights routes file" in out.stderr
    ok = cli(
        "air", "routes", str(case_dir), "--schedule", str(FIXTURES / "openflights-routes-synthetic.dat"),
        "--carrier", "KC", "--json",
    )  # fmt: skip
    doc = json.loads(ok.stdout)
    assert doc["counts"]["permitted"] == 1
    assert [r["routing"] for r in doc["routes"] if r["flown"]] == [["ALA", "MSQ"]]


_code = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3)
_row = st.tuples(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=2, max_size=3),
    st.one_of(st.none(), st.integers(1, 99999)),
    _code,
    st.one_of(st.none(), st.integers(1, 99999)),
    _code,
    st.one_of(st.none(), st.integers(1, 99999)),
    st.booleans(),
    st.integers(0, 3),
    st.lists(_code, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, min_size=1, max_size=8))
def test_written_rows_read_back(rows: list[tuple[Any, ...]]) -> None:
    def n(v: int | None) -> str:
        return "\\N" if v is None else str(v)

    text = "".join(
        f"{a},{n(ai)},{s},{n(si)},{d},{n(di)},{'Y' if c else ''},{stops},{' '.join(eq)}\n"
        for a, ai, s, si, d, di, c, stops, eq in rows
    )
    t = read_openflights_routes(text.encode())
    assert [tuple(r.values())[1:] for r in t.to_pylist()] == [
        (a, ai, s, si, d, di, c, stops, eq) for a, ai, s, si, d, di, c, stops, eq in rows
    ]


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300))
def test_garbage_is_a_bilat_error_or_a_table(data: bytes) -> None:
    for reader in (read_openflights_routes, read_openflights_airlines, read_openflights_airports):
        with contextlib.suppress(BilatError):
            assert reader(data).column_names[0] == "line"
    with contextlib.suppress(BilatError):
        assert read_route_list(data, name="g").routes.num_rows >= 0


def test_an_id_too_long_for_its_column_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as err:
        read_openflights_routes(b"B2,99999999999,MSQ,2954,TSE,2910,,0,CRJ\n")
    assert (err.value.column, err.value.value) == ("airline_id (field 2)", "99999999999")
