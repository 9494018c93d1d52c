"""An open chat page checking for news (`GET /api/chat/sessions/<token>/messages?after=N`) is told what the chat
waits for now, its buttons and hint, as well as new messages: what changes with no message in the chat reaches an
open page without a reload. Trial 9, T9-17: a duty worker closed the alert that had paused her survey, and the
open chat showed no "Carry on with the survey" button until she reloaded it. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.engine import texts
from voice_service.models import Participant
from voice_service.web.chat.invites import invite_link

CARRY_ON = "Carry on with the survey"


def _invited_chat(client, services, index: int) -> ChatUser:
    add_participants(services, [{"phone": phone_number(index), "first_name": "Zoe"}])
    launch(services)
    with Session(services.engine) as session:
        wanted = services.vault.hash(phone_number(index))
        participant_id = session.exec(select(Participant.id).where(Participant.phone_hash == wanted)).scalars().one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    return user


def _news(client, user: ChatUser, after: int = 0) -> dict:
    response = client.get(f"/api/chat/sessions/{user.session}/messages?after={after}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _values(data: dict) -> list[str]:
    return [reply["value"] for reply in data["quick_replies"]]


def test_closing_the_alert_offers_the_open_chat_its_carry_on_button(client, services):
    user = _invited_chat(client, services, 64)
    user.say("Yes")
    disclosed = user.say(RISKY)
    assert texts.is_disclosure_reply(disclosed["messages"][0]["text"]) and disclosed["quick_replies"] == []
    last = _news(client, user)["messages"][-1]["id"]
    # While the alert is live the chat offers nothing: the page keeps showing no buttons.
    assert _news(client, user, last) == {
        "messages": [],
        "quick_replies": [],
        "hint": "",
        "prompt": "",
        "language": "en",
    }

    _close_alerts(services)
    news = _news(client, user, last)
    assert news["messages"] == []  # nothing was said in the chat: what it offers changed
    assert _values(news) == [CARRY_ON]
    waiting = texts.for_channel(texts.PAUSED_WAITING, texts.WEBCHAT)
    assert news["prompt"] == waiting and "GO ON" not in waiting  # the words the page shows with the button
    tapped = user.say(CARRY_ON)
    assert "safe" in tapped["messages"][0]["text"].lower()  # the question she was on


def _offers_as_replied(client, user: ChatUser, turn: dict) -> dict:
    """A check for news just after a reply: it offers the same buttons and hint the reply did."""
    news = _news(client, user)
    assert (news["quick_replies"], news["hint"]) == (turn["quick_replies"], turn["hint"])
    return news


def test_a_check_for_news_offers_what_the_last_reply_did(client, services):
    """The page changes its buttons only when a check for news offers something else: after every reply, a check
    offers the same buttons and hint as the reply did, so nothing on the page jumps for no reason."""
    anonymous = ChatUser(client)
    _offers_as_replied(client, anonymous, anonymous.start())
    for text in ("yes", "who is this", "Care leaver", "STOP", "START", "16-17", "hello"):
        _offers_as_replied(client, anonymous, anonymous.say(text))
    invited = _invited_chat(client, services, 65)
    for text in ("Yes", "hmm", "3", "SKIP", "no", RISKY, "what happens now"):
        _offers_as_replied(client, invited, invited.say(text))
    _close_alerts(services)
    news = _offers_as_replied(client, invited, invited.say(CARRY_ON))
    assert news["prompt"] == ""  # the question waiting is the last thing said


def test_while_a_worker_talks_with_them_the_box_says_who_reads_what_they_send(client, services):
    """Trial 11, T11-4: while a worker holds the conversation the service says nothing to their messages, and in a
    chat that silence looked as if it had broken. The hint under the box says a worker reads what they send, in the
    reply to each message and at a check for news, with no buttons; the worker's own words come at the check."""
    from voice_service.db import session_scope
    from voice_service.inbox import reply
    from voice_service.models import ChatSession

    user = _invited_chat(client, services, 66)
    assert user.say("who is this")["hint"] != texts.TALKING_HINT  # kept for a worker, in the inbox
    with session_scope(services.engine) as session:
        chat = session.exec(select(ChatSession)).scalars().one()
        reply(
            session=session,
            services=services,
            participant_id=chat.participant_id,
            text="Hi, it's Sam.",
            by="w",
            token="t1",
        )
    news = _news(client, user)
    assert news["messages"][-1]["text"] == "Hi, it's Sam."
    assert (news["quick_replies"], news["hint"]) == ([], texts.TALKING_HINT)
    turn = user.say("ok thanks")
    assert [m["from"] for m in turn["messages"]] in ([], ["you"])  # nothing said back to them
    assert (turn["quick_replies"], turn["hint"]) == ([], texts.TALKING_HINT)
    _offers_as_replied(client, user, turn)
