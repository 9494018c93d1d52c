"""NO to an open round's invitation, then YES: the survey starts (a change of mind), never "This survey has
closed" or "Sorry, that survey has ended now" while it is open (trial finding 20). Through the real webhook
(signed) and the web chat API, on both databases."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.inbound.test_late_answer_after_close import OTHER_SURVEY, _close, _responses
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Participant, Run
from voice_service.web.chat.invites import invite_link


def _runs(services) -> dict[int, tuple[str, str | None, bool]]:
    with Session(services.engine) as session:
        return {
            r.round_id: (r.status, r.current_question, r.started_at is not None)
            for r in session.exec(select(Run)).scalars()
        }


def _after_an_earlier_round(services, index: int) -> tuple[SmsPhone, int]:
    """Invited to a round of another survey that has since closed, then to an open round: (phone, open round)."""
    add_participants(services, [{"phone": phone_number(index), "first_name": "Chloe", "age": 15}])
    _close(services, launch(services, survey_source=OTHER_SURVEY))
    return phone_number(index), launch(services)


def test_yes_after_no_starts_the_open_survey_not_it_has_closed(client, services):
    number, open_round = _after_an_earlier_round(services, 80)
    phone = SmsPhone(client, number)
    assert phone.send("no thanks") == [texts.DECLINED]
    assert phone.send("thanks") == [texts.TEXT_IN_THANKS]  # not "That survey has closed": theirs is open
    assert "How safe" in phone.send("actually yes")[0]
    assert _runs(services)[open_round] == ("active", "safe_home", True)
    assert "listened" in phone.send("4")[0]
    assert _responses(services)[-1] == (open_round, "safe_home", "4")


def test_start_after_no_starts_the_open_survey_not_it_has_ended(client, services):
    number, open_round = _after_an_earlier_round(services, 81)
    phone = SmsPhone(client, number)
    phone.send("nah")
    [reply] = phone.send("START")
    assert reply != texts.START_CLOSED and "How safe" in reply
    assert _runs(services)[open_round] == ("active", "safe_home", True)


def test_yes_after_no_with_no_earlier_round(client, services):
    add_participants(services, [{"phone": phone_number(82), "age": 16}])
    open_round = launch(services)
    phone = SmsPhone(client, phone_number(82))
    phone.send("no")
    assert "How safe" in phone.send("ok go on then")[0]
    assert _runs(services)[open_round][0] == "active"


def test_once_the_round_closes_yes_is_a_message(client, services):
    add_participants(services, [{"phone": phone_number(83), "age": 16}])
    open_round = launch(services)
    phone = SmsPhone(client, phone_number(83))
    phone.send("no")
    _close(services, open_round)
    assert phone.send("yes") == [texts.TEXT_IN_THANKS]
    assert _runs(services)[open_round][0] == "finished"


def test_no_then_yes_in_the_web_chat_starts_the_survey_with_its_buttons(client, services):
    add_participants(services, [{"phone": phone_number(84), "first_name": "Mo", "age": 15}])
    open_round = launch(services)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).scalars().one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    user.say("No thanks")
    started = user.say("Yes")
    [reply] = [m["text"] for m in started["messages"]]
    assert "How safe" in reply
    assert started["quick_replies"]  # the question's buttons
    assert _runs(services)[open_round] == ("active", "safe_home", True)
