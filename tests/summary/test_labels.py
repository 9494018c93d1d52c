"""The optional `label` on a survey question: loaded, checked, and used as the summary's heading."""

from __future__ import annotations

from voice_service.surveys.loader import SurveyError, parse_survey

SURVEY = """\
id = "labelled"
title = "Labelled"
intro = "Hi {first_name}, reply YES to start, or STOP to opt out."
outro = "Thank you!"

[[questions]]
id = "feeling_help"
kind = "text"
text = "What would help? If you need to talk to someone now, call Childline free on 0800 1111."
%s
"""


def test_a_label_is_the_heading_and_the_prompt_never_is():
    survey = parse_survey((SURVEY % 'label = "What would help with how they feel"').encode(), "labelled.toml")
    question = survey.questions[0]
    assert question.label == "What would help with how they feel" and question.heading == question.label
    unlabelled = parse_survey((SURVEY % "").encode(), "labelled.toml").questions[0]
    assert unlabelled.label == "" and unlabelled.heading == "Feeling help"
    assert "Childline" not in unlabelled.heading


def test_a_label_must_be_short_plain_text():
    for bad, message in (
        ('label = ""', "is empty"),
        (f'label = "{"x" * 61}"', "at most 60"),
        ('label = "{x}"', "placeholders"),
    ):
        try:
            parse_survey((SURVEY % bad).encode(), "labelled.toml")
        except SurveyError as error:
            assert message in str(error) and "label" in str(error)
        else:
            raise AssertionError(f"{bad} was accepted")
