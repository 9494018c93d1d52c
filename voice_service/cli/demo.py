"""`voice-service demo`: the newcomer's tour, then the app served."""

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import click

from ..config import Config, database_url_problem, load
from ..context import Services

# A council's own name everywhere, as a real one would set it.
DEMO_COUNCIL = "Demoshire County Council"
# The demo duty team's phone, from Ofcom's drama range (no synthetic young person has it): each alert's notice
# is printed in the terminal by the console provider, so the tour shows how the duty team is told (without
# it, every demo alert page said "Nobody: no duty route was set up"). A council's duty routes are never read.
DEMO_DUTY_PHONE = "+447700900999"
# The demo's out-of-hours (emergency duty) team, also from the drama range: with it, a disclosure at night or at a
# weekend gets the reply a council with an emergency duty team gives ("We've told the team on duty now"), and an
# alert left unacknowledged escalates, as they would for real (trial 14: without it the demo only ever showed
# the reply for a council with no one out of hours).
DEMO_ESCALATION_PHONE = "+447700900997"
# The demo's sending hours, all day every day, for the tour and for the scheduler (which reads them from the
# demo's config.toml, `write_demo_config`): its invitations and a worker's inbox replies go at once whatever the
# time (reply_hours was left out, so inbox replies waited for its 08:00 default), and school hours are off. A
# council's rounds and replies keep to its [schedule], and never text under-16s in school hours.
DEMO_SCHEDULE = {
    "weekday_window": "00:00-24:00",
    "weekend_window": "00:00-24:00",
    "reply_hours": "00:00-24:00",
    "school_hours": "off",
}


def runnable_command(
    argv0: str | None = None, *, cwd: str | None = None, which=shutil.which, executable: str | None = None
) -> str:
    """This command as a newcomer can type it from here: `voice-service` only when that is on PATH and is this
    one; else its path (`.venv/bin/voice-service`: `make demo` never puts .venv on PATH), or, when run as
    `python -m voice_service`, that python's path with `-m voice_service`."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    cwd = os.getcwd() if cwd is None else cwd

    def here(path: str) -> str:
        full = os.path.abspath(os.path.join(cwd, path))
        relative = os.path.relpath(full, cwd)
        return full if relative.startswith("..") else relative if os.sep in relative else f".{os.sep}{relative}"

    if os.path.basename(argv0) != "voice-service":  # python -m voice_service, or a test runner
        return f"{here(executable or sys.executable)} -m voice_service"
    found = which("voice-service")
    if found and os.path.realpath(found) == os.path.realpath(os.path.join(cwd, argv0)):
        return "voice-service"
    return here(argv0)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on `host:port` (another demo?). Checked before the tour, so a busy
    port stops the demo at once rather than after a 1-2 minute tour whose printed link reaches the other server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: a closed one's wait is fine
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


@click.command()
@click.option("--no-serve", is_flag=True, help="Run the tour and exit instead of serving the app.")
@click.option(
    "--participants",
    "count",
    default=60,
    show_default=True,
    type=click.IntRange(1, 500),
    help="How many synthetic young people.",
)
@click.option(
    "--out",
    "out_dir",
    default="demo-output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the demo database, the CSV and the exports: a new or empty folder, or one an earlier demo "
    "wrote, which is emptied first (not while a server or scheduler still runs on it). Any other folder is "
    "refused and left as it is.",
)
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=int,
    help="Port to serve on; checked before the tour, which stops at once if something already listens there.",
)
@click.option(
    "--database",
    "database_url",
    metavar="URL",
    help="Run the tour in this (empty) database instead of a fresh SQLite file, e.g. postgresql://...",
)
def demo(no_serve: bool, count: int, out_dir: str, port: int, database_url: str | None) -> None:
    """A fresh SQLite database, a simulated feedback round end to end, then the app on http://127.0.0.1:5000.

    On another port with --port (`make demo DEMO_PORT=5001`), for when something else listens on 5000.

    The app is served with the scheduler beside it, so what the dashboard queues is sent (through the
    console provider); Ctrl+C stops both. The demo reads no config file and no VOICE_* setting, so its
    alerts never reach a real duty team.
    """
    from .faketime import keep_real_monotonic

    keep_real_monotonic()  # under `faketime` (a year ahead), before anything starts
    from ..demo import run_demo
    from ..demo_folder import demo_folder_in_use, demo_folder_refusal, empty_demo_folder, hold_demo_settings

    out = Path(out_dir)
    # Emptying the folder under the last demo's server or scheduler (on any port) would leave them running
    # on a deleted database, and the new one beside them with no scheduler lock: they are stopped first.
    if demo_folder_in_use(out):
        raise click.ClickException(
            f"A demo is still running on {out_dir} (its server or scheduler): stop it first (Ctrl+C in its terminal)."
        )
    if not no_serve and port_in_use(port):
        raise click.ClickException(
            f"port {port} is in use (another demo?): stop it, or run `{runnable_command()} demo --port {port + 1}`."
        )
    if database_url is not None and (problem := database_url_problem(database_url)):
        raise click.BadParameter(problem, param_hint="--database")  # before the folder is emptied
    # Only a folder an earlier demo wrote is emptied (trial 8, H3: any folder was, even `--out .`).
    if refusal := demo_folder_refusal(out, out_dir):
        raise click.ClickException(refusal)
    empty_demo_folder(out)  # its marker first: a tour stopped halfway leaves a folder the next demo may empty
    config = demo_settings(out=out, port=port, database_url=database_url)
    services = Services.from_config(config)
    click.echo("Voice Service demo (synthetic data, demo keys: never use these settings for real)")
    run_demo(services, out_dir=out, participants=count, echo=click.echo, serving=not no_serve)
    settings = write_demo_config(out, config)
    cli = f"{runnable_command()} --config {settings}"
    click.echo(f"\nEvery other command works on this demo with its settings, e.g. `{cli} alerts list`.")
    click.echo(f"Text it as a young person would: `{cli} text-in --from +447700900555 hello`.")
    if no_serve:
        click.echo(f"Nothing is served now. To look around: `{cli} serve --port {port}`, and to send what the")
        click.echo(f"dashboard queues (rounds, replies, duty notices), `{cli} scheduler` in another terminal.")
        return
    from .serve import run_gunicorn

    # What the dashboard queues (a round launched, a reply, a duty notice) is sent by the scheduler, as for
    # real: the demo runs one beside the web server, on the demo's own settings, and stops it with the server.
    # Held while this demo serves, so another `demo` on the same folder stops rather than emptying it.
    held = hold_demo_settings(settings)
    scheduler = start_demo_scheduler(settings)
    wait_for_first_heartbeat(services, scheduler)
    click.echo(f"\nServing on http://127.0.0.1:{port} (health: /healthz), with the scheduler sending what the")
    click.echo("dashboard queues (texts print here: the console provider). Ctrl+C stops both.")
    try:
        run_gunicorn(config, host="127.0.0.1", port=port, workers=1)
    finally:
        stop_demo_scheduler(scheduler)
        if held is not None:
            held.close()


def demo_settings(*, out: Path, port: int, database_url: str | None = None) -> Config:
    """The demo's settings: its own alone (a council's config file and VOICE_* settings are never read, so its
    synthetic alerts can never reach a real duty team's phones, mail or webhook), with its files in `out`."""
    base = load(None, environ={}, demo=True)
    return base.with_overrides(
        app={
            "demo": True,
            "public_url": f"http://127.0.0.1:{port}",
            "log_level": "WARNING",
            "council_name": DEMO_COUNCIL,
        },
        database={"url": database_url or f"sqlite:///{(out / 'voice-demo.db').resolve()}"},
        # The demo's spool sits with the rest of its files, not in whatever folder it was run from.
        spool={"dir": str((out / "spool").resolve())},
        sms={"provider": "console"},
        # The tour runs whenever you try it, school hours or not (and says so), and replies go at once.
        schedule=DEMO_SCHEDULE,
        safeguarding={"duty_phones": [DEMO_DUTY_PHONE], "escalation_phones": [DEMO_ESCALATION_PHONE]},
    )


# VOICE_* variables the demo's scheduler keeps: where the analysis's word lists are, as the demo has them.
KEPT_VARIABLES = frozenset({"VOICE_CONVERSATIONS_DIR"})


def demo_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the demo's scheduler runs in: this one without any VOICE_* setting (nor VOICE_CONFIG),
    so it reads the demo's config file alone and its alerts can never reach a real council's routes."""
    return {name: value for name, value in environ.items() if not name.startswith("VOICE_") or name in KEPT_VARIABLES}


def wait_for_first_heartbeat(services: Services, scheduler: subprocess.Popen, *, seconds: float = 60) -> None:
    """Until the demo's scheduler has written its first heartbeat, so that /healthz and the dashboard are
    quiet from the first page ("the scheduler has never run" is for a server without one); or it stopped
    (its log says why), or `seconds` went by."""
    from sqlmodel import Session

    from ..models import SchedulerHeartbeat
    from ..models.heartbeat import HEARTBEAT_ID

    until = time.monotonic() + seconds
    while scheduler.poll() is None and time.monotonic() < until:
        with Session(services.engine) as session:
            if session.get(SchedulerHeartbeat, HEARTBEAT_ID) is not None:
                return
        time.sleep(0.1)


def start_demo_scheduler(settings: Path) -> subprocess.Popen:
    """`voice-service --config <the demo's config.toml> scheduler`, as a child process (the one a council
    runs beside `serve`): the scheduled jobs, and the dispatcher sending through the console provider."""
    command = [sys.executable, "-m", "voice_service", "--config", str(settings.resolve()), "scheduler"]
    return subprocess.Popen(command, env=demo_environment(os.environ), stdin=subprocess.DEVNULL)


def stop_demo_scheduler(scheduler: subprocess.Popen, *, wait_seconds: float = 30) -> int:
    """Ask the demo's scheduler to stop (SIGTERM: it finishes the text it is sending and lets its lock go),
    killing it if it has not within `wait_seconds`; returns its exit code. Ctrl+C in the terminal has
    usually stopped it already (it is in the same process group)."""
    if scheduler.poll() is None:
        scheduler.terminate()
    try:
        return scheduler.wait(wait_seconds)
    except subprocess.TimeoutExpired:
        scheduler.kill()
        return scheduler.wait()


def write_demo_config(out: Path, config) -> Path:
    """The tour's own settings as a config file, so every command can be pointed at the demo database."""
    from ..demo_folder import DEMO_CONFIG_FIRST_LINE  # also how a folder an older demo wrote is recognised

    text = json.dumps  # a TOML basic string is written as a JSON string is
    path = out / "config.toml"
    path.write_text(
        f"{DEMO_CONFIG_FIRST_LINE}\n"
        "[app]\n"
        "demo = true\n"
        f"council_name = {text(config.app.council_name)}\n"
        f"public_url = {text(config.app.public_url)}\n"
        "\n[database]\n"
        f"url = {text(config.database.url)}\n"
        "\n[sms]\n"
        'provider = "console"\n'
        "\n[spool]\n"
        f"dir = {text(config.spool.dir)}\n"
        "\n[schedule]\n"
        + "".join(f"{key} = {text(getattr(config.schedule, key))}\n" for key in DEMO_SCHEDULE)
        + "\n[safeguarding]\n"
        f"duty_phones = {json.dumps(config.safeguarding.duty_phones)}\n"
        f"escalation_phones = {json.dumps(config.safeguarding.escalation_phones)}\n",
        encoding="utf-8",
    )
    return path
