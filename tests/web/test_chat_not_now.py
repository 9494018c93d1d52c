"""Trial 5, F9: "Not now" at the chat's invitation. The chat shows the words tapped, not "No", and while the
round is open the chat keeps a way back (a "Yes, let's start" button, and a hint in the chat's words) after
the reply, after a text-in, on reopening the chat and in a new chat; once the round has closed, none.
Over SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import PHONE_ONLY, ChatUser
from voice_service.models import Participant, Run
from voice_service.rounds.launch import close_round
from voice_service.web.chat.invites import invite_link

WAY_BACK = [{"label": "Yes, let's start", "value": "Yes, let's start", "spoken": "Yes, let's start", "emoji": ""}]


def _invited(client, services) -> tuple[ChatUser, str, int]:
    add_participants(services, [{"phone": phone_number(88), "first_name": "Ash", "age": 15}])
    round_id = launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    token = invite_link(services, participant.id).rsplit("/", 1)[1]
    user = ChatUser(client)
    opening = user.start(invite=token)
    # Each button sends its own words.
    assert [(q["label"], q["value"]) for q in opening["quick_replies"]] == [
        ("Yes, let's start", "Yes, let's start"),
        ("Not now", "Not now"),
    ]
    return user, token, round_id


def _run_status(services) -> str:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one().status


def test_not_now_is_shown_as_tapped_and_offers_a_way_back(client, services):
    user, _, _ = _invited(client, services)
    turn = user.say("Not now")
    assert _run_status(services) == "finished"  # a no
    assert turn["quick_replies"] == WAY_BACK
    assert turn["hint"] == "Changed your mind? Tap Yes to start the survey."
    for words in [m["text"] for m in turn["messages"]] + [turn["hint"]]:
        assert not PHONE_ONLY.search(words), words

    # Opened again: the words tapped, the way back, and nothing asked again.
    reopened = client.get(f"/api/chat/sessions/{user.session}").get_json()
    said = [m for m in reopened["messages"] if m["from"] == "you"]
    assert [m["text"] for m in said] == ["Not now"]
    assert reopened["messages"][-1]["text"] == turn["messages"][-1]["text"]
    assert reopened["quick_replies"] == WAY_BACK and reopened["hint"] == turn["hint"]
    page = client.get("/chat").get_data(as_text=True)
    assert "Not now" in page and 'value="Yes, let&#39;s start"' in page and "Changed your mind?" in page

    # Something else said meanwhile is kept for the team; the way back stays.
    chatter = user.say("ok whatever")
    assert chatter["quick_replies"] == WAY_BACK

    started = user.say("Yes, let's start")
    assert "How safe do you feel" in started["messages"][0]["text"]
    assert _run_status(services) == "active"
    assert started["hint"] != turn["hint"]


def test_a_new_chat_after_not_now_offers_the_survey_again(client, services):
    user, token, _ = _invited(client, services)
    user.say("Not now")
    again = ChatUser(client.application.test_client())
    opening = again.start(invite=token)
    assert opening["messages"][0]["text"].startswith("Hi! Changed your mind about our quick survey?")
    assert not PHONE_ONLY.search(opening["messages"][0]["text"])
    assert opening["quick_replies"] == WAY_BACK
    assert "How safe do you feel" in again.replies("Yes, let's start")[0]


def test_no_way_back_once_the_round_has_closed(client, services):
    user, _, round_id = _invited(client, services)
    user.say("Not now")
    with Session(services.engine) as session:
        close_round(session=session, round_id=round_id)
        session.commit()
    reopened = client.get(f"/api/chat/sessions/{user.session}").get_json()
    assert reopened["quick_replies"] == [] and reopened["hint"] == ""
