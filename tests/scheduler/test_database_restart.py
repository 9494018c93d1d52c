"""A PostgreSQL restart or failover ends the scheduler lock's session: the scheduler waits and takes the lock again.

It stopped instead (trial2 finding), with exit status 0, so nothing sent duty notices or stored the texts spooled
during the outage until someone restarted it. The lock's session is ended here as a restart ends it: the server
terminates the backend.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import make_config
from voice_service.context import Services
from voice_service.db import normalise_url
from voice_service.scheduler import AlreadyRunning, run_scheduler

DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}  # a duty route that needs no mail server
LOCK_HOLDER = text(
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_scheduler_takes_its_lock_again_after_the_database_ends_its_session(database_url):
    services = Services.from_config(make_config(database_url, schedule={"poll_seconds": 0.05}, safeguarding=DUTY))
    admin = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
    stop, ready, errors = threading.Event(), threading.Event(), []

    def target():
        try:
            run_scheduler(services, stop=stop, dispatch=False, on_ready=ready.set)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    def holder() -> int | None:
        with admin.connect() as connection:
            return connection.execute(LOCK_HOLDER).scalar()

    thread = threading.Thread(target=target)
    thread.start()
    try:
        assert ready.wait(30), errors
        first = holder()
        assert first is not None
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
        again = None
        for _ in range(600):  # up to 30 s on a loaded machine; a new session holds it within a few passes
            again = holder()
            if again is not None and again != first:
                break
            stop.wait(0.05)
        assert again is not None and again != first, "the scheduler did not take its lock again"
        assert thread.is_alive()
        with pytest.raises(AlreadyRunning):  # held for real: a second scheduler is still refused
            run_scheduler(services, stop=threading.Event(), dispatch=False)
    finally:
        stop.set()
        thread.join(30)
        admin.dispose()
        services.engine.dispose()
    assert not errors
