"""`voice-service scheduler`: the one scheduler and outbox dispatcher process."""

import signal
import threading

import click

from ..config import ConfigError, config_path
from . import AppState, pass_state


@click.command()
@click.option("--no-dispatch", is_flag=True, help="Run the jobs only; another process sends the outbox.")
@pass_state
def scheduler(state: AppState, no_dispatch: bool) -> None:
    """Run scheduled rounds, reminders, closing, alert re-notification and escalation, spool replay, retention
    and the outbox dispatcher.

    A change to the send windows in the config file (weekday_window, weekend_window, school_hours,
    reply_hours) applies within poll_seconds, without a restart; every other setting needs one.

    On each pass it writes a heartbeat to the database; /healthz, the dashboard and `alerts list` say so
    when it is older than [safeguarding] scheduler_silent_minutes.

    Outside the demo it first checks every setting it needs (as `serve` does, plus a Twilio sender to send
    from) and, if any is wrong, lists them all in one message, each with what to put there."""
    from ..scheduler import AlreadyRunning, run_scheduler
    from .faketime import keep_real_monotonic

    keep_real_monotonic()  # under `faketime` (a year ahead), before anything starts

    try:  # every problem at once, before the database is opened (`serve` checks in the same place)
        state.config().require_ready_to_start(sending=not no_dispatch)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    services = state.services()
    from ..demo_folder import hold_demo_settings

    # On a demo's settings, held while running: `demo` never empties the folder of a scheduler still running.
    held = hold_demo_settings(services.config.file) if services.config.app.demo else None
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        run_scheduler(
            services,
            stop=stop,
            dispatch=not no_dispatch,
            config_file=config_path(state.config_file),
            on_ready=lambda: click.echo("scheduler running (Ctrl-C to stop)", err=True),
        )
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except AlreadyRunning as exc:
        raise click.ClickException(f"{exc}; refusing to start a second one") from None
    except (ValueError, OSError) as exc:  # settings the dispatcher cannot work with
        raise click.ClickException(f"cannot start the dispatcher: {exc}") from None
    finally:
        if held is not None:
            held.close()
