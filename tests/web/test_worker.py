"""The worker `serve` runs stops once, however often it is asked (the SIGKILL at the demo's Ctrl+C).

Ctrl+C signals the whole process group: a worker gets SIGINT from the terminal and SIGQUIT from its master, and
Python runs the second handler inside the first. gthread's stop, run again inside itself, waited for ever on the
lock its first run held, until the master killed the worker. The whole demo stopped by Ctrl+C is
tests/test_demo_serves_with_scheduler.py; this is the rule itself, without the race."""

from __future__ import annotations

import signal

import pytest
from gunicorn.workers.gthread import ThreadWorker as GthreadWorker

from voice_service.cli.serve import gunicorn_options
from voice_service.web.worker import ThreadWorker


def test_serve_runs_the_worker_that_stops_once():
    from gunicorn.util import load_class

    assert load_class(gunicorn_options(host="127.0.0.1", port=5000, workers=1)["worker_class"]) is ThreadWorker
    assert issubclass(ThreadWorker, GthreadWorker)


def test_a_second_quit_while_the_first_stops_is_let_go(monkeypatch):
    worker = ThreadWorker.__new__(ThreadWorker)  # no sockets or app: only its stop is wanted
    stops: list[int] = []

    def gthread_stop(self, sig, frame):
        stops.append(sig)
        if len(stops) == 1:
            self.handle_quit(signal.SIGQUIT, None)  # the master's SIGQUIT, run inside the terminal's SIGINT
        raise SystemExit(0)  # as gunicorn's stop ends

    monkeypatch.setattr(GthreadWorker, "handle_quit", gthread_stop)
    with pytest.raises(SystemExit):
        worker.handle_quit(signal.SIGINT, None)
    assert stops == [signal.SIGINT]
    worker.handle_quit(signal.SIGQUIT, None)  # never again, whatever else arrives
    assert stops == [signal.SIGINT]
