"""A spooled message keeps the time it arrived: the replay stores it, and what it causes, at that time.

The record is true: a survey answer that came in while the database was away was answered then, not when
the replay ran, and a disclosure was made then (its alert raised then: the duty team reads how long the
young person has waited), while the alert's notices are recorded as queued when they were (the replay).
Signed webhooks and the chat's API, to a database another connection holds locked, then the replay.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.spool.test_deadline_cut import Blocker
from tests.web.test_chat_api import ChatUser
from voice_service import analysis
from voice_service.context import Services
from voice_service.models import Alert, Direction, Message, Response, utcnow
from voice_service.models.base import as_utc
from voice_service.spool import Spool
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay
from voice_service.web import create_app

DEADLINE = 1.5


@pytest.fixture
def held(database_url):
    """Services with a short deadline, a test client, and a way to send while the database is locked."""
    config = make_config(database_url, spool={"deadline_seconds": DEADLINE})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    client = create_app(services=services).test_client()
    yield services, client, ("sqlite-lock" if database_url.startswith("sqlite") else "pg-lock")
    services.engine.dispose()


def _arrived(services) -> dict[str, datetime]:
    """When each spooled message arrived, by its text (the spool's own record)."""
    records, _ = Spool.from_config(services.config).records()
    return {record.text: record.received_at for record in records}


def _inbound(session: Session, body: str) -> Message:
    return session.exec(select(Message).where(Message.body == body, Message.direction == Direction.IN)).scalars().one()


def test_a_replayed_text_and_chat_message_keep_the_time_they_arrived(held, database_url):
    services, client, how = held
    add_participants(services, [{"phone": phone_number(81), "first_name": "Jo"}])
    launch(services)
    phone = SmsPhone(client, phone_number(81))
    assert "How safe" in phone.send("yes")[0]
    worried = SmsPhone(client, phone_number(82))
    chat = ChatUser(client)
    chat.start()

    blocker = Blocker(database_url, how)
    try:
        assert phone.send("4", sid=f"SM{uuid.uuid4().hex}") == [HOLDING_REPLY]
        assert worried.send("i want to kill myself") != [HOLDING_REPLY]  # the help reply
        assert chat.say("Yes", expect=202)["held"]
    finally:
        blocker.release()
    arrived = _arrived(services)
    assert set(arrived) == {"4", "i want to kill myself", "Yes"}

    replayed_from = utcnow()
    report = replay(services)
    assert (report.stored, report.failed, report.pending) == (3, 0, 0)
    with Session(services.engine) as session:
        answer = _inbound(session, "4")
        assert as_utc(answer.created_at) == arrived["4"]
        (response,) = session.exec(select(Response).where(Response.answer == "4")).scalars()
        assert as_utc(response.created_at) == arrived["4"]  # answered when they answered
        disclosure = _inbound(session, "i want to kill myself")
        assert as_utc(disclosure.created_at) == arrived["i want to kill myself"]
        alert = session.exec(select(Alert)).scalars().one()
        # Raised when they disclosed (its wait counts from then), notified when its notices were queued.
        assert as_utc(alert.created_at) == arrived["i want to kill myself"]
        assert as_utc(alert.last_message_at) == arrived["i want to kill myself"]
        assert as_utc(alert.last_notified_at) >= replayed_from
        said = _inbound(session, "Yes")
        assert said.channel == "webchat" and as_utc(said.created_at) == arrived["Yes"]
    # The chat shows the replayed message (a transcript read by id, and since the chat began).
    transcript = client.get(f"/api/chat/sessions/{chat.session}").get_json()["messages"]
    assert "Yes" in [m["text"] for m in transcript if m["from"] == "you"]
