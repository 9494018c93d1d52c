"""A new number whose first text is a disclosure is never welcomed (the welcome is held back while their alert
is live), so "who is this?" after it is answered with who we are and the help, not only the stock reply
(trial finding 39). It is not a plea: the duty team is not told again."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from voice_service.models import Alert
from voice_service.web import create_app

WHO = "This is the Voice team at Testshire County Council. You did the right thing telling us."


def test_who_is_this_after_a_first_text_disclosure_says_who_we_are_with_the_help(services):
    phone = SmsPhone(create_app(services=services).test_client(), "+447700900971")
    assert "Voice team" not in phone.send("my foster carer hits me")[0]
    ok = phone.send("ok")
    assert len(ok) == 1 and "Voice team" not in ok[0] and ok[0].startswith("You did the right thing")
    for asked in ("who is this", "Who is this?", "how did u get my number"):
        reply = phone.send(asked)
        # How we got their number: the truth first, "You texted us first." (trial 5, F8).
        who = (
            "You texted us first. " + WHO.removesuffix(" You did the right thing telling us.")
            if "number" in asked
            else WHO
        )
        assert len(reply) == 1 and reply[0].startswith(who), reply
        assert "999" in reply[0] and "0800 1111" in reply[0]
    with Session(services.engine) as session:
        assert len(session.exec(select(Alert)).all()) == 1
