"""Alembic environment: runs on the connection :func:`bilat.agenda.db.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from bilat.agenda.db import VERSION_TABLE
from bilat.agenda.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run agenda migrations through bilat.agenda.db.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
