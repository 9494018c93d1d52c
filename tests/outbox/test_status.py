"""Twilio's delivery reports, signed and posted to /sms/status, applied by the outbox."""

from __future__ import annotations

from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from tests.outbox.helpers import number, queue
from voice_service.models import OptOut, OutboxMessage, OutboxStatus


def _post(client, outbox_id: int | None, **form):
    path = "/sms/status" + (f"?outbox={outbox_id}" if outbox_id is not None else "")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def _rows(services) -> dict[int, OutboxMessage]:
    with Session(services.engine) as session:
        return {row.id: row for row in session.exec(select(OutboxMessage)).all()}


def test_a_carrier_opt_out_in_a_report_stops_that_numbers_pending_texts(client, services):
    """Like the dispatcher's own write path: register entry, and the number's pending texts cancelled."""
    first, _ = queue(services, 2)
    later = queue(services, 1, kind="reminder", start=0)[0]  # the same number as `first`, still pending
    with Session(services.engine) as session:
        row = session.get(OutboxMessage, first)
        row.status, row.provider_sid = OutboxStatus.SENT, "SM0001"
        session.add(row)
        session.commit()
    response = _post(client, first, MessageSid="SM0001", MessageStatus="undelivered", ErrorCode="21610")
    assert response.status_code == 204
    rows = _rows(services)
    assert rows[first].status == OutboxStatus.FAILED and rows[first].error_code == "21610"
    assert rows[later].status == OutboxStatus.CANCELLED
    assert [row.status for row in rows.values()].count(OutboxStatus.PENDING) == 1  # the other number's
    with Session(services.engine) as session:
        (entry,) = session.exec(select(OptOut)).all()
    assert entry.phone_hash == services.vault.hash(number(0)) and entry.keyword == "carrier"


def test_a_report_for_a_row_still_sending_settles_it_as_sent_then_delivered(client, services):
    (row_id,) = queue(services, 1)
    with Session(services.engine) as session:
        row = session.get(OutboxMessage, row_id)
        row.status, row.claimed_by = OutboxStatus.SENDING, "elsewhere:1:1"
        session.add(row)
        session.commit()
    assert _post(client, row_id, MessageSid="SM0009", MessageStatus="sent").status_code == 204
    row = _rows(services)[row_id]
    assert (row.status, row.provider_sid) == (OutboxStatus.SENT, "SM0009") and row.sent_at is not None
    assert _post(client, None, MessageSid="SM0009", MessageStatus="delivered").status_code == 204
    assert _rows(services)[row_id].status == OutboxStatus.DELIVERED


def test_reports_about_unknown_messages_and_bad_reports(client, services):
    assert _post(client, None, MessageSid="SM404", MessageStatus="delivered").status_code == 204
    assert _post(client, None, MessageSid="SM404").status_code == 400
    assert client.post("/sms/status", data={"MessageSid": "SM1", "MessageStatus": "sent"}).status_code == 403


def test_a_report_whose_message_id_is_another_rows_does_not_settle_the_row_it_names(client, services):
    first, second = queue(services, 2)
    with Session(services.engine) as session:
        for row_id, sid in ((first, "SM0001"), (second, "SM0002")):
            row = session.get(OutboxMessage, row_id)
            row.status, row.provider_sid = OutboxStatus.SENT, sid
            session.add(row)
        session.commit()
    assert _post(client, first, MessageSid="SMwrong", MessageStatus="delivered").status_code == 204
    assert _post(client, first, MessageSid="SM0002", MessageStatus="undelivered").status_code == 204
    rows = _rows(services)
    assert rows[first].status == OutboxStatus.SENT  # untouched: neither report was about it
    assert rows[second].status == OutboxStatus.FAILED  # the report's own message
