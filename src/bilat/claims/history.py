"""Claims over time: each check recorded with the lake version it ran on.

A check's verdicts go to ``claims-history.jsonl`` in the lake's folder, next to the
manifest, one JSON line per check: when it ran, the claims file, the lake's version and the
active manifest entries it read, and each claim's verdict and measured value. The file is
per lake (a verdict is about the data it ran on) and is replaced atomically under its own
lock (``.claims-history.lock``), so two checks at once never lose a line and a reader always
sees whole lines. :func:`record_check` appends and says what changed since the previous
check of the same claims file on the same lake; :func:`claim_history` reads one claim's
verdicts in order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bilat._files import write_atomic
from bilat.errors import BilatError, NotFoundError

if TYPE_CHECKING:
    from bilat.lake import Lake

__all__ = [
    "HISTORY_FILE",
    "NOT_ASKED",
    "CheckRecord",
    "ClaimHistory",
    "ClaimTurnover",
    "HistoryPoint",
    "LakeChange",
    "LakeEntry",
    "changes_since_last",
    "claim_history",
    "compare_checks",
    "read_history",
    "record_check",
]


class _Report(Protocol):
    """What a record needs of :class:`bilat.claims.check.ClaimsReport` (a structural type:
    ``check`` reads this module for the revisions of published figures)."""

    @property
    def a(self) -> str: ...
    @property
    def b(self) -> str: ...
    @property
    def path(self) -> str | None: ...
    @property
    def results(self) -> tuple[Any, ...]: ...
    @property
    def synthetic(self) -> bool: ...


#: The file, in the lake's folder, holding the record of every check.
HISTORY_FILE = "claims-history.jsonl"
_LOCK = ".claims-history.lock"
_LOCK_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True)
class LakeEntry:
    """A manifest entry as a check saw it: id, kind, source, release and file."""

    entry_id: str
    kind: str
    source: str
    release: str | None
    path: str

    def label(self) -> str:
        """``BACI V202501`` for a source's release, else the file ingested (synthetic data).

        A release ingested as several files (BACI's one per year) gives one label.
        """
        if self.release and self.source != "synthetic":
            return f"{self.source.upper()} {self.release}"
        return self.path


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One recorded check.

    Attributes
    ----------
    checked_at
        UTC time of the check (ISO 8601).
    case
        The claims file checked.
    a, b
        The dyad.
    lake_version
        :attr:`bilat.lake.Lake.version` at the check (manifest generation and active ids).
    entries
        The active manifest entries the check read.
    verdicts
        Claim id → ``{"verdict", "measured", "measured_text"}``.
    synthetic
        True when the lake held synthetic data.
    """

    checked_at: str
    case: str | None
    a: str
    b: str
    lake_version: str
    entries: tuple[LakeEntry, ...]
    verdicts: Mapping[str, Mapping[str, Any]]
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (one line of the history file)."""
        return {
            "checked_at": self.checked_at,
            "case": self.case,
            "a": self.a,
            "b": self.b,
            "lake_version": self.lake_version,
            "entries": [
                {
                    "entry_id": e.entry_id,
                    "kind": e.kind,
                    "source": e.source,
                    "release": e.release,
                    "path": e.path,
                }
                for e in self.entries
            ],
            "verdicts": {k: dict(v) for k, v in self.verdicts.items()},
            "synthetic": self.synthetic,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CheckRecord:
        """The record of one history line."""
        return cls(
            checked_at=str(d["checked_at"]),
            case=d.get("case"),
            a=str(d["a"]),
            b=str(d["b"]),
            lake_version=str(d["lake_version"]),
            entries=tuple(LakeEntry(**e) for e in d.get("entries", ())),
            verdicts=dict(d.get("verdicts", {})),
            synthetic=bool(d.get("synthetic", False)),
        )


@dataclass(frozen=True, slots=True)
class LakeChange:
    """What the lake gained and lost between two checks (manifest entry labels)."""

    ingested: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def text(self) -> str:
        """``after ingesting BACI V202501``, ``with the lake unchanged`` ..."""
        parts = []
        if self.ingested:
            parts.append("ingesting " + ", ".join(self.ingested))
        if self.removed:
            parts.append("removing " + ", ".join(self.removed))
        return "after " + " and ".join(parts) if parts else "with the lake unchanged"


@dataclass(frozen=True, slots=True)
class ClaimTurnover:
    """What a check changed against the previous check of the same claims on the same lake.

    Attributes
    ----------
    previous_at
        UTC time of the previous check; ``None`` when this is the first.
    changed
        Claim id → ``(old verdict, new verdict)``; ``old`` is ``None`` for a claim the
        previous check did not have.
    lake
        The lake's change between the two checks.
    recorded
        Whether this check was recorded in the lake's history.
    not_recorded_because
        Why not, when it was not (not asked to, or the history cannot be written).
    """

    previous_at: str | None
    changed: Mapping[str, tuple[str | None, str]]
    lake: LakeChange
    recorded: bool = True
    not_recorded_because: str | None = None

    def change_lines(self) -> dict[str, str]:
        """Claim id → one sentence saying how its verdict changed and with what."""
        how = self.lake.text()
        return {
            cid: f"{cid}: {old or 'not checked'} → {new} {how}"
            for cid, (old, new) in self.changed.items()
        }

    def lines(self) -> list[str]:
        """One sentence per changed claim (or one saying nothing changed)."""
        head = [] if self.recorded else [f"not recorded: {self.not_recorded_because}"]
        if self.previous_at is None:
            first = "first recorded check" if self.recorded else "no recorded check before"
            return [*head, f"{first} of these claims on this lake"]
        if not self.changed:
            return [*head, f"no verdict changed since the check of {self.previous_at}"]
        return [*head, *self.change_lines().values()]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "previous_at": self.previous_at,
            "changed": {k: {"from": o, "to": n} for k, (o, n) in self.changed.items()},
            "ingested": list(self.lake.ingested),
            "removed": list(self.lake.removed),
            "lines": self.lines(),
            "recorded": self.recorded,
            "not_recorded_because": self.not_recorded_because,
        }


def _path(lake: Lake) -> Path:
    return Path(lake.root) / HISTORY_FILE


def read_history(lake: Lake) -> list[CheckRecord]:
    """Every recorded check on ``lake``, oldest first (empty when none was recorded)."""
    path = _path(lake)
    try:
        return _records(path)
    except OSError as exc:
        raise BilatError(
            f"the claims history {path} cannot be read ({exc.strerror or exc}); it should be "
            "a file written by `bilat claims check`",
            details={"path": str(path)},
        ) from None


def _records(path: Path) -> list[CheckRecord]:
    """The records of the history file at ``path`` (``OSError`` when it cannot be read)."""
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(CheckRecord.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise BilatError(
                f"{path}, line {n}: not a check record ({exc}); the history is written only "
                "by `bilat claims check`: restore the file or remove the line",
                details={"path": str(path), "line": n},
            ) from None
    return out


def _record(lake: Lake, report: _Report, now: dt.datetime) -> CheckRecord:
    entries = tuple(
        LakeEntry(e.entry_id, e.kind, e.source, e.release, e.path) for e in lake.manifest()
    )
    verdicts = {
        r.claim.id: {
            "verdict": r.verdict,
            "measured": r.to_dict()["measured"],
            "measured_text": r.to_dict()["measured_text"],
        }
        for r in report.results
    }
    return CheckRecord(
        now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        report.path,
        report.a,
        report.b,
        lake.version,
        entries,
        verdicts,
        report.synthetic,
    )


def compare_checks(previous: CheckRecord | None, current: CheckRecord) -> ClaimTurnover:
    """The verdicts that changed from ``previous`` to ``current``, and the lake's change."""
    if previous is None:
        return ClaimTurnover(None, {}, LakeChange())
    changed: dict[str, tuple[str | None, str]] = {}
    for cid, v in current.verdicts.items():
        old = previous.verdicts.get(cid)
        old_verdict = None if old is None else str(old["verdict"])
        if old_verdict != v["verdict"]:
            changed[cid] = (old_verdict, str(v["verdict"]))
    before = {e.entry_id: e for e in previous.entries}
    after = {e.entry_id: e for e in current.entries}
    lake = LakeChange(
        tuple(dict.fromkeys(after[i].label() for i in after if i not in before)),
        tuple(dict.fromkeys(before[i].label() for i in before if i not in after)),
    )
    return ClaimTurnover(previous.checked_at, changed, lake)


def _same_case(a: CheckRecord, b: CheckRecord) -> bool:
    """The same claims: same dyad and same case folder name (the folder may have moved)."""
    name_a = Path(a.case).parent.name if a.case else None
    name_b = Path(b.case).parent.name if b.case else None
    return (a.a, a.b, name_a) == (b.a, b.b, name_b)


def record_check(
    lake: Lake, report: _Report, *, now: dt.datetime | None = None
) -> tuple[CheckRecord, ClaimTurnover]:
    """Record a check on ``lake`` and say what changed since the previous one.

    The previous check is the last one recorded on this lake for the same dyad and case
    folder name (so a case checked from an installed copy and from a checkout is one case).
    When the history cannot be written (a read-only lake), nothing is raised: the
    :class:`ClaimTurnover` says ``recorded=False`` and why, and still compares with the last
    recorded check when the history can be read.

    A history holding a damaged line is left as it is (rewriting it would drop the line):
    the check is not recorded, and the reason names the line.

    Raises
    ------
    BilatError
        Another check held the history's lock for 30 s.

    Examples
    --------
    >>> record, changes = record_check(lake, check_claims(lake, "blr-kaz-2022"))  # doctest: +SKIP
    >>> changes.lines()                                                           # doctest: +SKIP
    ['turnover-2021-above-1bn: undetermined → supported after ingesting BACI V202501']
    """
    import filelock

    record = _record(lake, report, now or dt.datetime.now(dt.UTC))
    root = Path(lake.root)
    try:
        lock = filelock.FileLock(str(root / _LOCK), timeout=_LOCK_TIMEOUT_S)
        with lock:
            history = _records(_path(lake))
            previous = next((r for r in reversed(history) if _same_case(r, record)), None)
            lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in (*history, record)]
            write_atomic(_path(lake), ("\n".join(lines) + "\n").encode("utf-8"))
    except filelock.Timeout:
        raise BilatError(
            f"another check is recording into {root / HISTORY_FILE}; try again",
            details={"path": str(root / HISTORY_FILE)},
        ) from None
    except OSError as exc:
        why = (
            f"the history {root / HISTORY_FILE} cannot be written ({exc.strerror or exc}); "
            "make the lake's folder writable to record checks"
        )
        return record, changes_since_last(lake, report, now=now, because=why)
    except BilatError as exc:  # a damaged line: rewriting would drop it, so leave the file
        why = f"the history was left as it is: {exc.message}"
        return record, _not_recorded(record, [], why)
    return record, compare_checks(previous, record)


#: Why a check that was not asked to record is not recorded.
NOT_ASKED = "not asked to record (bilat claims check records unless --no-record; a GET never does)"


def changes_since_last(
    lake: Lake,
    report: _Report,
    *,
    now: dt.datetime | None = None,
    because: str = NOT_ASKED,
) -> ClaimTurnover:
    """What changed since the last recorded check of the same claims, recording nothing.

    ``because`` is the reason the check is not recorded (the turnover's
    ``not_recorded_because``). A history that cannot be read compares with nothing, and the
    reason says so.
    """
    record = _record(lake, report, now or dt.datetime.now(dt.UTC))
    try:
        history = read_history(lake)
    except BilatError as exc:
        because = f"{because}; nothing to compare with: {exc.message}"
        history = []
    return _not_recorded(record, history, because)


def _not_recorded(record: CheckRecord, history: list[CheckRecord], because: str) -> ClaimTurnover:
    """The turnover of a check not recorded, against the last recorded one of its claims."""
    previous = next((r for r in reversed(history) if _same_case(r, record)), None)
    turnover = compare_checks(previous, record)
    return ClaimTurnover(
        turnover.previous_at, turnover.changed, turnover.lake, recorded=False,
        not_recorded_because=because,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One claim's verdict at one check.

    Attributes
    ----------
    checked_at
        UTC time of the check.
    verdict
        One of :data:`bilat.claims.VERDICTS`.
    measured_text
        The measured value with its unit (``no value`` when none was measured).
    lake_version
        The lake's version at the check.
    change
        The lake's change since the previous check of the claim in the same case
        (``ingesting ...``).
    case
        The case checked (its folder's name) and the dyad, ``blr-kaz-2022 (BLR–KAZ)``: two
        cases may hold claims of the same id.
    """

    checked_at: str
    verdict: str
    measured_text: str
    lake_version: str
    change: str
    case: str = ""


@dataclass(frozen=True, slots=True)
class ClaimHistory:
    """Every recorded verdict on one claim, oldest first.

    Attributes
    ----------
    claim
        The claim id.
    lake
        The lake's folder.
    points
        One :class:`HistoryPoint` per recorded check holding the claim.
    """

    claim: str
    lake: str
    points: tuple[HistoryPoint, ...]


def claim_history(lake: Lake, claim: str, *, case: str | None = None) -> ClaimHistory:
    """Every recorded verdict on ``claim`` in ``lake`` (optionally of one claims file only).

    Raises
    ------
    NotFoundError
        No recorded check holds the claim.
    """
    records = [
        r for r in read_history(lake) if claim in r.verdicts and (case is None or r.case == case)
    ]
    if not records:
        raise NotFoundError(
            f"no recorded check of claim {claim!r} on the lake at {lake.root}; run "
            "`bilat claims check CASE` first (each check is recorded)",
            details={"claim": claim, "lake": str(lake.root)},
        )
    points = []
    for i, r in enumerate(records):
        v = r.verdicts[claim]
        previous = next((p for p in reversed(records[:i]) if _same_case(p, r)), None)
        change = "first check" if previous is None else compare_checks(previous, r).lake.text()
        points.append(
            HistoryPoint(
                r.checked_at,
                str(v["verdict"]),
                str(v["measured_text"]),
                r.lake_version,
                change,
                _case_name(r),
            )
        )
    return ClaimHistory(claim, str(lake.root), tuple(points))


def _case_name(record: CheckRecord) -> str:
    """``blr-kaz-2022 (BLR–KAZ)``: the case folder's name and the dyad of a record."""
    name = Path(record.case).parent.name if record.case else "no case file"
    return f"{name} ({record.a}–{record.b})"
