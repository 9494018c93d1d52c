"""Twilio retries a webhook with the same MessageSid: the spooled copy and the live copy are one message.

A text spooled while the database was away may come again (Twilio retries the same webhook) once it is
back, before or after the replay. Either way it is stored once and answered once: the copy handled second
sees the first, and sends nothing the young person already has or will have (trial2 finding F4).
Signed webhooks to a database another connection holds locked, then released; the replay; PostgreSQL and
SQLite.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.spool.test_deadline_cut import Blocker
from tests.support.messages import stored
from voice_service import analysis
from voice_service.context import Services
from voice_service.models import OutboxKind, OutboxMessage
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay
from voice_service.web import create_app

NEXT = "Do you feel listened to at your reviews? Reply YES or NO."


@pytest.fixture
def asked(database_url):
    """A young person who has been asked the survey's first question, a phone, and a spooled answer's sid."""
    config = make_config(database_url, spool={"deadline_seconds": 1.5})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    client = create_app(services=services).test_client()
    add_participants(services, [{"phone": phone_number(91), "first_name": "Jo"}])
    launch(services)
    phone = SmsPhone(client, phone_number(91))
    assert "How safe" in phone.send("yes")[0]
    sid = f"SM{uuid.uuid4().hex}"
    blocker = Blocker(database_url, "sqlite-lock" if database_url.startswith("sqlite") else "pg-lock")
    try:
        assert phone.send("4", sid=sid) == [HOLDING_REPLY]
    finally:
        blocker.release()
    yield services, phone, sid
    services.engine.dispose()


def _queued_replies(services) -> list[str]:
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY)).scalars()
        return [row.body for row in rows]


def test_a_retry_answered_live_before_the_replay_is_not_answered_again(asked):
    services, phone, sid = asked
    assert phone.send("4", sid=sid) == [NEXT]  # Twilio's retry, once the database is back: answered live
    report = replay(services)
    assert (report.stored, report.duplicates, report.failed, report.pending) == (0, 1, 0, 0)
    assert stored(services, sid) == 1
    assert _queued_replies(services) == []  # the next question went with the live answer, once


def test_a_retry_after_the_replay_is_not_answered_again(asked):
    services, phone, sid = asked
    report = replay(services)
    assert (report.stored, report.pending) == (1, 0)
    assert _queued_replies(services) == [NEXT]  # the reply they did not get at the time
    assert phone.send("4", sid=sid) == []  # Twilio's retry: the next question is already on its way
    assert stored(services, sid) == 1
    assert _queued_replies(services) == [NEXT]
