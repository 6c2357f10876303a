"""Records of tests/air/ssim_builder.py with more fields set (frequency rate, date variation,
aircraft configuration, time mode), at the byte columns of SSIM Chapter 7. Synthetic data."""

from __future__ import annotations

try:
    from . import ssim_builder as b
except ImportError:  # run as a script
    import ssim_builder as b  # type: ignore[no-redef]


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


def blr_kaz_august() -> str:
    """The July fixture's schedule changed for August 2022 (synthetic, for ``air compare``):
    B2 757 dropped, KC 911 four days a week, a new IQ 503, B2 735 with a J8Y150 cabin."""
    aug = {"start": "01AUG22", "end": "28AUG22"}
    recs = [b.header(), b.zeros(), carrier("B2", 2)]
    recs.append(leg("B2", 735, "MSQ", "NQZ", 3, days="12457", config="J8Y150", **aug))
    recs.append(leg("B2", 736, "NQZ", "MSQ", 4, dep_offset="+0600", arr_offset="+0300", **aug))
    recs += [b.trailer("B2", 4), b.zeros(), carrier("KC", 6)]
    recs.append(
        leg("KC", 911, "NQZ", "GME", 7, days="1257", dep_offset="+0600", arr_offset="+0300", **aug)
    )
    recs += [b.trailer("KC", 7), b.zeros(), carrier("IQ", 9)]
    recs.append(
        leg("IQ", 503, "ALA", "MSQ", 10, days="36", dep_offset="+0600", arr_offset="+0300", **aug)
    )
    recs.append(b.trailer("IQ", 10))
    return "\n".join(recs) + "\n"


if __name__ == "__main__":  # regenerate tests/fixtures/air/blr-kaz-2022-08.ssim
    import sys

    sys.stdout.write(blr_kaz_august())
