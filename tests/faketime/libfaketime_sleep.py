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

The mend itself has one home, voice_service/cli/faketime.py (which `serve`, `scheduler` and `demo`
use). It is loaded here from its file, not imported: this runs at start-up in every process the tests
start, where importing the `voice_service.cli` package would cost each of them its imports (and the
test that `voice-service --help` stays quick would see them). That file needs only the standard library.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[2] / "voice_service" / "cli" / "faketime.py"
_spec = importlib.util.spec_from_file_location("_voice_service_faketime", _SOURCE)
assert _spec is not None and _spec.loader is not None, _SOURCE
_faketime = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_faketime)

preloaded = _faketime.preloaded
monotonic_left_real = _faketime.monotonic_left_real
sleep_is_broken = _faketime.sleep_is_broken
relative_sleep = _faketime.relative_sleep
mend = _faketime.mend_sleep
