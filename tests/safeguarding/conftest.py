"""Shared by the notice tests: services whose duty routes are real, at a council's long address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import make_config
from tests.outbox.conftest import smtp_server, webhook  # noqa: F401  (fixtures for `routes`)
from tests.outbox.test_alert_loop import DUTY_PHONE
from voice_service.context import Services

# Tuesday 1 December 2026, 14:05 in London (GMT): inside office hours.
RAISED = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
# A council's own address, as long as real ones are: the link leaves the categories less room.
PUBLIC_URL = "https://voice.testshire-county-council.gov.uk"


@pytest.fixture
def routes(database_url, fake_twilio, webhook, smtp_server):  # noqa: F811
    """Services whose duty routes are real (SMS, email over STARTTLS, webhook), at a council's long address;
    with the webhook's and the SMTP server's inboxes."""
    hook, hook_url = webhook
    mails, port, ca_file = smtp_server
    config = make_config(
        database_url,
        app={"public_url": PUBLIC_URL},
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        safeguarding={
            "duty_phones": [DUTY_PHONE],
            "duty_emails": ["duty@council.test"],
            "webhook_url": hook_url,
            "renotify_minutes": 30,
            "escalate_after_minutes": 240,
            "office_hours": "09:00-17:00",
            "bank_holidays": "none",
            "closed_days": [],
        },
        smtp={
            "host": "127.0.0.1",
            "port": port,
            "starttls": True,
            "ca_file": ca_file,
            "from_address": "voice@testshire.gov.uk",
        },
    )
    services = Services.from_config(config)
    yield services, hook, mails
    services.engine.dispose()


def texts(fake_twilio) -> list[str]:
    """The texts the duty phone received, oldest first."""
    return [message["body"] for message in fake_twilio.to(DUTY_PHONE)]
