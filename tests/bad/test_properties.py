"""Garbage into every reader through the CLI: a clean exit (2 for bad input), never a traceback
or another exception, and a refused input writes nothing to the home (lake, agenda)."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "bad"))
import corpus

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def garbage(*prefixes: bytes) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, and arbitrary bytes after each plausible start of the format."""
    tails = st.binary(max_size=400)
    return st.one_of(tails, *(tails.map(lambda b, p=p: p + b) for p in prefixes))


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = Path(os.environ["BILAT_HOME"])
    if not (h / "lake").exists():
        corpus.setup_home(h)
    return h


def _check(cli: Any, home: Path, args: Callable[[Path], list[str]], data: bytes) -> None:
    work = home / "in"
    work.mkdir(exist_ok=True)
    before = corpus.snapshot(home / "lake") | {"db": corpus.snapshot(home).get("agenda.db", "")}
    r = cli(*args(work))
    assert "Traceback" not in r.stderr
    assert r.exit_code in (0, 2), (r.exit_code, r.stderr)
    after = corpus.snapshot(home / "lake") | {"db": corpus.snapshot(home).get("agenda.db", "")}
    if r.exit_code == 2:
        assert after == before, "a refused input wrote to the home"


def _file(name: str, data: bytes, *command: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        (work / name).write_bytes(data)
        return [*command, str(work / name)]

    return args


@FAST
@given(garbage(b"t,i,j,k,v,q\n", b"t,i,j,k,v,q\n2019,112,398,"))
def test_baci_csv(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _file(corpus.Y2019, data, "ingest", "baci"), data)


@FAST
@given(garbage(b"t,i,j,k,v,q\n", b"PK\x03\x04"))
def test_baci_zip_member(cli: Any, home: Path, data: bytes) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(corpus.Y2019, data)
    raw = buf.getvalue()
    _check(cli, home, _file("BACI_HS17_V202401.zip", raw, "ingest", "baci"), raw)


@FAST
@given(garbage(b"PK\x03\x04", b"\x1f\x8b\x08\x00"))
def test_baci_damaged_archive(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _file("BACI_HS17_V202401.zip", data, "ingest", "baci"), data)


@FAST
@given(garbage(b'{"data": [', b'\xef\xbb\xbf{"data": [{"refYear": '))
def test_comtrade_json(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _file("c.json", data, "ingest", "comtrade"), data)


@FAST
@given(garbage(corpus.COMTRADE_HEAD.encode(), corpus.COMTRADE_HEAD.encode() + b"2021,AUT,"))
def test_comtrade_csv(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _file("c.csv", data, "ingest", "comtrade"), data)


@FAST
@given(garbage(b"Year,From,To,HS,USD\n", b"Year,From,To,HS,USD\n2021,BLR,KAZ,"))
def test_national_csv(cli: Any, home: Path, data: bytes) -> None:
    command = ("ingest", "csv", "--map", corpus.MAP, "--source", "nat")
    _check(cli, home, _file("n.csv", data, *command), data)


@FAST
@given(garbage(b"1AIRLINE STANDARD SCHEDULE DATA SET", b"3 XX  1"))
def test_ssim(cli: Any, home: Path, data: bytes) -> None:
    ok = str(corpus.HERE / "air" / "ok")

    def args(work: Path) -> list[str]:
        (work / "s.ssim").write_bytes(data)
        return ["air", "schedule", ok, str(work / "s.ssim")]

    _check(cli, home, args, data)


def _folder(name: str, data: bytes, *command: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        folder = work / "case"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
        return [*command, str(folder)]

    return args


@FAST
@given(garbage(b"case: x\n", b"a: &a [1, 2]\nb: [*a, *a]\n"))
def test_agenda_yaml(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _folder("case.yaml", data, "agenda", "import"), data)


@FAST
@given(garbage(b"schema: bilat-air/1\n", b"a: &a [1]\nparties: *a\n"))
def test_air_yaml(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _folder("blr-kaz.yaml", data, "air", "agreements"), data)


@FAST
@given(garbage(b"schema: bilat-claims/1\n", b"dyad: [BLR, KAZ]\nclaims:\n  - "))
def test_claims_yaml(cli: Any, home: Path, data: bytes) -> None:
    _check(cli, home, _folder("claims.yaml", data, "claims", "check"), data)
