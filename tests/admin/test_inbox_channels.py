"""The inbox thread of a young person who texts and uses the web chat (tester U22): each message says how it
came or went ("by text message", "in web chat"), the page says before sending which way the reply will go,
the reply reaches an open chat page in Chromium without a reload, and a young person who said STOP with no
chat open is plainly told about instead of offered a form."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.admin.conftest import MOBILE
from tests.browser.test_chat_browser import type_and_send, wait_for_reply
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.models import OutboxMessage, Participant
from voice_service.web.chat.invites import invite_token

REPLY = "Hi Mo, it's Sam from the Voice team. Yes, we can talk here."


def _channel_notes(html: str) -> list[str]:
    return re.findall(r'<span class="app-channel">([^<]+)</span>', html)


def test_the_thread_says_each_messages_channel_and_where_the_reply_goes(services, admin_client, client):
    add_participants(services, [{"phone": phone_number(7), "first_name": "Mo"}])
    SmsPhone(client, phone_number(7)).send("can i talk to someone")
    worker = admin_client("worker")
    page = worker.get("/admin/inbox/1").data.decode()
    notes = _channel_notes(page)
    assert len(notes) == 2 and set(notes) == {"by text message"}  # theirs, and the service's answer
    assert "Your reply goes by text to ••••207." in page and "They last wrote to us by text." in page

    SmsPhone(client, phone_number(7)).send("STOP")
    page = worker.get("/admin/inbox/1").data.decode()
    assert 'id="cannot-reply"' in page and "Send reply" not in page
    assert "No reply can be sent. They have opted out of texts (they said STOP) and have no web chat open" in page
    refused = worker.post_form("/admin/inbox/1/reply", {"reply": "Hi Mo", "token": "t1"})
    assert refused.status_code == 400 and b"no web chat open" in refused.data
    with Session(services.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all() == []


@pytest.mark.browser
def test_a_reply_to_someone_who_moved_to_the_web_chat_reaches_their_open_chat(
    open_page, signed_in_page, client, services, axe, shot
):
    add_participants(services, [{"phone": phone_number(8), "first_name": "Mo", "age": 15}])
    SmsPhone(client, phone_number(8)).send("hi can someone ring me")
    with Session(services.engine) as session:
        person = session.exec(select(Participant)).one()
        chat_path = f"/chat/{invite_token(services.config, person)}"
    chat = open_page(chat_path, viewport=MOBILE)
    chat.get_by_role("button", name="Start chat").click()
    wait_for_reply(chat, "Hi")
    type_and_send(chat, "actually can we talk on here")
    chat.locator("#send-button:enabled").wait_for()
    chat.evaluate("window.loaded = true")  # gone if the page reloads

    page = signed_in_page("worker", path="/admin/inbox/1", viewport=MOBILE)
    notes = page.locator("#messages .app-channel").all_inner_texts()
    assert notes[0] == "by text message" and notes[-1] == "in web chat"
    assert "Text messages and web chat" in page.inner_text(".govuk-caption-l")
    assert page.inner_text("#reply-way") == (
        "Your reply goes into their web chat. They last wrote to us in the web chat, and it is still open."
    )
    assert page.locator("#reply-count").count() == 0  # no text-message counter for a chat
    axe(page)
    shot(page, "inbox-thread-text-and-chat-mobile")
    page.fill("#reply", REPLY)
    page.get_by_role("button", name="Send reply").click()
    assert "Reply added to their web chat" in page.inner_text(".govuk-notification-banner")
    assert page.locator("#messages .app-channel").all_inner_texts()[-1] == "in web chat"

    wait_for_reply(chat, "Sam from the Voice team")  # the open chat shows it at its next check
    assert chat.evaluate("window.loaded") is True
    with Session(services.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all() == []
