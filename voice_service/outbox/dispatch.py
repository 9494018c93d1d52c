"""Send what is due from the outbox: windows, opt-outs, rate, retries with backoff.

Each row is claimed (status "sending") in its own committed transaction before the
provider is called, and marked sent right after, so a crash can never send a row
twice silently: a row left in "sending" is reported, not re-sent blindly.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..models import OptOut, OutboxMessage, OutboxStatus, utcnow
from ..privacy import PhoneVault
from ..sending import PermanentFailure, Provider, TransientFailure
from .windows import Windows

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SURVEY_KINDS = {"invitation", "reminder", "closing", "loop"}


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 30 s doubling, capped at one hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass
class FlushReport:
    """What one flush did, for the command line and the tests."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    held: int = 0
    cancelled: int = 0
    stuck: int = 0
    errors: list[str] = field(default_factory=list)


class RateLimiter:
    """Spaces sends to at most `per_second` (no bursts beyond one)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic, sleep=time.sleep):
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = clock()

    def wait(self) -> None:
        """Block until the next send is allowed."""
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self._interval


def _claim(engine: Engine, now: datetime, limit: int) -> list[OutboxMessage]:
    """Mark up to `limit` due pending rows as sending and return them (SKIP LOCKED on PostgreSQL)."""
    with Session(engine, expire_on_commit=False) as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.exec(query).scalars())
        for row in rows:
            row.status = OutboxStatus.SENDING
            row.attempts += 1
            row.updated_at = now
        session.commit()
        return rows


def _finish(engine: Engine, row_id: int, **values) -> None:
    """Update one outbox row in its own transaction."""
    values.setdefault("updated_at", utcnow())
    with Session(engine) as session:
        session.exec(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
        session.commit()


def flush(
    *,
    engine: Engine,
    provider: Provider,
    vault: PhoneVault,
    windows: Windows,
    rate_per_second: float,
    now: Callable[[], datetime] = utcnow,
    sleep=time.sleep,
    batch: int = 200,
    channels: tuple[str, ...] = ("sms",),
    on_progress: Callable[[FlushReport], None] | None = None,
) -> FlushReport:
    """Send every SMS row due now, then return a report. Safe to run in several processes on PostgreSQL."""
    report = FlushReport()
    limiter = RateLimiter(rate_per_second, sleep=sleep)
    with Session(engine) as session:
        report.stuck = session.exec(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.updated_at < now() - timedelta(minutes=10),
            )
        ).scalar_one()
    while True:
        rows = _claim(engine, now(), batch)
        if not rows:
            break
        for row in rows:
            if row.channel not in channels:
                # Another route's sender (email, webhook) owns this row; give it back untouched.
                _finish(engine, row.id, status=OutboxStatus.PENDING, attempts=row.attempts - 1,
                        not_before=now() + timedelta(seconds=5))
                continue
            _send_one(engine, row, provider, vault, windows, limiter, now, report)
        if on_progress:
            on_progress(report)
    return report


def _send_one(engine, row, provider, vault, windows, limiter, now, report) -> None:
    """Send one claimed row and record the outcome."""
    current = now()
    if row.kind in SURVEY_KINDS:
        if row.respect_window:
            opens = windows.next_open(current, under_16=row.under_16)
            if opens > current:
                _finish(engine, row.id, status=OutboxStatus.PENDING, attempts=row.attempts - 1, not_before=opens)
                report.held += 1
                return
        with Session(engine) as session:
            if row.to_hash and session.get(OptOut, row.to_hash) is not None:
                _finish(engine, row.id, status=OutboxStatus.CANCELLED, error_message="opted out")
                report.cancelled += 1
                return
    limiter.wait()
    try:
        result = provider.send(to=vault.decrypt(row.to_encrypted), body=row.body, outbox_id=row.id)
    except TransientFailure as exc:
        if row.attempts >= MAX_ATTEMPTS:
            _finish(engine, row.id, status=OutboxStatus.FAILED, error_message=str(exc)[:300])
            report.failed += 1
        else:
            _finish(engine, row.id, status=OutboxStatus.PENDING, error_message=str(exc)[:300],
                    not_before=current + backoff(row.attempts))
            report.retrying += 1
        log.warning("outbox %s: transient failure (%s), attempt %s", row.id, exc, row.attempts)
        return
    except PermanentFailure as exc:
        _finish(engine, row.id, status=OutboxStatus.FAILED, error_code=str(exc.code or ""),
                error_message=str(exc)[:300])
        if exc.opted_out and row.to_hash:
            _record_carrier_opt_out(engine, row.to_hash)
        report.failed += 1
        log.warning("outbox %s: permanent failure (%s)", row.id, exc)
        return
    _finish(engine, row.id, status=OutboxStatus.SENT, provider_sid=result.sid, sent_at=now(), error_message=None)
    report.sent += 1


def _record_carrier_opt_out(engine: Engine, phone_hash: str) -> None:
    """The carrier says this number opted out: never message it again."""
    with Session(engine) as session:
        if session.get(OptOut, phone_hash) is None:
            session.add(OptOut(phone_hash=phone_hash, keyword="carrier"))
            session.commit()
