"""A newcomer asking who we are, or how we got their number, is answered as such (trial finding 11: "wat is
this" at the welcome got "Sorry, we didn't catch that", and "how did u get my number" was never answered; trial T7:
"who is this?" at onboarding's status or age question got "Sorry, we didn't get that")."""

from __future__ import annotations

import pytest

from voice_service.engine import onboarding, texts
from voice_service.engine.keywords import asks_how_we_got_their_number, asks_who_we_are
from voice_service.engine.onboarding import OnboardingState, begin_onboarding, handle_onboarding
from voice_service.engine.routing import Disclosure, Onboarded, Situation, decide

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


# The recogniser's variants (`keywords.asks_who_we_are`, the one used at the welcome and mid-survey too).
ASKING = ["who is this?", "who r u", "whos this", "who are you", "what is this", "Who's this?", "hi who is this"]
STEPS = {
    "status": "Are you: 1 in care, 2 a care leaver, or 3 rather not say? Reply with a number.",
    "age": "How old are you? Reply 1 for 11-15, 2 for 16-17, 3 for 18-21 or 4 for 22-25. Or SKIP.",
}


@pytest.mark.parametrize("said", ASKING)
@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("reasked", [False, True])
def test_asked_at_an_onboarding_question_who_we_are_then_the_question_again_and_it_still_waits(said, step, reasked):
    # Trial T7 at onboarding: "who is this?" at the status or age question got "Sorry, we didn't get that" (and,
    # after one re-ask, was taken as no answer and onboarding moved on without it).
    state = OnboardingState(step=step, status="care_leaver" if step == "age" else None, reasked=reasked)
    told = handle_onboarding(state, said, council=COUNCIL)
    assert told.replies == (f"This is the Voice team at {COUNCIL}. {STEPS[step]}",)
    assert told.state == state and told.profile is None and not told.declined
    assert "Sorry" not in told.replies[0] and texts.sms_segments(told.replies[0]) == 1
    # The question still waits for its answer.
    answered = handle_onboarding(told.state, "2", council=COUNCIL)
    if step == "status":
        assert answered.state.step == "age" and answered.state.status == "care_leaver"
    else:
        assert answered.profile == {"status": "care_leaver", "age_band": "16-17"}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_who_we_are_at_an_onboarding_question_is_one_segment_for_the_longest_council(step):
    state = OnboardingState(step=step)
    for council in (texts.LONGEST_COUNCIL, "Bournemouth, Christchurch and Poole Council", "the council"):
        (reply,) = handle_onboarding(state, "who r u", council=council).replies
        for adult in (False, True, None):
            words = texts.for_person(reply, "sms", adult=adult)
            assert texts.is_gsm7(words) and texts.sms_segments(words) == 1, words
        assert reply.startswith(f"This is the Voice team at {council}. ")  # the fuller words fit, even then


@pytest.mark.parametrize("step", sorted(STEPS))
def test_in_the_chat_who_we_are_at_an_onboarding_question_says_the_chats_words(step):
    (reply,) = handle_onboarding(OnboardingState(step=step), "who is this", council=COUNCIL).replies
    chat = texts.for_channel(reply, texts.WEBCHAT)
    prompt = texts.for_channel(onboarding.PROMPTS[step], texts.WEBCHAT)
    assert chat == f"This is the Voice team at {COUNCIL}. " + prompt.removeprefix("Thanks! ").replace("And how", "How")
    assert "STOP" not in chat and "Reply" not in chat and "text" not in chat.lower()


@pytest.mark.parametrize("step", sorted(STEPS))
def test_routing_keeps_who_is_this_at_an_onboarding_question_for_a_worker_but_a_disclosure_comes_first(step):
    situation = Situation(channel="sms", council=COUNCIL, onboarding=OnboardingState(step=step))
    told = decide(situation, "who is this?")
    assert isinstance(told, Onboarded) and told.keep_text and told.step.state == situation.onboarding
    assert told.replies == (f"This is the Voice team at {COUNCIL}. {STEPS[step]}",)
    # Screened first, as mid-survey: a disclosure in the same message is a disclosure, never this answer.
    disclosure = decide(situation, "who is this? he hits me", risk=True)
    assert isinstance(disclosure, Disclosure) and disclosure.replies == ()
