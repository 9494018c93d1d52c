"""Retention with a controlled clock, on SQLite and PostgreSQL: raw text goes after retention_days while
themes, sentiment and counts stay; people not heard from are removed; silent anonymous chats go after a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from tests.privacy.dumps import dump_database, find_numbers
from voice_service.db import session_scope
from voice_service.models import (
    Alert,
    AlertMessage,
    AlertStatus,
    ChatSession,
    Message,
    OutboxMessage,
    Participant,
    Response,
)
from voice_service.privacy.retention import RETIRED_EXCERPT, purge_expired
from voice_service.privacy.storage import checkpoint
from voice_service.scheduler import jobs

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=800)
RECENT = NOW - timedelta(days=10)
OLWEN = "+447700900301"


def _person(session, services, name, phone=None, *, created=OLD, source="import") -> Participant:
    participant = Participant(
        first_name=name,
        date_of_birth=date(2010, 3, 4) if name else None,
        area="North" if name else None,
        phone_hash=services.vault.hash(phone) if phone else None,
        phone_encrypted=services.vault.encrypt(phone) if phone else None,
        source=source,
        created_at=created,
        updated_at=created,
    )
    session.add(participant)
    session.flush()
    return participant


def _said(session, participant, text, when, *, theme="contact") -> Message:
    message = Message(direction="in", participant_id=participant.id, body=text, created_at=when)
    session.add(message)
    session.flush()
    session.add(
        Response(
            participant_id=participant.id,
            message_id=message.id,
            question_id="one_thing",
            kind="text",
            answer=text,
            value_text=text[:200],
            themes=[theme],
            sentiment="negative",
            score=-0.5,
            created_at=when,
        )
    )
    return message


def _build(services):
    with session_scope(services.engine) as session:
        olwen = _person(session, services, "Olwen", OLWEN)
        _said(session, olwen, "my brother visits are always cancelled", OLD)
        old_alert = _said(session, olwen, "olwen disclosure long ago", OLD)
        session.add(
            Alert(
                participant_id=olwen.id,
                message_id=old_alert.id,
                excerpt="olwen disclosure long ago",
                status=AlertStatus.CLOSED,
                acknowledged_at=OLD,
                acknowledged_by="duty",
                closed_at=OLD,
                closed_by="duty",
                action_taken="called",
                reasons=["lexicon: self_harm (olwen disclosure)"],
                note="called Olwen's carer",
                categories=["self_harm"],
                created_at=OLD,
            )
        )
        session.add(
            OutboxMessage(
                key="invite:1:olwen",
                kind="invitation",
                participant_id=olwen.id,
                to_encrypted=olwen.phone_encrypted,
                to_hash=olwen.phone_hash,
                body="Hi Olwen, it's the Voice team",
                status="delivered",
                created_at=OLD,
            )
        )
        rhys = _person(session, services, "Rhys", "+447700900302")
        _said(session, rhys, "rhys said this long ago", OLD)
        _said(session, rhys, "rhys said this last week", RECENT)
        tegan = _person(session, services, "Tegan", "+447700900303")
        unread = _said(session, tegan, "tegan unread disclosure", OLD)
        session.add(
            Alert(participant_id=tegan.id, message_id=unread.id, excerpt="tegan unread disclosure", created_at=OLD)
        )
        silent_old = _person(session, services, None, source="webchat", created=NOW - timedelta(days=2))
        silent_new = _person(session, services, None, source="webchat", created=NOW - timedelta(hours=2))
        spoke = _person(session, services, None, source="webchat", created=NOW - timedelta(days=2))
        _said(session, spoke, "i like my foster home", NOW - timedelta(days=2))
        for who in (silent_old, silent_new, spoke):
            session.add(
                ChatSession(
                    token_hash=f"{who.id:064d}",
                    participant_id=who.id,
                    created_at=who.created_at,
                    last_seen_at=who.created_at,
                )
            )
            session.add(
                Message(
                    direction="out",
                    channel="webchat",
                    participant_id=who.id,
                    body="Hi! Reply YES",
                    created_at=who.created_at,
                )
            )
        return {
            "olwen": olwen.id,
            "rhys": rhys.id,
            "tegan": tegan.id,
            "silent_old": silent_old.id,
            "silent_new": silent_new.id,
            "spoke": spoke.id,
        }


def test_purge_keeps_the_analysis_and_removes_the_person(services, database_url):
    ids = _build(services)
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=730, now=NOW)
    checkpoint(services.engine)  # as the command and the scheduler's job do
    assert (report.participants, report.silent_chats) == (1, 1)
    with Session(services.engine) as session:
        olwen = session.get(Participant, ids["olwen"])
        assert olwen.source == "removed" and olwen.first_name is None and olwen.date_of_birth is None
        assert olwen.phone_hash is None and olwen.phone_encrypted is None and olwen.area is None
        assert olwen.age_band == "16-17"  # 16 on the day it was removed, kept for the counts
        answers = session.exec(select(Response).where(Response.participant_id == ids["olwen"])).all()
        assert len(answers) == 2 and all(a.answer == "" and a.value_text is None for a in answers)
        assert all(a.themes == ["contact"] and a.sentiment == "negative" for a in answers)
        outbox = session.exec(select(OutboxMessage)).one()
        assert (outbox.body, outbox.to_encrypted, outbox.status) == ("", "", "delivered")
        settled = session.exec(select(Alert).where(Alert.status == AlertStatus.CLOSED)).one()
        assert settled.excerpt == RETIRED_EXCERPT and settled.note is None and settled.categories == ["self_harm"]
        assert settled.reasons == ["lexicon: self_harm"] and settled.action_taken == "called"
        # Heard from last week: kept, with only last week's words.
        rhys = session.get(Participant, ids["rhys"])
        assert rhys.first_name == "Rhys"
        bodies = {m.body for m in session.exec(select(Message)).all()}
        assert "rhys said this last week" in bodies and "rhys said this long ago" not in bodies
        # An alert nobody has read keeps its message and its person.
        assert "tegan unread disclosure" in bodies and session.get(Participant, ids["tegan"]).first_name == "Tegan"
        # Silent anonymous chats go after a day; one that spoke, or is new, stays.
        assert session.get(Participant, ids["silent_old"]) is None
        assert session.get(Participant, ids["silent_new"]) is not None
        assert session.get(Participant, ids["spoke"]) is not None
        assert len(session.exec(select(ChatSession)).all()) == 2
    dump = dump_database(database_url)
    for trace in ("Olwen", "brother visits", "olwen disclosure", "rhys said this long ago"):
        assert trace not in dump, trace
    assert find_numbers(dump, [OLWEN]) == []
    # Running it again changes nothing.
    with session_scope(services.engine) as session:
        again = purge_expired(session=session, retention_days=730, now=NOW)
    assert (again.participants, again.messages, again.responses, again.outbox, again.alerts) == (0, 0, 0, 0, 0)


def test_nothing_younger_than_the_period_is_touched(services):
    ids = _build(services)
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=900, now=NOW)
    assert (report.participants, report.messages, report.responses, report.outbox) == (0, 0, 0, 0)
    with Session(services.engine) as session:
        assert session.get(Participant, ids["olwen"]).first_name == "Olwen"


def test_the_scheduled_job_applies_the_configured_period(services):
    ids = _build(services)
    report = jobs.purge_old_data(services, now=NOW)
    assert report.participants == 1
    with Session(services.engine) as session:
        assert session.get(Participant, ids["olwen"]).first_name is None


def test_an_acknowledged_alert_keeps_every_message_and_its_person(services):
    """Trial finding 28: an acknowledged (live, not closed) alert older than the period had its message deleted
    under it, and the purge died on the foreign key, every night, for everyone. A live alert keeps the message
    that raised it, every message added to it later, and its young person; the rest is purged as usual."""
    ids = _build(services)
    with session_scope(services.engine) as session:
        macsen = _person(session, services, "Macsen", "+447700900304")
        first = _said(session, macsen, "macsen first disclosure", OLD)
        later = _said(session, macsen, "macsen asked for help", OLD + timedelta(minutes=5))
        alert = Alert(
            participant_id=macsen.id,
            message_id=first.id,
            excerpt="macsen first disclosure",
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_at=OLD,
            acknowledged_by="duty",
            created_at=OLD,
        )
        session.add(alert)
        session.flush()
        session.add(AlertMessage(alert_id=alert.id, message_id=first.id, created_at=OLD))
        session.add(AlertMessage(alert_id=alert.id, message_id=later.id, created_at=OLD))
        macsen_id = macsen.id
    with session_scope(services.engine) as session:
        report = purge_expired(session=session, retention_days=730, now=NOW)
    assert report.participants == 1  # Olwen, as before: the purge ran to the end
    with Session(services.engine) as session:
        bodies = {m.body for m in session.exec(select(Message)).all()}
        assert {"macsen first disclosure", "macsen asked for help"} <= bodies
        assert "rhys said this long ago" not in bodies and session.get(Participant, ids["olwen"]).first_name is None
        assert session.get(Participant, macsen_id).first_name == "Macsen"
        assert len(session.exec(select(AlertMessage)).all()) == 2
