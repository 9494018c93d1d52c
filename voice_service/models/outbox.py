"""The outbox: everything that leaves the service, written in the transaction that caused it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, Text
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


class OutboxKind:
    """What a row is for. Alert notices jump the queue, ignore send windows and are retried until sent."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    CLOSING = "closing"
    LOOP = "loop"
    TEXT = "text"
    REPLY = "reply"  # a worker's answer in the conversations inbox
    ALERT = "alert"  # the first notice of a safeguarding alert, and its re-notifications
    ALERT_UPDATE = "alert_update"  # "new message on alert #N"
    ESCALATION = "escalation"  # an unacknowledged alert, to the escalation contacts
    ALERT_CHANGED = "alert_changed"  # "UPDATED: alert #N now high priority (was low): ...", to everyone told
    ALERT_ACKNOWLEDGED = "alert_acknowledged"  # an escalated alert picked up, to the escalation contacts
    ALERT_CLOSED = "alert_closed"  # an escalated alert closed, to the escalation contacts
    # The early notice of a worrying message spooled while the database was unavailable (`spool.early`): sent
    # straight from the spool, never an outbox row (there is no database to hold one).
    ALERT_EARLY = "alert_early"
    PANEL_EMAIL = "summary"  # the round summary to the panel (an email with the PDF attached)
    # Texts that wait for the send window and are never sent to a number that said STOP.
    SURVEY = (INVITATION, REMINDER, CLOSING, LOOP, REPLY)
    ALERTS = (ALERT, ALERT_UPDATE, ESCALATION, ALERT_CHANGED, ALERT_ACKNOWLEDGED, ALERT_CLOSED)


class OutboxMessage(SQLModel, table=True):
    """A message waiting to be sent, or a record of one sent.

    `key` makes queuing idempotent ("invitation:<round>:<participant>"); what a row is about
    is in typed columns (`alert_id`, `attempt`, `round_id`), never parsed back out of the key.
    The destination (a phone number, email address or URL) is stored encrypted.
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
    kind: str = Field(max_length=20)  # an OutboxKind value
    channel: str = Field(default="sms", max_length=10)  # sms | email | webhook
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="round.id", index=True)
    # For alert notices: which alert, and which notification round (0 first, then each re-notice).
    alert_id: int | None = Field(default=None, foreign_key="alert.id", index=True)
    attempt: int | None = None
    to_encrypted: str = Field(sa_type=Text)
    to_hash: str | None = Field(default=None, max_length=64, index=True)
    # A safeguarding notice's route, by its place in the settings ("webhook_url", "duty_phones:0"): the
    # dispatcher sends it to that route as configured when it goes (`outbox.readdress`), not as when queued.
    route: str | None = Field(default=None, max_length=40)
    body: str = Field(sa_type=Text)
    # Email only: the subject line, an optional HTML alternative, and files to attach
    # ([{"path": ..., "filename": ..., "content_type": ...}], read when the email is sent).
    subject: str | None = Field(default=None, max_length=200)
    html_body: str | None = Field(default=None, sa_type=Text)
    attachments: list | None = Field(default=None, sa_type=JSON)
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
    # The dispatcher holding a "sending" row ("host:pid:process-start") and when it claimed it: a lease,
    # so a live dispatcher's row is never taken over and a dead one's is reconciled, not re-sent.
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
