"""The inbox in Chromium: a text-in by signed SMS appears, a worker replies (the counter shows one
text), and the reply reaches the fake Twilio API once through the outbox and the dispatcher."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.admin.conftest import MOBILE
from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, phone_number
from tests.outbox.helpers import dispatcher
from voice_service.models import AuditEvent

pytestmark = pytest.mark.browser
REPLY = "Hi Ava, it's Jo from the Voice team. I can call you after school tomorrow. Is 4pm OK?"


@pytest.fixture
def config(database_url, fake_twilio):
    """This module's configuration: texts go to the fake Twilio API through the real twilio client."""
    return make_config(database_url, sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url})


def test_text_in_appears_worker_replies_reply_sent_once(signed_in_page, client, services, fake_twilio, axe, shot):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava", "age": 15}])
    SmsPhone(client, phone_number(1)).send("can i talk to someone about my placement")
    page = signed_in_page("worker", path="/admin/inbox", viewport=MOBILE)
    row = page.locator("#threads tbody tr").first
    assert "Ava" in row.inner_text() and "Needs a reply" in row.inner_text()
    axe(page)
    shot(page, "inbox-mobile")

    page.get_by_role("link", name="Ava").click()
    page.wait_for_url("**/admin/inbox/1")
    assert "can i talk to someone about my placement" in page.inner_text("#messages")
    assert phone_number(1) not in page.content()
    page.fill("#reply", REPLY)
    assert page.inner_text("#reply-count") == f"{len(REPLY)} characters, 1 text"
    page.fill("#reply", REPLY + " “quoted”")  # one curly quote makes it UCS-2: two texts
    assert "2 texts" in page.inner_text("#reply-count")
    page.fill("#reply", REPLY)
    axe(page)
    shot(page, "inbox-thread-reply-mobile")
    page.get_by_role("button", name="Send reply").click()
    assert "Reply sent" in page.inner_text(".govuk-notification-banner")
    assert REPLY in page.inner_text("#messages")
    axe(page)

    assert fake_twilio.to(phone_number(1)) == []  # queued, not sent from the web request
    dispatcher(services).flush()
    dispatcher(services).flush()
    assert [m["body"] for m in fake_twilio.to(phone_number(1))] == [REPLY]

    page.goto("/".join(page.url.split("/")[:3]) + "/admin/inbox")
    assert "Answered" in page.locator("#threads tbody tr").first.inner_text()
    page.get_by_role("link", name="Ava").click()
    page.select_option("#to", page.account.email)
    with page.expect_navigation():  # the page it redirects to has a #thread-state too
        page.get_by_role("button", name="Assign").click()
    assert "Assigned to" in page.inner_text("#thread-state")
    page.get_by_role("button", name="Close conversation").click()
    page.wait_for_url("**/admin/inbox")
    assert "Nothing is waiting" in page.inner_text("main")
    shot(page, "inbox-empty-mobile")

    with Session(services.engine) as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    for action in (
        "conversation.list",
        "conversation.view",
        "conversation.reply",
        "conversation.assign",
        "conversation.close",
    ):
        assert action in actions, action
