"""A round's dates as the panel reads them: days in the council's time zone (UK time), as `round list` gives them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.formatting import period


def test_a_round_that_opened_and_closed_on_one_day_has_one_date():
    # Trial finding 6: "30 November 2026 to 30 November 2026".
    assert period(date(2026, 11, 30), date(2026, 11, 30)) == "30 November 2026"
    assert period(datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 11, 30, 17, tzinfo=UTC)) == "30 November 2026"


def test_other_rounds_keep_their_range_or_say_they_are_open():
    assert period(date(2026, 11, 2), date(2026, 11, 30)) == "2 November 2026 to 30 November 2026"
    assert period(date(2026, 11, 2), None) == "from 2 November 2026 (still open)"


# New-user trial, A: `round list` gives the council's day (UK time), and so must the summary. A round opened at
# 23:30 UTC in summer opened at 00:30 British Summer Time the next day; in winter UK time is UTC.
SUMMER_OPENED = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)  # 00:30 BST, 1 September
SUMMER_CLOSED = datetime(2026, 9, 14, 23, 30, tzinfo=UTC)  # 00:30 BST, 15 September
BEFORE_OPENED = datetime(2026, 8, 16, 23, 30, tzinfo=UTC)  # 00:30 BST, 17 August
BEFORE_CLOSED = datetime(2026, 8, 30, 23, 30, tzinfo=UTC)  # 00:30 BST, 31 August
PRODUCED = datetime(2026, 9, 15, 23, 30, tzinfo=UTC)  # 00:30 BST, 16 September


def _summer_summary():
    current = replace(figures({}), opens_at=SUMMER_OPENED, closed_at=SUMMER_CLOSED)
    previous = replace(figures({}, round_id=1), opens_at=BEFORE_OPENED, closed_at=BEFORE_CLOSED)
    return summary_of(current, previous, now=PRODUCED)


def test_a_summary_gives_the_council_days_of_its_round_and_the_one_compared_with():
    summary = _summer_summary()
    assert (summary.period_start, summary.period_end) == (date(2026, 9, 1), date(2026, 9, 15))
    assert summary.previous_period == (date(2026, 8, 17), date(2026, 8, 31))
    assert summary.generated_on == date(2026, 9, 16)
    text = render(summary, "md").decode()
    assert "1 September 2026 to 15 September 2026" in text
    assert "Compared with round 1 (17 August 2026 to 31 August 2026)." in text
    assert "on 16 September 2026." in text
    assert "31 August 2026 to" not in text and "16 August" not in text


def test_in_winter_the_council_day_is_the_utc_day():
    current = replace(
        figures({}),
        opens_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),  # 23:30 GMT, 30 November
        closed_at=datetime(2026, 12, 14, 0, 30, tzinfo=UTC),  # 00:30 GMT, 14 December
    )
    summary = summary_of(current, now=datetime(2026, 12, 14, 23, 59, tzinfo=UTC))
    assert (summary.period_start, summary.period_end) == (date(2026, 11, 30), date(2026, 12, 14))
    assert summary.generated_on == date(2026, 12, 14)
