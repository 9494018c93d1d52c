"""The web chat's buttons send their own words (`texts.BUTTONS`, and in a Welsh run `texts.WELSH_BUTTONS`): the
engine reads each, typed, as what its words say, where its button is shown. The pure decision."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.conversation import begin, handle, pause
from voice_service.engine.onboarding import OnboardingState
from voice_service.engine.routing import ChangedMind, Onboarded, Situation, SurveyStep, decide, understood
from voice_service.surveys.loader import parse_survey

SURVEY = parse_survey(
    b"""
id = "tiny"
title = "Tiny"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
intro_cy = "Helo {first_name}! Ateba IE i ddechrau, neu STOP i stopio."
outro = "Thanks."
outro_cy = "Diolch."

[[questions]]
id = "heard"
kind = "yes_no"
text = "Do you feel listened to? Reply YES or NO."
text_cy = "Wyt ti'n teimlo bod pobl yn gwrando? Ateba IE neu NA."
optional = true

[[questions]]
id = "why"
kind = "text"
text = "Why is that?"
text_cy = "Pam hynny?"
""",
    "tiny.toml",
)
LANGUAGES = ["en", "cy"]


def _in_run(language: str, *said: str) -> Situation:
    """A web chatter whose run (in `language`) has been sent `said`, in turn, from its invitation."""
    state = begin(SURVEY, first_name="Sam", language=language).state
    for text in said:
        state = handle(SURVEY, state, text).state
    return Situation(channel="webchat", run=state, survey=SURVEY, language=language)


def _step(situation: Situation, label: str) -> SurveyStep:
    outcome = decide(situation, texts.button(label, situation.language))
    assert isinstance(outcome, SurveyStep)
    return outcome


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invitations_buttons_start_and_decline(language):
    assert "started" in _step(_in_run(language), texts.START_BUTTON).events
    assert "declined" in _step(_in_run(language), texts.NOT_NOW_BUTTON).events


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_questions_buttons_answer_yes_no_and_skip(language):
    asked = _in_run(language, "START")
    assert [_step(asked, label).step.answer.value for label in (texts.YES_BUTTON, texts.NO_BUTTON)] == [True, False]
    assert _step(asked, texts.SKIP_BUTTON).step.answer.skipped


@pytest.mark.parametrize("language", LANGUAGES)
def test_carry_on_after_a_disclosure_and_the_way_back_after_not_now(language):
    paused = _in_run(language, "START")
    paused = Situation(channel="webchat", run=pause(paused.run), survey=SURVEY, language=language)
    assert "resumed" in _step(paused, texts.CARRY_ON_BUTTON).events
    declined = _in_run(language, texts.button(texts.NOT_NOW_BUTTON, language)).run
    after_no = Situation(channel="webchat", declined=declined, declined_survey=SURVEY, language=language)
    assert isinstance(decide(after_no, texts.button(texts.START_BUTTON, language)), ChangedMind)


def test_onboardings_buttons_go_on_say_no_and_change_a_mind():
    welcome = Situation(channel="webchat", onboarding=OnboardingState())
    consented = decide(welcome, texts.CONSENT_BUTTON)
    assert isinstance(consented, Onboarded) and consented.step.state.step == "status"
    declined = decide(welcome, texts.NO_THANKS_BUTTON)
    assert isinstance(declined, Onboarded) and declined.step.state.step == "declined"
    after_no = Situation(channel="webchat", declined_onboarding=declined.step.state)
    changed = decide(after_no, texts.CHANGED_MIND_BUTTON)
    assert isinstance(changed, Onboarded) and changed.step.state.step == "status"
    age = decide(Situation(channel="webchat", onboarding=OnboardingState(step="age")), texts.SKIP_BUTTON)
    assert isinstance(age, Onboarded) and age.step.state.step == "done" and age.step.profile is not None


def test_every_buttons_words_are_read_in_full_in_every_language():
    """So the screen's "not in English" flag never makes a tap a message for a person to read."""
    for language in ("en", *texts.BUTTONS_IN):
        assert all(understood(texts.button(label, language)) for label in texts.BUTTONS)
    assert texts.button(texts.CARRY_ON_BUTTON, "cy") != texts.CARRY_ON_BUTTON  # Welsh, not English again
