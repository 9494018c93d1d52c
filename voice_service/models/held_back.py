"""Who a round held back, and why it matters: a young person a round did not invite because a safeguarding
alert of theirs was live (at its launch, or as they joined it from the web chat)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class HeldBackStatus:
    """Named states of a held-back invitation."""

    HELD = "held"  # waiting for the duty team to close their alert
    INVITED = "invited"  # invited once it was closed
    OPTED_OUT = "opted_out"  # said STOP while held back: never invited into this round
    ALL = (HELD, INVITED, OPTED_OUT)


class HeldBack(SQLModel, table=True):
    """One young person one round held back while their alert was live, on the channel it would have invited
    them by ("sms", or "webchat" for a chatter joining a round): invited when the alert closes, if the round is
    still open then and they have not said STOP since (`rounds.held_back`)."""

    __table_args__ = (
        CheckConstraint("status IN ('held', 'invited', 'opted_out')", name="ck_heldback_status"),
        CheckConstraint("channel IN ('sms', 'webchat')", name="ck_heldback_channel"),
        CheckConstraint("status != 'invited' OR invited_at IS NOT NULL", name="ck_heldback_invited_at"),
        UniqueConstraint("round_id", "participant_id", name="uq_heldback_round_participant"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    channel: str = Field(default="sms", max_length=10)
    status: str = Field(default=HeldBackStatus.HELD, max_length=10)
    held_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    invited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
