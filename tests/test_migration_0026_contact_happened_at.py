"""Migration 0026 gives each call or visit the time it was (`contact.happened_at`), apart from when it was recorded:
those already stored were recorded as they happened, so they are given their `created_at`. Down and up again, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import Contact, Conversation, Participant, as_utc

AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def test_calls_recorded_before_it_happened_when_they_were_recorded(database_url):
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Participant(id=1, source="webchat"))
        session.flush()
        session.add(Conversation(id=1, participant_id=1, started_at=AT, created_at=AT, updated_at=AT))
        session.flush()
        session.add_all(
            [
                Contact(id=1, conversation_id=1, participant_id=1, outcome="spoke", recorded_by="a@x", created_at=AT),
                Contact(
                    id=2,
                    conversation_id=1,
                    participant_id=1,
                    outcome="no_answer",
                    recorded_by="a@x",
                    created_at=AT + timedelta(hours=3),
                ),
            ]
        )
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0025")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, happened_at FROM contact ORDER BY id")).all()
    engine.dispose()

    def when(value):
        return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)

    assert [(cid, when(at)) for cid, at in rows] == [(1, AT), (2, AT + timedelta(hours=3))]
