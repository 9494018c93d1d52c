"""A disclosure in textspeak gets the help reply and raises a high-priority alert (trial 7, G1): "i want 2 die" by
SMS was read as no risk at all, and fullwidth letters ("ｉ ｗａｎｔ ｔｏ ｄｉｅ", G2) only as not English."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import phone_number
from voice_service.engine import texts
from voice_service.models import Alert


@pytest.mark.parametrize(("number", "text"), [(311, "i want 2 die"), (312, "ｉ ｗａｎｔ ｔｏ ｄｉｅ")])
def test_a_textspeak_disclosure_by_sms_gets_the_help_reply_and_raises_an_alert(services, client, number, text):
    replies = SmsPhone(client, phone_number(number)).send(text)
    assert texts.is_disclosure_reply(replies[0]), replies
    with Session(services.engine) as session:
        (alert,) = session.exec(select(Alert)).all()
    assert alert.priority == "high" and "self_harm" in alert.categories
