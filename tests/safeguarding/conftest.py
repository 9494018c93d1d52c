"""Shared by the notice tests: services whose duty routes are real, at a council's long address."""

from __future__ import annotations

import pytest

from tests.outbox.conftest import smtp_server, webhook  # noqa: F401  (fixtures for `routes`)
from tests.support.alert_routes import open_routes

# A council's own address, as long as real ones are: the link leaves the categories less room.
PUBLIC_URL = "https://voice.testshire-county-council.gov.uk"


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):  # noqa: F811
    """Services whose duty routes are real (SMS, email over STARTTLS, webhook: `tests.support.alert_routes`),
    at a council's long address, with no escalation contacts; with the webhook's and the SMTP server's inboxes."""
    with open_routes(
        database_url,
        fake_twilio,
        webhook,
        smtp_server,
        app={"public_url": PUBLIC_URL},
        smtp={"from_address": "voice@testshire.gov.uk"},
        escalation_phones=[],
        escalation_emails=[],
        escalate_after_minutes=240,
        office_hours="09:00-17:00",
        bank_holidays="none",
        closed_days=[],
    ) as opened:
        yield opened
