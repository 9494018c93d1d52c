"""`voice-service db upgrade` says what it did (trial 6, F7: on a new database it made every table, then said
only "database is up to date", so a first-time admin could not tell whether anything had happened)."""

from __future__ import annotations

import uuid

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL, _with_database, make_config, skip_or_fail
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.db import alembic_config, normalise_url, upgrade

SCRIPTS = ScriptDirectory.from_config(alembic_config("sqlite://"))
FIRST, HEAD = SCRIPTS.get_base(), SCRIPTS.get_current_head()


@pytest.fixture(params=["sqlite", "postgres"])
def new_database(request, tmp_path):
    """A database with nothing in it (not migrated): a SQLite file not made yet, or an empty PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/new.db"
        return
    if not PG_URL:
        skip_or_fail("PostgreSQL tests need VOICE_TEST_DATABASE_URL")
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"voice_new_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(PG_URL, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _upgrade(url: str) -> str:
    result = CliRunner().invoke(main, ["db", "upgrade"], env=environment(make_config(url)) | {"VOICE_CONFIG": ""})
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_on_a_new_database_it_says_it_made_the_tables_then_that_there_is_nothing_to_do(new_database):
    assert _upgrade(new_database) == f"created the database's tables (migrations {FIRST} to {HEAD})"
    assert _upgrade(new_database) == f"the database is already up to date (migration {HEAD})"


def test_on_an_older_database_it_says_from_which_migration_to_which(new_database):
    older = SCRIPTS.get_revision(HEAD).down_revision
    assert isinstance(older, str)
    upgrade(new_database, older)
    assert _upgrade(new_database) == f"upgraded the database from migration {older} to {HEAD}"
