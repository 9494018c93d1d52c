"""Migration 0018 gives the web chat messages already stored their chat: each typed message (its provider id
names the chat), the replies stored with it and each chat's opening. A worker's reply stays said to every chat.
Down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import bindparam, text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import ChatSession, Participant
from voice_service.models.base import UTCDateTime

START = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def test_messages_stored_before_0018_get_their_chat(database_url):
    engine = make_engine(database_url)
    tablet_at, phone_at = START, START + timedelta(minutes=1)
    typed_at, worker_at = START + timedelta(minutes=2), START + timedelta(minutes=3)
    with Session(engine) as session:  # tables 0018 does not change, as the models make them
        session.add(Participant(id=1, source="webchat", created_at=START, updated_at=START))
        session.flush()
        session.add(
            ChatSession(id=1, token_hash="a" * 64, participant_id=1, created_at=tablet_at, last_seen_at=tablet_at)
        )
        session.add(
            ChatSession(id=2, token_hash="b" * 64, participant_id=1, created_at=phone_at, last_seen_at=phone_at)
        )
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0017")
    with engine.begin() as connection:
        rows = [  # (id, direction, provider id, body, time)
            (1, "out", None, "opening of the tablet", tablet_at),
            (2, "out", None, "opening of the phone", phone_at),
            (3, "in", "chat2:abc", "typed on the phone", typed_at),
            (4, "out", None, "reply on the phone", typed_at),
            (5, "out", None, "a worker's reply", worker_at),
        ]
        for message_id, direction, sid, body, at in rows:
            connection.execute(
                text(
                    "INSERT INTO message (id, direction, channel, provider_sid, participant_id, body, created_at, "
                    "wants_person, media_count) VALUES (:id, :direction, 'webchat', :sid, 1, :body, :at, false, 0)"
                ).bindparams(bindparam("at", type_=UTCDateTime())),  # times stored as the models store them
                {"id": message_id, "direction": direction, "sid": sid, "body": body, "at": at},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        chats = dict(connection.execute(text("SELECT body, chat_session_id FROM message ORDER BY id")).all())
    engine.dispose()
    assert chats == {
        "opening of the tablet": 1,
        "opening of the phone": 2,
        "typed on the phone": 2,
        "reply on the phone": 2,
        "a worker's reply": None,
    }
