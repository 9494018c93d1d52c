"""Trial T7 at onboarding, by text and in the chat: "Who is this?" at the status or age question is told who is
asking and then asked the question again, never "Sorry, we didn't get that"; the question still waits."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant, Response

COUNCIL = "Testshire County Council"


def test_who_is_this_at_each_onboarding_question_says_who_then_asks_it_again(client, services):
    phone = SmsPhone(client, phone_number(95))
    assert phone.send("hello") == [texts.WELCOME.format(council=COUNCIL)]
    assert phone.send("yes") == [texts.ASK_STATUS]

    said = phone.send("who r u")
    assert said == [f"This is the Voice team at {COUNCIL}. " + texts.ASK_STATUS.removeprefix("Thanks! ")]
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).one()
        assert participant.onboarding["step"] == "status" and not participant.onboarding["reasked"]
        # Kept for a worker to see, never taken as the status.
        assert "who r u" in [r.answer for r in session.exec(select(Response))]

    assert phone.send("2") == [texts.ASK_AGE]
    (said,) = phone.send("Who is this?")
    assert said == f"This is the Voice team at {COUNCIL}. How old are you? " + texts.ASK_AGE.split("? ", 1)[1]
    assert phone.send("3") == [texts.ONBOARDING_DONE]
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).one()
        assert (participant.status, participant.age_band) == ("care_leaver", "18-21")


def test_in_the_chat_the_onboarding_question_is_asked_again_in_the_chat_words_with_its_buttons(client, services):
    user = ChatUser(client)
    user.start()
    user.say("yes")
    answer = user.say("who is this?")
    (reply,) = [message["text"] for message in answer["messages"]]
    chat_question = texts.for_channel(texts.ASK_STATUS, texts.WEBCHAT).removeprefix("Thanks! ")
    assert reply == f"This is the Voice team at {COUNCIL}. {chat_question}"
    assert "Sorry" not in reply and "STOP" not in reply and "text" not in reply.lower()
    assert [q["value"] for q in answer["quick_replies"]] == ["In care", "Care leaver", "Rather not say"]

    age = user.say("Care leaver")
    assert [q["value"] for q in age["quick_replies"]][:4] == ["11-15", "16-17", "18-21", "22-25"]
    (reply,) = user.replies("whos this")
    assert reply.startswith(f"This is the Voice team at {COUNCIL}. How old are you? Tap your age group")
    assert "Sorry" not in reply and "STOP" not in reply
    user.say("18-21")
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).one()
        assert (participant.status, participant.age_band) == ("care_leaver", "18-21")
