"""The initial agenda schema: commissions, meetings, items, status changes, item links.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agenda_commissions",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("party_a", sa.String(3), nullable=False),
        sa.Column("party_b", sa.String(3), nullable=False),
        sa.Column("case_id", sa.String(80), nullable=True),
        sa.Column("case_title", sa.String(400), nullable=True),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_commissions")),
    )
    op.create_table(
        "agenda_meetings",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("commission_id", sa.String(80), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("title", sa.String(400), nullable=True),
        sa.Column("co_chairs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["agenda_commissions.id"],
            name=op.f("fk_agenda_meetings_commission_id_agenda_commissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_meetings")),
    )
    op.create_index(op.f("ix_agenda_meetings_commission_id"), "agenda_meetings", ["commission_id"])
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("commission_id", sa.String(80), nullable=False),
        sa.Column("meeting_id", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(400), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("area", sa.String(80), nullable=True),
        sa.Column("party", sa.String(3), nullable=True),
        sa.Column("body", sa.String(400), nullable=True),
        sa.Column("due", sa.String(10), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("air_clause", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["agenda_commissions.id"],
            name=op.f("fk_agenda_items_commission_id_agenda_commissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["agenda_meetings.id"],
            name=op.f("fk_agenda_items_meeting_id_agenda_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    op.create_index(op.f("ix_agenda_items_commission_id"), "agenda_items", ["commission_id"])
    op.create_index(op.f("ix_agenda_items_meeting_id"), "agenda_items", ["meeting_id"])
    op.create_table(
        "agenda_status_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("author", sa.String(120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_status_changes_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_status_changes")),
    )
    op.create_index(op.f("ix_agenda_status_changes_item_id"), "agenda_status_changes", ["item_id"])
    op.create_table(
        "agenda_item_links",
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_item_links_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "kind", "code", name=op.f("pk_agenda_item_links")),
    )


def downgrade() -> None:
    op.drop_table("agenda_item_links")
    op.drop_index(op.f("ix_agenda_status_changes_item_id"), table_name="agenda_status_changes")
    op.drop_table("agenda_status_changes")
    op.drop_index(op.f("ix_agenda_items_meeting_id"), table_name="agenda_items")
    op.drop_index(op.f("ix_agenda_items_commission_id"), table_name="agenda_items")
    op.drop_table("agenda_items")
    op.drop_index(op.f("ix_agenda_meetings_commission_id"), table_name="agenda_meetings")
    op.drop_table("agenda_meetings")
    op.drop_table("agenda_commissions")
