"""`voice-service round launch|list|close|schedule|schedules|unschedule|status`: rounds, recurring rounds, progress."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func
from sqlmodel import col, select

from ..dates import uk_date
from ..db import session_scope
from ..models import Round, RoundSchedule, Run, utcnow
from ..outbox.waiting import describe_waiting
from ..outbox.windows import Windows
from ..participants.groups import ParticipantStatus
from ..rounds.audience import left_out_by_survey
from ..rounds.launch import EmptyCohort, already_in_words, launch_round
from ..rounds.membership import Cohort, local_date, planned_if_closed_early, unknown_area
from ..rounds.progress import OPTED_OUT, finished_and_said_no, round_progress
from ..rounds.schedule import DEFAULT_TIME, CadenceError, create_schedule, schedule_warnings
from ..summary.loop import NOWHERE_WORDS, close_and_tell, held_back_words, panel_nowhere, told_words
from . import AppState, pass_state, warn_email_without_smtp
from .audited import audit
from .dates import UK_DATE


@click.group("round")
def round_() -> None:
    """Feedback rounds."""


def cohort_options(command):
    """Who a round is for (`Cohort`), the same options for `round launch` and `round schedule`."""
    for option in reversed(
        [
            click.option(
                "--status",
                type=click.Choice([ParticipantStatus.IN_CARE, ParticipantStatus.CARE_LEAVER]),
                help="Only young people in care, or only care leavers (everyone if left out).",
            ),
            click.option("--area", help="Only young people in this area, in any case (north is North)."),
            click.option(
                "--min-age", type=click.IntRange(0, 30), help="The youngest age to invite (their age on the day)."
            ),
            click.option(
                "--max-age", type=click.IntRange(0, 30), help="The oldest age to invite (their age on the day)."
            ),
            click.option(
                "--participant",
                "participant_ids",
                type=int,
                multiple=True,
                help="Only these participants, by their id (repeat; within the other filters).",
            ),
        ]
    ):
        command = option(command)
    return command


@round_.command("launch")
@click.option("--survey", "survey_id", required=True, help="Survey id (see `surveys list`).")
@cohort_options
@click.option(
    "--closes",
    type=UK_DATE,
    help="Last day for answers, to the end of that day, local time (2026-12-19, 19/12/2026 or 19 Dec 2026).",
)
@click.option("--allow-empty", is_flag=True, help="Open the round even if nobody matches the cohort yet.")
@pass_state
def round_launch(
    state: AppState, survey_id, status, area, min_age, max_age, closes, participant_ids, allow_empty
) -> None:
    """Create a round and queue its invitations; the round id is alone on the last line."""
    services = state.services()
    if min_age is not None and max_age is not None and min_age > max_age:
        raise click.BadParameter("--min-age is more than --max-age")
    try:
        survey, source = services.survey_source(survey_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    closes_at = None
    if closes is not None:
        tz = ZoneInfo(services.config.app.timezone)
        closes_at = datetime.combine(closes, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    cohort = Cohort(
        status=status, area=area, min_age=min_age, max_age=max_age, participant_ids=tuple(participant_ids) or None
    )
    outside: list[str] = []
    try:
        with session_scope(services.engine) as session:
            today = local_date(utcnow(), services.config.app.timezone)
            outside = left_out_by_survey(session=session, cohort=cohort, survey=survey, today=today).phrases()
            result = launch_round(
                session=session,
                vault=services.vault,
                survey=survey,
                source=source,
                cohort=cohort,
                closes_at=closes_at,
                timezone=services.config.app.timezone,
                allow_empty=allow_empty,
                council=services.config.app.council_name,
                chat_days=services.config.webchat.session_max_age_days,
            )
            round_id = result.round.id
            audit(session, "round.launch", subject_type="round", subject_id=round_id)
            area_note = unknown_area(session, area) if result.invited == 0 else None
    except EmptyCohort as exc:
        # Who the survey's own audience left out, and the way to open the round anyway (tester U13).
        left_out = f"; the survey left out {', '.join(outside)}" if outside else ""
        raise click.ClickException(f"{exc}{left_out} (--allow-empty opens it anyway)") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"round {round_id}: {survey.id} v{survey.version}, {result.queued_words}"
        f"{f', {result.opted_out} left out (opted out)' if result.opted_out else ''}"
        f"{f', {already_in_words(result.already_in, result.open_rounds)}' if result.already_in else ''}"
        f"{f', {result.held_back} held back (open safeguarding alert)' if result.held_back else ''}"
        f"{f', {result.unreachable_words}' if result.unreachable else ''}"
    )
    for phrase in outside:
        click.echo(f"left out: {phrase}")
    if result.invited == 0:
        click.echo(f"warning: nobody matched this cohort{f': {area_note}' if area_note else ''}", err=True)
    click.echo(round_id)


@round_.command("list")
@pass_state
def round_list(state: AppState) -> None:
    """Rounds with their counts."""
    services = state.services()
    with session_scope(services.engine) as session:
        rounds = session.exec(select(Round).order_by(col(Round.id))).all()
        if not rounds:
            # As `round schedules` and `action list` say so: silence looked like a wrong database.
            click.echo("no rounds yet: launch one with `voice-service round launch --survey ID`")
        for round_ in rounds:
            runs = select(func.count(col(Run.id))).where(col(Run.round_id) == round_.id)
            invited = session.exec(runs).one()
            assert round_.id is not None
            finished, declined = finished_and_said_no(session=session, round_id=round_.id)
            opted_out = session.exec(runs.where(OPTED_OUT)).one()  # as `round status` counts them
            tz = services.config.app.timezone
            click.echo(
                f"{round_.id:>4}  {round_.survey_id:<14} {round_.status:<7} "
                f"opened {local_date(round_.opens_at, tz).isoformat()} {closing_words(round_, tz)}  "
                f"invited {invited}  finished {finished}  said no {declined}  opted out {opted_out}"
            )


def closing_words(round_: Round, timezone: str) -> str:
    """When a round closes or closed, on the council's calendar: "closes 2026-03-16" (or "closes -" when it stays
    open until closed), "closed 2026-03-16", or, closed before the day it was planned to close, "closed 2026-03-09
    (closed early; planned 2026-03-16)": `round list` once showed the planned day for a round closed early."""
    if round_.closed_at is None:
        return f"closes {local_date(round_.closes_at, timezone).isoformat() if round_.closes_at else '-'}"
    planned = planned_if_closed_early(round_, timezone)
    early = f" (closed early; planned {planned.isoformat()})" if planned else ""
    return f"closed {local_date(round_.closed_at, timezone).isoformat()}{early}"


@round_.command("close")
@click.argument("round_id", type=int)
@pass_state
def round_close(state: AppState, round_id: int) -> None:
    """Close a round: its runs stop accepting answers, and everyone who took part is told back.

    Also queues a thank-you with a link to "You said, we did" to each young person who answered (a text,
    or a message in their web chat; held back while their safeguarding alert is open), and the panel's
    summary to the [panel] email addresses (or saves it in the panel's folder).
    """
    services = state.services()
    try:
        closed = close_and_tell(services, round_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    if closed.was_open:
        # As the dashboard's button: in its own transaction once the round is closed (`close_and_tell` has its own).
        with session_scope(services.engine) as session:
            audit(session, "round.close", subject_type="round", subject_id=round_id)
        click.echo(f"round {round_id} closed; {told_words(closed.told)}")
    else:
        closed_on = uk_date(closed.closed_at, services.config.app.timezone)
        held = f"; {held_back_words(closed.told.held)}" if closed.told.held else ""
        click.echo(f"round {round_id} was already closed on {closed_on}: nothing sent to young people again{held}")
    if closed.delivery is None:
        raise click.ClickException(
            f"round {round_id} is closed, but the panel summary could not be delivered ({closed.problem}); "
            f"write it with `voice-service summary --round {round_id} --format pdf --out PATH`"
        )
    if panel_nowhere(services.config):
        click.echo(f"note: {NOWHERE_WORDS}")
    for path in closed.delivery.files:
        click.echo(f"panel summary written to {path}")
    if closed.delivery.changed:
        click.echo(f"Warning (round {round_id}): {closed.delivery.changed}", err=True)
    queued = len(closed.delivery.emailed) - len(closed.delivery.already)
    if queued:
        click.echo(f"panel summary queued to email to {queued} recipient{'' if queued == 1 else 's'}")
    if closed.delivery.already:
        # As the outbox has it: an email queued but not yet sent (smtp.host unset, say) was not "emailed".
        click.echo(f"panel summary {closed.delivery.already_words()}: not queued again")
    if closed.delivery.emailed:
        warn_email_without_smtp(state.services())


def _local(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%a %Y-%m-%d %H:%M") if value else "-"


@round_.command("schedule")
@click.option("--survey", "survey_id", required=True, help="Survey id (see `surveys list`).")
@click.option(
    "--every",
    "cadence",
    required=True,
    metavar="CADENCE",
    help='"every 3 months on the first tuesday", "every fortnight on friday at 5pm", '
    '"every 2 weeks on monday at 17:00", "weekly on friday", "monthly on the 1st", "every month on the last friday" '
    f"(times: 17:00, 5pm, 5:30pm; {DEFAULT_TIME[0]:02d}:{DEFAULT_TIME[1]:02d} when none is given; in the council's "
    "time zone), or a crontab line.",
)
@cohort_options
@click.option(
    "--open-days",
    type=click.IntRange(1, 365),
    default=14,
    show_default=True,
    help="Days each round stays open for answers.",
)
@click.option("--allow-empty", is_flag=True, help="Schedule it even if nobody matches the cohort yet.")
@pass_state
def round_schedule(
    state: AppState, survey_id, cadence, status, area, min_age, max_age, participant_ids, open_days, allow_empty
) -> None:
    """Launch a round on a cadence; the schedule id is alone on the last line.

    As `round launch`, refuses a cohort nobody is in now (--allow-empty schedules it anyway).
    """
    services = state.services()
    if min_age is not None and max_age is not None and min_age > max_age:
        raise click.BadParameter("--min-age is more than --max-age")
    try:
        survey, _source = services.survey_source(survey_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    tz = ZoneInfo(services.config.app.timezone)
    cohort = Cohort(
        status=status, area=area, min_age=min_age, max_age=max_age, participant_ids=tuple(participant_ids) or None
    )
    try:
        with session_scope(services.engine) as session:
            schedule = create_schedule(
                session=session,
                survey_id=survey_id,
                cohort=cohort,
                cadence=cadence,
                tz=tz,
                open_days=open_days,
                survey=survey,
                allow_empty=allow_empty,
            )
            schedule_id, next_run = schedule.id, schedule.next_run_at
            warnings = schedule_warnings(session=session, schedule=schedule, tz=tz)
            audit(session, "schedule.create", subject_type="schedule", subject_id=schedule_id)
    except EmptyCohort as exc:
        # Launch's words (`launch.refuse_empty`), and the way to schedule it anyway.
        raise click.ClickException(f"{exc} (--allow-empty schedules it anyway)") from None
    except (CadenceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"schedule {schedule_id}: {survey_id} {cadence}; next run {_local(next_run, tz)} "
        f"(runs in `voice-service scheduler`)"
    )
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(schedule_id)


@round_.command("schedules")
@pass_state
def round_schedules(state: AppState) -> None:
    """Recurring rounds with their next run (local time)."""
    services = state.services()
    tz = ZoneInfo(services.config.app.timezone)
    with session_scope(services.engine) as session:
        schedules = session.exec(select(RoundSchedule).order_by(col(RoundSchedule.id))).all()
        if not schedules:
            click.echo("no recurring rounds")
        for s in schedules:
            who = ", ".join(f"{k}={v}" for k, v in s.cohort.items() if k != "participant_ids")
            if "participant_ids" in s.cohort:
                who = (who + ", " if who else "") + f"{len(s.cohort['participant_ids'])} chosen"
            state_word = "active" if s.active else "stopped"
            click.echo(
                f"{s.id:>4}  {s.survey_id:<14} {state_word:<7} {s.cadence!r}  next {_local(s.next_run_at, tz)}  "
                f"last {_local(s.last_run_at, tz)}  open {s.open_days}d  {who or 'everyone'}"
            )


@round_.command("unschedule")
@click.argument("schedule_id", type=int)
@pass_state
def round_unschedule(state: AppState, schedule_id: int) -> None:
    """Stop a recurring round (rounds it already launched carry on)."""
    services = state.services()
    with session_scope(services.engine) as session:
        schedule = session.get(RoundSchedule, schedule_id)
        if schedule is None:
            raise click.ClickException(f"there is no schedule {schedule_id}")
        schedule.active = False
        schedule.next_run_at = None
        audit(session, "schedule.stop", subject_type="schedule", subject_id=schedule_id)
    click.echo(f"schedule {schedule_id} stopped")


@round_.command("status")
@click.argument("round_id", type=int)
@pass_state
def round_status(state: AppState, round_id: int) -> None:
    """Invited, delivered, failed, started, finished (answered to the end), said no and opted out for one round.

    Invitations waiting for the send window are counted, with when it opens.
    """
    services = state.services()
    now = utcnow()
    try:
        with session_scope(services.engine) as session:
            p = round_progress(
                session=session, round_id=round_id, windows=Windows.from_config(services.config), now=now
            )
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    described = describe_waiting(p.waiting_for_window, now=now, tz=ZoneInfo(services.config.app.timezone))
    click.echo(f"round {p.round_id} ({p.status})")
    click.echo(f"  invited    {p.invited:>6}   invitations: {p.invitations_line()}")
    if described:
        click.echo(f"  {described}")
    for label, value in (
        ("delivered", p.delivered),
        ("sent", p.sent),
        ("failed", p.failed),
        ("not sent", p.cancelled),
        ("started", p.started),
        ("finished", p.finished),
        ("said no", p.said_no),
        ("opted out", p.opted_out),
        ("reminded", p.reminders),
    ):
        click.echo(f"  {label:<10} {value:>6}")
