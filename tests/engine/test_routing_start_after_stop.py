"""START after STOP, the pure decision: the survey their STOP ended is offered again only when it was not
paused after a disclosure and nothing else stands in the way (tester finding T5)."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.conversation import begin, can_reopen, handle, pause, reopen, stop
from voice_service.engine.routing import OptedIn, Situation, TextIn, could_opt_back_in, decide
from voice_service.engine.types import RunState
from voice_service.surveys.loader import parse_survey

SURVEY = parse_survey(
    b"""
id = "tiny"
title = "Tiny"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks."

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel? Reply 1 (not safe) to 5 (very safe)"
min = 1
max = 5

[[questions]]
id = "heard"
kind = "yes_no"
text = "Do you feel listened to? Reply YES or NO."
""",
    "tiny.toml",
)


def _invited() -> RunState:
    return begin(SURVEY, first_name="Sam").state


def _at_second_question() -> RunState:
    return handle(SURVEY, handle(SURVEY, _invited(), "yes").state, "4").state


def _stopped_back(stopped: RunState, **facts) -> Situation:
    return Situation(channel="sms", opted_out=True, stopped=stopped, **facts)


def test_stop_keeps_the_place_and_what_the_run_was_doing():
    stopped = stop(_at_second_question())
    assert (stopped.status, stopped.current, stopped.stopped_from) == ("stopped", "heard", "active")
    assert can_reopen(stopped) and can_reopen(stop(_invited()))
    assert not can_reopen(stop(pause(_at_second_question())))
    assert not can_reopen(RunState("tiny", SURVEY.version, status="stopped"))  # stopped before it was recorded
    with pytest.raises(ValueError):
        reopen(stop(pause(_invited())))


def test_a_reopened_run_waits_for_yes_then_carries_on_where_it_was():
    reopened = reopen(stop(_at_second_question()))
    assert (reopened.status, reopened.current, reopened.stopped_from) == ("invited", "heard", None)
    step = handle(SURVEY, reopened, "yes")
    assert step.replies == ("Do you feel listened to? Reply YES or NO.",) and step.state.status == "active"
    assert step.answer is None  # the YES is not an answer to "heard"


@pytest.mark.parametrize("text", ["START", "start", "unstop", "Yes"])
def test_opting_back_in_offers_the_survey_again(text):
    outcome = decide(_stopped_back(stop(_invited())), text)
    assert isinstance(outcome, OptedIn) and outcome.replies == (texts.START_WELCOME_BACK_SURVEY,)
    assert outcome.reopened is not None and outcome.reopened.status == "invited"


@pytest.mark.parametrize(
    "facts",
    [{"alert_live": True}, {"talking_to_person": True}],
    ids=["alert live", "talking to a person"],
)
def test_no_offer_while_their_alert_is_live_or_a_worker_is_talking_with_them(facts):
    outcome = decide(_stopped_back(stop(_invited()), **facts), "START")
    assert isinstance(outcome, OptedIn) and outcome.replies == (texts.START_WELCOME_BACK,)
    assert outcome.reopened is None


def test_no_offer_for_a_run_stopped_while_paused_after_a_disclosure():
    outcome = decide(_stopped_back(stop(pause(_at_second_question()))), "START")
    assert isinstance(outcome, OptedIn) and outcome.reopened is None
    assert outcome.replies == (texts.START_WELCOME_BACK,)


def test_yes_opts_back_in_only_by_text_and_only_after_stop():
    # In the chat YES is no opt-in word (no Twilio there); from a number that never said STOP it is a text-in.
    chat = decide(Situation(channel="webchat", opted_out=True, stopped=stop(_invited())), "yes")
    assert not isinstance(chat, OptedIn)
    assert isinstance(decide(Situation(channel="sms"), "yes"), TextIn)
    assert could_opt_back_in(Situation(channel="sms", opted_out=True), "YES")
    assert not could_opt_back_in(Situation(channel="sms"), "yes")
    assert not could_opt_back_in(Situation(channel="sms", run=_invited(), survey=SURVEY), "START")


def test_the_chat_words_for_the_offer():
    words = texts.for_channel(texts.START_WELCOME_BACK_SURVEY, texts.WEBCHAT)
    assert words == "Welcome back! Would you like to do our quick survey? Tap Yes to start."
    assert texts.sms_segments(texts.START_WELCOME_BACK_SURVEY) == 1
