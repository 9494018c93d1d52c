"""Errors nobody routed: JSON under /api/, a plain friendly page for young people elsewhere, and the
dashboard's own pages under /admin/ as before; and the chat's error words say what is true."""

from __future__ import annotations

from html import unescape

from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_page import form_post
from voice_service.engine import texts


def test_a_wrong_method_on_the_json_api_answers_json_with_allow(client):
    response = client.put("/api/chat/sessions/abc/messages", json={"text": "hi"})
    assert response.status_code == 405
    assert response.is_json and response.get_json()["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/chat/nothing-here")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"] == "not_found"


def test_an_unknown_page_is_a_friendly_page_in_the_public_layout(client):
    response = client.get("/chta")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Sorry, we can't find that page" in html
    assert "Childline" in html and "Leave this page" in html  # the young people's layout and help
    assert 'href="/chat"' in html
    assert "Werkzeug" not in html and "requested URL was not found" not in html


def test_the_dashboard_keeps_its_own_error_page(client):
    response = client.get("/admin/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html and "Leave this page" not in html


def test_sending_without_a_chat_does_not_say_one_had_ended(client):
    response = form_post(client, "/chat/send", text="hello")
    html = response.get_data(as_text=True)
    assert response.status_code == 404  # as the API answers it (`security.NO_CHAT`)
    assert "had ended" not in html and "no chat open here" in html and "Press Start chat" in html


def test_an_expired_form_says_has_expired(client):
    response = client.post("/chat/start", data={"csrf": "not-the-token"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "This page has expired" in html and "had expired" not in html


def test_stop_in_the_chat_says_no_more_surveys_in_plain_words(client):
    user = ChatUser(client)
    user.start()
    said = user.replies("STOP")
    assert said == [texts.for_channel(texts.STOP_CONFIRMED, "webchat")]
    assert "won't send you any more surveys" in said[0] and "ask you any more surveys" not in said[0]
    unknown = ChatUser(client)
    unknown.session = "y" * 43
    assert "ended" not in unknown.say("hello", expect=404)["message"]
