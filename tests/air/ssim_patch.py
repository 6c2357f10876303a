"""Records of tests/air/ssim_builder.py with more fields set (frequency rate, date variation,
aircraft configuration, time mode), at the byte columns of SSIM Chapter 7. Synthetic data."""

from __future__ import annotations

from . import ssim_builder as b


def put(rec: str, col: int, text: str) -> str:
    """``rec`` with ``text`` written from 1-based byte column ``col``."""
    return rec[: col - 1] + text + rec[col - 1 + len(text) :]


def leg(
    *args: object,
    rate: str = " ",
    dep_var: str = " ",
    arr_var: str = " ",
    config: str = "",
    aircraft: str = "320",
    **kw: object,
) -> str:
    """A type-3 record (see ``ssim_builder.leg``) with bytes 36, 73-75, 173-194 set."""
    rec = b.leg(*args, **kw)  # type: ignore[arg-type]
    rec = put(rec, 36, rate)
    rec = put(rec, 73, aircraft.ljust(3))
    rec = put(rec, 173, config.ljust(20)[:20])
    return put(rec, 193, dep_var + arr_var)


def carrier(airline: str, serial: int, *, mode: str = "U", **kw: str) -> str:
    """A type-2 record with time mode ``mode`` (byte 2)."""
    return put(b.carrier(airline, serial, **kw), 2, mode)


def file(legs: list[str], *, airline: str = "B2", mode: str = "U", **kw: str) -> bytes:
    """A whole SSIM file: header, one carrier, the legs, trailer."""
    recs = [b.header(), b.zeros(), carrier(airline, 2, mode=mode, **kw), *legs]
    recs.append(b.trailer(airline, 2 + len(legs)))
    return ("\n".join(recs) + "\n").encode()
