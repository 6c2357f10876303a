"""The files an exported case needs: air agreements and baskets; the case's description.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_commissions") as batch:
        batch.add_column(sa.Column("case_description", sa.Text(), nullable=True))
    op.create_table(
        "agenda_case_files",
        sa.Column("commission_id", sa.String(80), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_id"],
            ["agenda_commissions.id"],
            name=op.f("fk_agenda_case_files_commission_id_agenda_commissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("commission_id", "path", name=op.f("pk_agenda_case_files")),
    )


def downgrade() -> None:
    op.drop_table("agenda_case_files")
    with op.batch_alter_table("agenda_commissions") as batch:
        batch.drop_column("case_description")
