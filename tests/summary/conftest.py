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
    upgrade(f"sqlite:///{path}")
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return path
