"""Alembic migrations of the agenda schema, run in code by :func:`bilat.agenda.db.upgrade`."""
