"""The scheduler process in a thread: jobs in the database's job store, the dispatcher sending, one at a time."""

from __future__ import annotations

import threading
from datetime import UTC

import pytest
from sqlalchemy import inspect, text

from tests.conftest import make_config
from tests.outbox.helpers import queue, statuses
from voice_service.context import Services
from voice_service.scheduler import AlreadyRunning, run_scheduler
from voice_service.scheduler.runner import job_specs

# A duty route that needs no mail server (an email route needs smtp.host, which these tests do not run).
DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}


def test_scheduler_runs_jobs_from_the_database_and_dispatches(database_url, fake_twilio):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={"poll_seconds": 0.05},
        safeguarding=DUTY,
    )
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


def test_a_job_missed_during_downtime_runs_once_when_within_the_grace_time(database_url):
    from datetime import datetime, timedelta

    from sqlmodel import Session

    from tests.factories import SMALL_SURVEY, add_participants, phone_number, small_survey
    from voice_service.db import session_scope
    from voice_service.models import Round, RoundStatus
    from voice_service.rounds.launch import Cohort, launch_round
    from voice_service.scheduler.runner import build_scheduler

    config = make_config(database_url, schedule={"poll_seconds": 0.05, "misfire_grace_minutes": 60}, safeguarding=DUTY)
    services = Services.from_config(config)
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    now = datetime.now(UTC)
    with session_scope(services.engine) as session:
        round_id = launch_round(
            session=session,
            vault=services.vault,
            survey=small_survey(),
            source=SMALL_SURVEY,
            cohort=Cohort(),
            closes_at=now + timedelta(minutes=1),
            now=now - timedelta(days=3),
        ).round.id
        session.get(Round, round_id).closes_at = now - timedelta(hours=1)
    # A previous scheduler stored the jobs, then went down before the "close" job's run 30 minutes ago.
    gone = threading.Event()
    gone.set()
    run_scheduler(services, stop=gone, dispatch=False)
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    store = SQLAlchemyJobStore(engine=services.engine, tablename="apscheduler_jobs")
    store.start(build_scheduler(services), "default")
    job = store.lookup_job("close")
    job._modify(next_run_time=now - timedelta(minutes=30))
    store.update_job(job)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=run_scheduler, args=(services,), kwargs={"stop": stop, "dispatch": False, "on_ready": ready.set}
    )
    thread.start()
    try:
        assert ready.wait(20)
        for _ in range(100):
            with Session(services.engine) as session:
                if session.get(Round, round_id).status == RoundStatus.CLOSED:
                    break
            stop.wait(0.05)
        with Session(services.engine) as session:
            assert session.get(Round, round_id).status == RoundStatus.CLOSED
    finally:
        stop.set()
        thread.join(30)
    services.engine.dispose()


def test_a_dispatcher_that_cannot_be_built_stops_with_a_clear_message(database_url, tmp_path):
    """Twilio chosen but no sender configured: a plain error before the lock or any job, not a traceback."""
    from click.testing import CliRunner

    from tests.conftest import make_config
    from voice_service.cli import main

    config = make_config(database_url)
    values = config.as_dict()
    path = tmp_path / "config.toml"
    path.write_text(
        f'[app]\nsecret_key = "{values["app"]["secret_key"]}"\n'
        'council_name = "Testshire County Council"\npublic_url = "https://voice.test"\n'
        f'[database]\nurl = "{database_url}"\n[sms]\nprovider = "twilio"\n'
        f'[twilio]\naccount_sid = "{values["twilio"]["account_sid"]}"\nauth_token = "{"x" * 32}"\n'
        f'[privacy]\nphone_key = "{values["privacy"]["phone_key"]}"\nhash_key = "{"h" * 32}"\n'
        f'[safeguarding]\nwebhook_url = "http://127.0.0.1:9/duty"\nwebhook_secret = "{"w" * 32}"\n'
    )
    result = CliRunner().invoke(main, ["--config", str(path), "scheduler"])
    assert result.exit_code == 1
    assert "refusing to start: twilio.from_number" in result.output
    assert "Traceback" not in result.output
