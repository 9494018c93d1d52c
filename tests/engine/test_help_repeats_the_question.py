"""Trial 13, T13-9: HELP at a survey question is followed by the question again, so they know what to answer next.
The engine says the help, then "Your question was: ..." (`texts.question_was`); `texts.replies_for_person` puts the
two in one message where they fit one SMS segment in this young person's words, else sends the question in one more,
each one segment: for every shipped question, channel, age and language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voice_service.engine import texts
from voice_service.engine.conversation import begin, handle
from voice_service.surveys.loader import load_catalogue, parse_survey

CONVERSATIONS = Path(__file__).resolve().parents[2] / "conversations"
PHONE_ONLY = re.compile(r"\b(texts?|texting|reply|replies)\b|\bSTOP\b", re.IGNORECASE)
AGES = (False, True, None)  # a child, an adult, someone whose age is not known


def _questions():
    """(label, language, text) for every shipped question, in English and each language it is written in."""
    for survey in load_catalogue(CONVERSATIONS).surveys.values():
        for question in survey.questions:
            yield f"{survey.id} {question.id}", "en", question.text
            for language, text in question.translations.items():
                yield f"{survey.id} {question.id} ({language})", language, text


QUESTIONS = list(_questions())


@pytest.mark.parametrize(("label", "language", "question"), QUESTIONS, ids=[label for label, _, _ in QUESTIONS])
def test_the_help_and_the_question_again_are_each_one_segment_and_fit_the_channel(label, language, question):
    for channel in ("sms", texts.WEBCHAT):
        for adult in AGES:
            said = texts.replies_for_person(
                [texts.HELP, texts.question_was(question)], channel, adult=adult, language=language
            )
            helped = texts.for_person(texts.HELP, channel, adult=adult, language=language)
            asked = texts.for_person(question, channel, adult=adult, language=language)
            assert said[0].startswith(helped) and said[-1].endswith(asked), said
            assert len(said) in (1, 2)
            for words in said:
                # One segment each, but where the question as it is asked takes more (a survey's own help line,
                # with both lines for someone whose age is not known): never more than it does.
                most = max(1, texts.sms_segments(asked))
                assert texts.is_gsm7(words) and texts.sms_segments(words) <= most, (len(words), words)
            if channel == texts.WEBCHAT:
                assert not any(PHONE_ONLY.search(words) for words in said), said
            else:
                assert "STOP" in said[0]


def test_the_question_joins_the_help_where_the_two_fit_one_segment():
    short = texts.replies_for_person([texts.HELP, texts.question_was("Why?")], texts.WEBCHAT, adult=False)
    assert short == [texts.for_channel(texts.HELP, texts.WEBCHAT) + " Your question was: Why?"]
    # By text the help words are longer (they say STOP): the question comes in one more message.
    by_text = texts.replies_for_person([texts.HELP, texts.question_was("Why?")], "sms", adult=False)
    assert by_text == [texts.HELP, "Your question was: Why?"]
    # In Welsh "Your question was" is said in Welsh, before the question in the run's own (Welsh) words.
    welsh = texts.replies_for_person([texts.HELP, texts.question_was("Pam?")], "sms", adult=False, language="cy")
    assert welsh == [texts.WELSH[texts.HELP] + " Dy gwestiwn oedd: Pam?"]


def test_a_question_too_long_to_say_after_your_question_was_is_said_as_it_was_asked():
    question = "What would make things better where you live, at school and with your friends? " * 2
    question = question[:150].rstrip() + "?"
    said = texts.replies_for_person([texts.HELP, texts.question_was(question)], "sms", adult=False)
    assert said == [texts.HELP, question] and texts.sms_segments(question) == 1


def test_the_engine_says_the_help_then_the_question_in_the_run_s_language():
    survey = parse_survey(
        b"""
id = "x"
title = "X"
intro = "Hi {first_name}. Reply YES to start, or STOP to opt out."
intro_cy = "Helo {first_name}. Ateba IE i ddechrau, neu STOP i stopio."
outro = "Thanks"
outro_cy = "Diolch"
[[questions]]
id = "q"
kind = "yes_no"
text = "Do you like it? Reply YES or NO."
text_cy = "Wyt ti'n ei hoffi? Ateba IE neu NA."
""",
        "x.toml",
    )
    for language, asked in (("en", "Do you like it? Reply YES or NO."), ("cy", "Wyt ti'n ei hoffi? Ateba IE neu NA.")):
        started = handle(survey, begin(survey, first_name="Sam", language=language).state, "yes")
        helped = handle(survey, started.state, "?")
        assert helped.replies == (texts.HELP, "Your question was: " + asked)
        assert helped.state == started.state and helped.events == ("help",) and helped.answer is None
    invited = handle(survey, begin(survey, first_name="Sam").state, "help")  # before YES: no question yet
    assert invited.replies == (texts.naming_council(texts.HELP_INVITED, "the council"),)
