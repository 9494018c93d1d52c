"""The scheduler's heartbeat: written on each pass of `voice-service scheduler`'s loop, by the clock it is given,
and read as "silent" once older than `[safeguarding] scheduler_silent_minutes` (or missing: never run here)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tests.conftest import make_config
from voice_service.context import Services
from voice_service.models import SchedulerHeartbeat
from voice_service.safeguarding.unsent import scheduler_silence
from voice_service.scheduler import run_scheduler
from voice_service.scheduler.heartbeat import Heartbeat, record_heartbeat

DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}  # a duty route that needs no mail server
# A Monday in March, London on GMT: 14:05 there is 14:05 UTC.
BEAT = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)


def _beats(services) -> list[datetime]:
    with Session(services.engine) as session:
        return [row.beat_at for row in session.exec(select(SchedulerHeartbeat)).all()]


def test_the_scheduler_beats_on_each_pass_by_its_own_clock(database_url):
    services = Services.from_config(make_config(database_url, schedule={"poll_seconds": 0.01}, safeguarding=DUTY))
    assert _beats(services) == []
    clock = [BEAT]
    calls, called = [0], threading.Condition()

    def now() -> datetime:
        with called:
            calls[0] += 1
            called.notify_all()
        return clock[0]

    stop, ready, errors = threading.Event(), threading.Event(), []

    def target():
        try:
            run_scheduler(services, stop=stop, dispatch=False, on_ready=ready.set, now=now)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    try:
        assert ready.wait(20), errors
        # Written before the scheduler says it is ready: a server beside it is quiet from the start.
        assert _beats(services) == [BEAT]
        clock[0] = BEAT + timedelta(minutes=3)
        # Two more passes: the first reads the new time, and has written it before the second begins.
        with called:
            wanted = calls[0] + 2
            assert called.wait_for(lambda: calls[0] >= wanted, timeout=20)
        assert _beats(services) == [BEAT + timedelta(minutes=3)]  # still one row
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    services.engine.dispose()


def test_silent_past_the_limit_or_never_run(database_url):
    services = Services.from_config(make_config(database_url))
    london = "Europe/London"
    with Session(services.engine) as session:
        never = scheduler_silence(session=session, now=BEAT, after_minutes=5)
    assert never and never.health(BEAT) == {"last_run_minutes": None, "after_minutes": 5}
    assert never.summary(BEAT, london).startswith("The scheduler has never run on this database:")

    record_heartbeat(services.engine, BEAT)
    record_heartbeat(services.engine, BEAT)  # once more: updated, not a second row
    with Session(services.engine) as session:
        fresh = scheduler_silence(session=session, now=BEAT + timedelta(minutes=5), after_minutes=5)
        late = scheduler_silence(session=session, now=BEAT + timedelta(minutes=23), after_minutes=5)
        next_day = scheduler_silence(session=session, now=BEAT + timedelta(days=1), after_minutes=5)
    assert not fresh and fresh.summary(BEAT, london) == "" and fresh.words(BEAT, london) == ""
    assert late and late.health(BEAT + timedelta(minutes=23)) == {"last_run_minutes": 23, "after_minutes": 5}
    assert late.summary(BEAT + timedelta(minutes=23), london) == (
        "The scheduler has not run since 14:05 (23 min ago): "
        "no duty notice, escalation, round text or reply is being sent."
    )
    assert late.words(BEAT + timedelta(minutes=23), london).endswith("keep checking the alerts page.")
    assert "`voice-service scheduler`" in late.words(BEAT + timedelta(minutes=23), london)
    # Summer time and another day: the council's clock, with the day.
    assert next_day.summary(BEAT + timedelta(days=1), london).startswith(
        "The scheduler has not run since Mon 2 Mar 14:05"
    )
    summer = datetime(2026, 7, 6, 13, 5, tzinfo=UTC)
    record_heartbeat(services.engine, summer)
    with Session(services.engine) as session:
        bst = scheduler_silence(session=session, now=summer + timedelta(minutes=10), after_minutes=5)
    assert bst.summary(summer + timedelta(minutes=10), london).startswith("The scheduler has not run since 14:05 (10")
    services.engine.dispose()


def test_a_heartbeat_is_written_at_most_once_a_poll_and_a_failure_only_logged(database_url, caplog):
    from sqlalchemy import text

    services = Services.from_config(make_config(database_url))
    clock = [BEAT]
    heartbeat = Heartbeat(services.engine, now=lambda: clock[0], every_seconds=5)
    heartbeat.beat()
    clock[0] = BEAT + timedelta(seconds=2)
    heartbeat.beat()  # within every_seconds: not written
    assert _beats(services) == [BEAT]
    with services.engine.begin() as connection:
        connection.execute(text("DROP TABLE schedulerheartbeat"))
    clock[0] = BEAT + timedelta(seconds=10)
    heartbeat.beat()  # the scheduler carries on; the stale heartbeat says something is wrong
    assert "could not write the scheduler's heartbeat" in caplog.text
    services.engine.dispose()
