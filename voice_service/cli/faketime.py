"""The long-running commands (`serve`, `scheduler`, `demo`) under Debian's `faketime`, as the service is
checked a year ahead (README: `faketime -f '+365d' ...`): they must run there as they run anywhere.

libfaketime 0.9.10 (Debian 12) breaks two of Python's waits, each of which stopped `serve` a year ahead:

- With the monotonic clock faked (plain `faketime -f '+365d'`), every timed wait on a lock waits a year:
  Python's locks wait with glibc's sem_clockwait, which 0.9.10 hands the kernel with the deadline a year
  out. gunicorn's master then never exits (a 10 ms timer thread of the rate limiter's store keeps it), and
  the scheduler never runs a job. `keep_real_monotonic` starts the command again, in the same process (same
  pid), with FAKETIME_DONT_FAKE_MONOTONIC=1, which libfaketime reads when it loads: the wall clock stays a
  year ahead, the monotonic clock (only ever used for intervals) is the real one.
- With the monotonic clock real, `time.sleep` fails with EINVAL (wolfcw/libfaketime#426, fixed in 0.9.11):
  gunicorn's master crashed on its first sleep and left its worker running alone. `mend_sleep` puts a
  relative wait (`select` with a timeout, which libfaketime leaves alone) in its place.

Neither does anything unless libfaketime is preloaded, nor `mend_sleep` unless `time.sleep` fails that
way. The tests' own processes are mended the same way by tests/faketime (sitecustomize on PYTHONPATH).
"""

from __future__ import annotations

import errno
import math
import os
import select
import sys
import time
from collections.abc import Mapping

DONT_FAKE_MONOTONIC = "FAKETIME_DONT_FAKE_MONOTONIC"


def preloaded(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether libfaketime is preloaded into this process (as `faketime` does)."""
    return "libfaketime" in environ.get("LD_PRELOAD", "")


def monotonic_left_real(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether libfaketime was told to leave the monotonic clock real (it reads this when it loads)."""
    return "1" in (environ.get(DONT_FAKE_MONOTONIC), environ.get("DONT_FAKE_MONOTONIC"))


def sleep_is_broken() -> bool:
    """Whether `time.sleep` fails the way libfaketime 0.9.10 makes it fail."""
    try:
        time.sleep(0)
    except OSError as error:
        return error.errno == errno.EINVAL
    return False


def relative_sleep(seconds: float) -> None:
    """`time.sleep(seconds)` as a relative wait: the same checks, and a signal handler's exception still
    ends it (select, like time.sleep, carries on after a signal with the time left)."""
    if not isinstance(seconds, int | float):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    if math.isnan(seconds):
        raise ValueError("Invalid value NaN (not a number)")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


def mend_sleep() -> bool:
    """Replace a `time.sleep` broken by libfaketime 0.9.10 with `relative_sleep`; True if it was."""
    if not preloaded() or time.sleep is relative_sleep or not sleep_is_broken():
        return False
    time.sleep = relative_sleep  # type: ignore[assignment]  # takes the int or float time.sleep is given
    return True


def restart_command(environ: Mapping[str, str] = os.environ) -> tuple[list[str], dict[str, str]] | None:
    """The command line and environment to start this command again with the monotonic clock real, or
    None when there is no need (no libfaketime, or it already leaves the monotonic clock real)."""
    if not preloaded(environ) or monotonic_left_real(environ):
        return None
    return [sys.executable, *sys.orig_argv[1:]], {**environ, DONT_FAKE_MONOTONIC: "1"}


def keep_real_monotonic() -> None:
    """Before a long-running command starts anything: under libfaketime, a real monotonic clock (this
    process started again, see the module's docstring) and a `time.sleep` that works."""
    again = restart_command()
    if again is not None:
        argv, environ = again
        print(
            f"faketime: starting again with {DONT_FAKE_MONOTONIC}=1 (the monotonic clock must stay real, or "
            "every timed wait lasts a year); the date stays as faketime sets it",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.flush()
        os.execve(argv[0], argv, environ)
    mend_sleep()
