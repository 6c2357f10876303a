"""Edits and removal of items: a history row per changed field, a soft delete.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("removed_by", sa.String(120), nullable=True))
        batch.add_column(sa.Column("removed_reason", sa.Text(), nullable=True))
    op.create_table(
        "agenda_item_edits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("author", sa.String(120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_item_edits_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item_edits")),
    )
    op.create_index(op.f("ix_agenda_item_edits_item_id"), "agenda_item_edits", ["item_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_agenda_item_edits_item_id"), table_name="agenda_item_edits")
    op.drop_table("agenda_item_edits")
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("removed_reason")
        batch.drop_column("removed_by")
        batch.drop_column("removed_at")
