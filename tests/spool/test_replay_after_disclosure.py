"""Texts spooled before a disclosure from the same young person: on replay, no survey text goes after it.

Trial 13, T13-4: with the database away, a young person answered "3" (the holding reply), disclosed (the help
reply at once) and sent "4" (the holding reply). The replay sent them the survey's next question, owed for "3",
and then the paused-survey reply. After a disclosure no survey text goes to them while the alert is live
(docs/conversations.md): the question is superseded. Another young person's answer spooled meanwhile still gets
its next question. The real path: signed texts to the webhook while another connection blocks the database,
the replay, then a real dispatcher through the fake Twilio API; both databases.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import make_config
from tests.factories import add_participants, launch, phone_number
from tests.spool.test_deadline_cut import Blocker, Texter, replies
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.models import Alert, Message
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.spool.guard import HOLDING_REPLY
from voice_service.spool.replay import replay
from voice_service.web import create_app

NEXT = "Do you feel listened to at your reviews? Reply YES or NO."
JO, SAM = phone_number(141), phone_number(142)


@pytest.fixture
def outage_services(database_url, fake_twilio):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        spool={"deadline_seconds": 1.0},
        schedule={"reply_hours": "00:00-24:00"},  # the hour the suite runs at decides nothing
    )
    services = Services.from_config(config)
    analysis.warm_up(services.conversations_dir)
    yield services
    services.engine.dispose()


def _stored_replies(services, sid: str) -> list[str]:
    with Session(services.engine) as session:
        return session.exec(select(Message.replies).where(Message.provider_sid == sid)).scalars().one()


@pytest.mark.parametrize(
    ("database_url", "how"), [("sqlite", "sqlite-lock"), ("postgres", "pg-lock")], indirect=["database_url"]
)
def test_an_answer_spooled_before_a_disclosure_gets_no_next_question(
    outage_services, fake_twilio, database_url, how, caplog
):
    services = outage_services
    client = create_app(services=services).test_client()
    add_participants(services, [{"phone": JO, "first_name": "Jo"}, {"phone": SAM, "first_name": "Sam"}])
    launch(services)
    jo, sam = Texter(client, JO), Texter(client, SAM)
    for texter in (jo, sam):
        status, body, _ = texter.send("yes")
        assert status == 200 and "How safe" in replies(body)[0]
    build_dispatcher(services, settle_seconds=0).flush()  # the invitations
    since = len(fake_twilio.messages)

    blocker = Blocker(database_url, how)
    try:
        sent = [jo.send("3"), jo.send("my uncle said he will hurt me if i tell anyone what happens"), jo.send("4")]
        sent.append(sam.send("3"))
    finally:
        blocker.release()
    answered = [replies(body) for _, body, _ in sent]
    assert answered[0] == answered[2] == answered[3] == [HOLDING_REPLY]
    assert texts.is_disclosure_reply(answered[1][0]) and len(answered[1]) == 1  # the help reply, alone
    jo_three, _, jo_four, sam_three = (sid for _, _, sid in sent)
    # No duty route hears of the disclosure until the replay (T13-5): /healthz counts it, and an ERROR line says so
    # without a word of it or the number.
    assert client.get("/healthz").get_json()["spool"] == {"pending": 4, "failed": 0, "worrying": 1, "unwarned": 1}
    [said] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "worrying" in said and JO not in said and "uncle" not in said

    report = replay(services)
    assert (report.stored, report.failed, report.pending) == (4, 0, 0)
    assert _stored_replies(services, jo_three) == [NEXT]  # the conversation as the engine answered it
    with Session(services.engine) as session:
        assert len(session.exec(select(Alert)).scalars().all()) == 1
    assert client.get("/healthz").get_json()["spool"] == {"pending": 0, "failed": 0, "worrying": 0, "unwarned": 0}

    build_dispatcher(services, settle_seconds=0).flush()
    to_jo = [m["body"] for m in fake_twilio.messages[since:] if m["to"] == JO]
    # Only what "4" is owed, said while the alert is live (the survey is paused): never the next question.
    assert NEXT not in to_jo
    assert to_jo == _stored_replies(services, jo_four) and to_jo, to_jo
    assert all("Reply YES" not in body for body in to_jo)
    # Sam disclosed nothing: the answer spooled in the same outage is owed, and gets, the next question.
    assert [m["body"] for m in fake_twilio.messages[since:] if m["to"] == SAM] == [NEXT]
    assert _stored_replies(services, sam_three) == [NEXT]
