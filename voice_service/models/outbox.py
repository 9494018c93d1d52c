"""The outbox: everything that leaves the service, written in the transaction that caused it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class OutboxStatus:
    """Named outbox states; only pending rows are picked up by the dispatcher."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ALL = (PENDING, SENDING, SENT, DELIVERED, FAILED, CANCELLED)


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be sent, or a record of one sent.

    `key` makes queuing idempotent ("invite:<round>:<participant>"); the destination
    is stored encrypted, like every phone number.
    """

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')",
            name="ck_outbox_status",
        ),
        Index("ix_outbox_due", "status", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=120)
    kind: str = Field(max_length=20)  # invitation | reminder | alert | reply | summary
    channel: str = Field(default="sms", max_length=10)  # sms | email | webhook
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    to_encrypted: str = Field(sa_type=Text)
    to_hash: str | None = Field(default=None, max_length=64, index=True)
    body: str = Field(sa_type=Text)
    respect_window: bool = True
    under_16: bool = False
    status: str = Field(default=OutboxStatus.PENDING, max_length=10)
    attempts: int = 0
    not_before: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    provider_sid: str | None = Field(default=None, max_length=64, index=True)
    error_code: str | None = Field(default=None, max_length=20)
    error_message: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The dispatcher holding a "sending" row ("host:pid:token") and when it claimed it: a lease,
    # so a live dispatcher's row is never taken over and a dead one's is reconciled, not re-sent.
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
