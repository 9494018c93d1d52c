"""`time.sleep` that works under Debian's libfaketime 0.9.10 with the monotonic clock left real.

The suite is checked a year ahead with `faketime -f '+365d' make test`: libfaketime is preloaded
into the test process and every process it starts. The Makefile leaves the monotonic clock real
(FAKETIME_DONT_FAKE_MONOTONIC=1), because a faked one makes every timed wait on a lock wait a
year (Python's locks use glibc's sem_clockwait, which 0.9.10 passes to the kernel untranslated).

With the monotonic clock real, 0.9.10 gets the other sleep wrong: its clock_nanosleep still moves
an absolute CLOCK_MONOTONIC deadline back by the fake offset, so the kernel is handed a negative
time and returns EINVAL (wolfcw/libfaketime#426, fixed in 0.9.11). Python 3.11's `time.sleep`
sleeps until exactly such a deadline, so it raises OSError 22 in every process under the check:
the test process's `subprocess.Popen.wait(timeout=...)`, gunicorn's arbiter, the scheduler.

`mend()` puts a relative wait (`select` with a timeout, which libfaketime passes through as it is)
in `time.sleep`'s place, in a process where libfaketime is preloaded and `time.sleep` fails that
way, and nowhere else: on a real clock, or under a libfaketime without the bug, nothing changes.
The test process calls it from tests/conftest.py; its children, from `sitecustomize` in this
folder, which tests/conftest.py puts on their PYTHONPATH.
"""

from __future__ import annotations

import errno
import math
import os
import select
import time


def preloaded() -> bool:
    """Whether libfaketime is preloaded into this process (as `faketime` does)."""
    return "libfaketime" in os.environ.get("LD_PRELOAD", "")


def monotonic_left_real() -> bool:
    """Whether libfaketime was told to leave the monotonic clock real (it reads this when it loads)."""
    return "1" in (os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC"), os.environ.get("DONT_FAKE_MONOTONIC"))


def sleep_is_broken() -> bool:
    """Whether `time.sleep` fails the way libfaketime 0.9.10 makes it fail."""
    try:
        time.sleep(0)
    except OSError as error:
        return error.errno == errno.EINVAL
    return False


def relative_sleep(seconds: float) -> None:
    """`time.sleep(seconds)` as a relative wait: the same checks, and a signal handler's exception
    still ends it (select, like time.sleep, retries after a signal with the time left)."""
    if not isinstance(seconds, int | float):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if math.isnan(seconds):
        raise ValueError("Invalid value NaN (not a number)")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


def mend() -> bool:
    """Replace a `time.sleep` broken by libfaketime 0.9.10 with `relative_sleep`; True if it was."""
    if not preloaded() or time.sleep is relative_sleep or not sleep_is_broken():
        return False
    time.sleep = relative_sleep
    return True
