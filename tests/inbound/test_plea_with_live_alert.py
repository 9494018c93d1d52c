"""A young person whose safeguarding alert is live asks for help in words the screen does not flag ("i need
help", "please call me"): even after they carried on with the survey, the reply names 999 and the help lines,
the message is added to their alert, and the duty phone is told at once (tester T22)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import _close_alerts, said_after_disclosure
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.engine.keywords import pleads_for_help
from voice_service.models import (
    Alert,
    AlertMessage,
    Message,
    OutboxKind,
    OutboxMessage,
    Participant,
    Response,
    Run,
)
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.safeguarding.alerts import PLEA
from voice_service.web import create_app
from voice_service.web.chat.invites import invite_link

NUMBER = "+447700900461"
DUTY_PHONE = "+447700900999"


@pytest.fixture
def duty_services(api_services):
    """The fake-Twilio services, with a duty phone."""
    config = api_services.config.with_overrides(safeguarding={"duty_phones": [DUTY_PHONE], "renotify_minutes": 30})
    return Services.from_config(config, engine=api_services.engine)


@pytest.fixture
def dylan(duty_services):
    """Dylan (16), invited to a round, texting through the signed webhook."""
    add_participants(duty_services, [{"phone": NUMBER, "first_name": "Dylan", "age": 16}])
    launch(duty_services)
    return SmsPhone(create_app(services=duty_services).test_client(), NUMBER)


def _updates(services) -> list[OutboxMessage]:
    with Session(services.engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.ALERT_UPDATE).order_by(OutboxMessage.id)
        return list(session.exec(query).all())


def _alert(services) -> Alert:
    with Session(services.engine) as session:
        return session.exec(select(Alert)).one()


def _added(services) -> list[tuple[str, list]]:
    """The messages added to the alert after the one that raised it, with their reasons."""
    with Session(services.engine) as session:
        rows = session.exec(
            select(Message.body, AlertMessage.reasons)
            .join(AlertMessage, AlertMessage.message_id == Message.id)
            .order_by(AlertMessage.id)
        ).all()
    return [(body, list(reasons)) for body, reasons in rows[1:]]


def test_i_need_help_after_carrying_on_gets_the_after_disclosure_reply_and_tells_the_duty_phone(
    duty_services, dylan, fake_twilio
):
    dylan.send("yes")
    assert texts.is_disclosure_reply(dylan.send("my carer hits me when hes angry")[0])
    build_dispatcher(duty_services, settle_seconds=0).flush()
    told_before = len(fake_twilio.to(DUTY_PHONE))
    assert told_before >= 1  # the alert's own notice
    dylan.send("START")  # carries on with the survey, as documented
    assert "listened" in dylan.send("4")[0].lower()  # the survey goes on
    said_after_disclosure(duty_services, lambda: dylan.send("i need help"), wants_person=True)
    alert = _alert(duty_services)
    assert _added(duty_services) == [("i need help", [PLEA])]
    assert alert.message_count == 2
    [notice] = _updates(duty_services)
    assert notice.body.startswith(f"New message on alert #{alert.id} ") and NUMBER not in notice.body
    build_dispatcher(duty_services, settle_seconds=0).flush()
    assert fake_twilio.to(DUTY_PHONE)[-1]["body"] == notice.body and len(fake_twilio.to(DUTY_PHONE)) == told_before + 1
    # The survey stays where it was: the plea is not an answer, and nothing was skipped.
    with Session(duty_services.engine) as session:
        run = session.exec(select(Run)).one()
        answered = session.exec(select(Response.question_id).where(Response.question_id.is_not(None))).all()
    assert (run.status, run.current_question, sorted(answered)) == ("active", "listened", ["safe_home"])
    # A second plea a minute later is told too: a plea never waits for `renotify_minutes`.
    said_after_disclosure(duty_services, lambda: dylan.send("can someone ring me"), wants_person=True)
    assert len(_updates(duty_services)) == 2


def test_a_plea_that_would_answer_a_free_text_question_is_a_plea_while_the_alert_is_live(duty_services, dylan):
    dylan.send("yes")
    dylan.send("my carer hits me when hes angry")
    dylan.send("GO ON")
    assert "safer" in dylan.send("2")[0]  # the free-text follow-up: any words would answer it
    said_after_disclosure(duty_services, lambda: dylan.send("please call me"), wants_person=True)
    assert _added(duty_services) == [("please call me", [PLEA])]
    with Session(duty_services.engine) as session:
        answered = session.exec(select(Response.question_id).where(Response.question_id.is_not(None))).all()
    assert sorted(answered) == ["safe_home"]


def test_without_an_alert_nothing_changes(duty_services, dylan):
    dylan.send("yes")
    dylan.send("2")
    # The answer to "What would help you feel safer?", not a plea: nobody with an alert, nothing to add to.
    assert "listened" in dylan.send("i need help with my homework")[0].lower()
    with Session(duty_services.engine) as session:
        assert session.exec(select(Alert)).all() == []
    assert _updates(duty_services) == []


def test_what_counts_as_a_plea():
    for text in ("i need help", "help me", "please call me", "can someone ring me", "I really need help please"):
        assert pleads_for_help(text, alert_live=False), text
    # Only while an alert is live does a message that opens as a plea count, whatever follows.
    for text in (
        "i need help with my homework",
        "help me hes back",
        "I need help he wont stop",
        "i didnt mean stop, please help",
        "sorry i said stop but i need help",
    ):
        assert not pleads_for_help(text, alert_live=False), text
        assert pleads_for_help(text, alert_live=True), text
    for text in (
        "i helped my mate",
        "thanks for the help",
        "ok",
        "4",
        "my social worker helps me",
        "she helped me, thanks",
    ):
        assert not pleads_for_help(text, alert_live=True), text


@pytest.mark.parametrize("help_word", ["HELP", "help", "Help!"])
def test_help_while_paused_after_a_disclosure_is_a_plea_not_a_survey_offer(duty_services, dylan, help_word):
    """Trial finding 1: HELP while the alert was live got "The survey can wait. Send GO ON...", no 999, and the
    duty team was not told. Now it is the plea's reply, added to the alert, with "New message on alert #N"."""
    dylan.send("yes")
    assert texts.is_disclosure_reply(dylan.send("my uncle touches me and i dont like it")[0])
    for _ in range(2):  # the first HELP and any later one
        got = said_after_disclosure(duty_services, lambda: dylan.send(help_word), wants_person=True)
        assert "999" in got[0] and "GO ON" not in got[0] and texts.HELP_PAUSED not in got
    alert = _alert(duty_services)
    assert _added(duty_services) == [(help_word, [PLEA]), (help_word, [PLEA])]
    assert alert.message_count == 3
    updates = _updates(duty_services)
    assert len(updates) == 2 and all(u.body.startswith(f"New message on alert #{alert.id} ") for u in updates)
    with Session(duty_services.engine) as session:
        run = session.exec(select(Run)).one()
    assert (run.status, run.reasked) == ("paused", False)  # no offer to carry on was made


def test_help_or_a_question_mark_in_the_chat_while_the_alert_is_live_shows_no_survey_button(duty_services):
    add_participants(duty_services, [{"phone": "+447700900462", "first_name": "Amira", "age": 15}])
    launch(duty_services)
    with Session(duty_services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(create_app(services=duty_services).test_client())
    user.start(invite=invite_link(duty_services, participant_id).rsplit("/", 1)[1])
    user.say("yes")
    assert texts.is_disclosure_reply(user.replies("someone at home hurts me")[0])
    for said in ("help", "?"):
        answer: dict = {}

        def send(said=said, answer=answer):
            answer.update(user.say(said))
            return [message["text"] for message in answer["messages"]]

        got = said_after_disclosure(duty_services, send, wants_person=True, channel=texts.WEBCHAT)
        assert "999" in got[0] and "GO ON" not in got[0]
        assert answer["quick_replies"] == []  # no "Carry on with the survey" while the alert is live
    assert [body for body, _ in _added(duty_services)] == ["help", "?"]
    assert len(_updates(duty_services)) == 2


def test_help_once_the_alert_is_closed_offers_the_survey_again(duty_services, dylan):
    dylan.send("yes")
    dylan.send("my carer hits me when hes angry")
    _close_alerts(duty_services)
    assert dylan.send("HELP") == [texts.naming_council(texts.HELP_PAUSED, "Testshire County Council")]
    assert _updates(duty_services) == []


def test_a_plea_after_stop_while_the_alert_is_live_is_added_to_it_and_the_duty_phone_told(
    duty_services, dylan, fake_twilio
):
    """Trial finding 17: after a disclosure and then STOP, "i didnt mean stop, please help" was kept silently:
    no reply, not added to the alert, nobody told. STOP stops surveys, not safeguarding."""
    dylan.send("yes")
    assert texts.is_disclosure_reply(dylan.send("someone at the home keeps touching me")[0])
    dylan.send("STOP")
    said_after_disclosure(duty_services, lambda: dylan.send("i didnt mean stop, please help"), wants_person=True)
    alert = _alert(duty_services)
    assert _added(duty_services) == [("i didnt mean stop, please help", [PLEA])]
    assert alert.message_count == 2
    [notice] = _updates(duty_services)
    assert notice.body.startswith(f"New message on alert #{alert.id} ") and NUMBER not in notice.body
    # Anything else from a number that said STOP is still only kept: no reply, no survey.
    assert dylan.send("ok") == []
    assert len(_updates(duty_services)) == 1
