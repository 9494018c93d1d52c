"""Trial finding 40: `demo` run again while the last demo's server or scheduler still ran on demo-output
emptied the folder under them without a word; they carried on with the deleted database. `demo` now
stops at once, leaving the folder as it was, while a server or scheduler holds the demo's locks (its
config.toml, which `serve` and `scheduler` hold on a demo's settings, or a scheduler's lock file), and
runs as before once they are stopped. Real processes hold the real locks; readiness is waited for (up to
generous deadlines), never guessed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_service.cli import main
from voice_service.cli.demo import demo_environment, write_demo_config
from voice_service.config import load
from voice_service.demo_folder import MARKER

REFUSAL = "A demo is still running on {out} (its server or scheduler): stop it first (Ctrl+C in its terminal)."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _demo_folder(out: Path, database_url: str, port: int) -> Path:
    """A demo's folder as `demo` leaves it: its settings file (on `database_url`) and a file of its own."""
    out.mkdir()
    config = load(None, environ={}, demo=True).with_overrides(
        app={"demo": True, "public_url": f"http://127.0.0.1:{port}", "council_name": "Demoshire County Council"},
        database={"url": database_url},
        spool={"dir": str((out / "spool").resolve())},
        sms={"provider": "console"},
        schedule={"weekday_window": "00:00-24:00", "weekend_window": "00:00-24:00", "school_hours": "off"},
    )
    (out / "participants.csv").write_text("the last demo's\n")
    return write_demo_config(out, config)


@pytest.mark.parametrize("command", ["scheduler", "serve"])
def test_a_demo_still_running_on_the_folder_stops_the_next_one_and_the_folder_is_kept(
    command, database_url, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICE_CONFIG", raising=False)
    out, port, log = tmp_path / "demo-output", _free_port(), tmp_path / f"{command}.log"
    settings = _demo_folder(out, database_url, port)
    extra = ["--port", str(port), "--workers", "1"] if command == "serve" else []
    args = [sys.executable, "-m", "voice_service", "--config", str(settings), command, *extra]
    with open(log, "wb") as sink:
        running = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=demo_environment(os.environ))
    try:
        deadline = time.monotonic() + 90
        ready = (lambda: _healthy(port)) if command == "serve" else (lambda: b"scheduler running" in log.read_bytes())
        while not ready():
            assert running.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        before = _snapshot(out)
        # Another port, as the trial's second demo might: the folder is what it must not empty.
        second = ["demo", "--no-serve", "--participants", "2", "--out", str(out), "--port", str(_free_port())]
        result = CliRunner().invoke(main, second)
        assert result.exit_code != 0
        assert REFUSAL.format(out=out) in result.output
        assert _snapshot(out) == before
        assert running.poll() is None  # left running, on its own database
    finally:
        running.send_signal(signal.SIGINT if command == "serve" else signal.SIGTERM)
        try:
            running.wait(60)
        except subprocess.TimeoutExpired:  # still starting when signalled (a failed wait at a load of 18 left it)
            running.kill()
            running.wait(10)
            raise
    # Stopped: the next demo runs as before, emptying the folder.
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--participants", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "voice-demo.db").is_file() and "the last demo's" not in (out / "participants.csv").read_text()


def test_a_scheduler_on_the_demo_database_without_its_settings_stops_the_next_demo(tmp_path, monkeypatch):
    # A scheduler started on the demo's SQLite file some other way (VOICE_DATABASE_URL, no --config) holds
    # only its lock file beside the database: held in a child process the way the scheduler takes it.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICE_CONFIG", raising=False)
    out = tmp_path / "demo-output"
    out.mkdir()
    (out / MARKER).write_text("written by an earlier demo\n")  # as `demo` writes it first (trial 8, H3)
    (out / "voice-demo.db").write_bytes(b"")
    holder = (
        "import sys; from sqlalchemy import create_engine; from voice_service.scheduler import SchedulerLock\n"
        f"lock = SchedulerLock(create_engine('sqlite:///{out / 'voice-demo.db'}')).acquire()\n"
        "print('held', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"held"
        before = _snapshot(out)
        result = CliRunner().invoke(main, ["demo", "--no-serve", "--participants", "2", "--out", str(out)])
        assert result.exit_code != 0 and REFUSAL.format(out=out) in result.output
        assert _snapshot(out) == before
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(30)
    result = CliRunner().invoke(main, ["demo", "--no-serve", "--participants", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
