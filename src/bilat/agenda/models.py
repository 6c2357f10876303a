"""The agenda's tables (SQLAlchemy 2 declarative models).

::

    agenda_commissions 1──* agenda_case_files (air agreements, baskets)
    agenda_commissions 1──* agenda_meetings 1──* agenda_items 1──* agenda_status_changes
                                                    ├──* agenda_item_links (baskets, HS codes)
                                                    ├──* agenda_item_edits (edits, removal)
                                                    ├──* agenda_indicators 1──* agenda_indicator_actuals
                                                    └──* agenda_grades (compliance, as of a date)

An item's ``status`` and ``status_date`` repeat its latest status change, so that the row
carries a ``version`` (optimistic locking): an update names the version it read, and loses
with a :class:`~bilat.errors.ConflictError` when somebody else changed the item since.
The schema is created by the Alembic migrations in ``bilat/agenda/migrations``, never by
``create_all``; a test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Base",
    "CaseFile",
    "Commission",
    "Grade",
    "Indicator",
    "IndicatorActual",
    "Item",
    "ItemEdit",
    "ItemLink",
    "Meeting",
    "StatusChange",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints the same."""

    metadata = MetaData(naming_convention=NAMING)


class Commission(Base):
    """A bilateral commission: its two parties, its name, and the case it was imported from."""

    __tablename__ = "agenda_commissions"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    party_a: Mapped[str] = mapped_column(String(3))
    party_b: Mapped[str] = mapped_column(String(3))
    case_id: Mapped[str | None] = mapped_column(String(80))
    case_title: Mapped[str | None] = mapped_column(String(400))
    case_description: Mapped[str | None] = mapped_column(Text)
    #: Areas of cooperation as ``[[id, title], ...]`` in the case file's order.
    areas: Mapped[list[Any]] = mapped_column(JSON)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="commission", cascade="all, delete-orphan", order_by="Meeting.date"
    )
    files: Mapped[list[CaseFile]] = relationship(
        cascade="all, delete-orphan", order_by="CaseFile.path"
    )


class CaseFile(Base):
    """A file of the case folder an export must write back for the import to succeed.

    ``path`` is relative to the case folder: ``air/NAME.yaml`` (an air agreement, kept as
    written, whose clause ids items cite) or ``baskets.toml`` (the baskets items name that the
    shipped list does not hold as they are).
    """

    __tablename__ = "agenda_case_files"

    commission_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_commissions.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Meeting(Base):
    """A session of the commission: date, place and co-chairs."""

    __tablename__ = "agenda_meetings"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    commission_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_commissions.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(400))
    #: Co-chairs as ``[{"party": ISO3, "name": str | None, "title": str | None}, ...]``.
    co_chairs: Mapped[list[Any]] = mapped_column(JSON)

    commission: Mapped[Commission] = relationship(back_populates="meetings")
    items: Mapped[list[Item]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Item.position"
    )


class Item(Base):
    """A decision, project, contract, proposal or area of interest agreed at a meeting."""

    __tablename__ = "agenda_items"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    commission_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_commissions.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str | None] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(80))
    party: Mapped[str | None] = mapped_column(String(3))
    body: Mapped[str | None] = mapped_column(String(400))
    #: The due date or period as written (``2022``, ``2022-09``, ``2022-Q4``, ``2022-12-31``).
    due: Mapped[str | None] = mapped_column(String(10))
    #: Last day of the due period; past it, an item not done or dropped is overdue.
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    count: Mapped[int | None] = mapped_column(Integer)
    air_clause: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    status_date: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: Set when the item was removed (a soft delete: the row and its history stay).
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(120))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="(StatusChange.date, StatusChange.id)",
    )
    links: Mapped[list[ItemLink]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemLink.position"
    )
    edits: Mapped[list[ItemEdit]] = relationship(
        cascade="all, delete-orphan", order_by="ItemEdit.id"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Indicator.position"
    )
    grades: Mapped[list[Grade]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="(Grade.as_of, Grade.id)",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class StatusChange(Base):
    """One entry of an item's history: on ``date`` the item became ``status``."""

    __tablename__ = "agenda_status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    item: Mapped[Item] = relationship(back_populates="history")


class ItemLink(Base):
    """A basket (``kind="basket"``) or HS code (``kind="hs"``) an item is meant to move."""

    __tablename__ = "agenda_item_links"

    item_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    item: Mapped[Item] = relationship(back_populates="links")


class ItemEdit(Base):
    """One field of an item changed by an edit (or ``field="removed"``): old and new value."""

    __tablename__ = "agenda_item_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Indicator(Base):
    """A measure of an item's progress (IATI's result indicator): baseline, target, actuals.

    An indicator is either *measured* from the lake (``measure`` names a basket or HS code
    and a direction of the dyad: its actuals are read through the trade view, each with its
    coverage, and never stored) or *entered*: its actuals are rows of
    :class:`IndicatorActual`, each with its source.
    """

    __tablename__ = "agenda_indicators"
    __table_args__ = (UniqueConstraint("item_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    #: The indicator's id, unique within its item (``sugar-exports``).
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(400))
    #: ``usd``, ``tonnes``, ``units``, ``percent`` ... (measured indicators: ``usd``).
    unit: Mapped[str] = mapped_column(String(40))
    #: ``{"basket": NAME}`` or ``{"hs": CODE}``, with ``"direction": "export"|"import"``
    #: (A→B or B→A of the commission's dyad); ``None`` for an entered indicator.
    measure: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    baseline: Mapped[float | None] = mapped_column(Float)
    #: The baseline's period as written (``2021``, ``2021-Q4``, ``2021-12-31``).
    baseline_period: Mapped[str | None] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    target_period: Mapped[str | None] = mapped_column(String(10))
    #: Where the baseline and target come from (a decision, a programme, a press report).
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    item: Mapped[Item] = relationship(back_populates="indicators")
    actuals: Mapped[list[IndicatorActual]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="(IndicatorActual.period, IndicatorActual.id)",
    )


class IndicatorActual(Base):
    """An entered value of an indicator for a period, with its source (never a guess)."""

    __tablename__ = "agenda_indicator_actuals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_indicators.id", ondelete="CASCADE"), index=True
    )
    #: The period as written (``2023``, ``2023-Q2``, ``2023-06``).
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    indicator: Mapped[Indicator] = relationship(back_populates="actuals")


class Grade(Base):
    """A compliance grade of an item as of a date (G20 Research Group scale), with evidence.

    ``grade`` is ``full`` (+1), ``partial`` (0), ``none`` (−1) or ``too_early`` (no score:
    the commitment's time has not come). Grades are never overwritten: a new assessment is
    a new row, so the rows of an item are its grade history.
    """

    __tablename__ = "agenda_grades"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    as_of: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(12))
    score: Mapped[int | None] = mapped_column(Integer)
    #: ``[{"source": str, "figure": str | None, "note": str | None}, ...]``
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    item: Mapped[Item] = relationship(back_populates="grades")
