"""Trial T11: the Welsh pulse survey had 1 of 9 questions in Welsh, so a Welsh speaker got a mix. `surveys check`
warns about a language only some questions are written in, and the shipped pulse survey has all nine."""

from __future__ import annotations

from voice_service.context import REPO_CONVERSATIONS
from voice_service.engine import texts
from voice_service.engine.conversation import question_text
from voice_service.surveys.advice import survey_advice
from voice_service.surveys.loader import check_paths, load_catalogue, parse_survey

HALF_WELSH = b"""
id = "small"
title = "Small"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks, all done."

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel? 1 to 5"
text_cy = "Pa mor ddiogel wyt ti'n teimlo? 1 i 5"
min = 1
max = 5

[[questions]]
id = "worker"
kind = "yes_no"
text = "Do you see your social worker enough? Reply YES or NO."

[[questions]]
id = "other"
kind = "text"
text = "Anything else?"
"""


def test_a_language_only_some_questions_are_written_in_is_warned_about_by_name():
    survey = parse_survey(HALF_WELSH, "small.toml")
    (warning,) = [w for w in survey_advice(survey) if w.field == "text_cy"]
    assert "only 1 of 3 questions have text_cy" in warning.message
    assert "Welsh (cy) gets worker, other in English" in warning.message
    # It still loads, and the untranslated questions go in English (the fallback the warning describes).
    assert question_text(survey.question("worker"), "cy") == survey.question("worker").text


def test_a_translation_longer_than_one_text_is_warned_about():
    long = HALF_WELSH.replace(b'1 i 5"', b"1 i 5 " + b"a" * 140 + b'"')
    assert any(w.field == "text_cy" and "2 texts long" in w.message for w in survey_advice(parse_survey(long)))


def test_the_pulse_survey_is_all_in_welsh_and_each_welsh_text_is_one_plain_text():
    pulse = load_catalogue(REPO_CONVERSATIONS).surveys["pulse"]
    assert all("cy" in question.translations for question in pulse.questions)
    assert survey_advice(pulse) == [] and check_paths([str(REPO_CONVERSATIONS)]) == []
    for question in pulse.questions:
        welsh = question.translations["cy"]
        assert texts.is_gsm7(welsh) and texts.sms_segments(welsh) == 1, question.id
        if question.kind == "scale":
            assert f"{question.min} " in welsh and f"{question.max} " in welsh, question.id


def test_every_shipped_help_line_is_right_for_an_adult_and_for_someone_of_unknown_age():
    # The Welsh says "Childline 0800 1111" the way `texts.for_age` finds it: an adult (18 or over, whom Childline
    # will not take) is given Samaritans' number, never Samaritans' name with Childline's number.
    for survey in load_catalogue(REPO_CONVERSATIONS).surveys.values():
        for question in survey.questions:
            for text in (question.text, *question.translations.values()):
                if "Childline" not in text:
                    continue
                adult = texts.for_age(text, adult=True)
                assert "Childline" not in adult and "0800 1111" not in adult and "116 123" in adult, text
                assert texts.ANY_AGE_LINES in texts.for_age(text, adult=None), text
