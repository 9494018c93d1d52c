"""The audit log: who did what to which record, when and from where. Append-only.

It never holds message text or a phone number: a row names the subject by type and id
(`alert` 12, `participant` 40), and the action by a short dotted name (`alert.view`,
`alert.reveal_number`). Rows can be added, never changed or removed: the ORM refuses
(see `voice_service.audit`), and the database refuses too (triggers made by the migration).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, event
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One audited view or change. `actor` is the account's email (or `cli:<user>`, `system`),
    copied so the row still says who after an account is removed; `actor_id` is the account."""

    __table_args__ = (Index("ix_auditevent_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor: str = Field(max_length=254, index=True)
    actor_id: int | None = None
    action: str = Field(max_length=60, index=True)
    subject_type: str | None = Field(default=None, max_length=40)
    subject_id: str | None = Field(default=None, max_length=64)
    ip: str | None = Field(default=None, max_length=45)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


def _refuse(operation: str):
    def listener(mapper, connection, target) -> None:
        raise AuditLogIsAppendOnly(f"the audit log is append-only: {operation} of audit row {target.id} refused")

    return listener


# The ORM refuses before the database is even asked (the migration's triggers catch the rest).
event.listen(AuditEvent, "before_update", _refuse("update"))
event.listen(AuditEvent, "before_delete", _refuse("delete"))
