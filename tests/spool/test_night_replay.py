"""Replies owed to texts spooled in a night outage, replayed in the night: what waits for the morning and what not.

The young person had the holding reply at the time. What a council expects of the rest (trial2 finding F8):
a survey's next question waits for `[schedule] reply_hours`, like any reply that is not urgent (no texts in
the night), while help never waits: the answer to HELP or to asking for a person, and anything to a young
person whose safeguarding alert is live (the acknowledgement of a disclosure). The replay runs, then a real
dispatcher sends through the fake Twilio API at 2 am and again at 8 am, council time; both databases.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import ACCOUNT_SID, SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.models import Message
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.spool import Spool
from voice_service.spool.guard import sms_record
from voice_service.spool.replay import replay
from voice_service.web import create_app

LONDON = ZoneInfo("Europe/London")
NEXT = "Do you feel listened to at your reviews? Reply YES or NO."
JO, SAM, ALEX, KIM = (phone_number(n) for n in (101, 102, 103, 104))


@pytest.fixture
def night_services(database_url, fake_twilio):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={"reply_hours": "08:00-21:00"},
    )
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    yield services
    services.engine.dispose()


def _spool(services, phone: str, body: str) -> str:
    """What the webhook spools while the database is away (its signature was checked as it came in)."""
    sid = f"SM{uuid.uuid4().hex}"
    form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone, "To": "+447700900000", "Body": body}
    form["NumMedia"] = "0"
    Spool.from_config(services.config).append(
        "sms", sms_record("/sms/inbound", "", [list(p) for p in form.items()], "x")
    )
    return sid


def _stored_replies(services, sid: str) -> list[str]:
    with Session(services.engine) as session:
        return session.exec(select(Message.replies).where(Message.provider_sid == sid)).scalars().one()


def _sent(fake_twilio, phone: str, since: int) -> list[str]:
    return [m["body"] for m in fake_twilio.messages[since:] if m["to"] == phone]


def test_after_a_night_outage_help_goes_at_once_and_the_next_question_in_the_morning(night_services, fake_twilio):
    services = night_services
    client = create_app(services=services).test_client()
    add_participants(services, [{"phone": JO, "first_name": "Jo"}, {"phone": SAM, "first_name": "Sam"}])
    launch(services)
    assert "How safe" in SmsPhone(client, JO).send("yes")[0]
    assert texts.is_disclosure_reply(SmsPhone(client, SAM).send("i want to kill myself")[0])  # alert live
    build_dispatcher(services, settle_seconds=0).flush()  # the invitations, before the night
    since = len(fake_twilio.messages)

    # The database is away in the night; the texts are spooled, each answered with the holding reply.
    answer = _spool(services, JO, "4")
    still_there = _spool(services, SAM, "are you still there")
    call_me = _spool(services, ALEX, "can someone call me please")
    help_ = _spool(services, KIM, "HELP")
    report = replay(services)
    assert (report.stored, report.failed, report.pending) == (4, 0, 0)
    assert _stored_replies(services, answer) == [NEXT]

    night = (datetime.now(LONDON) + timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)
    build_dispatcher(services, now=lambda: night.astimezone(UTC), settle_seconds=0).flush()
    assert _sent(fake_twilio, JO, since) == []  # the next question waits for the morning
    for phone, sid in ((SAM, still_there), (ALEX, call_me), (KIM, help_)):
        owed = _stored_replies(services, sid)
        assert owed and _sent(fake_twilio, phone, since) == owed, (phone, owed)  # help never waits

    morning = night.replace(hour=8)
    build_dispatcher(services, now=lambda: morning.astimezone(UTC), settle_seconds=0).flush()
    assert _sent(fake_twilio, JO, since) == [NEXT]
