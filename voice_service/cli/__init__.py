"""The `voice-service` command line: one group, a module per subcommand group.

Subcommands are imported only when they run (`COMMANDS` names each one's module and
its one-line help), so `voice-service --help` does not pay for SQLAlchemy, the
analysis word lists or gunicorn. A new command group is one row in `COMMANDS`.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import TYPE_CHECKING

import click

from ..config import ConfigError, config_path, load

if TYPE_CHECKING:
    from ..context import Services

# name: (module in this package, attribute, one-line help as the command's docstring gives it).
# tests/test_cli.py checks each help line against the real command, so the listing stays true.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "action": ("actions", "action", '"You said, we did" actions.'),
    "alerts": ("alerts", "alerts", "Safeguarding alerts."),
    "analyse": (
        "analyse",
        "analyse",
        "Tag themes, sentiment (the message's, and each theme's own) and safeguarding risk for each JSONL line.",
    ),
    "db": ("db", "db", "Database schema."),
    "demo": (
        "demo",
        "demo",
        "A fresh SQLite database, a simulated feedback round end to end, then the app on http://127.0.0.1:5000.",
    ),
    "outbox": ("outbox", "outbox", "Messages waiting to leave the service."),
    "participants": ("participants", "participants", "The list of young people who can be messaged."),
    "privacy": ("privacy", "privacy", "Subject access, erasure, retention and key rotation."),
    "report": ("report", "report", "The year's pledge coverage across rounds: evidence, trends, actions."),
    "responses": ("responses", "responses", "Answers young people gave."),
    "round": ("rounds", "round_", "Feedback rounds."),
    "scheduler": (
        "scheduler",
        "scheduler",
        "Run scheduled rounds, reminders, closing, alert re-notification and escalation, spool replay, retention"
        " and the outbox dispatcher.",
    ),
    "serve": (
        "serve",
        "serve",
        "Serve the web app with gunicorn (stateless workers; jobs run in `voice-service scheduler`).",
    ),
    "summary": (
        "summary",
        "summary",
        'Write the "You said, we did" summary of a round: figures under 5 are hidden, quotes redacted.',
    ),
    "spool": ("spool", "spool", "Messages kept while the database was unavailable."),
    "surveys": ("surveys", "surveys", "Survey, pledge and top-ten files in conversations/."),
    "text-in": (
        "text_in",
        "text_in",
        "Text the running service as a young person's phone would (a signed Twilio webhook); print the replies.",
    ),
    "users": ("users", "users", "Dashboard accounts: admin, duty, worker and panel."),
}
# Modules that add subcommands to another module's group, imported with it.
EXTENSIONS: dict[str, tuple[str, ...]] = {}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use, listed from `COMMANDS` without importing."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand, in name order."""
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the subcommand's module now, the first time it is asked for."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        module = importlib.import_module(f"{__name__}.{module_name}")
        for extension in EXTENSIONS.get(module_name, ()):
            importlib.import_module(f"{__name__}.{extension}")
        command = getattr(module, attribute)
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command listing, from `COMMANDS` (nothing is imported to print help)."""
        rows = []
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        for name in self.list_commands(ctx):
            listed = self.commands.get(name) or click.Command(name, help=COMMANDS[name][2])
            rows.append((name, listed.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
            from ..context import Services

            config = self.config()
            if require_secrets:
                try:
                    config.require_production_secrets(starting=False)
                except ConfigError as exc:
                    raise click.ClickException(str(exc)) from None
            self._services = Services.from_config(config)
            if migrated:
                ensure_migrated(self._services)
        return self._services


def ensure_migrated(services: Services, *, unreachable_ok: bool = False) -> bool:
    """Stop with a helpful message when the database has not been set up, or cannot be reached (the message names
    where its URL came from). With `unreachable_ok` (`serve`), a database that cannot be connected to is not an
    error: False is returned and the caller goes on without it. True when it was reached and is set up."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    try:
        tables = set(inspect(services.engine).get_table_names())
    except OperationalError as exc:  # refused, timed out, no such host or file: an outage, not a misconfiguration
        if unreachable_ok:
            return False
        raise click.ClickException(unreachable_message(services, exc)) from None
    except Exception as exc:
        raise click.ClickException(unreachable_message(services, exc)) from None
    if "alembic_version" not in tables:
        raise click.ClickException(
            f"the database is not set up yet ({database_named(services)}): run `voice-service db upgrade` first, "
            f"with these settings ({services.config.where('database', 'url')})"
        )
    return True


def database_named(services: Services) -> str:
    """Which database the settings name, in words for a message and never with a password: a SQLite file by its
    full path (a relative one is read from the settings file's folder: `config.anchored`), else the database and
    its host."""
    url = services.engine.url
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}" if url.database else "an in-memory SQLite database"
    return f"database {url.database!r} on {url.host or 'localhost'}"


def unreachable_message(services: Services, exc: BaseException) -> str:
    """The database could not be reached: the error's kind only (its text can carry the URL's password), and where
    the URL came from, so the right place gets fixed. A PostgreSQL server that answers but has no such database
    says so, and how to make it."""
    where = services.config.where("database", "url")
    if "does not exist" in str(getattr(exc, "orig", None) or "") and services.engine.url.database:
        name = services.engine.url.database
        return (
            f"{database_named(services)} does not exist: create it (createdb {name}), then run "
            f"`voice-service db upgrade`; or check {where}"
        )
    return f"cannot reach the database ({type(exc).__name__}); check {where}"


pass_state = click.make_pass_decorator(AppState)


def warn_email_without_smtp(services: Services) -> None:
    """Warn on stderr, after a one-off command queued email, when that email cannot leave: an email route is
    set but smtp.host is not (`Config.email_without_smtp`, the check `serve` and `scheduler` refuse to start on)."""
    config = services.config
    problem = None if config.app.demo else config.email_without_smtp()
    if problem:
        click.echo(
            f"warning: {problem}: the email waits in the outbox until it is set "
            "(`serve` and `scheduler` refuse to start like this)",
            err=True,
        )


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_file",
    metavar="PATH",
    help="Configuration file (default: $VOICE_CONFIG, else ./config.toml, else built-in defaults, "
    "placeholders that serve, scheduler and commands reading live data refuse; VOICE_CONFIG set but empty reads no "
    "file).",
)
@click.version_option(package_name="voice-service")
@click.pass_context
def main(ctx: click.Context, config_file: str | None) -> None:
    """Voice Service: hear from children in care and care leavers by SMS and web chat."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # These libraries narrate every step at INFO; only their warnings matter to a user. (APScheduler logs two
    # lines for every run of every job, about ten a minute, burying what the scheduler itself says.)
    for chatty in ("alembic", "weasyprint", "fontTools", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    ctx.obj = AppState(config_file)
