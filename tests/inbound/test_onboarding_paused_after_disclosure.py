"""A newcomer who discloses during the welcome's questions, then answers one ("3"), is told the questions wait and
how to carry on (trial 9, T9-J: the reply only said a worker would be in touch, and GO ON worked only if guessed).
By text, through the signed webhook, on both databases."""

from __future__ import annotations

from tests.conftest import SmsPhone
from tests.factories import phone_number
from voice_service.engine import texts
from voice_service.engine.onboarding import PROMPTS
from voice_service.web import create_app


def test_an_answer_to_the_welcomes_question_after_a_disclosure_says_how_to_carry_on(services):
    phone = SmsPhone(create_app(services=services).test_client(), phone_number(91))
    phone.send("hi")
    (status,) = phone.send("yes")
    assert status == PROMPTS["status"]
    assert texts.is_disclosure_reply(phone.send("my mums new boyfriend scares me and he hits me")[0])
    assert phone.send("3") == [texts.for_age(texts.ONBOARDING_PAUSED, adult=None)]
    assert phone.send("GO ON") == [status]  # their choice: the question they were on, again
