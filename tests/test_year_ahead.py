"""The suite is checked a year ahead with `faketime -f '+365d' make test` (README): a process the
tests start under faketime can sleep and wait, and so can the processes it starts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import skip_or_fail

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
