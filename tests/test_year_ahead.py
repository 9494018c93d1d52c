"""The suite is checked a year ahead with `faketime -f '+365d' make test` (README): a process the
tests start under faketime can sleep and wait, and so can the processes it starts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from voice_service.cli.demo import demo_environment, write_demo_config
from voice_service.config import load

CHILD = """
import os, subprocess, sys, threading, time
time.sleep(0.01)
threading.Event().wait(0.01)
# Waiting for a process with a timeout is time.sleep in a loop: what failed with EINVAL.
subprocess.run([sys.executable, "-c", "import time; time.sleep(0.01)"], check=True, timeout=60)
print(os.environ["LD_PRELOAD"])
"""


def test_processes_the_tests_start_can_sleep_and_wait_a_year_ahead():
    faketime = shutil.which("faketime")
    if faketime is None:
        skip_or_fail("faketime is not installed (apt-get install faketime)")
        return
    env = {**os.environ, "FAKETIME_DONT_FAKE_MONOTONIC": "1"}  # as the Makefile exports it
    result = subprocess.run(
        [faketime, "-f", "+365d", sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "libfaketime" in result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _parents() -> dict[int, int]:
    """Each process's parent, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


def _descendants(root: int) -> set[int]:
    """Every process under `root`, `root` left out."""
    parents = _parents()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by its parent is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("monotonic", ["faked", "left real"])
def test_serve_runs_a_year_ahead_and_leaves_no_process_behind(monotonic, database_url, tmp_path):
    """Trial finding T12: `faketime -f '+365d' voice-service serve` crashed gunicorn's master (time.sleep's
    EINVAL with the monotonic clock left real) and left its worker running alone; with the monotonic clock
    faked too, the master never exited. Served, answered and stopped, nothing of it is left. Only the
    service's own mending is in play: not the tests' (tests/faketime), which is kept off its PYTHONPATH."""
    faketime = shutil.which("faketime")
    if faketime is None:
        skip_or_fail("faketime is not installed (apt-get install faketime)")
        return
    port, out = _free_port(), tmp_path / "demo-output"
    out.mkdir()
    config = load(None, environ={}, demo=True).with_overrides(
        app={"demo": True, "public_url": f"http://127.0.0.1:{port}", "council_name": "Demoshire County Council"},
        database={"url": database_url},
        spool={"dir": str(out / "spool")},
        sms={"provider": "console"},
    )
    settings = write_demo_config(out, config)
    env = {key: value for key, value in demo_environment(os.environ).items() if "FAKETIME" not in key}
    env.pop("LD_PRELOAD", None)  # faketime preloads its own
    env["PYTHONPATH"] = str(Path(__file__).parents[1])
    if monotonic == "left real":
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    args = [faketime, "-f", "+365d", sys.executable, "-m", "voice_service", "--config", str(settings)]
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        wrapper = subprocess.Popen(
            [*args, "serve", "--port", str(port), "--workers", "1", "--threads", "1"], stdout=sink, stderr=sink, env=env
        )
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while True:
            assert wrapper.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            seen |= _descendants(wrapper.pid)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.3)
        assert body["database"] == "ok"
        seen |= _descendants(wrapper.pid)
        # The master (faketime's child), still there once it has answered, and its worker.
        master = [pid for pid, parent in _parents().items() if parent == wrapper.pid and _alive(pid)]
        assert len(master) == 1 and len(seen) >= 2, (seen, log.read_text()[-3000:])
        os.kill(master[0], signal.SIGTERM)
        assert wrapper.wait(120) == 0, log.read_text()[-3000:]
        deadline = time.monotonic() + 60
        while left := {pid for pid in seen if _alive(pid)}:
            assert time.monotonic() < deadline, (left, log.read_text()[-3000:])
            time.sleep(0.3)
    finally:
        for pid in {wrapper.pid, *seen}:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        wrapper.wait(30)
