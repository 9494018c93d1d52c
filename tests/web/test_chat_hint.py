"""The hint under the chat's message box says what typing SKIP or STOP does now, and only when it is true.

Found trying the product: the page always said "You can type SKIP to skip a question, or STOP to stop.",
at the welcome (no question yet) and after a disclosure, where the help reply must stand alone: a young
person who had just said "my foster dad hits me" was told how to stop. SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine.texts import SKIP_OR_STOP_HINT, STOP_HINT
from voice_service.models import Participant
from voice_service.web.chat.invites import invite_link

DISCLOSURE = "my foster dad hits me when hes drunk"


def hint_on_page(client) -> str | None:
    """The hint the page shows under the box (None when it is hidden)."""
    page = client.get("/chat").get_data(as_text=True)
    found = re.search(r'<div class="govuk-hint" id="chat-text-hint"( hidden)?>([^<]*)</div>', page)
    assert found, "the hint's element is always on the page, for the script to fill"
    return None if found.group(1) else found.group(2)


def test_the_hint_follows_what_an_anonymous_chat_waits_for(client):
    user = ChatUser(client)
    assert user.start()["hint"] == ""  # the welcome: its buttons say what to do
    assert user.say("Yes")["hint"] == STOP_HINT  # in care, a care leaver or rather not say
    assert user.say("1")["hint"] == SKIP_OR_STOP_HINT  # the age band, which can be skipped
    assert user.say("2")["hint"] == ""  # done: nothing asked


def test_after_a_disclosure_the_hint_says_nothing_of_skip_or_stop(client, services):
    add_participants(services, [{"phone": phone_number(42), "first_name": "Amira", "age": 14}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).one()
    user = ChatUser(client)
    opening = user.start(invite=invite_link(services, participant.id).rsplit("/", 1)[1])
    assert opening["hint"] == ""  # the invitation: Yes or Not now
    asked = user.say("Yes")
    assert asked["hint"] == SKIP_OR_STOP_HINT and "Skip this one" in [q["value"] for q in asked["quick_replies"]]
    assert hint_on_page(client) == SKIP_OR_STOP_HINT  # the page drawn again (no script) says the same
    helped = user.say(DISCLOSURE)
    assert helped["quick_replies"] == [] and helped["hint"] == ""
    paused = user.say("3")
    assert "paused" in paused["messages"][0]["text"] and paused["hint"] == ""
    assert hint_on_page(client) is None
