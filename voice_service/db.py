"""Database engine and sessions: SQLite (WAL) by default, PostgreSQL by URL; migrations via Alembic.

Two modes of work:

- Ordinary work (CLI, scheduler, summary) runs as before: on SQLite each transaction takes
  the write lock up front (`BEGIN IMMEDIATE`) and waits up to 30 s for it.
- Work inside `deadline(seconds)` (the inbound path) must finish within its budget or fail
  fast, so the caller can spool the message instead of losing it. There, SQLite begins
  deferred: reads take no lock, the write lock is taken at the first write and held only to
  the commit. If another writer committed in between, SQLite refuses the upgrade (`database
  is locked`, at once) and `retrying()` runs the work again on fresh data, this time taking
  the lock up front and waiting its turn (so a busy database still makes progress). Work that
  knows it will write (the inbound path: it has screened and analysed the message before its
  first statement) says so with `will_write()`, and takes the lock up front the first time.
  Threads of one process then queue for it on a lock of their own, and one thread per process
  at a time waits on a lock file beside the database (`<database>-writers.lock`, `flock`)
  that every web worker shares: the kernel hands it on the moment the holder commits,
  where SQLite's own wait polls with growing sleeps (1, 2, 5 ... 100 ms) and so leaves the
  other workers' writers starved while one worker's threads hand the lock among
  themselves. A holder keeps it only through its deadline-bounded transaction, and a
  worker that dies gives it back with its file descriptors.
  PostgreSQL gets statement and lock timeouts and a connect timeout. At the deadline a watchdog
  (one thread per process) cuts the work still in flight: on PostgreSQL it cancels the statement
  on the server, then shuts the socket (a frozen server never cancels a statement itself); on
  SQLite it interrupts the statement. So a text is either handled within its deadline, or not
  stored and owned by the spool (save a COMMIT already under way at the very instant of the cut,
  which the spool's replay finds stored; see `Deadline._cut`).

On SQLite, checkpoints (folding the write-ahead log back into the file, with its fsyncs) run in a
thread of each process's own (`_Checkpointer`), never inside a writer's COMMIT while it holds the turn.

Each process keeps up to `POOL_SIZE` connections once it has opened them (a web worker's threads each keep
one). The PostgreSQL pool does not ping on every checkout; connections are recycled after
`POOL_RECYCLE_SECONDS`, and a connection found dead is thrown away with every other
connection as old as it (SQLAlchemy invalidates the pool), so one retry finds a live one.
"""

from __future__ import annotations

import fcntl
import heapq
import itertools
import logging
import math
import os
import random
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_MS = 30_000  # ordinary work waits this long for SQLite's write lock
SQLITE_BUSY_STEP_MS = 100  # work under a deadline waits what is left of it, in steps of this (rounded down)
POOL_RECYCLE_SECONDS = 1800  # below common server and firewall idle limits
# Connections a process keeps once opened (opened only as they are needed): at least a web worker's threads
# (`serve --threads`, 8 by default), so none is closed as it comes back and opened again for the next text.
# SQLAlchemy's default of 5 did that to three of a busy worker's eight: on PostgreSQL a new server process
# each time (its fork, its catalogue reads, its timeouts set again, its prepared statements gone).
POOL_SIZE = 32
PG_MIN_CONNECT_TIMEOUT = 2  # libpq treats anything lower as 2 s
# At the cut, the server has this long to take the cancel request before the socket is shut regardless.
PG_CANCEL_SECONDS = 1.0
PG_RETRYABLE_CODES = {"40001", "40P01"}  # serialization failure, deadlock: run the transaction again
# A server that stopped answering (a host gone in a failover, a network partition) is given up on, not waited
# for until the kernel gives up (about 15 minutes of retransmission for a statement sent, never for an idle
# connection): what it sent may stay unacknowledged this long, and an idle connection is probed (libpq's
# keepalives; a setting in the database URL wins). The scheduler's lock check waited out those 15 minutes.
PG_TCP_SETTINGS = {
    "tcp_user_timeout": 30_000,  # ms
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
# A process folds SQLite's write-ahead log back into the database after this many of its commits (a message
# writes about ten pages, so about SQLite's own 1,000-page default), in a thread of its own.
CHECKPOINT_EVERY_COMMITS = 100

T = TypeVar("T")

_CUT = "voice_cut"  # in a PostgreSQL connection's pool record info: its socket was shut at a deadline
# Set on a Core Connection while it takes on a transaction that a `transactions.LeanConnection` began (a text
# that needs the ORM after all): the begin listeners below have run for it already.
LEAN_BEGUN = "voice_lean_begun"


class Deadline:
    """A time budget for the database work done in one block, and the connections to cut when it ends."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        # id(dbapi connection) -> (the connection, its pool record's info, its PostgreSQL socket fd or None for
        # SQLite), while checked out
        self._connections: dict[int, tuple[Any, dict, int | None]] = {}
        self._lock = threading.Lock()
        self._watched = False
        self.expired = False
        self.closed = False  # the block has ended (in time, or after its cut): the watchdog passes it over
        # Set after SQLite refused a lock upgrade: the next attempt takes the write lock up front and waits
        # its turn, so a busy database makes progress instead of retrying forever.
        self.sqlite_immediate = False
        # Set by `begin_when_needed()`: on PostgreSQL the transaction's statements run each on its own until
        # `need_transaction()` (or to the end, when none needs another beside it).
        self.pg_begin_late = False

    def remaining(self) -> float:
        """Seconds left (0 when spent)."""
        return max(0.0, self.expires - time.monotonic())

    def watch(self, dbapi_connection: Any, info: dict) -> None:
        """Cut this connection's work if the budget runs out while it is in use (`info`: its pool record's)."""
        if isinstance(dbapi_connection, sqlite3.Connection):
            fd = None
        else:
            fd = _pg_socket(dbapi_connection)
            if fd is None:
                return
        with self._lock:
            self._connections[id(dbapi_connection)] = (dbapi_connection, info, fd)
            if self._watched or self.expired:
                return
            self._watched = True
        _watchdog.add(self)

    def release(self, dbapi_connection: Any) -> None:
        """The connection went back to the pool in time (or after its cut, which this waits for)."""
        with self._lock:
            self._connections.pop(id(dbapi_connection), None)

    def _expire(self) -> bool:
        """Mark the budget spent; True when connections in use are left to cut (`_cut`)."""
        with self._lock:
            self.expired = True
            return bool(self._connections)

    def _cut(self) -> None:
        """End the work in flight on every connection still in use, so that none of it commits after the cut.

        PostgreSQL: the statement in flight is cancelled on the server first (psycopg's `cancel_safe`, which
        returns once the server has signalled the backend), then the socket is shut. Shutting the socket
        alone left the server running the statement: one waiting on a lock (or the text's one writing
        statement, run on its own) still committed once the lock came free, after the text had been spooled
        and answered with the holding reply. A statement cancelled before its COMMIT began never commits; one
        whose COMMIT had begun (the cut and the commit at the same instant) may, and the spool's replay then
        finds the text stored and queues the replies it was answered with. SQLite: `interrupt()` ends the
        statement running on the connection, and SQLite rolls its transaction back.

        Done under the budget's lock: a connection is never cut after it has gone back to the pool.
        """
        with self._lock:
            connections = list(self._connections.values())
            self._connections.clear()
            for connection, info, fd in connections:
                if fd is None:
                    try:
                        connection.interrupt()
                    except sqlite3.Error:  # closed meanwhile: nothing in flight
                        pass
                    continue
                try:
                    connection.cancel_safe(timeout=PG_CANCEL_SECONDS)
                except Exception as error:  # the server does not answer: the socket is shut all the same
                    log.warning("could not cancel a statement at the deadline (%s)", type(error).__name__)
                # The blocked read in the request's thread then sees end-of-file and raises a disconnect error. The
                # connection is thrown away at its next checkout (the cancel's error may have reached the request's
                # thread first, and its rollback gone through, before the socket was shut).
                info[_CUT] = True
                try:
                    dup = socket.socket(fileno=os.dup(fd))
                    try:
                        dup.shutdown(socket.SHUT_RDWR)
                    finally:
                        dup.close()
                except OSError:
                    pass
        if connections:
            log.warning("database did not answer within %.1f s: cut %s connection(s)", self.seconds, len(connections))

    def close(self) -> None:
        """The block has ended: nothing is left for the watchdog to cut."""
        with self._lock:
            self._connections.clear()
            self.expired = True
            self.closed = True


class _Watchdog:
    """One thread per process that cuts the connections of every deadline that runs out while they are in use.

    (A timer thread per deadline cost a thread's start and stop on every message.) It sleeps until the
    earliest queued deadline expires. Deadlines that ended in time (most: `Deadline.closed`) are dropped
    from the front of the queue whenever it wakes, not each woken for at its own expiry: with a text's
    deadline a few seconds long, that was one wake of this thread (a switch to it and back, and a turn at
    the GIL) for every text; now it is one per deadline's length or so, whatever the rate.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition(threading.Lock())
        self._queue: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self.wakes = 0  # times the thread has woken (for tests)

    def add(self, budget: Deadline) -> None:
        """Watch this deadline until it expires."""
        with self._wake:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="voice-db-watchdog", daemon=True)
                self._thread.start()
            heapq.heappush(self._queue, (budget.expires, next(self._order), budget))
            if self._queue[0][2] is budget:
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                self.wakes += 1
                now = time.monotonic()
                due = []
                queue = self._queue
                # Due deadlines to cut, and ended ones passed over (a closed deadline has nothing left to cut).
                while queue and (queue[0][0] <= now or queue[0][2].closed):
                    budget = heapq.heappop(queue)[2]
                    if not budget.closed:
                        due.append(budget)
                if not due:
                    self._wake.wait(queue[0][0] - now if queue else None)
                    continue
            for budget in due:
                if budget._expire():
                    # A cancel waits for the server (up to `PG_CANCEL_SECONDS`): never in this thread, which
                    # cuts every other deadline on time.
                    threading.Thread(target=budget._cut, name="voice-db-cut", daemon=True).start()


_watchdog = _Watchdog()


def _new_watchdog_after_fork() -> None:
    # A forked worker has none of its parent's threads, and maybe a lock its parent held: start afresh.
    global _watchdog
    _watchdog = _Watchdog()


os.register_at_fork(after_in_child=_new_watchdog_after_fork)


_current: ContextVar[Deadline | None] = ContextVar("voice_db_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """Database work in this block must finish within `seconds`, or fail with an error (see the module notes)."""
    budget = Deadline(seconds)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
        budget.close()


def current_deadline() -> Deadline | None:
    """The deadline the calling code runs under, if any."""
    return _current.get()


def will_write() -> None:
    """The transaction about to begin under the current deadline writes: on SQLite, take the write lock
    up front (and wait for it in turn), instead of reading unlocked and having the upgrade refused."""
    budget = _current.get()
    if budget is not None:
        budget.sqlite_immediate = True


def begin_when_needed() -> None:
    """The work about to begin under the current deadline says, on PostgreSQL, when it needs a transaction.

    Until it calls `need_transaction(session)` its statements run each on its own (psycopg's autocommit):
    a message whose work is a read and one writing statement then costs two round trips, not four
    (psycopg's BEGIN and the COMMIT are one each). No effect on SQLite, or outside a deadline.
    """
    budget = _current.get()
    if budget is not None:
        budget.pg_begin_late = True


def need_transaction(session: Session) -> None:
    """This session's statements from here to its commit are one transaction (after `begin_when_needed()`)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection
        if raw is not None and raw.autocommit:
            raw.autocommit = False  # psycopg begins at the next statement


def _pg_socket(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)
    try:
        return int(pgconn.socket) if pgconn is not None else None
    except Exception:  # a closed connection has no socket
        return None


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, make the folder, turn on WAL and foreign keys."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return _postgres_engine(url)


class _SQLiteConnection(sqlite3.Connection):
    """pysqlite's connection, which gives back this process's turn at the write lock (if it holds it)
    once its transaction has ended: after the COMMIT or ROLLBACK has run, not before."""

    _turn: threading.Lock | None = None
    _shared_fd: int | None = None
    _checkpointer: _Checkpointer | None = None

    def take_turn(self, turn: threading.Lock, timeout: float, shared: _WritersLock | None = None) -> bool:
        """Wait up to `timeout` seconds for this process's turn to write, then for the workers' shared lock
        file (if any); True once the turn is this connection's."""
        if self._turn is not None:
            return True
        if not turn.acquire(timeout=timeout):
            return False
        self._turn = turn
        if shared is not None:
            try:
                self._shared_fd = shared.acquire()
            except BaseException:
                self._end_turn()
                raise
        return True

    def _end_turn(self) -> None:
        turn, self._turn = self._turn, None
        fd, self._shared_fd = self._shared_fd, None
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            if turn is not None:
                turn.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._end_turn()
        if self._checkpointer is not None:
            self._checkpointer.committed()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._end_turn()


class _WritersLock:
    """The lock file the processes writing to one SQLite database under a deadline take in turn.

    Opened once per process (a descriptor inherited across a fork would share its lock with the
    parent); `acquire` blocks in the kernel until the holder lets go, which it does at its commit
    or rollback (or by dying). Only the thread holding its process's turn waits here.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self._pid = 0
        self._open = threading.Lock()

    def _descriptor(self) -> int:
        with self._open:
            if self._fd is None or self._pid != os.getpid():
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                self._pid = os.getpid()
            return self._fd

    def acquire(self) -> int:
        """Wait for the lock file; the descriptor to unlock."""
        fd = self._descriptor()
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd


class _Checkpointer:
    """Folds one SQLite database's write-ahead log back into the file, in a thread of its own.

    SQLite's automatic checkpoint runs inside the COMMIT that takes the log past its limit, fsyncs and
    all, so that writer would still hold its process's turn and the workers' lock file while the disk
    works, and every other message would wait for it. The engine's connections turn it off; every
    `CHECKPOINT_EVERY_COMMITS` commits this process wakes a thread that runs a PASSIVE checkpoint on a
    connection of its own, which never takes the write lock, so writers carry on meanwhile. (Any
    process's checkpoint folds in every process's commits; the last connection to close folds in the rest.)
    """

    def __init__(self, database: str):
        self.database = database
        self.runs = 0  # checkpoints this process has run
        self._commits = 0
        self._wake = threading.Event()
        self._pid = 0

    def committed(self) -> None:
        """A connection of this process has committed a transaction."""
        self._commits += 1  # not exact across threads, and need not be
        if self._commits % CHECKPOINT_EVERY_COMMITS:
            return
        if self._pid != os.getpid():  # first use in this process (a forked worker has none of its parent's threads)
            self._pid = os.getpid()
            self._wake = threading.Event()
            threading.Thread(target=self._run, name="voice-sqlite-checkpoint", daemon=True).start()
        self._wake.set()

    def _run(self) -> None:
        wake = self._wake
        connection = sqlite3.connect(self.database, timeout=SQLITE_BUSY_MS / 1000, isolation_level=None)
        try:
            while True:
                wake.wait()
                wake.clear()
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as error:  # tried again after the next commits
                    log.warning("SQLite checkpoint failed (%s)", type(error).__name__)
                self.runs += 1
        finally:
            connection.close()


_checkpointers: dict[str, _Checkpointer] = {}  # database path -> its checkpointer, one per process


def writers_lock_path(database_path: str | Path) -> Path:
    """The lock file beside an SQLite database that its deadline writers (the web workers) share."""
    return Path(f"{database_path}-writers.lock")


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    shared: _WritersLock | None = None
    checkpointer: _Checkpointer | None = None
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not path.startswith("file:") and "?" not in path:
            shared = _WritersLock(writers_lock_path(path))
            database = str(Path(path).resolve())
            checkpointer = _checkpointers.setdefault(database, _Checkpointer(database))
    # hide_parameters: a logged SQL error must not carry message text or phone hashes.
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000, "factory": _SQLiteConnection},
        hide_parameters=True,
        pool_size=POOL_SIZE,
    )
    # This process's writers under a deadline take turns at SQLite's write lock through this: the next one
    # is woken the moment a commit ends, where SQLite's own wait sleeps 1, 2, 5, 10... ms between tries.
    turn = threading.Lock()

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # We say when a transaction begins (below), not pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets the web workers read while the scheduler writes; NORMAL syncs at checkpoints rather than
        # on every commit (a power cut may lose the last commits, never corrupt the file).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        if checkpointer is not None and isinstance(dbapi_connection, _SQLiteConnection):
            # Checkpoints run in the checkpointer's thread, never inside a writer's COMMIT.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
            dbapi_connection._checkpointer = checkpointer
        cursor.close()

    @event.listens_for(engine, "checkout")
    def _watch(dbapi_connection, record, _proxy):
        budget = _current.get()
        if budget is not None:
            budget.watch(dbapi_connection, record.info)

    @event.listens_for(engine, "checkin")
    def _release(dbapi_connection, _record):
        budget = _current.get()
        if budget is not None:
            budget.release(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection):
        if LEAN_BEGUN in vars(connection):
            return
        budget = _current.get()
        info = connection.connection.info  # lives as long as the DBAPI connection
        if budget is None:
            if info.get("busy_ms", SQLITE_BUSY_MS) != SQLITE_BUSY_MS:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
                info["busy_ms"] = SQLITE_BUSY_MS
            # A deferred BEGIN lets two writers deadlock on upgrade; ordinary work takes the write lock up front.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        if not budget.sqlite_immediate:
            # Deferred: no lock until the first write; a refused upgrade is retried by `retrying()`, then immediate.
            _busy_timeout(connection, info, budget)
            connection.exec_driver_sql("BEGIN")
            return
        raw = connection.connection.dbapi_connection
        if isinstance(raw, _SQLiteConnection) and not raw.take_turn(turn, budget.remaining(), shared):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        try:
            _busy_timeout(connection, info, budget)
            # On the driver's connection: nothing to compile or wrap in a result, once per inbound message.
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if isinstance(raw, _SQLiteConnection):
                raw._end_turn()
            raise OperationalError("BEGIN IMMEDIATE", None, error) from error
        except BaseException:
            if isinstance(raw, _SQLiteConnection):
                raw._end_turn()
            raise

    return engine


def _busy_timeout(connection, info: dict, budget: Deadline) -> None:
    """SQLite waits for its lock at most what is left of the budget, rounded down to a step of
    `SQLITE_BUSY_STEP_MS` (under one step, to the millisecond): set, on the driver's connection, only when
    a transaction finds a different step from the last one's, not whenever what went before it took a
    little longer (which, with the workers queueing for their turn, was most messages)."""
    left = max(1, int(budget.remaining() * 1000))
    busy_ms = left if left < SQLITE_BUSY_STEP_MS else left - left % SQLITE_BUSY_STEP_MS
    if info.get("busy_ms", SQLITE_BUSY_MS) != busy_ms:
        connection.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}")
        info["busy_ms"] = busy_ms


def _postgres_engine(url: str) -> Engine:
    engine = create_engine(
        url, pool_recycle=POOL_RECYCLE_SECONDS, pool_pre_ping=False, hide_parameters=True, pool_size=POOL_SIZE
    )

    @event.listens_for(engine, "do_connect")
    def _connect_timeout(_dialect, _record, _cargs, cparams):
        budget = _current.get()
        if budget is not None:
            cparams["connect_timeout"] = max(PG_MIN_CONNECT_TIMEOUT, math.ceil(budget.remaining()))
        else:
            cparams.setdefault("connect_timeout", 10)
        for name, value in PG_TCP_SETTINGS.items():
            cparams.setdefault(name, value)

    @event.listens_for(engine, "checkout")
    def _watch(dbapi_connection, record, _proxy):
        if record.info.pop(_CUT, False):
            raise DisconnectionError("the connection was cut at a deadline")  # the pool opens a new one
        budget = _current.get()
        if budget is not None:
            budget.watch(dbapi_connection, record.info)

    @event.listens_for(engine, "checkin")
    def _release(dbapi_connection, _record):
        budget = _current.get()
        if budget is not None:
            budget.release(dbapi_connection)
        # Work begun late (`begin_when_needed`) may leave autocommit on: the next user gets transactions again.
        if dbapi_connection is not None and dbapi_connection.autocommit and not dbapi_connection.closed:
            dbapi_connection.autocommit = False

    @event.listens_for(engine, "begin")
    def _timeouts(connection):
        # Each statement and lock wait is cut at the whole budget; the watchdog ends the block at its deadline.
        # Set for the session and remembered, so a pooled connection that keeps doing deadline work (most of a
        # web worker's) is not sent it again on every transaction; ordinary work on it gets the defaults back.
        if LEAN_BEGUN in vars(connection):
            return
        budget = _current.get()
        raw = connection.connection.dbapi_connection
        if budget is not None and budget.pg_begin_late:
            # Idle at this point (a pooled connection is rolled back when it comes back), so this is allowed.
            raw.autocommit = True
        info = connection.connection.info
        wanted = str(max(1, int(budget.seconds * 1000))) if budget is not None else None
        if info.get("pg_timeouts") == wanted:
            return
        # Set outside a transaction (autocommit) they hold at once; inside one, only once it commits.
        info["pg_timeouts_pending"] = not raw.autocommit
        if wanted is None:
            connection.exec_driver_sql(
                "SELECT set_config(name, reset_val, false) FROM pg_settings "
                "WHERE name IN ('statement_timeout', 'lock_timeout')"
            )
        else:
            connection.exec_driver_sql(
                "SELECT set_config('statement_timeout', %(ms)s, false), set_config('lock_timeout', %(ms)s, false)",
                {"ms": wanted},
            )
        info["pg_timeouts"] = wanted

    @event.listens_for(engine, "commit")
    def _keep_timeouts(connection):
        if not connection.invalidated:
            connection.connection.info["pg_timeouts_pending"] = False

    @event.listens_for(engine, "rollback")
    def _forget_timeouts(connection):
        # A setting made in a transaction that is rolled back is undone with it: the connection's timeouts are
        # unknown now, so the next transaction sets them (or the defaults) again. One made outside a transaction
        # (work begun late, `begin_when_needed`) or in one that committed stays: a duplicate text's rollback
        # does not cost its next transaction a round trip.
        # A connection the deadline cut (or found dead) is invalidated: it has no settings to forget, and asking
        # for `connection.connection` there would raise PendingRollbackError out of this rollback, in place of
        # the error that cut it (and leave the transaction to be rolled back by nobody).
        if connection.invalidated:
            return
        info = connection.connection.info
        if info.get("pg_timeouts_pending", True):
            info["pg_timeouts"], info["pg_timeouts_pending"] = "unknown", False

    return engine


def is_sqlite(engine: Engine) -> bool:
    """True for the embedded SQLite database."""
    return engine.dialect.name == "sqlite"


def _sqlite_lock_error(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


def retryable(error: BaseException) -> bool:
    """True when running the same transaction again may succeed: a dead pooled connection, SQLite's refused
    lock upgrade, or a PostgreSQL serialization failure or deadlock."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if _sqlite_lock_error(error):
        return True
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return code in PG_RETRYABLE_CODES


class DatabaseSuspect(Exception):
    """Raised instead of trying the database: it has just failed to take work, and another piece of work is
    finding out whether it is back (`spool.guard.InboundDeadline`). `unavailable` is true of it."""


def unavailable(error: BaseException) -> bool:
    """True when the database could not take the work (down, frozen, locked, full, timed out, or just failed and
    not tried again yet: `DatabaseSuspect`): not a bug."""
    return isinstance(error, OperationalError | PoolTimeout | DatabaseSuspect) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def retrying(work: Callable[[], T], *, seconds: float, attempts: int = 20) -> T:
    """Run `work` (one whole transaction) within a deadline of `seconds`, again while `retryable` says so.

    The last error is raised when the budget or the attempts run out; `unavailable(error)` then tells
    the caller the database could not take it.
    """
    with deadline(seconds) as budget:
        for attempt in range(attempts):
            try:
                return work()
            except (DBAPIError, PoolTimeout) as error:
                if attempt + 1 >= attempts or budget.remaining() <= 0 or budget.expired or not retryable(error):
                    raise
                if _sqlite_lock_error(error):
                    budget.sqlite_immediate = True
                # Back off, jittered (a refused upgrade means someone else is writing right now).
                time.sleep(min(budget.remaining(), random.uniform(0.5, 1.0) * min(0.1, 0.002 * 2**attempt)))
    raise AssertionError("unreachable")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str):
    """An Alembic config pointing at this package's migrations and the given database."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def check_database(engine: Engine, *, seconds: float = 3.0) -> bool:
    """True when the database answers a trivial query within `seconds`. Ended by COMMIT, not the pool's
    rollback: psycopg forgets (and deallocates) every statement it prepared on a connection that rolls back,
    so a health check would leave that pooled connection's next texts running unprepared."""
    try:
        with deadline(seconds), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.commit()
        return True
    except Exception:
        return False
