"""The one serialiser and the one error shape (bilat.document)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from bilat.document import dumps, error_document, http_status, to_document
from bilat.errors import InputError, NotFoundError, ParseError, UnknownCodeError


@dataclass(frozen=True)
class _Inner:
    when: dt.date
    where: Path
    values: tuple[float, ...]


@dataclass(frozen=True)
class _Outer:
    name: str
    inner: _Inner
    rows: pa.Table
    tags: frozenset[str]


def test_plain_data_from_results():
    doc = to_document(
        _Outer(
            "x",
            _Inner(dt.date(2021, 6, 3), Path("/a/b"), (1.0, math.nan, math.inf)),
            pa.table({"product": ["1704"], "value_usd": [400.0]}),
            frozenset({"b", "a"}),
        )
    )
    assert doc == {
        "name": "x",
        "inner": {"when": "2021-06-03", "where": "/a/b", "values": [1.0, None, None]},
        "rows": [{"product": "1704", "value_usd": 400.0}],
        "tags": ["a", "b"],
    }
    json.dumps(doc, allow_nan=False)  # strict JSON


def test_pandas_and_numpy():
    frame = pd.DataFrame({"a": [1, 2], "b": [np.nan, 2.5]})
    assert to_document(frame) == [{"a": 1, "b": None}, {"a": 2, "b": 2.5}]
    assert to_document({"n": np.int64(3), "f": np.float32(0.5), "na": pd.NA, "t": pd.NaT}) == {
        "n": 3,
        "f": 0.5,
        "na": None,
        "t": None,
    }


def test_to_dict_wins_over_fields():
    @dataclass(frozen=True)
    class WithDict:
        a: int

        def to_dict(self) -> dict[str, int]:
            return {"a": self.a, "twice": 2 * self.a}

    assert json.loads(dumps([WithDict(2)])) == [{"a": 2, "twice": 4}]


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (UnknownCodeError("unknown country 'XYZ'"), 400, 2),
        (ParseError("bad file"), 422, 2),
        (NotFoundError("no flows for 1990"), 404, 1),
    ],
)
def test_error_shape(exc, status, code):
    doc = error_document(exc)
    assert doc == {
        "error": type(exc).__name__,
        "status": status,
        "exit_code": code,
        "message": exc.message,
        "details": to_document(exc.details),
    }
    assert http_status(exc) == status


def test_http_layer_errors_have_the_same_fields():
    doc = error_document(status=404, message="no route", details={"path": Path("/x")})
    assert doc == {
        "error": "NotFoundError",
        "status": 404,
        "exit_code": 1,
        "message": "no route",
        "details": {"path": "/x"},
    }
    assert error_document(InputError("x", details={"v": math.nan}))["details"] == {"v": None}
