"""Every message in and out, for the transcript and for de-duplicating webhook retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class Direction:
    """Which way a message went."""

    IN = "in"
    OUT = "out"


class Message(SQLModel, table=True):
    """One inbound or outbound message. Inbound ones are unique per channel and provider id
    (Twilio's MessageSid), and keep the replies that were sent so a retry gets the same answer."""

    __table_args__ = (
        UniqueConstraint("channel", "provider_sid", name="uq_message_channel_sid"),
        CheckConstraint("direction IN ('in', 'out')", name="ck_message_direction"),
        # Only the few that ask for a person are indexed: every other message, in or out, is stored without
        # touching this index (migration 0016).
        Index(
            "ix_message_wants_person",
            "wants_person",
            postgresql_where=text("wants_person"),
            sqlite_where=text("wants_person"),
        ),
        # Only web chat messages have a chat: SMS rows are stored without touching this index (as 0016's are).
        Index(
            "ix_message_chat_session_id",
            "chat_session_id",
            postgresql_where=text("chat_session_id IS NOT NULL"),
            sqlite_where=text("chat_session_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(max_length=3)
    channel: str = Field(default="sms", max_length=10)
    provider_sid: str | None = Field(default=None, max_length=64)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    run_id: int | None = Field(default=None, foreign_key="run.id")
    body: str = Field(sa_type=Text)
    replies: list | None = Field(default=None, sa_type=JSON)
    # An inbound message asking to talk to a person ("can someone call me"): the workers' inbox
    # lists these until someone has replied. Set by the inbound path, never cleared by it.
    wants_person: bool = Field(default=False)
    # How many pictures (or other media: an MMS) an inbound text carried. Only the count is kept: the media
    # are never downloaded, and their addresses (MediaUrl0...) are not stored, as they may show the person.
    media_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The web chat (one device's chat) a message was said in: a young person's message, the replies to it and
    # that chat's opening are shown in that chat alone. None for SMS, and for what the service says into every
    # open chat of theirs (a worker's reply, an invitation, a round's thank-you): `web.chat.sessions._rows`.
    # Cleared when the chat is deleted, which happens only with all their chats (retention, erasure).
    chat_session_id: int | None = Field(default=None, foreign_key="chatsession.id", ondelete="SET NULL")

    @property
    def media_words(self) -> str:
        """What staff pages say for a message that carried pictures ("" for one that did not)."""
        if not self.media_count:
            return ""
        pictures = "a picture" if self.media_count == 1 else f"{self.media_count} pictures"
        return f"Sent {pictures} (picture message). The service does not download or show pictures."
