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
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

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


class LeanSession:
    """One transaction on a Core connection, standing in for an ORM Session on the inbound path.

    Most texts only run compiled statements on `connection()` (`voice_service/prepared.py`); an ORM
    Session's own bookkeeping around them (its transaction objects, the flush check at commit, the
    close) cost about as much CPU as the statements' own work in Python. Anything else asked of this
    (`add`, `get`, `exec` ...) goes to an ORM Session made then, on the same connection and in the same
    transaction (`join_transaction_mode="rollback_only"`: its rollback rolls the transaction back, its
    commit only flushes), so what a text writes is still one transaction, committed here.
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._connection: Connection | None = None
        self._orm: Session | None = None

    def connection(self) -> Connection:
        """The connection, in a transaction (begun now if none is open: after a rollback, a new one)."""
        connection = self._connection
        if connection is None:
            connection = self._connection = self._engine.connect()
        if not connection.in_transaction():
            connection.begin()
        return connection

    def orm(self) -> Session:
        """The ORM Session on this transaction (made on first use)."""
        if self._orm is None:
            self._orm = Session(bind=self.connection(), join_transaction_mode="rollback_only", expire_on_commit=False)
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
        if self._connection is not None and self._connection.in_transaction():
            self._connection.commit()

    def rollback(self) -> None:
        """Roll the transaction back (and what the ORM Session holds); the next statement begins a new one."""
        if self._orm is not None:
            self._orm.rollback()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()

    def close(self) -> None:
        """Give the connection back to the pool (an open transaction is rolled back)."""
        orm, self._orm = self._orm, None
        connection, self._connection = self._connection, None
        try:
            if orm is not None:
                orm.close()
        finally:
            if connection is not None:
                connection.close()
