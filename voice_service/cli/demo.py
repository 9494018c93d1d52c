"""`voice-service demo`: the newcomer's tour, then the app served."""

import shutil
from pathlib import Path

import click

from ..context import Services
from . import AppState, pass_state


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
    help="Folder for the demo database, the CSV and the exports (emptied first).",
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--database",
    "database_url",
    metavar="URL",
    help="Run the tour in this (empty) database instead of a fresh SQLite file, e.g. postgresql://...",
)
@pass_state
def demo(state: AppState, no_serve: bool, count: int, out_dir: str, port: int, database_url: str | None) -> None:
    """A fresh SQLite database, a simulated feedback round end to end, then the app on http://127.0.0.1:5000."""
    from ..demo import run_demo

    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    base = state.config(demo=True)
    # A council's own name everywhere, as a real one would set it; a configured name is kept.
    council = base.app.council_name if base.app.council_name != "the council" else "Demoshire County Council"
    config = base.with_overrides(
        app={"demo": True, "public_url": f"http://127.0.0.1:{port}", "log_level": "WARNING", "council_name": council},
        database={"url": database_url or f"sqlite:///{(out / 'voice-demo.db').resolve()}"},
        sms={"provider": "console"},
        # The tour runs whenever you try it; real rounds keep to the configured send windows.
        schedule={"weekday_window": "00:00-24:00", "weekend_window": "00:00-24:00"},
    )
    services = Services.from_config(config)
    click.echo("Voice Service demo (synthetic data, demo keys: never use these settings for real)")
    run_demo(services, out_dir=out, participants=count, echo=click.echo)
    if no_serve:
        return
    from .serve import run_gunicorn

    click.echo(f"\nServing on http://127.0.0.1:{port} (health: /healthz). Ctrl+C to stop.")
    run_gunicorn(config, host="127.0.0.1", port=port, workers=1)
