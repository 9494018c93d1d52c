"""A young person in a Welsh chat is refused in Welsh: too fast, too long, an empty box, a page or a chat link that
has expired, no chat open here. Each refusal's words live in `engine/texts.py` (CHAT_REFUSALS, WELSH_CHAT_REFUSALS:
machine-drafted), each says where help is in its own language, and the chat says them in the page's language: its
form pages and error pages (JavaScript off), and the page's script, from the words the page carries (#chat-words;
tests/browser has it in Chromium). The JSON API keeps its codes, and says its words in the chat's language once it
has read the chat, else in English."""

from __future__ import annotations

import re
import time
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import make_config
from tests.factories import add_participants, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_page import csrf_of
from tests.web.test_chat_page_language import _invited, _words
from voice_service.engine import texts
from voice_service.models import Participant
from voice_service.web.chat.invites import invite_token
from voice_service.web.chat.security import MAX_MESSAGE_BODY
from voice_service.web.chat.sessions import MAX_TEXT

CHAT = Path(__file__).parents[2] / "voice_service" / "web" / "chat"
ENGLISH = texts.chat_refusals("en", longest=MAX_TEXT)
WELSH = texts.chat_refusals("cy", longest=MAX_TEXT)


@pytest.fixture
def config(database_url):
    """This module's chats may send 2 messages a minute and check for news once, so the next is refused (429)."""
    return make_config(
        database_url, webchat={"rate_limit_per_session": "2 per minute", "poll_limit_per_chat": "1 per minute"}
    )


def test_every_refusal_is_written_in_welsh_too():
    assert set(texts.WELSH_CHAT_REFUSALS) == set(texts.CHAT_REFUSALS) and texts.CHAT_REFUSALS
    for name in texts.CHAT_REFUSALS:
        assert WELSH[name] != ENGLISH[name] and "{" not in WELSH[name] + ENGLISH[name], name
    assert texts.chat_refusals("fr", longest=MAX_TEXT) == ENGLISH  # a language without them: English
    assert f"{MAX_TEXT:,}" in ENGLISH["too_long"] and f"{MAX_TEXT:,}" in WELSH["too_long"]


def test_every_refusal_says_where_help_is_in_its_own_words():
    """For someone whose age is not known, by the rule's one wording (`for_age`): in Welsh, the words a Welsh chat's
    own replies end with (the same Welsh help, not a second copy)."""
    welsh_help = texts.help_any_age("cy")
    assert texts.ANY_AGE_LINES_IN["cy"] in welsh_help and "999" in welsh_help and "Help nawr?" in welsh_help
    paused = texts.for_person(texts.SURVEY_PAUSED, texts.WEBCHAT, adult=None, language="cy")
    assert paused.endswith(welsh_help)
    assert texts.help_any_age("en") == texts.HELP_ANY_AGE
    for name in texts.CHAT_REFUSALS:
        assert ENGLISH[name].endswith(" " + texts.HELP_ANY_AGE), name
        assert WELSH[name].endswith(" " + welsh_help), name
        assert "Need help" not in WELSH[name] and "if under 19" not in WELSH[name], name


def test_every_refusal_the_chat_makes_has_words():
    """Each name the chat's API, forms and guards refuse with is one `texts.CHAT_REFUSALS` has (and the script's)."""
    named: set[str] = set()
    for source in ("api.py", "pages.py", "security.py"):
        code = (CHAT / source).read_text(encoding="utf-8")
        named |= set(re.findall(r'(?:refused|error)\s*=\s*"(\w+)"', code))
        named |= set(re.findall(r'refusal\("(\w+)"', code))
    script = (CHAT.parent / "static" / "chat" / "chat.js").read_text(encoding="utf-8")
    named |= set(re.findall(r'"(too_many_chats)"', script))
    assert {"rate_limited", "too_many_chats", "session_not_found", "empty", "too_long", "page_expired"} <= named
    assert named <= set(texts.CHAT_REFUSALS)


def _welsh_chat(client, services) -> str:
    """A Welsh young person's chat, started with JavaScript off (`_invited`); its page."""
    token = _invited(services, "cy")
    page = client.get(f"/chat/{token}").get_data(as_text=True)
    assert client.post("/chat/start", data={"csrf": csrf_of(page), "invite": token}).status_code == 303
    return client.get("/chat").get_data(as_text=True)


def _refused_in_welsh(html: str, name: str) -> str:
    """The page says refusal `name` in Welsh, as the whole page is, and nothing of it in English; the page, less the
    words it carries for its script."""
    page = re.sub(r'<script type="application/json" id="chat-words">.*?</script>', "", unescape(html), flags=re.S)
    assert '<html lang="cy"' in page
    assert WELSH[name] in page, name
    assert 'lang="en-GB"' not in page.replace('<span class="govuk-header__service-name" lang="en-GB">', "")
    for english in ENGLISH.values():
        assert english.split(".")[0] not in page
    assert texts.HELP_ANY_AGE not in page
    return page


@pytest.mark.parametrize(
    ("name", "text", "status", "csrf_ok"),
    [
        ("empty", "   ", 400, True),
        ("not_text", "hi \x07 there", 400, True),
        ("too_long", "a" * (MAX_TEXT + 400), 413, True),
        ("page_expired", "hello there", 403, False),
        ("rate_limited", "hello there", 429, True),
    ],
)
def test_a_welsh_chats_refused_form_comes_back_in_welsh(client, services, name, text, status, csrf_ok):
    """With JavaScript off: the page comes back Welsh, the refusal in its error summary and under the box, named for
    the script (`data-refused`), with the words back in the box."""
    chat = _welsh_chat(client, services)
    csrf = csrf_of(chat) if csrf_ok else "not-the-token"
    if name == "rate_limited":
        for _ in range(2):  # this module's limit
            assert client.post("/chat/send", data={"csrf": csrf, "text": "ok"}).status_code == 303
    response = client.post("/chat/send", data={"csrf": csrf, "text": text})
    assert response.status_code == status
    page = _refused_in_welsh(response.get_data(as_text=True), name)
    assert f'<a href="#chat-text" data-refused="{name}">{WELSH[name]}</a>' in page
    assert f'<span id="chat-text-error-text" data-refused="{name}">{WELSH[name]}</span>' in page
    if text.strip():
        assert f">{text}</textarea>" in page


def test_a_welsh_pages_forms_say_its_language_so_a_refusal_with_no_chat_is_welsh(client, services):
    """Their chat has gone from this device (the cookie ran out): the refusal is in the language of the page they sent
    it from, which its forms' addresses say, and the words ride with the Start button."""
    chat = _welsh_chat(client, services)
    action = re.search(r'<form method="post" action="([^"]+)" id="chat-form"', chat).group(1)
    assert unescape(action) == "/chat/send?lang=cy"
    assert 'action="/chat/leave?lang=cy"' in chat
    client.delete_cookie("voice_chat")
    response = client.post(unescape(action), data={"csrf": csrf_of(chat), "text": "helo"})
    assert response.status_code == 404
    page = _refused_in_welsh(response.get_data(as_text=True), "session_not_found")
    assert '<input type="hidden" name="text" value="helo">' in page and "Dechrau sgwrsio" in page


def test_a_refused_start_from_a_welsh_link_is_welsh(client, services):
    token = _invited(services, "cy")
    response = client.post("/chat/start", data={"csrf": "not-the-token", "invite": token})
    assert response.status_code == 403
    _refused_in_welsh(response.get_data(as_text=True), "start_expired")


def test_the_chats_error_page_is_in_the_language_of_the_page_it_came_from(client, services):
    """A post over its size limit is refused unread (413), so only its address can say the page's language."""
    chat = _welsh_chat(client, services)
    body = {"csrf": csrf_of(chat), "text": "a" * (MAX_MESSAGE_BODY + 10)}
    welsh = client.post("/chat/send?lang=cy", data=body)
    assert welsh.status_code == 413
    page = _refused_in_welsh(welsh.get_data(as_text=True), "too_long")
    assert "<title>Sori, mae problem</title>" in page and ">Mynd yn ôl i'r sgwrs</a>" in page
    english = unescape(client.post("/chat/send", data=body).get_data(as_text=True))
    assert '<html lang="en-GB"' in english and "<title>Sorry, there is a problem</title>" in english
    assert ENGLISH["too_long"] in english and "Mynd" not in english


def _old_link(services, language: str) -> str:
    """A chat link signed for a young person whose language is `language`, a day older than links may be."""
    add_participants(services, [{"phone": phone_number(83), "first_name": "Cai", "language": language}])
    days = services.config.webchat.invite_max_age_days + 1
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        return invite_token(services.config, participant, now=time.time() - days * 24 * 3600)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_an_old_chat_link_says_it_does_not_work_in_their_language(client, services, language):
    token = _old_link(services, language)
    shown = client.get(f"/chat/{token}")
    page = client.get("/chat").get_data(as_text=True)
    started = client.post("/chat/start", data={"csrf": csrf_of(page), "invite": token})
    for response in (shown, started):
        html = unescape(response.get_data(as_text=True))
        assert response.status_code == 404
        if language == "cy":
            assert '<html lang="cy"' in html and '<h1 class="govuk-heading-l">Dydy\'r ddolen sgwrsio hon ddim' in html
            assert ">ddechrau sgwrs newydd gyda thîm Voice</a>" in html and "does not work" not in html
        else:
            assert '<html lang="en-GB"' in html and "This chat link does not work" in html and "Dydy" not in html


def test_the_api_keeps_its_codes_and_is_welsh_once_it_has_read_the_chat(client, services):
    """Its check for news, over its chat's limit (read by then), says so in Welsh; a refusal before anything is read
    is in English, with its code, for the page's script to say in the page's language (`#chat-words`)."""
    user = ChatUser(client)
    user.start(invite=_invited(services, "cy"))
    news = f"/api/chat/sessions/{user.session}/messages?after=0"
    assert client.get(news).status_code == 200
    refused = client.get(news)
    assert refused.status_code == 429
    assert refused.get_json() == {"error": "rate_limited", "message": WELSH["rate_limited"]}
    assert user.say("\u200b", expect=400) == {"error": "empty", "message": ENGLISH["empty"]}
    user.session = "x" * 43
    assert user.say("helo", expect=404) == {"error": "session_not_found", "message": ENGLISH["session_not_found"]}


def test_the_page_carries_every_refusal_in_every_language_it_is_written_in(client, services):
    for html in (client.get("/chat").get_data(as_text=True), _welsh_chat(client, services)):
        carried = _words(html)
        assert carried["en"]["refused"] == ENGLISH and carried["cy"]["refused"] == WELSH
