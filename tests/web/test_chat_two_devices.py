"""One invite link open in two chats (a shared family tablet and the young person's own phone): what is typed in
one chat, and the replies to it, are shown in that chat alone, however the other reads its transcript (opening
it again, the page, checking for news); what the service says to them (a duty worker's reply) is shown in both.
Each is stored as its chat's by the inbound path's own insert (`receive(chat_id=...)`), also when the spool's
replay stores it late. Over SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import make_config
from tests.factories import add_participants, launch, phone_number
from tests.spool.test_deadline_cut import Blocker
from tests.web.test_chat_api import ChatUser, _duty_reply
from voice_service import analysis
from voice_service.context import Services
from voice_service.engine.texts import is_disclosure_reply
from voice_service.models import Alert, ChatSession, Message, Participant
from voice_service.spool.replay import replay
from voice_service.web import create_app
from voice_service.web.chat.invites import invite_link

DISCLOSURE = "he hits me when mum is out"


def _two_chats(client, services) -> tuple[ChatUser, ChatUser]:
    """The tablet's chat, opened first, and the phone's, opened from the same link afterwards."""
    add_participants(services, [{"phone": phone_number(77), "first_name": "Kai", "age": 14}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    token = invite_link(services, participant.id).rsplit("/", 1)[1]
    tablet = ChatUser(client.application.test_client())
    tablet.start(invite=token)
    phone = ChatUser(client.application.test_client())
    phone.start(invite=token)
    return tablet, phone


def _everything(user: ChatUser) -> dict[str, list[str]]:
    """Every way a chat's transcript is read: opened again (the API, the page) and checked for news."""
    client = user.client
    reopened = [m["text"] for m in client.get(f"/api/chat/sessions/{user.session}").get_json()["messages"]]
    news = [m["text"] for m in client.get(f"/api/chat/sessions/{user.session}/messages?after=0").get_json()["messages"]]
    page = client.get("/chat").get_data(as_text=True)  # from the cookie the API set on this device
    return {"reopened": reopened, "news": news, "page": [page]}


def test_a_disclosure_on_the_later_chat_is_not_shown_on_the_earlier_one(client, services):
    tablet, phone = _two_chats(client, services)
    before = _everything(tablet)
    help_reply = phone.replies(DISCLOSURE)
    assert any(is_disclosure_reply(text) for text in help_reply)
    with Session(services.engine) as session:
        assert session.exec(select(Alert)).scalars().one()  # the duty team was told, whichever chat it came from

    seen = _everything(tablet)
    for way, texts in seen.items():
        joined = " ".join(texts)
        assert DISCLOSURE not in joined, way
        assert not any(reply in joined for reply in help_reply), way  # nor the help reply that says what happened
    assert seen["news"] == before["news"]  # nothing new at all on the tablet
    assert sum(text.startswith("Hi Kai") for text in seen["news"]) == 1  # only its own opening, not the phone's

    # On the phone itself: the message and the reply, reopened, on the page and as news.
    mine = _everything(phone)
    assert DISCLOSURE in mine["reopened"] and DISCLOSURE in mine["news"] and DISCLOSURE in mine["page"][0]
    assert help_reply[0] in mine["news"]


def test_each_chat_shows_only_its_own_answers_and_replies_but_both_get_a_workers_reply(client, services):
    tablet, phone = _two_chats(client, services)
    tablet.say("hello from the tablet")  # not a yes: kept for the team to read, as every text-in below
    phone.say("my foster carer reads my messages")
    retried = phone.say("the other thing", id="same-id")
    assert phone.say("the other thing", id="same-id")["duplicate"] is True  # a double tap: stored once
    _duty_reply(services, phone.session, "Hi Kai, it's Sam from the Voice team.")

    tablet_news = _everything(tablet)["news"]
    phone_news = _everything(phone)["news"]
    assert "hello from the tablet" in tablet_news and "hello from the tablet" not in phone_news
    assert "my foster carer reads my messages" in phone_news
    assert "my foster carer reads my messages" not in tablet_news
    assert "the other thing" not in tablet_news and phone_news.count("the other thing") == 1
    assert not any(reply["text"] in tablet_news for reply in retried["messages"])
    # Said to them, not to one chat: both devices show it.
    assert "Hi Kai, it's Sam from the Voice team." in tablet_news
    assert "Hi Kai, it's Sam from the Voice team." in phone_news

    with Session(services.engine) as session:
        chats = {chat.id for chat in session.exec(select(ChatSession)).scalars()}
        rows = session.exec(select(Message).where(Message.channel == "webchat")).scalars().all()
    # Every message typed in a chat, and every reply to it, records its chat; the worker's reply records none.
    assert all(row.chat_session_id in chats for row in rows if row.direction == "in")
    assert [row.body for row in rows if row.chat_session_id is None] == ["Hi Kai, it's Sam from the Voice team."]


def test_the_inbound_insert_stores_a_chat_message_and_its_replies_as_that_chats(client, services):
    """`receive(chat_id=...)` writes the chat's id into the message and every reply as they are inserted, with
    nothing marking them afterwards: a survey answer's one statement, and the replies stored after it when
    onboarding ends by joining an open round (its thanks and the round's invitation)."""
    from voice_service.inbound import receive

    launch(services)  # for anyone: the chatter joins it as onboarding ends
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say("2")
    with Session(services.engine) as session:
        chat_id, participant_id = session.exec(select(ChatSession.id, ChatSession.participant_id)).one()
        before = session.exec(select(Message.id).order_by(Message.id.desc())).scalars().first()
        for n, text in enumerate(("skip", "yes")):  # the age question skipped, then yes to the invitation
            receive(
                session=session,
                services=services,
                channel="webchat",
                text=text,
                provider_sid=f"chat{chat_id}:direct{n}",
                participant_id=participant_id,
                chat_id=chat_id,
            )
            session.commit()
        rows = session.exec(select(Message).where(Message.id > before).order_by(Message.id)).scalars().all()
    assert [row.direction for row in rows] == ["in", "out", "out", "in", "out"]
    assert rows[2].run_id is not None and rows[4].run_id == rows[2].run_id  # the invitation, then its first question
    assert {row.chat_session_id for row in rows} == {chat_id}


@pytest.fixture
def spooling(database_url):
    """Services whose inbound work gives up after a short deadline (spooled), and a test client."""
    services = Services.from_config(make_config(database_url, spool={"deadline_seconds": 1.5}))
    analysis.warm_up(services.conversations_dir)
    yield services, create_app(services=services).test_client()
    services.engine.dispose()


def test_a_chat_message_the_spool_replays_is_still_its_chats_alone(spooling, database_url):
    """Typed on the phone while the database was away, stored later by the spool's replay (`deliver`): the message
    and its help reply are the phone's chat's, never shown on the tablet, as if stored at once."""
    services, client = spooling
    tablet, phone = _two_chats(client, services)
    before = _everything(tablet)["news"]
    blocker = Blocker(database_url, "sqlite-lock" if database_url.startswith("sqlite") else "pg-lock")
    try:
        assert phone.say(DISCLOSURE, expect=202)["held"]
    finally:
        blocker.release()
    assert replay(services).stored == 1

    assert _everything(tablet)["news"] == before  # nothing new on the tablet, not even the help reply
    news = _everything(phone)["news"]
    assert DISCLOSURE in news and any(is_disclosure_reply(text) for text in news)
    with Session(services.engine) as session:
        phone_chat = session.exec(select(ChatSession).order_by(ChatSession.id.desc())).scalars().first()
        said = session.exec(select(Message).where(Message.created_at >= phone_chat.created_at)).scalars().all()
    assert [row.chat_session_id for row in said if row.body == DISCLOSURE or is_disclosure_reply(row.body)] == [
        phone_chat.id
    ] * 2
