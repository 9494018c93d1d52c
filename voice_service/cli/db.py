"""`voice-service db upgrade`."""

import click

from ..db import upgrade
from . import AppState, pass_state


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_state
def db_upgrade(state: AppState) -> None:
    """Apply migrations (creates the SQLite file if needed)."""
    services = state.services(require_secrets=False, migrated=False)
    upgrade(services.config.database.url)
    click.echo("database is up to date")
