"""`voice-service db upgrade`."""

import click

from ..db import alembic_config, upgrade
from . import AppState, database_named, pass_state, unreachable_message


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_state
def db_upgrade(state: AppState) -> None:
    """Apply migrations (creates the SQLite file if needed) and say what was done: the tables created, an
    upgrade from one migration to another, or nothing to do."""
    from alembic.script import ScriptDirectory

    services = state.services(require_secrets=False, migrated=False)
    url = services.config.database.url
    from sqlalchemy.exc import OperationalError

    try:
        before = _migration(services.engine)
    except OperationalError as exc:
        raise click.ClickException(unreachable_message(services, exc)) from None
    upgrade(url)
    after = _migration(services.engine)
    named = database_named(services)
    if before is None:
        first = ScriptDirectory.from_config(alembic_config(url)).get_base()
        click.echo(f"created the database's tables (migrations {first} to {after}) in {named}")
    elif before == after:
        click.echo(f"the database is already up to date (migration {after}): {named}")
    else:
        click.echo(f"upgraded the database from migration {before} to {after}: {named}")


def _migration(engine) -> str | None:
    """The migration the database is at; None before its tables are made (a new SQLite file is made here)."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
