"""Bugs fixed by routing each message once, in the engine (issue 9), each with a test that failed before."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.models import OptOut, Response, Run
from voice_service.rounds.launch import close_round


def test_start_mid_survey_repeats_the_waiting_question(client, services):
    add_participants(services, [{"phone": phone_number(31)}])
    launch(services)
    phone = SmsPhone(client, phone_number(31))
    question = phone.send("yes")[0]
    assert "safe" in question.lower()
    replies = phone.send("START")
    assert replies == [question]  # where was I? - not "Welcome back! You'll get our texts again"
    assert texts.START_WELCOME_BACK not in replies
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
        assert (run.status, run.current_question) == ("active", "safe_home")
        assert session.exec(select(Response)).scalars().all() == []  # START is not an answer


def test_start_in_reply_to_an_invitation_starts_the_survey(client, services):
    add_participants(services, [{"phone": phone_number(32)}])
    launch(services)
    replies = SmsPhone(client, phone_number(32)).send("start")
    assert "safe" in replies[0].lower()


def test_start_after_stop_still_opts_back_in(client, services):
    add_participants(services, [{"phone": phone_number(33)}])
    launch(services)
    phone = SmsPhone(client, phone_number(33))
    assert phone.send("STOP") == [texts.STOP_CONFIRMED]
    # The round is still open, so the welcome back offers its survey again (tests/web/test_start_after_stop.py).
    assert phone.send("START") == [texts.START_WELCOME_BACK_SURVEY]
    with Session(services.engine) as session:
        assert session.exec(select(OptOut)).scalars().all() == []
        assert session.exec(select(Run)).scalars().one().status == "invited"


def test_start_from_a_number_never_seen_begins_onboarding_not_welcome_back(client, services):
    replies = SmsPhone(client, phone_number(34)).send("START")
    assert len(replies) == 1 and "Voice team" in replies[0]
    assert texts.START_WELCOME_BACK not in replies


def test_start_and_help_outside_a_survey_say_what_is_true(client, services):
    add_participants(services, [{"phone": phone_number(35)}])
    phone = SmsPhone(client, phone_number(35))
    assert phone.send("START") == [texts.START_ALREADY]  # never opted out: nothing to welcome back from
    assert phone.send("HELP") == [texts.HELP_ANY_TIME]  # no question is waiting, so none is mentioned
    assert "question" not in texts.HELP_ANY_TIME


def test_start_after_the_survey_closed_says_so_kindly_then_and_not_later(client, services):
    """Invited, the round closed before they answered, then START (their invitation said YES or START starts
    it): the reply says that survey has ended, in one warm text, instead of "you're all set" followed by
    "this survey has closed" to whatever they sent next."""
    add_participants(services, [{"phone": phone_number(36), "first_name": "Jo", "age": 17}])
    round_id = launch(services)
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)
    phone = SmsPhone(client, phone_number(36))
    [reply] = phone.send("START")
    assert reply == texts.START_CLOSED and texts.sms_segments(reply) == 1
    assert "ended" in reply and "new one" in reply and "STOP" not in reply
    assert (
        texts.for_channel(reply, texts.WEBCHAT) == "Sorry, that survey has ended now. You can message us here any time."
    )
