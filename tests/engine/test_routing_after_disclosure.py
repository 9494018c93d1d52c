"""Routing while a safeguarding alert is live: the pure decision, channel by channel (issue 10 section 4)."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.conversation import begin, handle, pause
from voice_service.engine.onboarding import OnboardingState
from voice_service.engine.routing import (
    AfterDisclosure,
    Onboarded,
    Situation,
    SurveyStep,
    WantsPerson,
    awaiting,
    decide,
)
from voice_service.surveys.loader import parse_survey

SURVEY = parse_survey(
    b"""
id = "tiny"
title = "Tiny"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks."

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel? Reply 1 (not safe) to 5 (very safe)"
min = 1
max = 5
""",
    "tiny.toml",
)


def _paused_at_question() -> Situation:
    asked = handle(SURVEY, begin(SURVEY, first_name="Sam").state, "yes").state
    return Situation(channel="webchat", run=pause(asked), survey=SURVEY, alert_live=True)


@pytest.mark.parametrize("text", ["3", "im scared", "what happens now", "ok", "no", "SKIP"])
def test_anything_but_a_choice_to_carry_on_gets_what_happens_next(text):
    outcome = decide(_paused_at_question(), text)
    assert isinstance(outcome, AfterDisclosure) and outcome.replies == ()


@pytest.mark.parametrize("text", ["GO ON", "carry on", "START"])
def test_a_choice_to_carry_on_resumes(text):
    outcome = decide(_paused_at_question(), text)
    assert isinstance(outcome, SurveyStep) and outcome.step.state.status == "active"


def test_a_plea_for_help_is_the_wants_a_person_path_with_the_emergency_options():
    outcome = decide(_paused_at_question(), "i need help")
    assert isinstance(outcome, WantsPerson) and outcome.after_disclosure and outcome.keep_text


def test_nothing_is_offered_while_the_alert_is_live():
    assert awaiting(_paused_at_question()).kind == "nothing"
    onboarding = Situation(channel="webchat", onboarding=OnboardingState(), alert_live=True)
    assert awaiting(onboarding).kind == "nothing"  # no "Yes, go on / No thanks"
    closed = Situation(channel="webchat", onboarding=OnboardingState())
    assert awaiting(closed).kind == "onboarding"


def test_onboarding_goes_on_only_with_go_on_and_a_yes_is_a_plea():
    """After the help reply ("Need help now? ..."), a YES answers that, not the welcome (trial 3, F20)."""
    situation = Situation(channel="webchat", onboarding=OnboardingState(), alert_live=True)
    assert isinstance(decide(situation, "ok"), AfterDisclosure)
    assert isinstance(decide(situation, "hi"), AfterDisclosure)
    for yes in ("yes", "YES", "yes please"):
        plea = decide(situation, yes)
        assert isinstance(plea, WantsPerson) and plea.after_disclosure and plea.keep_text
    went_on = decide(situation, "GO ON")
    assert isinstance(went_on, Onboarded) and went_on.replies == (texts.ASK_STATUS,)


def test_a_yes_at_a_paused_invitation_is_a_plea_while_the_alert_is_live():
    invited = begin(SURVEY, first_name="Sam").state
    situation = Situation(channel="sms", run=pause(invited), survey=SURVEY, alert_live=True)
    plea = decide(situation, "yes")
    assert isinstance(plea, WantsPerson) and plea.after_disclosure
    started = decide(situation, "GO ON")
    assert isinstance(started, SurveyStep) and started.step.state.status == "active"
    closed = decide(Situation(channel="sms", run=pause(invited), survey=SURVEY), "yes")  # its alert closed
    assert isinstance(closed, SurveyStep) and closed.step.state.status == "active"


def test_a_newcomer_who_disclosed_is_not_onboarded_while_the_alert_is_live():
    situation = Situation(channel="sms", new_participant=True, alert_live=True)
    assert isinstance(decide(situation, "what now"), AfterDisclosure)
    helped = decide(situation, "HELP")  # a plea while the alert is live: 999, and the duty team is told
    assert isinstance(helped, WantsPerson) and helped.after_disclosure


def test_a_new_invitation_after_the_disclosure_is_answered_as_usual():
    invited = Situation(channel="sms", run=begin(SURVEY, first_name="Sam").state, survey=SURVEY, alert_live=True)
    outcome = decide(invited, "yes")
    assert isinstance(outcome, SurveyStep) and outcome.step.state.status == "active"


def test_after_disclosure_texts_are_one_segment_and_fit_both_channels():
    for text in (
        texts.after_disclosure_reply(None),
        texts.after_disclosure_reply("Wed 10:30am"),
        texts.wants_person_reply(None, after_disclosure=True),
        texts.wants_person_reply("Wed 10:30am", after_disclosure=True),
    ):
        in_chat = texts.for_channel(text, texts.WEBCHAT)
        for said in (text, in_chat):
            assert texts.sms_segments(said) == 1 and "999" in said and "Childline" in said
            assert not any(word in said.lower() for word in ("text", "reply", "tap", "button", "survey", "go on"))
        if text.startswith("Thanks."):  # asking for a person: the chat says the answer comes there (trial 14)
            assert "A worker will answer you" in in_chat and "get back to you" not in in_chat
        else:
            assert in_chat == text


@pytest.mark.parametrize("step", ["status", "age"])
@pytest.mark.parametrize("text", ["1", "2", "SKIP", "im in care", "I'm 15"])
def test_a_clear_answer_to_an_optional_onboarding_question_does_not_carry_on(step, text):
    """Like a paused survey, onboarding waits after a disclosure until they choose to carry on."""
    situation = Situation(channel="sms", onboarding=OnboardingState(step=step), alert_live=True)
    assert isinstance(decide(situation, text), AfterDisclosure)


@pytest.mark.parametrize("text", ["GO ON", "carry on"])
def test_going_on_with_onboarding_asks_its_question_again_and_then_answers_count(text):
    situation = Situation(channel="sms", onboarding=OnboardingState(step="status"), alert_live=True)
    went_on = decide(situation, text)
    assert isinstance(went_on, Onboarded) and went_on.replies == (texts.ASK_STATUS,)
    assert went_on.step.state.step == "status" and went_on.step.state.carried_on
    after = Situation(channel="sms", onboarding=went_on.step.state, alert_live=True)
    assert awaiting(after).kind == "onboarding"
    answered = decide(after, "1")
    assert isinstance(answered, Onboarded) and answered.step.state.step == "age" and answered.step.state.carried_on


def test_go_on_at_the_welcome_carries_on_through_the_optional_questions():
    situation = Situation(channel="sms", onboarding=OnboardingState(), alert_live=True)
    went_on = decide(situation, "GO ON")
    assert isinstance(went_on, Onboarded) and went_on.step.state.carried_on
    answered = decide(Situation(channel="sms", onboarding=went_on.step.state, alert_live=True), "2")
    assert isinstance(answered, Onboarded) and answered.step.state.step == "age"


def test_a_further_disclosure_pauses_onboarding_again():
    carried = OnboardingState(step="age", carried_on=True)
    disclosed = decide(Situation(channel="sms", onboarding=carried, alert_live=True), "he hits me", risk=True)
    assert disclosed.onboarding == OnboardingState(step="age")
    assert isinstance(
        decide(Situation(channel="sms", onboarding=disclosed.onboarding, alert_live=True), "2"), AfterDisclosure
    )


@pytest.mark.parametrize(
    ("text", "who"), [("who is this", True), ("whos this?", True), ("ok", False), ("who is my worker", False)]
)
def test_who_is_this_while_the_alert_is_live_names_us(text, who):
    situation = Situation(channel="sms", council="Testshire County Council", alert_live=True, new_participant=True)
    outcome = decide(situation, text)
    assert isinstance(outcome, AfterDisclosure) and outcome.keep_text
    assert outcome.who_we_are == ("Testshire County Council" if who else "")


@pytest.mark.parametrize("text", ["GO ON", "go on", "carry on", "Carry on with the survey"])
def test_go_on_with_nothing_paused_is_no_plea_and_says_nothing_waits(text):
    """Trial 8, H8: with no survey or onboarding paused, GO ON was read as the YES to "Need help now?"."""
    outcome = decide(Situation(channel="webchat", alert_live=True), text)
    assert isinstance(outcome, AfterDisclosure) and outcome.nothing_waiting
    assert isinstance(decide(Situation(channel="webchat", alert_live=True), "yes"), WantsPerson)
    for back in (None, "Wed 10:30am"):
        words = texts.after_disclosure_reply(back, nothing_waiting=True)
        assert texts.sms_segments(words) == 1 and "999" in words and texts.for_channel(words, texts.WEBCHAT) == words


@pytest.mark.parametrize(("step", "text"), [("status", "3"), ("status", "SKIP"), ("age", "I'm 15"), ("age", "2")])
def test_an_answer_to_onboardings_question_after_a_disclosure_is_told_how_to_carry_on(step, text):
    """Trial 9, T9-J: it got only "a worker will get back to you", and nothing said GO ON."""
    outcome = decide(Situation(channel="sms", onboarding=OnboardingState(step=step), alert_live=True), text)
    assert isinstance(outcome, AfterDisclosure) and outcome.onboarding_paused
    words = texts.ONBOARDING_PAUSED
    assert "GO ON" in words and "999" in words and texts.sms_segments(texts.for_age(words, adult=None)) == 1
    chatty = decide(Situation(channel="sms", onboarding=OnboardingState(step=step), alert_live=True), "im scared")
    assert isinstance(chatty, AfterDisclosure) and not chatty.onboarding_paused


@pytest.mark.parametrize("channel", ["sms", "webchat"])
def test_once_the_alert_is_closed_each_later_thanks_says_how_to_carry_on(channel):
    """Trial 13: after the one offer, later messages were thanked with no word of the survey waiting, so the way back
    was lost. Each thanks now says how to carry on (GO ON, or the chat's button), in one segment for any age."""
    run = _paused_at_question().run  # their alert is closed now
    said = []
    for text in ("ok", "thanks", "see you"):
        outcome = decide(Situation(channel=channel, run=run, survey=SURVEY), text)
        assert isinstance(outcome, SurveyStep) and outcome.step.state.status == "paused"
        run = outcome.step.state
        said.append(outcome.replies)
    assert said == [(texts.PAUSED_OFFER,), (texts.PAUSED_THANKS,), (texts.PAUSED_THANKS,)]
    for adult in (False, True, None):
        for language in ("en", "cy"):
            words = texts.for_person(texts.PAUSED_THANKS, channel, adult=adult, language=language)
            assert ("GO ON" in words) is (channel == "sms"), words  # the chat names its button instead
            assert "0800 1111" in words or "116 123" in words, words  # where help is, still
            assert channel == "webchat" or texts.sms_segments(words) == 1, words
    chat = texts.for_person(texts.PAUSED_THANKS, "webchat", adult=False)
    assert texts.CARRY_ON_BUTTON in chat
