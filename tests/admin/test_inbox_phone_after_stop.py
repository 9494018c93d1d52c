"""A young person who said STOP and then asked for a person ("can someone call me about my placement") was told a
worker would get back to them, but no reply can reach them: Twilio refuses every text to them (21610) and they have
no web chat open. Their conversation page says so plainly, tells the worker to phone them, and offers "Show their
number to call them": a POST (CSRF-checked), audited as `conversation.reveal_number`, the number on that response
only. Workers may; the duty team only while the young person's alert is live (as `accounts.may_open_thread`); any
other account is refused (403). Only in this case (`Thread.phone_them`): not to someone a reply can reach, nor to
someone who said STOP and asked nobody to contact them, nor once a call recorded on their alert answered them.
The young person texts through the signed Twilio webhook; the service's clocks are pinned, so nothing depends on
today's date."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import MOBILE, audit_rows
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.models import Alert, AlertStatus, Participant
from voice_service.web.chat.sessions import start_chat

# Thursday 3 December 2026, 14:40 UTC: the young person texts; the worker opens the page an hour later.
WHEN = datetime(2026, 12, 3, 14, 40, tzinfo=UTC)
LATER = WHEN + timedelta(hours=1)
ASKS = "can someone call me about my placement"
OFFER = "Show their number to call them"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The inbound path handles texts at WHEN; the inbox pages read the thread at LATER."""
    # The package's `receive` (the function) hides the module of that name from a dotted path.
    monkeypatch.setattr(sys.modules["voice_service.inbound.receive"], "utcnow", lambda: WHEN)
    monkeypatch.setattr("voice_service.web.admin.inbox.utcnow", lambda: LATER)


def _young_person(services, client, n: int, *texts: str) -> tuple[str, int]:
    """Someone on the list (number `phone_number(n)`) who texts these, in order; their number and participant id."""
    number = phone_number(n)
    add_participants(services, [{"phone": number, "first_name": "Ash"}])
    phone = SmsPhone(client, number)
    for text in texts:
        phone.send(text)
    with Session(services.engine) as session:
        person = session.exec(select(Participant).where(Participant.phone_hash == services.vault.hash(number))).one()
    assert person.id is not None
    return number, person.id


def _reveals(services) -> list[tuple[str, str, str | None]]:
    return [row for row in audit_rows(services, prefix="conversation.") if row[1] == "conversation.reveal_number"]


def test_the_page_says_to_phone_them_and_a_worker_sees_the_number_once_audited(services, client, admin_client):
    number, pid = _young_person(services, client, 31, "STOP", ASKS)
    worker = admin_client("worker")
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "No reply can be sent. They have opted out of texts (they said STOP)" in page
    assert 'id="phone-them"' in page and "Phone them instead" in page and OFFER in page
    assert "they had said STOP, so it may not have reached them. Phone them" in page  # the wants-person note
    assert number not in page and "••••" + number[-3:] in page
    assert worker.get(f"/admin/inbox/{pid}/reveal").status_code == 405  # a POST only
    assert worker.post(f"/admin/inbox/{pid}/reveal").status_code == 400  # no CSRF token
    assert _reveals(services) == []

    shown = worker.post_form(f"/admin/inbox/{pid}/reveal")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and f'<span class="app-revealed" id="full-number">{number}</span>' in html
    assert "that has been recorded" in html and OFFER not in html
    assert shown.headers["Cache-Control"] == "no-store"
    assert _reveals(services) == [(worker.account.email, "conversation.reveal_number", str(pid))]
    assert number not in worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)  # not shown again


@pytest.mark.parametrize("roles", [("panel",), ("admin",), ("duty",)])
def test_any_other_account_is_refused(services, client, admin_client, roles):
    number, pid = _young_person(services, client, 32, "STOP", ASKS)
    other = admin_client(*roles)  # the duty team: no live alert here, so not their thread
    refused = other.post_form(f"/admin/inbox/{pid}/reveal")
    assert refused.status_code == 403 and number not in refused.get_data(as_text=True)
    assert _reveals(services) == []
    assert any(row[0] == other.account.email and row[1] == "access.denied" for row in audit_rows(services))


def test_the_duty_team_may_while_the_alert_is_live(services, client, admin_client):
    number, pid = _young_person(services, client, 33, "STOP", ASKS, "my carer hits me when hes drunk")
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).where(col(Alert.participant_id) == pid)).one()
        assert alert.status in AlertStatus.LIVE
    duty = admin_client("duty")
    assert OFFER in duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    shown = duty.post_form(f"/admin/inbox/{pid}/reveal")
    assert shown.status_code == 200 and number in shown.get_data(as_text=True)
    assert _reveals(services) == [(duty.account.email, "conversation.reveal_number", str(pid))]

    # They called them and closed the alert saying so: the request is answered, so the number is not offered again.
    assert duty.post_form(f"/admin/alerts/{alert.id}/close", {"action": "called"}).status_code == 303
    worker = admin_client("worker")
    assert OFFER not in worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert worker.post_form(f"/admin/inbox/{pid}/reveal").status_code == 403
    assert len(_reveals(services)) == 1


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(("STOP", "my placement is fine thanks"), id="said STOP, asked nobody to contact them"),
        pytest.param((ASKS,), id="asked for a person, a text reply reaches them"),
    ],
)
def test_not_offered_nor_revealed_otherwise(services, client, admin_client, texts):
    number, pid = _young_person(services, client, 34, *texts)
    worker = admin_client("worker")
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert OFFER not in page and 'id="phone-them"' not in page
    refused = worker.post_form(f"/admin/inbox/{pid}/reveal")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403 and number not in html
    assert "Their whole number is shown only to phone someone who asked to talk to a person" in html
    assert _reveals(services) == []
    assert (worker.account.email, "access.denied", str(pid)) in audit_rows(services)


def test_not_offered_while_a_web_chat_of_theirs_is_open(services, client, admin_client):
    number, pid = _young_person(services, client, 35, "STOP", ASKS)
    worker = admin_client("worker")
    assert OFFER in worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    with session_scope(services.engine) as session:
        start_chat(session=session, services=services, invited=session.get(Participant, pid), now=WHEN)
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert OFFER not in page and "Your reply goes into their web chat" in page  # a reply reaches them there
    assert worker.post_form(f"/admin/inbox/{pid}/reveal").status_code == 403
    assert _reveals(services) == []


@pytest.mark.browser
def test_in_chromium_the_worker_asks_for_the_number_and_sees_it_once(services, client, signed_in_page, axe, shot):
    number, pid = _young_person(services, client, 36, "STOP", ASKS)
    page = signed_in_page("worker", path=f"/admin/inbox/{pid}", viewport=MOBILE)
    assert "Phone them instead" in page.inner_text("#phone-them") and number not in page.content()
    axe(page)
    page.get_by_role("button", name=OFFER).click()
    assert page.inner_text("#full-number") == number
    axe(page)
    shot(page, "inbox-thread-phone-them-mobile")
    assert _reveals(services) == [(page.account.email, "conversation.reveal_number", str(pid))]
