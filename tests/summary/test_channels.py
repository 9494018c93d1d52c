"""Who took part, by channel: the channel each person's answers came in on, not the one they were
invited by; through the real webhook and the real chat API, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session, col

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.db import session_scope
from voice_service.models import Message, Participant, Response, Run
from voice_service.rounds.launch import close_round
from voice_service.summary import summarise
from voice_service.summary.aggregate import aggregate_round
from voice_service.web.chat.invites import invite_link


def _chat(client, services, participant_id: int) -> ChatUser:
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    return user


def test_people_are_counted_by_the_channel_they_answered_in(client, services):
    numbers = [phone_number(60 + n) for n in range(3)]
    add_participants(services, [{"phone": number, "first_name": "Sam"} for number in numbers])
    round_id = launch(services)
    with Session(services.engine) as session:
        ids = [p.id for p in session.exec(select(Participant).order_by(Participant.id)).scalars()]
        assert {run.channel for run in session.exec(select(Run)).scalars()} == {"sms"}  # all invited by text

    texter = SmsPhone(client, numbers[0])
    assert "How safe" in texter.send("Yes")[0]
    texter.send("4")

    chatter = _chat(client, services, ids[1])
    assert "How safe" in chatter.replies("Yes")[0]
    chatter.replies("4")

    both = SmsPhone(client, numbers[2])
    both.send("Yes")
    both.send("2")  # the first answer by text, the next in the web chat
    assert "listened" in _chat(client, services, ids[2]).replies("more say in where i live")[0]

    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
        open_summary = summarise(session=session, services=services, round_id=round_id)
        close_round(session=session, round_id=round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    assert figures.responded == 3
    assert figures.channels == {"sms": 1, "webchat": 1, "sms+webchat": 1}
    assert open_summary.header.channels == {}  # how they answered is shown once the round closes
    assert list(summary.header.channels) == ["Text message", "Web chat", "Text message and web chat"]


def test_answers_whose_message_is_gone_count_by_the_channel_of_the_run(client, services):
    """Retention unlinks an answer from its message: such answers count under the channel the person
    was invited by, beside their answers that still have one."""
    numbers = [phone_number(70 + n) for n in range(2)]
    add_participants(services, [{"phone": number, "first_name": "Sam"} for number in numbers])
    round_id = launch(services)
    with Session(services.engine) as session:
        ids = [p.id for p in session.exec(select(Participant).order_by(Participant.id)).scalars()]

    chatter = _chat(client, services, ids[0])
    assert "How safe" in chatter.replies("Yes")[0]
    chatter.replies("4")
    both = SmsPhone(client, numbers[1])
    both.send("Yes")
    both.send("2")
    assert "listened" in _chat(client, services, ids[1]).replies("more say in where i live")[0]

    with session_scope(services.engine) as session:
        assert aggregate_round(session=session, round_id=round_id).channels == {"webchat": 1, "sms+webchat": 1}
        # As retention does: the web chat answers lose their message, so they count as the run's (a text).
        session.execute(
            update(Response)
            .where(col(Response.message_id).in_(select(Message.id).where(col(Message.channel) == "webchat")))
            .values(message_id=None)
        )
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.responded == 2
    assert figures.channels == {"sms": 2}
