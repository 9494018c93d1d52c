"""`voice-service serve`: the production web server (gunicorn, threaded workers, app preloaded)."""

import ctypes
import logging
import os
import signal
import sys

import click

from ..config import ConfigError
from . import AppState, ensure_migrated, pass_state

# Threads a worker. Fewer threads contend less for a worker's one interpreter: 2 answered more texts a second
# than 8 on SQLite in every run, and as many on PostgreSQL (docs/benchmarks.md, "Threads a worker"). Nothing
# slow keeps one: a trickling client is read whole by the worker's main thread first (`web.worker`), and a
# failing database is tried by one text at a time while the rest are spooled (`spool.guard.InboundDeadline`).
THREADS = 2


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--threads",
    default=THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per worker (a slow client holds none: its request is read whole first; while the database is "
    "failing, one text at a time tries it and the rest are spooled at once). Each thread keeps a database "
    "connection (up to 32 per worker are kept open).",
)
@pass_state
def serve(state: AppState, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the web app with gunicorn (stateless workers; jobs run in `voice-service scheduler`).

    Outside the demo it first checks every setting it needs (secrets, duty routes, council_name,
    public_url) and, if any is wrong, lists them all in one message, each with what to put there.

    A database that cannot be reached at start (refused, timed out) does not stop it: it warns, serves,
    keeps texts in the spool ([spool] dir) and answers /healthz 503 until the database is back; each
    worker connects by itself once it is, and `voice-service scheduler` replays the spool. A database
    that is reached but not set up stops it."""
    from .faketime import keep_real_monotonic

    keep_real_monotonic()  # under `faketime` (a year ahead), before anything starts
    try:  # every problem at once, before the database is opened (the scheduler checks in the same place)
        state.config().require_ready_to_start(serving=True)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    services = state.services(migrated=False)
    # A server that will not start loses every text sent while the database is down (a restart during an
    # outage); a running one spools them. So an unreachable database is waited for, not refused.
    if not ensure_migrated(services, unreachable_ok=True):
        click.echo(f"warning: {unreachable_warning(services)}", err=True)
        check_set_up_when_reached(services.engine)
    from ..web.chat.security import per_worker_warning

    for warning in (
        per_worker_warning(services.config, workers),
        services.config.out_of_hours_warning(),
        services.config.council_name_warning(),
    ):
        if warning:
            click.echo(f"warning: {warning}", err=True)
    from ..demo_folder import hold_demo_settings

    # On a demo's settings, held while serving: `demo` never empties the folder of a server still running.
    held = hold_demo_settings(services.config.file) if services.config.app.demo else None
    try:
        run_gunicorn(services.config, host=host, port=port, workers=workers, threads=threads)
    finally:
        if held is not None:
            held.close()


def unreachable_warning(services) -> str:
    """What `serve` says when it starts without the database: where the URL came from, and what happens to texts."""
    config = services.config
    return (
        f"cannot reach the database at start; check {config.where('database', 'url')}. Serving anyway: "
        f"texts and chat messages are kept in the spool ({config.spool.dir}) and answered with a holding reply "
        "(or the help reply), /healthz answers 503 until the database is back, and `voice-service scheduler` "
        "replays the spool then. Whether it is set up is checked once it is reached."
    )


SET_UP_QUERIES = {
    "postgresql": "SELECT to_regclass('alembic_version') IS NOT NULL",
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
}


def check_set_up_when_reached(engine) -> None:
    """What `ensure_migrated` could not check at start, checked on the first connection a process opens once the
    database is back (and on each new one until it passes): is the database set up? If not, an error in the log
    on each new connection (it does not stop a running server: texts it cannot store are kept in the spool where
    the database reports them unavailable, and a fix needs only `voice-service db upgrade`)."""
    from sqlalchemy import event

    query = SET_UP_QUERIES.get(engine.dialect.name)
    if query is None:
        return
    checked: set[int] = set()  # the processes (the master, each worker) that found it set up

    @event.listens_for(engine, "connect")
    def _set_up(dbapi_connection, _record) -> None:
        if os.getpid() in checked:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute(query)
                set_up = bool(cursor.fetchone()[0])
            finally:
                cursor.close()
                dbapi_connection.rollback()
        except Exception as error:  # a check only: the connection's own use will meet whatever this met
            logging.getLogger(__name__).warning("could not check the database is set up: %s", type(error).__name__)
            return
        if set_up:
            checked.add(os.getpid())
            logging.getLogger(__name__).info("the database is reachable and set up")
        else:
            logging.getLogger(__name__).error(
                "the database is reachable but not set up: run `voice-service db upgrade`"
            )


def gunicorn_options(*, host: str, port: int, workers: int, threads: int = THREADS) -> dict:
    """The gunicorn settings `serve` uses (also the benchmark's, so it measures what runs)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # gthread's, changed (`web.worker`): the main thread reads each request whole, without blocking, before a
        # thread takes it, so a client trickling its request holds no thread, and it stops once however often
        # asked (Ctrl+C kills no worker).
        "worker_class": "voice_service.web.worker.ThreadWorker",
        "threads": threads,
        # Build the app and warm the word lists once, in the master: forked workers share that memory
        # and answer their first text as fast as the rest.
        "preload_app": True,
        # A request never needs this long (the database deadline is seconds); this only reaps a stuck worker.
        "timeout": 60,
        # On a stop, a worker finishes what it is answering (seconds at most), then is made to go: a
        # worker held up on a busy machine no longer keeps a restart waiting gunicorn's default 30 s.
        "graceful_timeout": 15,
        "keepalive": 5,
        "accesslog": "-",
        # The control socket (gunicorn 23+) is not used here; turning it off lets several servers share a folder.
        "control_socket_disable": True,
        "logger_class": "voice_service.web.access_log.RedactingLogger",
        # Paths only (query strings could carry tokens), and RedactingLogger blanks tokens in paths.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
    }


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_master(master: int) -> None:
    """In a worker just forked: when the master goes, however it goes (killed, or crashed as it once did
    under `faketime`), the kernel kills this worker too. Nobody is left then to stop it gracefully, reap it
    when it hangs or start another, and it would keep the port, so the next `serve` could not start.
    gunicorn's own check (a worker whose parent changed leaves) runs only between requests, and not at all
    while a worker warms up."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            logging.getLogger(__name__).warning(
                "worker cannot be tied to the master: prctl errno %d", ctypes.get_errno()
            )
    if os.getppid() != master:  # it went between the fork and the prctl
        os._exit(1)


def run_gunicorn(
    config, *, host: str, port: int, workers: int, threads: int = THREADS, extra: dict | None = None
) -> None:
    """Run gunicorn in this process with an app built from `config`, preloaded and warmed in the master."""
    from gunicorn.app.base import BaseApplication

    from ..web import create_app
    from ..web.warm_up import warm_up_gunicorn, warm_up_main_loop, warm_up_master, warm_up_pool, warm_up_worker

    app_holder: dict = {}

    def post_fork(server, worker) -> None:
        die_with_master(worker.ppid)
        # Each worker opens its own database connections; none may be inherited from the master.
        app = app_holder.get("app")
        if app is not None:
            app.extensions["voice"].engine.dispose(close=False)

    def post_worker_init(worker) -> None:
        # Its first connection and rehearsed texts, before its first text, in every thread of the pool that
        # answers texts (made now): those threads then wait idle, and texts are given to them.
        app = app_holder.get("app")
        pool = getattr(worker, "tpool", None)
        if app is None:
            return
        if pool is None:
            warm_up_worker(app)
        else:
            warm_up_pool(app, pool, worker.cfg.threads, worker)
            try:  # the main thread's part of a request (accepting, handing over, finishing), once
                warm_up_main_loop(worker, app)
            except Exception as error:  # another gunicorn: only a head start
                logging.getLogger(__name__).warning(
                    "worker warm-up skipped a step (main loop): %s", type(error).__name__
                )

    class _Server(BaseApplication):
        def load_config(self):
            options = gunicorn_options(host=host, port=port, workers=workers, threads=threads)
            options["post_fork"] = post_fork
            options["post_worker_init"] = post_worker_init
            options.update(extra or {})
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            app = create_app(config)
            app_holder["app"] = app
            if self.cfg.preload_app:
                warm_up_gunicorn(self.cfg)
                warm_up_master(app)
            return app

    _Server().run()
