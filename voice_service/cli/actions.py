"""`voice-service action add|list|update`: what the council did about what young people said."""

import click
from sqlalchemy import select
from sqlmodel import col

from ..dates import local
from ..db import session_scope
from ..models import Action, ActionStatus, Round, utcnow
from ..models.action import due_date_problem, too_long
from ..summary import action_kept_private
from . import AppState, pass_state
from .audited import audit
from .dates import UK_DATE

STATUS = click.Choice(ActionStatus.ALL)


def _check_links(services, pledge, message, theme) -> None:
    catalogue = services.catalogue
    if pledge is None and message is None and not theme:
        raise click.UsageError("say what the action is about: --pledge, --message or --theme")
    if pledge is not None and pledge not in catalogue.pledges:
        raise click.BadParameter(
            f"there is no pledge {pledge} (known: {', '.join(map(str, sorted(catalogue.pledges)))})",
            param_hint="--pledge",
        )
    if message is not None and message not in catalogue.messages:
        raise click.BadParameter(f"there is no top-ten message {message}", param_hint="--message")
    if theme:
        from ..summary import theme_labels

        known = theme_labels(services.conversations_dir)
        if known and theme not in known:
            raise click.BadParameter(
                f"unknown theme {theme!r} (known: {', '.join(sorted(known))})", param_hint="--theme"
            )


def _check_texts(said: str | None, did: str | None, owner: str | None) -> None:
    """Refuse a text longer than the form allows (`models.action.TEXT_LIMITS`), as the form does."""
    for name, value, option in (("said", said, "--said"), ("did", did, "--did"), ("owner", owner, "--owner")):
        if value is not None and (why := too_long(name, value.strip(), option)):
            raise click.BadParameter(why.removeprefix(f"{option} "), param_hint=option)


def _check_due(services, row: Action, round_: Round, now) -> None:
    """Refuse a due date the form refuses (`models.action.due_date_problem`): before the round opened, or more
    than a year ago, for an action not yet done."""
    timezone = services.config.app.timezone
    why = due_date_problem(
        row.due_on,
        status=row.status,
        round_id=row.round_id,
        round_opened=local(round_.opens_at, timezone).date(),
        today=local(now, timezone).date(),
    )
    if why:
        raise click.BadParameter(why.removeprefix("The due date "), param_hint="--due")


@click.group("action")
def action() -> None:
    """ "You said, we did" actions."""


@action.command("add")
@click.option("--round", "round_id", type=int, required=True)
@click.option("--pledge", type=int, help="Pledge number the action answers.")
@click.option("--message", type=int, help="Top-ten message number the action answers.")
@click.option(
    "--theme", help="Theme id the action answers, as in conversations/themes.toml: e.g. safety, housing, mental_health."
)
@click.option("--said", required=True, help="What young people said, in a sentence.")
@click.option("--did", required=True, help="What the council did or will do.")
@click.option("--status", type=STATUS, default=ActionStatus.PLANNED, show_default=True)
@click.option("--owner", help="Who is responsible (a role is better than a name).")
@click.option("--due", type=UK_DATE, help="When it should be done (2027-03-31, 31/3/2027 or 31 March 2027).")
@pass_state
def action_add(state: AppState, round_id, pledge, message, theme, said, did, status, owner, due) -> None:
    """Record an action; its id is alone on the last line."""
    services = state.services()
    _check_links(services, pledge, message, theme)
    if not said.strip() or not did.strip():
        raise click.UsageError("--said and --did can't be empty")
    _check_texts(said, did, owner)
    with session_scope(services.engine) as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise click.ClickException(f"there is no round {round_id}")
        now = utcnow()
        row = Action(
            round_id=round_id,
            pledge=pledge,
            message=message,
            theme=theme or None,
            said=said.strip(),
            did=did.strip(),
            status=status,
            owner=(owner or "").strip() or None,
            due_on=due,
            done_at=now if status == ActionStatus.DONE else None,
            created_at=now,
            updated_at=now,
        )
        _check_due(services, row, round_, now)
        session.add(row)
        session.flush()
        action_id = row.id
        audit(session, "action.add", subject_type="action", subject_id=action_id)
        private = action_kept_private(
            session=session, services=services, round_id=round_id, theme=theme or None, pledge=pledge, message=message
        )
    click.echo(f"action {action_id} added to round {round_id} ({status})")
    if private:
        click.echo(
            f"warning: {private}: the young people's page and the panel's summary keep its 'said' private "
            f"and show its 'did' as written, so write it so that nobody can be recognised "
            f"(`action update {action_id} --did`)",
            err=True,
        )
    click.echo(action_id)


@action.command("list")
@click.option("--round", "round_id", type=int)
@click.option("--status", type=STATUS)
@pass_state
def action_list(state: AppState, round_id, status) -> None:
    """Actions, newest round first."""
    services = state.services()
    with session_scope(services.engine) as session:
        query = select(Action).order_by(col(Action.round_id).desc(), col(Action.id))
        if round_id is not None:
            query = query.where(col(Action.round_id) == round_id)
        if status:
            query = query.where(col(Action.status) == status)
        rows = session.execute(query).scalars().all()
    if not rows:
        click.echo("no actions", err=True)
    for row in rows:
        about = ", ".join(
            x
            for x in (
                f"pledge {row.pledge}" if row.pledge else "",
                f"message {row.message}" if row.message else "",
                f"theme {row.theme}" if row.theme else "",
            )
            if x
        )
        due = f"  due {row.due_on.day} {row.due_on:%B %Y}" if row.due_on else ""
        click.echo(f"{row.id:>4}  round {row.round_id:<4} {row.status:<11} {about}{due}".rstrip())
        click.echo(f"      said: {row.said}")
        click.echo(f"      did:  {row.did}" + (f"  (owner: {row.owner})" if row.owner else ""))


@action.command("update")
@click.argument("action_id", type=int)
@click.option("--status", type=STATUS, help="Its new status.")
@click.option("--did", help="New text for what the council did or will do.")
@click.option("--said", help="New text for what young people said, in a sentence.")
@click.option("--owner", help="Who is responsible (a role is better than a name).")
@click.option("--due", type=UK_DATE, help="When it should be done (2027-03-31, 31/3/2027 or 31 March 2027).")
@pass_state
def action_update(state: AppState, action_id, status, did, said, owner, due) -> None:
    """Change an action's status, text, owner or due date."""
    services = state.services()
    if all(v is None for v in (status, did, said, owner, due)):
        raise click.UsageError("nothing to change: give --status, --did, --said, --owner or --due")
    if any(value is not None and not value.strip() for value in (said, did)):
        raise click.UsageError("--said and --did can't be empty")
    _check_texts(said, did, owner)
    with session_scope(services.engine) as session:
        row = session.get(Action, action_id)
        if row is None:
            raise click.ClickException(f"there is no action {action_id}")
        now = utcnow()
        if status is not None:
            row.status = status
            row.done_at = (row.done_at or now) if status == ActionStatus.DONE else None
        for field, value in (("did", did), ("said", said), ("owner", owner)):
            if value is not None:
                setattr(row, field, value.strip())
        if due is not None:
            row.due_on = due
        if due is not None or status is not None:
            round_ = session.get(Round, row.round_id)
            assert round_ is not None  # an action's round is a foreign key
            _check_due(services, row, round_, now)  # a refusal rolls the whole change back
        row.updated_at = now
        final = row.status
        audit(session, "action.update", subject_type="action", subject_id=action_id)
    click.echo(f"action {action_id} updated ({final})")
