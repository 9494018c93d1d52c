"""Summary tests' fixtures.

`sqlite_template` is redefined here because the shared one checkpoints the WAL through an
engine whose every transaction opens with BEGIN IMMEDIATE, which SQLite refuses ("database
table is locked"); a plain sqlite3 connection does the same job.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from voice_service.db import upgrade


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("summary-template") / "template.db"
    # "heads": other work in progress may briefly leave two migration heads.
    upgrade(f"sqlite:///{path}", "heads")
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return path


@pytest.fixture(scope="session")
def postgres_template():
    """A migrated PostgreSQL template database (only when VOICE_TEST_DATABASE_URL is set)."""
    import uuid

    from sqlalchemy import create_engine, text

    from voice_service.db import normalise_url

    from tests.conftest import PG_URL, _with_database

    if not PG_URL:
        return None
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"voice_tpl_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade(_with_database(PG_URL, name), "heads")
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
