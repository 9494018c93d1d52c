"""A newcomer who answers onboarding's age question in words ("im 15") is onboarded, not treated as a disclosure
(trial2 finding F9: the model alone scored it exploitation at 1.00, so the help reply came, onboarding paused
and the duty team was paged). Through the real signed webhook, on both databases."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import phone_number
from voice_service.engine.onboarding import ASK_AGE, ASK_STATUS, DONE
from voice_service.models import Alert, Participant


def test_im_15_to_the_age_question_finishes_onboarding_and_raises_no_alert(client, services):
    phone = SmsPhone(client, phone_number(92))
    phone.send("hi")
    assert phone.send("yes") == [ASK_STATUS]
    assert phone.send("1") == [ASK_AGE]
    assert phone.send("im 15") == [DONE]
    with Session(services.engine) as session:
        assert session.exec(select(func.count()).select_from(Alert)).scalar() == 0
        [state] = [p.onboarding for p in session.exec(select(Participant)).scalars()]
    assert state is not None and state["step"] == "done"
