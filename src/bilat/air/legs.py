"""The flight legs of an SSIM file, every field: what ``bilat air legs`` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa

from bilat._files import write_atomic_with
from bilat.air.ssim import parse_ssim, read_ssim
from bilat.errors import InputError

__all__ = ["LegsFormat", "LegsReport", "legs_report", "write_legs"]

LegsFormat = Literal["csv", "parquet"]
_MODES = {"U": "UTC", "L": "local time"}


@dataclass(frozen=True, slots=True)
class LegsReport:
    """Every flight leg (type-3 record) of an SSIM file, each field in its own column.

    Attributes
    ----------
    file
        The file's name (no folder).
    count
        Number of flight legs.
    record_counts
        Records of each type (``"0"`` … ``"5"``).
    time_modes
        Per data set (type-2 record): ``dataset``, ``airline``, ``time_mode`` (``U``/``L``)
        and ``times`` (``"UTC"`` or ``"local time"``): the mode of the legs' periods, days
        and times (``std``, ``sta``, ``aircraft_std``, ``aircraft_sta``, in minutes after
        midnight). UTC offsets are minutes east of UTC whatever the mode.
    legs
        The legs, columns as :attr:`bilat.air.Schedule.legs` (docs/air.md lists them).
    warnings
        Problems of the file that did not stop reading it (a leg record that repeats an
        earlier one among them).
    legs_repeated
        Leg records that repeat an earlier one with the same key (designator, variation,
        leg, period, days); they are listed here, and ``bilat air schedule`` counts each
        leg once.
    """

    file: str
    count: int
    record_counts: Mapping[str, int]
    time_modes: tuple[Mapping[str, object], ...]
    legs: pa.Table
    warnings: tuple[str, ...]
    legs_repeated: int = 0


def legs_report(file: str | Path | bytes, *, name: str | None = None) -> LegsReport:
    """Read an SSIM file (a path, or its bytes) and report its legs.

    Raises
    ------
    ParseError
        When the file breaks the format (the message names the line and field).
    """
    if isinstance(file, bytes):
        label = name or "upload.ssim"
        schedule = parse_ssim(file, path=label)
    else:
        label = name or Path(file).name
        schedule = read_ssim(file)
    modes = tuple(
        {
            "dataset": c["dataset"],
            "airline": c["airline"],
            "time_mode": c["time_mode"],
            "times": _MODES.get(str(c["time_mode"]), "unknown"),
        }
        for c in schedule.carriers.select(["dataset", "airline", "time_mode"]).to_pylist()
    )
    from bilat.air.schedule import drop_repeated_legs, repeated_legs_text

    warnings = schedule.warnings
    _, repeated, repeats = (
        drop_repeated_legs(schedule.legs) if schedule.duplicates.num_rows else (None, 0, [])
    )
    if repeated:
        tail = "they are listed as written; `bilat air schedule` counts each leg once"
        warnings = (*warnings, repeated_legs_text(repeated, repeats, tail=tail))
    return LegsReport(
        file=label,
        count=schedule.legs.num_rows,
        record_counts=dict(schedule.record_counts),
        time_modes=modes,
        legs=schedule.legs,
        warnings=warnings,
        legs_repeated=repeated,
    )


def write_legs(legs: pa.Table, path: str | Path, fmt: LegsFormat) -> Path:
    """Write every column of ``legs`` to ``path`` as CSV or Parquet, atomically.

    The table goes to a temporary file in the same folder, which then replaces ``path``:
    a reader never sees half a file, and a failure leaves what was there.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt not in ("csv", "parquet"):
        raise InputError(f"unknown format {fmt!r}: use csv or parquet")
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(
            f"cannot write {target}: folder {target.parent} does not exist",
            details={"path": str(target)},
        )

    def write(tmp: Path) -> None:
        if fmt == "csv":
            pacsv.write_csv(legs, tmp)
        else:
            pq.write_table(legs, tmp)

    write_atomic_with(target, write)
    return target
