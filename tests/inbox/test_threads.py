"""The conversations inbox as plain functions: text-ins land, workers reply once, assign, close, refer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants
from tests.outbox.helpers import Clock, dispatcher
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.inbox import InboxError, assign, close, inbox, refer_to_advocacy, reply, thread
from voice_service.inbox.threads import reply_goes_at
from voice_service.models import Conversation, ConversationStatus, Direction, Message, OutboxMessage
from voice_service.web import create_app

NUMBER = "+447700900456"


@pytest.fixture
def api_services(database_url, fake_twilio):
    """Services sending through the fake Twilio API, with an advocacy address."""
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        advocacy={"email": "advocacy@example.org"},
    )
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


@pytest.fixture
def texter(api_services):
    """A young person we know (imported), texting the service through the signed webhook."""
    add_participants(api_services, [{"phone": NUMBER, "first_name": "Jo", "age": 15}])
    return SmsPhone(create_app(services=api_services).test_client(), NUMBER)


def _participant_id(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(Message.participant_id).where(Message.direction == Direction.IN)).first()


def test_a_text_in_lands_unanswered_and_a_reply_reaches_twilio_once(api_services, texter, fake_twilio):
    texter.send("hi can i talk to someone about my placement")
    pid = _participant_id(api_services)
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
    assert row.participant_id == pid and row.unanswered and row.status == "open" and row.messages == 1

    for _ in range(2):  # the same form sent twice
        with session_scope(api_services.engine) as session:
            reply(session=session, services=api_services, participant_id=pid, text="Hi, it's Sam.", by="w", token="t1")
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
        assert not row.unanswered
        outbox = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()
        assert len(outbox) == 1 and outbox[0].body == "Hi, it's Sam."
        current = thread(session=session, participant_id=pid, config=api_services.config)
        assert [m.body for m in current.messages if m.direction == Direction.OUT][-1] == "Hi, it's Sam."

    dispatcher(api_services).flush()
    dispatcher(api_services).flush()
    assert [m["body"] for m in fake_twilio.to(NUMBER)] == ["Hi, it's Sam."]

    texter.send("thanks")  # a later message makes the thread unanswered again
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
    assert row.unanswered and row.messages == 2


def test_newest_unanswered_first(api_services):
    add_participants(api_services, [{"phone": "+447700900401"}, {"phone": "+447700900402"}])
    app = create_app(services=api_services).test_client()
    SmsPhone(app, "+447700900401").send("first message")
    SmsPhone(app, "+447700900402").send("second message")
    with Session(api_services.engine) as session:
        rows = inbox(session=session)
    assert [r.last_in for r in rows] == sorted((r.last_in for r in rows), reverse=True)
    older = rows[-1].participant_id
    with session_scope(api_services.engine) as session:
        reply(
            session=session, services=api_services, participant_id=rows[0].participant_id, text="Hi", by="w", token="a"
        )
    with Session(api_services.engine) as session:
        rows = inbox(session=session)
    assert rows[0].participant_id == older and rows[0].unanswered and not rows[1].unanswered


def test_no_text_to_someone_who_said_stop(api_services, texter):
    texter.send("hello?")
    texter.send("STOP")
    pid = _participant_id(api_services)
    with session_scope(api_services.engine) as session:
        assert not thread(session=session, participant_id=pid, config=api_services.config).can_reply
        with pytest.raises(InboxError, match="opted out"):
            reply(session=session, services=api_services, participant_id=pid, text="Hi", by="w", token="x")
    with Session(api_services.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all() == []


def test_assign_close_and_a_new_message_opens_a_new_thread(api_services, texter):
    texter.send("is anyone there")
    pid = _participant_id(api_services)
    with session_scope(api_services.engine) as session:
        assign(session=session, participant_id=pid, to="alex@council.test", by="lead")
    with Session(api_services.engine) as session:
        [row] = inbox(session=session, assigned_to="alex@council.test")
        assert row.status == ConversationStatus.ASSIGNED
    with session_scope(api_services.engine) as session:
        close(session=session, participant_id=pid, by="alex@council.test")
    with Session(api_services.engine) as session:
        assert inbox(session=session) == []
        closed = thread(session=session, participant_id=pid, config=api_services.config)
        assert closed.status == ConversationStatus.CLOSED and not closed.can_reply
    texter.send("me again")
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
        assert row.status == "open" and row.messages == 1 and row.assigned_to is None
        assert [m.body for m in thread(session=session, participant_id=pid, config=api_services.config).messages][
            0
        ] == "me again"


def test_two_actions_on_a_new_thread_make_one_conversation(api_services, texter):
    texter.send("hello")
    pid = _participant_id(api_services)
    with session_scope(api_services.engine) as session:
        assign(session=session, participant_id=pid, to="a", by="a")
    with session_scope(api_services.engine) as session:
        reply(session=session, services=api_services, participant_id=pid, text="Hi", by="a", token="t")
    with Session(api_services.engine) as session:
        assert len(session.exec(select(Conversation)).all()) == 1


def test_advocacy_referral_is_recorded_and_emailed_once_without_number_or_words(api_services, texter):
    texter.send("i want an advocate, my social worker never listens")
    pid = _participant_id(api_services)
    with session_scope(api_services.engine) as session:
        refer_to_advocacy(
            session=session, services=api_services, participant_id=pid, note="Asked for an advocate.", by="sam@c.test"
        )
    with session_scope(api_services.engine) as session, pytest.raises(InboxError, match="already"):
        refer_to_advocacy(session=session, services=api_services, participant_id=pid, note="again", by="sam@c.test")
    with Session(api_services.engine) as session:
        [email] = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "advocacy")).all()
        assert email.channel == "email" and api_services.vault.decrypt(email.to_encrypted) == "advocacy@example.org"
        assert "Asked for an advocate." in email.body and "sam@c.test" in email.body
        assert "social worker never listens" not in email.body and "900456" not in email.body
        assert "Testshire County Council" in email.body
        conversation = session.exec(select(Conversation)).one()
        assert conversation.referred_by == "sam@c.test" and conversation.referral_note == "Asked for an advocate."


def test_advocacy_needs_an_address_and_a_reason(services, phone):
    add_participants(services, [{"phone": phone.number}])
    phone.send("hello")
    pid = _participant_id(services)
    with session_scope(services.engine) as session:
        with pytest.raises(InboxError, match="advocacy"):
            refer_to_advocacy(session=session, services=services, participant_id=pid, note="why", by="w")


def test_reply_refuses_empty_and_overlong(api_services, texter):
    texter.send("hello")
    pid = _participant_id(api_services)
    with session_scope(api_services.engine) as session:
        with pytest.raises(InboxError, match="write a reply"):
            reply(session=session, services=api_services, participant_id=pid, text="  ", by="w", token="t")
        with pytest.raises(InboxError, match="at most"):
            reply(session=session, services=api_services, participant_id=pid, text="x" * 500, by="w", token="t")


@pytest.fixture
def shipped_windows(database_url, fake_twilio):
    """Services with the shipped survey windows (16:00-20:00 weekdays), reply hours (08:00-21:00) and
    school hours (08:30-15:30)."""
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={
            "weekday_window": "16:00-20:00",
            "weekend_window": "10:00-18:00",
            "reply_hours": "08:00-21:00",
            "school_hours": "08:30-15:30",
        },
    )
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


# Monday 30 November 2026 (London is on UTC in winter); Jo is 17 then, Sam 14.
MONDAY = datetime(2026, 11, 30, tzinfo=UTC)
ADULTISH, CHILD = "2009-01-01", "2012-06-01"


def _reply_at(services, when: datetime, *, born: str, first: str = "hello", number: str = NUMBER) -> int:
    """A young person born on `born` texts `first`; a worker replies at `when`; returns how many the
    dispatcher then held (the texts sent are at the fake Twilio API)."""
    add_participants(services, [{"phone": number, "date_of_birth": born}], today=when.date())
    SmsPhone(create_app(services=services).test_client(), number).send(first)
    pid = _participant_id(services)
    with session_scope(services.engine) as session:
        reply(session=session, services=services, participant_id=pid, text="Hi", by="w", token="t", now=when)
    return dispatcher(services, Clock(when)).flush().held


def test_an_ordinary_reply_waits_for_the_night_to_pass(shipped_windows, fake_twilio):
    assert _reply_at(shipped_windows, MONDAY.replace(hour=2), born=ADULTISH) == 1
    assert fake_twilio.to(NUMBER) == []
    with Session(shipped_windows.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).one()
    assert row.not_before.replace(tzinfo=UTC) == MONDAY.replace(hour=8)  # reply_hours, not the 16:00 survey window


def test_an_ordinary_reply_is_not_a_survey_text_and_goes_in_the_day(shipped_windows, fake_twilio):
    # 11:00 on a Monday: outside the survey window (16:00-20:00), inside reply_hours.
    assert _reply_at(shipped_windows, MONDAY.replace(hour=11), born=ADULTISH) == 0
    assert [m["body"] for m in fake_twilio.to(NUMBER)] == ["Hi"]


def test_an_ordinary_reply_keeps_school_hours_free_for_an_under_16(shipped_windows, fake_twilio):
    assert _reply_at(shipped_windows, MONDAY.replace(hour=11), born=CHILD) == 1
    assert fake_twilio.to(NUMBER) == []
    with Session(shipped_windows.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).one()
    assert row.not_before.replace(tzinfo=UTC) == MONDAY.replace(hour=15, minute=30)


def test_a_reply_on_a_thread_with_a_live_alert_goes_at_once_day_or_night(shipped_windows, fake_twilio):
    # The duty team answering a child who disclosed on a Sunday night: no window, no school hours.
    sunday_night = MONDAY.replace(hour=1) - timedelta(hours=2)
    assert _reply_at(shipped_windows, sunday_night, born=CHILD, first="i want to kill myself") == 0
    assert [m["body"] for m in fake_twilio.to(NUMBER)] == ["Hi"]
    with Session(shipped_windows.engine) as session:
        assert reply_goes_at(session=session, config=shipped_windows.config, participant_id=1, now=sunday_night) == (
            sunday_night
        )


def test_a_web_chat_text_in_is_answered_in_the_chat_not_by_text(services):
    from voice_service.models import Participant
    from voice_service.web.chat.sessions import deliver, start_chat, transcript

    add_participants(services, [{"phone": NUMBER, "first_name": "Jo"}])
    with session_scope(services.engine) as session:
        person = session.exec(select(Participant)).one()
        started = start_chat(session=session, services=services, invited=person)
        token, pid = started.token, person.id
    deliver(services=services, token=token, text="is anyone there? i need to talk", client_id="c1")
    with session_scope(services.engine) as session:
        [row] = inbox(session=session)
        assert row.participant_id == pid and row.unanswered
        assert thread(session=session, participant_id=pid, config=services.config).channel == "webchat"
        reply(session=session, services=services, participant_id=pid, text="Hi Jo, I'm here.", by="w", token="t")
    with Session(services.engine) as session:
        assert session.exec(select(OutboxMessage)).all() == []  # nothing texted
        from voice_service.models import ChatSession

        chat = session.exec(select(ChatSession)).one()
        said = transcript(session=session, chat=chat)
    assert said[-1] == {"from": "service", "text": "Hi Jo, I'm here."}


def test_someone_who_never_wrote_has_nothing_to_answer(services):
    add_participants(services, [{"phone": NUMBER}])
    with session_scope(services.engine) as session:
        quiet = thread(session=session, participant_id=1, config=services.config)
        assert not quiet.waiting and not quiet.can_reply and quiet.messages == []
        with pytest.raises(InboxError, match="nothing waiting"):
            reply(session=session, services=services, participant_id=1, text="Hi", by="w", token="t")


def test_asking_for_a_person_is_flagged_in_the_inbox(api_services, texter):
    texter.send("can someone call me please")
    pid = _participant_id(api_services)
    with Session(api_services.engine) as session:
        [row] = inbox(session=session)
        assert row.participant_id == pid and row.wants_person and row.unanswered
        assert thread(session=session, participant_id=pid, config=api_services.config).wants_person
