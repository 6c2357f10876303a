"""The schedule check a person reads: legs counted, a verdict, violations grouped (issue 17).

Expected counts come from the SSIM records themselves (fixed columns of Chapter 7: airline
bytes 3-5, flight number 6-9, itinerary variation 10-11, leg sequence 12-13, period 15-28,
days 29-35), walked date by date here, never from the check's own output.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bilat.air import Agreement, check_ssim

SEASON = "gna-sample.ssim"


def _records(path: Path, carrier: str | None = None) -> list[str]:
    lines = path.read_text("ascii").splitlines()
    return [t for t in lines if t[:1] == "3" and (carrier is None or t[2:5].strip() == carrier)]


def _date(text: str) -> dt.date:
    return dt.datetime.strptime(text.title(), "%d%b%y").date()


def _operating_dates(record: str) -> list[dt.date]:
    first, last, days = _date(record[14:21]), _date(record[21:28]), record[28:35]
    span = (last - first).days + 1
    out = [first + dt.timedelta(days=i) for i in range(span)]
    return [d for d in out if days[d.isoweekday() - 1] == str(d.isoweekday())]


def test_legs_read_checked_and_not_checked_add_up(
    case: tuple[Agreement, ...], july_ssim: Path
) -> None:
    legs = _records(july_ssim)
    iq = _records(july_ssim, "IQ")
    r = check_ssim(case, july_ssim)  # IQ designated nowhere, no state given
    assert r.legs == len(legs) == 11
    assert r.legs_not_checked == {"carrier's state unknown": len(iq)}
    assert r.legs_checked == len(legs) - len(iq)
    assert r.verdict == "violations" and r.compliant is False


def test_no_violation_with_legs_unchecked_is_undetermined_never_compliant(
    case: tuple[Agreement, ...], july_ssim: Path
) -> None:
    r = check_ssim(case, july_ssim, carriers=["KC", "IQ"])
    kc, iq = _records(july_ssim, "KC"), _records(july_ssim, "IQ")
    assert r.legs_checked == len(kc) == 2
    assert r.legs_not_checked == {
        "carrier not selected": 11 - len(kc) - len(iq),
        "carrier's state unknown": len(iq),
    }
    assert (r.verdict, r.compliant) == ("undetermined", None)


def test_every_selected_leg_checked_and_clean_is_compliant(
    case: tuple[Agreement, ...], july_ssim: Path
) -> None:
    r = check_ssim(case, july_ssim, carriers=["KC"])
    assert (r.verdict, r.compliant) == ("compliant", True)
    assert r.legs_not_checked == {"carrier not selected": 9}


@pytest.mark.shared
def test_a_season_of_an_unknown_carrier_is_not_checked(
    case: tuple[Agreement, ...], shared_data: Path
) -> None:
    path = shared_data / "air" / SEASON
    r = check_ssim(case, path)
    assert (r.legs, r.legs_checked) == (len(_records(path)), 0)
    assert r.legs_not_checked == {"carrier's state unknown": len(_records(path))}
    assert (r.verdict, r.compliant, r.groups) == ("not checked", None, ())


def test_groups_fold_a_flight_with_its_periods_and_weeks(
    case: tuple[Agreement, ...], july_ssim: Path
) -> None:
    r = check_ssim(case, july_ssim, carrier_states={"IQ": "KAZ"})
    g = next(x for x in r.groups if x.flight == "B2 783")
    (rec, *_) = [t for t in _records(july_ssim, "B2") if t[5:9].strip() == "783"]
    dates = _operating_dates(rec)
    assert (g.kind, g.segment, g.days) == ("no-right", "NQZ-KSN", "6")
    assert g.flights == len(dates) == 4  # the Saturdays of 4-31 July 2022
    assert g.weeks == len({d.isocalendar()[:2] for d in dates})
    assert g.legs == 2 and g.line == 9
    (p,) = g.periods
    assert (p.first, p.last) == (dt.date(2022, 7, 4), dt.date(2022, 7, 31))
    cap = next(x for x in r.groups if x.kind == "cap-exceeded")
    # MSQ-ALA is capped at 4 a week; B2 757 flies Mon-Fri: 5 in each of the 4 ISO weeks
    assert (cap.weeks, cap.flights, cap.legs) == (4, 20, None)
    assert r.by_kind["cap-exceeded"] == {"groups": 1, "flights": 20, "violations": 4}


@pytest.mark.shared
def test_real_season_groups_match_an_independent_walk(
    case: tuple[Agreement, ...], shared_data: Path
) -> None:
    path = shared_data / "air" / SEASON
    r = check_ssim(case, path, carrier_states={"XX": "FRA"})
    # issue 17: every FRA-x agreement is missing from the folder: outside it, no violation
    assert r.verdict == "undetermined" and r.legs_checked == r.legs and r.groups == ()
    assert "FRA-COM" not in r.outside_pairs and "COM-FRA" in r.outside_pairs
    g = next(x for x in r.undetermined_groups if x.flight == "XX 945" and x.segment == "DZA-HAH")
    # XX 945 variation 01 is RUN-DZA-HAH-MRS on Tuesdays 14 Jun - 25 Oct 2005
    recs = [t for t in _records(path, "XX") if t[5:9].strip() == "945" and t[9:11] == "01"]
    dates = _operating_dates(recs[0])
    assert (g.flights, g.weeks, g.legs) == (len(dates), len(dates), len(recs)) == (20, 20, 3)
    assert g.days == "2" and g.kind == "outside-agreements"
    assert "FRA and COM" in g.detail and "[DZA: Mayotte, France]" in g.detail
    # Réunion-Mayotte is inside France: domestic for a French carrier, never a violation
    assert not [x for x in r.undetermined_groups if x.segment in ("RUN-DZA", "DZA-RUN")]
    assert sum(k["violations"] for k in r.undetermined_by_kind.values()) == sum(
        g.violations for g in r.undetermined_groups
    )


def test_json_keeps_the_raw_rows_and_the_groups(cli: Any, case_dir: Path, july_ssim: Path) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KAZ", "--json")
    out = json.loads(r.stdout)
    assert out["verdict"] == "violations" and len(out["segments"]) == 13
    g = next(x for x in out["groups"] if x["flight"] == "B2 783")
    assert g["periods"] == [{"first": "2022-07-04", "last": "2022-07-31", "days": "6"}]


def test_text_leads_with_the_summary_then_the_groups(
    cli: Any, case_dir: Path, july_ssim: Path
) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KAZ")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "blr-kaz-2022-07.ssim: 11 legs read, 11 checked, 0 not checked"
    assert lines[1] == "verdict: violations in 4 groups (carrier, city pair, flight)"
    # B2 783 is two leg records (MSQ-NQZ, NQZ-KSN); the cap is a cap, not a flight group
    assert "  no-right: 1 group, 4 flights, 2 leg records" in lines
    assert "  cap-exceeded: 1 cap, 4 weeks above the cap" in lines
    assert "Violations by carrier, city pair and flight (3 groups)" in r.stdout
    assert "Weekly caps exceeded (1)" in r.stdout
    assert "Segments (" not in r.stdout  # the raw rows only with --detail
    assert "None" not in r.stdout and "False" not in r.stdout
    detail = cli("air", "schedule", str(case_dir), str(july_ssim), "--all", "--carrier-state",
                 "IQ=KAZ").stdout  # fmt: skip
    assert "Segments (13)" in detail and "eighth freedom (cabotage)" in detail


def test_text_says_not_checked_and_how_to_fix_it(cli: Any, case_dir: Path, july_ssim: Path) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier", "IQ")
    lines = r.stdout.splitlines()
    assert lines[0] == (
        "blr-kaz-2022-07.ssim: 11 legs read, 0 checked, 11 not checked (carrier not selected "
        "10, carrier's state unknown 1)"
    )
    assert lines[1].startswith("verdict: not checked")
    assert "compliant" not in r.stdout
    assert "--carrier-state XX=ISO3" in r.stdout


def test_carrier_states_as_a_comma_list(cli: Any, case_dir: Path, july_ssim: Path) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KAZ,ZZ=FRA",
            "--json")  # fmt: skip
    assert json.loads(r.stdout)["legs_not_checked"] == {}
    bad = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KZX")
    assert bad.exit_code == 2
    assert "'KZX' is not an ISO 3166 alpha-3 country code" in " ".join(bad.stderr.split())


def test_routes_text_says_flown_yes_or_no_and_freedoms_in_words(
    cli: Any, case_dir: Path, july_ssim: Path
) -> None:
    r = cli("air", "routes", str(case_dir), "--carrier", "KC", "--schedule", str(july_ssim))
    assert r.exit_code == 0
    assert "third and fourth freedoms" in r.stdout
    assert "False" not in r.stdout and "True" not in r.stdout
    assert " yes " in r.stdout and " no " in r.stdout
    plain = cli("air", "routes", str(case_dir), "--carrier", "KC").stdout
    assert "flown" not in plain  # no schedule given: no column that cannot be answered


def test_flights_table_carries_legs_and_violation_rows(
    case: tuple[Agreement, ...], july_ssim: Path
) -> None:
    from bilat.air import check_schedule, read_ssim

    r = check_schedule(case, read_ssim(july_ssim), carrier_states={"IQ": "KAZ"})
    assert r.flights is not None
    f = r.flights.to_pylist()
    assert sum(x["legs"] for x in f) == len(_records(july_ssim)) == 11
    # B2 781 and B2 783 are two-leg flights; every other flight is one leg
    assert {x["flight"]: x["legs"] for x in f if x["legs"] > 1} == {"B2 781": 2, "B2 783": 2}
    caps = sum(c.exceeded for c in r.caps)
    assert sum(x["violations"] for x in f) == r.violations.num_rows - caps


def test_periods_merge_only_when_they_touch_and_share_their_days() -> None:
    from bilat.air.groups import _merge

    d = dt.date
    out = _merge(
        [
            (d(2005, 6, 1), d(2005, 6, 7), 0b1),  # Mondays
            (d(2005, 6, 3), d(2005, 6, 9), 0b100),  # Wednesdays, in between
            (d(2005, 6, 8), d(2005, 6, 30), 0b1),  # touches the first, same days: merged
            (d(2005, 7, 10), d(2005, 7, 31), 0b1),  # a gap: a period of its own
            (d(2005, 6, 8), d(2005, 6, 30), 0b10),  # Tuesdays: kept apart
        ]
    )
    assert [(p.first, p.last, p.days) for p in out] == [
        (d(2005, 6, 1), d(2005, 6, 30), "1"),
        (d(2005, 6, 3), d(2005, 6, 9), "3"),
        (d(2005, 6, 8), d(2005, 6, 30), "2"),
        (d(2005, 7, 10), d(2005, 7, 31), "1"),
    ]
    assert out[0].text() == "2005-06-01..2005-06-30 Mon"


def test_agreements_and_check_text_say_freedoms_in_words(cli: Any, case_dir: Path) -> None:
    text = cli("air", "agreements", str(case_dir)).stdout
    assert "third and fourth freedoms" in text and "3,4" not in text
    r = cli("air", "check", str(case_dir), "--flight", "B2 MSQ-NQZ-ALA", "--local-traffic",
            "NQZ-ALA")  # fmt: skip
    assert "eighth freedom (cabotage)" in r.stdout and " 8 " not in r.stdout
    r = cli("air", "check", str(case_dir), "--flight", "XX RUN-DZA", "--carrier-state", "XX=FRA")
    assert "RUN (Réunion, France)-DZA (Mayotte, France)" in " ".join(r.stdout.split())
    assert "domestic" in r.stdout and "None" not in r.stdout
