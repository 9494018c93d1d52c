"""The hostile inputs that once gave a 500 (issue 13): each now gets a clear 4xx and writes nothing."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, PUBLIC_URL

# The audit log records refused attempts on the dashboard on purpose; that is not a partial write.
NOT_DATA = {"auditevent"}


def row_counts(services) -> dict[str, int]:
    """Rows in every table of the service's data: a 4xx must leave them all as they were."""
    with Session(services.engine) as session:
        return {
            name: session.exec(select(func.count()).select_from(table)).scalar_one()
            for name, table in SQLModel.metadata.tables.items()
            if name not in NOT_DATA
        }


def signed_post(client, path: str, form: dict, query: str = ""):
    url = PUBLIC_URL + path + (f"?{query}" if query else "")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    return client.post(path + (f"?{query}" if query else ""), data=form, headers={"X-Twilio-Signature": signature})


def test_message_sid_longer_than_its_column_is_400(client, services):
    before = row_counts(services)
    form = {"MessageSid": "SM" + "a" * 200, "From": "+447700900123", "Body": "hello"}
    response = signed_post(client, "/sms/inbound", form)
    assert response.status_code == 400
    assert row_counts(services) == before


def test_outbox_id_beyond_integer_range_is_400(client, services):
    before = row_counts(services)
    form = {"MessageSid": f"SM{uuid.uuid4().hex}", "MessageStatus": "delivered"}
    response = signed_post(client, "/sms/status", form, query=f"outbox={2**70}")
    assert response.status_code == 400
    assert row_counts(services) == before


def test_lone_surrogate_in_an_invite_is_4xx(client, services):
    from tests.web.test_chat_api import ChatUser

    user = ChatUser(client)
    before = row_counts(services)
    response = user.post(
        "/api/chat/sessions",
        data='{"invite": "\\ud800abc"}',
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert client.get("/chat/%ED%A0%80").status_code in (400, 404)
    assert row_counts(services) == before


def test_empty_signed_status_body_is_400(client, services):
    before = row_counts(services)
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/sms/status", {})
    response = client.post("/sms/status", data=b"", headers={"X-Twilio-Signature": signature})
    assert response.status_code == 400
    response = client.post(
        "/sms/status",
        data=b"",
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert row_counts(services) == before
