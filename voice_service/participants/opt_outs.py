"""Who has said STOP: a number on the opt-out register, or, for a young person with no number, a STOP in the
web chat (`Participant.chat_stopped_at`). The one home of the rule for both: as SQL over `Participant`, for the
participants pages and for who a round invites (`rounds.launch.select_cohort`), and the writes that keep it, STOP
(`opt_out`) and START (`opt_back_in`), for the inbound path on either channel.

Someone with no number has no opt-out to keep by number, so their STOP is kept on them, whether or not a survey was
running when they said it (with none, nothing else would record it, and the next round would invite them again in
their chat); START clears it, as it takes a number off the register.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, update
from sqlmodel import Session, col

from ..models import OptOut, Participant


def chat_stop_at():
    """When a participant with no number said STOP in the web chat (None if they have not, or START has cleared
    it), as a column of `Participant`."""
    return col(Participant.chat_stopped_at)


def said_stop():
    """True for a participant who has opted out: their number said STOP (`OptOut`), or, with no number, they
    said STOP in the web chat (`chat_stop_at`)."""
    by_number = exists().where(col(OptOut.phone_hash) == col(Participant.phone_hash))
    return by_number | chat_stop_at().is_not(None)


def has_said_stop(session: Session, participant: Participant) -> bool:
    """`said_stop` for one participant already loaded: their number is on the register, or, with no number, they
    said STOP in the web chat."""
    if participant.phone_hash and session.get(OptOut, participant.phone_hash) is not None:
        return True
    return participant.chat_stopped_at is not None


def opt_out(
    session: Session, *, participant_id: int | None, phone_hash: str | None, keyword: str, now: datetime, already: bool
) -> None:
    """Record a STOP: their number on the register (`keyword`, as said), or with no number, on them, as of `now`
    (`already`: they had said it, and when they first did stands)."""
    if already:
        return
    if phone_hash:
        session.add(OptOut(phone_hash=phone_hash, keyword=keyword.strip().upper()[:20], opted_out_at=now))
        return
    session.execute(
        update(Participant)
        .where(col(Participant.id) == participant_id, col(Participant.chat_stopped_at).is_(None))
        .values(chat_stopped_at=now)
    )


def opt_back_in(session: Session, *, participant_id: int | None, phone_hash: str | None) -> None:
    """START after STOP: their number off the register, or with no number, their chat STOP cleared."""
    if phone_hash:
        session.execute(delete(OptOut).where(col(OptOut.phone_hash) == phone_hash))
        return
    session.execute(update(Participant).where(col(Participant.id) == participant_id).values(chat_stopped_at=None))
