"""Exactly one scheduler per database: a second one is refused, and a dead one leaves no stale lock."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.outbox.helpers import environment
from voice_service.scheduler import AlreadyRunning, SchedulerLock


def test_a_second_lock_on_the_same_database_is_refused(services):
    with SchedulerLock(services.engine):
        with pytest.raises(AlreadyRunning):
            SchedulerLock(services.engine).acquire()
    # Released: the next one gets it.
    SchedulerLock(services.engine).acquire().release()


# A duty route that needs no mail server (an email route needs smtp.host, which these tests do not run).
DUTY = {"webhook_url": "http://127.0.0.1:9/duty"}


def _start(env, tmp_path):
    return subprocess.Popen(
        [sys.executable, "-m", "voice_service", "scheduler"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_running(process) -> None:
    deadline = time.monotonic() + 90
    for line in process.stderr:
        if "scheduler running" in line:
            return
        assert time.monotonic() < deadline
    pytest.fail(f"scheduler did not start: exit {process.wait()}")


def test_a_second_scheduler_process_refuses_to_run_and_a_killed_one_frees_the_lock(config, tmp_path):
    env = environment(config.with_overrides(schedule={"poll_seconds": 0.2}, safeguarding=DUTY))
    first = _start(env, tmp_path)
    try:
        _wait_running(first)
        second = subprocess.run(
            [sys.executable, "-m", "voice_service", "scheduler"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "already running" in second.stderr and "refusing" in second.stderr
        first.send_signal(signal.SIGKILL)
        first.wait()
        # The operating system (or PostgreSQL) dropped the dead scheduler's lock: a new one starts.
        third = _start(env, tmp_path)
        _wait_running(third)
        third.send_signal(signal.SIGTERM)
        assert third.wait(timeout=30) == 0
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()
                process.wait()
