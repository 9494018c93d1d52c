"""STOP stops surveys, not being heard: a young person who opted out and then asks for a person ("can someone
call me about my placement") is flagged for a worker (`Message.wants_person`, the inbox's "wants a person"), and
answered, exactly as anyone else asking is. Before, the opted-out branch kept the words as a plain text-in, and the
request never showed as one. Screening still runs on their words. Through the inbound path on a passed-in clock,
on both databases; and `decide` alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from tests.factories import add_participants
from voice_service.db import session_scope
from voice_service.engine.routing import Situation, TextIn, WantsPerson, decide
from voice_service.inbound.receive import receive
from voice_service.inbox.threads import inbox
from voice_service.models import Alert, Message, Participant

# Thursday 3 December 2026, 14:40 UTC.
WHEN = datetime(2026, 12, 3, 14, 40, tzinfo=UTC)
OPTED_OUT = "+447700900471"
STILL_IN = "+447700900472"
ASKS = "can someone call me about my placement"


def _text(services, phone: str, text: str) -> list[str]:
    with session_scope(services.engine) as session:
        return receive(session=session, services=services, channel="sms", text=text, phone=phone, now=WHEN).replies


def _last_in(services, phone: str) -> Message:
    with Session(services.engine) as session:
        participant = session.exec(select(Participant).where(Participant.phone_hash == services.vault.hash(phone)))
        participant_id = participant.one().id
        return session.exec(
            select(Message)
            .where(Message.participant_id == participant_id, Message.direction == "in")
            .order_by(Message.id.desc())  # type: ignore[union-attr]
        ).first()


def test_an_opted_out_number_asking_for_a_person_is_flagged_and_answered_as_anyone_is(services):
    add_participants(services, [{"phone": OPTED_OUT, "first_name": "Ash"}, {"phone": STILL_IN, "first_name": "Bo"}])
    _text(services, OPTED_OUT, "STOP")
    assert _text(services, OPTED_OUT, "my placement is fine thanks") == []  # after STOP: kept, no reply
    assert not _last_in(services, OPTED_OUT).wants_person

    answered = _text(services, OPTED_OUT, ASKS)
    assert _last_in(services, OPTED_OUT).wants_person
    assert answered and answered == _text(services, STILL_IN, ASKS)  # the same reply as anyone asking gets
    assert _last_in(services, STILL_IN).wants_person

    with Session(services.engine) as session:
        threads = {thread.first_name: thread for thread in inbox(session=session)}
    assert threads["Ash"].wants_person and threads["Bo"].wants_person


def test_an_opted_out_request_for_a_person_is_still_screened(services):
    add_participants(services, [{"phone": OPTED_OUT, "first_name": "Ash"}])
    _text(services, OPTED_OUT, "STOP")
    _text(services, OPTED_OUT, "can someone call me my carer hits me")
    with Session(services.engine) as session:
        assert len(session.exec(select(Alert)).all()) == 1


def test_decide_an_opted_out_request_for_a_person_is_one():
    opted_out = Situation(channel="sms", opted_out=True)
    outcome = decide(opted_out, ASKS)
    assert isinstance(outcome, WantsPerson) and outcome.keep_text and "wants_person" in outcome.events
    assert outcome == decide(Situation(channel="sms"), ASKS)  # as from anyone
    # Anything else from an opted-out number is still kept with no reply.
    other = decide(opted_out, "my placement is fine")
    assert isinstance(other, TextIn) and other.replies == () and other.events == ("opted_out_text",)
