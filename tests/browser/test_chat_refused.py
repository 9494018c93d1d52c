"""The web chat in real headless Chromium when the service refuses a message (trial finding 30): over the
per-chat limit the message is marked "Not sent", stays in the box to try again, and is not stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.browser.test_chat_browser import invited_in_welsh, wait_for_reply
from tests.conftest import make_config
from voice_service.engine.texts import HELP_ANY_AGE, chat_refusals
from voice_service.models import Message
from voice_service.web.chat.sessions import MAX_TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def config(database_url):
    """This module's app allows a chat 3 messages a minute, so the 4th is refused (429)."""
    return make_config(database_url, webchat={"rate_limit_per_session": "3 per minute"})


def test_a_refused_message_is_marked_not_sent_and_kept_in_the_box(open_page, services):
    page = open_page("/chat")
    page.get_by_role("button", name="Start chat").click()
    page.locator("#chat-text").wait_for()
    sent = []
    for n in range(6):
        text = f"hello {n}"
        page.fill("#chat-text", text)
        page.click("#send-button")
        page.locator("#send-button:enabled").wait_for()
        if not page.locator("#chat-text-error").is_hidden():
            break
        sent.append(text)
    refused = f"hello {len(sent)}"
    assert sent and len(sent) < 6, "the limit never bit"
    assert "sending messages very fast" in page.locator("#chat-text-error").inner_text()
    assert page.input_value("#chat-text") == refused
    mine = page.locator("#chat-log .msg--you")
    last = mine.last
    assert last.locator(".msg__text").inner_text() == refused
    assert "msg--not-sent" in last.get_attribute("class")
    assert "Not sent" in last.inner_text()
    assert "You tried to send (not sent):" in last.text_content()
    # Those that went through still read as sent.
    for item in mine.all()[:-1]:
        assert "Not sent" not in item.inner_text() and "You said:" in item.text_content()
    with Session(services.engine) as session:
        stored = [m.body for m in session.exec(select(Message)).scalars() if m.direction == "in"]
    assert refused not in stored and all(text in stored for text in sent)


def test_a_refused_message_in_a_welsh_chat_says_why_in_welsh(open_page, services):
    """The API refuses it in English (it has not read the chat); the page says it in Welsh, from the words it carries
    for the refusal's code, with where help is in Welsh, and the message is marked "Heb ei anfon" (not sent)."""
    page = open_page(invited_in_welsh(services))
    page.get_by_role("button", name="Dechrau sgwrsio").click()
    wait_for_reply(page, "Helo Cai")
    for n in range(6):
        page.fill("#chat-text", f"hello {n}")
        page.click("#send-button")
        page.locator("#send-button:enabled").wait_for()
        if not page.locator("#chat-text-error").is_hidden():
            break
    refused = chat_refusals("cy", longest=MAX_TEXT)["rate_limited"]
    assert refused.startswith("Rwyt ti'n anfon negeseuon yn gyflym iawn.")
    error = page.locator("#chat-text-error-text")
    assert error.inner_text() == refused and error.get_attribute("lang") is None
    assert page.get_attribute("html", "lang") == "cy"
    shown = page.locator("body").inner_text()
    assert HELP_ANY_AGE not in shown and "very fast" not in shown
    last = page.locator("#chat-log .msg--you").last
    assert "Heb ei anfon" in last.inner_text() and "msg--not-sent" in last.get_attribute("class")


def test_a_message_over_the_limit_is_refused_whole_never_cut_short_in_the_box(open_page, services):
    """A trial pasted 2,000 characters: the box's `maxlength` cut it at 1,600, mid-word, and nothing said so. Now the
    whole message goes, is refused as too long (it is not worrying), and stays in the box, whole, to shorten."""
    page = open_page("/chat")
    page.get_by_role("button", name="Start chat").click()
    page.locator("#chat-text").wait_for()
    pasted = ("my placement is ok but i wish i could see my mum more and my social worker would ring back. " * 25)[
        : MAX_TEXT + 400
    ]
    page.fill("#chat-text", pasted)
    assert page.input_value("#chat-text") == pasted  # nothing cut short as it is pasted
    page.click("#send-button")
    page.locator("#send-button:enabled").wait_for()
    page.locator("#chat-text-error-text").wait_for()
    assert (
        "That message is too long. Please keep it under 1,600 characters."
        in page.locator("#chat-text-error-text").inner_text()
    )
    assert page.input_value("#chat-text") == pasted.strip()
    assert "msg--not-sent" in page.locator("#chat-log .msg--you").last.get_attribute("class")
