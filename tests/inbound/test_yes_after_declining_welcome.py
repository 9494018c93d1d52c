""" "No thanks" to a newcomer's welcome says "If you change your mind, just text YES" (chat: "just send YES"), and
YES (or START) then asks the first onboarding question; the chat offers "I've changed my mind" (trial finding
11: YES was a plain text-in). Through the real webhook (signed) and the web chat API, on both databases."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.onboarding import ASK_AGE, ASK_STATUS, DONE
from voice_service.models import Participant


def _chat(text: str) -> str:
    return texts.for_channel(text, texts.WEBCHAT)


def _onboarding(services) -> list[dict | None]:
    with Session(services.engine) as session:
        return [p.onboarding for p in session.exec(select(Participant)).scalars()]


def test_sms_yes_after_declining_the_welcome_starts_onboarding(client, services):
    phone = SmsPhone(client, phone_number(90))
    [welcome] = phone.send("hello")
    assert "YES" in welcome
    assert phone.send("no") == [texts.ONBOARDING_DECLINED]
    [thanks] = phone.send("can i have sleepovers at my mates")  # "i have" in a sentence: no change of mind
    assert thanks.startswith("Thanks for your message")
    assert phone.send("yes") == [ASK_STATUS]
    assert phone.send("1") == [ASK_AGE]
    assert phone.send("16-17") == [DONE]
    [state] = _onboarding(services)
    assert state is not None and state["step"] == "done"


def test_sms_start_after_declining_the_welcome_starts_onboarding(client, services):
    phone = SmsPhone(client, phone_number(91))
    phone.send("hi")
    assert phone.send("nah") == [texts.ONBOARDING_DECLINED]
    assert phone.send("START") == [ASK_STATUS]


def test_chat_offers_a_way_back_after_no_thanks_and_yes_takes_it(client, services):
    user = ChatUser(client)
    user.start()
    declined = user.say("No")
    assert [m["text"] for m in declined["messages"]] == [_chat(texts.ONBOARDING_DECLINED)]
    assert [(r["label"], r["value"]) for r in declined["quick_replies"]] == [("I've changed my mind",) * 2]
    said = user.say("school is going better now i have a tutor")
    assert [m["text"] for m in said["messages"]] != [_chat(ASK_STATUS)]  # a message, not a change of mind
    started = user.say("Yes")
    assert [m["text"] for m in started["messages"]] == [_chat(ASK_STATUS)]
    assert started["quick_replies"]  # the status buttons
    [state] = _onboarding(services)
    assert state is not None and state["step"] == "status"
