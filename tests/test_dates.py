"""Dates as the council writes them, in its own time zone, from one home (`voice_service.dates`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from voice_service.dates import uk_date, uk_date_time, uk_day_time

WINTER = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 13, 5, 9, tzinfo=UTC)  # 14:05 in London (British Summer Time)
LATE = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London


def test_uk_dates_and_times_in_the_councils_zone_without_leading_zeros():
    assert uk_date(WINTER) == "30 November 2026" and uk_date_time(WINTER) == "30 Nov 2026 14:05"
    assert uk_date_time(SUMMER) == "1 Jul 2026 14:05" and uk_date_time(SUMMER, seconds=True) == "1 Jul 2026 14:05:09"
    assert uk_day_time(SUMMER, "Europe/London") == "Wed 1 Jul 14:05"
    assert uk_date(LATE) == "1 July 2026", "the council's day, not UTC's"
    assert uk_date_time(SUMMER.replace(tzinfo=None)) == "1 Jul 2026 14:05", "a time without a zone is UTC"
    assert uk_date_time(SUMMER, "America/New_York") == "1 Jul 2026 09:05"


def test_a_plain_date_is_a_day_already_and_none_is_blank():
    assert uk_date(date(2026, 3, 3)) == "3 March 2026"
    assert uk_date(None) == uk_date_time(None) == uk_day_time(None) == ""


def test_the_dashboard_the_duty_notices_and_the_summary_write_dates_the_same_way():
    from voice_service.summary.formatting import day
    from voice_service.web.admin.words import local_time

    assert local_time(WINTER, "Europe/London") == uk_date_time(WINTER)
    assert day(date(2026, 11, 30)) == uk_date(WINTER)
