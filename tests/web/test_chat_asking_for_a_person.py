"""Asking for a person in the web chat says the answer comes in the chat (trial 14: "We've asked a worker to get back
to you" read as a phone call, to someone with no number on file, and nothing said to look in the chat). By text, the
words are as they were. Over SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.web.test_chat_api import PHONE_ONLY, ChatUser
from voice_service.models import Message


def test_the_chat_says_a_worker_will_answer_in_this_chat(client, services):
    user = ChatUser(client)
    user.start()
    turn = user.say("can i talk to a real person")
    (said,) = [m["text"] for m in turn["messages"]]
    assert said.startswith("Thanks. A worker will answer you in this chat"), said
    assert "get back to you" not in said and not PHONE_ONLY.search(said)
    with Session(services.engine) as session:
        asked = select(Message.wants_person).where(col(Message.body) == "can i talk to a real person")
        assert session.exec(asked).one()


def test_by_text_a_worker_gets_back_to_them(client, services):
    (reply,) = SmsPhone(client, phone_number(77)).send("can i talk to a real person")
    assert "asked a worker to get back to you" in reply and "this chat" not in reply
