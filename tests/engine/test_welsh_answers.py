"""A yes or no in Welsh is read in a Welsh run (trial T11: "ie", Welsh for yes, was not read as yes), and only there:
"ie" is also i.e. typed without its dots."""

from __future__ import annotations

import pytest

from voice_service.engine.answers import parse_yes_no, parse_yes_no_answer
from voice_service.engine.conversation import begin, handle
from voice_service.engine.routing import Situation, SurveyStep, decide
from voice_service.engine.types import RunState
from voice_service.surveys.loader import parse_survey

YES = ["ie", "Ie", "IE!", "ydw", "Ydw diolch", "ydy", "oes", "Gallaf", "ia", "iawn", "ie plis", "yes", "yeah"]
NO = ["na", "Na", "nage", "Nage!", "nac ydw", "Nac oes", "naddo", "ddim really", "byth", "dim diolch", "no", "nah"]
UNSURE = ["ddim yn siwr", "Dwi ddim yn si\u0175r", "dwn i ddim", "weithiau", "falle", "ie a na", "dim syniad", "idk"]


@pytest.mark.parametrize("said", YES)
def test_welsh_yes(said):
    assert parse_yes_no(said, "cy") is True


@pytest.mark.parametrize("said", NO)
def test_welsh_no(said):
    assert parse_yes_no(said, "cy") is False


@pytest.mark.parametrize("said", UNSURE)
def test_welsh_unsure_is_asked_again(said):
    assert parse_yes_no(said, "cy") is None


@pytest.mark.parametrize("said", ["iawn", "Iawn!", "iawn diolch", "ok", "ok diolch"])
def test_iawn_answers_no_welsh_yes_or_no_question_as_ok_answers_no_english_one(said):
    """ "Iawn" is Welsh "ok" or "fine": it takes up an invitation, but to "Do you feel listened to?" it says
    neither, so it is asked again (`parse_yes_no_answer`), as "ok" is in English."""
    assert parse_yes_no(said, "cy") is True
    assert parse_yes_no_answer(said, "cy") is None


@pytest.mark.parametrize(("said", "expected"), [("ie iawn", True), ("iawn ie", True), ("iawn na", False)])
def test_a_welsh_yes_or_no_beside_iawn_is_still_the_answer(said, expected):
    assert parse_yes_no_answer(said, "cy") is expected


@pytest.mark.parametrize("said", ["ie", "ydw", "nage", "nac oes", "ie i dont see her", "do"])
def test_welsh_words_are_not_read_in_an_english_run(said):
    assert parse_yes_no(said) is None and parse_yes_no(said, "en") is None


def test_do_is_not_read_as_yes_even_in_welsh():
    # Welsh yes to a question in the past, but English "do i have to?": no Welsh question here asks in the past.
    assert parse_yes_no("do i have to", "cy") is None


SURVEY = b"""
id = "small"
title = "Small"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks, all done."

[[questions]]
id = "worker"
kind = "yes_no"
text = "Do you see your social worker enough? Reply YES or NO."
text_cy = "Wyt ti'n gweld dy weithiwr cymdeithasol ddigon? Ateba IE neu NA."

[[questions]]
id = "other"
kind = "text"
text = "Anything else?"
"""


def test_a_welsh_run_takes_ie_to_start_and_as_its_answer_and_routing_reads_it_as_an_answer():
    survey = parse_survey(SURVEY, "small.toml")
    started = handle(survey, begin(survey, first_name="Sam", language="cy").state, "ie")
    assert started.events == ("started",) and started.state.current == "worker"
    answered = handle(survey, started.state, "ie")
    assert answered.answer is not None and answered.answer.value is True
    assert handle(survey, started.state, "nage").answer.value is False
    # Text the screen could not read that answers the waiting question is that answer, not a message for a person.
    outcome = decide(Situation(channel="sms", run=started.state, survey=survey), "nac ydw", unread=True)
    assert isinstance(outcome, SurveyStep) and outcome.step.answer.value is False
    english = RunState(survey_id=survey.id, survey_version=survey.version, status="active", current="worker")
    assert handle(survey, english, "ie").events == ("reasked",)
