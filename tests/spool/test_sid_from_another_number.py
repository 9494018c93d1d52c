"""The spool's replay applies the webhook's rule on a MessageSid already stored from another number (trial 8, H4).

Two signed webhooks with one MessageSid, from two numbers, spooled while the database was away: the
first is stored; the second is not stored as a message, not counted as a retry of the first, and gets
none of the first sender's replies. It is marked failed for a person (it stays in the spool), and,
since it is worrying and its sender had the help reply, an alert is raised without it (as for any
record that cannot be stored). The same rule holds when the conflicting copy comes live after the
replay: 409. PostgreSQL and SQLite.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from tests.spool.test_deadline_cut import Blocker
from tests.support.messages import stored
from voice_service import analysis
from voice_service.context import Services
from voice_service.models import Alert, Message, OutboxKind, OutboxMessage, Participant
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import UNSTORED_REASON, replay
from voice_service.spool.store import Spool
from voice_service.web import create_app


@pytest.fixture
def spooled(database_url):
    """Two texts with one MessageSid from two numbers (the second worrying), spooled; their phones and the sid."""
    config = make_config(database_url, spool={"deadline_seconds": 1.5})
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    client = create_app(services=services).test_client()
    add_participants(services, [{"phone": phone_number(81)}])
    first, second = SmsPhone(client, phone_number(81)), SmsPhone(client, phone_number(82))
    sid = f"SM{uuid.uuid4().hex}"
    blocker = Blocker(database_url, "sqlite-lock" if database_url.startswith("sqlite") else "pg-lock")
    try:
        assert first.send("wifi at my placement is rubbish", sid=sid) == [HOLDING_REPLY]
        help_reply = second.send("i want to kill myself", sid=sid)
        assert help_reply != [HOLDING_REPLY]  # the screen found it: the help reply, at once
    finally:
        blocker.release()
    yield services, first, second, sid
    services.engine.dispose()


def test_the_replay_stores_the_first_and_refuses_the_second(spooled, caplog):
    services, first, second, sid = spooled
    caplog.set_level(logging.INFO)
    report = replay(services)
    assert (report.stored, report.duplicates, report.failed, report.alerts) == (1, 0, 1, 1)
    assert stored(services, sid) == 1
    with Session(services.engine) as session:
        message = session.exec(select(Message).where(Message.provider_sid == sid)).scalars().one()
        assert message.body == "wifi at my placement is rubbish"
        # The second number has no participant made for it, and nothing of the first's is queued for anyone else.
        assert len(session.exec(select(Participant)).scalars().all()) == 1
        owed = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY)).scalars().all()
        assert {row.participant_id for row in owed} <= {message.participant_id}
        alert = session.exec(select(Alert)).scalars().one()
        assert alert.message_id is None and UNSTORED_REASON in alert.reasons
    assert any("could not be replayed (TakenSid)" in record.getMessage() for record in caplog.records)
    # Kept for a person, not retried in a loop, and the first text is done.
    assert len(Spool.from_config(services.config).pending(retry_failed=True)) == 1
    assert Spool.from_config(services.config).pending() == []


def test_a_live_copy_from_another_number_after_the_replay_is_refused(spooled):
    services, first, second, sid = spooled
    replay(services)
    second.send("i want to kill myself", sid=sid, expect=409)
    assert stored(services, sid) == 1
