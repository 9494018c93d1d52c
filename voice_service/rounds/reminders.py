"""Reminders: one more text to those who have not started, or not finished, a round after N days.

Never to anyone who finished, opted out (STOP or the carrier), asked not to be reminded
(`Participant.remind` is False), whose invitation has not gone out yet, or who has a safeguarding
alert the duty team has not closed (open or acknowledged: no survey text goes to them then, even if
they carried on with the survey after their disclosure; counted as `held_back`). Reminders go
through the outbox like invitations, keyed "remind:<round>:<participant>:<n>", so
queuing them twice queues nothing new; they wait for the send window like any survey text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, inspect
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ..engine import texts
from ..models import (
    OptOut,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    as_utc,
    utcnow,
)
from ..outbox import enqueue
from ..privacy import PhoneVault
from ..safeguarding.alerts import with_live_alert
from .membership import DEFAULT_TIMEZONE, is_under_16, local_date

NOT_STARTED = texts.REMINDER_NOT_STARTED
PART_WAY = texts.RESUME_NUDGE
DELIVERED = (OutboxStatus.SENT, OutboxStatus.DELIVERED)


@dataclass
class ReminderReport:
    """How many reminders were queued, and why others were not."""

    queued: int = 0
    not_yet: int = 0
    held_back: int = 0  # a safeguarding alert of theirs is live


def queue_reminders(
    *,
    session: Session,
    vault: PhoneVault,
    after_days: int,
    max_reminders: int,
    now: datetime | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> ReminderReport:
    """Queue due reminders for every open round, in the caller's transaction."""
    now = now or utcnow()
    report = ReminderReport()
    if max_reminders < 1:
        return report
    cutoff = now - timedelta(days=after_days)
    invite = inspect(OutboxMessage).local_table.alias("invite")
    sent_reminders = (
        select(
            col(OutboxMessage.round_id),
            col(OutboxMessage.participant_id),
            func.count().label("n"),
            func.max(func.coalesce(col(OutboxMessage.sent_at), col(OutboxMessage.created_at))).label("last"),
        )
        # Every reminder row counts, cancelled ones too: their keys are taken, and a reminder
        # cancelled because they said STOP should not be followed by another one.
        .where(col(OutboxMessage.kind) == "reminder")
        .group_by(col(OutboxMessage.round_id), col(OutboxMessage.participant_id))
        .subquery()
    )
    # Five columns is past sqlmodel.select's typed overloads, so the row type is spelled out.
    rows: Select[Run, Participant, datetime | None, int | None, datetime | None] = Select(
        Run, Participant, invite.c.sent_at, sent_reminders.c.n, sent_reminders.c.last
    )
    query = (
        rows.join(Round, col(Round.id) == col(Run.round_id))
        .join(Participant, col(Participant.id) == col(Run.participant_id))
        .join(
            invite,
            and_(
                invite.c.round_id == col(Run.round_id),
                invite.c.participant_id == col(Run.participant_id),
                invite.c.kind == "invitation",
            ),
        )
        .outerjoin(
            sent_reminders,
            and_(
                sent_reminders.c.round_id == col(Run.round_id),
                sent_reminders.c.participant_id == col(Run.participant_id),
            ),
        )
        .outerjoin(OptOut, col(OptOut.phone_hash) == col(Participant.phone_hash))
        .where(
            col(Round.status) == RoundStatus.OPEN,
            (col(Round.closes_at).is_(None)) | (col(Round.closes_at) > now),
            col(Run.status).in_(RunStatus.RUNNING),  # never to a run paused after a disclosure
            col(Participant.remind).is_(True),
            col(Participant.phone_encrypted).is_not(None),
            col(OptOut.phone_hash).is_(None),
            invite.c.status.in_(DELIVERED),
        )
        .order_by(col(Run.id))
    )
    today: date = local_date(now, timezone)  # ages on the council's calendar, not UTC's
    found = session.exec(query).all()
    live = with_live_alert(session=session, participant_ids={p.id for _, p, *_ in found if p.id is not None})
    for run, participant, invited_at, count, last in found:
        count = count or 0
        if participant.id in live:
            report.held_back += 1
            continue
        if count >= max_reminders:
            continue
        latest = last if count else invited_at
        if latest is None or as_utc(latest) > cutoff:
            report.not_yet += 1
            continue
        enqueue(
            session=session,
            vault=vault,
            key=f"remind:{run.round_id}:{participant.id}:{count + 1}",
            kind="reminder",
            participant=participant,
            body=texts.for_person(
                PART_WAY if run.status == RunStatus.ACTIVE else NOT_STARTED,
                "sms",
                adult=participant.adult_on(today),
                language=run.language,
            ),
            round_id=run.round_id,
            under_16=is_under_16(participant, today),
        )
        report.queued += 1
    session.flush()
    return report
