"""A message that raises a safeguarding alert is never a survey answer, at any kind of question (trial
finding 3), and while the alert is live an answer to the paused question is told the survey is paused and
how to carry on (trial finding 8). The pure decision; end to end in tests/web/test_disclosure_is_no_answer.py."""

from __future__ import annotations

import pytest

from voice_service.engine import routing, texts
from voice_service.engine.conversation import begin, handle, resume_prompt
from voice_service.engine.routing import AfterDisclosure, Disclosure, Situation, SurveyStep, WantsPerson, decide
from voice_service.surveys.loader import parse_survey

SURVEY = parse_survey(
    b"""
id = "four-kinds"
title = "Four kinds"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks."

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel where you live? Reply 1 (not safe) to 5 (really safe)."
min = 1
max = 5

[[questions]]
id = "why"
kind = "text"
text = "Why do you feel that way?"

[[questions]]
id = "ready"
kind = "choice"
text = "Did your carers help you get ready to live on your own? Reply 1 Yes a lot, 2 A bit or 3 Not really."
choices = ["Yes a lot", "A bit", "Not really"]
optional = true

[[questions]]
id = "pa"
kind = "yes_no"
text = "Do you have a PA? Reply YES or NO."
""",
    "four-kinds.toml",
)


def _at(question_id: str):
    """A run under way, waiting at `question_id`."""
    return begin(SURVEY, first_name="Sam").state.but(status="active", current=question_id)


# Each would read as the answer to its question without the screen's alert (and the trial's was stored so).
DISCLOSURES = [
    ("ready", "i cant pay my gas bill and i havent eaten in 2 days"),
    ("ready", "2 my carer locks me out"),
    ("safe", "1 my stepdad hits me"),
    ("why", "my stepdad hits me when hes drunk"),
    ("pa", "no and i want to kill myself"),
]


@pytest.mark.parametrize(("question_id", "text"), DISCLOSURES)
def test_a_disclosure_is_never_the_answer_and_go_on_asks_the_same_question(question_id, text):
    run = _at(question_id)
    outcome = decide(Situation(channel="sms", run=run, survey=SURVEY), text, risk=True)
    assert isinstance(outcome, Disclosure) and outcome.keep_text  # kept as their message, with the alert
    assert outcome.paused is not None
    assert (outcome.paused.status, outcome.paused.current, outcome.paused.asked) == ("paused", question_id, True)
    # After GO ON the question they were on comes back, unanswered.
    went_on = decide(Situation(channel="sms", run=outcome.paused, survey=SURVEY, alert_live=True), "GO ON")
    assert isinstance(went_on, SurveyStep) and went_on.step.answer is None
    assert went_on.replies == (resume_prompt(SURVEY, run),) == (SURVEY.question(question_id).text,)


@pytest.mark.parametrize(("question_id", "text"), DISCLOSURES)
def test_without_the_alert_the_same_words_would_be_read(question_id, text):
    """The control: these are the words that used to be stored as the answer (so the test above can fail)."""
    step = handle(SURVEY, _at(question_id), text)
    if question_id != "ready" or text.startswith("2"):
        assert step.answer is not None and step.answer.value is not None
    else:  # "in 2 days" is no longer read as choice 2 either (finding 4): kept as their words (`tells_us_more`)
        assert step.answer is not None and step.answer.value is None and step.answer.free_text
        assert step.events[-1] == "free_text"


def _paused(question_id: str) -> Situation:
    paused = decide(Situation(channel="sms", run=_at(question_id), survey=SURVEY), "my carer hits me", risk=True)
    assert isinstance(paused, Disclosure)
    return Situation(channel="sms", run=paused.paused, survey=SURVEY, alert_live=True)


@pytest.mark.parametrize(
    ("question_id", "text"),
    [
        ("safe", "3"),
        ("safe", "4 i guess"),
        ("ready", "2"),
        ("ready", "not really"),
        ("pa", "no"),
        ("safe", "SKIP"),
        ("why", "3"),  # a bare number at a free-text question: meant for the survey (trial 5, F17)
    ],
)
def test_an_answer_while_the_alert_is_live_is_told_the_survey_is_paused(question_id, text):
    outcome = decide(_paused(question_id), text)
    assert isinstance(outcome, AfterDisclosure) and outcome.survey_paused
    assert "survey_paused" in outcome.events
    assert outcome.keep_text is (text != "SKIP")  # kept for the duty team, as every message then is


@pytest.mark.parametrize(
    ("question_id", "text"),
    [
        ("safe", "im scared"),
        ("safe", "what happens now"),
        ("why", "its ok i guess"),
        ("ready", "ok"),
        ("pa", "ok"),  # "I read that", though "ok" reads as yes
        ("pa", "ok thanks"),
        ("pa", "👍"),
        ("safe", "👍🏽"),  # a thumbs up reads as 4 on a scale
        ("safe", "thank you"),
    ],
)
def test_anything_else_still_gets_what_happens_next(question_id, text):
    """Not an answer (or words at a free-text question, where any words would be one): what happens next and help."""
    outcome = decide(_paused(question_id), text)
    assert isinstance(outcome, AfterDisclosure) and not outcome.survey_paused


@pytest.mark.parametrize("text", ["i need help", "HELP", "?", "please help me"])
def test_a_plea_still_gets_the_help_reply(text):
    outcome = decide(_paused("safe"), text)
    assert isinstance(outcome, WantsPerson) and outcome.after_disclosure


def test_a_disclosure_that_reads_as_an_answer_is_a_disclosure_again():
    again = decide(_paused("safe"), "2 he hit me again", risk=True)
    assert isinstance(again, Disclosure) and again.paused is not None and again.paused.current == "safe"


def test_the_paused_reply_is_one_sms_segment_for_every_age_and_fits_the_chat():
    for adult in (False, True, None):
        for channel in ("sms", "webchat"):
            words = texts.for_person(texts.SURVEY_PAUSED, channel, adult=adult)
            assert texts.sms_segments(words) == 1 and "GO ON" in words and "paused" in words
            assert not any(word in words.lower() for word in ("text ", "reply", "tap", "button"))


@pytest.mark.parametrize("text", ["stop texting me he hurts me", "dont text me again my dad will kill me if he sees"])
def test_a_stop_with_a_disclosure_in_it_is_a_disclosure_first(text):
    """An opt-out in their own words with a reason after it (trial finding 34a) may carry a disclosure: the help
    reply comes first and alone, never "You won't get any more texts"."""
    outcome = decide(Situation(channel="sms", run=_at("safe"), survey=SURVEY), text, risk=True)
    assert isinstance(outcome, Disclosure) and outcome.paused is not None
    assert isinstance(decide(Situation(channel="sms"), text), routing.OptedOut)  # without the alert: STOP


@pytest.mark.parametrize("question_id", ["pa", "safe", "why"])
def test_a_yes_answers_the_help_replys_question_even_at_a_yes_no_question(question_id):
    """The help reply ends "Need help now? ...": a YES right after it is a plea, whatever the survey paused at
    (trial 3, F20); a thumbs up or "ok" is still "I read that"."""
    outcome = decide(_paused(question_id), "yes")
    assert isinstance(outcome, WantsPerson) and outcome.after_disclosure and outcome.keep_text
    for read_it in ("ok", "👍", "👍🏽"):
        assert isinstance(decide(_paused(question_id), read_it), AfterDisclosure)
