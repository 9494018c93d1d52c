"""`voice-service outbox flush`."""

import time
from zoneinfo import ZoneInfo

import click

from ..db import session_scope
from ..models import utcnow
from ..outbox.dispatch import FlushReport, build_dispatcher, unreadable_message
from ..outbox.waiting import describe_waiting, waiting_for_window
from . import AppState, pass_state


@click.group()
def outbox() -> None:
    """Messages waiting to leave the service."""


@outbox.command("flush")
@click.option("--quiet", is_flag=True, help="No progress lines, just the summary.")
@pass_state
def outbox_flush(state: AppState, quiet: bool) -> None:
    """Send everything due now (respecting send windows and rate) and exit.

    Texts waiting for the send window are counted, with when it opens ("5 waiting for the send window
    (opens 16:00 today)"): they go then, from the scheduler or the next flush. The window is judged from
    the current settings: widen it (or turn school_hours off) and the next flush sends them.
    """
    services = state.services()
    try:
        dispatcher = build_dispatcher(services, now=utcnow)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    last = [time.monotonic()]

    def progress(report: FlushReport) -> None:
        # Long sends (a whole round at a UK long code's 1/s) show they are moving, every few seconds.
        if not quiet and time.monotonic() - last[0] >= 5:
            last[0] = time.monotonic()
            click.echo(
                f"... sent {report.sent}, retrying {report.retrying}, failed {report.failed}, held {report.held}",
                err=True,
            )

    try:
        report = dispatcher.flush(on_progress=progress)
    finally:
        dispatcher.close()
    with session_scope(services.engine) as session:
        now = dispatcher.now()
        waiting = waiting_for_window(session=session, windows=dispatcher.windows, now=now)
    # Every text the window holds now, whether this flush held it or an earlier one did.
    held = sum(item.count for item in waiting)
    click.echo(
        f"sent {report.sent}, held for send window {held}, retrying {report.retrying}, "
        f"failed {report.failed}, cancelled (opted out) {report.cancelled}"
        + (
            f", held while a safeguarding alert is open {report.held_for_alert} (they go once it is closed)"
            if report.held_for_alert
            else ""
        )
    )
    described = describe_waiting(waiting, now=now, tz=ZoneInfo(services.config.app.timezone))
    if described:
        click.echo(described)
    if report.reconciled_sent or report.reconciled_pending:
        click.echo(
            f"reconciled {report.reconciled_sent + report.reconciled_pending} interrupted send(s): "
            f"{report.reconciled_sent} had reached Twilio, {report.reconciled_pending} queued again",
            err=True,
        )
    if report.route_removed:
        click.echo(
            f"{report.route_removed} safeguarding notice(s) not sent: their route is no longer in [safeguarding] "
            "(each says which; `alerts show` lists them)",
            err=True,
        )
    if report.waiting_on_others:
        click.echo(f"{report.waiting_on_others} message(s) are being sent by another dispatcher", err=True)
    if report.unreadable:
        raise click.ClickException(unreadable_message(report.unreadable))
