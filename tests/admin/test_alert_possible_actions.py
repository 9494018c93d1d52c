"""An alert offers only what the duty team could have done for that young person (trial finding 17): no
"Called them" without a phone number, no "Visited them" without a known placement (an anonymous web chat has
neither); someone from the council's list, with a number, gets every option."""

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


def test_a_web_chat_alert_with_no_number_offers_no_call_or_visit(client, services, admin_client):
    chat = ChatUser(client)
    chat.start()
    chat.say(RISKY)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).order_by(col(Alert.id).desc())).first()
    assert alert.channel == "webchat"
    duty = admin_client("duty")
    duty.post_form(f"/admin/alerts/{alert.id}/acknowledge")
    page = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "Referred them on" in page and "No further action" in page
    assert "Called them" not in page and "Visited them" not in page
    refused = duty.post_form(f"/admin/alerts/{alert.id}/action", {"action": "called"})
    assert refused.status_code == 400
    refused = duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "visited"})
    assert refused.status_code == 400
    with Session(services.engine) as session:
        assert session.get(Alert, alert.id).status != "closed"
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "referred"}).status_code == 303


def test_someone_on_the_councils_list_can_be_called_or_visited(admin_client, disclose):
    raised = disclose(RISKY)
    duty = admin_client("duty")
    duty.post_form(f"/admin/alerts/{raised.alert_id}/acknowledge")
    page = duty.get(f"/admin/alerts/{raised.alert_id}").get_data(as_text=True)
    assert all(words in page for words in ("Called them", "Visited them", "Referred them on", "No further action"))
    assert duty.post_form(f"/admin/alerts/{raised.alert_id}/action", {"action": "visited"}).status_code == 303
