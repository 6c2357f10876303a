"""The agenda as one object: open a database, import and export cases, list, show, add, update.

>>> ag = Agenda.from_case("src/bilat/cases/blr-kaz-2022")      # doctest: +SKIP
>>> [i.id for i in ag.items(overdue_as_of=dt.date(2022, 12, 31))]  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Unpack

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bilat._files import write_atomic
from bilat.agenda import _checks as check
from bilat.agenda import caseio, edits, grades
from bilat.agenda import indicators as _ind
from bilat.agenda.db import create_engine, resolve_url, upgrade
from bilat.agenda.indicators import IndicatorReport
from bilat.agenda.models import (
    CaseFile,
    Commission,
    Grade,
    Indicator,
    Item,
    ItemEdit,
    ItemLink,
    Meeting,
    StatusChange,
)
from bilat.agenda.progress import FlowSource, Progress, progress, view_of
from bilat.agenda.views import (
    Change,
    CommissionView,
    Edit,
    Evidence,
    ExportReport,
    GradeReport,
    ImportReport,
    ItemList,
    ItemView,
    MeetingView,
    NewItemFields,
)
from bilat.codes.baskets import load_baskets, parse_baskets
from bilat.errors import ConflictError, InputError, NotFoundError, ValidationError
from bilat.options import CLOSED, GRADE_SCORES, ItemKind, Status, choice

__all__ = ["Agenda", "as_date", "case_items"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_date(value: dt.date | str | None, *, field: str = "date") -> dt.date | None:
    """A date from a ``date`` or ``YYYY-MM-DD`` text; ``InputError`` otherwise."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(
            f"bad {field} {value!r}; expected a date written YYYY-MM-DD",
            details={"value": str(value), "expected": "YYYY-MM-DD"},
        ) from None


class Agenda:
    """The commitments of one or more commissions, in a SQL database.

    Open with :meth:`open` (a database by URL, SQLite in BILAT_HOME by default) or
    :meth:`from_case` (a case folder read into memory, nothing written).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Agenda:
        """Open (and create or upgrade) the agenda database at ``url``.

        ``url`` defaults to ``$BILAT_AGENDA_URL``, else ``sqlite:///$BILAT_HOME/agenda.db``.
        """
        engine = create_engine(resolve_url(url))
        upgrade(engine)
        return cls(engine)

    @classmethod
    def from_case(cls, case_dir: str | Path) -> Agenda:
        """An in-memory agenda holding one case folder (for briefings and checks)."""
        agenda = cls.open("sqlite://")
        agenda.import_case(case_dir)
        return agenda

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Agenda:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    # ---------------------------------------------------------------- import / export

    def import_case(self, case_dir: str | Path, *, replace: bool = False) -> ImportReport:
        """Import ``case.yaml`` and ``agenda.yaml`` of ``case_dir`` in one transaction.

        Parameters
        ----------
        case_dir
            The case folder.
        replace
            Replace the commission when it is already in the database (its items, their
            history and any update made since are replaced by the files' content).

        Raises
        ------
        ParseError, SchemaError, ValidationError
            A file does not read or breaks a rule; the error names file, line and field.
        ConflictError
            The commission is already in the database and ``replace`` is false.
        """
        case = caseio.read_case(case_dir)
        baskets = caseio.case_baskets(case_dir)
        items = caseio.read_agenda(case_dir, case, baskets=baskets)
        files = caseio.air_files(case_dir)
        own = caseio.baskets_toml([b for i in items for b in i.baskets], baskets)
        if own is not None:
            files[caseio.BASKETS_FILE] = own
        agenda_path = Path(case_dir) / caseio.AGENDA_FILE
        with self._sessions.begin() as s:
            old = s.get(Commission, case.commission_id)
            if old is not None and not replace:
                raise _imported_already(s, old)
            versions: dict[str, int] = {}
            if old is not None:
                versions = dict(
                    s.execute(
                        sa.select(Item.id, Item.version).where(Item.commission_id == old.id)
                    ).all()
                )
                s.delete(old)
                s.flush()
            _check_foreign_ids(s, case, items, agenda_path)
            s.add(_commission_row(case, files))
            s.flush()
            for pos, doc in enumerate(items):
                s.add(_item_row(doc, case.commission_id, pos))
            s.flush()
            for item_id, version in versions.items():
                s.execute(sa.update(Item).where(Item.id == item_id).values(version=version + 1))
        return ImportReport(
            commission=case.commission_id,
            meetings=len(case.meetings),
            items=len(items),
            changes=sum(len(i.history) for i in items),
            replaced=old is not None,
        )

    def export_case(self, case_dir: str | Path, *, commission: str | None = None) -> ExportReport:
        """Write a commission's case folder to ``case_dir``: what its import reads back.

        ``agenda.yaml`` is always written; ``case.yaml``, the air agreements imported with the
        case (``air/NAME.yaml``, as written) and ``baskets.toml`` (the baskets the items name
        that bilat does not ship as they are) are written where absent, so that an export to
        a new folder imports back to the same commission, meetings and items.

        The commission is ``commission``, else the one named by ``case_dir/case.yaml``, else
        the only one in the database.
        """
        folder = Path(case_dir)
        cid = commission or self._commission_for(folder)
        with self._session() as s:
            com = s.get(Commission, cid)
            if com is None:
                raise NotFoundError(f"no commission {cid!r} in the agenda database")
            rows = s.scalars(_item_query().where(Item.commission_id == cid)).all()
            docs = [_item_doc(r) for r in rows]
            case = _case_doc(com)
            files = _export_files(com, docs)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [_write(folder / caseio.AGENDA_FILE, caseio.agenda_yaml(cid, docs))]
        files[caseio.CASE_FILE] = caseio.case_yaml(case)
        for name, text in sorted(files.items()):
            path = folder / name
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                paths.append(_write(path, text))
        return ExportReport(commission=cid, items=len(docs), paths=tuple(paths))

    def _commission_for(self, folder: Path) -> str:
        if (folder / caseio.CASE_FILE).is_file():
            return caseio.read_case(folder).commission_id
        ids = [c.id for c in self.commissions()]
        if len(ids) == 1:
            return ids[0]
        noun = "commission" if len(ids) == 1 else "commissions"
        problem = (
            f"{folder} has no case.yaml and the database holds {len(ids)} {noun} "
            f"({', '.join(ids) or 'none'})"
        )
        raise InputError(
            f"{problem}; name one with commission=...",
            details={"known": ids, "problem": problem, "argument": "commission"},
        )

    # ---------------------------------------------------------------- reads

    def commissions(self) -> list[CommissionView]:
        """Every commission in the database, by id."""
        with self._session() as s:
            rows = s.scalars(sa.select(Commission).order_by(Commission.id)).all()
            return [
                CommissionView(
                    r.id,
                    r.name,
                    (r.party_a, r.party_b),
                    r.case_id,
                    tuple((str(a), str(t)) for a, t in r.areas),
                )
                for r in rows
            ]

    def commission(self, commission_id: str) -> CommissionView:
        """One commission by id (``NotFoundError`` when absent)."""
        for c in self.commissions():
            if c.id == commission_id:
                return c
        raise NotFoundError(f"no commission {commission_id!r} in the agenda database")

    def meetings(self, *, commission: str | None = None) -> list[MeetingView]:
        """Meetings, by date."""
        q = sa.select(Meeting).order_by(Meeting.date, Meeting.id)
        if commission is not None:
            q = q.where(Meeting.commission_id == commission)
        with self._session() as s:
            return [
                MeetingView(
                    m.id,
                    m.commission_id,
                    m.date,
                    m.place,
                    m.title,
                    tuple(dict(c) for c in m.co_chairs),
                )
                for m in s.scalars(q).all()
            ]

    def items(
        self,
        *,
        commission: str | None = None,
        meeting: str | None = None,
        status: str | None = None,
        area: str | None = None,
        kind: str | None = None,
        as_of: dt.date | str | None = None,
        overdue: bool = False,
        overdue_as_of: dt.date | str | None = None,
        removed: bool = False,
    ) -> list[ItemView]:
        """Items with their status and overdue flag as of a date, in case-file order.

        Parameters
        ----------
        commission, meeting, area
            Keep items of this commission, meeting, area of cooperation.
        status, kind
            Keep items with this status (as of ``as_of``) or kind.
        as_of
            Evaluate status and overdue at this date (default: today). Items agreed after it
            are left out.
        overdue
            Keep only items overdue as of ``as_of``.
        overdue_as_of
            Shorthand for ``overdue=True, as_of=overdue_as_of``.
        removed
            Include removed items (left out by default).
        """
        if overdue_as_of is not None:
            overdue, as_of = True, overdue_as_of
        day = as_date(as_of, field="as-of date") or dt.date.today()
        wanted_status = choice(Status, status, "status") if status else None
        q = _item_query()
        if commission is not None:
            q = q.where(Item.commission_id == commission)
        if meeting is not None:
            q = q.where(Item.meeting_id == meeting)
        if area is not None:
            q = q.where(Item.area == area)
        if kind is not None:
            q = q.where(Item.kind == choice(ItemKind, kind, "kind"))
        if not removed:
            q = q.where(Item.removed_at.is_(None))
        with self._session() as s:
            views = [_view(r, day) for r in s.scalars(q).all()]
        return [
            v
            for v in views
            if v.status is not None
            and (wanted_status is None or v.status == wanted_status)
            and (not overdue or v.overdue)
        ]

    def list_items(
        self,
        *,
        commission: str | None = None,
        meeting: str | None = None,
        status: str | None = None,
        area: str | None = None,
        kind: str | None = None,
        as_of: dt.date | str | None = None,
        overdue: bool = False,
        removed: bool = False,
    ) -> ItemList:
        """The items that match, as one result with its date and count (see :meth:`items`)."""
        day = as_date(as_of, field="as-of date") or dt.date.today()
        found = self.items(
            commission=commission,
            meeting=meeting,
            status=status,
            area=area,
            kind=kind,
            as_of=day,
            overdue=overdue,
            removed=removed,
        )
        return ItemList(day, len(found), tuple(found))

    def item(self, item_id: str, *, as_of: dt.date | str | None = None) -> ItemView:
        """One item with its full history (``NotFoundError`` naming close ids when absent)."""
        day = as_date(as_of, field="as-of date") or dt.date.today()
        with self._session() as s:
            row = s.scalars(_item_query().where(Item.id == item_id)).one_or_none()
            if row is None:
                raise self._not_found(s, item_id)
            return _view(row, day)

    def _not_found(self, s: Session, item_id: str) -> NotFoundError:
        import difflib

        ids = list(s.scalars(sa.select(Item.id)).all())
        close = difflib.get_close_matches(item_id, ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return NotFoundError(
            f"no agenda item {item_id!r}{hint}",
            details={"value": item_id, "closest": close},
        )

    def progress(
        self, item_id: str, lake: FlowSource, *, before: int = 3, after: int = 3
    ) -> Progress:
        """The trade linked to an item for its commission's dyad: see :func:`progress`."""
        item = self.item(item_id)
        dyad = self.commission(item.commission).parties
        return progress(item, lake, dyad=dyad, before=before, after=after)

    # ---------------------------------------------------------------- grades (issue 18)

    def grade(
        self,
        item_id: str,
        *,
        as_of: dt.date | str,
        grade: str,
        evidence: Sequence[Evidence | Mapping[str, object] | str] = (),
        note: str | None = None,
        author: str | None = None,
        expected_version: int | None = None,
    ) -> ItemView:
        """Grade an item's compliance as of a date; return the item (``grade`` as of today).

        Parameters
        ----------
        as_of
            The date assessed at (not in the future, not before the item's meeting).
        grade
            ``full`` (+1), ``partial`` (0), ``none`` (−1) or ``too_early`` (no score; the
            item's due date must be after ``as_of``).
        evidence
            What the grade rests on: :class:`~bilat.agenda.Evidence`, mappings with
            ``source`` (required), ``figure``, ``note``, or ``SOURCE::FIGURE`` texts. At
            least one is required unless ``too_early``.
        note, author
            Why, and who assesses it.
        expected_version
            The ``version`` the caller read (default: the current one); when the item
            changed since, a ``ConflictError`` names who changed what; nothing is written.

        Raises
        ------
        InputError
            A bad value, a rule broken, or a removed item (the message says which).
        """
        day = _grade_day(as_of)
        found = grades.checked_evidence(evidence)

        def apply(s: Session, row: Item) -> None:
            g = grades.checked_grade(
                grade, day, found, meeting_date=row.meeting.date, due_date=row.due_date, due=row.due
            )
            grades.apply_grade(row, g, day, found, note=check.text(note), author=check.text(author))

        return self._change(item_id, expected_version, apply, as_of=max(day, dt.date.today()))

    def grades(
        self,
        item_id: str | None = None,
        *,
        commission: str | None = None,
        as_of: dt.date | str | None = None,
    ) -> GradeReport:
        """Each item's grade as of a date (default today), and the compliance summary.

        With ``item_id``: that item, and its grade history; the summary is its commission's.
        The summary averages the scores of the graded items (``too_early`` and ungraded
        items left out), and gives it on 0–100 as the G20 Research Group does.
        """
        day = as_date(as_of, field="as-of date") or dt.date.today()
        one: ItemView | None = None
        if item_id is not None:
            one = self.item(item_id, as_of=day)
            commission = commission or one.commission
        listed = self.items(commission=commission, as_of=day)
        summary = grades.summary(listed, day)
        if one is None:
            return GradeReport(day, tuple(listed), summary)
        return GradeReport(day, (one,), summary, one.grades)

    # ---------------------------------------------------------------- indicators (issue 18)

    def indicators(
        self,
        item_id: str | None = None,
        lake: FlowSource | None = None,
        *,
        commission: str | None = None,
    ) -> IndicatorReport:
        """The indicators of one item (or of every item) with actuals and progress.

        Measured indicators are read from ``lake`` (a lake, a trade view, or anything with
        ``flows()``); without one they are *not measurable*. Items without indicators are
        left out of the list of all items.
        """
        view = None if lake is None else view_of(lake)
        q = _item_query().options(selectinload(Item.indicators).selectinload(Indicator.actuals))
        if item_id is not None:
            q = q.where(Item.id == item_id)
        elif commission is not None:
            q = q.where(Item.commission_id == commission)
        with self._session() as s:
            rows = [r for r in s.scalars(q).all() if item_id or r.removed_at is None]
            if item_id is not None and not rows:
                raise self._not_found(s, item_id)
            dyads = {c.id: (c.party_a, c.party_b) for c in s.scalars(sa.select(Commission))}
            out = []
            for r in rows:
                if item_id is None and not r.indicators:
                    continue
                item = _view(r, dt.date.today())
                views = tuple(
                    _ind.indicator_view(i, item, dyad=dyads[r.commission_id], view=view)
                    for i in r.indicators
                )
                out.append(_ind.ItemIndicators(r.id, r.title, r.version, views))
        return IndicatorReport(
            items=tuple(out),
            lake=view is not None,
            synthetic=bool(view is not None and getattr(view.lake, "is_synthetic", False)),
            precedence="" if view is None else view.precedence.text(),
        )

    def record_actual(
        self,
        item_id: str,
        indicator: str,
        *,
        period: str,
        value: float | str,
        source: str,
        note: str | None = None,
        author: str | None = None,
        expected_version: int | None = None,
    ) -> ItemView:
        """Record an entered actual of an item's indicator, with its source (required).

        ``expected_version`` as in :meth:`update` (default: the version read now). A
        measured indicator's actuals are read from the lake: recording one is refused.
        """
        return self._change(
            item_id, expected_version,
            lambda s, row: _ind.apply_actual(
                row, indicator, period_text=period, value=value, source=source, note=note,
                author=author,
            ),
        )  # fmt: skip

    def add_indicator(
        self,
        item_id: str,
        key: str,
        *,
        expected_version: int,
        author: str | None = None,
        reason: str | None = None,
        **fields: object,
    ) -> ItemView:
        """Add an indicator to an item (fields: :data:`bilat.agenda.INDICATOR_FIELDS`)."""
        doc = _ind.checked_indicator(key, fields, load_baskets())
        who, why = check.text(author), check.text(reason)
        return self._change(
            item_id,
            expected_version,
            lambda s, row: _ind.apply_add(row, doc, author=who, reason=why),
        )

    def edit_indicator(
        self,
        item_id: str,
        key: str,
        *,
        expected_version: int,
        author: str | None = None,
        reason: str | None = None,
        **changes: object,
    ) -> ItemView:
        """Change fields of an item's indicator; ``None`` clears an optional one."""
        who, why = check.text(author), check.text(reason)
        return self._change(
            item_id, expected_version,
            lambda s, row: _ind.apply_edit(
                row, key, changes, load_baskets(), author=who, reason=why
            ),
        )  # fmt: skip

    def remove_indicator(
        self,
        item_id: str,
        key: str,
        *,
        expected_version: int,
        reason: str,
        author: str | None = None,
    ) -> ItemView:
        """Remove an item's indicator and its actuals (the item's history keeps it)."""
        why, who = check.required(reason, "reason"), check.text(author)
        return self._change(
            item_id, expected_version,
            lambda s, row: _ind.apply_remove(row, key, author=who, reason=why),
        )  # fmt: skip

    # ---------------------------------------------------------------- writes

    def update(
        self,
        item_id: str,
        *,
        status: str | None = None,
        date: dt.date | str | None = None,
        note: str | None = None,
        source: str | None = None,
        author: str | None = None,
        expected_version: int | None = None,
    ) -> ItemView:
        """Record a status change (or a note) on an item; return the item after it.

        Parameters
        ----------
        status
            New status; default: the current one (a note on the record).
        date
            The day it happened (default today).
        note, source, author
            What happened, where it is reported, who records it.
        expected_version
            The ``version`` the caller read. When somebody changed the item since, the update
            is refused with a ``ConflictError`` naming who changed what; nothing is written.
        """
        new_status = choice(Status, status, "status") if status else None
        day = as_date(date) or dt.date.today()
        if new_status is None and not note:
            raise InputError(
                "nothing to record: give a new status or a note",
                details={"expected": "status or note"},
            )
        with self._session() as s:
            row = s.scalars(_item_query().where(Item.id == item_id)).one_or_none()
            if row is None:
                raise self._not_found(s, item_id)
            read_version = row.version if expected_version is None else expected_version
            if row.version != read_version:
                raise _conflict(row, read_version)
            _refuse_removed(row)
            _record(row, new_status or row.status, day, note, source, author)
            try:
                s.commit()
            except StaleDataError:
                s.rollback()
                fresh = s.scalars(_item_query().where(Item.id == item_id)).one()
                raise _conflict(fresh, read_version) from None
        return self.item(item_id, as_of=max(day, dt.date.today()))

    def edit(
        self,
        item_id: str,
        *,
        expected_version: int,
        author: str | None = None,
        reason: str | None = None,
        case_dir: str | Path | None = None,
        **changes: object,
    ) -> ItemView:
        """Change fields of an item; each changed field gets a history row (old and new).

        Parameters
        ----------
        expected_version
            The ``version`` the caller read; when the item changed since, a
            ``ConflictError`` names who changed what and nothing is written.
        author, reason
            Who edits, and why (kept with each history row).
        case_dir
            Case folder whose ``air/*.yaml`` checks ``air_clause`` (default: the air
            agreements stored with the commission).
        **changes
            New values of fields of :data:`bilat.agenda.EDITABLE_FIELDS`; ``None`` clears an
            optional one. Checked as ``agenda.yaml`` is; a value equal to the current one
            is no change.
        """

        def apply(s: Session, row: Item) -> None:
            com = s.get(Commission, row.commission_id)
            assert com is not None  # a foreign key
            values = edits.checked_changes(changes, com, lambda: _air_clauses(com, case_dir))
            edits.apply_edit(row, values, author=check.text(author), reason=check.text(reason))

        return self._change(item_id, expected_version, apply)

    def remove(
        self, item_id: str, *, expected_version: int, reason: str, author: str | None = None
    ) -> ItemView:
        """Remove an item: left out of lists and exports, kept with its history (soft delete).

        ``reason`` is required; ``expected_version`` as in :meth:`edit`. Removing a removed
        item is an ``InputError``.
        """
        why, who = check.required(reason, "reason"), check.text(author)
        return self._change(
            item_id,
            expected_version,
            lambda s, row: edits.apply_removal(row, author=who, reason=why),
        )

    def _change(
        self,
        item_id: str,
        expected_version: int | None,
        apply: Callable[[Session, Item], object],
        *,
        as_of: dt.date | None = None,
    ) -> ItemView:
        """One write to a live item under optimistic locking: read it at the version the
        caller read (default: the current one), refuse a removed item, ``apply`` the change,
        commit (a concurrent write is a ``ConflictError``) and return the item after it."""
        with self._session() as s:
            row = s.scalars(_item_query().where(Item.id == item_id)).one_or_none()
            if row is None:
                raise self._not_found(s, item_id)
            read = row.version if expected_version is None else expected_version
            if row.version != read:
                raise _conflict(row, read)
            _refuse_removed(row)
            apply(s, row)
            self._commit(s, item_id, read)
        return self.item(item_id, as_of=as_of)

    def _commit(self, s: Session, item_id: str, read_version: int) -> None:
        try:
            s.commit()
        except StaleDataError:
            s.rollback()
            fresh = s.scalars(_item_query().where(Item.id == item_id)).one()
            raise _conflict(fresh, read_version) from None

    def add_item(
        self,
        item_id: str,
        *,
        case_dir: str | Path | None = None,
        author: str | None = None,
        **fields: Unpack[NewItemFields],
    ) -> ItemView:
        """Add a new item to the commission of ``meeting``; return it.

        Every value is checked first, with the checks the ``agenda.yaml`` reader uses; then
        the item and its first status change are written in one transaction, after the
        commission's other items (so an export keeps their order and lists it last).

        Parameters
        ----------
        item_id
            The new item's id: lower-case letters, digits, ``.``, ``_``, ``-``; unused so far.
        case_dir
            The case folder whose ``air/*.yaml`` checks ``air_clause`` (default: the shipped
            case the commission was imported from).
        author
            Who records the item.
        **fields
            The item and its first status change: ``meeting``, ``kind`` and ``title`` are
            required; see :class:`bilat.agenda.NewItemFields` for every field.

        Raises
        ------
        InputError, UnknownCodeError
            A value breaks a rule (the message names the field); nothing is written.
        ConflictError
            The id is already used (by this or another commission); nothing is written.
        """
        doc, first, day = _checked_new_item(item_id, fields, author)
        with self._sessions.begin() as s:
            row = _new_item_row(s, doc, case_dir, day=day, change=first)
            s.add(row)
            try:
                s.flush()
            except sa.exc.IntegrityError:
                raise _taken(doc.id, None) from None
            day = row.status_date
        return self.item(doc.id, as_of=max(day, dt.date.today()))


def _checked_new_item(
    item_id: str, fields: NewItemFields, author: str | None
) -> tuple[caseio.ItemDoc, tuple[str, str | None, str | None, str | None], dt.date | None]:
    """The checks of a new item that need no database: its record, first change and day."""
    doc = caseio.ItemDoc(
        id=check.ident(item_id.strip(), field="id"),
        meeting=check.required(fields.get("meeting"), "meeting"),
        kind=choice(ItemKind, fields.get("kind"), "kind"),
        title=check.required(fields.get("title"), "title"),
        description=check.text(fields.get("description")),
        area=check.text(fields.get("area")),
        party=check.text(fields.get("party")),
        body=check.text(fields.get("body")),
        due=check.optional(fields.get("due"), _due),
        value=check.optional(fields.get("value"), check.amount),
        currency=check.optional(fields.get("currency"), check.currency),
        count=check.optional(fields.get("count"), check.count),
        baskets=check.baskets(check.texts(fields.get("baskets") or ()), load_baskets()),
        hs=check.hs_codes(check.texts(fields.get("hs") or ())),
        air_clause=check.optional(fields.get("air_clause"), lambda t: check.air_clause(t, None)),
        history=(),
    )
    first = (
        choice(Status, fields.get("status") or "agreed", "status"),
        check.text(fields.get("note")),
        check.text(fields.get("source")),
        check.text(author),
    )
    return doc, first, as_date(fields.get("date"))


def case_items(case_dir: str | Path, *, as_of: dt.date | str | None = None) -> list[ItemView]:
    """Every item of a case folder with its status and overdue flag as of ``as_of`` (today).

    Reads the folder into an in-memory database; nothing is written. For briefings.
    """
    with Agenda.from_case(case_dir) as agenda:
        return agenda.items(as_of=as_of)


def _due(text: str) -> str:
    caseio.due_end(text)
    return text


def _grade_day(value: dt.date | str) -> dt.date:
    """The date a grade is assessed at: given, and not in the future."""
    day = as_date(value, field="as-of date")
    today = dt.date.today()
    if day is None:
        raise check.bad("as_of", "a grade needs the date it is assessed at", expected="YYYY-MM-DD")
    if day > today:
        raise check.bad(
            "as_of",
            "a grade cannot be dated in the future",
            value=day.isoformat(),
            expected=f"on or before {today.isoformat()}",
        )
    return day


def _imported_already(s: Session, old: Commission) -> ConflictError:
    n = s.scalar(sa.select(sa.func.count()).where(Item.commission_id == old.id))
    problem = (
        f"commission {old.id!r} is already in the agenda database ({n} item{'' if n == 1 else 's'}, "
        f"imported {old.imported_at:%Y-%m-%d %H:%M}); export it first to keep updates made since"
    )
    return ConflictError(
        f"{problem}, or import with replace=True to overwrite it",
        details={"commission": old.id, "items": n, "problem": problem, "argument": "replace"},
    )


def _taken(item_id: str, other: str | None) -> ConflictError:
    by = f" by commission {other!r}" if other else ""
    return ConflictError(
        f"item id {item_id!r} is already used{by} in this database; choose another id",
        details={"item": item_id, "commission": other},
    )


def _new_item_row(
    s: Session,
    doc: caseio.ItemDoc,
    case_dir: str | Path | None,
    *,
    day: dt.date | None,
    change: tuple[str, str | None, str | None, str | None],
) -> Item:
    """The row for a checked new item, after the checks that need the database."""
    mrow = s.get(Meeting, doc.meeting)
    if mrow is None:
        known = list(s.scalars(sa.select(Meeting.id).order_by(Meeting.date, Meeting.id)))
        check.choice(doc.meeting, known, field="meeting", what="meeting", where=" in the database")
        raise NotFoundError(f"no meeting {doc.meeting!r}")  # pragma: no cover - raised above
    com = mrow.commission
    other = s.scalar(sa.select(Item.commission_id).where(Item.id == doc.id))
    if other is not None:
        raise _taken(doc.id, other)
    if doc.area is not None:
        areas = [str(a) for a, _ in com.areas]
        check.choice(doc.area, areas, field="area", what="area", where=f" (of {com.id})")
    party = None if doc.party is None else check.party(doc.party, (com.party_a, com.party_b))
    if doc.air_clause is not None:
        check.air_clause(doc.air_clause, _air_clauses(com, case_dir))
    first = caseio.ChangeDoc(day or mrow.date, *change)
    doc = dataclasses.replace(doc, party=party, history=(first,))
    last = s.scalar(sa.select(sa.func.max(Item.position)).where(Item.commission_id == com.id))
    return _item_row(doc, com.id, 0 if last is None else last + 1)


def _air_clauses(com: Commission, case_dir: str | Path | None) -> Mapping[str, frozenset[str]]:
    from bilat.cases import resolve_case

    stored = {
        Path(f.path).stem: caseio.clause_ids(f.text, f.path)
        for f in com.files
        if f.path.startswith("air/")
    }
    if case_dir is None and stored:
        return stored
    if case_dir is None:
        try:
            case_dir = resolve_case(com.case_id or com.id)
        except NotFoundError:
            raise check.bad(
                "air_clause",
                "cannot check the air clause: no case folder",
                hint=f"give the case folder of {com.id} (its air/*.yaml) to check it against",
            ) from None
    return caseio.air_clauses(case_dir)


def _record(
    row: Item, status: str, day: dt.date, note: str | None, source: str | None, author: str | None
) -> None:
    now = _now()
    row.history.append(
        StatusChange(
            date=day, status=status, note=note, source=source, author=author, recorded_at=now
        )
    )
    latest = sorted(row.history, key=lambda c: c.date)[-1]  # stable: last of a day wins
    row.status, row.status_date = latest.status, latest.date
    row.updated_by, row.updated_at = author, now


def _refuse_removed(row: Item) -> None:
    """An ``InputError`` for a write to a removed item (it stays as it was removed)."""
    if row.removed_at is None:
        return
    when = _utc(row.removed_at) or row.removed_at
    raise InputError(
        f"item {row.id!r} was removed by {row.removed_by or 'someone'} on {when:%Y-%m-%d} "
        f"({row.removed_reason}); a removed item is kept as it was, not changed",
        details={"item": row.id, "value": row.id, "removed_by": row.removed_by},
    )


#: What a user did, said in words, for the edit rows that are not a field of the item.
_CHANGE_WORDS: dict[tuple[str, ...], str] = {
    ("removed",): "removed it",
    ("indicator_actual",): "recorded an actual of an indicator",
    ("indicator",): "added, changed or removed an indicator",
}


def _conflict(row: Item, read_version: int) -> ConflictError:
    last = max(row.history, key=lambda c: (c.recorded_at, c.id or 0), default=None)
    who = row.updated_by or "someone"
    what = (
        f"recorded status {last.status!r} dated {last.date.isoformat()}"
        + (f" with note {last.note!r}" if last.note else "")
        if last is not None
        else "changed it"
    )
    since = None if last is None else _utc(last.recorded_at)
    edited = [e for e in row.edits if since is None or (_utc(e.recorded_at) or since) >= since]
    if edited:
        at = edited[-1].recorded_at
        fields = [e.field for e in edited if e.recorded_at == at]
        what = _CHANGE_WORDS.get(tuple(fields)) or "edited " + ", ".join(fields)
        since = _utc(at)
    graded = [g for g in row.grades if since is None or (_utc(g.recorded_at) or since) > since]
    if graded:
        g = graded[-1]
        what = f"graded it {g.grade} as of {g.as_of.isoformat()}"
    if read_version > row.version:
        return ConflictError(
            f"item {row.id!r} is at version {row.version}, not {read_version}: no one could "
            f"have read version {read_version}. Nothing was written; read the item's version "
            f"(bilat agenda show {row.id}) and pass that.",
            details={"item": row.id, "expected_version": read_version, "version": row.version},
        )
    return ConflictError(
        f"item {row.id!r} was changed by {who} since you read it (version {read_version}, now "
        f"{row.version}): {who} {what}. Nothing was written; reload the item and apply your "
        "change again if it still holds.",
        details={
            "item": row.id,
            "expected_version": read_version,
            "version": row.version,
            "changed_by": row.updated_by,
            "status": row.status,
            "last_change": None
            if last is None
            else {"date": last.date.isoformat(), "status": last.status, "note": last.note},
        },
    )


def _item_query() -> sa.Select[Item]:
    return (
        sa.select(Item)
        .join(Meeting, Item.meeting_id == Meeting.id)
        .options(
            selectinload(Item.history),
            selectinload(Item.links),
            selectinload(Item.meeting),
            selectinload(Item.edits),
            selectinload(Item.grades),
        )
        .order_by(Item.commission_id, Item.position, Item.id)
    )


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    # SQLite keeps no time zone; every time written here is UTC.
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def _view(row: Item, day: dt.date) -> ItemView:
    graded = tuple(grades.grade_view(g) for g in row.grades)
    past = [c for c in row.history if c.date <= day]
    status = past[-1].status if past else None
    status_date = past[-1].date if past else None
    overdue = (
        status is not None
        and status not in CLOSED
        and row.due_date is not None
        and row.due_date < day
    )
    return ItemView(
        id=row.id,
        commission=row.commission_id,
        meeting=row.meeting_id,
        meeting_date=row.meeting.date,
        kind=row.kind,
        title=row.title,
        description=row.description,
        area=row.area,
        party=row.party,
        body=row.body,
        due=row.due,
        due_date=row.due_date,
        value=row.value,
        currency=row.currency,
        count=row.count,
        baskets=tuple(lk.code for lk in row.links if lk.kind == "basket"),
        hs=tuple(lk.code for lk in row.links if lk.kind == "hs"),
        air_clause=row.air_clause,
        status=status,
        status_date=status_date,
        as_of=day,
        overdue=overdue,
        days_overdue=(day - row.due_date).days if overdue and row.due_date else None,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=_utc(row.updated_at),
        history=tuple(
            Change(c.date, c.status, c.note, c.source, c.author, _utc(c.recorded_at))
            for c in row.history
        ),
        removed=row.removed_at is not None,
        edits=tuple(
            Edit(e.field, e.old, e.new, e.reason, e.author, _utc(e.recorded_at)) for e in row.edits
        ),
        grade=grades.grade_at(graded, day, row.due_date),
        grades=graded,
    )


def _check_foreign_ids(
    s: Session, case: caseio.CaseDoc, items: Sequence[caseio.ItemDoc], path: Path
) -> None:
    lines = {i.id: i.line for i in items}
    taken = s.execute(sa.select(Item.id, Item.commission_id).where(Item.id.in_(list(lines)))).all()
    for item_id, other in taken:
        raise ValidationError(
            f"item id is already used by commission {other!r} in this database",
            path=path,
            line=lines[item_id],
            column="id",
            value=item_id,
            hint="item ids are unique across commissions; rename the item",
        )
    meeting_ids = [m.id for m in case.meetings]
    for mid, other in s.execute(
        sa.select(Meeting.id, Meeting.commission_id).where(Meeting.id.in_(meeting_ids))
    ):
        raise ValidationError(
            f"meeting id is already used by commission {other!r} in this database",
            path=path.with_name(caseio.CASE_FILE),
            column="meetings.id",
            value=mid,
        )


def _export_files(com: Commission, docs: Sequence[caseio.ItemDoc]) -> dict[str, str]:
    """The case files to write beside ``agenda.yaml``: air agreements, ``baskets.toml``.

    ``baskets.toml`` is made afresh for the items as they are now (an item added since the
    import may name another basket): definitions imported with the case win over the ones
    this installation knows.
    """
    files = {f.path: f.text for f in com.files}
    known = load_baskets()
    stored = files.pop(caseio.BASKETS_FILE, None)
    if stored is not None:
        known.update(parse_baskets(stored, f"{com.id}/{caseio.BASKETS_FILE} (stored)"))
    own = caseio.baskets_toml([b for d in docs for b in d.baskets], known)
    if own is not None:
        files[caseio.BASKETS_FILE] = own
    return files


def _commission_row(case: caseio.CaseDoc, files: Mapping[str, str]) -> Commission:
    return Commission(
        id=case.commission_id,
        name=case.commission_name,
        party_a=case.dyad[0],
        party_b=case.dyad[1],
        case_id=case.case_id,
        case_title=case.title,
        case_description=case.description,
        files=[CaseFile(path=p, text=t) for p, t in sorted(files.items())],
        areas=[list(a) for a in case.areas],
        imported_at=_now(),
        meetings=[
            Meeting(
                id=m.id,
                date=m.date,
                place=m.place,
                title=m.title,
                co_chairs=[
                    {"party": c.party, "name": c.name, "title": c.title} for c in m.co_chairs
                ],
            )
            for m in case.meetings
        ],
    )


def _item_row(doc: caseio.ItemDoc, commission_id: str, position: int) -> Item:
    now = _now()
    last = doc.history[-1]
    return Item(
        id=doc.id,
        commission_id=commission_id,
        meeting_id=doc.meeting,
        position=position,
        kind=doc.kind,
        title=doc.title,
        description=doc.description,
        area=doc.area,
        party=doc.party,
        body=doc.body,
        due=doc.due,
        due_date=caseio.due_end(doc.due) if doc.due else None,
        value=doc.value,
        currency=doc.currency,
        count=doc.count,
        air_clause=doc.air_clause,
        status=last.status,
        status_date=last.date,
        updated_by=last.author,
        updated_at=now,
        history=[
            StatusChange(
                date=c.date,
                status=c.status,
                note=c.note,
                source=c.source,
                author=c.author,
                recorded_at=now,
            )
            for c in doc.history
        ],
        links=[ItemLink(kind="basket", code=b, position=i) for i, b in enumerate(doc.baskets)]
        + [ItemLink(kind="hs", code=h, position=i) for i, h in enumerate(doc.hs)],
        **_record_rows(doc, now),
        indicators=_ind.indicator_rows(doc.indicators),
    )


def _item_doc(row: Item) -> caseio.ItemDoc:
    doc = caseio.ItemDoc(
        id=row.id,
        meeting=row.meeting_id,
        kind=row.kind,
        title=row.title,
        description=row.description,
        area=row.area,
        party=row.party,
        body=row.body,
        due=row.due,
        value=row.value,
        currency=row.currency,
        count=row.count,
        baskets=tuple(lk.code for lk in row.links if lk.kind == "basket"),
        hs=tuple(lk.code for lk in row.links if lk.kind == "hs"),
        air_clause=row.air_clause,
        history=tuple(
            caseio.ChangeDoc(c.date, c.status, c.note, c.source, c.author) for c in row.history
        ),
        indicators=_ind.indicator_docs(row),
    )
    return _with_records(doc, row)


def _case_doc(com: Commission) -> caseio.CaseDoc:
    return caseio.CaseDoc(
        case_id=com.case_id or com.id,
        title=com.case_title,
        dyad=(com.party_a, com.party_b),
        commission_id=com.id,
        commission_name=com.name,
        description=com.case_description,
        areas=tuple((str(a), str(t)) for a, t in com.areas),
        meetings=tuple(
            caseio.MeetingDoc(
                m.id,
                m.date,
                m.place,
                m.title,
                tuple(
                    caseio.CoChair(str(c["party"]), c.get("name"), c.get("title"))
                    for c in m.co_chairs
                ),
            )
            for m in com.meetings
        ),
    )


def _write(path: Path, text: str) -> str:
    write_atomic(path, text.encode("utf-8"))
    return str(path)


# ---------------------------------------------------------------- issue 18: grades, edits, removal


def _record_rows(doc: caseio.ItemDoc, now: dt.datetime) -> dict[str, object]:
    """The grade and edit rows, and the removal, of an item read from ``agenda.yaml``."""
    edit_rows = [
        ItemEdit(
            field=e.field, old=e.old, new=e.new, reason=e.reason, author=e.author,
            recorded_at=e.at,
        )
        for e in doc.edits
    ]  # fmt: skip
    out: dict[str, object] = {
        "grades": [
            Grade(
                as_of=g.as_of,
                grade=g.grade,
                score=GRADE_SCORES[g.grade],
                evidence=[
                    {"source": e.source, "figure": e.figure, "note": e.note} for e in g.evidence
                ],
                note=g.note,
                author=g.author,
                recorded_at=now,
            )
            for g in doc.grades
        ],
        "edits": edit_rows,
    }
    gone = doc.removed
    if gone is not None:
        edit_rows.append(
            ItemEdit(
                field="removed", old=False, new=True, reason=gone.reason, author=gone.author,
                recorded_at=gone.at,
            )
        )  # fmt: skip
        out |= {"removed_at": gone.at, "removed_by": gone.author, "removed_reason": gone.reason}
    return out


def _with_records(doc: caseio.ItemDoc, row: Item) -> caseio.ItemDoc:
    """The grades, edits and removal of an item row, as ``agenda.yaml`` writes them."""
    removal = None
    if row.removed_at is not None:
        removal = caseio.RemovalDoc(
            _utc(row.removed_at) or row.removed_at, row.removed_reason or "", row.removed_by
        )
    return dataclasses.replace(
        doc,
        grades=tuple(
            caseio.GradeDoc(
                g.as_of,
                g.grade,
                tuple(
                    Evidence(str(e["source"]), e.get("figure"), e.get("note")) for e in g.evidence
                ),
                g.note,
                g.author,
            )
            for g in row.grades
        ),
        edits=tuple(
            caseio.EditDoc(
                _utc(e.recorded_at) or e.recorded_at, e.field, e.old, e.new, e.reason, e.author
            )
            for e in row.edits
            if e.field != "removed"
        ),
        removed=removal,
    )
