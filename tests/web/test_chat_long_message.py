"""A chat message over the chat's 1,600 characters is screened before it is refused (trial 8, H6).

A worrying one is never lost unread: stored (its first 8,000 characters), its alert raised, the help
reply sent, through the JSON API and the page's own form. An ordinary one is still refused with 413
`too_long` in the page's words, and nothing is stored. SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.web.test_chat_api import ChatUser, count
from tests.web.test_chat_page import form_post
from voice_service.engine.texts import HELP_ANY_AGE, is_disclosure_reply
from voice_service.models import Alert, Direction, Message
from voice_service.web.chat.security import MAX_MESSAGE_BODY
from voice_service.web.chat.sessions import MAX_LONG_TEXT, MAX_TEXT

ORDINARY = "we went to the park after school and then had pizza for tea, it was a good day. "
# The page's words too; as every refusal, it says where help is.
TOO_LONG = "That message is too long. Please keep it under 1,600 characters. " + HELP_ANY_AGE
DISCLOSURE = "i need to tell someone, my stepdad hits me and i am scared to go home. "


def long_text(first: str, length: int) -> str:
    """`first`, then ordinary sentences, to `length` characters (cut at a word)."""
    text = first + ORDINARY * (length // len(ORDINARY) + 1)
    return text[:length].rsplit(" ", 1)[0] + "."


def inbound_bodies(services) -> list[str]:
    with Session(services.engine) as session:
        return list(session.exec(select(Message.body).where(Message.direction == Direction.IN)).scalars())


def test_a_long_disclosure_is_stored_answered_and_raises_an_alert(client, services):
    user = ChatUser(client)
    user.start()
    text = long_text(DISCLOSURE, 1904)
    assert len(text) > MAX_TEXT
    replies = [m["text"] for m in user.say(text)["messages"]]
    assert len(replies) == 1 and is_disclosure_reply(replies[0])
    assert inbound_bodies(services) == [text]  # whole
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
    assert alert.channel == "webchat" and alert.message_id is not None


def test_a_long_ordinary_message_is_still_refused_and_nothing_is_stored(client, services):
    user = ChatUser(client)
    user.start()
    refused = user.say(long_text(ORDINARY, 1700), expect=413)
    assert refused == {"error": "too_long", "message": TOO_LONG}
    assert inbound_bodies(services) == []
    assert count(services, Alert) == 0


def test_a_disclosure_longer_than_the_cap_keeps_its_first_part(client, services):
    user = ChatUser(client)
    user.start()
    text = long_text(DISCLOSURE, MAX_LONG_TEXT + 2000)
    replies = [m["text"] for m in user.say(text)["messages"]]
    assert is_disclosure_reply(replies[0])
    assert inbound_bodies(services) == [text[:MAX_LONG_TEXT].rstrip()]
    assert count(services, Alert) == 1


def test_a_disclosure_in_a_body_past_the_apps_64_kb_is_still_screened_and_kept(client, services):
    # trial 13: "I want to kill myself " and 100,000 x's was refused unread (413) at the app's request limit
    user = ChatUser(client)
    user.start()
    text = DISCLOSURE + "x" * 100_000
    replies = [m["text"] for m in user.say(text)["messages"]]
    assert is_disclosure_reply(replies[0])
    assert inbound_bodies(services) == [text[:MAX_LONG_TEXT]]
    assert count(services, Alert) == 1


def test_a_body_past_the_message_limit_is_refused_in_plain_words(client, services):
    user = ChatUser(client)
    user.start()
    refused = user.say(DISCLOSURE + "x" * MAX_MESSAGE_BODY, expect=413)
    assert refused == {"error": "too_long", "message": TOO_LONG}
    form_post(client, "/chat/start")
    page = form_post(client, "/chat/send", text="x" * MAX_MESSAGE_BODY)
    assert page.status_code == 413 and TOO_LONG in page.get_data(as_text=True)
    assert inbound_bodies(services) == []


def test_a_long_disclosure_through_the_page_form_is_stored_too(client, services):
    form_post(client, "/chat/start")
    text = long_text(DISCLOSURE, 2000)
    response = form_post(client, "/chat/send", text=text)
    assert response.status_code == 303
    assert inbound_bodies(services) == [text]
    assert count(services, Alert) == 1
    page = client.get("/chat").get_data(as_text=True)
    assert "Childline" in page
