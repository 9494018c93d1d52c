"""Safeguarding alerts: persisted with the message that raised them, then notified until acknowledged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class AlertStatus:
    """Named alert states."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ALL = (OPEN, ACKNOWLEDGED)


class Alert(SQLModel, table=True):
    """A possible risk of harm to a young person; an acknowledged alert says who and when."""

    __table_args__ = (
        CheckConstraint("status IN ('open', 'acknowledged')", name="ck_alert_status"),
        CheckConstraint(
            "status = 'open' OR (acknowledged_at IS NOT NULL AND acknowledged_by IS NOT NULL)",
            name="ck_alert_ack",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    channel: str = Field(default="sms", max_length=10)
    categories: list = Field(default_factory=list, sa_type=JSON)
    excerpt: str = Field(sa_type=Text)
    status: str = Field(default=AlertStatus.OPEN, max_length=15)
    notified_count: int = 0
    last_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, sa_type=Text)
