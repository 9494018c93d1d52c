"""NO to an invitation, then YES while its round is open: a change of mind, so the survey starts; never "this
survey has closed" while it is open (trial finding 20). The pure decision."""

from __future__ import annotations

import pytest

from tests.engine.test_routing_start_after_stop import SURVEY, _invited
from voice_service.engine import texts
from voice_service.engine.conversation import change_mind, changes_mind, handle
from voice_service.engine.routing import ChangedMind, Situation, TextIn, WantsPerson, decide, reads_last_run


def _declined():
    step = handle(SURVEY, _invited(), "no thanks")
    assert step.replies == (texts.DECLINED,)
    return step.state


def _after_no(channel: str = "sms", **facts) -> Situation:
    return Situation(channel=channel, declined=_declined(), declined_survey=SURVEY, **facts)


@pytest.mark.parametrize(
    "text", ["yes", "actually yes", "ok go on then", "START", "Yes please", "ok fine yes", "fine yes", "alright, yes"]
)
def test_yes_after_no_starts_the_survey_they_said_no_to(text):
    outcome = decide(_after_no(recently_closed=True), text)
    assert isinstance(outcome, ChangedMind)
    assert outcome.replies == (SURVEY.questions[0].text,)  # never texts.CLOSED or START_CLOSED
    assert (outcome.step.state.status, outcome.step.state.current) == ("active", "safe")
    assert "started" in outcome.events


@pytest.mark.parametrize("text", ["ok", "thanks", "no", "4", "fine", "ok then", "alright then", "fine no"])
def test_other_words_after_no_are_a_message(text):
    outcome = decide(_after_no(), text)
    assert isinstance(outcome, TextIn) and outcome.replies == (texts.TEXT_IN_THANKS,)


def test_nothing_is_offered_while_their_alert_is_live_or_a_worker_is_talking_or_they_opted_out():
    assert not isinstance(decide(_after_no(alert_live=True), "yes"), ChangedMind)
    assert not isinstance(decide(_after_no(talking_to_person=True), "yes"), ChangedMind)
    assert not isinstance(decide(_after_no(opted_out=True, channel="webchat"), "yes"), ChangedMind)
    assert isinstance(decide(_after_no(alert_live=True), "help me"), WantsPerson)


def test_the_last_run_is_read_only_for_what_may_need_it():
    assert reads_last_run(Situation(channel="sms"), "yes")
    assert reads_last_run(Situation(channel="sms"), "START")
    assert reads_last_run(Situation(channel="sms", recently_closed=True), "thanks")
    assert not reads_last_run(Situation(channel="sms"), "thanks")
    assert not reads_last_run(Situation(channel="sms", run=_invited(), survey=SURVEY), "yes")


def test_change_mind_is_only_for_a_declined_run():
    assert changes_mind("ok go on then", None) and not changes_mind("ok", None)
    with pytest.raises(ValueError):
        change_mind(SURVEY, _invited())


def test_the_reply_to_no_says_how_to_change_their_mind():
    """A trial's "ok fine yes" and "1" after "no" were thanked as messages: nothing had said YES would start it."""
    assert "If you change your mind, just text YES" in texts.DECLINED
    assert len(texts.DECLINED) <= 160 and "IE" in texts.WELSH[texts.DECLINED]
