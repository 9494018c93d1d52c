"""The alert page read a year on (trial finding: "Message 1 (Tue 1 Dec 23:35)" and "waiting 365 days" a year
later, with no year, passed for this week): every date not in this year keeps its year, read at the page's own
clock (`now`, injected here, never today's date), and the wait reads as everywhere else (`dates.uk_duration`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from tests.admin.conftest import duty_config
from voice_service.db import session_scope
from voice_service.models import Alert, AlertMessage, Message, OutboxMessage, OutboxStatus
from voice_service.scheduler.heartbeat import record_heartbeat

RAISED = datetime(2026, 12, 1, 23, 35, tzinfo=UTC)  # Tuesday night
A_YEAR_ON = RAISED + timedelta(days=365, hours=1)  # Thu 2 Dec 2027 00:35


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _raised_on_1_december_2026(services, alert_id: int) -> None:
    """The alert, its two messages, its conversation and its notice (sent a minute later), moved to RAISED."""
    with session_scope(services.engine) as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        alert.created_at = alert.last_message_at = alert.last_notified_at = RAISED
        messages = session.exec(
            select(Message).where(col(Message.participant_id) == alert.participant_id).order_by(col(Message.id))
        ).all()
        for number, message in enumerate(messages):
            message.created_at = RAISED + timedelta(minutes=number)
        links = session.exec(
            select(AlertMessage).where(col(AlertMessage.alert_id) == alert_id).order_by(col(AlertMessage.id))
        ).all()
        assert len(links) == 2, "both disclosures belong to the one alert"
        reasons = [["lexicon: self_harm (want to hurt myself)"], ["lexicon: self_harm (kill myself)", "model: 0.97"]]
        for link, own in zip(links, reasons):
            link.reasons, link.created_at = own, RAISED
        alert.reasons = [reason for own in reasons for reason in own]
        for row in session.exec(select(OutboxMessage).where(col(OutboxMessage.alert_id) == alert_id)).all():
            row.created_at = row.not_before = RAISED
            row.status, row.sent_at = OutboxStatus.SENT, RAISED + timedelta(minutes=1)


def test_a_year_on_the_alert_page_gives_each_date_its_year_and_the_wait_in_years(
    admin_client, disclose, services, monkeypatch
):
    raised = disclose("I want to hurt myself tonight")
    assert disclose("I want to kill myself").alert_id == raised.alert_id
    _raised_on_1_december_2026(services, raised.alert_id)
    duty = admin_client("duty")
    record_heartbeat(services.engine, A_YEAR_ON)  # the scheduler is running: no banner
    monkeypatch.setattr("voice_service.web.admin.alerts.utcnow", lambda: A_YEAR_ON)
    page = duty.get(raised.link_path).get_data(as_text=True)
    # Why it was raised, message by message (`words.reasons_by_message`).
    assert "Message 1 (Tue 1 Dec 2026 23:35): Words about self-harm" in page, page
    # What they said and the conversation (the `local_day_time` filter, at the page's clock).
    said = page.split('id="what-they-said"')[1].split("</section>")[0]
    assert re.search(r">Tue 1 Dec 2026 23:35 – <a", said), said
    assert re.search(r"</strong>,\s*Tue 1 Dec 2026 23:35\s", page)
    # Who was told (`NoticeEvent.words`).
    history = page.split('id="notice-history"')[1].split("</ul>")[0]
    assert "<li>Tue 1 Dec 2026 23:36: duty team notified (email)</li>" in history, history
    # The wait, as everywhere (`dates.uk_duration`): not "365 days".
    assert re.search(r">Waiting</dt>\s*<dd[^>]*>1 year \(target 15 min\)<", page), page

    # Read in the same year, the same dates have no year.
    monkeypatch.setattr("voice_service.web.admin.alerts.utcnow", lambda: RAISED + timedelta(days=2))
    page = duty.get(raised.link_path).get_data(as_text=True)
    assert "Message 1 (Tue 1 Dec 23:35): Words about self-harm" in page
    assert "<li>Tue 1 Dec 23:36: duty team notified (email)</li>" in page
    assert "Tue 1 Dec 2026" not in page
