"""`voice-service alerts list|show|ack|action|handover|close`: the duty team's view of safeguarding alerts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlmodel import Session, col, func, select

from ..accounts import display_names
from ..analysis.model import risk_model
from ..audit import record
from ..dates import uk_date_time, uk_day_time, uk_duration
from ..db import session_scope
from ..models import (
    Alert,
    AlertAction,
    AlertMessage,
    AlertStatus,
    AlertStep,
    Message,
    OutboxMessage,
    OutboxStatus,
    Participant,
    utcnow,
)
from ..rounds.held_back import invite_held_back, invited_words
from ..safeguarding import alerts as service
from ..safeguarding import history as alert_record
from ..safeguarding.unsent import scheduler_silence, unsent_notices
from ..safeguarding.waiting import wait
from ..summary.loop import held_words, release_held
from ..web.admin.alerts_service import staff_names, survey_answers
from ..web.admin.words import alert_categories, reasons_by_message
from . import AppState, pass_state, warn_email_without_smtp
from .audited import cli_actor


def wait_text(alert: Alert, *, target: int, now: datetime) -> str:
    """The wait against the acknowledgement target (`safeguarding.waiting`, as the duty pages have it),
    e.g. "waiting 22 min (target 15 min, OVER)", "waiting 1 year (target 15 min, OVER)"."""
    waited = wait(alert, now=now, target_minutes=target)
    verb = "acknowledged after" if waited.picked_up else "waiting"
    over = "OVER" if waited.overdue else "within"
    return f"{verb} {uk_duration(waited.minutes)} (target {uk_duration(target)}, {over})"


@click.group()
def alerts() -> None:
    """Safeguarding alerts."""


@alerts.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged and closed alerts.")
@pass_state
def alerts_list(state: AppState, show_all: bool) -> None:
    """Open alerts, oldest first: how long each has waited against the target, and whether the duty team was told."""
    services = state.services()
    config = services.config
    target = config.safeguarding.acknowledge_within_minutes
    tz = ZoneInfo(config.app.timezone)
    now = utcnow()
    with Session(services.engine) as session:
        query = select(Alert, col(Participant.pseudonym)).outerjoin(
            Participant, col(Participant.id) == col(Alert.participant_id)
        )
        if not show_all:
            query = query.where(col(Alert.status) != AlertStatus.CLOSED)
        rows = session.exec(query.order_by(col(Alert.created_at), col(Alert.id))).all()
        notices = service.notice_states(session=session, alert_ids=[alert.id for alert, _ in rows if alert.id])
        escalations = service.escalation_states(session=session, alert_ids=[alert.id for alert, _ in rows if alert.id])
        # Who has each, by the name the dashboard and the notices give them, never their email address.
        names = display_names(session=session, emails=[alert.assigned_to or alert.acknowledged_by for alert, _ in rows])
        for alert, pseudonym in rows:
            who = pseudonym or "anonymous"
            holder = alert.assigned_to or alert.acknowledged_by
            count = alert.message_count
            parts = [
                wait_text(alert, target=target, now=now),
                f"{count} message{'' if count == 1 else 's'}",
                notices.get(alert.id or 0, service.NoticeState()).words(),
            ]
            if alert.escalated_at is not None:
                # "escalated" only once its notice has left; until then "escalation waiting to be sent".
                tag = service.escalation_tag(alert, escalations).lower()
                parts.append(
                    f"{tag} {'since ' if tag != 'escalated' else ''}{uk_day_time(alert.escalated_at, tz, now=now)}"
                )
            if holder and alert.status != AlertStatus.OPEN:
                parts.append(f"with {names.get(holder, holder)}")
            parts += [flag for flag, on in (("out of hours", alert.out_of_hours), ("delayed", alert.delayed)) if on]
            categories = alert_categories(alert.categories, alert.reasons)
            click.echo(
                f"#{alert.id:<5} {uk_date_time(alert.created_at, tz):<17} {alert.status:<12} "
                f"{alert.priority:<4} {who:<12} {alert.channel:<8} {categories}  " + "; ".join(parts)
            )
        if not rows:
            click.echo("no alerts" if show_all else "no open alerts")
        # Last, where the eye lands: notices to the duty team that are not leaving (no scheduler running, or a
        # route failing: which, and which are going).
        silence = scheduler_silence(
            session=session, now=now, after_minutes=config.safeguarding.scheduler_silent_minutes
        )
        if silence:
            click.echo(f"WARNING: {silence.words(now, str(config.app.timezone))}")
        unsent = unsent_notices(session=session, now=now, after_minutes=config.safeguarding.unsent_notice_minutes)
        if unsent:
            click.echo(f"WARNING: {unsent.words(now, scheduler_running=not silence)}")


@alerts.command("show")
@click.argument("alert_id", type=int)
@click.option("--by", "by", required=True, help="Your duty account, by name or email (`users list` shows them).")
@pass_state
def alerts_show(state: AppState, alert_id: int, by: str) -> None:
    """One alert with the young person's words, for the duty worker; the view is audited ("alert.view")."""
    services = state.services()
    config = services.config
    tz = ZoneInfo(config.app.timezone)
    if not by.strip():
        raise click.ClickException("--by must name who is reading the alert")
    with session_scope(services.engine) as session:
        try:
            reader = _duty_member(session, by)
        except service.NotOnDutyTeam as exc:
            raise click.ClickException(str(exc)) from None
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise click.ClickException(f"there is no alert {alert_id}")
        # The same action the duty page records: reading a young person's words is always on the record,
        # written before a word is shown.
        record(
            session=session,
            actor=reader,
            action="alert.view",
            subject_type="alert",
            subject_id=alert.id,
            ip=cli_actor(),
        )
        session.commit()
        participant = session.get(Participant, alert.participant_id) if alert.participant_id else None
        click.echo(
            f"Alert #{alert.id} ({alert.status}, {alert.priority} priority), raised "
            f"{uk_date_time(alert.created_at, tz)} ({config.app.timezone}) by {alert.channel}"
            + (", out of hours" if alert.out_of_hours else "")
            + (", delayed (sent while the service was down)" if alert.delayed else "")
        )
        click.echo(f"Categories: {alert_categories(alert.categories, alert.reasons)}")
        links = session.exec(
            select(AlertMessage, Message)
            .join(Message, col(AlertMessage.message_id) == col(Message.id))
            .where(col(AlertMessage.alert_id) == alert.id)
            .order_by(col(Message.created_at), col(Message.id))
        ).all()
        messages = [message for _, message in links]
        now = utcnow()
        if alert.reasons:
            # In the duty page's words ("Words about abuse: 'hits me'"), never the screen's own codes, and the
            # matched words as the young person wrote them; one line per message when more than one raised it.
            raised_by = [(link.reasons, message.body, message.created_at) for link, message in links]
            why = reasons_by_message(alert.reasons, raised_by, risk_model().low, config.app.timezone, now=now)
            if len(why) > 1 and all(line.startswith("Message ") for line in why):
                click.echo("Why:\n" + "\n".join(f"  {line}" for line in why))
            else:
                click.echo(f"Why: {'; '.join(why)}")
        waited = wait_text(alert, target=config.safeguarding.acknowledge_within_minutes, now=now)
        click.echo(waited[:1].upper() + waited[1:])  # not .capitalize(), which turned "OVER" into "over"
        if participant:
            click.echo(
                f"Young person: {participant.pseudonym} ({participant.first_name or 'name not known'}, "
                f"{participant.status_words()}, area {participant.area or 'not known'}"
                f"{', ' + age if (age := participant.age_words(now.date())) else ''})"
            )
        if messages:
            answers = survey_answers(session=session, messages=list(messages))
            for message in messages:
                said = answers.get(message.id or 0) or message.body
                click.echo(f"They said ({uk_day_time(message.created_at, tz, now=now)}): {said}")
        else:
            click.echo(f"They said: {alert.excerpt}")
        # Colleagues by the names the duty page gives them, never their email addresses.
        steps = alert_record.history(session=session, alert=alert)
        names = staff_names(session=session, alert=alert, also=alert_record.people(steps))
        if alert.acknowledged_by and alert.acknowledged_at:
            who = names[alert.acknowledged_by]
            click.echo(f"Acknowledged by {who} at {uk_date_time(alert.acknowledged_at, tz)}")
        if alert.assigned_to:
            handed = alert_record.last(steps, AlertStep.HANDED_OVER)
            by = f" by {handed.who(names)} at {uk_date_time(handed.at, tz)}" if handed else ""
            click.echo(f"Handed over to {names[alert.assigned_to]}{by}")
        if done := alert_record.done(steps):
            words = [
                f"{alert_record.ACTION_WORDS[step.action or '']} ({step.who(names)}, {uk_date_time(step.at, tz)})"
                for step in done
            ]
            click.echo(f"What was done: {'; '.join(words)}")
        elif alert.action_taken:
            click.echo(f"What was done: {alert_record.ACTION_WORDS[alert.action_taken]}")
        if steps:
            click.echo("What happened:")
            for step in steps:
                note = f": {step.note}" if step.note else ""
                click.echo(f"  {uk_date_time(step.at, tz)} {step.words(names)}{note}")
        if earlier := alert_record.earlier_notes(alert):
            click.echo("Earlier notes (written before who wrote each note and when were kept):")
            for line in earlier:
                click.echo(f"  {line}")
        if alert.closed_by and alert.closed_at:
            click.echo(f"Closed by {names[alert.closed_by]} at {uk_date_time(alert.closed_at, tz)}")
        history = service.notice_history(session=session, alert_id=alert_id)
        click.echo("Notices:" if history else "Notices: none (no duty route was configured when it was raised)")
        for event in history:
            click.echo(f"  {event.words(config.app.timezone, now=now)}")


def _name_of(state: AppState, email: str | None) -> str:
    """The name the dashboard and the notices give the account `email` is (`accounts.display_names`)."""
    if not email:
        return ""
    with Session(state.services().engine) as session:
        return display_names(session=session, emails=[email])[email]


def _duty_member(session: Session, by: str) -> str:
    """The email of the duty account `--by` names (by name or email): who acknowledged, acted on, closed
    or read a safeguarding alert is accountability data, so it must be someone on the duty team."""
    return service.duty_account(session=session, who=by, rule=service.BY_RULE).email


def _apply(state: AppState, action: str, by: str, change: Callable[[Session, str], Alert]) -> Alert:
    """Run one change and its audit row in one transaction, in the name of the duty account `by` names,
    turning refusals into clean messages."""
    services = state.services()
    try:
        with session_scope(services.engine) as session:
            actor = _duty_member(session, by)
            alert = change(session, actor)
            record(
                session=session, actor=actor, action=action, subject_type="alert", subject_id=alert.id, ip=cli_actor()
            )
            emailed = session.scalar(
                select(func.count(col(OutboxMessage.id))).where(
                    col(OutboxMessage.alert_id) == alert.id,
                    col(OutboxMessage.channel) == "email",
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                )
            )
            session.expunge(alert)
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if emailed:  # the change told someone by email (the escalation contacts, say): can it leave?
        warn_email_without_smtp(services)
    return alert


@alerts.command("ack")
@click.argument("alert_id", type=int)
@click.option("--by", "by", required=True, help="Your duty account, by name or email (`users list` shows them).")
@click.option("--note", default=None, help="What is being done.")
@pass_state
def alerts_ack(state: AppState, alert_id: int, by: str, note: str | None) -> None:
    """Acknowledge an alert: re-notification and escalation stop. A closed alert is refused; one
    already acknowledged (a hand-over acknowledges it too) is left with whoever has it, and a --note is
    added to its notes (the same note twice is added once)."""
    try:
        alert = _apply(
            state,
            "alert.acknowledge",
            by,
            lambda session, actor: service.acknowledge(
                session=session,
                vault=state.services().vault,
                config=state.services().config,
                alert_id=alert_id,
                by=actor,
                note=note,
            ),
        )
    except service.AlreadyAcknowledged as already:
        since = ""
        if already.acknowledged_at is not None:
            tz = ZoneInfo(state.services().config.app.timezone)
            since = f" at {uk_date_time(already.acknowledged_at, tz)}"
        who = _name_of(state, already.acknowledged_by)
        if not (note and note.strip()):
            click.echo(f"alert {alert_id} was already acknowledged by {who}{since}; nothing changed")
            return
        # Someone has it (a hand-over acknowledges it too): the worker's note is kept, not lost (trial 11, T11-11).
        added: list[bool] = []

        def keep(session: Session, actor: str) -> Alert:
            alert, was_added = service.add_note(session=session, alert_id=alert_id, note=note, by=actor)
            added.append(was_added)
            return alert

        _apply(state, "alert.note", by, keep)
        kept = "your note was added" if added[0] else "your note was already on it"
        click.echo(f"alert {alert_id} was already acknowledged by {who}{since}; {kept}")
        return
    click.echo(f"alert {alert_id} acknowledged by {_name_of(state, alert.acknowledged_by)}")


@alerts.command("action")
@click.argument("alert_id", type=int)
@click.argument("action", type=click.Choice(AlertAction.ALL))
@click.option("--by", "by", required=True, help="Your duty account, by name or email (`users list` shows them).")
@click.option("--note", default=None, help="What happened (with no_further_action: why, which it needs).")
@pass_state
def alerts_action(state: AppState, alert_id: int, action: str, by: str, note: str | None) -> None:
    """Record what was done about an alert."""
    _apply(
        state,
        "alert.record_action",
        by,
        lambda session, actor: service.record_action(
            session=session,
            vault=state.services().vault,
            config=state.services().config,
            alert_id=alert_id,
            action=action,
            by=actor,
            note=note,
        ),
    )
    click.echo(f"alert {alert_id}: {action.replace('_', ' ')} recorded")


@alerts.command("handover")
@click.argument("alert_id", type=int)
@click.option("--to", "to", required=True, help="The duty colleague who takes it over: their account's name or email.")
@click.option("--by", "by", required=True, help="Your duty account, by name or email (`users list` shows them).")
@click.option("--note", default=None, help="What they need to know.")
@pass_state
def alerts_handover(state: AppState, alert_id: int, to: str, by: str, note: str | None) -> None:
    """Hand an alert over to another duty worker: someone with a duty account (see `users list`), by name or email."""
    taker: list[str] = []

    def change(session: Session, actor: str) -> Alert:
        alert, account = service.hand_over(
            session=session,
            vault=state.services().vault,
            config=state.services().config,
            alert_id=alert_id,
            to=to,
            by=actor,
            note=note,
        )
        taker.append(f"{account.name} ({account.email})" if account.name else account.email)
        return alert

    _apply(state, "alert.hand_over", by, change)
    click.echo(f"alert {alert_id} handed over to {taker[0]}")


@alerts.command("close")
@click.argument("alert_id", type=int)
@click.option("--by", "by", required=True, help="Your duty account, by name or email (`users list` shows them).")
@click.option(
    "--action",
    type=click.Choice(AlertAction.ALL),
    default=None,
    help="What was done (needed unless already recorded with `alerts action`).",
)
@click.option(
    "--note", default=None, help="A closing note, such as the outcome (with no_further_action: why, which it needs)."
)
@pass_state
def alerts_close(state: AppState, alert_id: int, by: str, action: str | None, note: str | None) -> None:
    """Close an alert once what was done is recorded. A round's thank-you message held back from the young
    person while it was open is sent then, and a round still open that held back their invitation invites them."""
    released: list[int] = []
    invited: list[int] = []

    def change(session: Session, actor: str) -> Alert:
        services = state.services()
        alert = service.close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            by=actor,
            action=action,
            note=note,
        )
        released.extend(release_held(session=session, services=services, participant_id=alert.participant_id))
        invited.extend(
            invite_held_back(
                session=session,
                vault=services.vault,
                participant_id=alert.participant_id,
                timezone=services.config.app.timezone,
                council=services.config.app.council_name,
            )
        )
        return alert

    alert = _apply(state, "alert.close", by, change)
    click.echo(
        f"alert {alert_id} closed by {_name_of(state, alert.closed_by)} "
        f"({(alert.action_taken or '').replace('_', ' ')})"
    )
    if released:
        click.echo(held_words(released, now_sent=True))
    if invited:
        click.echo(invited_words(invited, now_sent=True))
