"""How a round is going: invited, delivered, failed, started, finished, opted out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..models import OptOut, OutboxMessage, OutboxStatus, Participant, Round, Run, RunStatus


@dataclass
class RoundProgress:
    """Counts for one round; `queued` invitations have not left yet (waiting, or being sent now)."""

    round_id: int
    status: str
    invited: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    cancelled: int = 0
    started: int = 0
    finished: int = 0
    opted_out: int = 0
    reminders: int = 0

    @property
    def sent_share(self) -> float:
        """The share of invitations that have left the outbox (sent, delivered, failed or cancelled)."""
        done = self.sent + self.delivered + self.failed + self.cancelled
        total = done + self.queued
        return done / total if total else 1.0


def round_progress(*, session: Session, round_id: int) -> RoundProgress:
    """Count a round's invitations by outbox status and its runs by how far they got."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    progress = RoundProgress(round_id=round_id, status=round_.status)
    by_status = session.exec(
        select(col(OutboxMessage.status), func.count())
        .where(col(OutboxMessage.round_id) == round_id, col(OutboxMessage.kind) == "invitation")
        .group_by(col(OutboxMessage.status))
    ).all()
    for status, count in by_status:
        if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            progress.queued += count
        else:
            setattr(progress, status, getattr(progress, status) + count)
    progress.reminders = session.exec(
        select(func.count()).where(
            col(OutboxMessage.round_id) == round_id,
            col(OutboxMessage.kind) == "reminder",
            col(OutboxMessage.status).in_((OutboxStatus.SENT, OutboxStatus.DELIVERED)),
        )
    ).one()
    runs = select(func.count(col(Run.id))).where(col(Run.round_id) == round_id)
    progress.invited = session.exec(runs).one()
    progress.started = session.exec(runs.where(col(Run.started_at).is_not(None))).one()
    progress.finished = session.exec(runs.where(col(Run.status) == RunStatus.FINISHED)).one()
    progress.opted_out = session.exec(
        runs.join(Participant, col(Participant.id) == col(Run.participant_id))
        .outerjoin(OptOut, col(OptOut.phone_hash) == col(Participant.phone_hash))
        .where((col(Run.status) == RunStatus.STOPPED) | col(OptOut.phone_hash).is_not(None))
    ).one()
    return progress
