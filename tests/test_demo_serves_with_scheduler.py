"""Trial finding 5: `make demo` served the dashboard with no scheduler, so a round launched from it (or a
reply, or a duty notice) was queued and never sent, though the page said "Invitations go at once". The
demo's serve now runs `voice-service --config <demo config> scheduler` beside the web server, on the demo's
own settings alone (no VOICE_* setting reaches it: console provider, no real council's routes), and stops
it with the server.

The whole demo is run as a newcomer runs it, in a process of its own; the test waits (up to generous
deadlines, never on the time of day) for what the tour queued to be sent, then stops the demo with Ctrl+C
(SIGINT) and checks the scheduler is gone and its lock free."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from voice_service.cli.demo import demo_environment
from voice_service.demo_folder import demo_folder_in_use


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _until(check, *, seconds: float, what: str, demo: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            raise AssertionError(f"the demo stopped ({demo.returncode}) before {what}:\n{log.read_text()[-3000:]}")
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s\n{log.read_text()[-3000:]}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _outbox(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT status, count(*) FROM outboxmessage GROUP BY status").fetchall())


def test_the_demo_serves_with_a_scheduler_that_sends_and_stops_with_it(tmp_path):
    out, port, log = tmp_path / "demo-output", _free_port(), tmp_path / "demo.log"
    env = {name: value for name, value in os.environ.items() if not name.startswith("VOICE_")}
    command = [sys.executable, "-m", "voice_service", "demo", "--participants", "2", "--out", str(out)]
    with log.open("w") as sink:
        demo = subprocess.Popen(
            [*command, "--port", str(port)], stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=tmp_path
        )
    try:
        _until(lambda: _healthy(port), seconds=300, what="the demo serving", demo=demo, log=log)
        # Served once its scheduler has run: /healthz (and the dashboard) never say it has not.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            assert json.load(response)["scheduler"]["last_run_minutes"] == 0
        database = out / "voice-demo.db"
        # The tour queued its thank-you texts as it closed the round; the scheduler beside the server sends them.
        _until(
            lambda: _outbox(database).get("sent", 0) > 0 and not _outbox(database).get("pending"),
            seconds=120,
            what="what the tour queued being sent",
            demo=demo,
            log=log,
        )
        said = log.read_text()
        assert "with the scheduler sending what the" in said and "Ctrl+C stops both" in said
        lock = out / "voice-demo.db.scheduler.lock"
        scheduler_pid = int(lock.read_text().strip())
        assert scheduler_pid != demo.pid
        os.kill(scheduler_pid, 0)  # running now
        # Trial finding 40: a second demo (on another port) stops at once rather than emptying the folder
        # under this one's server and scheduler.
        inode = database.stat().st_ino
        second = subprocess.run(
            [*command, "--no-serve", "--port", str(_free_port())], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert second.returncode != 0 and "A demo is still running on" in second.stderr, second.stderr
        assert database.stat().st_ino == inode and (out / "config.toml").is_file()
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl+C, to the demo alone: it must stop its scheduler itself
        demo.wait(90)
    assert demo.returncode == 0, log.read_text()[-3000:]
    try:
        os.kill(scheduler_pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError(f"the demo's scheduler (pid {scheduler_pid}) is still running")
    with lock.open("a") as handle:  # its lock is free: a scheduler started now would run
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert "scheduler stopped" in log.read_text()
    assert not demo_folder_in_use(out)  # stopped: the next demo may empty the folder


def test_the_demos_scheduler_gets_no_councils_settings():
    environ = {
        "PATH": "/usr/bin",
        "VOICE_CONFIG": "/etc/council/config.toml",
        "VOICE_SAFEGUARDING_DUTY_EMAILS": '["edt@envshire.example"]',
        "VOICE_SMS_PROVIDER": "twilio",
        "VOICE_CONVERSATIONS_DIR": "/data/words",
    }
    assert demo_environment(environ) == {"PATH": "/usr/bin", "VOICE_CONVERSATIONS_DIR": "/data/words"}


def test_ctrl_c_in_the_terminal_stops_the_demo_cleanly_with_no_process_killed(tmp_path):
    """Ctrl+C in a terminal signals the demo's whole process group: gunicorn's master and worker and the scheduler.
    The worker got SIGINT from the terminal and SIGQUIT from its master at once; its stop, interrupted by the second,
    hung until the master killed it 15 s later ("Worker (pid:...) was sent SIGKILL! Perhaps out of memory?"). Now
    each child stops as asked, the demo exits 0 within seconds, nothing is killed and no process is left."""
    out, port, log = tmp_path / "demo-output", _free_port(), tmp_path / "demo.log"
    env = {name: value for name, value in os.environ.items() if not name.startswith("VOICE_")}
    command = [sys.executable, "-m", "voice_service", "demo", "--participants", "1", "--out", str(out)]
    with log.open("w") as sink:
        demo = subprocess.Popen(  # a session of its own: its process group is the terminal's foreground one
            [*command, "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            start_new_session=True,
        )
    try:
        _until(lambda: _healthy(port), seconds=300, what="the demo serving", demo=demo, log=log)
        _until(lambda: "Booting worker" in log.read_text(), seconds=60, what="the worker", demo=demo, log=log)
        time.sleep(1)  # the worker warmed up and waiting, as it is when someone presses Ctrl+C
    finally:
        started = time.monotonic()
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl+C: the whole group
        demo.wait(90)
    took = time.monotonic() - started
    said = log.read_text()
    assert demo.returncode == 0, said[-3000:]
    assert "SIGKILL" not in said and "was sent SIG" not in said, said[-3000:]
    assert "scheduler stopped" in said and "Worker exiting" in said, said[-3000:]
    assert took < 10, f"{took:.1f} s to stop (the master's graceful_timeout is 15 s)"
    try:
        os.killpg(demo.pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError("a process of the demo's is still running")
