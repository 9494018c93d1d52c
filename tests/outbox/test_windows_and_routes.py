"""Survey texts wait for the send window; alerts ignore it and reach every route, retried until delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from tests.conftest import make_config
from tests.outbox.conftest import free_port
from tests.outbox.helpers import Clock, dispatcher, queue, statuses
from voice_service.config import ConfigError, load
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Alert, Message, OutboxMessage
from voice_service.safeguarding.alerts import raise_alert

LONDON = ZoneInfo("Europe/London")
DEFAULT_WINDOWS = {
    "weekday_window": "16:00-20:00",
    "weekend_window": "10:00-18:00",
    "school_hours": "08:30-15:30",
    "rate_per_second": 1000.0,
}


@pytest.fixture
def windowed(database_url, fake_twilio):
    """Services with the default send windows, sending to the fake Twilio API."""
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule=DEFAULT_WINDOWS,
        safeguarding={"duty_phones": ["+447700900555"]},
    )
    services = Services.from_config(config)
    yield services
    services.engine.dispose()


def _alert(services, now: datetime | None = None) -> int:
    with session_scope(services.engine) as session:
        message = Message(direction="in", channel="sms", body="I want to hurt myself")
        session.add(message)
        session.flush()
        return raise_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=None,
            categories=("self_harm",),
            now=now,
        ).id


def test_messages_due_outside_the_window_wait_for_it_but_alerts_go_at_once(windowed, fake_twilio):
    morning = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=LONDON).astimezone(UTC))  # a Tuesday
    queue(windowed, 3, now=morning.now())
    queue(windowed, 2, kind="reminder", start=10, now=morning.now(), under_16=True)
    _alert(windowed, now=morning.now())
    report = dispatcher(windowed, morning).flush()
    assert report.held == 5 and report.sent == 1
    assert [m["to"] for m in fake_twilio.messages] == ["+447700900555"]
    with Session(windowed.engine) as session:
        held = session.exec(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
    assert {row.not_before for row in held} == {datetime(2026, 11, 24, 16, 0, tzinfo=LONDON).astimezone(UTC)}
    assert all(row.attempts == 0 for row in held)  # holding is not a failed attempt
    morning.current = datetime(2026, 11, 24, 15, 59, tzinfo=LONDON).astimezone(UTC)
    assert dispatcher(windowed, morning).flush().sent == 0
    morning.current = datetime(2026, 11, 24, 16, 0, tzinfo=LONDON).astimezone(UTC)
    assert dispatcher(windowed, morning).flush().sent == 5
    assert statuses(windowed) == {"sent": 6}


def test_under_16s_get_nothing_in_school_hours_even_when_the_window_is_open(database_url, fake_twilio):
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        schedule={**DEFAULT_WINDOWS, "weekday_window": "08:00-20:00"},
    )
    services = Services.from_config(config)
    clock = Clock(datetime(2026, 11, 24, 10, 0, tzinfo=LONDON).astimezone(UTC))
    queue(services, 1, now=clock.now(), under_16=True)
    queue(services, 1, start=5, now=clock.now())
    report = dispatcher(services, clock).flush()
    assert (report.sent, report.held) == (1, 1)
    clock.current = datetime(2026, 11, 24, 15, 30, tzinfo=LONDON).astimezone(UTC)
    assert dispatcher(services, clock).flush().sent == 1
    services.engine.dispose()


def test_held_across_the_clocks_going_back(windowed, fake_twilio):
    # Saturday 24 October 2026, 19:00 BST: held until Sunday 10:00 GMT, after the change.
    clock = Clock(datetime(2026, 10, 24, 19, 0, tzinfo=LONDON).astimezone(UTC))
    queue(windowed, 1, now=clock.now())
    assert dispatcher(windowed, clock).flush().held == 1
    with Session(windowed.engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert row.not_before == datetime(2026, 10, 25, 10, 0, tzinfo=UTC)


# -- email and webhook routes -------------------------------------------------------------------


def test_alerts_reach_email_over_starttls_and_the_webhook_without_message_text(
    database_url, fake_twilio, webhook, smtp_server
):
    hook, hook_url = webhook
    mails, port, ca_file = smtp_server
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        safeguarding={"duty_phones": ["+447700900555"], "duty_emails": ["duty@council.test"], "webhook_url": hook_url},
        smtp={"host": "127.0.0.1", "port": port, "starttls": True, "ca_file": ca_file},
    )
    services = Services.from_config(config)
    from voice_service.outbox.dispatch import build_dispatcher

    alert_id = _alert(services)
    report = build_dispatcher(services, settle_seconds=0).flush()
    assert report.sent == 3
    assert len(fake_twilio.messages) == 1
    assert len(mails) == 1 and mails[0]["To"] == "duty@council.test"
    assert f"#{alert_id}" in mails[0]["Subject"] and "hurt" not in mails[0].get_payload()
    with Session(services.engine) as session:
        alert = session.get(Alert, alert_id)
        raised = alert.created_at.replace(tzinfo=UTC).isoformat(timespec="seconds")
        out_of_hours = alert.out_of_hours
    assert hook.received == [
        {
            "event": "safeguarding_alert",
            "alert_id": alert_id,
            "attempt": 0,
            "reminder": 0,  # the first notice
            "categories": ["self_harm"],
            "priority": "high",
            "channel": "sms",
            "raised_at": raised,
            "out_of_hours": out_of_hours,
            "delayed": False,
            "early_notice": False,
            "url": f"http://voice.test/admin/alerts/{alert_id}",
            "outbox_id": hook.received[0]["outbox_id"],
        }
    ]
    assert "hurt" not in json.dumps(hook.received) and "447700" not in json.dumps(hook.received)
    # Signed: HMAC-SHA256 of the exact body under [safeguarding] webhook_secret.
    [(headers, body)] = hook.raw
    secret = config.safeguarding.webhook_secret.encode()
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Voice-Signature"], expected)
    services.engine.dispose()


@pytest.mark.parametrize(
    "url", ["not-a-url", "ftp://duty.example/hook", "https://", "http://host:port/x", " http://a/b"]
)
def test_a_webhook_url_that_is_not_an_http_address_is_refused(url):
    with pytest.raises(ConfigError, match="safeguarding.webhook_url must be an http"):
        load(None, environ={"VOICE_SAFEGUARDING_WEBHOOK_URL": url})


@pytest.mark.parametrize("secret", ["", "change-me", "short"])
def test_a_webhook_url_needs_a_real_signing_secret_outside_the_demo(secret):
    config = load(None, environ={}).with_overrides(
        app={"secret_key": "s" * 32},
        privacy={"phone_key": Fernet.generate_key().decode(), "hash_key": "h" * 32},
        safeguarding={"webhook_url": "https://duty.example/hook", "webhook_secret": secret},
    )
    with pytest.raises(ConfigError, match="safeguarding.webhook_secret"):
        config.require_production_secrets()
    config.with_overrides(safeguarding={"webhook_secret": "w" * 32}).require_production_secrets()


def test_a_down_mail_server_does_not_block_sms_alerts_and_alerts_are_retried_until_delivered(
    database_url, fake_twilio, webhook, smtp_server
):
    hook, hook_url = webhook
    mails, port, ca_file = smtp_server
    down = free_port()
    config = make_config(
        database_url,
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        safeguarding={"duty_phones": ["+447700900555"], "duty_emails": ["duty@council.test"], "webhook_url": hook_url},
        smtp={"host": "127.0.0.1", "port": down, "starttls": True, "ca_file": ca_file},
    )
    services = Services.from_config(config)
    hook.fail.extend([503, 500])
    _alert(services)
    clock = Clock()
    from voice_service.outbox.dispatch import build_dispatcher

    report = build_dispatcher(services, now=clock.now, sleep=clock.sleep, settle_seconds=0).flush()
    assert (report.sent, report.retrying) == (1, 2)  # the SMS went; email and webhook wait
    assert len(fake_twilio.messages) == 1
    for _ in range(12):  # more attempts than a survey text would get (alert retries are at most ~6 min apart)
        clock.advance(minutes=7)
        build_dispatcher(services, now=clock.now, sleep=clock.sleep, settle_seconds=0).flush()
    with Session(services.engine) as session:
        email_row = session.exec(select(OutboxMessage).where(OutboxMessage.channel == "email")).one()
    assert email_row.status == "pending" and email_row.attempts > 8
    assert len(hook.received) == 1  # the webhook got through on its third try
    # The mail server comes back: the alert is delivered.
    fixed = services.config.with_overrides(smtp={"port": port})
    clock.advance(minutes=7)
    build_dispatcher(
        Services.from_config(fixed, engine=services.engine), now=clock.now, sleep=clock.sleep, settle_seconds=0
    ).flush()
    assert len(mails) == 1
    assert statuses(services) == {"sent": 3}
    services.engine.dispose()
