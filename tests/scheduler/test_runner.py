"""The scheduler process in a thread: jobs in the database's job store, the dispatcher sending, one at a time."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect, text

from tests.conftest import make_config
from tests.outbox.helpers import queue, statuses
from voice_service.context import Services
from voice_service.scheduler import AlreadyRunning, run_scheduler
from voice_service.scheduler.runner import job_specs


def test_scheduler_runs_jobs_from_the_database_and_dispatches(database_url, fake_twilio):
    config = make_config(database_url, sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url},
                         schedule={"poll_seconds": 0.05})
    services = Services.from_config(config)
    queue(services, 5)
    stop, ready = threading.Event(), threading.Event()
    errors = []

    def target():
        try:
            run_scheduler(services, stop=stop, on_ready=ready.set)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    try:
        assert ready.wait(20), errors
        with pytest.raises(AlreadyRunning):
            run_scheduler(services, stop=threading.Event())
        for _ in range(200):
            if statuses(services).get("sent") == 5:
                break
            stop.wait(0.05)
        assert statuses(services) == {"sent": 5}
        assert len(fake_twilio.messages) == 5
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    assert "apscheduler_jobs" in inspect(services.engine).get_table_names()
    with services.engine.connect() as connection:
        stored = set(connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    assert stored == {spec["id"] for spec in job_specs()}
    # Restarting keeps the stored jobs (and their next run times) rather than replacing them.
    stop2 = threading.Event()
    stop2.set()
    run_scheduler(services, stop=stop2, dispatch=False)
    services.engine.dispose()
