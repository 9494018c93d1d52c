""" "No thanks" to a newcomer's welcome says "If you change your mind, just text YES": YES (or START, "ok go on
then") then asks the first onboarding question, as promised (trial finding 11). Before, `pending_onboarding`
dropped the "declined" step, so YES was a text-in. The pure decision; the channels are tested in
tests/inbound/test_yes_after_declining_welcome.py."""

from __future__ import annotations

import pytest

from tests.engine.test_routing_start_after_stop import SURVEY, _invited
from voice_service.engine import texts
from voice_service.engine.onboarding import ASK_STATUS, OnboardingState, handle_onboarding
from voice_service.engine.routing import (
    Awaiting,
    Onboarded,
    OptedIn,
    Situation,
    SurveyStep,
    TextIn,
    awaiting,
    decide,
    declined_onboarding,
    pending_onboarding,
)


def _declined() -> OnboardingState:
    step = handle_onboarding(OnboardingState(), "no thanks")
    assert step.replies == (texts.ONBOARDING_DECLINED,) and step.declined
    return step.state


def _after_no(channel: str = "sms", **facts) -> Situation:
    stored = _declined().to_dict()
    return Situation(
        channel=channel,
        onboarding=pending_onboarding(stored),
        declined_onboarding=declined_onboarding(stored),
        **facts,
    )


@pytest.mark.parametrize(
    "text", ["yes", "YES", "Yes please", "actually yes", "ok go on then", "START", "yeah", "ok yes", "yes thanks"]
)
def test_yes_after_declining_the_welcome_asks_the_first_question(text):
    outcome = decide(_after_no(), text)
    assert isinstance(outcome, Onboarded)
    assert outcome.replies == (ASK_STATUS,)
    assert outcome.step.state.step == "status"
    assert "declined" not in outcome.events


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "thanks",
        "ok thanks",
        "no",
        "ok no",
        "hello",
        "can i have sleepovers at my mates",
        "now i have a tutor so yes",
    ],
)
def test_other_words_after_declining_are_a_message(text):
    outcome = decide(_after_no(), text)
    assert isinstance(outcome, TextIn) and outcome.replies == (texts.TEXT_IN_THANKS,)


def test_nothing_reopens_while_their_alert_is_live_a_worker_is_talking_or_they_opted_out():
    assert not isinstance(decide(_after_no(alert_live=True), "yes"), Onboarded)
    assert not isinstance(decide(_after_no(talking_to_person=True), "yes"), Onboarded)
    assert isinstance(decide(_after_no(opted_out=True), "START"), OptedIn)  # their STOP: welcomed back first


def test_an_invitation_waiting_takes_the_yes():
    outcome = decide(_after_no(run=_invited(), survey=SURVEY), "yes")
    assert isinstance(outcome, SurveyStep)


def test_the_chat_offers_the_way_back_after_declining():
    assert awaiting(_after_no(channel="webchat")) == Awaiting("onboarding", onboarding_step="declined")
    assert awaiting(_after_no(channel="webchat", opted_out=True)) == Awaiting()
    assert awaiting(Situation(channel="webchat")) == Awaiting()


def test_after_stop_only_start_undoes_it():
    """STOP during onboarding declines it too, but its reply says "text START", and YES is then a message
    (tests/web/test_chat_after_stop.py): a stopped onboarding is not one a YES takes up."""
    for stopped in (
        handle_onboarding(OnboardingState(), "STOP").state,
        decide(Situation(channel="webchat", onboarding=OnboardingState()), "STOP").onboarding,
    ):
        assert stopped is not None and stopped.step == "declined"
        assert declined_onboarding(stopped.to_dict()) is None
    assert declined_onboarding(_declined().to_dict()) == _declined()
