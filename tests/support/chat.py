"""Web chat helpers for tests."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from voice_service.db import session_scope
from voice_service.models import ChatSession
from voice_service.web.chat.sessions import AWAY


def step_away(services) -> None:
    """Every chat was last used longer ago than `AWAY`: reopened now, it is a return, greeted "Welcome back!"."""
    with session_scope(services.engine) as session:
        for chat in session.exec(select(ChatSession)).all():
            chat.last_seen_at = chat.last_seen_at - AWAY - timedelta(minutes=1)
