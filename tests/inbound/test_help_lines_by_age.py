"""Help lines that will take the call: Childline is for under-19s, so a young person of 18 or over
(by date of birth, else the age band they chose) is pointed to Samaritans in every reply (tester F10)."""

from datetime import date

import pytest

from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.engine import texts
from voice_service.participants.groups import is_adult

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
    assert "Samaritans free on 116 123" in SmsPhone(client, adult).send("HELP")[0]
