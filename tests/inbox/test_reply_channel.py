"""Which way a worker's reply goes on a thread with texts and web chat (tester U22): the way the young person
last wrote to us, into their web chat while it is still open (through the chat's own way in, so the chat
shows it), otherwise by text through the outbox; never a text after STOP, and a plain refusal when neither
way reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants
from voice_service.db import session_scope
from voice_service.inbox import InboxError, reply, thread
from voice_service.inbox.threads import SMS, WEBCHAT, reply_way
from voice_service.models import ChatSession, Direction, Message, OutboxMessage, Participant
from voice_service.web import create_app
from voice_service.web.chat.sessions import deliver, news, start_chat

NUMBER = "+447700900461"


@pytest.fixture
def jo(services):
    """Jo, on the list with a number, texting through the signed webhook; `jo.chat()` opens their web chat
    from a chat link and returns a function that sends in it."""
    add_participants(services, [{"phone": NUMBER, "first_name": "Jo", "age": 16}])
    phone = SmsPhone(create_app(services=services).test_client(), NUMBER)

    def chat():
        with session_scope(services.engine) as session:
            person = session.exec(select(Participant)).one()
            token = start_chat(session=session, services=services, invited=person).token
        sent = iter(range(100))
        return lambda text: deliver(services=services, token=token, text=text, client_id=f"c{next(sent)}"), token

    phone.chat = chat
    return phone


def _pid(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(Participant.id)).one()


def _reply(services, text: str, token: str, **kwargs) -> None:
    with session_scope(services.engine) as session:
        reply(
            session=session, services=services, participant_id=_pid(services), text=text, by="w", token=token, **kwargs
        )


def _texts(services) -> list[str]:
    with Session(services.engine) as session:
        return [row.body for row in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()]


def test_each_message_keeps_its_channel_and_the_reply_follows_the_last_one(services, jo):
    jo.send("hi can someone ring me about my placement")
    say, token = jo.chat()
    say("actually can we talk here instead")
    with Session(services.engine) as session:
        current = thread(session=session, participant_id=_pid(services), config=services.config)
        inbound = [(m.channel, m.body) for m in current.messages if m.direction == Direction.IN]
        assert inbound == [
            (SMS, "hi can someone ring me about my placement"),
            (WEBCHAT, "actually can we talk here instead"),
        ]
        assert current.channels == [SMS, WEBCHAT] and current.chat_open
        assert current.reply.channel == WEBCHAT and "still open" in current.reply.why

    _reply(services, "Hi Jo, it's Sam. Yes, we can talk here.", "t1")
    assert _texts(services) == []  # nothing texted
    seen = _shown(services, token, after=0)  # what their chat page fetches
    assert seen[-1]["from"] == "service"
    assert seen[-1]["text"] == "Hi Jo, it's Sam. Yes, we can talk here."

    jo.send("sorry my data ran out, texting now")  # they write by text again: the next reply is a text
    _reply(services, "No problem Jo, I'll text.", "t2")
    assert _texts(services) == ["No problem Jo, I'll text."]
    with Session(services.engine) as session:
        out = session.exec(select(Message).where(Message.direction == Direction.OUT).order_by(Message.id)).all()
    assert [(m.channel, m.body) for m in out][-2:] == [
        (WEBCHAT, "Hi Jo, it's Sam. Yes, we can talk here."),
        (SMS, "No problem Jo, I'll text."),
    ]
    later = _shown(services, token, after=seen[-1]["id"])
    assert later == []  # the texts, theirs and ours, are not put into the chat


def _shown(services, token: str, *, after: int) -> list[dict]:
    """The messages their open chat page is given when it checks for news."""
    found = news(services=services, token=token, after=after)
    assert found is not None
    return found.messages


def test_a_chat_that_has_closed_is_answered_by_text(services, jo):
    say, _ = jo.chat()
    say("is anyone there")
    with Session(services.engine) as session:
        chat = session.exec(select(ChatSession)).one()
    closed = chat.last_seen_at + timedelta(days=services.config.webchat.session_max_age_days, seconds=1)
    with Session(services.engine) as session:
        current = thread(session=session, participant_id=_pid(services), config=services.config, now=closed)
        assert not current.chat_open and current.reply.channel == SMS
        assert current.reply.why == "They last wrote to us in the web chat, but it has closed, so it goes by text."
    _reply(services, "Hi Jo, sorry for the wait.", "t1", now=closed)
    assert _texts(services) == ["Hi Jo, sorry for the wait."]


def test_stop_by_text_with_a_chat_open_is_answered_in_the_chat(services, jo):
    say, token = jo.chat()
    say("hello")
    jo.send("STOP")  # their last word is by text, but no text may go
    with Session(services.engine) as session:
        current = thread(session=session, participant_id=_pid(services), config=services.config)
        assert current.channel == SMS and current.opted_out and current.reply.channel == WEBCHAT
        assert "opted out of texts" in current.reply.why
    _reply(services, "Hi Jo, I'm here if you want to talk.", "t1")
    assert _texts(services) == []
    seen = _shown(services, token, after=0)
    assert seen[-1]["text"] == "Hi Jo, I'm here if you want to talk."


def test_stop_and_no_open_chat_is_said_plainly_and_nothing_is_sent(services, jo):
    jo.send("can i talk to someone")
    jo.send("STOP")
    with Session(services.engine) as session:
        current = thread(session=session, participant_id=_pid(services), config=services.config)
        assert not current.can_reply and current.reply.channel is None
    with pytest.raises(InboxError, match="opted out of texts .* no web chat open, so a reply cannot reach them"):
        _reply(services, "Hi Jo", "t1")
    assert _texts(services) == []
    with Session(services.engine) as session:
        assert (
            session.exec(select(Message).where(Message.direction == Direction.OUT, Message.body == "Hi Jo")).all() == []
        )


def test_the_rule_in_a_table():
    cases = {
        # last wrote, chat open, has a number, opted out: the way
        (WEBCHAT, True, True, False): WEBCHAT,
        (WEBCHAT, False, True, False): SMS,
        (SMS, True, True, False): SMS,
        (SMS, False, True, False): SMS,
        (SMS, True, True, True): WEBCHAT,
        (WEBCHAT, True, False, False): WEBCHAT,
        (WEBCHAT, False, False, False): None,
        (SMS, False, True, True): None,
        (None, False, True, False): SMS,
    }
    for (last, chat_open, number, out), way in cases.items():
        got = reply_way(last_wrote=last, chat_open=chat_open, has_number=number, opted_out=out)
        assert got.channel == way, (last, chat_open, number, out)
        assert got.why.endswith(".")
