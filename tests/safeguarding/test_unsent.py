"""Safeguarding notices that are not leaving (trial finding 6): with the web server up and no scheduler
running, an alert's notices wait in the outbox and nobody is told. `safeguarding.unsent` is the one rule
/healthz, the duty pages and `alerts list` use: which notices count, and from when. Every clock is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from voice_service.models import OutboxKind, OutboxStatus
from voice_service.outbox.queue import enqueue
from voice_service.safeguarding.unsent import SCHEDULER_COMMAND, Silence, unsent_notices

QUEUED = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _queue(session: Session, services, key: str, *, kind: str = OutboxKind.ALERT, due: datetime = QUEUED, **fields):
    row = enqueue(
        session=session,
        vault=services.vault,
        key=key,
        kind=kind,
        body="Voice Service alert #1",
        to="duty@council.test",
        channel="email",
        respect_window=kind not in OutboxKind.ALERTS,
        not_before=due,
    )
    for name, value in fields.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return row


def test_a_notice_counts_once_it_has_waited_past_the_threshold(services):
    with Session(services.engine) as session:
        _queue(session, services, "alert:1:0")
        _queue(session, services, "escalation:1:0", kind=OutboxKind.ESCALATION, due=QUEUED + MINUTE)
        session.commit()
        assert not unsent_notices(session=session, now=QUEUED + 2 * MINUTE, after_minutes=2)
        late = unsent_notices(session=session, now=QUEUED + 2 * MINUTE + timedelta(seconds=1), after_minutes=2)
        assert (late.count, late.oldest, late.minutes(QUEUED + 2 * MINUTE)) == (1, QUEUED, 2)
        later = unsent_notices(session=session, now=QUEUED + 14 * MINUTE, after_minutes=2)
        assert (later.count, later.oldest, later.minutes(QUEUED + 14 * MINUTE)) == (2, QUEUED, 14)
        assert later.health(QUEUED + 14 * MINUTE) == {
            "unsent": 2,
            "oldest_minutes": 14,
            "after_minutes": 2,
            "untried": 2,
            "failing": {},
            "working": [],
        }
        words = later.words(QUEUED + 14 * MINUTE)
        assert words.startswith(
            "Safeguarding notices are not being sent: 2 notices to the duty team have waited more than 2 minutes "
            "(the oldest 14 min). Is the scheduler running?"
        )
        assert f"`{SCHEDULER_COMMAND}`" in words
        # A longer threshold (the council's [safeguarding] unsent_notice_minutes) is kept to.
        assert not unsent_notices(session=session, now=QUEUED + 14 * MINUTE, after_minutes=15)


def test_sent_failed_survey_and_future_rows_do_not_count(services):
    with Session(services.engine) as session:
        _queue(session, services, "alert:1:0", status=OutboxStatus.SENT, sent_at=QUEUED)
        _queue(session, services, "alert:2:0", status=OutboxStatus.FAILED)  # shown on the alert as failed
        _queue(session, services, "invitation:1:1", kind=OutboxKind.INVITATION)  # a survey text, not a notice
        _queue(session, services, "alert:3:0", due=QUEUED + 60 * MINUTE)  # not due yet
        session.commit()
        assert unsent_notices(session=session, now=QUEUED + 30 * MINUTE, after_minutes=2).count == 0


def test_a_notice_being_retried_counts_from_when_it_was_queued(services):
    """A provider that keeps failing pushes each retry's due time later: the notice still has not gone."""
    with Session(services.engine) as session:
        row = _queue(session, services, "alert:1:0", due=QUEUED + 10 * MINUTE, attempts=3)
        row.created_at = QUEUED
        session.add(row)
        being_sent = _queue(session, services, "alert:2:0", due=QUEUED + 5 * MINUTE, status=OutboxStatus.SENDING)
        assert being_sent.status == OutboxStatus.SENDING
        session.commit()
        unsent = unsent_notices(session=session, now=QUEUED + 8 * MINUTE, after_minutes=2)
        assert (unsent.count, unsent.oldest) == (2, QUEUED)


def test_a_year_on_the_warnings_keep_the_year_and_read_the_wait_at_a_glance(services):
    """Trial finding: a year on, `alerts list` warned "has not run since Tue 1 Dec 14:02" (no year: read as
    this week) and "the oldest 525600 min". The day keeps its year when it is not this year's (`uk_day_time`),
    and a wait reads as the duty pages write one (`uk_duration`)."""
    a_year_on = QUEUED + timedelta(days=365)  # Wed 1 Dec 2027
    with Session(services.engine) as session:
        _queue(session, services, "alert:1:0")
        session.commit()
        unsent = unsent_notices(session=session, now=a_year_on, after_minutes=2)
    assert "has waited more than 2 minutes (the oldest 1 year). Is the scheduler" in unsent.words(a_year_on)
    assert "(the oldest 3 days)." in unsent.summary(QUEUED + timedelta(days=3, hours=5))
    london = "Europe/London"
    silence = Silence(last=QUEUED + 2 * MINUTE, after_minutes=5, silent=True)
    assert silence.words(a_year_on + 5 * MINUTE, london).startswith(
        "The scheduler has not run since Tue 1 Dec 2026 14:02 (1 year ago): no duty notice"
    )
    # This year's day has no year, as everywhere; hours and days as the duty pages write them.
    assert silence.summary(QUEUED + timedelta(days=3), london).startswith(
        "The scheduler has not run since Tue 1 Dec 14:02 (2 days ago): "
    )
    assert silence.summary(QUEUED + timedelta(hours=3), london).startswith(
        "The scheduler has not run since 14:02 (2 h 58 min ago): "
    )


def test_failing_routes_are_named_and_nobody_told_is_said_only_when_none_is_going(services):
    """Trial 13, T13-6: the warning names each failing route, how often and why; with none going, it says nobody
    is told meanwhile; with the scheduler's heartbeat fresh it does not ask whether the scheduler runs."""
    now = QUEUED + 14 * MINUTE
    with Session(services.engine) as session:
        for key, channel, attempts, error in (
            ("alert:1:0:email:1", "email", 3, "smtp SMTPConnectError"),
            ("alert:1:0:webhook:2", "webhook", 4, "webhook URLError"),
            ("alert:2:0:webhook:2", "webhook", 2, "webhook 503"),
        ):
            row = _queue(session, services, key, due=QUEUED + 20 * MINUTE, attempts=attempts, error_message=error)
            row.channel, row.created_at = channel, QUEUED
        session.commit()
        unsent = unsent_notices(session=session, now=now, after_minutes=2)
    assert unsent.summary(now) == (
        "Safeguarding notices are not being sent: the email notice has failed 3 times (smtp SMTPConnectError); "
        "the 2 webhook notices have failed up to 4 times (webhook URLError); 3 notices to the duty team have "
        "waited more than 2 minutes (the oldest 14 min); no notice has gone by any other route meanwhile."
    )
    assert unsent.title == "Notices are not being sent"
    words = unsent.words(now, scheduler_running=True)
    assert "Is the scheduler running?" not in words
    assert "[safeguarding] duty_emails and escalation_emails, and [smtp]" in words
    assert words.endswith("Until notices go, nobody is told of a new alert: keep checking the alerts page.")
    # The scheduler silent: asked about, as ever.
    assert "Is the scheduler running?" in unsent.words(now, scheduler_running=False)
