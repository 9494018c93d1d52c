"""A bare "ok" to a yes or no question ("Do you feel listened to at your reviews?") answers nothing: "ok" to what?
It was stored as YES, on the "yes" side of the panel's chart. Now it is asked again, as any reply that can't be read
is; beside a yes or a no it is neither ("ok yes" is yes), and a thumbs up still says yes. At an invitation, "ok"
still takes it up, as YES does ("Reply YES to start": `answers.parse_yes_no`)."""

from __future__ import annotations

import pytest

from tests.factories import small_survey
from voice_service.engine import texts
from voice_service.engine.answers import parse_yes_no, parse_yes_no_answer
from voice_service.engine.conversation import begin, handle
from voice_service.engine.routing import Situation, SurveyStep, decide

SURVEY = small_survey()


@pytest.mark.parametrize("text", ["ok", "OK", "Ok!", "okay", "k", "kk", "okkk", "ok thanks", "well ok", "ok."])
def test_ok_alone_answers_no_yes_no_question(text):
    assert parse_yes_no_answer(text) is None
    assert parse_yes_no(text) is True  # "Reply YES to start": there it agrees


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok yes", True),
        ("yeah ok", True),
        ("ok 👍", True),
        ("👍", True),
        ("ok sure", True),
        ("ok i do", True),
        ("ok no", False),
        ("ok not really", False),
        ("nah", False),
        ("yes", True),
    ],
)
def test_a_yes_or_no_beside_ok_is_still_the_answer(text, expected):
    assert parse_yes_no_answer(text) is expected


def _at_listened():
    """A run waiting at the yes or no question (`listened`)."""
    started = handle(SURVEY, begin(SURVEY, first_name="Sam").state, "ok")  # "ok" takes up the invitation
    assert started.events == ("started",)
    state = handle(SURVEY, started.state, "4").state
    assert state.current == "listened"
    return state


def test_ok_at_a_yes_no_question_is_asked_again_not_stored_as_yes():
    state = _at_listened()
    step = handle(SURVEY, state, "ok")
    assert step.answer is None and step.events == ("reasked",) and step.state.current == "listened"
    assert step.replies == (texts.reask(SURVEY.question("listened")),)
    answered = handle(SURVEY, step.state, "yes")
    assert answered.answer is not None and answered.answer.value is True


def test_routing_reads_ok_at_a_yes_no_question_as_no_answer():
    outcome = decide(Situation(channel="sms", run=_at_listened(), survey=SURVEY), "ok")
    assert isinstance(outcome, SurveyStep) and outcome.step.answer is None
    assert outcome.step.events == ("reasked",)
