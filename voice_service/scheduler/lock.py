"""Exactly one scheduler per database: a PostgreSQL advisory lock, or an exclusive lock file beside SQLite.

Both are released by the operating system or the database when the process dies, so a
crashed scheduler never leaves a stale lock behind, and a second one started by mistake
is refused at once rather than firing every job twice.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import TextIO

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

# A fixed 64-bit key for pg_try_advisory_lock: "voice-service scheduler".
ADVISORY_KEY = 0x766F6963655F5343


class AlreadyRunning(RuntimeError):
    """Another scheduler holds the lock for this database."""


class SchedulerLock:
    """Holds the scheduler lock for one database until `release()` (or the process ends)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._connection: Connection | None = None
        self._file: TextIO | None = None
        self.path: Path | None = None

    def acquire(self) -> SchedulerLock:
        """Take the lock or raise AlreadyRunning."""
        if self.engine.dialect.name == "postgresql":
            self._acquire_postgres()
        else:
            self._acquire_file()
        return self

    def _acquire_postgres(self) -> None:
        # The lock lives as long as this session, so the connection is kept out of the pool.
        connection = self.engine.connect()
        try:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar()
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not got:
            connection.close()
            raise AlreadyRunning(
                "another scheduler is already running on this database (PostgreSQL advisory lock held)"
            )
        self._connection = connection

    def _acquire_file(self) -> None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return  # an in-memory database belongs to this process alone
        self.path = Path(database).resolve().with_name(Path(database).name + ".scheduler.lock")
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunning(
                f"another scheduler is already running on this database (pid {holder} holds {self.path.name})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def healthy(self) -> bool:
        """True while the lock is still held (the PostgreSQL session is alive)."""
        if self._connection is None:
            return True
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
            return True
        except Exception:
            return False

    def reacquire(self) -> bool:
        """Take the lock again on a new session after its session ended (`healthy()` False): a restarted or
        failed-over PostgreSQL. True when it is held again; False while the database cannot be reached (try
        again later); AlreadyRunning when another scheduler took it meanwhile."""
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                pass  # the session is gone already
            self._connection = None
        try:
            self._acquire_postgres()
        except AlreadyRunning:
            raise
        except Exception:
            return False
        return True

    def release(self) -> None:
        """Give the lock up."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
                self._connection.commit()
            except Exception:
                pass  # closing the session releases it anyway
            self._connection.close()
            self._connection = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
