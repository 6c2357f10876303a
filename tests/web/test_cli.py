"""``bilat users`` and ``bilat serve`` through the real command line, in-process."""

from __future__ import annotations

import io
from typing import Any

import pytest


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_users_add_with_password_stdin_then_sign_in(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bilat.web import Accounts, Settings

    _stdin(monkeypatch, "s3cret-passphrase\n")
    r = cli("users", "add", "nadia", "--role", "editor", "--password-stdin")
    assert r.exit_code == 0, r.stderr
    assert "added user nadia (editor)" in r.stdout
    accounts = Accounts.open(Settings().users_database())
    user = accounts.authenticate("nadia", "s3cret-passphrase")
    assert user is not None and user.role == "editor"
    assert accounts.authenticate("nadia", "wrong-passphrase") is None


def test_users_list_json(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "another-passphrase\n")
    assert cli("users", "add", "omar", "--password-stdin").exit_code == 0
    r = cli("users", "list", "--json")
    assert r.exit_code == 0
    assert '"name": "omar"' in r.stdout and '"role": "viewer"' in r.stdout


def test_unknown_role_is_exit_2_naming_the_roles(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "whatever-pass\n")
    r = cli("users", "add", "pat", "--role", "boss", "--password-stdin")
    assert r.exit_code == 2
    assert "role must be one of viewer, editor, admin, not 'boss'" in r.stderr


def test_short_password_and_duplicate_name_are_refused(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "short\n")
    r = cli("users", "add", "quinn", "--password-stdin")
    assert r.exit_code == 2 and "password too short" in r.stderr
    _stdin(monkeypatch, "long-enough-pass\n")
    assert cli("users", "add", "quinn", "--password-stdin").exit_code == 0
    _stdin(monkeypatch, "long-enough-pass\n")
    r = cli("users", "add", "quinn", "--password-stdin")
    assert r.exit_code == 1 and "already exists" in r.stderr


def test_set_role_and_remove(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "long-enough-pass\n")
    cli("users", "add", "rita", "--password-stdin")
    assert "rita is now admin" in cli("users", "set-role", "rita", "admin").stdout
    assert cli("users", "remove", "rita").exit_code == 0
    r = cli("users", "remove", "rita")
    assert r.exit_code == 1 and "no user 'rita'" in r.stderr


def test_serve_has_help_and_refuses_a_non_case_folder(cli: Any, tmp_path: Any) -> None:
    r = cli("serve", "--help")
    assert r.exit_code == 0 and "--port" in r.stdout and "--case" in r.stdout
    r = cli("serve", "--case", str(tmp_path))
    assert r.exit_code == 2 and "case.yaml is missing" in r.stderr
