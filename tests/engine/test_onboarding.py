"""Consent-first onboarding for someone the service has never heard from."""

import json

import pytest

from voice_service.engine import texts
from voice_service.engine.onboarding import (
    ASK_AGE,
    ASK_STATUS,
    CONSENT_HELLO,
    CONSENT_REASK,
    DONE,
    OnboardingState,
    begin_onboarding,
    handle_onboarding,
)
from voice_service.engine.texts import sms_segments


def run(*texts, state=None):
    """Send texts in turn, returning the last step."""
    state = state or begin_onboarding()[0]
    for text in texts:
        step = handle_onboarding(state, text)
        state = step.state
    return step


def test_welcome_says_who_we_are_and_what_happens_to_words():
    state, reply = begin_onboarding(council="Worcestershire County Council")
    assert state.step == "consent"
    assert "Voice team at Worcestershire County Council" in reply
    for phrase in ("private", "at risk", "STOP", "YES"):
        assert phrase in reply
    assert sms_segments(reply) == 1
    assert "the council" in begin_onboarding()[1]


@pytest.mark.parametrize(
    "council",
    ["Royal Borough of Windsor and Maidenhead", "Royal Borough of Kensington and Chelsea", "the council"],
)
def test_the_welcome_text_is_one_sms_segment_with_a_long_council_name(council):
    """The first text a newcomer gets costs them one segment, even for the longest council names."""
    reply = begin_onboarding(council=council)[1]
    assert council in reply and sms_segments(reply) == 1


def test_a_hello_to_the_welcome_is_answered_with_a_hello_not_sorry():
    state = begin_onboarding()[0]
    for hello in ("hi", "Hello!", "hiya", "hey"):
        step = handle_onboarding(state, hello)
        assert step.replies == (CONSENT_HELLO,) and step.state == state
        assert "Sorry" not in step.replies[0]
    assert handle_onboarding(state, "idk maybe").replies == (CONSENT_REASK,)
    # Asking what this is gets who we are (trial finding 11), not "Sorry, we didn't catch that".
    assert handle_onboarding(state, "what is this").replies == (texts.WHO_WE_ARE_WELCOME.format(council="the council"),)


def test_full_onboarding_gives_a_profile():
    state = begin_onboarding()[0]
    consent = handle_onboarding(state, "yes")
    assert consent.replies == (ASK_STATUS,) and consent.state.step == "status"
    status = handle_onboarding(consent.state, "2")
    assert status.replies == (ASK_AGE,) and status.state.status == "care_leaver"
    done = handle_onboarding(status.state, "3")
    assert done.replies == (DONE,)
    assert done.profile == {"status": "care_leaver", "age_band": "18-21"}
    assert done.state.step == "done" and not done.declined


@pytest.mark.parametrize(
    ("status_text", "status"),
    [
        ("1", "in_care"),
        ("in care", "in_care"),
        ("I'm fostered", "in_care"),
        ("care leaver", "care_leaver"),
        ("leaver", "care_leaver"),
        ("3", None),
        ("rather not say", None),
        ("skip", None),
    ],
)
def test_status_answers(status_text, status):
    assert run("yes", status_text, "1").profile["status"] == status


@pytest.mark.parametrize(
    ("age_text", "band"),
    [
        ("1", "11-15"),
        ("2", "16-17"),
        ("4", "22-25"),
        ("16-17", "16-17"),
        ("14", "11-15"),
        ("I'm 19", "18-21"),
        ("twenty", None),
        ("skip", None),
        ("22", "22-25"),
    ],
)
def test_age_answers(age_text, band):
    step = run("yes", "1", age_text)
    if band is None and age_text != "skip":
        step = handle_onboarding(step.state, "no idea")  # second miss: move on without it
    assert step.profile["age_band"] == band


def test_unclear_status_is_asked_once_then_left_out():
    step = run("yes", "what?")
    assert step.state.step == "status" and step.state.reasked
    step = run("what?", state=step.state)
    assert step.state.step == "age" and step.state.status is None


def test_no_to_consent_declines_and_yes_later_reopens():
    step = run("no thanks")
    assert step.declined and not step.opted_out and step.state.step == "declined"
    assert sms_segments(step.replies[0]) == 1
    assert run("hello", state=step.state).replies == ()
    assert run("yes", state=step.state).replies == (ASK_STATUS,)


def test_unclear_consent_reasks():
    step = run("who is this")
    assert step.state.step == "consent" and len(step.replies) == 1


@pytest.mark.parametrize("when", [(), ("yes",), ("yes", "1")])
def test_stop_works_at_every_step(when):
    step = run(*when, "STOP")
    assert step.declined and step.opted_out
    assert step.replies == (texts.STOP_CONFIRMED,)


def test_help_works_and_keeps_the_step():
    step = run("yes", "help")
    assert step.replies == (texts.HELP,) and step.state.step == "status"


def test_state_round_trips():
    state = run("yes", "1").state
    assert OnboardingState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
