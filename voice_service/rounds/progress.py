"""How a round is going: invited, delivered, failed, started, finished, said no, opted out.

The one place a round's figures are counted, for `round status` and the dashboard alike: an invitation
is "sent" only when it reached the provider; one cancelled (the round closed, the number said STOP)
was never sent, and one waiting for the send window is still queued. "Finished" is answered to the end;
"said no" (to the invitation: ended without starting) is counted beside it, never in it (`said_no`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from ..models import OutboxKind, OutboxMessage, OutboxStatus, Round, Run, RunStatus
from ..outbox.waiting import Waiting, waiting_for_window
from ..outbox.windows import Windows


@dataclass
class RoundProgress:
    """Counts for one round; `queued` invitations have not left yet (waiting, or being sent now);
    `opted_out` counts its runs their own STOP ended, in this round.

    `waiting` of the queued are held only by a shut send window (counted when `round_progress` is
    given the windows), going at the times in `waiting_for_window`."""

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
    said_no: int = 0
    opted_out: int = 0
    reminders: int = 0
    in_chat: int = 0  # of `invited`, runs in the web chat (joined there, or reached only there): no text invitation
    waiting: int = 0
    waiting_for_window: list[Waiting] = field(default_factory=list)

    @property
    def invitations(self) -> int:
        """Every invitation the round queued, whatever became of it."""
        return self.queued + self.sent + self.delivered + self.failed + self.cancelled

    @property
    def reached_provider(self) -> int:
        """Invitations truly sent: handed to the provider (delivered, or not yet reported on)."""
        return self.sent + self.delivered

    @property
    def sent_share(self) -> float:
        """The share of the round's invitations truly sent (never counting cancelled or failed ones)."""
        return self.reached_provider / self.invitations if self.invitations else 0.0

    def invitations_line(self) -> str:
        """ "22 of 60 sent (37%); 38 not sent (cancelled); ...; 2 in the web chat": what became of the
        invitations, in words, and those invited in the web chat rather than by text, so the invitations and
        `invited` add up."""
        chat = f"{self.in_chat} in the web chat" if self.in_chat else ""  # joined there, or invited there
        if not self.invitations:
            return f"no text invitations; {chat}" if chat else "no invitations"
        parts = [f"{self.reached_provider} of {self.invitations} sent ({self.sent_share:.0%})"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.cancelled:
            parts.append(f"{self.cancelled} not sent (cancelled)")
        if self.queued:
            still = f"{self.queued} still queued"
            if self.waiting:
                still += f", {self.waiting} of them waiting for the send window"
            parts.append(still)
        if chat:
            parts.append(chat)
        return "; ".join(parts)


def said_no(status: str, started_at: datetime | None) -> bool:
    """True for a run whose young person said no to its invitation: it finished without ever starting. The one
    home of the rule, with `SAID_NO` (the same in SQL): a round's figures and routing's change of mind."""
    return status == RunStatus.FINISHED and started_at is None


SAID_NO = (col(Run.status) == RunStatus.FINISHED) & col(Run.started_at).is_(None)
FINISHED = (col(Run.status) == RunStatus.FINISHED) & col(Run.started_at).is_not(None)  # answered to the end
# Opted out of this round: runs their own STOP ended (in a text or the web chat). Never "has an opt-out now": a STOP
# said in a later round would change a closed round's figures, and count people who finished it as opted out of it too.
OPTED_OUT = col(Run.status) == RunStatus.STOPPED


def finished_and_said_no(*, session: Session, round_id: int) -> tuple[int, int]:
    """How many of a round's runs were answered to the end, and how many said no to the invitation."""
    finished, declined = session.exec(
        select(
            func.coalesce(func.sum(case((FINISHED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((SAID_NO, 1), else_=0)), 0),
        ).where(col(Run.round_id) == round_id)
    ).one()
    return int(finished), int(declined)


def round_progress(
    *, session: Session, round_id: int, windows: Windows | None = None, now: datetime | None = None
) -> RoundProgress:
    """Count a round's invitations by outbox status and its runs by how far they got.

    Given the send `windows` and `now`, also count the queued invitations that wait for the window."""
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    progress = RoundProgress(round_id=round_id, status=round_.status)
    by_status = session.exec(
        select(col(OutboxMessage.status), func.count())
        .where(col(OutboxMessage.round_id) == round_id, col(OutboxMessage.kind) == OutboxKind.INVITATION)
        .group_by(col(OutboxMessage.status))
    ).all()
    for status, count in by_status:
        if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            progress.queued += count
        else:
            setattr(progress, status, getattr(progress, status) + count)
    if windows is not None and now is not None and progress.queued:
        progress.waiting_for_window = waiting_for_window(
            session=session, windows=windows, now=now, kinds=(OutboxKind.INVITATION,), round_id=round_id
        )
        progress.waiting = sum(item.count for item in progress.waiting_for_window)
    progress.reminders = session.exec(
        select(func.count()).where(
            col(OutboxMessage.round_id) == round_id,
            col(OutboxMessage.kind) == OutboxKind.REMINDER,
            col(OutboxMessage.status).in_((OutboxStatus.SENT, OutboxStatus.DELIVERED)),
        )
    ).one()
    runs = select(func.count(col(Run.id))).where(col(Run.round_id) == round_id)
    progress.invited = session.exec(runs).one()
    progress.started = session.exec(runs.where(col(Run.started_at).is_not(None))).one()
    progress.in_chat = session.exec(runs.where(col(Run.channel) == "webchat")).one()
    progress.finished, progress.said_no = finished_and_said_no(session=session, round_id=round_id)
    progress.opted_out = session.exec(runs.where(OPTED_OUT)).one()  # what happened in this round (`OPTED_OUT`)
    return progress
