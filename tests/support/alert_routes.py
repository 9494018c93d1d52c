"""The safeguarding alert routes made real, for every test of what a notice carries and when: services whose
duty (and escalation) routes are the real twilio client against the fake Twilio API, email over STARTTLS to a
local SMTP server and the signed webhook (`tests/outbox/conftest.py`'s `webhook` and `smtp_server`), a young
person, a disclosure raised on a passed-in clock, and the outbox flushed on it.

    @pytest.fixture
    def routes(database_url, fake_twilio, webhook, smtp_server):
        with open_routes(database_url, fake_twilio, webhook, smtp_server, renotify_minutes=30) as opened:
            yield opened  # (services, the webhook's handler, the SMTP server's messages)
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from tests.conftest import make_config
from tests.outbox.helpers import Clock
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import Message, OutboxMessage, Participant
from voice_service.outbox.dispatch import build_dispatcher
from voice_service.safeguarding import alerts as safeguarding

# Tuesday 1 December 2026, 14:05 in London (GMT): inside office hours.
RAISED = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
DUTY_PHONE = "+447700900555"
EDT_PHONE = "+447700900777"
YOUNG_PERSON = "+447700900123"
FIRST_NAME = "Sam"
WORDS = "I want to hurt myself tonight"


def every_route(
    database_url,
    fake_twilio,
    webhook,
    smtp_server,
    *,
    app: dict | None = None,
    smtp: dict | None = None,
    spool: dict | None = None,
    **safeguarding_settings,
) -> Services:
    """Services with every duty and escalation route real: SMS, email over STARTTLS, webhook.
    `safeguarding_settings` add to (or replace) the routes' settings (`escalation_phones=[]` leaves a route
    out); `app`, `smtp` and `spool` add to those sections."""
    _, hook_url = webhook
    _, port, ca_file = smtp_server
    config = make_config(
        database_url,
        app=app or {},
        spool=spool or {},
        sms={"provider": "twilio"},
        twilio={"api_base_url": fake_twilio.url},
        safeguarding={
            "duty_phones": [DUTY_PHONE],
            "duty_emails": ["duty@council.test"],
            "webhook_url": hook_url,
            "escalate_after_minutes": 45,
            "renotify_minutes": 30,
            "escalation_phones": [EDT_PHONE],
            "escalation_emails": ["edt@council.test"],
            **safeguarding_settings,
        },
        smtp={"host": "127.0.0.1", "port": port, "starttls": True, "ca_file": ca_file, **(smtp or {})},
    )
    return Services.from_config(config)


# Every duty route real, no escalation contacts, renotify_minutes as shipped, the duty desk open all day (weekdays: a
# weekend is always closed, so a test may not count on the desk being open): a test of
# when the duty team is told, whatever the hour it runs (`open_routes(..., **DESK_OPEN_NO_ESCALATION)`).
DESK_OPEN_NO_ESCALATION = {
    "escalation_phones": [],
    "escalation_emails": [],
    "escalate_after_minutes": 240,
    "office_hours": "00:00-23:59",
    "bank_holidays": "none",
    "closed_days": [],
}


@contextmanager
def open_routes(database_url, fake_twilio, webhook, smtp_server, **settings) -> Iterator[tuple[Services, type, list]]:
    """`every_route`'s services (`settings` as it takes them), with the webhook's handler (`.received`,
    `.raw`) and the SMTP server's messages; the services' engine is closed afterwards."""
    services = every_route(database_url, fake_twilio, webhook, smtp_server, **settings)
    try:
        yield services, webhook[0], smtp_server[0]
    finally:
        services.engine.dispose()


def dead_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago): a `webhook_url` that fails."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/dead"


def young_person(services, number: str = YOUNG_PERSON) -> int:
    """A participant called FIRST_NAME with this number (encrypted, as the service keeps it); returns the id."""
    with session_scope(services.engine) as session:
        person = Participant(
            first_name=FIRST_NAME,
            phone_hash=services.vault.hash(number),
            phone_encrypted=services.vault.encrypt(number),
        )
        session.add(person)
        session.flush()
        assert person.id is not None
        return person.id


def disclose(services, participant_id: int | None, *, when: datetime, categories=("self_harm",), priority="high"):
    """WORDS texted in at `when` and the alert raised for them (joined to the young person's live one, if any);
    returns the alert's id."""
    with session_scope(services.engine) as session:
        message = Message(direction="in", channel="sms", body=WORDS, participant_id=participant_id, created_at=when)
        session.add(message)
        session.flush()
        participant = session.get(Participant, participant_id) if participant_id else None
        alert = safeguarding.raise_alert(
            session=session,
            vault=services.vault,
            config=services.config,
            message=message,
            participant=participant,
            categories=categories,
            priority=priority,
            reasons=(f"lexicon: {categories[0]}",),
            now=when,
        )
        return alert.id


def as_duty(services, change, alert_id: int, *, by: str, **details):
    """A duty worker's change to an alert (`safeguarding.acknowledge`, `.close`, ...) in its own transaction;
    `details` as the change takes them (`now`, `note`, `action`). Returns what the change returns."""
    with session_scope(services.engine) as session:
        return change(
            session=session, vault=services.vault, config=services.config, alert_id=alert_id, by=by, **details
        )


def outbox_rows(services, **where) -> list[OutboxMessage]:
    """The outbox's rows, oldest first, those whose fields equal `where`'s values."""
    with Session(services.engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(session.exec(query).all())


def flush_outbox(services, clock: Clock):
    """Send everything due at the clock's time through the real routes; returns the dispatcher's report."""
    return build_dispatcher(services, now=clock.now, sleep=clock.sleep, settle_seconds=0).flush()


def duty_texts(fake_twilio, to: str = DUTY_PHONE) -> list[str]:
    """The texts a phone (the duty phone, unless told) received, oldest first."""
    return [message["body"] for message in fake_twilio.to(to)]


def nothing_said(texts: Iterable[str], *, words: Iterable[str] = ()) -> None:
    """No message text (WORDS, or any of `words`), first name or phone number in any of `texts`."""
    for text in texts:
        for said in (WORDS, "hurt", FIRST_NAME, YOUNG_PERSON, YOUNG_PERSON.removeprefix("+"), *words):
            assert said not in text, (said, text)
        assert not re.search(r"\+?\d{10,}", text), text
