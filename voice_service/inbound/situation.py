"""Read what routing needs about a sender in one query, and lock their waiting run.

One statement fetches the participant, whether their number opted out, the newest run
waiting for them (in an open round) with its survey's id and version hash, and when a
run of theirs was last closed by its round. The survey itself comes from a per-process
cache keyed by that hash, so the stored source text is read only on a miss.

Two texts at once from one person must be applied one after the other: on PostgreSQL
the waiting run is re-read `FOR UPDATE` (so the second waits for the first to commit
and then sees its state). On SQLite the inbound path declares that it will write
(`db.will_write()`), so this read already holds the database's write lock, taken in
turn with the process's other writers (see `voice_service.db`); the slow parts of a
message (screening, analysis) are done before it.

The statements are built once per process with the look-up value as a parameter, so
SQLAlchemy neither rebuilds nor re-keys them for each message.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal_column, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..engine.routing import Situation, pending_onboarding
from ..models import OptOut, Participant, Round, RoundStatus, Run, RunStatus, SurveyVersion
from ..rounds.launch import run_state
from ..surveys.model import Survey
from ..surveys.registry import survey_for_version

# A text within this long of a round closing on someone's run is probably an answer to it.
CLOSED_REPLY_DAYS = 30


def saved_id(participant: Participant) -> int:
    """The id of a participant that has been flushed; a programming error if it has none yet."""
    if participant.id is None:
        raise ValueError("participant has no id yet: flush it first")
    return participant.id


@dataclass
class Sender:
    """The stored rows behind a `Situation`: what the outcome is applied to."""

    participant: Participant
    opted_out: bool
    run: Run | None
    survey: Survey | None
    last_closed_at: datetime | None
    new: bool = False

    def situation(self, *, channel: str, council: str, now: datetime) -> Situation:
        """The engine's plain view of this sender."""
        closed = self.last_closed_at
        if closed is not None and closed.tzinfo is None:
            closed = closed.replace(tzinfo=UTC)
        return Situation(
            channel=channel,
            council=council,
            opted_out=self.opted_out,
            # New, or a number whose first message was a disclosure (answered with help alone): consent first.
            new_participant=self.new or (self.participant.onboarding is None and self.participant.source == "text_in"),
            onboarding=pending_onboarding(self.participant.onboarding),
            run=run_state(self.run, self.survey) if self.run is not None else None,
            survey=self.survey,
            recently_closed=closed is not None and now - closed < timedelta(days=CLOSED_REPLY_DAYS),
        )


@functools.cache  # built once: the statement is the same for every message (only .where() differs)
def _query():
    waiting_run = aliased(Run)
    closed_run = aliased(Run)
    # The waiting statuses as literals, not an expanding IN: the statement then needs no rewriting per message.
    waiting_statuses = [literal_column(f"'{status}'") for status in RunStatus.WAITING]
    waiting = (
        select(waiting_run.id)
        .outerjoin(Round, Round.id == waiting_run.round_id)
        .where(
            waiting_run.participant_id == Participant.id,
            waiting_run.status.in_(waiting_statuses),
            or_(waiting_run.round_id.is_(None), Round.status == RoundStatus.OPEN),
        )
        .order_by(waiting_run.created_at.desc(), waiting_run.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    last_closed = (
        select(func.max(closed_run.ended_at))
        .where(closed_run.participant_id == Participant.id, closed_run.status == RunStatus.CLOSED)
        .correlate(Participant)
        .scalar_subquery()
    )
    return (
        select(Participant, OptOut.phone_hash, Run, SurveyVersion.survey_id, SurveyVersion.version, last_closed)
        .outerjoin(OptOut, OptOut.phone_hash == Participant.phone_hash)
        .outerjoin(Run, Run.id == waiting)
        .outerjoin(SurveyVersion, SurveyVersion.id == Run.survey_version_id)
    )


@functools.cache
def _sender_by(key: str):
    """The sender query by "phone_hash" or "id", with the value as a parameter: one statement object per
    process, so SQLAlchemy computes its cache key once, not per message."""
    return _query().where(getattr(Participant, key) == bindparam("key"))


@functools.cache
def _run_for_update():
    return select(Run).where(Run.id == bindparam("run_id")).with_for_update().execution_options(populate_existing=True)


def load_sender(
    session: Session, *, phone_hash: str | None = None, participant_id: int | None = None, lock: bool = True
) -> Sender | None:
    """The sender by number hash or participant id, with their waiting run locked (unless `lock` is
    false, for a read-only view); None if unknown."""
    params: dict[str, Any]
    if phone_hash is not None:
        query, params = _sender_by("phone_hash"), {"key": phone_hash}
    else:
        query, params = _sender_by("id"), {"key": participant_id}
    for _ in range(3):
        row = session.execute(query, params).first()
        if row is None:
            return None
        participant, opt_out_hash, run, survey_id, version, last_closed = row
        sender = Sender(participant, opt_out_hash is not None, run, None, last_closed)
        if run is None or not lock:
            if run is not None:
                sender.survey = survey_for_version(session, run.survey_version_id, survey_id, version)
            return sender
        seen = (run.status, run.current_question, run.reasked, run.updated_at)
        lock_run(session, run)
        if (run.status, run.current_question, run.reasked, run.updated_at) != seen:
            # Another message from them changed this run while we waited for its lock: read everything
            # again (we hold the lock now, so this time it cannot change under us).
            continue
        sender.survey = survey_for_version(session, run.survey_version_id, survey_id, version)
        return sender
    raise RuntimeError("the waiting run changed twice while locked")  # cannot happen while we hold the lock


def lock_run(session: Session, run: Run) -> None:
    """Re-read the run under a row lock on PostgreSQL (refreshing `run` to its latest committed state).

    On SQLite the transaction already holds the write lock, so nothing can have changed it.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    # Fetch the row: the ORM refreshes `run` (populate_existing) only from rows it actually reads.
    session.execute(_run_for_update(), {"run_id": run.id}).one()
