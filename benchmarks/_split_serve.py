"""A server for `benchmarks.inbound_split`: `voice-service serve` or gunicorn, each part of a request's CPU counted.

`python -m benchmarks._split_serve service ARGS...` runs `voice-service ARGS...`; `... bare ARGS...` runs
`gunicorn ARGS...`. Before either starts, the parts of gunicorn's threaded worker (and, for the service, of
its lean SMS edge) are wrapped to add up their thread CPU time (`time.thread_time`, which no other thread or
process changes), and each worker writes its totals (JSON) to `$BENCH_SPLIT_DIR/<pid>` five times a second,
with every thread's CPU time so far by kind (the request pool's, the main thread, the others). Read a quarter
of a second or more after the last request has been answered, they count every request whole.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable

TOTALS: dict[str, float] = {}
DUMP_SECONDS = 0.2
_dumping: list[int] = []  # the pid whose dump thread runs (a forked worker starts its own)


def _counted(function: Callable, part: str) -> Callable:
    def counted(*args, **kwargs):
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            TOTALS[part] = TOTALS.get(part, 0.0) + time.thread_time() - started

    return counted


def _wrap(owner, name: str, part: str) -> None:
    setattr(owner, name, _counted(getattr(owner, name), part))


def _thread_cpu() -> dict[str, float]:
    """Every thread's CPU time so far, added up by kind."""
    kinds = {"threads: pool": 0.0, "threads: main": 0.0, "threads: other": 0.0}
    main = threading.main_thread()
    for thread in threading.enumerate():
        try:
            spent = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))  # type: ignore[arg-type]
        except (OSError, TypeError):
            continue
        if thread is main:
            kinds["threads: main"] += spent
        elif thread.name.startswith("ThreadPoolExecutor"):
            kinds["threads: pool"] += spent
        else:
            kinds["threads: other"] += spent
    return kinds


def _dump_forever() -> None:
    while True:
        time.sleep(DUMP_SECONDS)
        _dump()


def _dump() -> None:
    folder = os.environ["BENCH_SPLIT_DIR"]
    totals = dict(TOTALS, process=time.process_time(), **_thread_cpu())
    path = os.path.join(folder, str(os.getpid()))
    with open(path + ".new", "w") as handle:
        json.dump(totals, handle)
    os.replace(path + ".new", path)


def install(kind: str) -> None:
    """Count the parts (see the module notes); `kind` is "service" or "bare"."""
    from gunicorn import glogging
    from gunicorn.http import parser, wsgi
    from gunicorn.workers import gthread

    _wrap(gthread.ThreadWorker, "wait_for_and_dispatch_events", "main thread")
    _wrap(parser.Parser, "__next__", "parse")
    _wrap(wsgi, "create", "environ")
    _wrap(wsgi.Response, "start_response", "respond")
    _wrap(wsgi.Response, "write", "respond")
    _wrap(wsgi.Response, "close", "respond")
    _wrap(gthread.ThreadWorker, "handle_request", "request")
    if kind == "service":
        from voice_service.web import access_log
        from voice_service.web.sms import fast

        _wrap(access_log.RedactingLogger, "access", "access log")
        _wrap(fast, "take_text", "take_text")
    else:
        _wrap(glogging.Logger, "access", "access log")
    handle = gthread.ThreadWorker.handle

    def counted_handle(self, conn):
        started = time.thread_time()
        try:
            return handle(self, conn)
        finally:
            TOTALS["handle"] = TOTALS.get("handle", 0.0) + time.thread_time() - started
            TOTALS["requests"] = TOTALS.get("requests", 0) + 1
            if _dumping != [os.getpid()]:
                _dumping[:] = [os.getpid()]
                threading.Thread(target=_dump_forever, name="split-dump", daemon=True).start()

    gthread.ThreadWorker.handle = counted_handle  # type: ignore[method-assign]


def main() -> None:
    """Run the server named by the first argument, counted."""
    kind, args = sys.argv[1], sys.argv[2:]
    install(kind)
    if kind == "service":
        from voice_service.cli import main as cli

        sys.argv = ["voice-service", *args]
        cli()
    else:
        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", *args]
        run()


if __name__ == "__main__":
    main()
