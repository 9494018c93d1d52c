"""Exactly one scheduler per database: a PostgreSQL advisory lock, or an exclusive lock file beside SQLite.

Both are released by the operating system or the database when the process dies, so a
crashed scheduler never leaves a stale lock behind, and a second one started by mistake
is refused at once rather than firing every job twice.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import TextIO

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

# A fixed 64-bit key for pg_try_advisory_lock: "voice-service scheduler".
ADVISORY_KEY = 0x766F6963655F5343
# This session, as the server knows it: a pid is used again after a restart, a pid and its start time are not.
THIS_SESSION = text("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()")
# The session holding the lock (pg_locks shows a bigint key as its high and low 32 bits), if it is this one's.
HELD_BY = text(
    "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND l.classid::bigint = :high AND l.objid::bigint = :low AND a.pid = :pid AND a.backend_start = :started"
)


class AlreadyRunning(RuntimeError):
    """Another scheduler holds the lock for this database."""


class _OwnSessionLeftBehind(Exception):
    """The lock is held by this scheduler's own earlier session, still alive on the server: it is being ended."""


class SchedulerLock:
    """Holds the scheduler lock for one database until `release()` (or the process ends)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._connection: Connection | None = None
        self._session: tuple[int, object] | None = None  # (pid, backend_start) of the session holding the lock
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
        try:
            if not got:
                # Our own earlier session still holding it (see `_end_own_old_session`) is not another scheduler.
                if self._session is not None and self._end_own_old_session(connection):
                    raise _OwnSessionLeftBehind()
                raise AlreadyRunning(
                    "another scheduler is already running on this database (PostgreSQL advisory lock held)"
                )
            row = connection.execute(THIS_SESSION).one()
            connection.commit()
        except BaseException:
            connection.close()
            raise
        self._session = (row[0], row[1])
        self._connection = connection

    def _end_own_old_session(self, connection: Connection) -> bool:
        """True when the lock is held by this scheduler's own earlier session, which its side of a network
        partition dropped while the server kept it (until its TCP keepalive notices, two hours by default): that
        session is then ended, so the lock is free again (if the server refuses, it is tried again next time).
        Another scheduler's session is left alone."""
        assert self._session is not None
        pid, started = self._session
        held = connection.execute(
            HELD_BY, {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF, "pid": pid, "started": started}
        ).scalar()
        connection.commit()
        if held is None:
            return False
        log.warning(
            "the scheduler lock is held by this scheduler's own earlier session (pid %s), which a broken "
            "connection left behind on the server: ending it",
            pid,
        )
        try:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
        except Exception:
            pass  # not ours to end after all (another role), or the database went again: looked at next time
        return True

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
        failed-over PostgreSQL, or a network partition. True when it is held again; False while the database cannot
        be reached, or while this scheduler's own earlier session, which a partition left alive on the server,
        still holds it (it is ended: try again later); AlreadyRunning when another scheduler took it meanwhile."""
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                pass  # the session is gone already
            self._connection = None
        try:
            self._acquire_postgres()
        except _OwnSessionLeftBehind:
            return False  # ended (or ending): the lock is free on the next try
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
