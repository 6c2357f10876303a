"""The one atomic writer (``bilat._files``): old file or new, never half; durable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bilat._files import write_atomic, write_atomic_with


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "legs.csv"
    target.write_text("old\n")

    def half(tmp: Path) -> None:
        tmp.write_text("half of the new")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic_with(target, half)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["legs.csv"]


def test_the_file_is_synced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "sub" / "copy.ssim"  # a missing folder is made
    write_atomic(target, b"3 XX  41...")
    assert target.read_bytes() == b"3 XX  41..."
    kinds = [k for k, _ in events]
    assert kinds == ["fsync", "replace", "fsync"], events
    assert events[0][1].startswith(str(tmp_path / "sub" / ".copy.ssim."))
    assert events[2] == ("fsync", str(tmp_path / "sub"))


def test_a_new_file_gets_the_users_usual_mode_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    import os
    import stat

    from bilat._files import write_atomic

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "brief.html"
        write_atomic(fresh, b"<html></html>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not mkstemp's private 0600
        fresh.chmod(0o640)
        write_atomic(fresh, b"<html>2</html>")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
        assert fresh.read_bytes() == b"<html>2</html>"
    finally:
        os.umask(old)
