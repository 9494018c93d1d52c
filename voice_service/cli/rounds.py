"""`voice-service round launch|list|close`."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select

from ..db import session_scope
from ..models import Round, Run, RunStatus
from ..models.participant import ParticipantStatus
from ..rounds.launch import Cohort, close_round, launch_round
from ..summary.loop import deliver_panel_summary, on_round_closed
from . import AppState, pass_state


@click.group("round")
def round_() -> None:
    """Feedback rounds."""


@round_.command("launch")
@click.option("--survey", "survey_id", required=True, help="Survey id (see `surveys list`).")
@click.option("--status", type=click.Choice([ParticipantStatus.IN_CARE, ParticipantStatus.CARE_LEAVER]))
@click.option("--area")
@click.option("--min-age", type=click.IntRange(0, 30))
@click.option("--max-age", type=click.IntRange(0, 30))
@click.option(
    "--closes", type=click.DateTime(["%Y-%m-%d"]), help="Last day for answers (YYYY-MM-DD, end of day local time)."
)
@pass_state
def round_launch(state: AppState, survey_id, status, area, min_age, max_age, closes) -> None:
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
        closes_at = datetime.combine(closes.date(), time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    cohort = Cohort(status=status, area=area, min_age=min_age, max_age=max_age)
    try:
        with session_scope(services.engine) as session:
            result = launch_round(
                session=session, vault=services.vault, survey=survey, source=source, cohort=cohort, closes_at=closes_at
            )
            round_id = result.round.id
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"round {round_id}: {survey.id} v{survey.version}, {result.invited} invitations queued"
        f"{f', {result.opted_out} left out (opted out)' if result.opted_out else ''}"
    )
    if result.invited == 0:
        click.echo("warning: nobody matched this cohort", err=True)
    click.echo(round_id)


@round_.command("list")
@pass_state
def round_list(state: AppState) -> None:
    """Rounds with their counts."""
    services = state.services()
    with session_scope(services.engine) as session:
        rounds = session.exec(select(Round).order_by(Round.id)).scalars().all()
        for round_ in rounds:
            invited = session.exec(select(func.count(Run.id)).where(Run.round_id == round_.id)).scalar_one()
            finished = session.exec(
                select(func.count(Run.id)).where(Run.round_id == round_.id, Run.status == RunStatus.FINISHED)
            ).scalar_one()
            closes = round_.closes_at.date().isoformat() if round_.closes_at else "-"
            click.echo(
                f"{round_.id:>4}  {round_.survey_id:<14} {round_.status:<7} opened {round_.opens_at:%Y-%m-%d} "
                f"closes {closes}  invited {invited}  finished {finished}"
            )


@round_.command("close")
@click.argument("round_id", type=int)
@pass_state
def round_close(state: AppState, round_id: int) -> None:
    """Close a round: its runs stop accepting answers."""
    services = state.services()
    try:
        with session_scope(services.engine) as session:
            close_round(session=session, round_id=round_id)
            queued = on_round_closed(session=session, services=services, round_id=round_id)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"round {round_id} closed; {queued} thank-you texts queued")
    try:
        delivery = deliver_panel_summary(services, round_id)
    except Exception as exc:
        raise click.ClickException(
            f"round {round_id} is closed, but the panel summary could not be delivered ({type(exc).__name__}: {exc}); "
            f"write it with `voice-service summary --round {round_id} --format pdf --out PATH`"
        ) from None
    for path in delivery.files:
        click.echo(f"panel summary written to {path}")
    if delivery.emailed:
        click.echo(f"panel summary emailed to {len(delivery.emailed)} recipients")
