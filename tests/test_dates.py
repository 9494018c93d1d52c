"""Dates as the council writes them, in its own time zone, from one home (`voice_service.dates`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from voice_service.dates import (
    DateError,
    ShortYear,
    date_from_parts,
    local_moment,
    parse_time,
    parse_uk_date,
    read_date,
    uk_date,
    uk_date_time,
    uk_day_time,
    uk_duration,
)

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


# --- Reading dates as a UK council worker types them (tester T12) ------------------------------

ST_ANDREWS = date(2026, 11, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "30/11/2026",
        " 30/11/2026 ",
        "30-11-2026",
        "30.11.2026",
        "30 Nov 2026",
        "30 nov 2026",
        "30 Nov. 2026",
        "30 November 2026",
        "30th November 2026",
        "Monday 30 November 2026",
        "Mon, 30 Nov 2026",
        "2026-11-30",
    ],
)
def test_a_date_is_read_day_first_as_typed_in_the_uk(typed):
    assert parse_uk_date(typed) == ST_ANDREWS


def test_a_2_digit_year_is_refused_with_the_year_in_full_as_the_example():
    with pytest.raises(ShortYear) as caught:
        parse_uk_date("30/11/26", label="The closing date")
    assert str(caught.value) == (
        "The closing date must have the year in full, with 4 numbers: for example 30/11/2026, not 30/11/26"
    )
    with pytest.raises(ShortYear):
        parse_uk_date("30 Nov 26")


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("11/30/2026", "must be a real date, day first: for example 30/11/2026"),  # month first, as in the US
        ("31/11/2026", "must be a real date"),
        ("30 Smarch 2026", "must be a date, day first"),
        ("soon", "must be a date, day first: for example 30/11/2026, 30 Nov 2026, 30 November 2026 or 2026-11-30"),
        ("30/11/202", "must include 4 numbers"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(typed, words):
    with pytest.raises(DateError) as caught:
        parse_uk_date(typed, label="The due date")
    assert str(caught.value).startswith("The ") and words in str(caught.value)


def test_govuk_date_boxes_take_the_month_as_a_number_or_a_word_and_name_the_wrong_box():
    assert date_from_parts("30", "11", "2026") == date_from_parts("30", "Nov", "2026") == ST_ANDREWS
    assert date_from_parts("30", "november", "2026") == ST_ANDREWS
    assert date_from_parts("", " ", "") is None
    assert date_from_parts("30 Nov 2026", "", "") == ST_ANDREWS  # a whole date typed into one box
    for parts, message, wrong in [
        (("30", "", "2026"), "The closing date must include a month", ("month",)),
        (("", "", "2026"), "The closing date must include a day and month", ("day", "month")),
        (("31", "11", "2026"), "The closing date must be a real date", ("day",)),
        (("30", "13", "2026"), "The closing date must be a real date", ("month",)),
        (("30", "11", "26"), "The closing date must have the year in full", ("year",)),
        (("30/11/26", "", ""), "The closing date must have the year in full", ("day",)),
    ]:
        with pytest.raises(DateError) as caught:
            date_from_parts(*parts, label="The closing date")
        assert str(caught.value).startswith(message) and caught.value.parts == wrong, parts


def test_a_form_date_comes_from_its_boxes_or_one_value():
    assert (
        read_date({"due-day": "30", "due-month": "Nov", "due-year": "2026"}, "due", label="The due date") == ST_ANDREWS
    )
    assert read_date({"due": "2026-11-30"}, "due", label="The due date") == ST_ANDREWS
    assert read_date({"due": ""}, "due", label="The due date") is None and read_date({}, "due", label="x") is None


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 min"),
        (7, "7 min"),
        (119, "119 min"),
        (120, "2 h"),
        (150, "2 h 30 min"),
        (47 * 60 + 59, "47 h 59 min"),
        (48 * 60, "2 days"),
        (13 * 24 * 60 + 23 * 60, "13 days"),
        (14 * 24 * 60, "2 weeks"),
        (12 * 7 * 24 * 60 + 180, "12 weeks"),
        (364 * 24 * 60, "52 weeks"),
        (8760 * 60, "1 year"),
        (8760 * 60 + 1, "1 year"),
        (400 * 24 * 60, "1 year 5 weeks"),
        (372 * 24 * 60, "1 year 1 week"),
        (2 * 8760 * 60 + 3 * 7 * 24 * 60, "2 years 3 weeks"),
    ],
)
def test_a_wait_reads_at_a_glance_however_long(minutes, words):
    """Trial finding T8: a year's wait read "8760 h 00 min". The duty page's words up to two weeks (minutes,
    hours, days), then weeks, then years: each rounded down."""
    assert uk_duration(minutes) == words


def test_a_short_date_keeps_its_year_when_it_is_not_this_year():
    """Trial finding T8: "Thu 3 Dec 14:02" read a year on is ambiguous. Given the time now (passed in, never
    today's), a moment in another year (in the council's zone) keeps its year; this year's needs none."""
    raised = datetime(2026, 12, 3, 14, 2, tzinfo=UTC)
    assert uk_day_time(raised) == "Thu 3 Dec 14:02"
    assert uk_day_time(raised, now=datetime(2026, 12, 30, 9, 0, tzinfo=UTC)) == "Thu 3 Dec 14:02"
    assert uk_day_time(raised, now=datetime(2027, 12, 3, 14, 3, tzinfo=UTC)) == "Thu 3 Dec 2026 14:02"
    assert uk_day_time(raised, now=datetime(2025, 12, 3, 14, 3, tzinfo=UTC)) == "Thu 3 Dec 2026 14:02"
    # The year is the council's: 23:30 UTC on 31 December 2026 is already 2027 in Auckland.
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert uk_day_time(new_year, "Pacific/Auckland", now=datetime(2027, 1, 1, 11, 0, tzinfo=UTC)) == "Fri 1 Jan 12:30"
    assert uk_day_time(new_year, now=datetime(2027, 1, 1, 11, 0, tzinfo=UTC)) == "Thu 31 Dec 2026 23:30"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("14:30", time(14, 30)),
        ("14.05", time(14, 5)),
        ("1430", time(14, 30)),
        ("0905", time(9, 5)),
        ("9:05", time(9, 5)),
        ("2:30pm", time(14, 30)),
        ("2pm", time(14, 0)),
        (" 9 AM ", time(9, 0)),
        ("2:30 p.m.", time(14, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("Noon", time(12, 0)),
        ("midday", time(12, 0)),
        ("midnight", time(0, 0)),
    ],
)
def test_a_time_is_read_as_a_worker_types_it(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", "must be a time of day"),
        ("teatime", "must be a time of day"),
        ("7", "must include minutes, or am or pm"),
        ("24:00", "must be a real time"),
        ("14:60", "must be a real time"),
        ("13pm", "the hour is 1 to 12"),
        ("0pm", "the hour is 1 to 12"),
    ],
)
def test_a_time_that_cannot_be_read_says_why(typed, words):
    with pytest.raises(DateError, match=words):
        parse_time(typed, label="The time of the call")


def test_a_day_and_time_are_taken_in_the_councils_zone():
    assert local_moment(date(2026, 12, 3), time(15, 30)) == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    assert local_moment(date(2026, 7, 1), time(15, 30)) == datetime(2026, 7, 1, 14, 30, tzinfo=UTC)  # BST
    # 01:30 on the day the clocks go back comes twice: the first (still BST).
    assert local_moment(date(2026, 10, 25), time(1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
