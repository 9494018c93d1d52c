"""Rounds pages: launch with the cohort counted first, schedules, status and progress, reminders, close."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import Session

from ...db import session_scope
from ...models import Role, Round, RoundSchedule, RoundStatus, utcnow
from ...outbox.waiting import describe_waiting
from ...outbox.windows import Windows, window_rules
from ...rounds.audience import cohort_words, round_words
from ...rounds.launch import EmptyCohort, already_in_words
from ...rounds.membership import AudienceMismatch
from ...rounds.progress import round_progress
from ...rounds.reminders import queue_reminders
from ...rounds.schedule import CadenceError, create_schedule, schedule_warnings
from ...summary.loop import NOWHERE_WORDS, close_and_tell, close_preview, panel_nowhere, told_words
from ...surveys.registry import round_surveys, survey_titles
from . import bp
from .form_errors import Problems
from .ids import record_id
from .nav import nav_item
from .rounds_service import (
    FormError,
    audience_error,
    launch,
    preview_launch,
    read_launch_form,
    rounds_overview,
    run_outcomes,
    schedules,
)
from .security import audit, live_config, requires, services
from .surveys_service import survey_files

log = logging.getLogger(__name__)
nav_item("admin.rounds", "Rounds", roles=(Role.WORKER,), order=40, active_prefix="admin.round")


def _tz() -> ZoneInfo:
    return ZoneInfo(services().config.app.timezone)


def _launchable() -> dict:
    """Surveys that can be launched: those that load from the conversations folder."""
    return survey_files(services().conversations_dir).surveys


@bp.get("/rounds")
@requires(Role.WORKER)
def rounds():
    """Every round with its progress, and the recurring rounds."""
    with Session(services().engine) as session:
        rows = rounds_overview(session=session)
        recurring = schedules(session=session)
    audit("round.list", subject_type="round")
    return render_template("admin/rounds.html", rows=rows, schedules=recurring, tz=_tz(), cohort_words=cohort_words)


def _form_page(surveys, errors: dict[str, str], *, wrong: dict[str, tuple[str, ...]] | None = None):
    """The launch form again, with its errors (GOV.UK's error summary; `wrong`: a date's boxes to mark)."""
    return render_template(
        "admin/round_new.html", surveys=surveys, form=request.form, errors=errors, wrong=wrong or {}
    ), 400


def _form_error(surveys, error: FormError):
    """The launch form again, with every field the rounds package's reading refused."""
    return _form_page(surveys, error.errors(), wrong=error.wrong())


@bp.get("/rounds/new")
@requires(Role.WORKER)
def round_new():
    """The launch form: survey, who, and until when."""
    form = {"survey": request.args.get("survey", "")}
    return render_template("admin/round_new.html", surveys=_launchable(), form=form, errors={}, wrong={})


@bp.post("/rounds/new")
@requires(Role.WORKER)
def round_preview():
    """Count who would be invited before anything is sent; the form is shown again to confirm."""
    surveys = _launchable()
    now = utcnow()
    try:
        form = read_launch_form(request.form, surveys=surveys, now=now, tz=_tz())
    except FormError as exc:
        return _form_error(surveys, exc)
    try:
        with Session(services().engine) as session:
            preview = preview_launch(
                session=session,
                form=form,
                survey=surveys[form.survey_id],
                now=now,
                timezone=services().config.app.timezone,
                chat_days=services().config.webchat.session_max_age_days,
            )
    except FormError as exc:
        return _form_error(surveys, exc)
    audit("round.preview", subject_type="survey", subject_id=form.survey_id)
    return render_template(
        "admin/round_preview.html",
        preview=preview,
        form=request.form,
        who=round_words(form.cohort, preview.survey),
        window_rules=window_rules(live_config().schedule, "Invitations"),
    )


@bp.post("/rounds/launch")
@requires(Role.WORKER)
def round_launch():
    """Launch the previewed round: the round, its runs and invitations in one transaction."""
    surveys = _launchable()
    try:
        form = read_launch_form(request.form, surveys=surveys)
        with session_scope(services().engine) as session:
            result = launch(session=session, services=services(), form=form, now=utcnow())
            round_id = result.round.id
            audit("round.launch", subject_type="round", subject_id=round_id, session=session)
    except FormError as exc:
        return _form_error(surveys, exc)
    except (ValueError, LookupError) as exc:
        return _form_page(surveys, {"survey": str(exc).capitalize()})
    previewed = request.form.get("previewed", "")
    note = ""
    if record_id(previewed) not in (None, result.invited):
        note = f" (the list changed since the preview, which counted {previewed})"
    held = f", {result.held_back} held back with an open safeguarding alert" if result.held_back else ""
    if result.already_in:
        held = f", {already_in_words(result.already_in, result.open_rounds)}{held}"
    if result.unreachable:
        held += f", {result.unreachable_words}"
    flash(f"Round {round_id} launched: {result.queued_words}{held}{note}", "success")
    return redirect(url_for("admin.round", round_id=round_id), code=303)


@bp.get("/rounds/<int:round_id>", endpoint="round")
@requires(Role.WORKER)
def round_page(round_id: int):
    """One round: status, progress, reminders, close."""
    with Session(services().engine) as session:
        found = session.get(Round, round_id)
        if found is None:
            abort(404)
        now = utcnow()
        progress = round_progress(
            session=session, round_id=round_id, windows=Windows.from_config(live_config()), now=now
        )
        outcomes = run_outcomes(session=session, round_id=round_id)
        title = survey_titles(session=session, rounds=[found])[round_id]
        who = round_words(found.cohort, round_surveys(session=session, rounds=[found]).get(round_id))
    audit("round.view", subject_type="round", subject_id=round_id)
    schedule = services().config.schedule
    return render_template(
        "admin/round.html",
        round=found,
        progress=progress,
        waiting=describe_waiting(progress.waiting_for_window, now=now, tz=_tz()),
        outcomes=outcomes,
        title=title,
        who=who,
        tz=_tz(),
        reminder_days=schedule.reminder_after_days,
        max_reminders=schedule.max_reminders,
    )


def _open_round(session, round_id: int) -> Round | None:
    """The round, still open; None when it is already closed (404 when there is no such round)."""
    found = session.get(Round, round_id)
    if found is None:
        abort(404)
    return None if found.status == RoundStatus.CLOSED else found


def _already_closed(round_id: int):
    flash(f"Round {round_id} was already closed", "success")
    return redirect(url_for("admin.round", round_id=round_id), code=303)


@bp.get("/rounds/<int:round_id>/close")
@requires(Role.WORKER)
def round_close_check(round_id: int):
    """Check before you close: how many texts, chat messages and emails closing will send (nothing changes)."""
    with Session(services().engine) as session:
        found = _open_round(session, round_id)
        if found is None:
            return _already_closed(round_id)
        preview = close_preview(services(), session=session, round_id=round_id)
        title = survey_titles(session=session, rounds=[found])[round_id]
    return render_template(
        "admin/round_close.html",
        round=found,
        title=title,
        preview=preview,
        window_rules=window_rules(live_config().schedule, "Texts"),
    )


@bp.post("/rounds/<int:round_id>/close")
@requires(Role.WORKER)
def round_close(round_id: int):
    """Close a round: no more answers; thank-you texts queued; the panel's summary delivered."""
    with session_scope(services().engine) as session:
        if _open_round(session, round_id) is None:
            return _already_closed(round_id)
    # The one close path (also `round close` and the scheduler): closes, thanks young people once, tells the panel.
    closed = close_and_tell(services(), round_id)
    with session_scope(services().engine) as session:
        audit("round.close", subject_type="round", subject_id=round_id, session=session)
    message = f"Round {round_id} closed; {told_words(closed.told)}"
    delivery = closed.delivery
    if delivery is None:
        message += "; the panel's summary could not be sent: download it from Summaries"
    elif panel_nowhere(services().config):
        message += f"; {NOWHERE_WORDS}"
    else:
        if delivery.files:
            message += "; the panel's summary was saved in the panel's folder"
        queued = len(delivery.emailed) - len(delivery.already)
        if queued:
            message += f"; the panel's summary was queued to {queued} email address{'' if queued == 1 else 'es'}"
        if delivery.already:
            message += f"; the panel's summary was {delivery.already_words()}: not queued again"
    flash(message, "success")
    if delivery is not None and delivery.changed:
        flash(delivery.changed, "warning")
    return redirect(url_for("admin.round", round_id=round_id), code=303)


@bp.post("/rounds/reminders")
@requires(Role.WORKER)
def rounds_reminders():
    """Queue the reminders that are due now across open rounds (the scheduler also does this)."""
    schedule = services().config.schedule
    with session_scope(services().engine) as session:
        report = queue_reminders(
            session=session,
            vault=services().vault,
            after_days=schedule.reminder_after_days,
            max_reminders=schedule.max_reminders,
        )
        audit("round.reminders", subject_type="round", session=session)
    held = f"; {report.held_back} held back with an open safeguarding alert" if report.held_back else ""
    flash(
        f"{report.queued} reminder{'' if report.queued == 1 else 's'} queued; {report.not_yet} not due yet{held}",
        "success",
    )
    return redirect(url_for("admin.rounds"), code=303)


@bp.post("/rounds/schedule")
@requires(Role.WORKER)
def round_schedule():
    """Make a recurring round from the launch form plus a cadence."""
    surveys = _launchable()
    errors: dict[str, str] = {}
    wrong: dict[str, tuple[str, ...]] = {}
    try:
        own = Problems()
        open_days_text = request.form.get("open_days", "14").strip()
        if not open_days_text.isdigit() or not 1 <= int(open_days_text) <= 365:
            own.add("open_days", "Enter how many days each round stays open, from 1 to 365")
        form = read_launch_form(request.form, surveys=surveys, extra=own)
        survey, _source = services().survey_source(form.survey_id)
        with session_scope(services().engine) as session:
            # Refused as `round schedule` refuses (`create_schedule`): a cohort the survey is not written for,
            # or one nobody is in now.
            created = create_schedule(
                session=session,
                survey_id=form.survey_id,
                cohort=form.cohort,
                cadence=request.form.get("cadence", ""),
                tz=_tz(),
                open_days=int(open_days_text),
                survey=survey,
                allow_empty=False,
            )
            warnings = schedule_warnings(session=session, schedule=created, tz=_tz())
            audit("schedule.create", subject_type="schedule", subject_id=created.id, session=session)
    except AudienceMismatch as exc:
        error = audience_error(exc)
        errors, wrong = error.errors(), error.wrong()
    except EmptyCohort as exc:
        message = str(exc).split(" (--allow-empty", 1)[0]
        errors["survey"] = message[:1].upper() + message[1:]
    except FormError as exc:
        errors, wrong = exc.errors(), exc.wrong()
    except CadenceError as exc:
        errors["cadence"] = str(exc).capitalize()
    if errors:
        return _form_page(surveys, errors, wrong=wrong)
    if not warnings:
        flash("Recurring round saved: the scheduler launches each one", "success")
    for n, warning in enumerate(warnings):  # saved as asked, and said what it will do: no green "Success" beside it
        flash(f"Recurring round saved, but {warning}." if n == 0 else f"{warning[:1].upper()}{warning[1:]}.", "warning")
    return redirect(url_for("admin.rounds"), code=303)


@bp.post("/rounds/schedules/<int:schedule_id>/stop")
@requires(Role.WORKER)
def round_schedule_stop(schedule_id: int):
    """Stop a recurring round (rounds it already launched carry on)."""
    with session_scope(services().engine) as session:
        found = session.get(RoundSchedule, schedule_id)
        if found is None:
            abort(404)
        found.active = False
        found.next_run_at = None
        audit("schedule.stop", subject_type="schedule", subject_id=schedule_id, session=session)
    flash(f"Recurring round {schedule_id} stopped", "success")
    return redirect(url_for("admin.rounds"), code=303)
