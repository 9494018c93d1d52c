"""What may still reach a young person whose disclosure came after the message a reply answers
(`texts.may_follow_disclosure`, used by the spool's replay; trial 13, T13-4): help, a person will read it or get
back to them, STOP's confirmation, in the words any young person gets; never the survey's words."""

from __future__ import annotations

import pytest

from tests.factories import small_survey
from voice_service.engine import texts
from voice_service.engine.conversation import intro_text, outro_text, question_text

PEOPLE = [(adult, language) for adult in (False, True, None) for language in ("en", "cy")]


@pytest.mark.parametrize(("adult", "language"), PEOPLE)
def test_help_and_stop_may_follow_a_disclosure(adult, language):
    back = "at 9am on Monday"
    kept = [
        texts.disclosure_reply(None),
        texts.disclosure_reply(back),
        texts.disclosure_reply(back, passed_on=True),
        texts.plea_disclosure_reply(None),
        texts.unread_reply(back),
        texts.wants_person_reply(None),
        texts.wants_person_reply(back, after_disclosure=True),
        texts.STOP_CONFIRMED,
        texts.STOP_WHILE_ALERT,
    ]
    for text in kept:
        said = texts.for_person(text, "sms", adult=adult, language=language)
        assert texts.may_follow_disclosure(said), said


@pytest.mark.parametrize(("adult", "language"), PEOPLE)
def test_the_surveys_words_never_follow_a_disclosure(adult, language):
    survey = small_survey()
    words = [
        intro_text(survey, "Jo", "Trialshire Council", language),
        outro_text(survey, language),
        *(question_text(question, language) for question in survey.questions),
        *(texts.reask(question) for question in survey.questions),
        texts.INVITE_NUDGE,
        texts.CANT_SKIP,
        texts.START_WELCOME_BACK_SURVEY,
        texts.QUESTION_WAITS,
        texts.TEXT_IN_THANKS,
        texts.naming_council(texts.WELCOME, "Trialshire Council"),
        texts.ASK_STATUS,
    ]
    for text in words:
        said = texts.for_person(text, "sms", adult=adult, language=language)
        assert not texts.may_follow_disclosure(said), said
