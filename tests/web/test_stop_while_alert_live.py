"""Trial 7, G5: STOP while their alert is live stops surveys, not safeguarding (help replies still come), so the
reply says so and names where help is, rather than "you won't get any more texts from us". One SMS segment for
someone of any age, on each channel, in English and Welsh. Through the signed webhook, on both databases."""

from __future__ import annotations

import pytest

from tests.conftest import SmsPhone
from tests.factories import phone_number
from voice_service.engine import texts
from voice_service.engine.routing import Situation, decide

DISCLOSURE = "my dad keeps hitting my mum and me"


def test_stop_from_a_new_number_whose_alert_is_live_says_help_still_comes(client, services):
    phone = SmsPhone(client, phone_number(91))
    [help_reply] = phone.send(DISCLOSURE)
    assert texts.is_disclosure_reply(help_reply)
    [stopped] = phone.send("STOP")
    assert stopped == texts.for_age(texts.STOP_WHILE_ALERT, adult=None)
    assert "no more surveys" in stopped and "still text us for help" in stopped
    assert "Childline 0800 1111" in stopped and "999" in stopped
    assert "won't get any more texts" not in stopped
    assert texts.sms_segments(stopped) == 1


def test_stop_with_no_alert_is_as_before(client, services):
    phone = SmsPhone(client, phone_number(92))
    phone.send("hi")
    assert phone.send("STOP") == [texts.STOP_CONFIRMED]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_stop_while_alert_live_is_decided_and_worded_in_their_language(language):
    situation = Situation(channel="sms", alert_live=True, language=language)
    assert decide(situation, "STOP").replies == (texts.STOP_WHILE_ALERT,)
    assert decide(Situation(channel="sms", language=language), "STOP").replies == (texts.STOP_CONFIRMED,)
    said = texts.for_person(texts.STOP_WHILE_ALERT, "sms", adult=False, language=language)
    assert said == texts.IN_LANGUAGE.get(language, {}).get(texts.STOP_WHILE_ALERT, texts.STOP_WHILE_ALERT)
    assert "999" in said and "0800 1111" in said


@pytest.mark.parametrize("channel", ["sms", "webchat"])
@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("adult", [None, False, True])
def test_stop_while_alert_live_fits_one_segment(channel, language, adult):
    said = texts.for_person(texts.STOP_WHILE_ALERT, channel, adult=adult, language=language)
    assert texts.sms_segments(said) == 1, said
    assert "999" in said and ("text us" not in said if channel == "webchat" else True)
