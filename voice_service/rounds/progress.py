"""How a round is going: invited, delivered, failed, started, finished, opted out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

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
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.round_id == round_id, OutboxMessage.kind == "invitation")
        .group_by(OutboxMessage.status)
    ).all()
    for status, count in by_status:
        if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            progress.queued += count
        else:
            setattr(progress, status, getattr(progress, status) + count)
    progress.reminders = session.exec(
        select(func.count()).where(
            OutboxMessage.round_id == round_id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.DELIVERED)),
        )
    ).scalar_one()
    progress.invited = session.exec(select(func.count(Run.id)).where(Run.round_id == round_id)).scalar_one()
    progress.started = session.exec(
        select(func.count(Run.id)).where(Run.round_id == round_id, Run.started_at.is_not(None))
    ).scalar_one()
    progress.finished = session.exec(
        select(func.count(Run.id)).where(Run.round_id == round_id, Run.status == RunStatus.FINISHED)
    ).scalar_one()
    progress.opted_out = session.exec(
        select(func.count(Run.id))
        .join(Participant, Participant.id == Run.participant_id)
        .outerjoin(OptOut, OptOut.phone_hash == Participant.phone_hash)
        .where(Run.round_id == round_id, (Run.status == RunStatus.STOPPED) | OptOut.phone_hash.is_not(None))
    ).scalar_one()
    return progress
