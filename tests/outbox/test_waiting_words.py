"""When the send window opens, as `outbox flush`, `round status` and the round's page say it: the dates as they are
written everywhere (`voice_service.dates`), every clock given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from voice_service.outbox.waiting import Waiting, describe_waiting

LONDON = ZoneInfo("Europe/London")
THURSDAY = datetime(2027, 12, 2, 12, 0, tzinfo=UTC)  # a year on from the trial, never today's date


def test_a_window_opening_after_tomorrow_reads_as_every_other_date_and_keeps_a_new_years_year():
    """It read "10:00 Sat 4 Dec", its own order; now "Sat 4 Dec 10:00" as the duty pages write a date, and one
    opening in the new year says so ("Mon 3 Jan 2028 16:00"), not a January that could be read as last."""
    saturday = Waiting(opens=datetime(2027, 12, 4, 10, 0, tzinfo=UTC), count=3)
    assert describe_waiting([saturday], now=THURSDAY, tz=LONDON) == (
        "3 waiting for the send window (opens Sat 4 Dec 10:00)"
    )
    new_year = Waiting(opens=datetime(2028, 1, 3, 16, 0, tzinfo=UTC), count=2)
    before_it = THURSDAY + timedelta(days=28)  # Thu 30 Dec 2027
    assert describe_waiting([new_year], now=before_it, tz=LONDON) == (
        "2 waiting for the send window (opens Mon 3 Jan 2028 16:00)"
    )
    # Today and tomorrow keep their words.
    assert describe_waiting([saturday], now=THURSDAY + timedelta(days=1), tz=LONDON) == (
        "3 waiting for the send window (opens 10:00 tomorrow)"
    )
