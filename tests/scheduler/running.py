"""A scheduler run in a thread against PostgreSQL, and who holds its lock: for the tests of losing the lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

from voice_service.db import normalise_url
from voice_service.scheduler import run_scheduler

DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}  # a duty route that needs no mail server
LOCK_HOLDER = text(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@dataclass
class Running:
    """The scheduler's thread, and an admin connection to ask who holds the lock or end a session."""

    thread: threading.Thread
    stop: threading.Event
    admin_url: str
    errors: list[Exception] = field(default_factory=list)

    def holder(self) -> int | None:
        """The pid of the session holding the scheduler's lock, if any."""
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                return connection.execute(LOCK_HOLDER).scalar()
        finally:
            engine.dispose()

    def terminate(self, pid: int) -> bool:
        """End a session as a restart ends it."""
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                return bool(connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar())
        finally:
            engine.dispose()

    def new_holder(self, first: int) -> int | None:
        """Wait up to 30 s (a loaded machine) for a session other than `first` to hold the lock, or for the
        scheduler to stop; the holder then, if any."""
        again = None
        for _ in range(600):
            again = self.holder()
            if (again is not None and again != first) or not self.thread.is_alive():
                break
            self.stop.wait(0.05)
        return again


@contextmanager
def scheduler_running(services, database_url: str) -> Iterator[Running]:
    """Start the scheduler in a thread (no dispatching), wait until it holds its lock, and stop it after."""
    stop, ready = threading.Event(), threading.Event()
    running: Running

    def target() -> None:
        try:
            run_scheduler(services, stop=stop, dispatch=False, on_ready=ready.set)
        except Exception as exc:  # surfaced below
            running.errors.append(exc)

    running = Running(threading.Thread(target=target), stop, normalise_url(database_url))
    running.thread.start()
    try:
        assert ready.wait(30), running.errors
        yield running
    finally:
        stop.set()
        running.thread.join(30)
    assert not running.errors
