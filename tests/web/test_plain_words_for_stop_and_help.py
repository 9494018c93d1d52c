"""Young people's own words: "please stop", "leave me alone" opt out like STOP, and "please help",
"i need help" get the wants-a-person path with help numbers at any stage: a new number, in
onboarding, during a survey, with no round (tester findings: both got "Sorry, we didn't catch that"
or "This survey has closed")."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Message, OptOut, Participant, Run

CHILDLINE = "Childline free on 0800 1111"


def _wants_person(reply: list[str], *, age_known: bool = True) -> bool:
    """The wants-a-person reply; with both help lines when their age is not known (a new number)."""
    lines = CHILDLINE if age_known else texts.ANY_AGE_LINES
    return len(reply) == 1 and "asked a worker to get back to you" in reply[0] and lines in reply[0]


def _flagged(services, body: str) -> bool:
    with Session(services.engine) as session:
        return session.exec(select(Message.wants_person).where(Message.body == body)).one()


@pytest.mark.parametrize("plea", ["please help", "i need help", "help me please"])
def test_a_new_number_asking_for_help_is_put_through_to_a_worker(client, services, plea):
    phone = SmsPhone(client, phone_number(70))
    assert _wants_person(phone.send(plea), age_known=False)
    assert _flagged(services, plea)
    assert phone.send("hi") == [texts.WELCOME.format(council="Testshire County Council")]  # then consent first


def test_asking_for_help_during_onboarding_and_a_survey(client, services):
    phone = SmsPhone(client, phone_number(71))
    phone.send("hello")  # the welcome: consent first
    assert _wants_person(phone.send("please help"), age_known=False)
    with Session(services.engine) as session:
        assert session.exec(select(Participant)).one().onboarding["step"] == "consent"  # still waiting

    add_participants(services, [{"phone": phone_number(72)}])
    launch(services)
    surveyed = SmsPhone(client, phone_number(72))
    surveyed.send("yes")
    assert _wants_person(surveyed.send("i need help"))
    with Session(services.engine) as session:
        run = session.exec(select(Run).where(Run.status == "active")).one()
        assert run.current_question == "safe_home"  # the question is still waiting


@pytest.mark.parametrize("words", ["please stop", "stop texting me", "leave me alone", "dont text me", "STOP ALL"])
def test_asking_us_to_stop_in_their_own_words_opts_out(client, services, words):
    add_participants(services, [{"phone": phone_number(73)}])
    launch(services)
    phone = SmsPhone(client, phone_number(73))
    assert phone.send(words) == [texts.STOP_CONFIRMED]
    with Session(services.engine) as session:
        assert session.exec(select(OptOut)).one()
        assert session.exec(select(Run)).one().status == "stopped"
    assert phone.send("hello") == []  # nothing more is texted to them


def test_asking_to_stop_in_the_web_chat_ends_the_survey_there_too(client, services):
    user = ChatUser(client)
    user.start()
    turn = user.say("leave me alone")
    assert turn["messages"][0]["text"] == texts.for_channel(texts.STOP_CONFIRMED, "webchat")
