"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

import sqlalchemy as sa

from bilat.agenda import Agenda
from bilat.agenda.db import VERSION_TABLE, create_engine, schema_diff, upgrade


def test_migrations_match_models(db_url: str) -> None:
    engine = create_engine(db_url)
    upgrade(engine)
    assert schema_diff(engine) == []
    names = set(sa.inspect(engine).get_table_names())
    assert {"agenda_items", "agenda_status_changes", VERSION_TABLE} <= names
    engine.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    engine = create_engine(db_url)
    upgrade(engine)
    upgrade_to_base(engine)
    assert "agenda_items" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    assert schema_diff(engine) == []
    with engine.connect() as c:
        assert c.execute(sa.text(f"select version_num from {VERSION_TABLE}")).scalar() == "0004"
    engine.dispose()


def upgrade_to_base(engine: sa.Engine) -> None:
    from alembic import command

    from bilat.agenda.db import _config

    with engine.begin() as connection:
        command.downgrade(_config(connection), "base")


def test_open_twice_is_harmless(db_url: str) -> None:
    Agenda.open(db_url).close()
    ag = Agenda.open(db_url)
    assert ag.commissions() == []
    ag.close()
