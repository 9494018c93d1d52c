"""The alert page says who did what and when (new-user trial, alert 3): Dan acknowledges with a note, records calling
them, hands over to Dee; Dee closes with the referral she made. Every note, action and hand-over on the page names
its worker and its time; the close form asks for the outcome even once an action is recorded, and stores it; the
inbox's line gives the call to Dan, not to Dee who closed it. Times are matched by shape, never by today's date."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from tests.admin.conftest import duty_config
from voice_service.models import Alert
from voice_service.safeguarding.history import done, history

REFERRAL = "Referred to children&#39;s social care front door, ref 12345"
WHEN = r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d"  # "1 Dec 2026 14:05", in the council's time


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _text(html: str, element_id: str) -> str:
    """The text of the element with this id, tags removed and spaces squeezed."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:ol|ul|dd)>', html, re.S)
    assert found, f"no #{element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_every_note_action_and_hand_over_names_its_worker_and_time(admin_client, users, disclose, services):
    raised = disclose("I want to hurt myself tonight")
    dan = admin_client("duty", account=users("duty", email="dan@council.test", name="Dan Duty"))
    dee = admin_client("duty", account=users("duty", email="dee@council.test", name="Dee Duty"))
    path = f"/admin/alerts/{raised.alert_id}"
    assert dan.post_form(path + "/acknowledge", {"note": "Calling the placement now"}).status_code == 303
    assert dan.post_form(path + "/action", {"action": "called", "note": "Carer says safe"}).status_code == 303
    assert dan.post_form(path + "/hand-over", {"to": "dee@council.test", "note": "Please refer"}).status_code == 303

    page = dee.get(path).get_data(as_text=True)
    assert re.fullmatch(rf"Dee Duty, by Dan Duty, {WHEN}", _text(page, "handed-over")), _text(page, "handed-over")
    record = _text(page, "alert-record")
    assert re.search(rf"{WHEN}: Acknowledged by Dan Duty: Calling the placement now", record), record
    assert re.search(rf"{WHEN}: Called them \(recorded by Dan Duty\): Carer says safe", record), record
    assert re.search(rf"{WHEN}: Handed over to Dee Duty by Dan Duty: Please refer", record), record
    # The close form still asks what was done at the end, though a call is recorded: optional, but offered.
    assert "What was the outcome? (optional)" in page and 'id="close-referred"' in page
    assert "Already recorded: Called them." in page

    closing = {"action": "referred", "note": "Referred to children's social care front door, ref 12345"}
    assert dee.post_form(path + "/close", closing).status_code == 303
    with Session(services.engine) as session:
        alert = session.get(Alert, raised.alert_id)
        assert alert.action_taken == "referred"
        assert [(s.action, s.by) for s in done(history(session=session, alert=alert))] == [
            ("called", "dan@council.test"),
            ("referred", "dee@council.test"),
        ]
        participant_id = alert.participant_id

    closed = dee.get(path).get_data(as_text=True)
    assert re.fullmatch(
        rf"Called them, by Dan Duty, {WHEN} Referred them on, by Dee Duty, {WHEN}", _text(closed, "what-was-done")
    ), _text(closed, "what-was-done")
    assert re.search(
        rf"{WHEN}: Closed by Dee Duty, recording: Referred them on: {REFERRAL}", _text(closed, "alert-record")
    )

    # The inbox says Dan called them and Dee closed it: never that Dee called them.
    thread = admin_client("worker").get(f"/admin/inbox/{participant_id}").get_data(as_text=True)
    said = _text(thread, "reply-state")
    assert re.search(
        rf"Dan Duty recorded that they called them on alert #{raised.alert_id}, {WHEN}; Dee Duty closed it, {WHEN}",
        said,
    ), said
    assert "Dee Duty closed alert" not in said


def test_the_close_form_asks_what_was_done_when_nothing_is_recorded(admin_client, disclose):
    raised = disclose("I want to hurt myself tonight")
    duty = admin_client("duty")
    path = f"/admin/alerts/{raised.alert_id}"
    assert duty.post_form(path + "/acknowledge", {}).status_code == 303
    page = duty.get(path).get_data(as_text=True)
    assert "What was done?" in page and "What was the outcome? (optional)" not in page
    refused = duty.post_form(path + "/close", {"note": "done"})
    assert refused.status_code == 400 and "Select what was done before you close the alert" in refused.get_data(
        as_text=True
    )
