"""A MessageSid already stored from one number, sent again from ANOTHER number (trial 8, H4).

Twilio's MessageSids are unique, so only someone holding the auth token can send this: defence in
depth. It is never answered with the replies written for the first sender, nor dropped as a retry:
it is refused with 409 and one plain line, nothing is stored (not even a participant for a new
number), and the log line names neither number nor words. An exact retry (same MessageSid, same
number) is answered as before, stored once. Through the lean edge and the Flask route (a query string
always goes there); signed webhooks; SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from twilio.request_validator import RequestValidator

from tests import log_guard
from tests.conftest import PUBLIC_URL, SmsPhone
from tests.factories import add_participants, phone_number
from tests.fake_twilio import AUTH_TOKEN
from tests.support.messages import stored
from voice_service.models import Alert, Message, Participant

REFUSED = b"This MessageSid was already used by another number; this text was not stored or answered."


def _count(services, model) -> int:
    with Session(services.engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _post(client, number: str, body: str, sid: str, path: str):
    log_guard.remember(number, body)
    form = {"MessageSid": sid, "From": number, "To": "+447700900000", "Body": body, "NumMedia": "0"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/inbound?again=1"], ids=["lean-edge", "flask-route"])
@pytest.mark.parametrize("known", [True, False], ids=["known-number", "new-number"])
def test_a_sid_from_another_number_is_refused_and_stores_nothing(client, services, path, known, caplog):
    first, second = phone_number(71), phone_number(72)
    add_participants(services, [{"phone": first}, *([{"phone": second}] if known else [])])
    sid = f"SM{uuid.uuid4().hex}"
    answered = _post(client, first, "hi there", sid, path)
    assert answered.status_code == 200
    before = {model: _count(services, model) for model in (Message, Participant, Alert)}

    caplog.set_level(logging.INFO)
    refused = _post(client, second, "i want to kill myself", sid, path)
    assert refused.status_code == 409
    assert refused.mimetype == "text/plain"
    assert refused.data == REFUSED  # one line, and none of the first sender's replies
    assert b"<Message>" not in refused.data
    assert {model: _count(services, model) for model in (Message, Participant, Alert)} == before
    assert stored(services, sid) == 1
    lines = [record.getMessage() for record in caplog.records if "409" in record.getMessage()]
    assert lines == [f"inbound sms refused (409): MessageSid {sid} is already stored from another number"]

    # The first sender's own retry is still answered as it was the first time, and stored once.
    again = _post(client, first, "hi there", sid, path)
    assert (again.status_code, again.data) == (200, answered.data)
    assert stored(services, sid) == 1


def test_an_exact_retry_is_answered_as_before(client, services):
    add_participants(services, [{"phone": phone_number(73)}])
    phone = SmsPhone(client, phone_number(73))
    sid = f"SM{uuid.uuid4().hex}"
    first = phone.send("he hits me every night", sid=sid)
    assert phone.send("he hits me every night", sid=sid) == first
    assert stored(services, sid) == 1
    assert _count(services, Alert) == 1
