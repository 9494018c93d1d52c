"""Tester finding: a text Twilio refused (the young person opted out at the carrier, 21610) or any failed send was
shown only in the outbox. Now the conversation page marks it beside that message, and the alert page says so at
the top when it was a text back after the disclosure: the duty worker must know the reply did not arrive."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from tests.outbox.helpers import dispatcher
from voice_service.db import session_scope
from voice_service.inbound.writes import replayed_key
from voice_service.models import Alert, Direction, Message, OutboxKind, OutboxMessage, OutboxStatus, Participant
from voice_service.outbox import dispatch
from voice_service.outbox.status import DeliveryReport, apply_delivery_report
from voice_service.web.admin.failed_texts import UNCONFIRMED, FailedText, answered_sid, failed_texts

DISCLOSURE = "my stepdad hits me when hes drunk"
BLOCKED = "They have blocked texts from us (they sent STOP). Texts reach them again only if they text START."


@pytest.fixture
def config(database_url, fake_twilio):
    """Texts go to the fake Twilio API through the real twilio client."""
    return make_config(database_url, sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url})


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _item(html: str, words: str) -> str:
    """The conversation item (its <li>) that holds these words."""
    for item in re.findall(r'<li class="app-conversation__item[^"]*" id="message-\d+">.*?</li>', html, re.S):
        if words in item:
            return item
    raise AssertionError(f"no message with {words!r}")


def _reply_by_text(services, client, admin_client, roles, number: int, first: str, said: str, reply: str):
    """`first` texts `said`; someone with `roles` replies `reply` by text from their thread; the reply is queued."""
    add_participants(services, [{"phone": phone_number(number), "first_name": first}])
    SmsPhone(client, phone_number(number)).send(said)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    staff = admin_client(*roles)
    path = f"/admin/inbox/{participant_id}"
    sent = staff.post_form(path + "/reply", {"reply": reply, "token": _token(staff.get(path).get_data(as_text=True))})
    assert sent.status_code == 303
    return staff, path


def test_a_reply_twilio_refuses_as_opted_out_is_marked_beside_it_in_the_conversation(
    services, client, admin_client, fake_twilio
):
    reply = "Hi Ava, this is Jo from the Voice team. I can call you after school tomorrow."
    worker, path = _reply_by_text(services, client, admin_client, ("worker",), 41, "Ava", "can someone call me", reply)
    waiting = worker.get(path).get_data(as_text=True)
    assert "did not reach them" not in waiting and "app-not-arrived" not in waiting  # queued, not yet failed

    fake_twilio.failing_numbers[phone_number(41)] = 21610
    dispatcher(services).flush()
    with Session(services.engine) as session:
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY)).one()
    assert (row.status, row.error_code) == (OutboxStatus.FAILED, "21610")

    page = worker.get(path).get_data(as_text=True)
    beside = _item(page, reply)
    assert '<strong class="govuk-tag govuk-tag--red">Not delivered</strong>' in beside and BLOCKED in beside
    assert "app-not-arrived" not in _item(page, "can someone call me")  # only the text that failed
    top = re.search(r'<div class="govuk-warning-text" id="texts-not-arrived">.*?</div>', page, re.S).group(0)
    assert "A text we sent them did not reach them" in top and "Try to reach them another way" in top
    assert phone_number(41) not in page and "7700900241" not in page


def test_the_alert_says_when_the_reply_to_a_disclosure_did_not_arrive(services, client, admin_client, fake_twilio):
    reply = "Hi Bea, this is Sam from the duty team. Are you safe right now?"
    duty, path = _reply_by_text(services, client, admin_client, ("duty",), 42, "Bea", DISCLOSURE, reply)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).one()
        row = session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REPLY)).one()
    alert_path = f"/admin/alerts/{alert.id}"
    assert "reply-not-arrived" not in duty.get(alert_path).get_data(as_text=True)

    dispatcher(services).flush()  # it goes: Twilio has it
    row_sid = fake_twilio.to(phone_number(42))[-1]["sid"]
    assert "reply-not-arrived" not in duty.get(alert_path).get_data(as_text=True)
    # Then Twilio's delivery report: undelivered, the number opted out at the carrier.
    report = DeliveryReport(sid=row_sid, status="undelivered", error_code="21610", outbox_id=row.id)
    assert apply_delivery_report(services.engine, report)

    page = duty.get(alert_path).get_data(as_text=True)
    top = re.search(r'<div class="govuk-warning-text" id="reply-not-arrived">.*?</div>', page, re.S).group(0)
    assert "A text we sent Bea after this alert was raised did not reach them" in top
    assert BLOCKED in top and "Try to reach them another way" in top
    assert page.index('id="reply-not-arrived"') < page.index('id="actions"'), "before what to do next"
    beside = _item(page, reply)
    assert "Not delivered</strong>" in beside and BLOCKED in beside
    assert "app-not-arrived" not in _item(page, DISCLOSURE)
    assert phone_number(42) not in page and "7700900242" not in page
    # The conversation page says so too.
    assert "Not delivered</strong>" in _item(duty.get(path).get_data(as_text=True), reply)


WHEN = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
HELP = "Thank you for telling us. Someone from the team will call you. Childline: 0800 1111."


def test_a_replayed_help_reply_is_matched_to_its_own_message_not_an_earlier_one_with_the_same_words(services):
    """The help reply the spool's replay queued (keyed by the text it answers) failed; the same words said at once
    to an earlier text (the webhook's answer) are not marked, nor is a later one."""
    add_participants(services, [{"phone": phone_number(43), "first_name": "Cai"}])
    with session_scope(services.engine) as session:
        participant = session.exec(select(Participant)).one()

        def said(direction: str, body: str, minutes: int, sid: str | None = None) -> Message:
            message = Message(
                direction=direction,
                channel="sms",
                provider_sid=sid,
                participant_id=participant.id,
                body=body,
                created_at=WHEN + timedelta(minutes=minutes),
            )
            session.add(message)
            session.flush()
            return message

        said(Direction.IN, DISCLOSURE, 0, sid="SMfirst")
        earlier = said(Direction.OUT, HELP, 0)  # answered at once: not through the outbox
        said(Direction.IN, "he is back", 30, sid="SMsecond")  # came in while the service was down
        replayed = said(Direction.OUT, HELP, 30)
        said(Direction.IN, "im ok now", 50, sid="SMthird")
        later = said(Direction.OUT, HELP, 50)
        session.add(
            OutboxMessage(
                key=replayed_key("SMsecond", 0),
                kind=OutboxKind.REPLY,
                participant_id=participant.id,
                to_encrypted=participant.phone_encrypted,
                to_hash=participant.phone_hash,
                body=HELP,
                status=OutboxStatus.FAILED,
                error_code="21610",
                created_at=WHEN + timedelta(minutes=55),  # replayed once the service was back
                not_before=WHEN + timedelta(minutes=55),
            )
        )
        session.flush()
        messages = list(session.exec(select(Message).order_by(col(Message.id))).all())
        found = failed_texts(session=session, participant_id=participant.id, messages=messages)
        assert list(found) == [replayed.id] and earlier.id not in found and later.id not in found
        assert found[replayed.id].reason == BLOCKED
        # Shown only in part (the alert page's window), the failed row is still its own message's, never the other.
        assert failed_texts(session=session, participant_id=participant.id, messages=[earlier, later]) == {}


def test_the_words_say_why_in_a_workers_words():
    assert answered_sid(replayed_key("SMabc123", 2)) == "SMabc123" and answered_sid("reply:4:tok") is None
    assert UNCONFIRMED == dispatch.UNCONFIRMED
    said = {
        (OutboxStatus.FAILED, "21610", None): ("Not delivered", BLOCKED),
        (OutboxStatus.FAILED, "21614", None): ("Not delivered", "Their phone number cannot get texts."),
        (OutboxStatus.FAILED, "30003", None): ("Not delivered", "The phone network could not deliver it."),
        (OutboxStatus.FAILED, "", "boom"): ("Not sent", "The text service could not send it."),
        (OutboxStatus.FAILED, "unconfirmed", None): (
            "May not have arrived",
            "The text service did not confirm it was sent.",
        ),
        (OutboxStatus.CANCELLED, None, "opted out"): ("Not sent", "They had stopped texts from us before it went."),
        (OutboxStatus.CANCELLED, None, "number carrier"): (
            "Not sent",
            "They had stopped texts from us before it went.",
        ),
        (OutboxStatus.CANCELLED, None, "number invalid"): ("Not sent", "Their phone number cannot get texts."),
    }
    for (status, code, message), (label, reason) in said.items():
        failed = FailedText(status, code, message)
        assert (failed.label, failed.reason) == (label, reason)
