"""Build SSIM Chapter 7 records for tests (fixed 200 bytes, byte columns as the standard)."""

from __future__ import annotations


def _put(rec: bytearray, col: int, text: str) -> None:
    rec[col - 1 : col - 1 + len(text)] = text.encode("ascii")


def header() -> str:
    rec = bytearray(b" " * 200)
    _put(rec, 1, "1AIRLINE STANDARD SCHEDULE DATA SET")
    _put(rec, 195, "000001")
    return rec.decode()


def carrier(airline: str, serial: int, *, start: str = "27MAR22", end: str = "29OCT22") -> str:
    rec = bytearray(b" " * 200)
    _put(rec, 1, "2U" + airline.ljust(3))
    _put(rec, 11, "S22")
    _put(rec, 15, start + end + "01JUN22")
    _put(rec, 72, "P")
    _put(rec, 195, f"{serial:06d}")
    return rec.decode()


def leg(
    airline: str,
    number: int,
    dep: str,
    arr: str,
    serial: int,
    *,
    ivi: int = 1,
    seq: int = 1,
    start: str = "04JUL22",
    end: str = "31JUL22",
    days: str = "1234567",
    std: str = "0800",
    sta: str = "1400",
    trc: str = "",
    dep_offset: str = "+0300",
    arr_offset: str = "+0600",
) -> str:
    rec = bytearray(b" " * 200)
    _put(rec, 1, "3 " + airline.ljust(3) + f"{number:>4}" + f"{ivi:02d}{seq:02d}J")
    positional = "".join(d if d in days else " " for d in "1234567")
    _put(rec, 15, start + end + positional + " ")
    _put(rec, 37, dep + std + std + dep_offset + "  ")
    _put(rec, 55, arr + sta + sta + arr_offset + "  " + "320")
    _put(rec, 150, trc)
    _put(rec, 195, f"{serial:06d}")
    return rec.decode()


def segment(
    airline: str, number: int, board: str, off: str, dei: int, data: str, serial: int
) -> str:
    rec = bytearray(b" " * 200)
    _put(rec, 1, "4 " + airline.ljust(3) + f"{number:>4}" + "0101J")
    _put(rec, 29, "  " + f"{dei:03d}" + board + off + data)
    _put(rec, 195, f"{serial:06d}")
    return rec.decode()


def trailer(airline: str, last_serial: int) -> str:
    rec = bytearray(b" " * 200)
    _put(rec, 1, "5 " + airline.ljust(3))
    _put(rec, 188, f"{last_serial:06d}E{last_serial + 1:06d}")
    return rec.decode()


def zeros() -> str:
    return "0" * 200


def blr_kaz_schedule() -> str:
    """A small hand-made Belavia/Air Astana summer schedule (July 2022), for tests and docs."""
    recs = [header(), zeros(), carrier("B2", 2)]
    recs.append(leg("B2", 735, "MSQ", "NQZ", 3, days="12457"))  # 5 + 781 + 783 = 7, cap 7
    recs.append(leg("B2", 736, "NQZ", "MSQ", 4, dep_offset="+0600", arr_offset="+0300"))
    recs.append(leg("B2", 757, "MSQ", "ALA", 5, days="12345"))  # 5 a week, cap 4
    recs.append(leg("B2", 781, "MSQ", "NQZ", 6, seq=1, days="3"))
    recs.append(leg("B2", 781, "NQZ", "KSN", 7, seq=2, days="3", trc="A", dep_offset="+0600"))
    recs.append(leg("B2", 783, "MSQ", "NQZ", 8, seq=1, days="6"))  # NQZ-KSN local: cabotage
    recs.append(leg("B2", 783, "NQZ", "KSN", 9, seq=2, days="6", dep_offset="+0600"))
    recs.append(leg("B2", 791, "MSQ", "SCO", 10, days="4"))  # SCO not in the route schedule
    recs += [trailer("B2", 10), zeros(), carrier("KC", 12)]
    recs.append(
        leg("KC", 911, "NQZ", "GME", 13, days="257", dep_offset="+0600", arr_offset="+0300")
    )
    recs.append(leg("KC", 913, "ALA", "MSQ", 14, days="5", dep_offset="+0600", arr_offset="+0300"))
    recs += [trailer("KC", 14), zeros(), carrier("IQ", 16)]
    recs.append(leg("IQ", 501, "NQZ", "MSQ", 17, days="1", dep_offset="+0600", arr_offset="+0300"))
    recs.append(trailer("IQ", 17))
    return "\n".join(recs) + "\n"


if __name__ == "__main__":  # regenerate tests/fixtures/air/blr-kaz-2022-07.ssim
    import sys

    sys.stdout.write(blr_kaz_schedule())
