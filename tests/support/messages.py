"""What the database holds of a text, for tests that check a text was stored once (not lost, not twice)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from voice_service.models import Direction, Message


def stored(services, sid: str) -> int:
    """How many incoming messages with this MessageSid are stored."""
    with Session(services.engine) as session:
        query = select(func.count()).where(Message.provider_sid == sid, Message.direction == Direction.IN)
        return session.execute(query).scalar_one()
