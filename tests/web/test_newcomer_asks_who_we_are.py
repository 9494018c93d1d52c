"""Trial finding 11, by text: a new number asking who we are is answered plainly at the welcome."""

from __future__ import annotations

from tests.conftest import SmsPhone
from tests.factories import phone_number
from voice_service.engine import texts

COUNCIL = "Testshire County Council"


def test_a_new_number_asking_what_this_is_after_the_welcome_is_told_who_we_are(client):
    phone = SmsPhone(client, phone_number(81))
    assert phone.send("hello") == [texts.WELCOME.format(council=COUNCIL)]
    assert phone.send("wat is this") == [texts.WHO_WE_ARE_WELCOME.format(council=COUNCIL)]
    assert phone.send("yes") == [texts.ASK_STATUS]


def test_a_new_number_asking_how_we_got_it_is_told_they_texted_us(client):
    [first] = SmsPhone(client, phone_number(82)).send("how did u get my number")
    assert first == texts.NUMBER_FROM_THEM.format(council=COUNCIL) and first.startswith("You texted us")
