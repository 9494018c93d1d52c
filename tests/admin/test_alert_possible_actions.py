"""What the duty team did is always recordable (the alert is the safeguarding record), and where the service
holds no phone number for the young person (an anonymous web chat) the choices say so (trial finding 17)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import duty_config
from tests.web.test_chat_api import ChatUser
from voice_service.models import Alert

RISKY = "I want to hurt myself tonight"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def test_a_web_chat_alert_with_no_number_says_so_beside_the_choices(client, services, admin_client):
    chat = ChatUser(client)
    chat.start()
    chat.say(RISKY)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).order_by(col(Alert.id).desc())).first()
    assert alert.channel == "webchat"
    duty = admin_client("duty")
    duty.post_form(f"/admin/alerts/{alert.id}/acknowledge")
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert all(words in page for words in ("Called them", "Visited them", "Referred them on", "No further action"))
    assert "We have no phone number or address for them" in page
    assert 'aria-describedby="action-called-hint"' in page
    # They told the duty worker who they are and were called: the record says what really happened.
    recorded = duty.post_form(f"/admin/alerts/{alert.id}/action", {"action": "called", "note": "Gave her number"})
    assert recorded.status_code == 303
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "nonsense"}).status_code == 400
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "visited"}).status_code == 303


def test_someone_on_the_councils_list_can_be_called_or_visited(admin_client, disclose):
    raised = disclose(RISKY)
    duty = admin_client("duty")
    duty.post_form(f"/admin/alerts/{raised.alert_id}/acknowledge")
    page = duty.get(f"/admin/alerts/{raised.alert_id}").get_data(as_text=True)
    assert all(words in page for words in ("Called them", "Visited them", "Referred them on", "No further action"))
    assert "We have no phone number" not in page
    assert duty.post_form(f"/admin/alerts/{raised.alert_id}/action", {"action": "visited"}).status_code == 303
