from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "air.md"


def test_check_permitted_combined_flight(cli: Any, case_dir: Path) -> None:
    r = cli("air", "check", str(case_dir), "--flight", "B2 MSQ-NQZ-ALA", "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["permitted"] is True
    assert [s["kind"] for s in out["segments"]] == ["traffic", "traffic", "co-terminal"]


def test_check_with_local_traffic_is_refused(cli: Any, case_dir: Path) -> None:
    r = cli(
        "air", "check", str(case_dir), "--flight", "B2 MSQ-NQZ-ALA", "--local-traffic", "NQZ-ALA"
    )
    assert r.exit_code == 0
    assert "refused" in r.stdout and "cabotage" in r.stdout


def test_check_unknown_airport_is_usage_error(cli: Any, case_dir: Path) -> None:
    r = cli("air", "check", str(case_dir), "--flight", "B2 MSQ-QQQ")
    assert r.exit_code == 2
    assert "Unknown airport code 'QQQ'" in r.stderr


def test_schedule_json(cli: Any, case_dir: Path, july_ssim: Path) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KAZ", "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["record_counts"]["3"] == 11
    kinds = sorted({v["kind"] for v in out["violations"]})
    assert kinds == ["cap-exceeded", "no-right", "not-in-route-schedule", "undesignated-carrier"]


def test_schedule_bad_file_names_line(cli: Any, case_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ssim"
    bad.write_text("3" + "x" * 199 + "\n")
    r = cli("air", "schedule", str(case_dir), str(bad))
    assert r.exit_code == 2
    assert "line 1" in r.stderr


def test_routes_json(cli: Any, case_dir: Path) -> None:
    r = cli("air", "routes", str(case_dir), "--carrier", "KC", "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["carriers"] == ["KC"]
    trunk = next(x for x in out["routes"] if x["routing"] == ["NQZ", "MSQ"])
    assert {"kind": "trunk", "freedoms": [3, 4], "carrier": "KC"}.items() <= trunk.items()


def test_routes_unknown_carrier(cli: Any, case_dir: Path) -> None:
    r = cli("air", "routes", str(case_dir), "--carrier", "ZZ")
    assert r.exit_code == 2
    assert (
        "no agreement designates carrier 'ZZ'; the designated carriers are B2, DV, KC"
        in " ".join(r.stderr.split())
    )


def test_agreements_summary(cli: Any, case_dir: Path) -> None:
    r = cli("air", "agreements", str(case_dir), "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["agreements"][0]["id"] == "BLR-KAZ"


def test_unknown_carrier_state_is_asked_for_with_the_flag(cli: Any, case_dir: Path) -> None:
    r = cli("air", "check", str(case_dir), "--flight", "ZZ NQZ-MSQ")
    assert r.exit_code == 2
    message = " ".join(r.stderr.split())
    assert (
        "error: Carrier 'ZZ' is designated in none of the 1 agreement, so its state is "
        "unknown: pass its state with --carrier-state ZZ=ISO3, e.g. --carrier-state ZZ=KAZ"
    ) in message
    assert "carrier_states" not in message and "{" not in message


def test_check_json_is_the_flight_check_document(cli: Any, case_dir: Path) -> None:
    from bilat.air import check_flight, load_agreements
    from bilat.document import to_document

    r = cli("air", "check", str(case_dir), "--flight", "KC NQZ-MSQ", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == to_document(
        check_flight(load_agreements(case_dir), "KC NQZ-MSQ")
    )


def test_schedule_json_is_the_one_schedule_document(
    cli: Any, case_dir: Path, july_ssim: Path
) -> None:
    r = cli("air", "schedule", str(case_dir), str(july_ssim), "--carrier-state", "IQ=KAZ", "--json")
    out = json.loads(r.stdout)
    assert out["file"] == july_ssim.name and out["compliant"] is False
    assert out["legs"] == out["record_counts"]["3"] == 11
    assert {"exceeded": True}.items() <= next(c for c in out["caps"] if c["exceeded"]).items()
    assert set(out) == {
        "file", "legs", "legs_checked", "legs_not_checked", "record_counts", "carriers",
        "verdict", "compliant", "by_carrier", "by_kind", "groups", "violations", "caps",
        "segments", "frequencies", "warnings", "ssim_warnings", "legs_repeated",
        "legs_undetermined", "undetermined_because", "outside_pairs", "undetermined_groups",
        "undetermined_by_kind",
        "segments_by_verdict",
    }  # fmt: skip


@pytest.mark.parametrize("command", ["agreements", "check", "schedule", "routes"])
def test_every_command_has_help_and_a_docs_section(cli: Any, command: str) -> None:
    r = cli("air", command, "--help")
    assert r.exit_code == 0 and len(r.stdout) > 100
    assert re.search(rf"^##+ .*`bilat air {command}", DOCS.read_text(), re.MULTILINE)


def test_schedule_with_nothing_checked_is_not_compliant_nor_in_breach(
    cli: Any, case_dir: Path, shared_data: Path
) -> None:
    # the real GNA sample: carrier XX is designated in no agreement, so no flight is checked
    ssim = shared_data / "air" / "gna-sample.ssim"
    out = json.loads(cli("air", "schedule", str(case_dir), str(ssim), "--json").stdout)
    assert out["segments"] == [] and out["compliant"] is None
    assert "compliance is not determined" in out["warnings"][-1]
    text = cli("air", "schedule", str(case_dir), str(ssim)).stdout
    assert "not determined" in text and "--carrier-state XX=ISO3" in text
