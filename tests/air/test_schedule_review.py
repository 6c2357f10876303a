"""Issue 17 review fixes on the schedule/check side: repeated legs, missing agreements,
one-point flights, files without a trailer, reversed and open periods, designated carriers
named again, stray traffic options, technical stops. SSIM files here are synthetic, built
with tests/air/ssim_builder.py at the standard's byte columns; expected counts are walked
by hand (or with ``datetime``) in the comments."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bilat.air import check_flight, check_ssim
from bilat.air.legs import legs_report
from bilat.air.model import Agreement
from bilat.air.ssim import parse_ssim
from bilat.errors import InputError, ParseError

from . import ssim_builder as b
from . import ssim_patch as sp


def _july_lines() -> list[str]:
    return b.blr_kaz_schedule().split("\n")


def _bytes(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


# --------------------------------------------------------------------------- 1: repeats


def _with_repeat() -> bytes:
    lines = _july_lines()
    assert lines[3].startswith("3 B2  735")  # line 4
    return _bytes([*lines[:4], lines[3], *lines[4:]])  # line 5 repeats line 4


def test_a_repeated_leg_is_counted_once_before_the_caps(case: tuple[Agreement, ...]) -> None:
    r = check_ssim(case, _with_repeat(), name="dup.ssim", carrier_states={"IQ": "KAZ"})
    assert (r.legs, r.legs_checked, r.legs_repeated) == (12, 11, 1)
    assert r.legs_not_checked == {"repeats an earlier leg": 1}
    # MSQ-NQZ, carriers of BLR: 735 on 5 days + 781 (Wed) + 783 (Sat) = 7 a week, cap 7
    nqz = [c for c in r.caps if c.cap == "MSQ-NQZ" and c.subject.endswith("BLR")]
    assert [c.flights for c in nqz] == [7, 7, 7, 7] and not any(c.exceeded for c in nqz)
    assert [g.segment for g in r.groups if g.kind == "cap-exceeded"] == ["MSQ-ALA"]
    assert any("line 5 = line 4" in w and "counted once" in w for w in r.warnings)
    assert r.verdict == "violations"  # the other, real breaches stay


def test_legs_warn_about_the_repeat_and_still_list_it() -> None:
    r = legs_report(_with_repeat(), name="dup.ssim")
    assert (r.count, r.legs_repeated) == (12, 1)
    assert any("line 5 = line 4" in w for w in r.warnings)


def test_schedule_and_legs_text_name_the_repeat(cli: Any, case_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "dup.ssim"
    f.write_bytes(_with_repeat())
    text = cli("air", "schedule", case_dir, f, "--carrier-state", "IQ=KAZ").stdout
    assert "1 not checked (repeats an earlier leg 1)" in text and "line 5 = line 4" in text
    assert "MSQ-NQZ" not in text.split("Weekly caps exceeded")[1].split("\n")[3]
    legs = cli("air", "legs", f).stdout
    assert "line 5 = line 4" in legs
    out = json.loads(cli("air", "legs", f, "--json").stdout)
    assert out["legs_repeated"] == 1


@pytest.mark.shared
def test_real_file_with_duplicates(case: tuple[Agreement, ...], shared_data: Path) -> None:
    path = shared_data / "air" / "gna-sample-with-duplicates.ssim"
    r = check_ssim(case, path, carrier_states={"XX": "FRA"})
    assert r.legs_repeated == 2 and r.legs_not_checked["repeats an earlier leg"] == 2
    assert r.legs_checked == r.legs - 2


# --------------------------------------------------------------------------- 2: outside


def test_check_says_undetermined_for_a_missing_agreement(case: tuple[Agreement, ...]) -> None:
    fc = check_flight(case, "B2 MSQ-NQZ-IST")
    verdicts = {(s.board, s.off): s.verdict for s in fc.segments}
    assert verdicts == {
        ("MSQ", "NQZ"): "permitted",
        ("MSQ", "IST"): "outside-agreements",
        ("NQZ", "IST"): "outside-agreements",
    }
    assert (fc.verdict, fc.permitted) == ("undetermined", False)
    ist = next(s for s in fc.segments if s.off == "IST" and s.board == "MSQ")
    assert ist.grants[0].parties == ("BLR", "TUR")
    assert "no agreement between BLR and TUR" in ist.reason and "refused" not in ist.verdict
    assert fc.to_dict()["verdict"] == "undetermined"


def test_check_text_last_line_is_undetermined(cli: Any, case_dir: Path) -> None:
    r = cli("air", "check", case_dir, "--flight", "B2 MSQ-NQZ-IST")
    assert r.exit_code == 0
    assert r.stdout.strip().splitlines()[-1].startswith("undetermined")


def test_schedule_outside_the_folder_is_undetermined_not_violations(
    case: tuple[Agreement, ...],
) -> None:
    data = sp.file([b.leg("B2", 801, "MSQ", "IST", 3)])
    r = check_ssim(case, data, name="ist.ssim")
    assert (r.verdict, r.compliant, r.groups, r.violations.num_rows) == (
        "undetermined",
        None,
        (),
        0,
    )
    (g,) = r.undetermined_groups
    assert (g.kind, g.segment, g.flights) == ("outside-agreements", "MSQ-IST", 28)  # 4-31 July
    assert r.outside_pairs == ("BLR-TUR",) and r.legs_undetermined == 1
    assert any("BLR and TUR" in x for x in r.undetermined_because)


@pytest.mark.shared
def test_real_sample_as_french_is_undetermined(cli: Any, case_dir: Path, shared_data: Path) -> None:
    ssim = shared_data / "air" / "gna-sample.ssim"
    text = cli("air", "schedule", case_dir, ssim, "--carrier-state", "XX=FRA").stdout
    lines = text.splitlines()
    assert lines[1].startswith("verdict: undetermined") and "FRA and MUS" in lines[1]
    assert "violations" not in lines[1]
    by_verdict = dict(
        part.rsplit(" ", 1) for part in lines[2].split(": ", 1)[1].split(" (")[0].split(", ")
    )
    assert lines[2].startswith("segments by verdict:")
    assert "permitted" not in by_verdict and "not-regulated" in by_verdict


# --------------------------------------------------------------------------- 3, 17: input


def test_a_flight_with_no_segment_is_an_input_error(case: tuple[Agreement, ...]) -> None:
    with pytest.raises(InputError, match="two different points"):
        check_flight(case, "B2 MSQ-MSQ")


def test_a_stray_traffic_segment_is_an_input_error(case: tuple[Agreement, ...]) -> None:
    with pytest.raises(InputError, match=r"ALA-KSN.*not a segment"):
        check_flight(case, "B2 MSQ-NQZ", no_traffic=["ALA-KSN"])
    with pytest.raises(InputError, match="not a segment"):
        check_flight(case, "B2 MSQ-NQZ", local_traffic=["NQZ-ALA"])


def test_cli_exits_2_for_bad_flight_input(cli: Any, case_dir: Path) -> None:
    r = cli("air", "check", case_dir, "--flight", "B2 MSQ-MSQ")
    assert r.exit_code == 2
    r = cli("air", "check", case_dir, "--flight", "B2 MSQ-NQZ", "--no-traffic", "ALA-KSN")
    assert r.exit_code == 2 and "--no-traffic" in (r.stdout + r.stderr)


# --------------------------------------------------------------------------- 4: trailer


def test_no_trailer_is_undetermined(case: tuple[Agreement, ...]) -> None:
    lines = _july_lines()[:5]  # header, zeros, carrier, B2 735, B2 736: no trailer
    r = check_ssim(case, _bytes(lines), name="cut.ssim")
    assert r.violations.num_rows == 0 and r.legs_checked == 2
    assert r.verdict == "undetermined" and r.compliant is None
    assert any("no trailer" in x for x in r.undetermined_because)
    whole = check_ssim(case, _bytes([*lines, b.trailer("B2", 4)]), name="whole.ssim")
    assert whole.verdict == "compliant"


# --------------------------------------------------------------------------- 5: reversed


def test_a_reversed_period_is_a_parse_error() -> None:
    data = sp.file([b.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="01JUL22")])
    with pytest.raises(ParseError) as e:
        parse_ssim(data, path="reversed.ssim")
    assert e.value.line == 4 and "04JUL2201JUL22" in str(e.value)
    one_day = sp.file([b.leg("B2", 735, "MSQ", "NQZ", 3, start="04JUL22", end="04JUL22")])
    assert parse_ssim(one_day).legs.num_rows == 1  # from == to is one day, allowed


# --------------------------------------------------------------------------- 6: open end


def _weeks(first: dt.date, last: dt.date, days: str) -> dict[str, int]:
    out: dict[str, int] = {}
    d = first
    while d <= last:
        if str(d.isoweekday()) in days:
            y, w, _ = d.isocalendar()
            out[f"{y}-W{w:02d}"] = out.get(f"{y}-W{w:02d}", 0) + 1
        d += dt.timedelta(days=1)
    return out


@pytest.mark.parametrize(
    ("validity_end", "last", "said"),
    [("29OCT22", dt.date(2022, 10, 29), "2022-10-29"), ("00XXX00", dt.date(2023, 1, 1), "182")],
)
def test_an_open_period_runs_to_the_validity_end(
    case: tuple[Agreement, ...], validity_end: str, last: dt.date, said: str
) -> None:
    leg = b.leg("B2", 735, "MSQ", "NQZ", 3, end="00XXX00", days="12457")
    data = sp.file([leg], end=validity_end)
    r = check_ssim(case, data, name="open.ssim")
    f = r.frequencies.to_pylist()
    got = {x["week"]: x["flights"] for x in f if x["board"] == "MSQ"}
    assert got == _weeks(dt.date(2022, 7, 4), last, "12457")
    assert any("open end" in w and said in w for w in r.warnings)


# --------------------------------------------------------------------------- 9: designated


def test_carrier_state_for_a_designated_carrier_is_ignored_with_a_warning(
    case: tuple[Agreement, ...], case_dir: Path, cli: Any
) -> None:
    fc = check_flight(case, "B2 MSQ-NQZ", carrier_states={"B2": "KAZ"})
    assert (fc.carrier_state, fc.verdict) == ("BLR", "permitted")
    assert len(fc.warnings) == 1 and "B2=KAZ ignored" in fc.warnings[0]
    assert check_flight(case, "B2 MSQ-NQZ", carrier_states={"B2": "BLR"}).warnings == ()
    data = sp.file([b.leg("B2", 735, "MSQ", "NQZ", 3)])
    r = check_ssim(case, data, carrier_states={"B2": "KAZ"})
    assert r.verdict == "compliant" and any("B2=KAZ ignored" in w for w in r.warnings)
    text = cli("air", "check", case_dir, "--flight", "B2 MSQ-NQZ", "--carrier-state", "B2=KAZ")
    assert text.exit_code == 0 and "B2=KAZ ignored" in text.stdout


def test_routes_warn_the_same_way(case_dir: Path, cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "s.ssim"
    f.write_bytes(sp.file([b.leg("B2", 735, "MSQ", "NQZ", 3)]))
    r = cli("air", "routes", case_dir, "--schedule", f, "--carrier-state", "B2=KAZ", "--json")
    out = json.loads(r.stdout)
    assert any("B2=KAZ ignored" in w for w in out["warnings"])
    assert {row["carrier_state"] for row in out["flown"]} == {"BLR"}


# --------------------------------------------------------------------------- 23: stops


def test_a_technical_stop_is_not_checked(case: tuple[Agreement, ...]) -> None:
    fc = check_flight(case, "B2 MSQ-NQZ", no_traffic=["MSQ-NQZ"])
    (seg,) = fc.segments
    assert (seg.kind, seg.verdict) == ("no-traffic", "not-checked")
    assert "technical stop at NQZ" in seg.reason and "not checked" in seg.reason
    assert (fc.verdict, fc.permitted) == ("undetermined", False)


def test_a_segment_without_traffic_between_traffic_points_needs_no_right(
    case: tuple[Agreement, ...],
) -> None:
    # NQZ-ALA sells local traffic, so ALA is served; MSQ-ALA itself carries none
    fc = check_flight(case, "B2 MSQ-NQZ-ALA", no_traffic=["MSQ-ALA"], local_traffic=["NQZ-ALA"])
    seg = next(s for s in fc.segments if (s.board, s.off) == ("MSQ", "ALA"))
    assert (seg.kind, seg.verdict) == ("no-traffic", "permitted")


def test_schedule_technical_landing_is_undetermined(case: tuple[Agreement, ...]) -> None:
    data = sp.file([b.leg("B2", 735, "MSQ", "NQZ", 3, trc="I")])  # I: technical landing
    r = check_ssim(case, data)
    assert r.verdict == "undetermined" and r.violations.num_rows == 0
    assert [g.kind for g in r.undetermined_groups] == ["technical-stop-not-checked"]
    assert any("technical stop" in x for x in r.undetermined_because)


# --------------------------------------------------------------- N0 (second review): domestic


def test_a_schedule_of_domestic_flights_only_is_not_checked(case: tuple[Agreement, ...]) -> None:
    """Air Astana's two domestic legs: no agreement is asked about them, so nothing is
    claimed — neither compliant nor a violation."""
    recs = [b.header(), b.zeros(), b.carrier("KC", 2)]
    recs.append(b.leg("KC", 851, "ALA", "NQZ", 3, dep_offset="+0600", arr_offset="+0600"))
    recs.append(b.leg("KC", 852, "NQZ", "ALA", 4, dep_offset="+0600", arr_offset="+0600"))
    recs.append(b.trailer("KC", 4))
    result = check_ssim(case, _bytes(recs), name="domestic.ssim")
    assert result.legs_checked == 2
    assert result.segments_by_verdict == {"not-regulated": 2}
    assert result.verdict == "not checked" and result.compliant is None
    assert any("no segment falls under an agreement" in w for w in result.warnings)
    # one international leg added makes it a judgement again
    recs.insert(-1, b.leg("KC", 913, "ALA", "MSQ", 5, days="5", arr_offset="+0300"))
    recs[-1] = b.trailer("KC", 5)
    mixed = check_ssim(case, _bytes(recs), name="mixed.ssim")
    assert mixed.segments_by_verdict.get("permitted") == 1
    assert mixed.verdict == "compliant" and mixed.compliant is True


def test_a_start_after_the_schedule_says_it_is_the_schedule_s_last_date() -> None:
    from bilat.air import flights_report

    data = b.blr_kaz_schedule().encode()
    with pytest.raises(InputError, match="after the schedule's last date of operation 2022-07-31"):
        flights_report(data, "2023-01-01", name="july.ssim")
    with pytest.raises(InputError, match="after the end date 2022-07-10"):
        flights_report(data, "2022-07-20", "2022-07-10", name="july.ssim")


def test_a_byte_that_is_not_ascii_is_named_by_its_code() -> None:
    lines = _july_lines()
    lines[3] = lines[3][:60] + "é" + lines[3][62:]  # two UTF-8 bytes (0xC3 0xA9) for two
    with pytest.raises(ParseError) as exc:
        parse_ssim("\n".join(lines).encode(), path="bad.ssim")
    assert "byte 0xC3" in str(exc.value) and "b'" not in str(exc.value)
