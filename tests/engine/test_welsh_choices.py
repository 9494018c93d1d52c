"""A Welsh speaker's number words and choice words are read in a Welsh run as English ones are (trial: "dau",
"y cyntaf" and "Weithiau" to the pulse's "listened" question were asked again, then stored as free text): Welsh
numbers and ordinals ("un", "dau", "tri", "pedwar", "pump", "rhif 2", "y cyntaf", "yr ail"), and the question's own
Welsh choices (`choices_cy`), each stored as the English choice in the same place, so both languages count
together. Not in an English run, and a number in a Welsh sentence is no answer, as in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_service.engine.answers import parse_choice, parse_scale
from voice_service.engine.conversation import begin, handle
from voice_service.surveys.loader import SurveyError, load_survey, parse_survey

PULSE = Path(__file__).resolve().parents[2] / "conversations" / "surveys" / "pulse.toml"
CHOICES = ("Always", "Sometimes", "Not often", "Never")
WELSH = ("Bob amser", "Weithiau", "Ddim yn aml", "Byth")


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("un", "Always"),
        ("Dau", "Sometimes"),
        ("tri", "Not often"),
        ("pedwar", "Never"),
        ("rhif 2", "Sometimes"),
        ("rhif dau", "Sometimes"),
        ("y cyntaf", "Always"),
        ("Yr ail", "Sometimes"),
        ("y trydydd", "Not often"),
        ("y pedwerydd", "Never"),
        ("Weithiau", "Sometimes"),
        ("bob amser", "Always"),
        ("ddim yn aml", "Not often"),
        ("byth", "Never"),
        ("2", "Sometimes"),
        ("sometimes", "Sometimes"),  # English still understood in a Welsh run
        ("two", "Sometimes"),
    ],
)
def test_welsh_numbers_and_choice_words_in_a_welsh_run(said, meant):
    assert parse_choice(said, CHOICES, "cy", WELSH) == meant


@pytest.mark.parametrize("said", ["dau", "y cyntaf", "Weithiau", "pedwar"])
def test_not_read_in_an_english_run(said):
    assert parse_choice(said, CHOICES) is None


@pytest.mark.parametrize("said", ["3 gwaith", "dim un", "dau neu dri", "symudais i dri o dai"])
def test_a_welsh_number_in_a_sentence_is_no_answer(said):
    assert parse_choice(said, CHOICES, "cy", WELSH) is None


@pytest.mark.parametrize(("said", "value"), [("pedwar", 4), ("pump", 5), ("rhif 3", 3), ("Dau", 2), ("4", 4)])
def test_welsh_numbers_on_a_scale(said, value):
    assert parse_scale(said, 1, 5, "cy") == value
    assert parse_scale("pedwar", 1, 5) is None  # English run


def test_the_pulse_listened_question_in_a_welsh_run_stores_the_english_choice():
    survey = load_survey(PULSE)
    listened = survey.question("listened")
    assert listened.choice_translations["cy"] == WELSH
    for said, meant in [("dau", "Sometimes"), ("Weithiau", "Sometimes"), ("y cyntaf", "Always")]:
        state = begin(survey, first_name="Cai", language="cy").state.but(status="active", current="listened")
        step = handle(survey, state, said)
        assert step.answer is not None and step.answer.value == meant, said


def test_choices_cy_must_have_one_for_each_choice_and_only_on_a_choice_question():
    body = """
id = "x"
title = "X"
intro = "Hi {first_name}. Reply YES to start, or STOP to opt out."
outro = "Thanks"
[[questions]]
id = "q"
kind = "choice"
text = "Pick 1 A or 2 B"
choices = ["A", "B"]
choices_cy = ["Un"]
[[questions]]
id = "r"
kind = "text"
text = "Why?"
choices_cy = ["Un", "Dau"]
"""
    with pytest.raises(SurveyError) as refused:
        parse_survey(body.encode(), "x.toml")
    said = [(p.where, p.field) for p in refused.value.problems]
    assert ("q", "choices_cy") in said and ("r", "choices_cy") in said
