"""``bilat air agreements`` and ``bilat air diff`` say everything the files hold (issue 17).

Review notes 17, items 10 (caps, route schedules, co-terminalisation, designation and the
caveats in text; every field of a cap in JSON), 19 (diff text in words) and 26 (help). The
expected values are read off src/bilat/cases/blr-kaz-2022/air/blr-kaz.yaml by hand: caps
MSQ-NQZ 7 (previously 4), MSQ-ALA 4 (previously 2), MSQ-KSN 2 (no previous), each
``applies_to: each``; BLR single designation (B2), KAZ multiple (KC, DV); BLR's route schedule
an assumption; co-terminalisation at every airport of KAZ without local traffic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bilat.air import agreements_report, load_agreements


def test_json_caps_keep_every_field(case_dir: Path) -> None:
    (s,) = agreements_report(load_agreements(case_dir)).agreements
    caps = {c.id: c for c in s.by_party["BLR"].caps}
    assert {k: (c.weekly, c.previous, c.applies_to) for k, c in caps.items()} == {
        "MSQ-NQZ": (7, 4, "each"),
        "MSQ-ALA": (4, 2, "each"),
        "MSQ-KSN": (2, None, "each"),
    }
    assert all(c.valid_from is None and c.valid_to is None for c in caps.values())
    assert caps["MSQ-NQZ"].provenance is not None
    assert "per side assumed" in (caps["MSQ-NQZ"].provenance.note or "")
    rs = s.by_party["BLR"].route_schedule
    assert rs is not None and rs.provenance is not None and rs.provenance.kind == "assumption"


def test_json_document_has_applies_to_previous_and_note(cli: Any, case_dir: Path) -> None:
    r = cli("air", "agreements", str(case_dir), "--json")
    assert r.exit_code == 0, r.stderr
    (ag,) = json.loads(r.stdout)["agreements"]
    cap = next(c for c in ag["by_party"]["KAZ"]["caps"] if c["id"] == "MSQ-ALA")
    assert (cap["applies_to"], cap["previous"], cap["weekly"]) == ("each", 2, 4)
    assert cap["provenance"]["note"].endswith("per side assumed.")
    assert ag["by_party"]["BLR"]["point_clauses"][0]["local_traffic"] is False


def test_text_shows_caps_schedules_designation_and_caveats(cli: Any, case_dir: Path) -> None:
    r = cli("air", "agreements", str(case_dir))
    assert r.exit_code == 0, r.stderr
    out = " ".join(r.stdout.split())  # table cells may wrap
    for title in (
        "Designation and route schedules",
        "Rights granted",
        "Co-terminalisation, stopover, change of gauge",
        "Frequency caps",
    ):
        assert title in r.stdout
    assert "single" in out and "multiple" in out and "home:" in out and "beyond:" in out
    # printed as lines, not table cells: whole sentences
    assert "cap MSQ-NQZ (public-report): Raised by the aviation authorities" in out
    assert "per side assumed" in out
    assert "route schedule BLR (assumption)" in out


def test_report_rows_hold_the_words(case_dir: Path) -> None:
    report = agreements_report(load_agreements(case_dir))
    caps = report.cap_rows()
    # each cap once, although an "each" cap applies to both parties
    assert [(c["cap"], c["weekly"], c["previous"]) for c in caps] == [
        ("MSQ-NQZ", "7", "4"),
        ("MSQ-ALA", "4", "2"),
        ("MSQ-KSN", "2", ""),
    ]
    assert {c["counts"] for c in caps} == {"each party's carriers separately"}
    blr, kaz = report.designation_rows()
    assert (blr["designation"], blr["carriers"], kaz["designation"], kaz["carriers"]) == (
        "single", "B2", "multiple", "KC DV"
    )  # fmt: skip
    assert blr["route schedule"] == (
        "home: every airport of BLR; intermediate: none; destination: ALA, KSN, NQZ; "
        "beyond: any point"
    )
    assert blr["route schedule source"] == "assumption: 2021"
    (co,) = report.point_clause_rows()
    assert (co["clause"], co["points"], co["local traffic"]) == (
        "co-terminalisation", "every airport of KAZ", "not allowed"
    )  # fmt: skip
    caveats = report.caveats()
    assert caveats[0].startswith("BLR-KAZ designation BLR (assumption)")


def test_diff_text_is_in_words(cli: Any, case_dir: Path) -> None:
    before = case_dir.parent / "air-before" / "blr-kaz.yaml"
    r = cli("air", "diff", str(before), str(case_dir / "blr-kaz.yaml"))
    assert r.exit_code == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "home:" in out and "beyond:" in out
    assert "fifth freedom" in out and "freedoms 5" not in out
    assert "fifth_freedom" not in out and "not_granted" not in out
    assert "cooperative_arrangements" not in out
    assert "route schedules" in out and "route_schedules" not in out


def test_help_names_the_arguments_and_the_route(cli: Any) -> None:
    r = cli("air", "agreements", "--help")
    assert "FOLDER" in r.stdout and "{folder}" not in r.stdout
    assert "/api/air/agreements" in " ".join(r.stdout.split())
    r = cli("air", "diff", "--help")
    assert "BEFORE" in r.stdout and "AFTER" in r.stdout and "{before}" not in r.stdout
    assert "/api/air/diff" in " ".join(r.stdout.split())
    assert "/api/..." not in r.stdout
