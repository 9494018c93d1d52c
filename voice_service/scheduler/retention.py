"""Retention: delete messages and answers older than `[privacy] retention_days`.

Used by the scheduler when `voice_service.privacy.retention` (the `privacy purge`
command's module) is not there; a message an alert points at is kept with its alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session

from ..models import Alert, AlertMessage, Message, Response, utcnow


@dataclass
class PurgeReport:
    """How many rows were deleted."""

    responses: int = 0
    messages: int = 0


def purge_expired(*, session: Session, retention_days: int, now: datetime | None = None) -> PurgeReport:
    """Delete Response and Message rows older than `retention_days`, in the caller's transaction."""
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    old_messages = select(Message.id).where(Message.created_at < cutoff)
    report = PurgeReport()
    report.responses = session.exec(
        delete(Response).where((Response.created_at < cutoff) | Response.message_id.in_(old_messages))
    ).rowcount
    # Every message of an alert is evidence: the one that raised it and each later disclosure linked to it.
    kept = select(AlertMessage.message_id).union(select(Alert.message_id).where(Alert.message_id.is_not(None)))
    report.messages = session.exec(delete(Message).where(Message.created_at < cutoff, Message.id.not_in(kept))).rowcount
    return report
