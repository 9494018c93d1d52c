"""Invited once their alert is closed: a young person a round held back at launch, because a safeguarding
alert of theirs was live (open or acknowledged), is invited into it when the duty team closes the alert,
if the round is still open then.

Who was held back is read from what is stored, not kept apart: the round opened while an alert of theirs
was live (raised before it opened, not closed by then), they were on the list when it opened, they have no
run in it, and they still belong to its cohort and its survey's audience (`membership.fits`), have not
said STOP and can still be texted. A round that closed while they were held back says nothing to them:
the next round invites them as usual. (Someone who had said STOP when the round opened, and has opted back
in since, counts as held back too: the opt-out register keeps no history.)
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ..engine.conversation import FALLBACK_COUNCIL
from ..models import Alert, OptOut, Participant, Round, RoundStatus, Run, SurveyVersion, utcnow
from ..privacy import PhoneVault
from ..safeguarding.alerts import with_live_alert
from ..surveys.model import Survey
from ..surveys.registry import survey_for_version
from .launch import invite
from .membership import DEFAULT_TIMEZONE, Cohort, fits, local_date


def held_back_rounds(
    *, session: Session, participant_id: int, now: datetime, timezone: str | ZoneInfo = DEFAULT_TIMEZONE
) -> list[tuple[Round, Survey]]:
    """The open rounds that held this young person back at launch (an alert of theirs was live when the round
    opened) and would invite them now, oldest first, each with its survey as the round pinned it."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.phone_hash is None or participant.phone_encrypted is None:
        return []  # erased, or nobody we can text: a round invites by text
    if session.exec(select(col(OptOut.phone_hash)).where(col(OptOut.phone_hash) == participant.phone_hash)).first():
        return []
    live_at_opening = (
        select(col(Alert.id))
        .where(
            col(Alert.participant_id) == participant_id,
            col(Alert.created_at) <= col(Round.opens_at),
            (col(Alert.closed_at).is_(None)) | (col(Alert.closed_at) > col(Round.opens_at)),
        )
        .exists()
    )
    has_run = (
        select(col(Run.id)).where(col(Run.round_id) == col(Round.id), col(Run.participant_id) == participant_id)
    ).exists()
    rows = session.exec(
        select(Round, col(SurveyVersion.survey_id), col(SurveyVersion.version))
        .join(SurveyVersion, col(SurveyVersion.id) == col(Round.survey_version_id))
        .where(
            col(Round.status) == RoundStatus.OPEN,
            (col(Round.closes_at).is_(None)) | (col(Round.closes_at) > now),
            col(Round.opens_at) >= participant.created_at,
            live_at_opening,
            ~has_run,
        )
        .order_by(col(Round.opens_at), col(Round.id))
    ).all()
    today = local_date(now, timezone)
    found = []
    for round_, survey_id, version in rows:
        survey = survey_for_version(session, round_.survey_version_id, survey_id, version)
        if fits(participant, survey, Cohort.from_dict(round_.cohort), today):
            found.append((round_, survey))
    return found


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
    them into each open round that held them back (`held_back_rounds`): a run and an invitation text, which waits
    for the send window as any invitation does. Nothing while another alert of theirs is still live. Returns the
    rounds they are now invited to."""
    if participant_id is None or with_live_alert(session=session, participant_ids=[participant_id]):
        return []
    now = now or utcnow()
    participant = session.get(Participant, participant_id)
    if participant is None:
        return []
    invited = []
    for round_, survey in held_back_rounds(session=session, participant_id=participant_id, now=now, timezone=timezone):
        assert round_.id is not None
        invite(
            session=session,
            vault=vault,
            survey=survey,
            round_=round_,
            participant=participant,
            today=local_date(now, timezone),
            now=now,
            council=council,
        )
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
