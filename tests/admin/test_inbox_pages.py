"""Inbox pages over HTTP: a text-in appears, a worker replies once, assigns, refers, closes; all audited."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.models import AuditEvent, OutboxMessage


def _actions(services) -> list[str]:
    with Session(services.engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_text_in_reply_assign_close(services, admin_client, client, users):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    worker = admin_client("worker")
    listing = worker.get("/admin/inbox")
    assert listing.status_code == 200 and b"Ava" in listing.data and b"Unanswered" in listing.data
    thread = worker.get("/admin/inbox/1")
    assert b"can someone call me about my placement" in thread.data and "••••201".encode() in thread.data
    token = re.search(rb'name="token" value="([^"]+)"', thread.data).group(1).decode()
    for _ in range(2):
        sent = worker.post_form(
            "/admin/inbox/1/reply", {"reply": "Hi Ava, it's Jo. I'll call you at 5.", "token": token}
        )
        assert sent.status_code == 303
    with Session(services.engine) as session:
        assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()) == 1
    assert b"Answered" in worker.get("/admin/inbox").data
    empty = worker.post_form("/admin/inbox/1/reply", {"reply": "", "token": "x"})
    assert empty.status_code == 400 and b"Write a reply" in empty.data
    colleague = users("worker", email="jo@council.test")
    assert worker.post_form("/admin/inbox/1/assign", {"to": colleague.email}).status_code == 303
    assert worker.post_form("/admin/inbox/1/assign", {"to": "stranger@x.test"}).status_code == 400
    assert b"jo@council.test" in worker.get("/admin/inbox?show=assigned").data
    no_advocacy = worker.post_form("/admin/inbox/1/advocacy", {"note": "wants an advocate"})
    assert no_advocacy.status_code == 400 and b"advocacy" in no_advocacy.data
    assert worker.post_form("/admin/inbox/1/close").status_code == 303
    assert b"Nothing is waiting" in worker.get("/admin/inbox").data
    assert {
        "conversation.list",
        "conversation.view",
        "conversation.reply",
        "conversation.assign",
        "conversation.close",
    } <= set(_actions(services))


def test_a_thread_with_nothing_waiting_offers_no_reply(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    page = admin_client("worker").get("/admin/inbox/1")
    assert page.status_code == 200
    assert b"Nothing from them is waiting" in page.data and b"Send reply" not in page.data


def test_a_request_for_a_person_is_tagged_in_the_list_and_the_thread(services, admin_client, client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me please")
    worker = admin_client("worker")
    assert b"Asked for a person" in worker.get("/admin/inbox").data
    assert b"They asked to talk to a person" in worker.get("/admin/inbox/1").data
