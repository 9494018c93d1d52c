"""A phone's curly quotes are read as plain ones (`keywords.plain_punctuation`), but what the young person sent is
stored exactly as they sent it."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Response

FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"


def test_a_curly_quoted_answer_is_read_and_stored_as_sent(client, services):
    add_participants(services, [{"phone": phone_number(95)}])
    launch(services)
    phone = SmsPhone(client, phone_number(95))
    assert phone.send("\u201cyes\u201d") == [FIRST_QUESTION]
    phone.send("\u20184\u2019 I\u2019m ok")
    with Session(services.engine) as session:
        (answer,) = session.exec(select(Response).where(Response.question_id != None)).all()  # noqa: E711
    assert (answer.value_number, answer.answer) == (4, "\u20184\u2019 I\u2019m ok")
