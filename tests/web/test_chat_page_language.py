"""The chat page's own words (its title, heading, labels, Send and Start buttons, footer, `<html lang>`) follow the
chat's language, as its messages, buttons and hint do: Welsh for a young person whose chat is in Welsh (their run's
language, else theirs), English otherwise and while onboarding (whose texts are English). With JavaScript off (the
page as the server renders it) and through the chat's API, which says the page's language with what the chat waits
for, so the page's script can follow it; the script's words come from the page, never from a copy of its own."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_buttons import SURVEY
from tests.web.test_chat_page import csrf_of, quick_reply_values
from voice_service.engine import texts
from voice_service.models import Participant
from voice_service.web.chat.invites import invite_token

CHAT_JS = Path(__file__).parents[2] / "voice_service" / "web" / "static" / "chat" / "chat.js"
TEMPLATES = Path(__file__).parents[2] / "voice_service" / "web" / "templates" / "chat"

# What each language's page says, as a young person sees it.
PAGE = {
    "en": {
        "name": "Amy",
        "lang": "en-GB",
        "title": "Chat with the Voice team",
        "start": "Start chat",
        "send": "Send",
        "label": "Your message",
        "leave": "Leave this page",
        "footer": "Need to talk to someone now?",
        "first button": "Yes, let's start",
    },
    "cy": {
        "name": "Cai",
        "lang": "cy",
        "title": "Sgwrsio gyda thîm Voice",
        "start": "Dechrau sgwrsio",
        "send": "Anfon",
        "label": "Dy neges",
        "leave": "Gadael y dudalen hon",
        "footer": "Angen siarad gyda rhywun nawr?",
        "first button": "Ie, dechrau",
    },
}


def _invited(services, language: str) -> str:
    """A young person whose language is `language`, invited to a survey written in both; their chat link's token."""
    add_participants(
        services, [{"phone": phone_number(81), "first_name": PAGE[language]["name"], "language": language}]
    )
    launch(services, survey_source=SURVEY)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        return invite_token(services.config, participant)


def _words(html: str) -> dict:
    """The page's own words for its script (#chat-words), by language."""
    found = re.search(r'<script type="application/json" id="chat-words">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def _says(html: str, language: str) -> None:
    """The page's own words are `language`'s."""
    words = PAGE[language]
    assert f'<html lang="{words["lang"]}"' in html
    assert f"<title>{words['title']}</title>" in html
    assert f'<h1 class="govuk-heading-l" data-word="title">{words["title"]}</h1>' in html
    assert f'id="send-button" data-word="send">{words["send"]}</button>' in html
    assert f'<span data-word="your_message">{words["label"]}</span>' in html
    assert f'<span data-word="leave">{words["leave"]}</span>' in html
    assert f'data-word="talk_now">{words["footer"]}</h2>' in html
    assert f'data-language="{language}"' in html
    other = PAGE["cy" if language == "en" else "en"]
    assert other["title"] not in html.split('id="chat-words"')[0]  # nothing of the other language's, but its words
    assert _words(html)[language]["send"] == words["send"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_invited_page_is_in_their_language_before_and_after_the_chat_starts(client, services, language):
    """With JavaScript off: the link's page (Start chat), then the chat it starts, then the next answer's."""
    words = PAGE[language]
    token = _invited(services, language)
    page = unescape(client.get(f"/chat/{token}").get_data(as_text=True))
    _says(page, language)
    assert re.search(rf'<span data-word="start">{words["start"]}</span>', page)
    assert client.post("/chat/start", data={"csrf": csrf_of(page), "invite": token}).status_code == 303
    chat = unescape(client.get("/chat").get_data(as_text=True))
    _says(chat, language)
    assert quick_reply_values(chat)[0] == words["first button"]
    said = texts.chat_page_words(language)["service_said"]  # "Voice team said:", for a screen reader
    assert f'<span class="govuk-visually-hidden" data-word="service_said">{said}</span>' in chat
    client.post("/chat/send", data={"csrf": csrf_of(chat), "text": words["first button"]})
    _says(unescape(client.get("/chat").get_data(as_text=True)), language)


def test_a_welsh_pages_refusal_is_welsh(client, services):
    """With JavaScript off, a refused message (an empty box) comes back on the Welsh page in Welsh, with where help
    is in Welsh: no English aside (tests/web/test_chat_refusal_language.py has the rest)."""
    token = _invited(services, "cy")
    page = client.get(f"/chat/{token}").get_data(as_text=True)
    client.post("/chat/start", data={"csrf": csrf_of(page), "invite": token})
    chat = client.get("/chat").get_data(as_text=True)
    refused = unescape(client.post("/chat/send", data={"csrf": csrf_of(chat), "text": "   "}).get_data(as_text=True))
    assert '<html lang="cy"' in refused and 'data-word="problem">Mae problem</h2>' in refused
    words = texts.chat_refusals("cy", longest=1600)["empty"]
    assert words.startswith("Teipia neges yn gyntaf. Help nawr?")
    assert f'<a href="#chat-text" data-refused="empty">{words}</a>' in refused
    assert "Type a message first" not in refused.split('id="chat-words"')[0]


def test_an_english_page_is_as_it_was(client, services):
    html = client.get("/chat").get_data(as_text=True)
    _says(html, "en")
    assert ' lang="cy"' not in html
    assert "Tell us how things are for you. Only the Voice team at Testshire" in html
    assert 'action="/chat/send"' in html and "?lang=" not in html  # an English page's forms say nothing of it
    refused = client.post("/chat/send", data={"csrf": csrf_of(html), "text": "hi"}).get_data(as_text=True)
    assert '<a href="#chat-text" data-refused="session_not_found">There is no chat open here' in refused
    assert '<html lang="en-GB"' in refused and ' lang="cy"' not in refused


def test_an_anonymous_chat_is_in_english_while_onboarding(client):
    user = ChatUser(client)
    assert user.start()["language"] == "en"
    assert user.say("yes")["language"] == "en"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_api_says_the_pages_language_with_what_the_chat_waits_for(client, services, language):
    token = _invited(services, language)
    user = ChatUser(client)
    assert user.start(invite=token)["language"] == language
    assert user.say(PAGE[language]["first button"])["language"] == language
    assert client.get(f"/api/chat/sessions/{user.session}").get_json()["language"] == language
    assert client.get(f"/api/chat/sessions/{user.session}/messages?after=0").get_json()["language"] == language


def test_an_open_chat_is_told_when_its_language_becomes_welsh(client, services):
    """A chat open in English (nothing waits) whose young person's language is then Welsh, with a Welsh survey for
    them: its next check for news says so, for the page to switch with no reload."""
    add_participants(services, [{"phone": phone_number(82), "first_name": "Cai"}])
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        token = invite_token(services.config, participant)
    user = ChatUser(client)
    assert user.start(invite=token)["language"] == "en"
    with Session(services.engine) as session:
        session.exec(select(Participant)).scalars().one().language = "cy"
        session.commit()
    launch(services, survey_source=SURVEY)
    news = client.get(f"/api/chat/sessions/{user.session}/messages?after=0").get_json()
    assert news["language"] == "cy" and news["quick_replies"][0]["label"] == "Ie, dechrau"


def test_every_welsh_page_word_has_its_english_and_a_language_without_them_gets_english():
    assert set(texts.WELSH_CHAT_PAGE) == set(texts.CHAT_PAGE)
    assert texts.chat_page_words("fr", "Testshire") == texts.chat_page_words("en", "Testshire")
    assert texts.chat_page_language("fr") == "en" and texts.chat_page_language("cy") == "cy"
    assert "Testshire" in texts.chat_page_words("cy", "Testshire")["intro"]


def test_the_script_takes_its_words_from_the_page_and_each_name_is_written():
    """chat.js has no words of its own for the page or its refusals (none in Welsh, nor a second copy of the
    English), and every name it or a template asks for is one `texts.CHAT_PAGE` has."""
    script = CHAT_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)  # what it says about them is no copy
    for language in ("en", *texts.CHAT_PAGE_IN):
        refusals = texts.chat_refusals(language, longest=1600)
        for name, words in [*texts.chat_page_words(language).items(), *refusals.items()]:
            if name != "lang" and " " in words:
                assert words not in code, (language, name)
        for refusal in texts.CHAT_REFUSALS_IN.get(language, texts.CHAT_REFUSALS).values():
            assert refusal.split(".")[0] not in code, (language, refusal)
    named = set(re.findall(r'say\("(\w+)"\)', code)) | set(re.findall(r'"data-word", "(\w+)"', code))
    for template in TEMPLATES.glob("*.html"):
        named |= set(re.findall(r'data-word="(\w+)"', template.read_text(encoding="utf-8")))
    named |= {"service_said", "you_said", "you_tried", "not_sent"}
    assert named and named <= set(texts.CHAT_PAGE)
