"""Inbox advocacy referral over HTTP, with an advocacy address configured."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from voice_service.models import AuditEvent, OutboxMessage


@pytest.fixture
def config(database_url):
    """This module's configuration: the advocacy service has an address."""
    return make_config(database_url, advocacy={"email": "advocacy@example.org"})


def test_referral_is_recorded_emailed_and_audited(services, admin_client, client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("i want an advocate")
    worker = admin_client("worker")
    assert b"Refer to advocacy" in worker.get("/admin/inbox/1").data
    assert worker.post_form("/admin/inbox/1/advocacy", {"note": " "}).status_code == 400
    assert worker.post_form("/admin/inbox/1/advocacy", {"note": "Asked for an advocate"}).status_code == 303
    with Session(services.engine) as session:
        [email] = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "advocacy")).all()
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert services.vault.decrypt(email.to_encrypted) == "advocacy@example.org"
    assert "conversation.refer" in actions
    page = worker.get("/admin/inbox/1").data
    assert f"Referred by {worker.account.email}".encode() in page and b"Refer to advocacy" not in page
