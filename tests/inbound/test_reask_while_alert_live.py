"""Trial 11, T11-9: with their alert live, a newcomer who chose GO ON at the welcome's questions and then sent
something it could not read got "Sorry, we didn't get that. Reply 1 if you're in care, ..." with no help line and no
999, although every other reply while an alert is live says where help is. Now every re-ask sent while their alert is
live carries the short help line, one SMS segment for someone of any age: by text through the signed webhook and in
the web chat, on both databases."""

from __future__ import annotations

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.onboarding import PROMPTS
from voice_service.web import create_app

DISCLOSURE = "my mums new boyfriend scares me and he hits me"


def _says_where_help_is(words: str) -> None:
    assert words.startswith("Sorry, we didn't get that.") and "Childline 0800 1111" in words and "999" in words
    assert texts.is_gsm7(words) and texts.sms_segments(words) == 1, (len(words), words)


def test_onboardings_reask_by_text_says_where_help_is(services):
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(92))
    phone.send("hi")
    (status,) = phone.send("yes")
    assert texts.is_disclosure_reply(phone.send(DISCLOSURE)[0])
    assert phone.send("GO ON") == [status]
    (reask,) = phone.send("YES")
    _says_where_help_is(reask)
    assert reask == texts.for_person(texts.while_alert_live(texts.STATUS_REASK), "sms", adult=None)
    assert "Reply 1 (in care), 2 (care leaver) or 3 (skip)." in reask
    (age,) = phone.send("1")  # the re-ask's answer still moves on
    assert age == PROMPTS["age"]
    (reask,) = phone.send("dunno")
    _says_where_help_is(reask)


def test_onboardings_reask_in_the_web_chat_says_where_help_is(client):
    user = ChatUser(client)
    user.start()
    user.say("hi")
    user.say("yes")
    user.say(DISCLOSURE)
    user.say("GO ON")
    [reask] = user.replies("maybe")
    _says_where_help_is(reask)
    assert "Tap one: in care, a care leaver, or rather not say." in reask and "Reply" not in reask


def test_a_surveys_reask_while_the_alert_is_live_says_where_help_is(services):
    add_participants(services, [{"phone": phone_number(93), "first_name": "Jo", "age": 15}])
    launch(services)
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(93))
    phone.send("yes")
    assert texts.is_disclosure_reply(phone.send(DISCLOSURE)[0])
    phone.send("GO ON")
    (reask,) = phone.send("banana")
    _says_where_help_is(reask)
    assert "Samaritans" not in reask  # 15: Childline's own line


def test_with_no_alert_the_reask_is_as_it_was(services):
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(94))
    phone.send("hi")
    phone.send("yes")
    assert phone.send("YES") == [texts.STATUS_REASK]
