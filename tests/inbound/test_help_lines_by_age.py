"""Help lines that will take the call: Childline is for under-19s, so a young person of 18 or over
(by date of birth, else the age band they chose) is pointed to Samaritans in every reply (tester F10)."""

from datetime import date

import pytest

from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.participants.groups import adult_if_known, is_adult

DISCLOSURE = "honestly i cant do this anymore i want to end my life"


@pytest.mark.parametrize("name", [name for name, text in texts.ALL.items() if "Childline" in text])
def test_every_fixed_text_has_an_adult_version_no_longer_than_it(name):
    text = texts.ALL[name]
    adult = texts.for_age(text, adult=True)
    assert "Childline" not in adult and "Samaritans" in adult
    assert texts.sms_segments(adult) <= texts.sms_segments(text)
    assert texts.for_age(text, adult=False) == text


def test_adult_is_by_date_of_birth_else_the_age_band():
    today = date(2026, 11, 30)
    assert is_adult(date(2008, 11, 30), None, today)  # 18 today
    assert not is_adult(date(2008, 12, 1), "22-25", today)  # 17: the date of birth wins
    assert is_adult(None, "18-21", today) and is_adult(None, "22-25", today)
    assert not is_adult(None, "16-17", today) and not is_adult(None, None, today)


def test_a_care_leaver_of_twenty_is_pointed_to_samaritans_and_a_child_to_childline(services, client):
    adult, child = phone_number(301), phone_number(302)
    add_participants(
        services,
        [{"phone": adult, "age": 20, "status": "care_leaver"}, {"phone": child, "age": 14, "status": "in_care"}],
    )
    to_adult = SmsPhone(client, adult).send(DISCLOSURE)
    assert any("Samaritans 116 123" in reply for reply in to_adult)
    assert not any("Childline" in reply for reply in to_adult)
    to_child = SmsPhone(client, child).send(DISCLOSURE)
    assert any("Childline 0800 1111" in reply for reply in to_child)
    # HELP while their alert is live is a plea: the reply's words follow the office's hours (which this test
    # does not pin), and for a care leaver of 20 name Samaritans, never Childline.
    helped = SmsPhone(client, adult).send("HELP")[0]
    assert "Samaritans" in helped and "116 123" in helped and "Childline" not in helped


@pytest.mark.parametrize("name", [name for name, text in texts.ALL.items() if "Childline" in text])
def test_every_fixed_text_names_both_lines_when_age_is_not_known(name):
    """Unknown age (trial finding 5): they may be 19 or over, so Samaritans too, with who Childline is for."""
    unknown = texts.for_age(texts.ALL[name], adult=None)
    assert "Samaritans" in unknown and "Childline" in unknown and unknown.count("116 123") == 1
    assert unknown.count("0800 1111") == 1 and texts.is_gsm7(unknown) and texts.sms_segments(unknown) <= 2
    if "999" in texts.ALL[name]:
        assert "999" in unknown
    for channel in ("sms", "webchat"):
        worded = texts.for_person(texts.ALL[name], channel, adult=None)
        assert "Samaritans" in worded and "0800 1111" in worded, (channel, worded)


def test_age_is_unknown_only_without_a_date_of_birth_or_an_age_band():
    today = date(2026, 11, 30)
    assert adult_if_known(None, None, today) is None and adult_if_known(None, "rather not say", today) is None
    assert adult_if_known(None, "18-21", today) is True and adult_if_known(date(2012, 1, 1), None, today) is False


def _any_age(reply: str) -> bool:
    return "Samaritans 116 123" in reply and "Childline 0800 1111 if under 19" in reply and "999" in reply


def test_a_new_number_that_discloses_is_given_both_lines_every_time(services, client):
    phone = SmsPhone(client, phone_number(303))  # never seen: no date of birth, no age band
    assert texts.is_disclosure_reply(phone.send("i want to kill myself")[0])
    for said in ("ok", "what happens now"):
        (reply,) = phone.send(said)
        assert _any_age(reply), reply
        assert texts.sms_segments(reply) == 1


def test_an_anonymous_web_chatter_who_discloses_is_given_both_lines(services, client):
    user = ChatUser(client)
    user.start()  # nothing is known of them
    assert texts.is_disclosure_reply(user.replies("i want to kill myself")[0])
    for said in ("ok", "help"):
        (reply,) = user.replies(said)
        assert _any_age(reply), reply
