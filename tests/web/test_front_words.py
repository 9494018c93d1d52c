"""The front page's button and the chat page's button say the same thing (trial finding 17)."""

from __future__ import annotations

import re


def _words(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()


def test_the_front_page_and_the_chat_page_both_say_start_chat(client):
    front = _words(client.get("/").get_data(as_text=True), r'<a href="/chat" role="button"[^>]*>(.*?)</a>')
    chat = client.get("/chat").get_data(as_text=True)
    button = _words(chat, r'<button[^>]*id="start-button"[^>]*>(.*?)</button>')
    assert front == button == "Start chat"
