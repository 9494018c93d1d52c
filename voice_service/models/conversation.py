"""Conversations: the workers' handling of what a young person texts or chats outside a survey.

The messages themselves stay `Message` rows (one path for every message); a conversation
records who is dealing with them, whether they were answered, referred or closed. One
thread per young person at a time: a closed conversation stays closed, and their next
message starts a new one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class ConversationStatus:
    """Named conversation states: open (nobody has it), assigned (a worker has it), closed."""

    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"
    ALL = (OPEN, ASSIGNED, CLOSED)
    ACTIVE = (OPEN, ASSIGNED)


class Conversation(SQLModel, table=True):
    """A thread with one young person; an assigned one names its worker, a closed one says who closed it and when."""

    __table_args__ = (
        CheckConstraint("status IN ('open', 'assigned', 'closed')", name="ck_conversation_status"),
        CheckConstraint("status <> 'assigned' OR assigned_to IS NOT NULL", name="ck_conversation_assigned"),
        CheckConstraint(
            "status <> 'closed' OR (closed_at IS NOT NULL AND closed_by IS NOT NULL)", name="ck_conversation_closed"
        ),
        CheckConstraint("referred_at IS NULL OR referred_by IS NOT NULL", name="ck_conversation_referred"),
        # Two workers acting on the same new thread at once make one conversation, not two.
        UniqueConstraint("participant_id", "started_at", name="uq_conversation_thread"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    status: str = Field(default=ConversationStatus.OPEN, max_length=10)
    assigned_to: str | None = Field(default=None, max_length=254)
    # Messages from `started_at` on belong to this thread (the first one not yet in a closed thread).
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The team's latest answer to them: a written reply, or a call they answered or a visit recorded (`Contact`).
    last_reply_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_reply_by: str | None = Field(default=None, max_length=254)
    # The reply form's one-off id: a form sent twice is answered once.
    last_reply_token: str | None = Field(default=None, max_length=40)
    referred_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    referred_by: str | None = Field(default=None, max_length=254)
    referral_note: str | None = Field(default=None, sa_type=Text)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContactOutcome:
    """How a worker tried to reach a young person outside the service, and whether they did: a call they answered
    or a visit answers the thread as a written reply does (`REACHED`); a call nobody answered is kept, and does not."""

    SPOKE = "spoke"  # phoned them and spoke with them
    NO_ANSWER = "no_answer"  # phoned them and could not reach them
    MET = "met"  # saw them in person
    ALL = (SPOKE, NO_ANSWER, MET)
    REACHED = (SPOKE, MET)


class Contact(SQLModel, table=True):
    """A call or visit a worker recorded on a young person's thread: who, when, how it went, and a note."""

    __table_args__ = (
        CheckConstraint("outcome IN ('spoke', 'no_answer', 'met')", name="ck_contact_outcome"),
        # The form's one-off id: a form sent twice (a double click) is recorded once.
        UniqueConstraint("conversation_id", "token", name="uq_contact_token"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    outcome: str = Field(max_length=10)
    note: str | None = Field(default=None, sa_type=Text)
    # Recorded while an alert of theirs was live: the note is part of the duty team's safeguarding record, shown
    # only to accounts that may read a disclosure (`accounts.may_see_disclosure`), as the disclosure is.
    safeguarding: bool = False
    token: str | None = Field(default=None, max_length=40)
    recorded_by: str = Field(max_length=254)
    # When the call or visit was, as the worker gave it (now, unless they said it was earlier); `created_at` is when
    # it was recorded. The conversation shows it where it happened, and it answers only what came before it.
    happened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
