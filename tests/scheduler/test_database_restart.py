"""A PostgreSQL restart or failover ends the scheduler lock's session: the scheduler waits and takes the lock again.

It stopped instead (trial2 finding), with exit status 0, so nothing sent duty notices or stored the texts spooled
during the outage until someone restarted it. The lock's session is ended here as a restart ends it: the server
terminates the backend.
"""

from __future__ import annotations

import threading

import pytest

from tests.conftest import make_config
from tests.scheduler.running import DUTY, scheduler_running
from voice_service.context import Services
from voice_service.scheduler import AlreadyRunning, run_scheduler


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_scheduler_takes_its_lock_again_after_the_database_ends_its_session(database_url):
    services = Services.from_config(make_config(database_url, schedule={"poll_seconds": 0.05}, safeguarding=DUTY))
    try:
        with scheduler_running(services, database_url) as running:
            first = running.holder()
            assert first is not None
            assert running.terminate(first)
            again = running.new_holder(first)  # a new session holds it within a few passes
            assert again is not None and again != first, "the scheduler did not take its lock again"
            assert running.thread.is_alive()
            with pytest.raises(AlreadyRunning):  # held for real: a second scheduler is still refused
                run_scheduler(services, stop=threading.Event(), dispatch=False)
    finally:
        services.engine.dispose()
