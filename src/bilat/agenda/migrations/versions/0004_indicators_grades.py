"""Indicators (baseline, target, entered actuals) and compliance grades of items.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _item_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["item_id"],
        ["agenda_items.id"],
        name=op.f(f"fk_{table}_item_id_agenda_items"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "agenda_indicators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("measure", sa.JSON(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_period", sa.String(10), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_period", sa.String(10), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _item_fk("agenda_indicators"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_indicators")),
        sa.UniqueConstraint("item_id", "key", name=op.f("uq_agenda_indicators_item_id")),
    )
    op.create_index(op.f("ix_agenda_indicators_item_id"), "agenda_indicators", ["item_id"])
    op.create_table(
        "agenda_indicator_actuals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author", sa.String(120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["agenda_indicators.id"],
            name=op.f("fk_agenda_indicator_actuals_indicator_id_agenda_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_indicator_actuals")),
    )
    op.create_index(
        op.f("ix_agenda_indicator_actuals_indicator_id"),
        "agenda_indicator_actuals",
        ["indicator_id"],
    )
    op.create_table(
        "agenda_grades",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("grade", sa.String(12), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author", sa.String(120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _item_fk("agenda_grades"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_grades")),
    )
    op.create_index(op.f("ix_agenda_grades_item_id"), "agenda_grades", ["item_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agenda_grades_item_id"), table_name="agenda_grades")
    op.drop_table("agenda_grades")
    op.drop_index(
        op.f("ix_agenda_indicator_actuals_indicator_id"), table_name="agenda_indicator_actuals"
    )
    op.drop_table("agenda_indicator_actuals")
    op.drop_index(op.f("ix_agenda_indicators_item_id"), table_name="agenda_indicators")
    op.drop_table("agenda_indicators")
