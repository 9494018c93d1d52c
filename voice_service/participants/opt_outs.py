"""Who has said STOP: a number on the opt-out register, or, for a young person with no number, a STOP in the
web chat. The one home of the rule for both, as SQL over `Participant`, for the participants pages and for who
a round invites (`rounds.launch.select_cohort`).

Someone with no number has no opt-out to keep by number: a STOP in the web chat ends their survey there (the
run is stopped), and START, while that round is open, offers it again (the run is then no longer stopped).
"""

from __future__ import annotations

from sqlalchemy import exists, func
from sqlmodel import col, select

from ..models import OptOut, Participant, Run, RunStatus


def _stopped_in_chat() -> tuple:
    """A run of a participant with no number that their STOP ended (correlated to `Participant`)."""
    return (
        col(Run.participant_id) == col(Participant.id),
        col(Run.status) == RunStatus.STOPPED,
        col(Participant.phone_hash).is_(None),
    )


def chat_stop_at():
    """When a participant with no number last ended a survey by saying STOP (in the web chat), as a correlated
    select of one value (None if they never have, or they have a number)."""
    return select(func.max(Run.ended_at)).where(*_stopped_in_chat())


def said_stop():
    """True for a participant who has opted out: their number said STOP (`OptOut`), or, with no number, they
    said STOP in the web chat (`chat_stop_at`)."""
    by_number = exists().where(col(OptOut.phone_hash) == col(Participant.phone_hash))
    return by_number | exists().where(*_stopped_in_chat())
