from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import bilat
import bilat.errors
from bilat.agenda import Agenda
from bilat.brief import build_briefing
from bilat.lake import Lake
from bilat.trade import Dyad
from bilat.tradeview import TradeView

ERRORS = {
    name
    for name in bilat.errors.__all__
    if inspect.isclass(getattr(bilat.errors, name))
    and issubclass(getattr(bilat.errors, name), bilat.errors.BilatError)
}


def test_exported_members() -> None:
    """The top-level surface is exactly what we mean to export."""
    expected = {"Lake", "Dyad", "Agenda", "TradeView", "build_briefing", "__version__"} | ERRORS
    assert set(bilat.__all__) == expected
    assert "ParseError" in ERRORS and "NotFoundError" in ERRORS


def test_each_name_resolves_to_the_parts_own_object() -> None:
    assert bilat.Lake is Lake
    assert bilat.Dyad is Dyad
    assert bilat.Agenda is Agenda
    assert bilat.TradeView is TradeView
    assert bilat.build_briefing is build_briefing
    for name in ERRORS:
        assert getattr(bilat, name) is getattr(bilat.errors, name)
    assert bilat.__version__ == "0.1.0.dev0"
    assert set(bilat.__all__) <= set(dir(bilat))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        bilat.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


def test_import_bilat_loads_no_engine() -> None:
    """``import bilat`` stays quick: the lake, Ibis and pandas load when first used."""
    heavy = "('ibis', 'pandas', 'duckdb', 'bilat.lake')"
    code = f"import sys, bilat; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
