"""`decide` for a picture message with no words (tester T20): never an answer, consent or a re-ask;
"we can't see pictures, please type"; a newcomer is welcomed first; while an alert is live, the reply says
the team was told."""

from __future__ import annotations

from tests.factories import small_survey
from voice_service.engine import texts
from voice_service.engine.conversation import begin, handle
from voice_service.engine.onboarding import begin_onboarding
from voice_service.engine.routing import OnboardingBegun, Picture, Situation, SurveyStep, TextIn, decide

SURVEY = small_survey()


def _invited():
    return begin(SURVEY, first_name="Sam").state


def _active():
    return handle(SURVEY, _invited(), "yes").state


def test_a_picture_waiting_on_a_question_or_invitation_asks_for_a_typed_answer():
    for run in (_invited(), _active()):
        outcome = decide(Situation(channel="sms", run=run, survey=SURVEY), "", pictures=1)
        assert isinstance(outcome, Picture) and outcome.replies == (texts.PICTURE_ANSWER,)
        assert not outcome.keep_text


def test_a_picture_in_onboarding_leaves_the_step_waiting():
    state, _ = begin_onboarding(council="Testshire")
    outcome = decide(Situation(channel="sms", onboarding=state), "  ", pictures=1)
    assert isinstance(outcome, Picture) and outcome.replies == (texts.PICTURE_ANSWER,)


def test_a_picture_with_nothing_waiting_asks_for_their_message_in_words():
    assert decide(Situation(channel="sms"), "", pictures=3).replies == (texts.PICTURE_MESSAGE,)


def test_a_picture_while_their_alert_is_live_says_the_team_was_told():
    outcome = decide(Situation(channel="sms", alert_live=True), "", pictures=1)
    assert outcome.replies == (texts.PICTURE_AFTER_DISCLOSURE,)


def test_words_with_pictures_are_routed_as_words():
    outcome = decide(Situation(channel="sms", run=_active(), survey=SURVEY), "4", pictures=1)
    assert isinstance(outcome, SurveyStep) and outcome.step.answer is not None and outcome.step.answer.value == 4


def test_a_newcomer_is_welcomed_and_an_opted_out_number_gets_nothing():
    assert isinstance(decide(Situation(channel="sms", new_participant=True), "", pictures=1), OnboardingBegun)
    opted_out = decide(Situation(channel="sms", opted_out=True), "", pictures=1)
    assert isinstance(opted_out, TextIn) and opted_out.replies == ()


def test_an_empty_text_without_pictures_is_unchanged():
    outcome = decide(Situation(channel="sms", run=_active(), survey=SURVEY), "")
    assert isinstance(outcome, SurveyStep) and outcome.step.answer is None and outcome.step.events == ("reasked",)


def test_the_picture_replies_are_one_plain_segment_and_easy_to_read(monkeypatch):
    """A reading age of 9: Flesch reading ease 80 or more, or a Flesch-Kincaid grade of 4 or less."""
    import textstat
    from textstat.backend.counts import _count_syllables

    # textstat would download NLTK's CMU dictionary; there is no network here, so use its Pyphen fallback.
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    for reply in (texts.PICTURE_ANSWER, texts.PICTURE_MESSAGE, texts.PICTURE_AFTER_DISCLOSURE):
        assert texts.is_gsm7(reply) and texts.sms_segments(reply) == 1, reply
        assert "didn't get that" not in reply
        assert textstat.flesch_reading_ease(reply) >= 80 or textstat.flesch_kincaid_grade(reply) <= 4, reply
