"""Launch and close rounds. Invitations are queued in the same transaction as the round."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from ..engine.conversation import begin
from ..engine.types import RunState
from ..models import OptOut, Participant, ParticipantStatus, Round, RoundStatus, Run, RunStatus, utcnow
from ..outbox import enqueue
from ..privacy import PhoneVault
from ..surveys.model import Survey
from ..surveys.registry import store_version

BAND_RANGES = {"11-15": (11, 15), "16-17": (16, 17), "18-21": (18, 21), "22-25": (22, 25)}


@dataclass(frozen=True)
class Cohort:
    """Who a round is for; every filter is optional."""

    status: str | None = None
    area: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    participant_ids: tuple[int, ...] | None = None  # an explicit list, within the other filters

    def to_dict(self) -> dict:
        """The filters for the round's record, without the empty ones."""
        values = {key: value for key, value in asdict(self).items() if value is not None}
        if "participant_ids" in values:
            values["participant_ids"] = sorted(values["participant_ids"])
        return values

    def matches(self, participant: Participant, today: date) -> bool:
        """True when this participant certainly belongs to the cohort (the one test of membership)."""
        if self.status and participant.status != self.status:
            return False
        if self.area and participant.area != self.area:
            return False
        if self.participant_ids is not None and participant.id not in self.participant_ids:
            return False
        return in_age_range(participant, self, today)


@dataclass
class LaunchResult:
    """The new round and how many were invited or left out."""

    round: Round
    invited: int
    opted_out: int


def age_range(participant: Participant, today: date) -> tuple[int, int] | None:
    """The participant's age as a range: exact from date of birth, else from their age band."""
    age = participant.age_on(today)
    if age is not None:
        return age, age
    if participant.age_band in BAND_RANGES:
        return BAND_RANGES[participant.age_band]
    return None


def is_under_16(participant: Participant, today: date) -> bool:
    """True when they may be under 16; a child in care of unknown age is treated as under 16."""
    ages = age_range(participant, today)
    if ages is None:
        return participant.status != ParticipantStatus.CARE_LEAVER
    return ages[0] < 16


def in_age_range(participant: Participant, cohort: Cohort, today: date) -> bool:
    """True when the participant's age certainly falls within the cohort's ages."""
    if cohort.min_age is None and cohort.max_age is None:
        return True
    ages = age_range(participant, today)
    if ages is None:
        return False
    low, high = ages
    return (cohort.min_age is None or low >= cohort.min_age) and (cohort.max_age is None or high <= cohort.max_age)


def select_cohort(*, session: Session, cohort: Cohort, today: date) -> tuple[list[Participant], int]:
    """Participants in the cohort who can be texted, and how many were left out for having opted out."""
    query = (
        select(Participant, OptOut.phone_hash)
        .outerjoin(OptOut, OptOut.phone_hash == Participant.phone_hash)
        .where(Participant.phone_hash.is_not(None))
    )
    if cohort.status:
        query = query.where(Participant.status == cohort.status)
    if cohort.area:
        query = query.where(Participant.area == cohort.area)
    if cohort.participant_ids is not None:
        query = query.where(Participant.id.in_(list(cohort.participant_ids)))
    chosen, opted_out = [], 0
    for participant, stopped in session.exec(query.order_by(Participant.id)).all():
        if not in_age_range(participant, cohort, today):
            continue
        if stopped is None:
            chosen.append(participant)
        else:
            opted_out += 1
    return chosen, opted_out


def launch_round(
    *,
    session: Session,
    vault: PhoneVault,
    survey: Survey,
    source: str,
    cohort: Cohort,
    closes_at: datetime | None = None,
    now: datetime | None = None,
) -> LaunchResult:
    """Create a round, a run per participant and an invitation in the outbox, all in the caller's transaction."""
    now = now or utcnow()
    if closes_at is not None and closes_at <= now:
        raise ValueError("the closing date must be in the future")
    version = store_version(session=session, survey=survey, source=source)
    round_ = Round(
        survey_id=survey.id,
        survey_version_id=version.id,
        cohort=cohort.to_dict(),
        opens_at=now,
        closes_at=closes_at,
    )
    session.add(round_)
    session.flush()
    participants, opted_out = select_cohort(session=session, cohort=cohort, today=now.date())
    for participant in participants:
        step = begin(survey, first_name=participant.first_name or "", language=participant.language)
        run = Run(
            participant_id=participant.id,
            round_id=round_.id,
            survey_version_id=version.id,
            status=step.state.status,
            current_question=step.state.current,
            language=step.state.language,
        )
        session.add(run)
        enqueue(
            session=session,
            vault=vault,
            key=f"invite:{round_.id}:{participant.id}",
            kind="invitation",
            participant=participant,
            body=step.replies[0],
            round_id=round_.id,
            under_16=is_under_16(participant, now.date()),
        )
    session.flush()
    return LaunchResult(round=round_, invited=len(participants), opted_out=opted_out)


def close_round(*, session: Session, round_id: int, now: datetime | None = None) -> Round:
    """Close a round: its waiting runs stop accepting answers. Closing twice is harmless."""
    now = now or utcnow()
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    if round_.status == RoundStatus.CLOSED:
        return round_
    round_.status = RoundStatus.CLOSED
    round_.closed_at = now
    runs = session.exec(select(Run).where(Run.round_id == round_id, Run.status.in_(RunStatus.WAITING))).scalars()
    for run in runs:
        run.status = RunStatus.CLOSED
        run.ended_at = now
        run.updated_at = now
    session.flush()
    return round_


def run_state(run: Run, survey: Survey) -> RunState:
    """The engine's view of a stored run."""
    return RunState(
        survey_id=survey.id,
        survey_version=survey.version,
        status=run.status,
        current=run.current_question,
        reasked=run.reasked,
        language=run.language,
    )
