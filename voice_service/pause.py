"""`pause(seconds)`: sleep that also behaves under libfaketime.

`time.sleep` fails with EINVAL when the monotonic clock is left real under libfaketime
(`faketime -f +365d make test`, as the Makefile sets it up), while a timed wait on an event
works; the two sleep the same on a real clock.
"""

from __future__ import annotations

import threading


def pause(seconds: float) -> None:
    """Block the calling thread for `seconds` (nothing happens for zero or less)."""
    if seconds > 0:
        threading.Event().wait(seconds)
