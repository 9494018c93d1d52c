"""Safeguarding alerts: persisted with the messages that raised them, notified until a duty worker acts.

An alert's life: open (raised, the duty team notified, re-notified and then escalated while nobody
acknowledges it) -> acknowledged (someone has it: who and when) -> closed (what was done, by whom).
Check constraints make the impossible states unstorable: closed without an action or a closer,
acknowledged without a name, an unknown priority or action.

Each thing a duty worker does to an alert (acknowledge it, record what was done, hand it over, add a note,
close it) is an `AlertEntry`: who, when, and the note they wrote with it, so the alert is a safeguarding record
that says who did what and when. The `Alert` row holds where it stands now.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class AlertStatus:
    """Named alert states."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"
    ALL = (OPEN, ACKNOWLEDGED, CLOSED)
    # Not closed: a further disclosure from the same young person is added to an alert in these states.
    LIVE = (OPEN, ACKNOWLEDGED)


class AlertPriority:
    """How urgent the screen judged an alert ("low" when only the model fired, at middling confidence)."""

    HIGH = "high"
    LOW = "low"
    ALL = (HIGH, LOW)


class AlertAction:
    """What the duty worker did, recorded before an alert is closed."""

    CALLED = "called"
    VISITED = "visited"
    REFERRED = "referred"
    NO_FURTHER_ACTION = "no_further_action"
    ALL = (CALLED, VISITED, REFERRED, NO_FURTHER_ACTION)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Alert(SQLModel, table=True):
    """A possible risk of harm to a young person, and what the duty team did about it."""

    __table_args__ = (
        CheckConstraint(f"status IN ({_sql_list(AlertStatus.ALL)})", name="ck_alert_status"),
        CheckConstraint(
            "status = 'open' OR (acknowledged_at IS NOT NULL AND acknowledged_by IS NOT NULL)",
            name="ck_alert_ack",
        ),
        CheckConstraint(f"priority IN ({_sql_list(AlertPriority.ALL)})", name="ck_alert_priority"),
        CheckConstraint(
            f"action_taken IS NULL OR action_taken IN ({_sql_list(AlertAction.ALL)})", name="ck_alert_action"
        ),
        # Closed exactly when it says who closed it and when, and only once an action is recorded.
        CheckConstraint(
            "(status = 'closed' AND closed_at IS NOT NULL AND closed_by IS NOT NULL AND action_taken IS NOT NULL)"
            " OR (status <> 'closed' AND closed_at IS NULL AND closed_by IS NULL)",
            name="ck_alert_closed",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    # The message that raised it; later disclosures are linked through AlertMessage.
    message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    channel: str = Field(default="sms", max_length=10)
    categories: list = Field(default_factory=list, sa_type=JSON)
    priority: str = Field(default=AlertPriority.HIGH, max_length=4)
    # Which rule or score fired, e.g. "lexicon: self_harm (wants to die)", "model: 0.71".
    reasons: list = Field(default_factory=list, sa_type=JSON)
    excerpt: str = Field(sa_type=Text)
    status: str = Field(default=AlertStatus.OPEN, max_length=15, index=True)
    # Raised when a spooled message was replayed after an outage, so later than it was sent.
    delayed: bool = False
    # Raised outside office hours ([safeguarding] office_hours), when the duty desk may be empty.
    out_of_hours: bool = False
    message_count: int = 1
    notified_count: int = 0
    last_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_message_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: str | None = Field(default=None, max_length=120)
    # Notes written before each was kept as an `AlertEntry` with who wrote it and when (migration 0028), one a line.
    note: str | None = Field(default=None, sa_type=Text)
    # The latest thing recorded as done (every one is an `AlertEntry`).
    action_taken: str | None = Field(default=None, max_length=20)
    # Who has it now, after a hand-over between duty workers (None: whoever acknowledged it).
    assigned_to: str | None = Field(default=None, max_length=120)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=120)


class AlertMessage(SQLModel, table=True):
    """Each message that belongs to an alert: the one that raised it and every later disclosure added to it."""

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    message_id: int = Field(foreign_key="message.id", unique=True)
    categories: list = Field(default_factory=list, sa_type=JSON)
    priority: str = Field(default=AlertPriority.HIGH, max_length=4)
    reasons: list = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AlertStep:
    """What a duty worker did to an alert, one `AlertEntry` each."""

    ACKNOWLEDGED = "acknowledged"
    ACTION = "action"  # recorded what was done (`AlertEntry.action`)
    HANDED_OVER = "handed_over"  # to `AlertEntry.handed_to`
    NOTE = "note"  # a note alone, on an alert someone already has
    CLOSED = "closed"  # with what was done at closing, when the closer said (`AlertEntry.action`)
    ALL = (ACKNOWLEDGED, ACTION, HANDED_OVER, NOTE, CLOSED)


class AlertEntry(SQLModel, table=True):
    """One step in an alert's record: who did what and when, and the note they wrote with it.

    Rows are added, never changed, except that erasure and retention clear the note (as they clear `Alert.note`).
    """

    __table_args__ = (
        CheckConstraint(f"kind IN ({_sql_list(AlertStep.ALL)})", name="ck_alertentry_kind"),
        CheckConstraint(f"action IS NULL OR action IN ({_sql_list(AlertAction.ALL)})", name="ck_alertentry_action"),
        # Recording what was done names it; a hand-over names who took it over.
        CheckConstraint("kind <> 'action' OR action IS NOT NULL", name="ck_alertentry_action_named"),
        CheckConstraint("kind <> 'handed_over' OR handed_to IS NOT NULL", name="ck_alertentry_handed_to"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    kind: str = Field(max_length=15)
    # The duty account's email, as `Alert.acknowledged_by` holds it (or a name typed on the command line).
    by: str = Field(max_length=120)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    action: str | None = Field(default=None, max_length=20)
    handed_to: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, sa_type=Text)
