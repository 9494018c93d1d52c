"""Shared bits for the outbox tests: a controlled clock, bulk queuing, a dispatcher on the fake API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.factories import phone_number as number
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import OutboxMessage, utcnow
from voice_service.outbox import enqueue
from voice_service.outbox.dispatch import Dispatcher, Senders, build_dispatcher
from voice_service.outbox.mail import EmailSender
from voice_service.outbox.sms import TwilioSms
from voice_service.outbox.webhook import WebhookSender


class Clock:
    """A controlled clock: `now()` for the dispatcher, `sleep()` that only moves time on."""

    def __init__(self, start: datetime | None = None):
        # Real time by default: the fake Twilio API stamps messages with the real clock.
        self.current = start or datetime.now(UTC)
        self.slept = 0.0

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.current += timedelta(seconds=seconds)

    def advance(self, **kwargs) -> None:
        self.current += timedelta(**kwargs)


def queue(
    services, count: int, *, kind: str = "invitation", start: int = 0, now: datetime | None = None, **extra
) -> list[int]:
    """Queue `count` messages to distinct numbers; returns their outbox ids."""
    ids = []
    with session_scope(services.engine) as session:
        for index in range(start, start + count):
            row = enqueue(
                session=session,
                vault=services.vault,
                key=f"{kind}:t:{index}",
                kind=kind,
                to=number(index),
                body=f"Hello {index}, reply YES to start",
                not_before=now,
                **extra,
            )
            ids.append(row.id)
    return ids


def statuses(services) -> dict[str, int]:
    """How many outbox rows are in each status."""
    with session_scope(services.engine) as session:
        return dict(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def dispatcher(services, clock: Clock | None = None, *, config=None, timeout: float = 2.0, **settings) -> Dispatcher:
    """A dispatcher on the real twilio client against the configured (fake) API, built the one way there is."""
    config = config or services.config
    senders = Senders(
        sms=TwilioSms(config, timeout=timeout),
        email=EmailSender(config.smtp, now=clock.now if clock is not None else utcnow, council=config.app.council_name),
        webhook=WebhookSender(public_url=config.app.public_url, secret=config.safeguarding.webhook_secret, timeout=2),
    )
    settings.setdefault("settle_seconds", 0)
    if clock is not None:
        settings.update(now=clock.now, sleep=clock.sleep)
    if config is not services.config:
        services = Services.from_config(config, engine=services.engine)
    return build_dispatcher(services, senders=senders, **settings)


def environment(config) -> dict[str, str]:
    """The configuration as VOICE_<SECTION>_<KEY> variables, for a child process."""
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("VOICE_")}
    for section, values in config.as_dict().items():
        for key, value in values.items():
            if isinstance(value, list):
                value = ",".join(value)
            env[f"VOICE_{section.upper()}_{key.upper()}"] = str(value)
    return env
