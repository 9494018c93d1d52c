"""GO ON while a safeguarding alert is live and no survey is paused (trial 8, H8).

A tester who disclosed in the chat with no survey under way pressed on with "GO ON": it was read as the YES to the
help reply's "Need help now?", recorded on the alert as asking for help, and the duty phone was told of a plea. Now
it is what it says, a wish to carry on with a survey, and none is waiting: the reply says so, then what happens next
and where help is, and nothing on the alert says they asked for help. A YES is still a plea. By text and in the chat,
on both databases.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.inbound.test_plea_with_live_alert import _added, _updates, duty_services  # noqa: F401 - a fixture
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import said_after_disclosure
from voice_service.engine import texts
from voice_service.models import Alert
from voice_service.safeguarding.alerts import PLEA
from voice_service.web import create_app

NUMBER = "+447700900462"


def _reasons(services) -> list[list]:
    return [reasons for _, reasons in _added(services)]


def _alert_count(services) -> int:
    with Session(services.engine) as session:
        return len(session.exec(select(Alert)).all())


@pytest.mark.parametrize("go_on", ["GO ON", "go on", "carry on"])
def test_by_text_go_on_with_no_survey_says_none_is_waiting_and_is_no_plea(duty_services, go_on):  # noqa: F811
    phone = SmsPhone(create_app(services=duty_services).test_client(), NUMBER)
    assert texts.is_disclosure_reply(phone.send("my step dad hits me")[0])  # their first text: no survey
    said_after_disclosure(duty_services, lambda: phone.send(go_on), age_known=False, nothing_waiting=True)
    assert PLEA not in [reason for reasons in _reasons(duty_services) for reason in reasons]
    assert _updates(duty_services) == [] and _alert_count(duty_services) == 1
    # A YES is still the answer to "Need help now?": a plea, and the duty team is told.
    said_after_disclosure(duty_services, lambda: phone.send("yes"), age_known=False, wants_person=True)
    assert _reasons(duty_services)[-1] == [PLEA] and len(_updates(duty_services)) == 1


def test_in_the_chat_go_on_with_no_survey_says_none_is_waiting_and_is_no_plea(duty_services):  # noqa: F811
    chat = ChatUser(create_app(services=duty_services).test_client())
    chat.start()
    for answer in ("Yes", "1", "15"):  # the welcome and its questions, done: nothing waits for them
        chat.replies(answer)
    assert texts.is_disclosure_reply(chat.replies("my step dad hits me")[0])
    (reply,) = said_after_disclosure(duty_services, lambda: chat.replies("GO ON"), nothing_waiting=True)
    assert reply.startswith("No survey is waiting for you now.") and "999" in reply
    assert PLEA not in [reason for reasons in _reasons(duty_services) for reason in reasons]
    assert _updates(duty_services) == []
