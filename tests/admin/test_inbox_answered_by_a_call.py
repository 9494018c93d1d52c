"""A thread counts as answered once a call or a visit was recorded as its alert was closed (trial 13): the duty worker
spoke with the young person, so the inbox does not say "Needs a reply" as if nobody had. A referral or no further
action is no answer to them; and a message after the call waits for a reply again (`inbox.threads.unanswered`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.inbox import inbox, thread
from voice_service.models import Alert

DISCLOSURE = "my stepdad hits me when hes drunk"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _disclosed(services, client) -> tuple[SmsPhone, Alert]:
    add_participants(services, [{"phone": phone_number(71), "first_name": "Cal"}])
    phone = SmsPhone(client, phone_number(71))
    phone.send(DISCLOSURE)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).order_by(col(Alert.id).desc())).first()
    assert alert is not None and alert.participant_id is not None
    return phone, alert


def _row(services, participant_id: int):
    with Session(services.engine) as session:
        [row] = [row for row in inbox(session=session) if row.participant_id == participant_id]
        current = thread(session=session, participant_id=participant_id, config=services.config)
    return row, current


@pytest.mark.parametrize("action, words", [("called", "called them"), ("visited", "visited them")])
def test_a_call_or_visit_recorded_at_closing_answers_the_thread(services, client, admin_client, action, words):
    phone, alert = _disclosed(services, client)
    row, current = _row(services, alert.participant_id)
    assert row.unanswered and current.unanswered  # nobody has spoken with them yet
    duty = admin_client("duty")
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": action}).status_code == 303

    row, current = _row(services, alert.participant_id)
    assert not row.unanswered and not current.unanswered and current.answered_at_alert
    listing = admin_client("worker").get("/admin/inbox").get_data(as_text=True)
    assert "Needs a reply" not in listing and "Answered" in listing
    page = admin_client("worker").get(f"/admin/inbox/{alert.participant_id}").get_data(as_text=True)
    assert "Needs a reply" not in page
    assert f"closed alert #{alert.id}" in page and f"recording that they {words}" in page

    phone.send("thanks for calling, can we talk again")  # written after the call: it waits for a reply
    row, current = _row(services, alert.participant_id)
    assert row.unanswered and current.unanswered and not current.answered_at_alert


@pytest.mark.parametrize("action, note", [("referred", ""), ("no_further_action", "Spoke to her carer, all fine.")])
def test_a_referral_or_no_further_action_leaves_it_waiting_for_a_reply(services, client, admin_client, action, note):
    _, alert = _disclosed(services, client)
    duty = admin_client("duty")
    form = {"action": action} | ({"note": note} if note else {})
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", form).status_code == 303
    row, current = _row(services, alert.participant_id)
    assert row.unanswered and current.unanswered and not current.answered_at_alert
    assert "Needs a reply" in admin_client("worker").get("/admin/inbox").get_data(as_text=True)
