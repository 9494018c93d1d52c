"""`voice-service outbox flush`."""

import click

from ..outbox.dispatch import flush
from ..outbox.windows import Windows
from ..sending import make_provider
from . import AppState, pass_state


@click.group()
def outbox() -> None:
    """Messages waiting to leave the service."""


@outbox.command("flush")
@pass_state
def outbox_flush(state: AppState) -> None:
    """Send everything due now (respecting send windows and rate) and exit."""
    services = state.services()
    config = services.config
    try:
        provider = make_provider(config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    report = flush(engine=services.engine, provider=provider, vault=services.vault,
                   windows=Windows.from_config(config), rate_per_second=config.schedule.rate_per_second)
    click.echo(f"sent {report.sent}, held for send window {report.held}, retrying {report.retrying}, "
               f"failed {report.failed}, cancelled (opted out) {report.cancelled}")
    if report.stuck:
        click.echo(f"warning: {report.stuck} message(s) were being sent when a dispatcher stopped; "
                   "they are not re-sent until their delivery report or a worker confirms", err=True)
