"""The chat page with JavaScript off: plain form posts through a whole conversation, invites, errors."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.models import Message, Participant, Response, Run
from voice_service.web.chat.invites import invite_token
from voice_service.web.chat.security import NO_CHAT

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    return CSRF_FIELD.search(html).group(1)


def form_post(client, path: str, **fields):
    """Post a form the way a browser with JavaScript off would, with the page's CSRF token."""
    page = client.get("/chat").get_data(as_text=True)
    return client.post(path, data={"csrf": csrf_of(page), **fields})


def quick_reply_values(html: str) -> list[str]:
    form = html[html.index('id="quick-form"') : html.index('id="chat-form"')]
    return [unescape(v) for v in re.findall(r'<button type="submit" name="text" value="([^"]*)"', form)]


def test_page_is_accessible_by_construction(client):
    html = client.get("/chat").get_data(as_text=True)
    assert '<html lang="en-GB"' in html
    assert 'name="viewport"' in html
    assert '<label class="govuk-label govuk-label--s" for="chat-text">' in html
    assert 'role="log" aria-live="polite"' in html
    assert 'href="#main-content"' in html  # skip link
    assert "Leave this page" in html and 'action="/chat/leave"' in html
    assert "0800 1111" in html  # help is always on the page


def test_whole_conversation_with_javascript_off(client, services):
    launch(services)
    response = form_post(client, "/chat/start")
    assert response.status_code == 303 and response.headers["Location"].endswith("/chat#latest")
    html = client.get("/chat").get_data(as_text=True)
    assert "Tap Yes to go on" in html
    assert quick_reply_values(html) == ["Yes, go on", "No thanks"]
    for answer in ("Yes, go on", "In care", "11-15", "Yes", "4"):
        assert form_post(client, "/chat/send", text=answer).status_code == 303
    html = client.get("/chat").get_data(as_text=True)
    assert "Do you feel listened to" in html
    assert quick_reply_values(html) == ["Yes", "No", "Skip this one"]
    for answer in ("Skip this one", "Too much", "somewhere to hang out"):
        form_post(client, "/chat/send", text=answer)
    html = client.get("/chat").get_data(as_text=True)
    assert "Thank you!" in html and quick_reply_values(html) == []
    with Session(services.engine) as session:
        answers = {
            r.question_id: r for r in session.exec(select(Response).where(Response.question_id.is_not(None))).scalars()
        }
        run = session.exec(select(Run)).scalars().one()
    assert run.status == "finished"
    assert answers["safe_home"].value_number == 4 and answers["listened"].skipped
    assert answers["contact"].value_text == "Too much"


def test_invite_page_binds_the_chat_to_the_participant(client, services):
    add_participants(services, [{"phone": phone_number(50), "first_name": "Amira"}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        token = invite_token(services.config, participant)
    html = client.get(f"/chat/{token}").get_data(as_text=True)
    assert f'name="invite" value="{token}"' in html
    response = client.post("/chat/start", data={"csrf": csrf_of(html), "invite": token})
    assert response.status_code == 303
    html = client.get("/chat").get_data(as_text=True)
    assert "Hi Amira" in html
    form_post(client, "/chat/send", text="yes")
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
        inbound = session.exec(select(Message).where(Message.direction == "in")).scalars().one()
    assert run.status == "active" and inbound.channel == "webchat" and inbound.participant_id == participant.id


def test_empty_message_shows_an_error_and_stores_nothing(client, services):
    form_post(client, "/chat/start")
    response = form_post(client, "/chat/send", text="   ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "Type a message first." in html
    assert 'aria-describedby="chat-text-error"' in html  # the welcome has no hint: its buttons say it
    with Session(services.engine) as session:
        assert session.exec(select(Message).where(Message.direction == "in")).first() is None


def test_too_long_message_keeps_the_draft(client):
    form_post(client, "/chat/start")
    response = form_post(client, "/chat/send", text="a" * 2000)
    assert response.status_code == 413
    assert "too long" in response.get_data(as_text=True)


def test_double_submitted_form_counts_once(client, services):
    form_post(client, "/chat/start")
    page = client.get("/chat").get_data(as_text=True)
    form_id = re.findall(r'name="id" value="([^"]+)"', page)[1]
    for _ in range(2):
        client.post("/chat/send", data={"csrf": csrf_of(page), "id": form_id, "text": "yes"})
    with Session(services.engine) as session:
        assert len(session.exec(select(Message).where(Message.direction == "in")).scalars().all()) == 1


def test_send_without_a_chat_asks_to_start_again_and_keeps_the_words(client):
    """As the API says it (404, the same words), with the help line, and the words back in the box."""
    response = form_post(client, "/chat/send", text="hello there")
    assert response.status_code == 404
    page = unescape(response.get_data(as_text=True))
    assert NO_CHAT in page and "0800 1111" in page
    # No chat, so no box: the words go with the Start button, and starting sends them.
    assert re.search(r'<input type="hidden" name="text" value="hello there">', page)
    assert client.post("/chat/start", data={"csrf": csrf_of(page), "text": "hello there"}).status_code == 303
    assert "hello there" in client.get("/chat").get_data(as_text=True)


def test_a_worrying_message_to_a_chat_that_has_ended_starts_a_new_one_and_is_never_lost(client, services):
    """Reviewer's finding: a stale chat cookie (the chat ran out), a good page token and a disclosure were refused
    with an empty box, unscreened: no alert, no help reply. It now goes into a new chat, from our own page only."""
    from voice_service.models import Alert

    client.set_cookie("voice_chat", "a-chat-that-has-ended")
    response = form_post(client, "/chat/send", text="i am going to kill myself tonight")
    assert response.status_code == 303
    assert response.headers.get("Set-Cookie", "").startswith("voice_chat=")
    with Session(services.engine) as session:
        assert len(session.exec(select(Alert)).scalars().all()) == 1
    page = client.get("/chat").get_data(as_text=True)
    assert "i am going to kill myself tonight" in page and "0800 1111" in page


def test_a_first_visit_from_an_invite_gets_one_greeting(client, services):
    """A new chat link opens with the invitation alone: no "Welcome back" to someone never here before,
    and no second prompt asking the same thing, on the page (JavaScript off) or through the API."""
    add_participants(services, [{"phone": phone_number(51), "first_name": "Ellie"}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        token = invite_token(services.config, participant)
    html = client.get(f"/chat/{token}").get_data(as_text=True)
    client.post("/chat/start", data={"csrf": csrf_of(html), "invite": token})
    html = client.get("/chat").get_data(as_text=True)
    assert "Hi Ellie" in html
    assert "Welcome back" not in html and "Would you like to do our quick survey" not in html
    assert quick_reply_values(html) == ["Yes, let's start", "Not now"]
    session_token = client.get_cookie("voice_chat")
    assert session_token is not None
    data = client.get(f"/api/chat/sessions/{session_token.value}").get_json()
    assert len(data["messages"]) == 1 and data["messages"][0]["text"].startswith("Hi Ellie")


def test_a_wrong_chat_link_says_it_does_not_work_and_offers_a_new_chat(client):
    # trial 13: a mistyped link was said to have "run out", with "reply to our text" for a link a worker gave
    page = client.get("/chat/not-a-real-link")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "This chat link does not work" in html and "run out" not in html and "reply to our text" not in html
    assert 'href="/chat"' in html
