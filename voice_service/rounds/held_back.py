"""Invited once their alert is closed: a young person a round held back, because a safeguarding alert of theirs
was live (open or acknowledged), is invited into it when the duty team closes the alert, if the round is still
open then. The one home of this rule, whatever the channel.

Who was held back is recorded as it happens (`HeldBack`), not worked out afterwards: at a launch
(`launch.launch_round`, by text) and as a web chatter finishes onboarding and would join an open round
(`launch.join_open_round`, in their chat). Closing the alert invites exactly them: not anyone who had said STOP
at launch (they were not held back, only left out), nor anyone who has said STOP since they were held back
(`opted_out`), even if they have opted back in; and only while they still belong to the round's cohort and its
survey's audience (`membership.fits`) and, by text, can still be texted. A round that closed while they were
held back says nothing to them: the next round invites them as usual.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..engine.conversation import FALLBACK_COUNCIL
from ..models import (
    HeldBack,
    HeldBackStatus,
    Participant,
    Round,
    RoundStatus,
    Run,
    SurveyVersion,
    utcnow,
)
from ..participants.opt_outs import has_said_stop
from ..privacy import PhoneVault
from ..safeguarding.alerts import with_live_alert
from ..surveys.model import Survey
from ..surveys.registry import survey_for_version
from .membership import DEFAULT_TIMEZONE, Cohort, fits, local_date


def hold_back(*, session: Session, round_id: int, participant_id: int, channel: str, now: datetime) -> None:
    """Record that this round did not invite this young person because an alert of theirs is live (in the
    caller's transaction); once is enough: a second record for the same round is not added."""
    already = session.exec(
        select(col(HeldBack.id)).where(
            col(HeldBack.round_id) == round_id, col(HeldBack.participant_id) == participant_id
        )
    ).first()
    if already is None:
        session.add(
            HeldBack(round_id=round_id, participant_id=participant_id, channel=channel, held_at=now, updated_at=now)
        )


def opted_out(*, session: Session, participant_id: int | None, now: datetime) -> None:
    """They said STOP (in the caller's transaction): no round that held them back invites them, even if they
    opt back in before their alert is closed."""
    if participant_id is None:
        return
    session.exec(
        update(HeldBack)
        .where(col(HeldBack.participant_id) == participant_id, col(HeldBack.status) == HeldBackStatus.HELD)
        .values(status=HeldBackStatus.OPTED_OUT, updated_at=now)
    )


class _Waiting(NamedTuple):
    """A round that held them back and would invite them now, with its survey and the record."""

    round: Round
    survey: Survey
    held: HeldBack


def _waiting(session: Session, participant: Participant, now: datetime, timezone: str | ZoneInfo) -> list[_Waiting]:
    """The open rounds that held this young person back and would invite them now, oldest first."""
    stopped = has_said_stop(session, participant)  # by text, or in the web chat with no number
    # By text only to a number we hold that has not said STOP (and not opted back in).
    can_text = participant.phone_encrypted is not None and participant.phone_hash is not None and not stopped
    has_run = (
        select(col(Run.id)).where(col(Run.round_id) == col(Round.id), col(Run.participant_id) == participant.id)
    ).exists()
    rows = session.exec(
        select(HeldBack, Round, col(SurveyVersion.survey_id), col(SurveyVersion.version))
        .join(Round, col(Round.id) == col(HeldBack.round_id))
        .join(SurveyVersion, col(SurveyVersion.id) == col(Round.survey_version_id))
        .where(
            col(HeldBack.participant_id) == participant.id,
            col(HeldBack.status) == HeldBackStatus.HELD,
            col(Round.status) == RoundStatus.OPEN,
            (col(Round.closes_at).is_(None)) | (col(Round.closes_at) > now),
            ~has_run,
        )
        .order_by(col(Round.opens_at), col(Round.id))
    ).all()
    today = local_date(now, timezone)
    found = []
    for held, round_, survey_id, version in rows:
        if held.channel == "sms" and not can_text:
            continue  # a round invites by text: erased, never had a number, or said STOP
        if stopped:
            continue  # nor in the web chat, once they said STOP there
        survey = survey_for_version(session, round_.survey_version_id, survey_id, version)
        if fits(participant, survey, Cohort.from_dict(round_.cohort), today):
            found.append(_Waiting(round_, survey, held))
    return found


def held_back_rounds(
    *, session: Session, participant_id: int, now: datetime, timezone: str | ZoneInfo = DEFAULT_TIMEZONE
) -> list[tuple[Round, Survey]]:
    """The open rounds that held this young person back while an alert of theirs was live (`HeldBack`) and
    would invite them now, oldest first, each with its survey as the round pinned it."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        return []
    return [(waiting.round, waiting.survey) for waiting in _waiting(session, participant, now, timezone)]


def invite_held_back(
    *,
    session: Session,
    vault: PhoneVault,
    participant_id: int | None,
    now: datetime | None = None,
    timezone: str | ZoneInfo = DEFAULT_TIMEZONE,
    council: str = FALLBACK_COUNCIL,
) -> list[int]:
    """Once the duty team closes a young person's alert (in the caller's transaction, after it is closed), invite
    them into each open round that held them back (`held_back_rounds`), on the channel it held them back on: by
    text, a run and an invitation that waits for the send window as any invitation does; in the web chat, a run
    and the invitation in their chat (their next visit, or the open chat checking for news, shows it). Nothing
    while another alert of theirs is still live. Returns the rounds they are now invited to."""
    from .launch import invite, invite_in_chat  # launch records who it holds back here

    if participant_id is None or with_live_alert(session=session, participant_ids=[participant_id]):
        return []
    now = now or utcnow()
    participant = session.get(Participant, participant_id)
    if participant is None:
        return []
    today = local_date(now, timezone)
    invited = []
    for round_, survey, held in _waiting(session, participant, now, timezone):
        assert round_.id is not None
        if held.channel == "webchat":
            invite_in_chat(
                session=session,
                survey=survey,
                round_=round_,
                participant=participant,
                today=today,
                now=now,
                council=council,
            )
        else:
            invite(
                session=session,
                vault=vault,
                survey=survey,
                round_=round_,
                participant=participant,
                today=today,
                now=now,
                council=council,
            )
        held.status, held.invited_at, held.updated_at = HeldBackStatus.INVITED, now, now
        session.add(held)
        invited.append(round_.id)
    session.flush()
    return invited


def invited_words(rounds: list[int], *, now_sent: bool) -> str:
    """What the duty team is told about round invitations held back from a young person while their alert is live
    (on the alert page, before closing it) or queued now that it is closed."""
    which = " and ".join(f"round {rid}" for rid in rounds)
    one = len(rounds) == 1
    waits = "the invitation waits" if one else "the invitations wait"
    if now_sent:
        return f"They are now invited to {which}, held back while the alert was open ({waits} for the send window)."
    return (
        f"Their invitation{'' if one else 's'} to {which} {'is' if one else 'are'} held back while this alert is open: "
        "no survey goes to a young person until the duty team closes their alert. Closing the alert invites them, "
        f"if the round is still open then ({waits} for the send window)."
    )
