"""The demo: the sample world, the founding case, and its briefing, in a fresh folder.

``run_demo("bilat-demo")`` builds the synthetic sample world into ``bilat-demo/lake``,
imports the founding case's agenda into ``bilat-demo/agenda.db``, checks its claims and
writes ``bilat-demo/out/briefing.html``, ``briefing.json`` and ``briefing.pdf`` (English)
and, from the same build, ``briefing.ru.html``, ``.json`` and ``.pdf`` (Russian). The folder acts as the
demo's own BILAT_HOME while it runs, so the user's lake and settings are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilat.brief.build import build_briefing
from bilat.brief.model import Briefing
from bilat.brief.pdf import write_pdf
from bilat.brief.render import BriefingFiles, write_briefing
from bilat.errors import InputError
from bilat.sample.reality import RealityCheck, compare_with_real

__all__ = ["DEMO_CASE", "DEMO_YEAR", "MARKER", "DemoReport", "run_demo"]

#: The case the demo imports, and the year of its briefing.
DEMO_CASE = "blr-kaz-2022"
DEMO_YEAR = 2021
#: The languages the demo writes the briefing in (the first is ``briefing.html``; the
#: others ``briefing.LANG.html``).
DEMO_LANGUAGES = ("en", "ru")
#: The file that marks a folder as a demo folder (so a rerun may clear it).
MARKER = ".bilat-demo"
_OWNED = ("lake", "agenda.db", "out", MARKER)


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What the demo built.

    Attributes
    ----------
    folder
        The demo folder (its own BILAT_HOME).
    lake, agenda_url
        The lake folder and the agenda database URL.
    files
        The briefing's HTML and JSON files.
    briefing
        The briefing itself.
    rows
        Flows in the sample world.
    seconds
        Wall time of the whole run.
    translations
        The briefing's files in the other languages, by language (``{"ru": ...}``).
    """

    folder: Path
    lake: Path
    agenda_url: str
    files: BriefingFiles
    briefing: Briefing
    rows: int
    seconds: float
    translations: Mapping[str, BriefingFiles] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The short summary the terminal shows: turnover, growth, claims' verdicts."""
        head = {f.label: f for f in self.briefing.section("headline").figures}
        claims = self.briefing.section("claims")
        # the first table holds one row per claim; the second repeats them with provenance
        verdicts = [
            {"id": r["id"], "verdict": r["verdict"], "measured": r["measured_text"]}
            for r in (claims.tables[0].rows if claims.tables else [])
        ]
        turnover = head.get(f"Turnover {self.briefing.year}")
        growth = next((f for f in head.values() if f.label.startswith("Turnover growth")), None)
        return {
            "folder": str(self.folder),
            "html": str(self.files.html),
            "json": str(self.files.json),
            "pdf": str(self.files.pdf) if self.files.pdf else None,
            "translations": {
                k: {"html": str(v.html), "json": str(v.json), "pdf": str(v.pdf) if v.pdf else None}
                for k, v in self.translations.items()
            },
            "synthetic": self.briefing.synthetic,
            "banner": self.briefing.banner,
            "dyad": [self.briefing.a, self.briefing.b],
            "year": self.briefing.year,
            "turnover_usd": turnover.value if turnover else None,
            "turnover_text": turnover.text if turnover else "—",
            "turnover_growth_pct": growth.value if growth else None,
            "claims": verdicts,
            "sections": {s.id: s.status for s in self.briefing.sections},
            "rows": self.rows,
            "seconds": round(self.seconds, 1),
            "reality": reality.to_dict() if (reality := _reality(self)) else None,
        }


def _write(briefing: Briefing, out: Path, name: str, lang: str) -> BriefingFiles:
    """``NAME.html``, ``NAME.json`` and ``NAME.pdf`` in ``lang``, the PDF from that HTML."""
    files = write_briefing(briefing, out, name=name, lang=lang)
    pdf = write_pdf(briefing, out / f"{name}.pdf", html=files.html.read_text("utf-8"), lang=lang)
    return dataclasses.replace(files, pdf=pdf)


@contextlib.contextmanager
def _home(folder: Path) -> Iterator[None]:
    old = os.environ.get("BILAT_HOME")
    os.environ["BILAT_HOME"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("BILAT_HOME", None)
        else:
            os.environ["BILAT_HOME"] = old


def _fresh(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"--out {str(folder)!r} is a file; give a folder for the demo",
            details={"value": str(folder), "expected": "a folder"},
        )
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise InputError(
                f"{str(folder)!r} is not empty and was not made by `bilat demo`; choose another "
                "folder with --out (the demo writes only into a fresh folder)",
                details={"value": str(folder), "expected": "an empty or a previous demo folder"},
            )
        for name in _OWNED:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by `bilat demo`; safe to delete\n", encoding="utf-8")


def _reality(report: DemoReport) -> RealityCheck | None:
    """The demo's dyad beside the real published figure (``None`` for another dyad or year)."""
    from bilat.lake import Lake
    from bilat.sample.facts import REAL_TURNOVER as real
    from bilat.trade import Dyad

    b = report.briefing
    if {b.a, b.b} != {real.a, real.b} or b.year != real.year:
        return None
    s = Dyad(Lake.open(report.lake), real.a, real.b).summary(real.year)
    return compare_with_real(s.turnover_usd, s.exports_usd, s.imports_usd, real)


def run_demo(
    folder: str | Path = "bilat-demo",
    *,
    case: str | Path = DEMO_CASE,
    year: int = DEMO_YEAR,
    on_step: Callable[[str], None] | None = None,
) -> DemoReport:
    """Build the sample world, import the case, write the briefing; see the module docstring.

    Parameters
    ----------
    folder
        The demo folder: created, or cleared when a previous demo made it.
    case
        The case folder (or a shipped case's name) to import.
    year
        The trade year of the briefing.
    on_step
        Called with a line of text as each step starts (for a progress display).

    Raises
    ------
    InputError
        ``folder`` is a file, or a non-empty folder the demo did not make.
    """
    from bilat.agenda import Agenda
    from bilat.claims import load_claims, resolve_case
    from bilat.lake import Lake
    from bilat.sample import build_sample_lake, preset

    started = time.perf_counter()
    step = on_step or (lambda _text: None)
    root = Path(folder).resolve()
    case_dir = resolve_case(case)
    claims = load_claims(case_dir)
    _fresh(root)
    with _home(root):
        spec = preset("demo")
        span, count = f"{spec.years[0]}-{spec.years[-1]}", len(spec.countries or ())
        step(f"Building the synthetic sample world ({span}, {count} countries)")
        lake = Lake.open(root / "lake", create=True)
        sample = build_sample_lake(lake, "demo")
        step(f"Importing the case {case_dir.name} (agenda, claims, air agreement)")
        url = f"sqlite:///{root / 'agenda.db'}"
        with Agenda.open(url) as agenda:
            agenda.import_case(case_dir, replace=True)
            step(f"Writing the briefing {claims.a}–{claims.b}, {year}")
            briefing = build_briefing(
                lake, claims.a, claims.b, year=year, case=case_dir, agenda=agenda
            )
        step("Writing it as HTML, JSON and PDF in " + ", ".join(DEMO_LANGUAGES))
        files = _write(briefing, root / "out", "briefing", DEMO_LANGUAGES[0])
        translations = {
            lang: _write(briefing, root / "out", f"briefing.{lang}", lang)
            for lang in DEMO_LANGUAGES[1:]
        }
    return DemoReport(
        root, root / "lake", url, files, briefing, sample.rows, time.perf_counter() - started,
        translations,
    )  # fmt: skip
