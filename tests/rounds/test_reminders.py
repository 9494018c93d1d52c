"""Reminders: one, after N days, only to those who have not started or finished, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.models import OptOut, OutboxMessage, OutboxStatus, Participant, Run, RunStatus
from voice_service.rounds.reminders import NOT_STARTED, PART_WAY, queue_reminders


def _setup(services):
    """Five people invited three days ago; their invitations went out then."""
    add_participants(services, [{"phone": phone_number(i), "age": 17} for i in range(5)])
    sent_at = datetime.now(UTC) - timedelta(days=10)
    round_id = launch(services, now=sent_at - timedelta(minutes=5))
    with session_scope(services.engine) as session:
        session.exec(update(OutboxMessage).values(status=OutboxStatus.SENT, sent_at=sent_at))
        runs = {r.participant_id: r for r in session.exec(select(Run))}
        now = sent_at
        runs[2].status, runs[2].started_at = RunStatus.ACTIVE, now  # part way
        runs[3].status, runs[3].ended_at = RunStatus.FINISHED, now  # finished
        session.get(Participant, 4).remind = False  # asked not to be reminded
        session.add(OptOut(phone_hash=session.get(Participant, 5).phone_hash, keyword="stop"))  # opted out
    return round_id, sent_at


def _remind(services, now, **kwargs):
    options = dict(after_days=3, max_reminders=1)
    options.update(kwargs)
    with session_scope(services.engine) as session:
        return queue_reminders(session=session, vault=services.vault, now=now, **options)


def test_one_reminder_after_n_days_to_those_not_started_or_not_finished(services):
    round_id, sent_at = _setup(services)
    assert _remind(services, sent_at + timedelta(days=2, hours=23)).queued == 0
    report = _remind(services, sent_at + timedelta(days=3, minutes=1))
    assert report.queued == 2
    with Session(services.engine) as session:
        reminders = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).all()
    assert {(r.participant_id, r.body) for r in reminders} == {(1, NOT_STARTED), (2, PART_WAY)}
    assert all(r.round_id == round_id and r.respect_window for r in reminders)
    # Never a second one while max_reminders is 1, however long they wait.
    assert _remind(services, sent_at + timedelta(days=9)).queued == 0


def test_a_second_reminder_waits_n_days_after_the_first(services):
    _, sent_at = _setup(services)
    first = sent_at + timedelta(days=3, minutes=1)
    assert _remind(services, first, max_reminders=2).queued == 2
    with session_scope(services.engine) as session:
        session.exec(
            update(OutboxMessage)
            .where(OutboxMessage.kind == "reminder")
            .values(status=OutboxStatus.SENT, sent_at=first)
        )
    assert _remind(services, first + timedelta(days=2), max_reminders=2).queued == 0
    assert _remind(services, first + timedelta(days=3, minutes=1), max_reminders=2).queued == 2


def test_no_reminder_before_the_invitation_has_gone(services):
    add_participants(services, [{"phone": phone_number(1), "age": 17}])
    launch(services, now=datetime.now(UTC) - timedelta(days=5))
    assert _remind(services, datetime.now(UTC)).queued == 0


def test_reminder_texts_are_one_sms_each():
    from voice_service.engine.texts import sms_segments

    assert sms_segments(NOT_STARTED) == 1 and sms_segments(PART_WAY) == 1


def test_a_cancelled_reminder_is_not_queued_again_under_the_same_key(services):
    """A reminder cancelled (they said STOP, then START) uses up the allowance; nothing is silently re-queued."""
    round_id, sent_at = _setup(services)
    assert _remind(services, sent_at + timedelta(days=3, minutes=1)).queued == 2
    with session_scope(services.engine) as session:
        session.exec(
            update(OutboxMessage).where(OutboxMessage.kind == "reminder").values(status=OutboxStatus.CANCELLED)
        )
    later = datetime.now(UTC) + timedelta(days=4)  # the cancelled rows were created just now
    assert _remind(services, later, max_reminders=1).queued == 0
    report = _remind(services, later, max_reminders=2)
    assert report.queued == 2
    with Session(services.engine) as session:
        pending = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "reminder", OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
    assert len(pending) == 2  # the second reminders really are new rows
