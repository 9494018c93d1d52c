"""Trial 13: in the web chat, words that say how to answer name the buttons the chat shows, as they read, never a
text's words ("just send YES" over a button reading "I've changed my mind", "or SKIP" beside "Skip this one", "send
GO ON" beside "Carry on with the survey", "Ateba IE" beside "Ie"). By text the words are as they were. Each through
the chat's API (what the page shows) and the signed webhook, on both databases."""

from __future__ import annotations

import pytest

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_chat_buttons import SURVEY, Tapper
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.engine import texts
from voice_service.engine.onboarding import ASK_STATUS

# A text's words for answering, which a chat has buttons for.
TEXT_WORDS = ("Reply", "reply", "text ", "STOP", "YES", "SKIP", "GO ON", "Ateba", "anfona")


def _labels(turn: dict) -> list[str]:
    return [button["label"] for button in turn.get("quick_replies") or []]


def _one_reply(turn: dict) -> str:
    (reply,) = [message["text"] for message in turn["messages"]]
    return reply


def _names_the_buttons(turn: dict, *buttons: str) -> str:
    """The turn's one reply names each of `buttons`, each shown under it, and says no text's words for answering."""
    reply = _one_reply(turn)
    for button in buttons:
        assert button in _labels(turn), (button, _labels(turn))
        assert button in reply, (button, reply)
    for words in TEXT_WORDS:
        assert words not in reply, (words, reply)
    return reply


def test_no_thanks_to_the_welcome_names_the_changed_mind_button(client, services):
    user = ChatUser(client)
    user.start()
    _names_the_buttons(user.say(texts.NO_THANKS_BUTTON), texts.CHANGED_MIND_BUTTON)
    went_on = user.say(texts.CHANGED_MIND_BUTTON)  # the button does what the words say
    assert _one_reply(went_on) == texts.for_channel(ASK_STATUS, texts.WEBCHAT)


def test_by_text_no_thanks_to_the_welcome_still_says_text_yes(client, services):
    phone = SmsPhone(client, phone_number(74))
    phone.send("hi")
    assert phone.send("no thanks") == [texts.ONBOARDING_DECLINED]
    assert "just text YES" in texts.ONBOARDING_DECLINED


def test_who_is_this_after_no_thanks_names_the_changed_mind_button(client, services):
    user = ChatUser(client)
    user.start()
    user.say(texts.NO_THANKS_BUTTON)
    reply = _names_the_buttons(user.say("who is this?"), texts.CHANGED_MIND_BUTTON)
    assert texts.NO_THANKS_BUTTON not in reply and "Tap Yes" not in reply  # the welcome's buttons are gone


def _at_the_age_question(client) -> ChatUser:
    user = ChatUser(client)
    user.start()
    user.say(texts.CONSENT_BUTTON)
    assert "how old" in _one_reply(user.say("In care")).lower()
    return user


def test_the_age_re_ask_names_the_skip_button(client, services):
    user = _at_the_age_question(client)
    turn = user.say("dunno really")
    reply = _names_the_buttons(turn, texts.SKIP_BUTTON)
    assert reply == "Sorry, we didn't get that. Tap your age group, or tap Skip this one."
    assert {"11-15", "16-17", "18-21", "22-25"} <= set(_labels(turn))  # "your age group" is on screen
    assert _one_reply(user.say(texts.SKIP_BUTTON)).startswith("Thanks, that's everything")


def test_the_age_re_ask_while_their_alert_is_live_names_the_skip_button(client, services):
    user = _at_the_age_question(client)
    assert texts.is_disclosure_reply(_one_reply(user.say(RISKY)))
    assert "how old" in _one_reply(user.say("GO ON")).lower()  # they chose to carry on; the alert is still live
    reply = _names_the_buttons(user.say("dunno really"), texts.SKIP_BUTTON)
    assert reply.startswith("Sorry, we didn't get that. Tap your age group, or tap Skip this one.")
    assert "999" in reply  # where help is, while the alert is live


def test_by_text_the_age_re_ask_is_as_it_was(client, services):
    phone = SmsPhone(client, phone_number(75))
    phone.send("hi")
    phone.send("yes")
    phone.send("1")
    assert phone.send("dunno really") == [texts.AGE_REASK]
    assert texts.AGE_REASK.endswith("or SKIP.")


def _person(services, language: str) -> str:
    name = {"en": "Amy", "cy": "Cai"}[language]
    add_participants(services, [{"phone": phone_number(81), "first_name": name, "language": language}])
    launch(services, survey_source=SURVEY)
    return name


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_offer_to_carry_on_and_its_thanks_name_the_carry_on_button(client, services, language):
    """Once their alert is closed the chat shows "Carry on with the survey": the offer, and each later thanks (which
    says how to carry on, trial 13), name it as it reads in the run's language."""
    chat = Tapper(client, services, name=_person(services, language))
    chat.tap(texts.button(texts.START_BUTTON, language))
    assert texts.is_disclosure_reply(chat.user.replies(RISKY)[0])
    _close_alerts(services)
    carry_on = texts.button(texts.CARRY_ON_BUTTON, language)
    offered = _names_the_buttons(chat.user.say("ok"), carry_on)
    assert offered == texts.for_person(texts.PAUSED_OFFER, texts.WEBCHAT, adult=False, language=language)
    thanked = _names_the_buttons(chat.user.say("thanks"), carry_on)
    assert thanked == texts.for_person(texts.PAUSED_THANKS, texts.WEBCHAT, adult=False, language=language)
    assert "0800 1111" in thanked  # where help is, still
    chat.user.say(carry_on)  # the button carries on, as the words say
    assert texts.button(texts.SKIP_BUTTON, language) in _labels(chat.user.say("3"))


def test_welsh_words_in_the_chat_name_the_welsh_buttons(client, services):
    chat = Tapper(client, services, name=_person(services, "cy"))
    asked = chat.user.say("pwy wyt ti?")  # at the invitation: "Ateba IE neu STOP" by text
    _names_the_buttons(asked, "Dim nawr")
    assert "Tapia Ie i ddechrau" in _one_reply(asked) and "Ie, dechrau" in _labels(asked)
    chat.tap("Ie, dechrau")
    chat.tap_face(3)
    reasked = chat.user.say("beth?")  # a yes/no question: "Ateba IE neu NA" by text
    assert _one_reply(reasked).startswith("Sori, wnaethon ni ddim deall. Tapia Ie neu Na.")
    assert {"Ie", "Na"} <= set(_labels(reasked))
    for words in TEXT_WORDS:
        assert words not in _one_reply(reasked)
