"""A live alert that only flags text the screen could not read (not in English: a Welsh answer in a Welsh run)
is no disclosure (trial 5, F5): the survey is not paused, no help reply is sent and nothing is answered as after a
disclosure; a plea in words still reaches the duty team. A live alert for a disclosure is answered as ever."""

from __future__ import annotations

from dataclasses import replace

from voice_service.engine.conversation import begin, handle
from voice_service.engine.routing import (
    AfterDisclosure,
    OnboardingBegun,
    Picture,
    Situation,
    SurveyStep,
    TextIn,
    WantsPerson,
    awaiting,
    decide,
    disclosed,
)
from voice_service.surveys.loader import parse_survey

SURVEY = b"""
id = "small"
title = "Small"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks, all done."

[[questions]]
id = "why"
kind = "text"
text = "Why is that?"
text_cy = "Pam hynny?"

[[questions]]
id = "more"
kind = "yes_no"
text = "Anything else? Reply YES or NO."
text_cy = "Unrhyw beth arall? Ateba IE neu NA."
"""

UNREAD_ONLY = Situation(channel="sms", alert_live=True, alert_unread=True, language="cy")
DISCLOSED = Situation(channel="sms", alert_live=True, language="cy")


def _at_second_question() -> Situation:
    survey = parse_survey(SURVEY, "small.toml")
    started = handle(survey, begin(survey, first_name="Cai", language="cy").state, "ie")
    answered = handle(survey, started.state, "Mae fy ngofalwr yn garedig iawn")
    return replace(UNREAD_ONLY, run=answered.state, survey=survey)


def test_an_unread_flag_is_not_a_disclosure():
    assert not disclosed(UNREAD_ONLY) and disclosed(DISCLOSED)


def test_after_the_survey_an_ordinary_message_is_thanked_not_answered_as_after_a_disclosure():
    outcome = decide(UNREAD_ONLY, "ok thanks")
    assert isinstance(outcome, TextIn) and outcome.events == ("text_in",)
    assert isinstance(decide(DISCLOSED, "ok thanks"), AfterDisclosure)


def test_help_mid_survey_is_help_not_a_plea():
    situation = _at_second_question()
    outcome = decide(situation, "HELP")
    assert isinstance(outcome, SurveyStep) and outcome.events == ("help",)
    assert awaiting(situation).kind == "question"  # the chat keeps its survey buttons
    assert isinstance(decide(replace(situation, alert_unread=False), "HELP"), WantsPerson)


def test_the_survey_goes_on_and_a_plea_in_words_still_reaches_the_duty_team():
    situation = _at_second_question()
    answered = decide(situation, "ie")
    assert isinstance(answered, SurveyStep) and answered.step.answer is not None
    plea = decide(situation, "please help me")
    assert isinstance(plea, WantsPerson) and plea.after_disclosure


def test_a_newcomer_whose_first_text_was_unread_is_welcomed_next():
    newcomer = replace(UNREAD_ONLY, new_participant=True)
    assert isinstance(decide(newcomer, "hi"), OnboardingBegun)
    assert isinstance(decide(replace(newcomer, alert_unread=False), "hi"), AfterDisclosure)


def test_a_picture_after_an_unread_flag_asks_for_words_without_saying_the_team_was_told():
    picture = decide(_at_second_question(), "", pictures=1)
    assert isinstance(picture, Picture) and "told the team" not in picture.replies[0]


def test_who_are_you_in_welsh_is_understood_with_a_comma_after_the_hello():
    from voice_service.engine.routing import understood

    assert understood("Helo, pwy sy na?") and understood("pwy wyt ti?") and understood("hi, who is this")
    assert not understood("Mae fy ngofalwr yn garedig iawn")


def test_a_bare_number_at_a_paused_free_text_question_is_told_the_survey_is_paused():
    survey = parse_survey(SURVEY, "small.toml")
    started = handle(survey, begin(survey, first_name="Cai").state, "yes")
    paused = replace(DISCLOSED, run=started.state.but(status="paused"), survey=survey, language="en")
    for bare in ("3", "three", "5!"):
        outcome = decide(paused, bare)
        assert isinstance(outcome, AfterDisclosure) and outcome.survey_paused, bare
    for words in ("i dont know", "ok", "3 people shout at me"):
        outcome = decide(paused, words)
        assert isinstance(outcome, AfterDisclosure) and not outcome.survey_paused, words


def test_who_is_this_after_a_disclosure_is_one_segment_for_anyone():
    from voice_service.engine import texts

    for texted_first in (False, True):
        said = texts.who_after_disclosure_reply("Testshire County Council", texted_first=texted_first)
        for adult in (None, False, True):
            assert texts.sms_segments(texts.for_age(said, adult=adult)) == 1, (texted_first, adult)
