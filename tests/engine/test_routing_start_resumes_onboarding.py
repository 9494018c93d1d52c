"""START after a STOP during onboarding, the pure decision (trial 9, T9-14): onboarding carries on at the step STOP
ended, the question they had not answered asked again; the same rule by text and in the chat."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.onboarding import OnboardingState, handle_onboarding
from voice_service.engine.routing import OptedIn, OptedOut, Situation, decide, pending_onboarding, stopped_onboarding

COUNCIL = "Testshire"


def _stopped_at_age() -> OnboardingState:
    at_age = OnboardingState(step="age", status="care_leaver")
    outcome = decide(Situation(channel="sms", onboarding=at_age), "STOP")
    assert isinstance(outcome, OptedOut) and outcome.onboarding is not None
    return outcome.onboarding


def _back(stopped: OnboardingState, channel: str, **facts) -> Situation:
    """Someone whose STOP ended onboarding, as the inbound path reads them (an SMS number holds the opt-out)."""
    stored = stopped.to_dict()
    assert pending_onboarding(stored) is None  # STOP declined it: nothing asks for consent
    return Situation(
        channel=channel,
        council=COUNCIL,
        opted_out=channel == "sms",
        stopped_onboarding=stopped_onboarding(stored),
        **facts,
    )


def test_stop_remembers_the_step_it_ended():
    stopped = _stopped_at_age()
    assert (stopped.step, stopped.stopped, stopped.stopped_at, stopped.status) == (
        "declined",
        True,
        "age",
        "care_leaver",
    )
    # Onboarding's own STOP keeps the same record (one rule).
    assert handle_onboarding(OnboardingState(step="age"), "STOP").state.stopped_at == "age"


@pytest.mark.parametrize("channel", ["sms", "webchat"])
def test_start_asks_the_question_they_had_not_answered(channel):
    outcome = decide(_back(_stopped_at_age(), channel), "START")
    assert isinstance(outcome, OptedIn) and outcome.onboarding is not None
    assert outcome.replies == (texts.WELCOME_BACK_AGE,)
    resumed = outcome.onboarding
    assert (resumed.step, resumed.status, resumed.stopped, resumed.stopped_at) == ("age", "care_leaver", False, None)
    assert texts.sms_segments(texts.WELCOME_BACK_AGE) == 1 and texts.sms_segments(texts.WELCOME_BACK_STATUS) == 1


def test_yes_from_an_opted_out_number_carries_it_on_too():
    # Twilio opts a number back in on YES as on START: so does the service, onboarding included.
    outcome = decide(_back(_stopped_at_age(), "sms"), "yes")
    assert isinstance(outcome, OptedIn) and outcome.replies == (texts.WELCOME_BACK_AGE,)


def test_stopped_at_the_welcome_or_before_this_was_recorded_gets_the_welcome_again():
    welcome = texts.naming_council(texts.WELCOME, COUNCIL)
    at_welcome = decide(Situation(channel="sms", onboarding=OnboardingState()), "STOP").onboarding
    assert at_welcome is not None and at_welcome.stopped_at == "consent"
    older = OnboardingState(step="declined", status="in_care", stopped=True)  # stored before `stopped_at`
    for stopped in (at_welcome, older):
        outcome = decide(_back(stopped, "sms"), "START")
        assert isinstance(outcome, OptedIn) and outcome.replies == (welcome,)
        assert outcome.onboarding is not None and outcome.onboarding.step == "consent"


def test_while_their_alert_is_live_it_waits_unasked_until_go_on():
    stopped = _stopped_at_age()
    outcome = decide(_back(stopped, "sms", alert_live=True), "START")
    assert isinstance(outcome, OptedIn) and outcome.replies == (texts.START_WELCOME_BACK,)
    assert outcome.onboarding is not None and outcome.onboarding.step == "age"  # kept, not lost
    went_on = decide(Situation(channel="sms", alert_live=True, onboarding=outcome.onboarding), "GO ON")
    assert went_on.replies == (texts.ASK_AGE,)


def test_no_thanks_is_not_stopped():
    declined = handle_onboarding(OnboardingState(), "no").state
    assert stopped_onboarding(declined.to_dict()) is None


def test_while_a_worker_talks_with_them_it_stays_stopped_for_a_later_start():
    # Review: it was set back to its question unasked, and GO ON then got "Sorry, we didn't get that".
    stopped = _stopped_at_age()
    outcome = decide(_back(stopped, "sms", talking_to_person=True), "START")
    assert isinstance(outcome, OptedIn) and outcome.onboarding is None
    assert outcome.replies == (texts.START_WELCOME_BACK,)
    later = decide(_back(stopped, "sms"), "START")
    assert isinstance(later, OptedIn) and later.replies == (texts.WELCOME_BACK_AGE,)


@pytest.mark.parametrize("step, again", [("age", texts.WELCOME_BACK_AGE), ("status", texts.WELCOME_BACK_STATUS)])
@pytest.mark.parametrize("channel", ["sms", "webchat"])
def test_start_again_while_a_question_waits_asks_it_not_youre_all_set(channel, step, again):
    # Review: a second START got "You're all set" above the question's answer buttons.
    waiting = OnboardingState(step=step, status="care_leaver" if step == "age" else None)
    outcome = decide(Situation(channel=channel, council=COUNCIL, onboarding=waiting), "START")
    assert isinstance(outcome, OptedIn) and outcome.replies == (again,)
