"""A summary given out again after an erasure (trial 10, T10-12): someone holding the copy from before and the
one from after could set them side by side and read off what the erased young person said. The figures are
right to change (the erasure must reach them), so nothing is refused; the worker is told before they share it.

A round's summary has been given out when the audit log records it downloaded or read (the dashboard's files,
`voice-service summary`) or the outbox holds its panel email. An erasure records each round the person was in
("summary.erasure", subject the round, never the person: `privacy.subject.erase_subject`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..models import AuditEvent, OutboxKind, OutboxMessage

ERASED_FROM_ROUND = "summary.erasure"
# What counts as giving a summary out: a file downloaded or opened, by the dashboard or the command.
GIVEN_OUT = ("summary.download", "summary.read")

CHANGED_BY_ERASURE = (
    "This summary has changed since it was first shared, because a young person's information was erased "
    "at their request. Anyone with both copies could compare them and work out that young person's answers. "
    "Share this copy only with people who need it, and ask anyone with the old copy to delete it."
)


def _first_given_out(session: Session, round_id: int) -> datetime | None:
    subject = str(round_id)
    read = session.scalar(
        select(func.min(col(AuditEvent.at))).where(
            col(AuditEvent.action).in_(GIVEN_OUT),
            col(AuditEvent.subject_type) == "round",
            col(AuditEvent.subject_id) == subject,
        )
    )
    emailed = session.scalar(
        select(func.min(col(OutboxMessage.created_at))).where(
            col(OutboxMessage.kind) == OutboxKind.PANEL_EMAIL, col(OutboxMessage.round_id) == round_id
        )
    )
    times = [t for t in (read, emailed) if t is not None]
    return min(times) if times else None


def erased_since_given_out(*, session: Session, round_id: int) -> str | None:
    """`CHANGED_BY_ERASURE` when someone in the round was erased after its summary was first given out, else
    None. Ask before recording this giving out, or it would count as the first."""
    first = _first_given_out(session, round_id)
    if first is None:
        return None
    erased = session.scalar(
        select(func.max(col(AuditEvent.at))).where(
            col(AuditEvent.action) == ERASED_FROM_ROUND,
            col(AuditEvent.subject_type) == "round",
            col(AuditEvent.subject_id) == str(round_id),
        )
    )
    return CHANGED_BY_ERASURE if erased is not None and erased > first else None
