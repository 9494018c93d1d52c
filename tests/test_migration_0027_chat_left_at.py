"""Migration 0027 records when a web chat was left with "Leave this page" (`chatsession.left_at`): chats already
stored were not known to be left, so they stay in use (NULL). Down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import ChatSession, Participant

AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def test_chats_stored_before_are_not_left(database_url):
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Participant(id=1, source="webchat"))
        session.flush()
        session.add(ChatSession(id=1, token_hash="a" * 64, participant_id=1, created_at=AT, last_seen_at=AT))
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0026")
    with engine.connect() as connection:
        assert "left_at" not in {column["name"] for column in inspect(connection).get_columns("chatsession")}
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, left_at FROM chatsession")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(1, None)]
