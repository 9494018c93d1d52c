"""Making deletion real on SQLite: deleted rows overwritten, and the write-ahead log emptied.

PostgreSQL needs neither: a deleted row is invisible to every reader and to `pg_dump`, and
autovacuum reclaims the space; backups keep it until they expire (see docs/data-protection.md).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session


def secure_delete(session: Session) -> None:
    """On SQLite, overwrite deleted rows with zeros in this connection, so a copy of the file keeps nothing erased."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def checkpoint(engine: Engine) -> None:
    """On SQLite, fold the write-ahead log back into the file and empty it, so old pages go with it."""
    if engine.dialect.name == "sqlite":
        # Outside any transaction (the engine's BEGIN IMMEDIATE would stop the checkpoint).
        connection = engine.raw_connection()
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        finally:
            connection.close()
