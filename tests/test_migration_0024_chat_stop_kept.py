"""Migration 0024 keeps a chat STOP on the young person with no number (`participant.chat_stopped_at`): those
already stored are given what was read as one until now, when a run of theirs last ended by their STOP; a number's
STOP stays on the register alone, and a run ended any other way is no STOP. Down and up again, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import Participant, Round, Run, SurveyVersion, as_utc

AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def _run(id_: int, *, participant: int, status: str, ended_at: datetime, round_id: int = 1) -> Run:
    return Run(
        id=id_, participant_id=participant, round_id=round_id, survey_version_id=1, status=status, ended_at=ended_at
    )


def test_chat_stops_read_from_stopped_runs_are_kept_on_the_young_person(database_url):
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(SurveyVersion(id=1, survey_id="check-in", version="1", title="Check-in", source=""))
        session.add_all(
            [
                Participant(id=1, source="webchat"),  # STOP in the chat, twice: the later
                Participant(id=2, source="webchat"),  # their round closed on them: no STOP
                Participant(id=3, phone_hash="a" * 64),  # a number: its STOP is on the register
                Participant(id=4, source="webchat"),  # nothing run
            ]
        )
        session.flush()
        session.add(Round(id=1, survey_id="check-in", survey_version_id=1, opens_at=AT))
        session.add(Round(id=2, survey_id="check-in", survey_version_id=1, opens_at=AT + timedelta(days=1)))
        session.flush()
        session.add_all(
            [
                _run(1, participant=1, status="stopped", ended_at=AT),
                _run(2, participant=1, status="stopped", ended_at=AT + timedelta(days=2), round_id=2),
                _run(3, participant=2, status="closed", ended_at=AT),
                _run(4, participant=3, status="stopped", ended_at=AT),
            ]
        )
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0023")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, chat_stopped_at FROM participant ORDER BY id")).all()
    engine.dispose()

    def when(value):
        return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)

    assert [(pid, when(at) if at is not None else None) for pid, at in rows] == [
        (1, AT + timedelta(days=2)),
        (2, None),
        (3, None),
        (4, None),
    ]
