"""Help a new user can follow: how to type each option, and flags that take no value."""

from __future__ import annotations

import json

import click
import pytest
import typer.main

from bilat.cli import app as cli_app


def _walk(cmd, path=()):
    subs = getattr(cmd, "commands", None)
    if subs:
        for name, sub in subs.items():
            yield from _walk(sub, (*path, name))
    else:
        yield " ".join(path), cmd


COMMANDS = dict(_walk(typer.main.get_command(cli_app)))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_shows_how_to_type_each_option(command, cli):
    out = cli(*command.split(), "--help")
    assert out.exit_code == 0, out.stderr
    assert "<bool>" not in out.stdout  # a flag takes no value
    for param in COMMANDS[command].params:
        if isinstance(param, click.Option):
            assert param.help, f"{command}: {param.opts[0]} has no help"
            assert param.opts[0] in out.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_is_one_flag_everywhere(command):
    flags = [p for p in COMMANDS[command].params if "--json" in getattr(p, "opts", ())]
    for p in flags:
        assert p.is_flag and p.opts == ["--json"] and p.name == "as_json"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_lake_is_named_one_way(command):
    opts = {o for p in COMMANDS[command].params for o in getattr(p, "opts", ())}
    if "--lake" in opts:  # --lake DIR (or $BILAT_LAKE), or the lake of --home DIR
        assert "--home" in opts


def test_choices_are_listed(cli):
    out = cli("trade", "products", "--help")
    assert "<export|import>" in out.stdout
    assert "<2|4|6>" in out.stdout


def test_a_usage_error_with_json_prints_the_error_document(cli):
    out = cli("trade", "products", "DEU", "BLR", "--year", "2021", "--level", "5", "--json")
    assert out.exit_code == 2
    doc = json.loads(out.stdout)
    assert set(doc) == {"error", "status", "exit_code", "message", "details"}
    assert doc["error"] == "InputError" and doc["exit_code"] == 2 and doc["status"] == 400
    assert doc["details"]["option"] == "--level" and "'5'" in doc["message"]
