"""The audit log: what `record` accepts, append-only in the ORM and in the database, search and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, InternalError, OperationalError
from sqlmodel import Session

from voice_service.audit import AuditError, AuditFilter, count, record, search, to_csv
from voice_service.db import session_scope
from voice_service.models import AuditEvent, utcnow
from voice_service.models.audit import AuditLogIsAppendOnly


def test_a_row_says_who_what_which_when_and_where(services, users):
    account = users("duty")
    now = utcnow()
    with session_scope(services.engine) as session:
        from voice_service.models import User

        user = session.get(User, account.id)
        event = record(
            session=session, actor=user, action="alert.view", subject_type="alert", subject_id=7, ip="10.1.2.3", now=now
        )
        assert (
            event.actor,
            event.actor_id,
            event.action,
            event.subject_type,
            event.subject_id,
            event.ip,
            event.at,
        ) == (
            account.email,
            account.id,
            "alert.view",
            "alert",
            "7",
            "10.1.2.3",
            now,
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"action": "viewed the alert"},
        {"action": "alert"},
        {"action": "alert.view", "subject_type": "Alert Type"},
        {"action": "alert.view", "subject_type": "participant", "subject_id": "+447700900123"},
        {"action": "alert.view", "subject_type": "participant", "subject_id": "07700900123"},
        {"action": "alert.view", "subject_type": "message", "subject_id": "i want to die"},
        {"action": "alert.view", "actor": "+447700900123"},
        {"action": "alert.view", "actor": ""},
    ],
)
def test_text_and_numbers_are_refused(services, kwargs):
    kwargs = {"actor": "system", **kwargs}
    with session_scope(services.engine) as session:
        with pytest.raises(AuditError):
            record(session=session, **kwargs)


def _one(services) -> int:
    with session_scope(services.engine) as session:
        return record(session=session, actor="system", action="test.event", subject_type="alert", subject_id=1).id


def test_the_orm_refuses_to_change_or_remove_a_row(services):
    event_id = _one(services)
    with Session(services.engine) as session:
        event = session.get(AuditEvent, event_id)
        event.action = "test.forged"
        with pytest.raises(AuditLogIsAppendOnly):
            session.flush()
    with Session(services.engine) as session:
        session.delete(session.get(AuditEvent, event_id))
        with pytest.raises(AuditLogIsAppendOnly):
            session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        lambda: update(AuditEvent).values(action="test.forged"),
        lambda: delete(AuditEvent),
        lambda: text("UPDATE auditevent SET actor = 'someone else'"),
        lambda: text("DELETE FROM auditevent"),
    ],
)
def test_the_database_refuses_too(services, statement):
    """Bulk statements skip the ORM's per-row events; the migration's triggers still refuse them."""
    event_id = _one(services)
    with Session(services.engine) as session:
        with pytest.raises((IntegrityError, OperationalError, InternalError, DBAPIError), match="append-only"):
            session.execute(statement())
            session.flush()
        session.rollback()
    with Session(services.engine) as session:
        assert session.get(AuditEvent, event_id).action == "test.event"


def test_emptying_the_table_is_refused(services):
    """PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite has no TRUNCATE, only DELETE."""
    _one(services)
    emptying = "TRUNCATE auditevent" if services.engine.dialect.name == "postgresql" else "DELETE FROM auditevent"
    with Session(services.engine) as session:
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(emptying))
        session.rollback()
    with Session(services.engine) as session:
        assert count(session=session) == 1


def test_search_filters_and_csv(services):
    now = utcnow()
    with session_scope(services.engine) as session:
        record(
            session=session, actor="a@council.test", action="alert.view", subject_type="alert", subject_id=1, now=now
        )
        record(
            session=session,
            actor="a@council.test",
            action="alert.acknowledge",
            subject_type="alert",
            subject_id=1,
            now=now + timedelta(seconds=1),
        )
        record(
            session=session,
            actor="b@council.test",
            action="participant.view",
            subject_type="participant",
            subject_id="P-1A2B3C4D",
            now=now - timedelta(days=3),
        )
        record(session=session, actor="=HYPERLINK(1)", action="auth.sign_in_failed", now=now)
    with session_scope(services.engine) as session:
        assert count(session=session) == 4
        assert [e.action for e in search(session=session, filters=AuditFilter(action="alert"))] == [
            "alert.acknowledge",
            "alert.view",
        ]
        assert count(session=session, filters=AuditFilter(action="alert.view")) == 1
        assert count(session=session, filters=AuditFilter(actor="B@Council.test")) == 1
        assert count(session=session, filters=AuditFilter(subject_type="participant", subject_id="P-1A2B3C4D")) == 1
        assert count(session=session, filters=AuditFilter(since=now - timedelta(days=1))) == 3
        assert count(session=session, filters=AuditFilter(until=now - timedelta(days=1))) == 1
        rows = list(csv.DictReader(io.StringIO(to_csv(search(session=session, limit=None)))))
    assert list(rows[0]) == ["id", "at", "actor", "action", "subject_type", "subject_id", "ip"]
    assert rows[0]["action"] == "alert.acknowledge" and rows[-1]["action"] == "participant.view", "newest first"
    assert {row["subject_id"] for row in rows} == {"1", "P-1A2B3C4D", ""}
    assert {row["actor"] for row in rows} >= {"a@council.test", "'=HYPERLINK(1)"}, "no cell may start a formula"
