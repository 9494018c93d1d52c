"""`voice-service serve`: the production web server (gunicorn)."""

import click

from ..config import ConfigError
from . import AppState, pass_state


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@pass_state
def serve(state: AppState, host: str, port: int, workers: int) -> None:
    """Serve the web app with gunicorn (stateless workers; jobs run in `voice-service scheduler`)."""
    services = state.services()
    try:
        services.config.require_duty_route()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    run_gunicorn(services.config, host=host, port=port, workers=workers)


def run_gunicorn(config, *, host: str, port: int, workers: int, extra: dict | None = None) -> None:
    """Run gunicorn in this process with an app built from `config`."""
    from gunicorn.app.base import BaseApplication

    from ..web import create_app

    class _Server(BaseApplication):
        def load_config(self):
            # The control socket (gunicorn 23+) is not used here; turning it off lets several servers share a folder.
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "control_socket_disable": True,
                "logger_class": "voice_service.web.access_log.RedactingLogger",
                # Paths only (query strings could carry tokens), and RedactingLogger blanks tokens in paths.
                "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
            }
            options.update(extra or {})
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app(config)

    _Server().run()
