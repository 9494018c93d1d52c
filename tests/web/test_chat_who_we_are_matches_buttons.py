"""Trial 7, G4: in the web chat, "whats this for" with nothing waiting (onboarding done, no open round for them, or
after "Not now" to an invitation) is answered with who we are in words that match the screen: no "tap Not now"
where no Not now button is shown. Through the chat API, on both databases."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant
from voice_service.web.chat.invites import invite_link

COUNCIL = "Testshire County Council"


def _buttons(data: dict) -> list[str]:
    return [q["label"] for q in data.get("quick_replies") or []]


def _says_only_what_is_on_screen(data: dict) -> None:
    (reply,) = [m["text"] for m in data["messages"]]
    assert reply.startswith(f"This is the Voice team at {COUNCIL}.")
    assert "Not now" not in reply or texts.NOT_NOW_BUTTON in _buttons(data)
    for word in ("STOP", "text", "Reply"):
        assert word not in reply  # no texting words in a chat


def test_chat_whats_this_for_after_onboarding_with_nothing_to_start(client, services):
    user = ChatUser(client)
    user.start()
    user.say("Yes, go on")
    user.say("1")
    assert user.replies("2") == [texts.for_channel(texts.ONBOARDING_DONE, texts.WEBCHAT)]
    _says_only_what_is_on_screen(user.say("whats this for"))


def test_chat_whats_this_for_after_not_now_to_an_invitation(client, services):
    add_participants(services, [{"phone": phone_number(73)}])
    launch(services)
    with Session(services.engine) as session:
        person = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    assert texts.NOT_NOW_BUTTON in _buttons(user.start(invite_link(services, person).rsplit("/", 1)[-1]))
    user.say(texts.NOT_NOW_BUTTON)
    _says_only_what_is_on_screen(user.say("whats this for"))
