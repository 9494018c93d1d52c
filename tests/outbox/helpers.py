"""Shared bits for the outbox tests: a controlled clock, bulk queuing, a dispatcher on the fake API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.factories import phone_number as number
from voice_service.db import session_scope
from voice_service.models import OutboxMessage
from voice_service.outbox import enqueue
from voice_service.outbox.dispatch import Dispatcher
from voice_service.outbox.senders import EmailSender, SmsSender, WebhookSender
from voice_service.outbox.windows import Windows
from voice_service.sending import TwilioProvider


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


def dispatcher(services, clock: Clock | None = None, *, config=None, **overrides) -> Dispatcher:
    """A dispatcher on the real twilio client against the configured (fake) API."""
    config = config or services.config
    options = dict(
        engine=services.engine,
        vault=services.vault,
        windows=Windows.from_config(config),
        sms=SmsSender(TwilioProvider(config), timeout=2),
        rate_per_second=config.schedule.rate_per_second,
        email=EmailSender(config.smtp),
        webhook=WebhookSender(timeout=2),
        public_url=config.app.public_url,
        settle_seconds=0,
    )
    if clock is not None:
        options.update(now=clock.now, sleep=clock.sleep)
    options.update(overrides)
    return Dispatcher(**options)


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
