"""A chat reopened greets with "Here's where we were" only part way through a survey (trial 13, T13-9).

An invited young person who had said something in the chat but not begun the survey was greeted "Welcome back!
Here's where we were: Would you like to do our quick survey?": they had never been anywhere in it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.support.chat import step_away
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Run
from voice_service.web.chat.invites import invite_link


def _token(services, n: int) -> str:
    add_participants(services, [{"phone": phone_number(n), "first_name": "Kai"}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Run)).scalars().one().participant_id
    return invite_link(services, participant_id).rsplit("/", 1)[1]


def test_an_invitation_not_yet_taken_up_is_no_place_we_were(client, services):
    user = ChatUser(client)
    user.start(invite=_token(services, 71))
    user.say("who is this?")  # answered, and the invitation still waits
    step_away(services)
    resumed = client.get(f"/api/chat/sessions/{user.session}").get_json()
    last = resumed["messages"][-1]["text"]
    assert last.startswith("Welcome back! ") and "where we were" not in last, last


def test_part_way_through_it_says_where_we_were(client, services):
    user = ChatUser(client)
    user.start(invite=_token(services, 72))
    user.say("Yes")
    user.say("who is this?")
    step_away(services)
    resumed = client.get(f"/api/chat/sessions/{user.session}").get_json()
    assert resumed["messages"][-1]["text"].startswith(texts.CHAT_WELCOME_BACK)
