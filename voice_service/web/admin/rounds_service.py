"""What the rounds pages need: read a launch form, preview its cohort, launch, list, schedule, close.

The rules are the rounds package's (`launch_round`, `select_cohort`, `create_schedule`,
`close_round`); this module only turns form fields into their arguments and their
results into what a page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ...chat_transcript import DEFAULT_CHAT_DAYS
from ...dates import DateError, read_date
from ...models import Round, RoundSchedule
from ...models.participant import ParticipantStatus
from ...participants.importer import AREA_MAX
from ...rounds.audience import left_out_by_survey, round_words
from ...rounds.launch import (
    Cohort,
    LaunchResult,
    already_in_words,
    launch_round,
    select_cohort,
    unreachable_words,
)
from ...rounds.membership import AudienceMismatch, check_cohort, local_date
from ...rounds.progress import RoundProgress, finished_and_said_no, round_progress
from ...surveys.model import Survey
from ...surveys.registry import round_surveys, survey_titles
from .form_errors import FormProblems, Problems


class FormError(FormProblems):
    """A launch form that cannot be used: every wrong field at once (`problems`), each with its message and,
    for a date, which of its day, month and year boxes are wrong."""


@dataclass(frozen=True)
class LaunchForm:
    """A launch form, read: which survey, who, and until when."""

    survey_id: str
    cohort: Cohort
    closes_on: date | None

    def closes_at(self, tz: ZoneInfo) -> datetime | None:
        """The last moment for answers: the end of the closing day, local time, in UTC."""
        if self.closes_on is None:
            return None
        return datetime.combine(self.closes_on, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def read_launch_form(
    form: Mapping[str, str],
    *,
    surveys: Mapping[str, Survey],
    now: datetime | None = None,
    tz: ZoneInfo | None = None,
    extra: Problems | None = None,
) -> LaunchForm:
    """Read the launch (or schedule) form's fields, or FormError listing every field that is wrong. Given `now`
    and `tz`, a closing date already past is wrong too; `extra` holds the calling page's own problems, listed
    with these."""
    problems = Problems()
    survey_id = (form.get("survey") or "").strip()
    if survey_id not in surveys:
        problems.add("survey", "Choose a survey")
    status = (form.get("status") or "").strip() or None
    if status is not None and status not in ParticipantStatus.KNOWN:
        problems.add("status", "Choose in care, care leavers, or everyone")
    ages: dict[str, int | None] = {}
    for name in ("min_age", "max_age"):
        text = (form.get(name) or "").strip()
        ages[name] = None
        if not text:
            continue
        if not text.isdigit() or not 0 <= int(text) <= 30:
            problems.add(name, "Enter an age as a whole number from 0 to 30")
        else:
            ages[name] = int(text)
    if ages["min_age"] is not None and ages["max_age"] is not None and ages["min_age"] > ages["max_age"]:
        problems.add("min_age", "The youngest age must not be more than the oldest")
    closes_on = None
    try:
        closes_on = read_date(form, "closes", label="The closing date")
    except DateError as error:
        problems.add("closes", str(error), error.parts)
    area = " ".join((form.get("area") or "").split()) or None
    if area is not None and len(area) > AREA_MAX:
        problems.add("area", f"Enter an area of {AREA_MAX} characters or fewer")
        area = area[:AREA_MAX]  # never echoed back in full on the check page
    cohort = Cohort(status=status, area=area, min_age=ages["min_age"], max_age=ages["max_age"])
    read = LaunchForm(survey_id=survey_id, cohort=cohort, closes_on=closes_on)
    closes_at = read.closes_at(tz) if tz is not None else None
    if now is not None and closes_at is not None and closes_at <= now:
        problems.add("closes", "The closing date must be today or in the future")
    for problem in extra.found if extra is not None else ():
        problems.add(*problem)
    problems.raise_if_any(FormError)
    return read


@dataclass(frozen=True)
class LaunchPreview:
    """How many a launch would invite now, and how many it leaves out: for having said STOP, or held back
    while a safeguarding alert of theirs is open (not closed by the duty team)."""

    form: LaunchForm
    survey: Survey
    invited: int
    opted_out: int
    held_back: int = 0
    outside_survey: list[str] = field(default_factory=list)  # whom the survey's own ages or status leave out
    already_in: str = ""  # "3 already in round 3 of this survey, which is still open", when any are
    unreachable: str = ""  # "1 not invited: no phone number and no open web chat", when any are


# The audience rule's words are the command line's; on a page they name the form's fields.
_FLAG_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("--status", "status", "who the round is for"),
    ("--min-age", "min_age", "the youngest age"),
    ("--max-age", "max_age", "the oldest age"),
)


def audience_error(error: AudienceMismatch) -> FormError:
    """The rounds package's refusal, as a form error on the field it is about."""
    message, field = str(error), "survey"
    for flag, name, words in _FLAG_FIELDS:
        if flag in message:
            message, field = message.replace(flag, words), name
    return FormError(field, message[:1].upper() + message[1:])


def preview_launch(
    *,
    session: Session,
    form: LaunchForm,
    survey: Survey,
    now: datetime,
    timezone: str,
    chat_days: int = DEFAULT_CHAT_DAYS,
) -> LaunchPreview:
    """Count the cohort exactly as `launch_round` will choose it, without sending or saving anything.

    A cohort outside the survey's audience is refused the same way (FormError on its field).
    """
    try:
        check_cohort(survey, form.cohort)
    except AudienceMismatch as exc:
        raise audience_error(exc) from None
    today = local_date(now, timezone)
    chosen = select_cohort(
        session=session, cohort=form.cohort, today=today, survey=survey, now=now, chat_days=chat_days
    )
    outside = left_out_by_survey(session=session, cohort=form.cohort, survey=survey, today=today)
    return LaunchPreview(
        form=form,
        survey=survey,
        invited=len(chosen.participants),
        opted_out=chosen.opted_out,
        held_back=chosen.held_back,
        outside_survey=outside.phrases(),
        already_in=already_in_words(chosen.already_in, chosen.open_rounds) if chosen.already_in else "",
        unreachable=unreachable_words(chosen.unreachable) if chosen.unreachable else "",
    )


def launch(*, session: Session, services, form: LaunchForm, now: datetime) -> LaunchResult:
    """Launch the round for real: the round, its runs and its invitations in the caller's transaction.

    FormError when the cohort is outside the survey's audience (as the preview says).
    """
    survey, source = services.survey_source(form.survey_id)
    tz = ZoneInfo(services.config.app.timezone)
    try:
        return launch_round(
            session=session,
            vault=services.vault,
            survey=survey,
            source=source,
            cohort=form.cohort,
            closes_at=form.closes_at(tz),
            now=now,
            timezone=tz,
            council=services.config.app.council_name,
            chat_days=services.config.webchat.session_max_age_days,
        )
    except AudienceMismatch as exc:
        raise audience_error(exc) from None


@dataclass(frozen=True)
class RunOutcomes:
    """How a round's finished runs ended, so "finished" never counts someone who did not start."""

    finished: int = 0  # started (said yes) and answered to the end
    declined: int = 0  # said no to the invitation: ended without starting


def run_outcomes(*, session: Session, round_id: int) -> RunOutcomes:
    """Split a round's finished runs into those who answered to the end and those who said no, as `round status`
    and `round list` count them (`rounds.progress.finished_and_said_no`, the one home of the rule)."""
    finished, declined = finished_and_said_no(session=session, round_id=round_id)
    return RunOutcomes(finished=finished, declined=declined)


@dataclass(frozen=True)
class RoundRow:
    """A round in the list, with its progress."""

    round: Round
    progress: RoundProgress
    who: str
    outcomes: RunOutcomes = RunOutcomes()
    title: str = ""  # the survey's title, as the panel and young people know it


def rounds_overview(*, session: Session, status: str | None = None) -> list[RoundRow]:
    """Every round, newest first, with its invited/started/finished counts."""
    query = select(Round).order_by(col(Round.id).desc())
    if status:
        query = query.where(col(Round.status) == status)
    rows = []
    found = list(session.exec(query))
    titles = survey_titles(session=session, rounds=found)
    surveys = round_surveys(session=session, rounds=found)
    for round_ in found:
        assert round_.id is not None
        rows.append(
            RoundRow(
                round=round_,
                progress=round_progress(session=session, round_id=round_.id),
                who=round_words(round_.cohort, surveys.get(round_.id)),
                outcomes=run_outcomes(session=session, round_id=round_.id),
                title=titles[round_.id],
            )
        )
    return rows


def schedules(*, session: Session) -> list[RoundSchedule]:
    """Recurring rounds, active first."""
    query = select(RoundSchedule).order_by(col(RoundSchedule.active).desc(), col(RoundSchedule.id))
    return list(session.exec(query))
