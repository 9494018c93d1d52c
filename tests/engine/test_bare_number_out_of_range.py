"""A message that is only a number outside the scale or the choices is asked again however often it comes (trial 9,
T9-B). One re-ask, then their words kept, is the rule for words the engine cannot place; a bare "7" to a 1 to 5
question has no words to keep, and the second one was stored as the answer ("7", no value) and the survey went on
without a word to them."""

from __future__ import annotations

import pytest

from tests.engine.test_conversation import SMALL
from voice_service.engine import texts
from voice_service.engine.answers import only_a_number
from voice_service.engine.conversation import begin, handle
from voice_service.surveys.loader import parse_survey

SURVEY = parse_survey(SMALL, "small.toml")


def _at(question_id: str):
    state = handle(SURVEY, begin(SURVEY, first_name="Sam").state, "yes").state
    if question_id == "listened":
        state = handle(SURVEY, state, "4").state  # safe: 4 goes to worker
        state = handle(SURVEY, state, "yes").state  # worker: yes
    assert state.current == question_id
    return state


@pytest.mark.parametrize(("question_id", "number"), [("safe", "7"), ("safe", "0"), ("safe", "-1"), ("listened", "9")])
def test_a_bare_number_outside_the_answers_is_asked_again_every_time(question_id, number):
    state = _at(question_id)
    question = next(q for q in SURVEY.questions if q.id == question_id)
    for said in (number, number, f"{number}!", number):
        step = handle(SURVEY, state, said)
        assert step.answer is None and step.replies == (texts.reask(question),) and step.state.current == question_id
        state = step.state
    assert handle(SURVEY, state, "2").answer is not None  # a number it reads still answers


def test_words_are_still_kept_after_one_re_ask():
    state = handle(SURVEY, _at("safe"), "7").state
    step = handle(SURVEY, state, "7 because its great here")
    assert step.answer is not None and step.answer.free_text and step.state.current != "safe"


def test_what_is_only_a_number():
    for text in ("7", " 7 ", "-1", "\u22121", "+9", "minus 2", "8!", "0.", "2.5", "10"):
        assert only_a_number(text), text
    for text in ("7 because", "year 9", "10pm", "", "seven", "3/5", "2 or 3"):
        assert not only_a_number(text), text
