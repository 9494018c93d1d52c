"""A round's dates as the panel reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from voice_service.summary.formatting import period


def test_a_round_that_opened_and_closed_on_one_day_has_one_date():
    # Trial finding 6: "30 November 2026 to 30 November 2026".
    assert period(date(2026, 11, 30), date(2026, 11, 30)) == "30 November 2026"
    assert period(datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)) == "30 November 2026"


def test_other_rounds_keep_their_range_or_say_they_are_open():
    assert period(date(2026, 11, 2), date(2026, 11, 30)) == "2 November 2026 to 30 November 2026"
    assert period(date(2026, 11, 2), None) == "from 2 November 2026 (still open)"
