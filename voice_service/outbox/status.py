"""Twilio's delivery reports, applied to the outbox: the web route only checks the signature and translates.

A report can arrive before the dispatcher recorded its send (it died in between): the row is
then marked sent with the report's sid, which settles it. A carrier opt-out (21610) or an
invalid number stops that number exactly as the dispatcher's own write path does
(`outcomes.block_number`): opt-out register entry, pending texts cancelled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from ..models import OutboxStatus, utcnow
from .channels import blocking_keyword
from .outcomes import block_number

log = logging.getLogger(__name__)

OUTBOX: Table = SQLModel.metadata.tables["outboxmessage"]

# Twilio's statuses onto the outbox's; the rest (queued, sending, accepted) leave the row as sent.
STATUS_MAP = {
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.DELIVERED,
    "failed": OutboxStatus.FAILED,
    "undelivered": OutboxStatus.FAILED,
}


@dataclass(frozen=True)
class DeliveryReport:
    """One status callback, as the provider sent it."""

    sid: str
    status: str
    error_code: str | None = None
    outbox_id: int | None = None


def apply_delivery_report(engine: Engine, report: DeliveryReport, *, now: datetime | None = None) -> bool:
    """Update the row the report is about; returns False when no row matches (nothing to do)."""
    now = now or utcnow()
    with engine.begin() as connection:
        row = None
        if report.outbox_id is not None:
            row = connection.execute(
                select(OUTBOX.c.id, OUTBOX.c.status, OUTBOX.c.to_hash, OUTBOX.c.provider_sid, OUTBOX.c.sent_at).where(
                    OUTBOX.c.id == report.outbox_id
                )
            ).first()
            if row is not None and row.provider_sid and row.provider_sid != report.sid:
                # The query string names one message, the report another: a report about another message
                # must not settle this one. The report's own MessageSid is looked up below instead.
                log.warning("delivery report: its MessageSid does not match outbox row %s", row.id)
                row = None
        if row is None:
            row = connection.execute(
                select(OUTBOX.c.id, OUTBOX.c.status, OUTBOX.c.to_hash, OUTBOX.c.provider_sid, OUTBOX.c.sent_at)
                .where(OUTBOX.c.provider_sid == report.sid)
                .limit(1)
            ).first()
        if row is None:
            return False
        values: dict = {"updated_at": now, "provider_sid": row.provider_sid or report.sid}
        status = row.status
        if status == OutboxStatus.SENDING:
            # The dispatcher stopped between sending and recording it: Twilio has it, so it was sent.
            status = OutboxStatus.SENT
            values["sent_at"] = row.sent_at or now
        status = STATUS_MAP.get(report.status.lower(), status)
        values["status"] = status
        if report.error_code:
            values["error_code"] = report.error_code[:20]
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == row.id).values(**values))
        keyword = blocking_keyword(report.error_code)
        if keyword and row.to_hash:
            block_number(connection, phone_hash=row.to_hash, keyword=keyword, now=now)
    return True
