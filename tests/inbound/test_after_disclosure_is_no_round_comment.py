"""What a young person says to the duty team after a disclosure is kept with them and on their alert, but is no
feedback on the survey the disclosure paused (trial 9, T9-C): "ok" to the help reply was exported as an answer of the
round, and any such message of ten characters or more could be quoted to the panel as a comment of the round."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.inbound.test_plea_with_live_alert import _added, duty_services, dylan  # noqa: F401 - fixtures
from voice_service.engine import texts
from voice_service.models import Message, Response

AFTER = ("ok", "what happens now then", "i need help", "3")


def test_messages_after_a_disclosure_are_kept_but_not_as_the_rounds_comments(duty_services, dylan):  # noqa: F811
    dylan.send("yes")
    assert "listened" in dylan.send("4")[0].lower()  # an answer of the round
    assert texts.is_disclosure_reply(dylan.send("my carer hits me when hes angry")[0])
    for text in AFTER:
        dylan.send(text)
    with Session(duty_services.engine) as session:
        rows = {r.answer: r.round_id for r in session.exec(select(Response)).all()}
        bodies = set(session.exec(select(Message.body)).all())
    assert rows["4"] is not None  # the survey's answer stays with its round
    for text in AFTER:
        assert text in bodies and text in rows, text  # kept, and analysed as any text
        assert rows[text] is None, text  # not a comment of the round
    assert "i need help" in [body for body, _ in _added(duty_services)]  # the plea is still on the alert
