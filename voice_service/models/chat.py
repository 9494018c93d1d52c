"""Web chat sessions: one chat on one device, bound to a participant, found by a hashed token."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ChatSession(SQLModel, table=True):
    """A web chat on one device. The device holds the token; we keep only its SHA-256,
    so a copy of the database cannot be used to carry on someone's chat."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    via_invite: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # When "Leave this page" was pressed in it (from our own page, which forgets it on that device); None while it is
    # in use, and again once they carry on in it. Only a time: nothing of who or where.
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
