"""A pinned clock for tests that patch the service's `utcnow`: called, it says the time the test set."""

from __future__ import annotations

from datetime import datetime


class PinnedClock:
    """The service's clocks, pinned at `now` and moved on by the test (`clock.now += timedelta(...)`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
