"""An anonymous web chat after STOP (trial finding 24): "hi" was asked for consent again, and START said "You're
all set" with the Yes / No thanks buttons still under it. STOP during onboarding declines it, as onboarding's own
STOP does, so words and buttons agree: "hi" is a message, and START sends the welcome again with its buttons."""

from __future__ import annotations

from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.onboarding import OnboardingState
from voice_service.engine.routing import OptedOut, Situation, TextIn, decide


def _chat(text: str) -> str:
    return texts.for_channel(text, texts.WEBCHAT)


def test_stop_during_onboarding_declines_it():
    outcome = decide(Situation(channel="webchat", onboarding=OnboardingState()), "STOP")
    assert isinstance(outcome, OptedOut) and outcome.onboarding is not None
    assert outcome.onboarding.step == "declined"
    assert decide(Situation(channel="webchat"), "STOP").onboarding is None  # nothing under way: nothing declined
    # Declined onboarding is not pending: "hi" is then a message, never the consent question.
    assert isinstance(decide(Situation(channel="webchat"), "hi"), TextIn)


def test_anonymous_chat_after_stop_words_and_buttons_agree(client, services):
    user = ChatUser(client)
    assert user.start()["quick_replies"]  # the welcome's Yes / No thanks
    stopped = user.say("STOP")
    assert [m["text"] for m in stopped["messages"]] == [_chat(texts.STOP_CONFIRMED)] and stopped["quick_replies"] == []

    hello = user.say("hi")
    [reply] = [m["text"] for m in hello["messages"]]
    assert reply != _chat(texts.CONSENT_HELLO) and "Tap Yes" not in reply
    assert hello["quick_replies"] == []

    # START carries the welcome on where STOP ended it (trial 9, T9-14): the welcome again, with its own buttons, so
    # words and buttons still agree (before, "You're all set" with nothing under it, and the welcome never came back).
    started = user.say("START")
    welcome = texts.naming_council(texts.WELCOME, "Testshire County Council")
    assert [m["text"] for m in started["messages"]] == [_chat(welcome)]
    assert [q["value"] for q in started["quick_replies"]] == ["Yes, go on", "No thanks"]
