"""A newcomer asking who we are, or how we got their number, is answered as such (trial finding 11: "wat is
this" at the welcome got "Sorry, I didn't catch that", and "how did u get my number" was never answered)."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.keywords import asks_how_we_got_their_number, asks_who_we_are
from voice_service.engine.onboarding import OnboardingState, begin_onboarding, handle_onboarding

COUNCIL = "Testshire County Council"


@pytest.mark.parametrize("said", ["wat is this", "who is this?", "whats this about", "what is this lol", "Who r u"])
def test_asked_at_the_welcome_who_we_are_gets_the_plain_answer_and_the_welcome_still_waits(said):
    step = handle_onboarding(OnboardingState(), said, council=COUNCIL)
    assert step.replies == (texts.WHO_WE_ARE_WELCOME.format(council=COUNCIL),)
    assert "care leavers" in step.replies[0] and step.state == OnboardingState()
    assert handle_onboarding(step.state, "yes", council=COUNCIL).state.step == "status"


def test_how_we_got_their_number_is_answered_truthfully_at_the_welcome_and_as_a_first_text():
    step = handle_onboarding(OnboardingState(), "how did u get my number", council=COUNCIL)
    assert step.replies == (texts.NUMBER_FROM_THEM.format(council=COUNCIL),)
    assert step.replies[0].startswith("You texted us")
    state, first = begin_onboarding(council=COUNCIL, text="how did u get my number")
    assert first == step.replies[0] and state == OnboardingState()
    assert begin_onboarding(council=COUNCIL, text="who is this?")[1] == texts.WELCOME.format(council=COUNCIL)


def test_the_welcome_is_for_care_leavers_too_and_each_answer_fits_one_segment():
    for template in (texts.WELCOME, texts.WHO_WE_ARE_WELCOME, texts.NUMBER_FROM_THEM):
        said = texts.naming_council(template, texts.LONGEST_COUNCIL)
        assert texts.is_gsm7(said) and texts.sms_segments(said) == 1, said
    assert "care leavers" in texts.WELCOME and "care leavers" in texts.SHORTER[texts.WELCOME]
    # In an anonymous chat there is no number to explain, and nothing about texting.
    chat = texts.for_channel(texts.NUMBER_FROM_THEM.format(council=COUNCIL), texts.WEBCHAT)
    assert "texted" not in chat and "STOP" not in chat and "care leavers" in chat


def test_a_question_that_is_not_about_us_is_not_taken_for_one():
    for said in ("what is this survey for my social worker", "who is my social worker", "what"):
        assert not asks_who_we_are(said)
    assert not asks_how_we_got_their_number("who is this?")
