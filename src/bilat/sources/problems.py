"""Bad values found while reading a file: where each one is and why it was refused.

A reader collects them in a :class:`Problems` while it reads; the lake receives them, frozen,
in the reader's :class:`~bilat.sources.base.ReadResult` and either raises the first one
(:func:`first_error`) or, with ``skip_bad_rows=True``, writes them all to a rejects file
(:func:`write_rejects`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bilat.errors import ValidationError, shorten

__all__ = ["Problem", "Problems", "first_error", "numeric_column", "write_rejects"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad value: where it is and why it was refused.

    Attributes
    ----------
    line
        The line (1-based, the header is line 1), or the record number for JSON.
    column
        The file's name for the column.
    value
        The value as written, shortened; ``None`` when empty.
    expected
        What the column takes, in the words of the error message.
    """

    line: int
    column: str
    value: str | None
    expected: str


def _in_order(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.column))


def first_error(path: str, problems: Sequence[Problem]) -> ValidationError:
    """The error for the first bad value of ``path`` (in line order), counting the others.

    ``details["retry_with"]`` names the keyword that loads the good rows anyway.
    """
    p = _in_order(problems)[0]
    more = len(problems) - 1
    hint = "Nothing from this file was written."
    if more:
        hint += f" {more} more problem(s) in the file;"
        hint += " ingest again with skip_bad_rows=True to load the good rows and list the bad ones"
    err = ValidationError(
        "bad value",
        path=path,
        line=p.line,
        column=p.column,
        value=p.value if p.value is not None else "(empty)",
        expected=p.expected,
        hint=hint,
    )
    if more:
        err.details["retry_with"] = {"skip_bad_rows": True}
    return err


def write_rejects(path: str, problems: Sequence[Problem], target: Path) -> Path:
    """Write every problem as CSV (file, line, column, value, expected) to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "column", "value", "expected"])
        for p in _in_order(problems):
            w.writerow([path, p.line, p.column, p.value, p.expected])
    return target


@dataclass
class Problems:
    """The problems of one read of one file, collected while reading (the reader's own)."""

    path: str
    items: list[Problem] = field(default_factory=list)

    def add_mask(
        self,
        mask: pa.Array | pa.ChunkedArray | np.ndarray[Any, Any],
        *,
        lines: np.ndarray[Any, Any],
        column: str,
        values: pa.Array | pa.ChunkedArray | None,
        expected: str,
    ) -> None:
        """Record a problem for every row where ``mask`` is true."""
        m = to_bool_numpy(mask)
        if not m.any():
            return
        idx = np.flatnonzero(m)
        vals: list[Any] = (
            pc.take(values, pa.array(idx)).to_pylist() if values is not None else [None] * len(idx)
        )
        for i, v in zip(idx.tolist(), vals, strict=True):
            self.items.append(
                Problem(int(lines[i]), column, None if v is None else shorten(v), expected)
            )

    def __bool__(self) -> bool:
        return bool(self.items)

    def first_error(self) -> ValidationError:
        """See :func:`first_error`."""
        return first_error(self.path, self.items)


def to_bool_numpy(mask: pa.Array | pa.ChunkedArray | np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A boolean mask as a NumPy array, nulls as ``False``."""
    if isinstance(mask, np.ndarray):
        return mask.astype(bool)
    filled = pc.fill_null(mask, False)
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def numeric_column(frame: Any, column: str, *, path: str | Path, expected: str = "a number") -> Any:
    """``frame[column]`` (pandas) as float64; the first value that is not a number is a
    :class:`ValidationError` naming the file, its line (the header is line 1) and the value."""
    import pandas as pd

    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise ValidationError(
            "not a number",
            path=path,
            line=row + 2,
            column=column,
            value=frame[column].iloc[row],
            expected=expected,
        )
    return values.astype("float64")
