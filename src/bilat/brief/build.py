"""Assembling a briefing: every part for a dyad and a year, each section with its sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilat.brief.case_sections import (
    agenda_section,
    air_section,
    claims_section,
    potential_section,
)
from bilat.brief.key_messages import key_messages
from bilat.brief.model import Briefing, Section
from bilat.brief.promising_section import promising_section
from bilat.brief.scenario_section import (
    scenario_section,
)
from bilat.brief.structure_section import structure_section
from bilat.brief.text import country, msg
from bilat.brief.trade_sections import TRADE_SECTIONS
from bilat.brief.world_section import world_section
from bilat.errors import InputError
from bilat.options import check_year
from bilat.trade import Dyad

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = ["build_briefing"]


def _banner(lake: Lake) -> str | None:
    """The synthetic-data banner (its Russian wording is in ``brief.po``)."""
    if not getattr(lake, "is_synthetic", False):
        return None
    try:
        from bilat.sample import SYNTHETIC_BANNER
    except ImportError:  # pragma: no cover - the sample part ships with bilat
        return msg("Synthetic sample data — not real trade statistics.")
    return msg(SYNTHETIC_BANNER)


def _manifest(lake: Lake, sections: tuple[Section, ...]) -> tuple[dict[str, Any], ...]:
    cited = {e for s in sections for e in s.entries}
    out = []
    for entry in lake.manifest():
        if entry.entry_id not in cited:
            continue
        out.append(
            {
                "entry_id": entry.entry_id,
                "kind": entry.kind,
                "source": entry.source,
                "release": entry.release,
                "path": str(entry.path),
                "sha256": entry.sha256,
                "rows": entry.rows,
                "years": list(entry.years),
                "synthetic": bool(entry.synthetic),
            }
        )
    return tuple(out)


def build_briefing(
    lake: Lake,
    a: str,
    b: str,
    *,
    year: int,
    case: str | Path | None = None,
    agenda: Any | str | None = None,
    as_of: dt.date | str | None = None,
    ge_baseline: str | Path | None = None,
) -> Briefing:
    """Build the briefing for the dyad A–B and ``year``.

    Parameters
    ----------
    lake
        The trade lake.
    a, b
        The two countries (ISO3 or any form :func:`bilat.codes.countries.to_iso3` reads).
    year
        The trade year of the briefing.
    case
        A case folder (or a shipped case's name) for the claims, commitments and air
        sections; without it those sections say there is no case.
    agenda
        An open :class:`bilat.agenda.Agenda`, or the URL of an agenda database (opened and
        closed here), to read commitments from (default: the case's ``agenda.yaml`` read
        into memory).
    as_of
        The day commitments are evaluated at (default: today).
    ge_baseline
        The baseline table of the case's GE scenarios (every pair of one year, domestic
        flows included); default ``BILAT_GE_BASELINE``, then the file the case names (see
        :mod:`bilat.brief.scenario_section`).

    Examples
    --------
    >>> b = build_briefing(lake, "BLR", "KAZ", year=2021, case="blr-kaz-2022")  # doctest: +SKIP
    >>> [s.status for s in b.sections]                                           # doctest: +SKIP
    """
    year = check_year(year)  # every argument is checked before the lake is read
    dyad = Dyad(lake, a, b)
    day = _day(as_of)
    folder = _case_folder(case)
    with _agenda(agenda) as source:
        sections = _sections(lake, dyad, year, folder, source, day, ge_baseline)
    return Briefing(
        a=dyad.a.code,
        b=dyad.b.code,
        a_name=country(dyad.a.code),
        b_name=country(dyad.b.code),
        year=year,
        as_of=day.isoformat(),
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        synthetic=bool(getattr(lake, "is_synthetic", False)),
        banner=_banner(lake),
        case=None if folder is None else str(folder),
        sections=sections,
        manifest=_manifest(lake, sections),
        key_messages=key_messages(sections, year, dyad.a.code, dyad.b.code),
    )


def _case_folder(case: str | Path | None) -> Path | None:
    if case is None:
        return None
    from bilat.claims import resolve_case

    return resolve_case(case)


@contextmanager
def _agenda(agenda: Any | str | None) -> Iterator[Any | None]:
    """The agenda to read: the one given, or the database at a URL, closed afterwards."""
    if not isinstance(agenda, str):
        yield agenda
        return
    from bilat.agenda import Agenda

    with Agenda.open(agenda) as opened:
        yield opened


def _sections(
    lake: Lake,
    dyad: Dyad,
    year: int,
    folder: Path | None,
    agenda: Any | None,
    day: dt.date,
    ge_baseline: str | Path | None = None,
) -> tuple[Section, ...]:
    """Every section, in the briefing's order: the headline and the world context, the
    dyad's trade, then the case's parts."""
    head, *trade = (make(dyad, year) for make in TRADE_SECTIONS)
    return (
        head,
        world_section(dyad, year),
        structure_section(dyad, year),
        *trade,
        claims_section(lake, folder),
        agenda_section(folder, agenda=agenda, as_of=day, lake=lake),
        air_section(folder, dyad.a.code, dyad.b.code),
        potential_section(lake, dyad.a.code, dyad.b.code, year),
        promising_section(dyad, year),
        scenario_section(lake, folder, dyad.a.code, dyad.b.code, year, baseline=ge_baseline),
    )


def _day(as_of: dt.date | str | None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        raise InputError(
            f"as-of date must be YYYY-MM-DD but got {as_of!r}",
            details={"value": as_of, "expected": "YYYY-MM-DD"},
        ) from None
