"""HELP or "?" at a newcomer's welcome, before they say YES (trial finding 23): no question has been asked, so
never "Just reply to the question, send SKIP"; as at an invitation, who we are, YES to go on, STOP and how to
reach a person, in one SMS segment; in the web chat, in the chat's words (buttons, no texting words)."""

from __future__ import annotations

import pytest

from tests.conftest import SmsPhone
from tests.factories import phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.onboarding import OnboardingState, handle_onboarding

COUNCIL = "Testshire County Council"


def test_help_at_the_welcome_is_not_the_questions_help():
    step = handle_onboarding(OnboardingState(), "?", council=COUNCIL)
    assert step.replies == (texts.HELP_WELCOME.format(council=COUNCIL),) and step.state == OnboardingState()
    assert handle_onboarding(OnboardingState(step="status"), "HELP").replies == (texts.HELP,)  # a question waits


@pytest.mark.parametrize("word", ["?", "HELP"])
def test_help_at_the_sms_welcome_says_who_we_are_and_how_to_go_on(client, services, word):
    phone = SmsPhone(client, phone_number(95))
    assert "Reply YES" in phone.send("hi")[0]  # the welcome
    (reply,) = phone.send(word)
    assert COUNCIL in reply and "YES to go on" in reply and "STOP" in reply and "CALL ME" in reply
    assert "question" not in reply and "SKIP" not in reply
    assert "Samaritans 116 123" in reply  # their age is not known yet: both lines
    assert texts.sms_segments(reply) == 1
    assert phone.send("yes") == [texts.ASK_STATUS]  # the welcome still waited for YES


def test_help_at_the_chat_welcome_fits_the_chat(client, services):
    user = ChatUser(client)
    user.start()
    said = user.say("?")
    [reply] = [m["text"] for m in said["messages"]]
    assert COUNCIL in reply and "Tap Yes" in reply and "TALK TO A PERSON" in reply
    assert "question" not in reply and "SKIP" not in reply and "text" not in reply.lower() and "STOP" not in reply
    assert said["quick_replies"]  # Yes / No thanks still under it
