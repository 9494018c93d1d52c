"""Migration 0028 keeps each step taken on an alert (`alertentry`): who, when, and the note written with it. Going
back down loses who and when but not the notes, which return to `alert.note` in order, after any written before;
up again, the alert is as it was before 0028. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import inspect, text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import Alert, AlertEntry, AlertStep

AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def test_the_notes_of_each_step_survive_a_downgrade(database_url):
    engine = make_engine(database_url)
    with Session(engine) as session:
        session.add(Alert(id=1, excerpt="(test)", status="acknowledged", acknowledged_by="dan", acknowledged_at=AT))
        session.add(Alert(id=2, excerpt="(test)", note="Written before 0028"))
        session.flush()
        session.add(AlertEntry(alert_id=1, kind=AlertStep.ACKNOWLEDGED, by="dan", at=AT, note="Calling now"))
        session.add(AlertEntry(alert_id=1, kind=AlertStep.NOTE, by="dee", at=AT + timedelta(minutes=9), note="Rang"))
        session.add(
            AlertEntry(alert_id=1, kind=AlertStep.ACTION, by="dan", at=AT + timedelta(minutes=5), action="called")
        )
        session.add(AlertEntry(alert_id=2, kind=AlertStep.NOTE, by="dee", at=AT, note="And after"))
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0027")
    with engine.connect() as connection:
        assert "alertentry" not in inspect(connection).get_table_names()
        notes = connection.execute(text("SELECT id, note FROM alert ORDER BY id")).all()
    assert [tuple(row) for row in notes] == [(1, "Calling now\nRang"), (2, "Written before 0028\nAnd after")]
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM alertentry")).scalar() == 0
    engine.dispose()
