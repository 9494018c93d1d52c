"""A Welsh run's chat says its own words in Welsh, as its buttons are: the hint under the message box (type SKIP or
STOP; after "Not now", tap Ie to start), its hello to a survey they said no to or that a disclosure paused, its
greeting where nothing waits and its "Welcome back" (the chat had said "Tap Yes" over a button reading "Ie,
dechrau"). An English run's words are as they were. Through the chat's API, on both databases."""

from __future__ import annotations

import pytest

from tests.factories import add_participants, launch, phone_number
from tests.support.chat import step_away
from tests.web.test_chat_buttons import SURVEY, Tapper
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.engine import texts

# What each run's chat says in its own words, and its start button.
WORDS = {
    "en": {
        "name": "Amy",
        "start": "Yes, let's start",
        "not now": "Not now",
        "skip or stop": "You can type SKIP to skip this question, or STOP to stop.",
        "stop": "You can type STOP to stop.",
        "changed mind": "Changed your mind? Tap Yes to start the survey.",
        "declined hello": (
            "Hi! Changed your mind about our quick survey? Tap Yes to start, or tell us anything about your care."
        ),
        "hello": "Hi! ",
        "welcome back": "Welcome back! Here's where we were: ",
        "where we were": "Here's where we were: ",
        "greeting": (
            "Hi! There's no survey waiting for you right now, but you can tell us anything about your care here. "
            "The Voice team reads every message."
        ),
    },
    "cy": {
        "name": "Cai",
        "start": "Ie, dechrau",
        "not now": "Dim nawr",
        "skip or stop": "Gelli di deipio SKIP i hepgor y cwestiwn hwn, neu STOP i stopio.",
        "stop": "Gelli di deipio STOP i stopio.",
        "changed mind": "Wedi newid dy feddwl? Tapia Ie i ddechrau'r arolwg.",
        "declined hello": (
            "Helo! Wedi newid dy feddwl am ein harolwg byr? Tapia Ie i ddechrau, neu dywed unrhyw beth am dy ofal."
        ),
        "hello": "Helo! ",
        "welcome back": "Croeso nol! Dyma lle roedden ni: ",
        "where we were": "Dyma lle roedden ni: ",
        "greeting": (
            "Helo! Does dim arolwg yn aros amdanat ti nawr, ond gelli di ddweud unrhyw beth am dy ofal yma. "
            "Mae tim Voice yn darllen pob neges."
        ),
    },
}


def _person(services, language: str, *, invited: bool = True) -> None:
    """One young person whose language is `language`, invited to the survey (`invited`) or to nothing."""
    add_participants(
        services, [{"phone": phone_number(80), "first_name": WORDS[language]["name"], "language": language}]
    )
    if invited:
        launch(services, survey_source=SURVEY)


def _shown(chat: Tapper) -> dict:
    """The chat as its page opened again shows it: its messages, buttons and hint."""
    return chat.user.client.get(f"/api/chat/sessions/{chat.user.session}").get_json()


def _opening(chat: Tapper) -> str:
    """A new chat's one opening message."""
    [opening] = [message["text"] for message in _shown(chat)["messages"]]
    return opening


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_hint_and_welcome_back_are_in_the_runs_language(client, services, language):
    words = WORDS[language]
    _person(services, language)
    chat = Tapper(client, services, name=words["name"])
    chat.tap(words["start"])
    started = _shown(chat)
    assert started["hint"] == words["skip or stop"]  # the first question can be skipped
    question = started["messages"][-1]["text"]
    helped = chat.user.say("help")
    assert helped["hint"] == words["skip or stop"]
    reloaded = _shown(chat)  # straight away: no "Welcome back" to someone who never left
    assert reloaded["messages"][-1]["text"] == words["where we were"] + question
    step_away(services)
    reopened = _shown(chat)
    assert reopened["messages"][-1]["text"] == words["welcome back"] + question
    chat.tap_face(3)
    chat.tap(texts.button(texts.YES_BUTTON, language))
    chat.tap(texts.button(texts.NO_BUTTON, language))
    listened = _shown(chat)
    assert listened["hint"] == words["stop"]  # a choice that cannot be skipped


@pytest.mark.parametrize("language", ["en", "cy"])
def test_after_not_now_the_hint_and_hello_name_the_start_button(client, services, language):
    words = WORDS[language]
    _person(services, language)
    declining = Tapper(client, services, name=words["name"])
    turn = declining.user.say(words["not now"])
    assert turn["hint"] == words["changed mind"]
    opening = Tapper(client, services, name=words["name"])  # the link opened again
    hello = _opening(opening)
    assert hello == words["declined hello"]
    assert opening.labels() == [words["start"]]
    tap_word = words["start"].split(",")[0]  # "Yes" / "Ie": the words say what the button says
    assert f" {tap_word} " in hello and f" {tap_word} " in turn["hint"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_hello_to_a_paused_survey_is_in_the_runs_language(client, services, language):
    words = WORDS[language]
    _person(services, language)
    pausing = Tapper(client, services, name=words["name"])
    pausing.tap(words["start"])
    assert texts.is_disclosure_reply(pausing.user.replies(RISKY)[0])
    _close_alerts(services)
    opening = Tapper(client, services, name=words["name"])
    hello = _opening(opening)
    waiting = texts.for_person(texts.PAUSED_WAITING, "webchat", adult=False, language=language)
    assert hello == words["hello"] + waiting


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_greeting_where_nothing_waits_is_in_their_language(client, services, language):
    words = WORDS[language]
    _person(services, language, invited=False)
    chat = Tapper(client, services, name=words["name"])
    assert _opening(chat) == words["greeting"] and chat.labels() == []
