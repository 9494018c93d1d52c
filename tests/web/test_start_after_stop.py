"""STOP by mistake, then START: the survey their STOP ended is offered again while its round is open, and
YES starts it (or carries on where they were). Never a run that was paused after a disclosure, never a
closed round; YES after STOP opts back in as Twilio does (tester finding T5). Through the signed webhook
and the chat API, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import RISKY
from voice_service.db import session_scope
from voice_service.engine import texts
from voice_service.models import OptOut, Participant, Response, Run
from voice_service.rounds.launch import close_round
from voice_service.web.chat.invites import invite_link

QUESTION_1 = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"
LISTENED = "Do you feel listened to at your reviews? Reply YES or NO."


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one()


def _opted_out(services) -> bool:
    with Session(services.engine) as session:
        return session.exec(select(OptOut)).scalars().first() is not None


def _invited(sms, index: int) -> tuple[SmsPhone, int]:
    """A young person invited to an open round, and their phone."""
    client, services = sms
    add_participants(services, [{"phone": phone_number(index), "first_name": "Dylan", "age": 16}])
    return SmsPhone(client, phone_number(index)), launch(services)


@pytest.fixture
def sms(client, services):
    """The test client and the services, for `_invited`."""
    return client, services


@pytest.mark.parametrize("stop_words", ["stop", "Stop texting me"])
@pytest.mark.parametrize("start_words", ["START", "start"])
def test_start_after_stop_offers_the_open_survey_and_yes_starts_it(sms, stop_words, start_words):
    phone, _ = _invited(sms, 80)
    assert phone.send(stop_words) == [texts.STOP_CONFIRMED]
    assert _run(sms[1]).status == "stopped"
    [welcome] = phone.send(start_words)
    assert welcome == texts.START_WELCOME_BACK_SURVEY
    assert welcome.startswith("Welcome back!") and "Reply YES to do our quick survey" in welcome
    assert texts.sms_segments(welcome) == 1
    assert not _opted_out(sms[1])
    run = _run(sms[1])
    assert (run.status, run.ended_at, run.stopped_from) == ("invited", None, None)
    assert phone.send("yes") == [QUESTION_1]  # as the invitation asked: the survey, not a text-in
    phone.send("4")
    run = _run(sms[1])
    assert (run.status, run.current_question) == ("active", "listened")
    assert run.started_at is not None


def test_stopped_mid_survey_carries_on_where_they_were(sms):
    phone, round_id = _invited(sms, 81)
    phone.send("yes")
    assert phone.send("4") == [LISTENED]
    phone.send("STOP")
    run = _run(sms[1])
    assert (run.status, run.current_question, run.stopped_from) == ("stopped", "listened", "active")
    assert phone.send("START") == [texts.START_WELCOME_BACK_SURVEY]
    assert phone.send("yes") == [LISTENED]  # the question they were on, not the first one again
    phone.send("no")
    with Session(sms[1].engine) as session:
        answers = session.exec(select(Response.question_id).where(Response.round_id == round_id)).scalars().all()
    assert sorted(answers) == ["listened", "safe_home"]  # each once


def test_yes_after_stop_opts_back_in_as_twilio_does(sms):
    """Twilio opts a number back in on YES as well as START: our records follow, and the survey is offered
    (their YES may have been to Twilio's opt-in, so it is asked once more rather than assumed)."""
    phone, _ = _invited(sms, 82)
    phone.send("STOP")
    assert phone.send("Yes") == [texts.START_WELCOME_BACK_SURVEY]
    assert not _opted_out(sms[1])
    assert phone.send("yes") == [QUESTION_1]


def test_a_run_paused_after_a_disclosure_is_not_offered_again(sms):
    phone, _ = _invited(sms, 83)
    phone.send("yes")
    phone.send(RISKY)  # the help reply; the survey pauses
    assert _run(sms[1]).status == "paused"
    phone.send("STOP")
    assert _run(sms[1]).stopped_from == "paused"
    assert phone.send("START") == [texts.START_WELCOME_BACK]  # no survey offer
    assert not _opted_out(sms[1])
    assert _run(sms[1]).status == "stopped"
    assert texts.START_WELCOME_BACK_SURVEY not in phone.send("yes")


def test_a_run_paused_after_a_disclosure_is_not_offered_once_the_alert_is_closed_either(sms):
    from tests.web.test_disclosure import _close_alerts

    phone, _ = _invited(sms, 84)
    phone.send("yes")
    phone.send(RISKY)
    phone.send("STOP")
    _close_alerts(sms[1])
    assert phone.send("START") == [texts.START_WELCOME_BACK]
    assert _run(sms[1]).status == "stopped"


@pytest.mark.parametrize("start_words", ["START", "Yes"])  # YES from a number that said STOP opts back in too
def test_nothing_is_offered_while_their_alert_is_live(sms, start_words):
    """STOP at the invitation (not paused), but a disclosure since: while the duty team has it, the welcome
    back offers no survey."""
    phone, _ = _invited(sms, 85)
    phone.send("STOP")
    phone.send(RISKY)  # kept and screened as ever; the alert is raised
    assert phone.send(start_words) == [texts.START_WELCOME_BACK]
    assert _run(sms[1]).status == "stopped"


def test_a_closed_round_is_not_offered(sms):
    phone, round_id = _invited(sms, 86)
    phone.send("STOP")
    with session_scope(sms[1].engine) as session:
        close_round(session=session, round_id=round_id)
    assert phone.send("START") == [texts.START_WELCOME_BACK]
    assert not _opted_out(sms[1])
    assert _run(sms[1]).status == "stopped"


def test_start_again_does_not_offer_twice_and_a_no_ends_it(sms):
    phone, _ = _invited(sms, 87)
    phone.send("STOP")
    phone.send("START")
    assert phone.send("START") == [QUESTION_1]  # START is YES to the offer, as to any invitation
    phone.send("STOP")
    phone.send("START")
    assert phone.send("no thanks") == [texts.DECLINED]
    assert _run(sms[1]).status == "finished"


def test_the_web_chat_offers_it_in_its_own_words(client, services):
    add_participants(services, [{"phone": phone_number(88), "first_name": "Amira", "age": 14}])
    launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).scalars().one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("Yes")
    assert user.replies("stop") == [texts.for_channel(texts.STOP_CONFIRMED, texts.WEBCHAT)]
    turn = user.say("START")
    [welcome] = [m["text"] for m in turn["messages"]]
    assert welcome == "Welcome back! Would you like to do our quick survey? Tap Yes to start."
    assert "text" not in welcome.lower() and "STOP" not in welcome and "Reply" not in welcome
    assert [q["value"] for q in turn["quick_replies"]] == ["Yes, let's start", "Not now"]
    assert user.replies("Yes") == [QUESTION_1]  # where they were: the first question
