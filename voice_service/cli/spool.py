"""`voice-service spool replay|status`: messages kept on disk while the database was unavailable."""

import click

from . import AppState, pass_state


@click.group()
def spool() -> None:
    """Messages kept while the database was unavailable."""


@spool.command("replay")
@click.option("--limit", type=click.IntRange(1), help="Replay at most this many (oldest first).")
@pass_state
def replay_command(state: AppState, limit: int | None) -> None:
    """Store spooled messages in the order they arrived, each once (the scheduler also does this)."""
    from ..spool.replay import replay

    report = replay(state.services(), limit=limit)
    click.echo(report.summary())
    if report.busy or report.stopped or report.failed:
        raise SystemExit(1)


@spool.command("status")
@pass_state
def status_command(state: AppState) -> None:
    """How many spooled messages are waiting, and how many could not be replayed."""
    from ..spool import Spool

    depth = Spool.from_config(state.config()).depth()
    click.echo(f"waiting {depth.pending}, failed {depth.failed} (spool: {state.config().spool.dir})")
