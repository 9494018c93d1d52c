"""`voice-service alerts list|show|ack`: the duty team's view of safeguarding alerts."""

import click
from sqlalchemy import select

from ..db import session_scope
from ..models import Alert, AlertStatus, Participant
from ..safeguarding.alerts import acknowledge
from . import AppState, pass_state


@click.group()
def alerts() -> None:
    """Safeguarding alerts."""


@alerts.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include acknowledged alerts.")
@pass_state
def alerts_list(state: AppState, show_all: bool) -> None:
    """Open alerts, oldest first (the message itself is shown by `alerts show`)."""
    services = state.services()
    with session_scope(services.engine) as session:
        query = select(Alert, Participant.pseudonym).outerjoin(Participant, Participant.id == Alert.participant_id)
        if not show_all:
            query = query.where(Alert.status == AlertStatus.OPEN)
        rows = session.exec(query.order_by(Alert.created_at, Alert.id)).all()
        for alert, pseudonym in rows:
            who = pseudonym or "anonymous"
            extra = f" acknowledged by {alert.acknowledged_by}" if alert.acknowledged_by else ""
            click.echo(
                f"#{alert.id:<5} {alert.created_at:%Y-%m-%d %H:%M} {alert.status:<12} {who:<12} "
                f"{alert.channel:<8} {', '.join(alert.categories)}  notified {alert.notified_count}x{extra}"
            )
        if not rows:
            click.echo("no open alerts" if not show_all else "no alerts")


@alerts.command("show")
@click.argument("alert_id", type=int)
@pass_state
def alerts_show(state: AppState, alert_id: int) -> None:
    """One alert with the young person's words, for the duty worker."""
    services = state.services()
    with session_scope(services.engine) as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise click.ClickException(f"there is no alert {alert_id}")
        participant = session.get(Participant, alert.participant_id) if alert.participant_id else None
        click.echo(
            f"Alert #{alert.id} ({alert.status}), raised {alert.created_at:%Y-%m-%d %H:%M} UTC by {alert.channel}"
        )
        click.echo(f"Categories: {', '.join(alert.categories)}")
        if participant:
            click.echo(
                f"Young person: {participant.pseudonym} ({participant.first_name or 'name not known'}, "
                f"{participant.status}, area {participant.area or 'not known'})"
            )
        click.echo(f"They said: {alert.excerpt}")
        if alert.acknowledged_by:
            click.echo(
                f"Acknowledged by {alert.acknowledged_by} at {alert.acknowledged_at:%Y-%m-%d %H:%M}: {alert.note or ''}"
            )


@alerts.command("ack")
@click.argument("alert_id", type=int)
@click.option("--by", "by", required=True, help="Who is picking this up.")
@click.option("--note", default=None, help="What is being done.")
@pass_state
def alerts_ack(state: AppState, alert_id: int, by: str, note: str | None) -> None:
    """Acknowledge an alert: re-notification stops."""
    services = state.services()
    try:
        with session_scope(services.engine) as session:
            alert = acknowledge(session=session, alert_id=alert_id, by=by, note=note)
            who = alert.acknowledged_by
    except (LookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"alert {alert_id} acknowledged by {who}")
