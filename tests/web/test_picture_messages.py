"""Picture messages (tester T20): Twilio posts an MMS with NumMedia > 0, MediaUrl0.. and often no Body.
The message is stored with how many pictures it had (never the pictures or their addresses), is never a
survey answer, and is answered kindly: we can't see pictures, please type. Words sent with pictures take
the usual path, screened first. While a safeguarding alert is live, a picture message is added to it and
the duty phone is told, since nobody here can see what was sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlmodel import Session, SQLModel

from tests.conftest import MEDIA_BASE, SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.context import Services
from voice_service.engine import texts
from voice_service.inbox.threads import thread
from voice_service.models import Alert, AlertMessage, Message, OutboxKind, OutboxMessage, Response, Run
from voice_service.safeguarding.alerts import PICTURE
from voice_service.spool.guard import sms_record
from voice_service.web import create_app
from voice_service.web.sms.routes import media_count

FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"
DUTY_PHONE = "+447700900999"


def _run(services) -> Run:
    with Session(services.engine) as session:
        return session.exec(select(Run)).scalars().one()


def _inbound(services) -> list[Message]:
    with Session(services.engine) as session:
        return list(session.exec(select(Message).where(Message.direction == "in").order_by(Message.id)).scalars())


def _answers(services) -> list[Response]:
    with Session(services.engine) as session:
        return list(session.exec(select(Response).where(Response.question_id.is_not(None))).scalars())


def _nothing_holds_a_picture_address(services) -> None:
    """No table anywhere holds the pictures' addresses."""
    with Session(services.engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                assert MEDIA_BASE not in str(tuple(row)), table.name


@pytest.fixture
def invited(client, services) -> SmsPhone:
    add_participants(services, [{"phone": phone_number(110)}])
    launch(services)
    return SmsPhone(client, phone_number(110))


def test_a_picture_with_no_words_is_not_an_answer_and_asks_for_words(services, invited):
    invited.send("yes")
    before = _run(services)
    assert invited.send("", media=1) == [texts.PICTURE_ANSWER]
    assert invited.send("", media=2) == [texts.PICTURE_ANSWER]  # however often: never "didn't get that"
    after = _run(services)
    assert (after.status, after.current_question, after.reasked) == ("active", "safe_home", before.reasked)
    assert _answers(services) == []
    stored = _inbound(services)[-2:]
    assert [(m.body, m.media_count, m.run_id) for m in stored] == [("", 1, None), ("", 2, None)]
    # The question is still waiting: a typed answer answers it, and no re-ask was used up.
    assert "listened" in invited.send("4")[0].lower()
    assert [a.question_id for a in _answers(services)] == ["safe_home"]
    _nothing_holds_a_picture_address(services)


def test_a_picture_before_yes_leaves_the_invitation_open(services, invited):
    assert invited.send("", media=1) == [texts.PICTURE_ANSWER]
    assert _run(services).status == "invited"
    assert invited.send("yes") == [FIRST_QUESTION]


def test_words_sent_with_a_picture_take_the_usual_path(services, invited):
    invited.send("yes")
    replies = invited.send("4", media=1)
    assert len(replies) == 1 and texts.PICTURE_ANSWER not in replies  # the next question, as for "4"
    assert [(a.question_id, a.value_number) for a in _answers(services)] == [("safe_home", 4)]
    assert _inbound(services)[-1].media_count == 1


def test_worrying_words_with_a_picture_are_screened_first(services, invited):
    invited.send("yes")
    (reply,) = invited.send("i want to kill myself", media=1)
    assert texts.is_disclosure_reply(reply)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
        message = session.get(Message, alert.message_id)
    assert message.media_count == 1 and "picture" in message.media_words


def test_a_picture_outside_a_survey_reaches_the_inbox(client, services):
    phone = SmsPhone(client, phone_number(111))
    phone.send("hi")  # a newcomer is welcomed first (consent), pictures or not
    phone.send("yes")
    phone.send("1")
    phone.send("skip")
    assert phone.send("", media=1) == [texts.PICTURE_MESSAGE]
    [message] = [m for m in _inbound(services) if m.media_count]
    with Session(services.engine) as session:
        shown = thread(session=session, participant_id=message.participant_id, config=services.config)
    assert message.id in shown.text_in_ids
    assert message.media_words == "Sent a picture (picture message). The service does not download or show pictures."


def test_a_newcomer_sending_a_picture_is_welcomed_first(client, services):
    phone = SmsPhone(client, phone_number(112))
    assert phone.send("", media=1) == [texts.WELCOME.format(council="Testshire County Council")]
    assert _inbound(services)[0].media_count == 1


def test_an_opted_out_number_sending_a_picture_gets_nothing_back(services, invited):
    invited.send("STOP")
    assert invited.send("", media=1) == []
    assert _inbound(services)[-1].media_count == 1


@pytest.fixture
def duty_services(api_services):
    """The fake-Twilio services, with a duty phone."""
    config = api_services.config.with_overrides(safeguarding={"duty_phones": [DUTY_PHONE], "renotify_minutes": 30})
    return Services.from_config(config, engine=api_services.engine)


def test_a_picture_during_a_live_alert_is_added_to_it_and_the_duty_phone_is_told(duty_services):
    add_participants(duty_services, [{"phone": phone_number(113), "age": 15}])
    launch(duty_services)
    phone = SmsPhone(create_app(services=duty_services).test_client(), phone_number(113))
    phone.send("yes")
    assert texts.is_disclosure_reply(phone.send("my carer hits me when hes angry")[0])

    assert phone.send("", media=1) == [texts.PICTURE_AFTER_DISCLOSURE]
    with Session(duty_services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
        added = session.execute(
            select(Message.media_count, AlertMessage.reasons)
            .join(AlertMessage, AlertMessage.message_id == Message.id)
            .order_by(AlertMessage.id)
        ).all()
        notices = (
            session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.ALERT_UPDATE)).scalars().all()
        )
    assert [(count, list(reasons)) for count, reasons in added][1:] == [(1, [PICTURE])]
    assert alert.message_count == 2
    [notice] = notices
    assert notice.body.startswith(f"New message on alert #{alert.id} ")
    assert _run(duty_services).status == "paused"  # nothing moved on
    # Pictures with words while the alert is live are added too, with the words' usual reply.
    phone.send("this is what he did", media=1)
    with Session(duty_services.engine) as session:
        assert session.execute(text("SELECT count(*) FROM alertmessage")).scalar_one() == 3
    _nothing_holds_a_picture_address(duty_services)


def test_how_many_pictures_a_webhook_carried():
    assert media_count({"NumMedia": "3"}) == 3
    assert media_count({"NumMedia": "0", "Body": "hi"}) == 0
    assert media_count({"MediaUrl0": "x", "MediaUrl1": "y"}) == 2  # no NumMedia: the addresses are counted
    assert media_count({"NumMedia": "999"}) == 10  # Twilio sends at most 10
    assert media_count({"NumMedia": "two"}) == 0


def test_a_spooled_text_keeps_the_number_of_pictures_but_not_their_addresses():
    form = [["Body", ""], ["NumMedia", "1"], ["MediaUrl0", MEDIA_BASE + "/x"], ["MediaContentType0", "image/jpeg"]]
    record = sms_record("/sms/inbound", "", form, "sig")
    assert ["NumMedia", "1"] in record["form"] and MEDIA_BASE not in str(record)
