"""`voice-service db upgrade` says what it did (trial 6, F7: on a new database it made every table, then said
only "database is up to date", so a first-time admin could not tell whether anything had happened)."""

from __future__ import annotations

import uuid

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

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


def _named(url: str) -> str:
    """Which database `db upgrade` says it touched (a trial ran it in one folder and the service in another)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    return f"database {parsed.database!r} on {parsed.host}"


def test_on_a_new_database_it_says_it_made_the_tables_then_that_there_is_nothing_to_do(new_database):
    named = _named(new_database)
    assert _upgrade(new_database) == f"created the database's tables (migrations {FIRST} to {HEAD}) in {named}"
    assert _upgrade(new_database) == f"the database is already up to date (migration {HEAD}): {named}"


def test_on_an_older_database_it_says_from_which_migration_to_which(new_database):
    older = SCRIPTS.get_revision(HEAD).down_revision
    assert isinstance(older, str)
    upgrade(new_database, older)
    assert _upgrade(new_database) == f"upgraded the database from migration {older} to {HEAD}: {_named(new_database)}"


def test_a_relative_sqlite_file_is_read_from_the_settings_files_folder(tmp_path):
    """A trial: `db upgrade` in the settings' folder, then a command run from another folder with `--config
    ../config.toml`, said "not set up yet" and made a second, empty database there. Now a relative file in a
    settings file is read from that file's folder, wherever the command runs, and the messages name the file."""
    deploy = tmp_path / "deploy"
    elsewhere = tmp_path / "elsewhere"
    deploy.mkdir()
    elsewhere.mkdir()
    settings = deploy / "config.toml"
    settings.write_text('[database]\nurl = "sqlite:///instance/voice.db"\n')
    env = environment(make_config(f"sqlite:///{tmp_path}/unused.db"))
    env = {key: value for key, value in env.items() if not key.startswith(("VOICE_DATABASE_", "VOICE_SPOOL_"))}
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=elsewhere):
        made = runner.invoke(main, ["--config", str(settings), "db", "upgrade"], env=env)
        assert made.exit_code == 0, made.output
        assert f"in the SQLite file {deploy / 'instance' / 'voice.db'}" in made.output
        again = runner.invoke(main, ["--config", str(settings), "db", "upgrade"], env=env)
        assert "already up to date" in again.output, again.output
    assert (deploy / "instance" / "voice.db").exists()
    assert not list(elsewhere.rglob("*.db")), "no second database where the command ran"


def test_a_postgresql_database_that_does_not_exist_is_named_with_how_to_make_it():
    if not PG_URL:
        skip_or_fail("PostgreSQL tests need VOICE_TEST_DATABASE_URL")
    missing = _with_database(PG_URL, f"voice_missing_{uuid.uuid4().hex[:8]}")
    env = environment(make_config(missing)) | {"VOICE_CONFIG": ""}
    result = CliRunner().invoke(main, ["round", "list"], env=env)
    assert result.exit_code == 1
    name = make_url(missing).database
    assert f"database {name!r} on " in result.output and f"does not exist: create it (createdb {name})" in result.output
    assert "cannot reach" not in result.output
