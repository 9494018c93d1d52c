"""`voice-service spool replay|status`: messages kept on disk while the database was unavailable."""

import click

from . import AppState, pass_state


@click.group()
def spool() -> None:
    """Messages kept while the database was unavailable."""


@spool.command("replay")
@click.option("--limit", type=click.IntRange(1), help="Replay at most this many (oldest first).")
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Also try again the messages that failed before (once the fault is fixed); the scheduler never does.",
)
@pass_state
def replay_command(state: AppState, limit: int | None, retry_failed: bool) -> None:
    """Store spooled messages in the order they arrived, each once (the scheduler also does this).

    A message that cannot be stored for a reason other than the database is marked failed and kept
    (an alert is raised if it is worrying); `spool status` counts them and /healthz says "degraded"
    until `--retry-failed` stores them.
    """
    from ..spool.replay import replay

    report = replay(state.services(), limit=limit, retry_failed=retry_failed)
    click.echo(report.summary())
    if report.busy or report.stopped or report.failed:
        raise SystemExit(1)


@spool.command("status")
@pass_state
def status_command(state: AppState) -> None:
    """How many spooled messages are waiting (how many of them worrying: the help reply went, the alert waits for the
    database, and how many of those no duty route has heard of, their early notice not sent), and how many could not
    be replayed."""
    from ..spool import Spool

    depth = Spool.from_config(state.config()).depth()
    worrying = ""
    if depth.worrying:
        # Each had an early notice to the duty team (`spool.early`) unless it is counted as not heard of.
        unheard = f", {depth.unwarned} not yet heard of by any duty route" if depth.unwarned else ""
        worrying = f" ({depth.worrying} worrying: their alerts wait for the database{unheard})"
    click.echo(f"waiting {depth.pending}{worrying}, failed {depth.failed} (spool: {state.config().spool.dir})")
