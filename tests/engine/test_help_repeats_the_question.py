"""Trial 13, T13-9: HELP at a survey question is followed by the question again, so they know what to answer next.
The engine says the help, then "Your question was: ..." (`texts.question_was`); `texts.replies_for_person` puts the
two in one message by text, the question on a line of its own (an answer to a text is one message, design.md
Contract 4, and two texts can arrive out of order), and in the chat in one message where they fit one SMS segment in
this young person's words, else in two: for every shipped question, channel, age and language."""

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
HOME = "How are things at home this week?"  # too long to say with the help in one segment, by text or in the chat


def _questions():
    """(label, language, text) for every shipped question, in English and each language it is written in."""
    for survey in load_catalogue(CONVERSATIONS).surveys.values():
        for question in survey.questions:
            yield f"{survey.id} {question.id}", "en", question.text
            for language, text in question.translations.items():
                yield f"{survey.id} {question.id} ({language})", language, text


QUESTIONS = list(_questions())


@pytest.mark.parametrize(("label", "language", "question"), QUESTIONS, ids=[label for label, _, _ in QUESTIONS])
def test_the_help_and_the_question_again_are_one_text_and_fit_the_channel(label, language, question):
    for adult in AGES:
        helped = texts.for_person(texts.HELP, "sms", adult=adult, language=language)
        again = texts.for_person(texts.question_was(question), "sms", adult=adult, language=language)
        asked = texts.for_person(question, "sms", adult=adult, language=language)
        said = texts.replies_for_person(
            [texts.HELP, texts.question_was(question)], "sms", adult=adult, language=language
        )
        # One text, never two (design.md, Contract 4): the help, then on a line of its own the question again, or the
        # question as it was asked only where "Your question was:" would cost the text a segment more.
        if texts.sms_segments(f"{helped}\n{again}") > texts.sms_segments(f"{helped}\n{asked}"):
            assert said == [f"{helped}\n{asked}"], said
        else:
            assert said == [f"{helped}\n{again}"], said
        assert "STOP" in helped and texts.is_gsm7(said[0])
        # As measured for the shipped questions: two segments, three for someone whose age is not known (both lines).
        assert texts.sms_segments(said[0]) <= (2 if adult is not None else 3), (len(said[0]), said[0])

        # The chat's replies always show in order: one message where the two fit one SMS segment, else two.
        chat = texts.replies_for_person(
            [texts.HELP, texts.question_was(question)], texts.WEBCHAT, adult=adult, language=language
        )
        helped = texts.for_person(texts.HELP, texts.WEBCHAT, adult=adult, language=language)
        asked = texts.for_person(question, texts.WEBCHAT, adult=adult, language=language)
        assert chat[0].startswith(helped) and chat[-1].endswith(asked) and len(chat) in (1, 2), chat
        for words in chat:
            # One segment each, but where the question as it is asked takes more (a survey's own help line,
            # with both lines for someone whose age is not known): never more than it does.
            most = max(1, texts.sms_segments(asked))
            assert texts.is_gsm7(words) and texts.sms_segments(words) <= most, (len(words), words)
        assert not any(PHONE_ONLY.search(words) for words in chat), chat


def test_by_text_the_question_is_on_a_line_of_its_own_in_the_help_s_message():
    by_text = texts.replies_for_person([texts.HELP, texts.question_was(HOME)], "sms", adult=False)
    assert by_text == [texts.HELP + "\nYour question was: " + HOME]  # one message: never split in two
    assert texts.sms_segments(by_text[0]) == 2  # the help is 137 characters: one segment on its own
    # In Welsh "Your question was" is said in Welsh, before the question in the run's own (Welsh) words.
    welsh = texts.replies_for_person([texts.HELP, texts.question_was("Pam?")], "sms", adult=False, language="cy")
    assert welsh == [texts.WELSH[texts.HELP] + "\nDy gwestiwn oedd: Pam?"] and texts.sms_segments(welsh[0]) == 1
    # Where "Your question was:" would take the text past one segment and the question as it was asked does not:
    # the question as it was asked, still on a line of its own.
    assert texts.replies_for_person([texts.HELP, texts.question_was("Why?")], "sms", adult=False) == [
        texts.HELP + "\nWhy?"
    ]


def test_in_the_chat_the_question_joins_the_help_where_the_two_fit_one_segment():
    short = texts.replies_for_person([texts.HELP, texts.question_was("Why?")], texts.WEBCHAT, adult=False)
    assert short == [texts.for_channel(texts.HELP, texts.WEBCHAT) + " Your question was: Why?"]
    longer = texts.replies_for_person([texts.HELP, texts.question_was(HOME)], texts.WEBCHAT, adult=False)
    assert longer == [texts.for_channel(texts.HELP, texts.WEBCHAT), "Your question was: " + HOME]


def test_a_question_too_long_to_say_after_your_question_was_is_said_as_it_was_asked():
    question = "What would make things better where you live, at school and with your friends? " * 2
    question = question[:150].rstrip() + "?"
    said = texts.replies_for_person([texts.HELP, texts.question_was(question)], "sms", adult=False)
    assert said == [texts.HELP + "\n" + question] and texts.sms_segments(said[0]) == 2
    assert texts.sms_segments(texts.HELP + "\n" + texts.question_was(question)) == 3  # a segment more


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
