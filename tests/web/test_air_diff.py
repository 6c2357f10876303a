"""``POST /api/air/diff``: two uploaded versions of an agreement compared (issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bilat.air import case_agreements_dir

CASE = case_agreements_dir()
BEFORE = CASE.parent / "air-before" / "blr-kaz.yaml"
AFTER = CASE / "blr-kaz.yaml"


def _files(before: tuple[str, bytes], after: tuple[str, bytes]) -> dict[str, Any]:
    return {"before": before, "after": after}


def test_founding_case_diff(viewer: Any) -> None:
    r = viewer.post(
        "/api/air/diff",
        files=_files(("b.yaml", BEFORE.read_bytes()), ("a.yaml", AFTER.read_bytes())),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    added = {(c["family"], c["key"]) for c in body["changes"] if c["change"] == "added"}
    assert added == {("rights", "BLR-5-KAZ-beyond"), ("co_terminalisation", "BLR-co-terminal-KAZ")}
    assert (body["ali_after"]["low"], body["ali_after"]["high"]) == (6, 34)


def test_bad_agreement_upload_is_422_naming_the_line(viewer: Any) -> None:
    text = AFTER.read_text().replace("freedoms: [5]", "freedoms: [10]")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "[10]" in t)
    r = viewer.post(
        "/api/air/diff",
        files=_files(("b.yaml", BEFORE.read_bytes()), ("a.yaml", text.encode())),
    )
    assert r.status_code == 422, r.text
    assert f"line {line}" in r.json()["message"]


def test_upload_that_is_not_yaml_is_refused(viewer: Any, tmp_path: Path) -> None:
    r = viewer.post(
        "/api/air/diff",
        files=_files(("b.ssim", BEFORE.read_bytes()), ("a.yaml", AFTER.read_bytes())),
    )
    assert r.status_code == 400, r.text
    assert ".yaml" in r.json()["message"]


def test_anonymous_diff_is_refused(anon: Any) -> None:
    r = anon.post(
        "/api/air/diff",
        files=_files(("b.yaml", BEFORE.read_bytes()), ("a.yaml", AFTER.read_bytes())),
    )
    assert r.status_code == 401


def test_error_names_the_upload_not_the_servers_temporary_path(viewer: Any) -> None:
    """Review notes 17, item 22: the message and details name ``my-after.yaml`` only."""
    text = AFTER.read_text().replace("freedoms: [5]", "freedoms: [10]")
    r = viewer.post(
        "/api/air/diff",
        files=_files(("b.yaml", BEFORE.read_bytes()), ("my-after.yaml", text.encode())),
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"].startswith("my-after.yaml, line ")
    assert body["details"]["path"] == "my-after.yaml"
    assert "/tmp" not in r.text and "after/" not in r.text


def test_an_ssim_upload_as_an_agreement_is_named_briefly(viewer: Any) -> None:
    ssim = Path(__file__).resolve().parents[1] / "fixtures" / "air" / "blr-kaz-2022-07.ssim"
    r = viewer.post(
        "/api/air/diff",
        files=_files(("b.yaml", BEFORE.read_bytes()), ("a.yaml", ssim.read_bytes())),
    )
    assert r.status_code == 422, r.text
    msg = r.json()["message"]
    assert msg.startswith("a.yaml, line 1: not an agreement") and "SSIM schedule" in msg
    assert "after expects" in msg and len(msg) < 700
