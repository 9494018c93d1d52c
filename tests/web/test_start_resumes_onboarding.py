"""STOP during the welcome's questions, then START (trial 9, T9-14): the welcome carries on where it stopped, so the
service is never left without the answer it asks for. Before, START said "You're all set" and the age question
they had not answered was never asked again. By text and in the chat (one rule: `routing._opted_in`), on SQLite
and PostgreSQL."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant

COUNCIL = "Testshire County Council"


def _participant(services) -> Participant:
    with Session(services.engine) as session:
        return session.exec(select(Participant)).one()


def test_chat_stop_at_the_age_question_then_start_asks_it_again(client, services):
    user = ChatUser(client)
    user.start()
    user.say("yes")
    age = user.say("Care leaver")
    assert "how old" in age["messages"][0]["text"].lower()
    user.say("STOP")

    started = user.say("START")
    [reply] = [m["text"] for m in started["messages"]]
    assert reply == texts.for_channel(texts.WELCOME_BACK_AGE, texts.WEBCHAT)
    assert reply.startswith("Welcome back! How old are you?") and "STOP" not in reply and "text" not in reply
    assert [q["value"] for q in started["quick_replies"]][:4] == ["11-15", "16-17", "18-21", "22-25"]

    assert [m["text"] for m in user.say("18-21")["messages"]] == [
        texts.for_channel(texts.ONBOARDING_DONE, texts.WEBCHAT)
    ]
    participant = _participant(services)
    assert (participant.status, participant.age_band) == ("care_leaver", "18-21")
    assert participant.onboarding["step"] == "done"


def test_chat_stop_at_the_status_question_then_start_asks_it_again(client, services):
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say("STOP")
    started = user.say("START")
    assert [m["text"] for m in started["messages"]] == [texts.for_channel(texts.WELCOME_BACK_STATUS, texts.WEBCHAT)]
    assert [q["value"] for q in started["quick_replies"]] == ["In care", "Care leaver", "Rather not say"]
    user.say("In care")
    user.say("16-17")
    participant = _participant(services)
    assert (participant.status, participant.age_band, participant.onboarding["step"]) == ("in_care", "16-17", "done")


def test_sms_stop_at_the_age_question_then_start_asks_it_again(client, services):
    phone = SmsPhone(client, phone_number(96))
    assert phone.send("hello") == [texts.WELCOME.format(council=COUNCIL)]
    assert phone.send("yes") == [texts.ASK_STATUS]
    assert phone.send("2") == [texts.ASK_AGE]
    assert phone.send("STOP") == [texts.STOP_CONFIRMED]

    [reply] = phone.send("START")
    assert reply == texts.WELCOME_BACK_AGE
    assert reply.startswith("Welcome back! How old are you?") and texts.sms_segments(reply) == 1
    assert phone.send("3") == [texts.ONBOARDING_DONE]
    participant = _participant(services)
    assert (participant.status, participant.age_band, participant.onboarding["step"]) == (
        "care_leaver",
        "18-21",
        "done",
    )


def test_sms_stop_at_the_welcome_then_start_sends_the_welcome_again(client, services):
    # START opts them back in; it is no answer to "Replies are private unless someone's at risk": that is asked again.
    phone = SmsPhone(client, phone_number(97))
    phone.send("hello")
    phone.send("STOP")
    assert phone.send("START") == [texts.WELCOME.format(council=COUNCIL)]
    assert phone.send("yes") == [texts.ASK_STATUS]
