"""The scheduler's jobs with a controlled clock: alert re-notification and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tests.conftest import make_config
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Alert, AlertStatus, Message, OutboxMessage, OutboxStatus, Participant, Response
from voice_service.safeguarding.alerts import raise_alert
from voice_service.scheduler import jobs
from voice_service.scheduler.retention import purge_expired


def _alert(services, created: datetime) -> int:
    with session_scope(services.engine) as session:
        message = Message(direction="in", channel="sms", body="something worrying", created_at=created)
        session.add(message)
        session.flush()
        alert = raise_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=None,
            categories=("self_harm",),
        )
        alert.created_at = created
        return alert.id


def _went(services) -> None:
    """Every notice still waiting went when it fell due, as the outbox would send it (the reminder clock runs
    from then: trial finding T9)."""
    with session_scope(services.engine) as session:
        for row in session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)).all():
            row.status, row.sent_at = OutboxStatus.SENT, row.not_before
            session.add(row)


def test_unacknowledged_alerts_are_renotified_through_every_route(database_url):
    config = make_config(
        database_url,
        safeguarding={
            "duty_phones": ["+447700900555"],
            "duty_emails": ["duty@council.test"],
            "webhook_url": "http://127.0.0.1:9/hook",
            "renotify_minutes": 30,
        },
    )
    services = Services.from_config(config)
    created = datetime.now(UTC)
    alert_id = _alert(services, created)
    _went(services)
    assert jobs.renotify_alerts(services, now=created + timedelta(minutes=29)) == 0
    assert jobs.renotify_alerts(services, now=created + timedelta(minutes=31)) == 1
    _went(services)
    assert jobs.renotify_alerts(services, now=created + timedelta(minutes=40)) == 0
    assert jobs.renotify_alerts(services, now=created + timedelta(minutes=62)) == 1
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        keys = sorted(row.key for row in session.exec(select(OutboxMessage)).all())
        assert alert.notified_count == 2 and alert.last_notified_at == created + timedelta(minutes=62)
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, created, "duty"
        session.add(alert)
        session.commit()
    assert [k.split(":")[2] for k in keys] == ["0"] * 3 + ["1"] * 3 + ["2"] * 3
    assert {k.split(":")[3] for k in keys} == {"sms", "email", "webhook"}
    assert jobs.renotify_alerts(services, now=created + timedelta(hours=5)) == 0
    services.engine.dispose()


def test_retention_deletes_old_messages_and_answer_text_but_keeps_alert_evidence(services):
    now = datetime.now(UTC)
    old, recent = now - timedelta(days=800), now - timedelta(days=10)
    with session_scope(services.engine) as session:
        participant = Participant(first_name="Sam")
        session.add(participant)
        session.flush()
        messages = [
            Message(direction="in", body=f"m{i}", participant_id=participant.id, created_at=when)
            for i, when in enumerate((old, old, recent))
        ]
        session.add_all(messages)
        session.flush()
        for message in messages:
            session.add(
                Response(
                    participant_id=participant.id, message_id=message.id, answer="x", created_at=message.created_at
                )
            )
        session.add(Alert(message_id=messages[1].id, excerpt="kept", created_at=old))
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=730, now=now)
    assert (report.responses, report.messages) == (2, 1)
    with Session(services.engine) as session:
        assert sorted(m.body for m in session.exec(select(Message)).all()) == ["m1", "m2"]
        # Answers stay, counted, without their words (tests/privacy/test_retention.py has the rest).
        assert sorted(r.answer for r in session.exec(select(Response)).all()) == ["", "", "x"]


def test_the_retention_job_uses_the_configured_period(services):
    result = jobs.purge_old_data(services)
    assert result is not None
