"""Inbox advocacy referral over HTTP, with an advocacy address configured."""

from __future__ import annotations

import re

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


def test_a_referral_with_no_reason_is_shown_on_its_note_not_the_reply_box(services, admin_client, client):
    """Trial 11, T11-7: "Say briefly why you are referring them" sat under the reply box, linked to #reply."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("i want an advocate")
    refused = admin_client("worker").post_form("/admin/inbox/1/advocacy", {"note": " "})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert '<a href="#note">Say briefly why you are referring them</a>' in page and 'href="#reply"' not in page
    note = re.search(r'<textarea [^>]*id="note"[^>]*>', page).group(0)
    assert "govuk-textarea--error" in note and 'aria-describedby="note-hint note-error"' in note
    assert re.search(r'<p id="note-error" class="govuk-error-message">', page)
    reply_box = re.search(r'<textarea [^>]*id="reply"[^>]*>', page).group(0)
    assert "error" not in reply_box and "reply-error" not in page


def test_a_referral_made_meanwhile_is_said_with_no_link_to_a_form_no_longer_there(services, admin_client, client):
    """A colleague referred them since the page loaded: the form is gone, so the summary links nowhere."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("i want an advocate")
    worker = admin_client("worker")
    assert worker.post_form("/admin/inbox/1/advocacy", {"note": "Asked for an advocate"}).status_code == 303
    again = worker.post_form("/admin/inbox/1/advocacy", {"note": "Asked for an advocate"})
    assert again.status_code == 400
    page = again.get_data(as_text=True)
    assert "This conversation has already been referred to advocacy" in page and 'id="note"' not in page
    assert 'href="#note"' not in page and 'href="#reply"' not in page and "reply-error" not in page
