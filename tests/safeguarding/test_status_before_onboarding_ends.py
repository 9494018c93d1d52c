"""New-user trial, 6 December: a newcomer who said they were in care and then, before the age question was
answered, disclosed harm was shown to the duty team as "in care or care leaver: not known": the status was kept
only once onboarding ended. It is kept as soon as they say it, by text and in the web chat."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.models import Alert, Participant

DISCLOSURE = "my foster carer hits me and im scared to go home"


def _alerted_status(services) -> str:
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).one()
        return session.get(Participant, alert.participant_id).status  # type: ignore[union-attr]


def test_a_text_disclosure_before_the_age_question_shows_the_status_they_gave(services, client):
    phone = SmsPhone(client, "+447700900731")
    phone.send("hi")
    assert phone.send("yes") == [texts.ASK_STATUS]
    assert phone.send("1") == [texts.ASK_AGE]  # "In care"
    helped = phone.send(DISCLOSURE)
    assert len(helped) == 1 and texts.is_disclosure_reply(helped[0])
    assert _alerted_status(services) == "in_care"


@pytest.mark.parametrize("said", ["Care leaver", "Rather not say"])
def test_in_the_web_chat_the_status_is_kept_as_it_is_chosen(services, client, said):
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say(said)
    user.say(DISCLOSURE)
    assert _alerted_status(services) == ("care_leaver" if said == "Care leaver" else "unknown")
