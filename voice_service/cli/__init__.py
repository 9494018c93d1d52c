"""The `voice-service` command line: one group, a module per subcommand group."""

from __future__ import annotations

import logging
import sys

import click

from ..config import ConfigError, config_path, load
from ..context import Services


class AppState:
    """Loads configuration and services lazily, so `--help` and `surveys check` need no database."""

    def __init__(self, config_file: str | None):
        self.config_file = config_file
        self._services: Services | None = None

    def config(self, *, demo: bool | None = None):
        """The validated configuration, or a clean error naming the key."""
        try:
            return load(config_path(self.config_file), demo=demo)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None

    def services(self, *, require_secrets: bool = True, migrated: bool = True) -> Services:
        """Configuration, database and keys; refuses placeholder secrets outside demo mode."""
        if self._services is None:
            config = self.config()
            if require_secrets:
                try:
                    config.require_production_secrets()
                except ConfigError as exc:
                    raise click.ClickException(str(exc)) from None
            self._services = Services.from_config(config)
            if migrated:
                ensure_migrated(self._services)
        return self._services


def ensure_migrated(services: Services) -> None:
    """Stop with a helpful message when the database has not been set up."""
    from sqlalchemy import inspect

    try:
        tables = set(inspect(services.engine).get_table_names())
    except Exception as exc:
        raise click.ClickException(f"cannot reach the database ({type(exc).__name__}); check [database] url") from None
    if "alembic_version" not in tables:
        raise click.ClickException("the database is not set up yet: run `voice-service db upgrade` first")


pass_state = click.make_pass_decorator(AppState)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_file",
    metavar="PATH",
    help="Configuration file (default: $VOICE_CONFIG, else ./config.toml, else built-in demo defaults).",
)
@click.version_option(package_name="voice-service")
@click.pass_context
def main(ctx: click.Context, config_file: str | None) -> None:
    """Voice Service: hear from children in care and care leavers by SMS and web chat."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # These libraries narrate every step at INFO; only their warnings matter to a user.
    for chatty in ("alembic", "weasyprint", "fontTools"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    ctx.obj = AppState(config_file)


def _register() -> None:
    from . import round_extra  # noqa: F401  (adds schedule, schedules, unschedule, status to `round`)
    from .actions import action
    from .alerts import alerts
    from .analyse import analyse
    from .db import db
    from .demo import demo
    from .outbox import outbox
    from .participants import participants
    from .privacy import privacy
    from .responses import responses
    from .rounds import round_
    from .scheduler import scheduler
    from .serve import serve
    from .summary import summary
    from .surveys import surveys

    for command in (
        db,
        demo,
        serve,
        surveys,
        participants,
        round_,
        outbox,
        responses,
        analyse,
        alerts,
        summary,
        action,
        scheduler,
        privacy,
    ):
        main.add_command(command)


_register()
