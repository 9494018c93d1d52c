"""HELP as the first text from a number the service has never seen (trial 12, findings 2 and 8): "HELP", "HELP!",
"?" or "info" got only the welcome, with no help line, no 999 and no way to reach a person, and with a council name
of 46 characters only its shorter words. Now it gets the HELP answer for a newcomer: who we are, the help lines with
999, CALL ME for a worker, and the welcome's privacy line and YES, so onboarding starts as it would have and a YES
then is as informed as a YES to the welcome. One rule for both channels (`onboarding.begin_onboarding`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone, make_config
from tests.factories import phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.engine.onboarding import OnboardingState, begin_onboarding, handle_onboarding
from voice_service.engine.routing import OnboardingBegun, Situation, decide
from voice_service.models import Participant

COUNCIL = "Testshire County Council"
LONG = "City of Bradford Metropolitan District Council"


def _newcomers_help_lines(reply: str) -> None:
    """The help lines for someone whose age is not known, with 999 and how to reach a person."""
    assert texts.ANY_AGE_LINES in reply and "In danger call 999." in reply, reply
    assert "CALL ME" in reply


@pytest.mark.parametrize("word", ["HELP", "HELP!", "?", "info"])
def test_help_as_a_first_text_gets_the_help_answer_and_onboarding_still_starts(client, services, word):
    phone = SmsPhone(client, phone_number(611))
    (reply,) = phone.send(word)
    assert reply.startswith(f"Hi! Voice team at {COUNCIL}, for people in care and care leavers.")
    _newcomers_help_lines(reply)
    assert "private unless someone's at risk" in reply and reply.endswith("Reply YES to go on, or STOP.")
    assert texts.is_gsm7(reply) and texts.sms_segments(reply) == 2  # the help lines beat one segment
    with Session(services.engine) as session:
        (participant,) = session.exec(select(Participant)).all()
        assert participant.onboarding == OnboardingState().to_dict()  # the welcome waits for YES
    assert phone.send("yes") == [texts.ASK_STATUS]


def test_help_at_the_welcome_after_a_first_help_is_the_usual_one_and_call_me_reaches_a_worker(client, services):
    phone = SmsPhone(client, phone_number(612))
    phone.send("help")
    (reply,) = phone.send("?")
    assert reply == texts.for_age(texts.HELP_WELCOME.format(council=COUNCIL), adult=None)
    (reply,) = phone.send("CALL ME")
    assert "asked a worker to get back to you" in reply


@pytest.fixture
def long_named(database_url):
    services = Services.from_config(make_config(database_url, app={"council_name": LONG}))
    yield services
    services.engine.dispose()


def test_a_first_help_keeps_its_help_lines_with_a_46_character_council_name(long_named):
    from voice_service import analysis
    from voice_service.web import create_app

    analysis.warm_up(long_named.conversations_dir)
    phone = SmsPhone(create_app(services=long_named).test_client(), phone_number(613))
    (reply,) = phone.send("HELP")
    assert LONG in reply
    _newcomers_help_lines(reply)
    assert texts.sms_segments(reply) == 2


def test_one_rule_for_both_channels():
    state, first = begin_onboarding(council=COUNCIL, text="Help!")
    assert state == OnboardingState() and first == texts.naming_council(texts.HELP_FIRST, COUNCIL)
    for channel in ("sms", texts.WEBCHAT):
        outcome = decide(Situation(channel=channel, council=COUNCIL, new_participant=True, adult=None), "?")
        assert isinstance(outcome, OnboardingBegun) and outcome.replies == (first,)
        assert outcome.state == OnboardingState() and outcome.keep_text
    # In the chat's words: no texting words, the chat's way to a person, and 999.
    chat = texts.for_person(first, texts.WEBCHAT, adult=None)
    assert "TALK TO A PERSON" in chat and chat.endswith("Tap Yes to go on.") and "In danger call 999." in chat
    assert "text" not in chat.lower() and "STOP" not in chat and "reply" not in chat.lower()
    # A plea in words is still a plea, and other first texts still get the welcome.
    assert begin_onboarding(council=COUNCIL, text="hi")[1] == texts.WELCOME.format(council=COUNCIL)
    assert handle_onboarding(state, "yes", council=COUNCIL).state.step == "status"


def test_help_at_the_chat_welcome_ends_with_999(client, services):
    user = ChatUser(client)
    user.start()
    [reply] = [m["text"] for m in user.say("HELP")["messages"]]
    assert COUNCIL in reply and "TALK TO A PERSON" in reply
    assert reply.endswith("In danger call 999."), reply
    assert "Samaritans 116 123, Childline 0800 1111 if under 19" in reply
