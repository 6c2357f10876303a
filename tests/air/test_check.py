from __future__ import annotations

from pathlib import Path

import pytest

from bilat.air import (
    Agreement,
    airports_of,
    check_flight,
    classify,
    load_agreements,
)
from bilat.errors import InputError, UnknownCodeError


@pytest.mark.parametrize(
    ("board", "off", "via", "service", "traffic", "expected"),
    [
        ("BLR", "KAZ", (), ("BLR", "KAZ"), True, ("traffic", 3)),
        ("KAZ", "BLR", (), ("KAZ", "BLR"), True, ("traffic", 4)),
        ("KAZ", "CHN", (), ("BLR", "KAZ", "CHN"), True, ("traffic", 5)),
        ("KAZ", "CHN", ("BLR",), ("KAZ", "BLR", "CHN"), True, ("traffic", 6)),
        ("KAZ", "CHN", (), ("KAZ", "CHN"), True, ("traffic", 7)),
        ("KAZ", "KAZ", (), ("BLR", "KAZ", "KAZ"), True, ("traffic", 8)),
        ("KAZ", "KAZ", (), ("KAZ", "KAZ"), True, ("traffic", 9)),
        ("KAZ", "KAZ", (), ("BLR", "KAZ", "KAZ"), False, ("co-terminal", None)),
        ("KAZ", "CHN", (), ("BLR", "KAZ", "CHN"), False, ("no-traffic", 2)),
        ("BLR", "BLR", (), ("BLR", "BLR"), True, ("domestic", None)),
    ],
)
def test_nine_freedoms(
    board: str,
    off: str,
    via: tuple[str, ...],
    service: tuple[str, ...],
    traffic: bool,
    expected: tuple[str, int | None],
) -> None:
    got = classify("BLR", board, off, via_states=via, service_states=service, traffic=traffic)
    assert got == expected


@pytest.mark.parametrize("code", airports_of("BLR"))
@pytest.mark.parametrize("carrier", ["KC", "DV"])
def test_kazakh_carrier_to_every_belarusian_airport(
    case: tuple[Agreement, ...], code: str, carrier: str
) -> None:
    out = check_flight(case, f"{carrier} NQZ-{code}")
    (seg,) = out.segments
    assert (seg.freedom, seg.verdict) == (3, "permitted")
    assert seg.grants[0].clause == "KAZ-3-4"


def test_belarus_has_six_iata_airports() -> None:
    assert airports_of("BLR") == ("BQT", "GME", "GNA", "MSQ", "MVQ", "VTB")


def test_combined_flight_without_local_traffic_is_permitted(case: tuple[Agreement, ...]) -> None:
    out = check_flight(case, "B2 MSQ-NQZ-ALA")
    assert out.permitted
    kinds = {(s.board, s.off): (s.kind, s.freedom) for s in out.segments}
    assert kinds == {
        ("MSQ", "NQZ"): ("traffic", 3),
        ("MSQ", "ALA"): ("traffic", 3),
        ("NQZ", "ALA"): ("co-terminal", None),
    }
    coterm = next(s for s in out.segments if s.kind == "co-terminal")
    assert coterm.grants[0].clause == "BLR-co-terminal-KAZ"


def test_local_traffic_between_two_kazakh_points_is_cabotage(case: tuple[Agreement, ...]) -> None:
    out = check_flight(case, "B2 MSQ-NQZ-ALA", local_traffic=["NQZ-ALA"])
    assert not out.permitted
    bad = [s for s in out.segments if s.verdict == "refused"]
    assert [(s.board, s.off, s.freedom) for s in bad] == [("NQZ", "ALA", 8)]
    assert bad[0].grants[0].code == "no-right"
    assert "cabotage" in bad[0].reason


def test_fifth_freedom_needs_both_agreements(with_china: Path) -> None:
    ags = load_agreements(with_china)
    seg = next(s for s in check_flight(ags, "B2 MSQ-NQZ-URC").segments if s.board == "NQZ")
    assert seg.freedom == 5 and seg.verdict == "permitted"
    assert [(g.agreement, g.clause) for g in seg.grants] == [
        ("BLR-KAZ", "BLR-5-KAZ-beyond"),
        ("BLR-CHN-TEST", "BLR-5-via-KAZ-to-URC"),
    ]
    pek = next(s for s in check_flight(ags, "B2 MSQ-NQZ-PEK").segments if s.board == "NQZ")
    assert pek.verdict == "refused"
    assert [g.granted for g in pek.grants] == [True, False]


def test_fifth_freedom_without_the_second_agreement(case: tuple[Agreement, ...]) -> None:
    seg = next(s for s in check_flight(case, "B2 MSQ-NQZ-URC").segments if s.board == "NQZ")
    # issue 17: a missing agreement is outside the folder, not a refusal
    assert seg.verdict == "outside-agreements"
    assert [g.code for g in seg.grants] == ["granted", "no-agreement"]
    assert seg.grants[1].parties == ("BLR", "CHN")


def test_point_outside_the_route_schedule(case: tuple[Agreement, ...]) -> None:
    (seg,) = check_flight(case, "B2 MSQ-SCO").segments
    assert seg.grants[0].code == "not-in-route-schedule"
    assert "SCO" in seg.reason


def test_undesignated_carrier_of_a_party(case: tuple[Agreement, ...]) -> None:
    (seg,) = check_flight(case, "IQ NQZ-MSQ", carrier_states={"IQ": "KAZ"}).segments
    assert seg.grants[0].code == "undesignated-carrier"


def test_unknown_carrier_state_is_asked_for_in_python_terms(
    case: tuple[Agreement, ...],
) -> None:
    with pytest.raises(UnknownCodeError) as info:
        check_flight(case, "ZZ NQZ-MSQ")
    message = info.value.message
    assert message == (
        "Carrier 'ZZ' is designated in none of the 1 agreement, so its state is unknown: "
        "pass its state's ISO3 code in carrier_states, e.g. carrier_states={'ZZ': 'KAZ'}"
    )
    assert "--" not in message


def test_historic_code_tse_is_astana(case: tuple[Agreement, ...]) -> None:
    out = check_flight(case, "B2 MSQ-TSE")
    assert out.stations == ("MSQ", "NQZ") and out.permitted


def test_sixth_and_seventh_freedoms_need_their_agreements(with_china: Path) -> None:
    ags = load_agreements(with_china)
    sixth = next(s for s in check_flight(ags, "B2 NQZ-MSQ-URC").segments if s.via == ("MSQ",))
    assert sixth.freedom == 6 and sixth.verdict == "permitted"
    seventh = check_flight(ags, "B2 NQZ-URC").segments[0]
    assert seventh.freedom == 7 and seventh.verdict == "refused"


@pytest.mark.parametrize("text", ["B2", "B2 MSQ", "MSQ-NQZ", "B2 MSQ-NQ"])
def test_bad_flight_text(case: tuple[Agreement, ...], text: str) -> None:
    with pytest.raises(InputError):
        check_flight(case, text)


def test_distance_is_great_circle(case: tuple[Agreement, ...]) -> None:
    (seg,) = check_flight(case, "B2 MSQ-NQZ").segments
    # CEPII GeoDist gives 2,945 km between the capitals; the airports lie a few km off.
    assert seg.distance_km == pytest.approx(2945, rel=0.02)
