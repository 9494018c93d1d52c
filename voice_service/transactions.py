"""One transaction with one retry: the answer to a concurrent writer winning a unique key.

A webhook retried by Twilio while the first is still running, a double-tapped Send, a new
number texting twice at once, or two schedulers launching the same occurrence: the loser
hits a unique constraint (IntegrityError), rolls back, and runs its work once more, when it
finds the winner's row and answers from it.

The inbound SMS path runs its transaction on a `LeanSession`: a Core connection, with an ORM
Session joined to it only when a rarer path asks for one (see the class).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from .db import LEAN_BEGUN

T = TypeVar("T")


def retry_on_conflict(engine: Engine, work: Callable[[Session], T], *, attempts: int = 2, lean: bool = False) -> T:
    """Run `work(session)` in a transaction of its own and commit; on IntegrityError roll back and run it again.

    The last attempt's IntegrityError is raised. `work` must be safe to run twice (it is in a fresh
    transaction each time, so nothing of the failed attempt remains). `lean`: the session is a
    `LeanSession` (for work that mostly runs compiled statements on `session.connection()`).
    """
    for attempt in range(1, attempts + 1):
        session = cast(Session, LeanSession(engine)) if lean else Session(engine, expire_on_commit=False)
        try:
            result = work(session)
            session.commit()
            return result
        except IntegrityError:
            session.rollback()
            if attempt == attempts:
                raise
        finally:
            session.close()
    raise ValueError("attempts must be at least 1")


class LeanConnection:
    """A pooled DB-API connection in one transaction, with what the inbound path's compiled statements use of a
    Core `Connection` (`voice_service/prepared.py`): its dialect, its pooled connection (`.connection`), the
    engine's cursor listeners (`.dispatch`), `exec_driver_sql` for the engine's begin listeners, and SQLAlchemy's
    handling of a driver's error.

    A Core Connection around each text (its pool checkout, its transaction objects, the joined event dispatch of
    its begin, commit and close) cost more of a text's CPU than its statements' own work in Python: about 0.15 ms
    on PostgreSQL. Here the connection is the pool's own (`engine.raw_connection()`): the pool's checkout and
    checkin listeners still run (the deadline's watch; a connection cut at a deadline is replaced), and so do the
    engine's `begin`, `commit` and `rollback` listeners, given this in place of a Connection (the SQLite writers'
    turn, PostgreSQL's timeouts and late begin: `db.py`). A driver's error is raised as SQLAlchemy's
    (IntegrityError, OperationalError ...) with a dead connection invalidated, and the pool with it, as a Connection
    does, so the callers' retries and the spool work as before.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect
        self.dispatch = engine.dispatch  # the engine's listeners (cursor events: `prepared._cursor_listeners`)
        self.invalidated = False
        self.began = False
        try:
            self.connection = engine.raw_connection()
        except engine.dialect.loaded_dbapi.Error as error:
            Connection._handle_dbapi_exception_noconnection(error, engine.dialect, engine)  # raises SQLAlchemy's

    def begin(self) -> None:
        """Begin a transaction: the engine's begin listeners run, as for a Connection's."""
        for listener in self.dispatch.begin:
            listener(self)
        self.began = True

    def commit(self) -> None:
        """Commit: the engine's commit listeners, then the driver's commit."""
        self._end(self.dispatch.commit, "commit")

    def rollback(self) -> None:
        """Roll back: the engine's rollback listeners, then the driver's rollback (none on a dead connection)."""
        self._end(self.dispatch.rollback, "rollback")

    def _end(self, listeners, action: str) -> None:
        """End the transaction: the engine's listeners for it, then the driver's commit or rollback (a dead
        connection has nothing to roll back), its error raised as SQLAlchemy's."""
        self.began = False
        for listener in listeners:
            listener(self)
        if self.invalidated and action == "rollback":
            return
        try:
            getattr(self.connection.dbapi_connection, action)()
        except BaseException as error:
            self._handle_dbapi_exception(error, None, None, None, None)
            raise

    def close(self) -> None:
        """Back to the pool (and its checkin listeners), a transaction still open rolled back first, as a
        Connection's close does (with the engine's rollback listeners)."""
        try:
            if self.began:
                self.rollback()
        finally:
            self.connection.close()

    def exec_driver_sql(self, statement: str, parameters: Any = None) -> None:
        """Run a statement as it is (the begin listeners' BEGIN, PRAGMA and timeouts), seen by the cursor listeners."""
        from .prepared import _cursor_listeners

        arguments = parameters if parameters is not None else ()
        cursor = self.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        before, after = _cursor_listeners(self)  # type: ignore[arg-type]
        try:
            for listener in before:
                listener(self, cursor, statement, arguments, None, False)
            cursor.execute(statement, arguments)
            for listener in after:
                listener(self, cursor, statement, arguments, None, False)
        except BaseException as error:
            self._handle_dbapi_exception(error, statement, arguments, cursor, None)
            raise
        finally:
            cursor.close()

    def _handle_dbapi_exception(self, error: BaseException, statement, parameters, cursor, _context) -> None:
        """Raise a driver's error as SQLAlchemy's, the connection (and the pool) invalidated when it is dead, as
        `Connection._handle_dbapi_exception` does; anything else is left to the caller to raise as it is."""
        dialect = self.dialect
        driver_error = isinstance(error, dialect.loaded_dbapi.Error)
        exiting = isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit))  # SQLAlchemy's exit exceptions
        dead = (
            driver_error
            and not self.invalidated
            and dialect.is_disconnect(error, self.connection.dbapi_connection, cursor)  # type: ignore[arg-type]
        ) or exiting
        if dead and not self.invalidated:
            self.invalidated = True
            if not exiting:
                self.engine.pool._invalidate(self.connection, error)  # and every connection as old as it
            if self.connection.is_valid:
                self.connection.invalidate(error)
        if driver_error:
            raise DBAPIError.instance(
                statement,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=self.engine.hide_parameters,
                connection_invalidated=dead,
                dialect=dialect,
            ) from error


class LeanSession:
    """One transaction on a pooled DB-API connection, standing in for an ORM Session on the inbound path.

    Most texts only run compiled statements on `connection()` (a `LeanConnection`: `voice_service/prepared.py`);
    an ORM Session's own bookkeeping around them (its transaction objects, the flush check at commit, the close),
    and a Core Connection's, cost about as much CPU as the statements' own work in Python. Anything else asked of
    this (`add`, `get`, `exec` ...) goes to an ORM Session made then, on a Core Connection around the same pooled
    connection, in the same transaction (`join_transaction_mode="rollback_only"`: its rollback rolls the
    transaction back, its commit only flushes), so what a text writes is still one transaction, committed here.
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lean: LeanConnection | None = None
        self._connection: Connection | None = None  # once an ORM Session was needed
        self._orm: Session | None = None

    def connection(self) -> Connection:
        """The connection, in a transaction (begun now if none is open: after a rollback, a new one)."""
        connection = self._connection
        if connection is not None:
            if not connection.in_transaction():
                connection.begin()
            return connection
        lean = self._lean
        if lean is None:
            lean = self._lean = LeanConnection(self._engine)
        if not lean.began:
            lean.begin()
        return cast(Connection, lean)

    def _core(self) -> Connection:
        """A Core Connection on this session's pooled connection and transaction (made on first use)."""
        if self._connection is None:
            lean, self._lean = self._lean, None
            if lean is None or lean.invalidated:
                if lean is not None:
                    lean.close()
                self._connection = self._engine.connect()
            else:
                connection = self._connection = Connection(self._engine, connection=lean.connection)
                if lean.began:
                    # Begun already (its begin listeners have run): the Connection takes the transaction on.
                    connection.__dict__[LEAN_BEGUN] = True
                    try:
                        connection.begin()
                    finally:
                        del connection.__dict__[LEAN_BEGUN]
        return self._connection

    def orm(self) -> Session:
        """The ORM Session on this transaction (made on first use)."""
        if self._orm is None:
            connection = self._core()
            if not connection.in_transaction():
                connection.begin()
            self._orm = Session(bind=connection, join_transaction_mode="rollback_only", expire_on_commit=False)
        return self._orm

    def __getattr__(self, name: str) -> Any:
        return getattr(self.orm(), name)

    @property
    def new(self) -> Any:
        """Objects added and not yet flushed (none while no ORM Session was needed)."""
        return self._orm.new if self._orm is not None else ()

    @property
    def dirty(self) -> Any:
        """Objects changed and not yet flushed (none while no ORM Session was needed)."""
        return self._orm.dirty if self._orm is not None else ()

    def flush(self) -> None:
        """Flush what the ORM Session holds, if there is one."""
        if self._orm is not None:
            self._orm.flush()

    def commit(self) -> None:
        """Flush what the ORM holds, then commit the transaction."""
        if self._orm is not None:
            self._orm.commit()  # flushes; the transaction is the connection's, committed below
        if self._connection is not None:
            if self._connection.in_transaction():
                self._connection.commit()
        elif self._lean is not None and self._lean.began:
            self._lean.commit()

    def rollback(self) -> None:
        """Roll the transaction back (and what the ORM Session holds); the next statement begins a new one."""
        if self._orm is not None:
            self._orm.rollback()
        if self._connection is not None:
            if self._connection.in_transaction():
                self._connection.rollback()
        elif self._lean is not None and self._lean.began:
            self._lean.rollback()

    def close(self) -> None:
        """Give the connection back to the pool (an open transaction is rolled back)."""
        orm, self._orm = self._orm, None
        connection, self._connection = self._connection, None
        lean, self._lean = self._lean, None
        try:
            if orm is not None:
                orm.close()
        finally:
            if connection is not None:
                connection.close()
            if lean is not None:
                lean.close()
